use actix_web::{HttpResponse, post, web};
use clipjury_service::{Services, contests};
use uuid::Uuid;

use super::dto::{FollowUpRequest, FollowUpResponse};
use crate::auth::Admin;
use crate::error::{ApiError, ErrorBody};

/// Start a follow-up round from a published contest: a new draft contest with the same brief, rubric and jurors
/// (new invites) and the picked groups, who keep their names.
#[utoipa::path(
    tag = "contests",
    params(("contest_id" = Uuid, Path)),
    request_body = FollowUpRequest,
    responses(
        (status = 201, body = FollowUpResponse),
        (status = 400, body = ErrorBody, description = "`follow-up-groups-required`, `group-not-in-contest`"),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "`contest-not-published`"),
    )
)]
#[post("/api/contests/{contest_id}/follow-up")]
#[tracing::instrument(skip_all, fields(contest_id = %path))]
pub async fn create_follow_up(
    admin: Admin,
    services: web::Data<Services>,
    path: web::Path<Uuid>,
    body: web::Json<FollowUpRequest>,
) -> Result<HttpResponse, ApiError> {
    let FollowUpRequest { group_ids, title } = body.into_inner();
    let f = contests::create_follow_up(&services, &admin.0, path.into_inner(), group_ids, title)
        .await?;
    Ok(HttpResponse::Created().json(FollowUpResponse::from(f)))
}
