use actix_web::{put, web};
use clipjury_service::{Services, submissions};
use uuid::Uuid;

use super::dto::{SubmissionDto, SubmissionRequest};
use crate::auth::GroupMember;
use crate::error::{ApiError, ErrorBody};

/// Create or update the group's submission form (while the contest takes uploads).
#[utoipa::path(
    tag = "submissions",
    params(("contest_id" = Uuid, Path)),
    request_body = SubmissionRequest,
    responses(
        (status = 200, body = SubmissionDto),
        (status = 400, body = ErrorBody, description = "`consent-required`, `submission-title-empty`, …"),
        (status = 403, body = ErrorBody, description = "`uploads-closed`"),
    )
)]
#[put("/api/contests/{contest_id}/submission")]
pub async fn save_submission(
    group: GroupMember,
    services: web::Data<Services>,
    path: web::Path<Uuid>,
    body: web::Json<SubmissionRequest>,
) -> Result<web::Json<SubmissionDto>, ApiError> {
    let saved =
        submissions::save_submission(&services, &group.0, path.into_inner(), body.into_inner())
            .await?;
    Ok(web::Json(saved))
}
