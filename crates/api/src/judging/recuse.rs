use actix_web::{post, web};
use clipjury_service::{Services, judging};
use uuid::Uuid;

use super::dto::{OwnScoreDto, ReasonRequest};
use crate::auth::Juror;
use crate::error::{ApiError, ErrorBody};

/// Recuse from an entry (conflict of interest), with a reason.
#[utoipa::path(
    tag = "judging",
    params(("contest_id" = Uuid, Path), ("entry_id" = Uuid, Path)),
    request_body = ReasonRequest,
    responses(
        (status = 200, body = OwnScoreDto),
        (status = 400, body = ErrorBody, description = "`reason-required`"),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "`score-final`, `judging-not-open`"),
    )
)]
#[post("/api/contests/{contest_id}/entries/{entry_id}/recuse")]
#[tracing::instrument(skip_all, fields(contest_id = %path.0, entry_id = %path.1))]
pub async fn recuse(
    juror: Juror,
    services: web::Data<Services>,
    path: web::Path<(Uuid, Uuid)>,
    body: web::Json<ReasonRequest>,
) -> Result<web::Json<OwnScoreDto>, ApiError> {
    let (contest_id, entry_id) = path.into_inner();
    let card = judging::recuse(&services, &juror.0, contest_id, entry_id, &body.reason).await?;
    Ok(web::Json(card))
}
