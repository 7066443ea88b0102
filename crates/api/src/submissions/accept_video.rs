use actix_web::{post, web};
use clipjury_service::{Services, submissions};
use uuid::Uuid;

use super::dto::{AcceptVideoRequest, SubmissionDto};
use crate::auth::Admin;
use crate::error::{ApiError, ErrorBody};

/// Accept a video that arrived after judging opened: it becomes the one jurors and the public see. The reason goes
/// into the audit log.
#[utoipa::path(
    tag = "submissions",
    params(("contest_id" = Uuid, Path), ("submission_id" = Uuid, Path)),
    request_body = AcceptVideoRequest,
    responses(
        (status = 200, body = SubmissionDto),
        (status = 400, body = ErrorBody, description = "`reason-required`"),
        (status = 404, body = ErrorBody, description = "`contest-not-found`, `submission-not-found`, `video-not-found`"),
        (status = 409, body = ErrorBody, description = "`video-not-late`"),
    )
)]
#[post("/api/contests/{contest_id}/submissions/{submission_id}/accept-video")]
#[tracing::instrument(skip_all)]
pub async fn accept_video(
    admin: Admin,
    services: web::Data<Services>,
    path: web::Path<(Uuid, Uuid)>,
    body: web::Json<AcceptVideoRequest>,
) -> Result<web::Json<SubmissionDto>, ApiError> {
    let (contest_id, submission_id) = path.into_inner();
    let AcceptVideoRequest { video_id, reason } = body.into_inner();
    let view = submissions::accept_late_video(
        &services,
        &admin.0,
        contest_id,
        submission_id,
        video_id,
        &reason,
    )
    .await?;
    Ok(web::Json(view))
}
