use actix_web::http::StatusCode;
use actix_web::{get, web};
use clipjury_domain::error_code::ErrorCode;
use clipjury_service::{Services, submissions};
use uuid::Uuid;

use super::dto::SubmissionDto;
use crate::auth::GroupMember;
use crate::error::{ApiError, ErrorBody};

/// The group's own submission with its processing status.
#[utoipa::path(
    tag = "submissions",
    params(("contest_id" = Uuid, Path)),
    responses((status = 200, body = SubmissionDto), (status = 404, body = ErrorBody, description = "`submission-missing` before the form is saved"))
)]
#[get("/api/contests/{contest_id}/submission")]
pub async fn get_submission(
    group: GroupMember,
    services: web::Data<Services>,
    path: web::Path<Uuid>,
) -> Result<web::Json<SubmissionDto>, ApiError> {
    submissions::get_own_submission(&services, &group.0, path.into_inner())
        .await?
        .map(web::Json)
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::NOT_FOUND,
                ErrorCode::SubmissionMissing,
                "no submission yet; fill in the form",
            )
        })
}
