use actix_web::{get, web};
use clipjury_service::{Services, judging};
use uuid::Uuid;

use super::dto::FeedbackDto;
use crate::auth::ContestGroup;
use crate::error::{ApiError, ErrorBody};

/// The calling group's place and the jurors' feedback, after publishing (no juror names, no private comments).
#[utoipa::path(
    tag = "judging",
    params(("contest_id" = Uuid, Path)),
    responses(
        (status = 200, body = FeedbackDto),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "`results-not-published`"),
    )
)]
#[get("/api/contests/{contest_id}/submission/feedback")]
#[tracing::instrument(skip_all, fields(contest_id = %path))]
pub async fn group_feedback(
    group: ContestGroup,
    services: web::Data<Services>,
    path: web::Path<Uuid>,
) -> Result<web::Json<FeedbackDto>, ApiError> {
    let f = judging::group_feedback(&services, &group.0, path.into_inner()).await?;
    Ok(web::Json(f))
}
