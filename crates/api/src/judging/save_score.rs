use actix_web::{put, web};
use clipjury_service::{Services, judging};
use uuid::Uuid;

use super::dto::{OwnScoreDto, ScoreRequest};
use crate::auth::Juror;
use crate::error::{ApiError, ErrorBody};

/// Save the calling juror's draft for an entry (idempotent, for autosave).
#[utoipa::path(
    tag = "judging",
    params(("contest_id" = Uuid, Path), ("entry_id" = Uuid, Path)),
    request_body = ScoreRequest,
    responses(
        (status = 200, body = OwnScoreDto),
        (status = 400, body = ErrorBody, description = "`score-out-of-range`, `score-off-step`, `criterion-unknown`"),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "`stale-version`, `score-final`, `score-recused`, `judging-not-open`, `judging-deadline-passed`"),
    )
)]
#[put("/api/contests/{contest_id}/entries/{entry_id}/score")]
#[tracing::instrument(skip_all, fields(contest_id = %path.0, entry_id = %path.1))]
pub async fn save_score(
    juror: Juror,
    services: web::Data<Services>,
    path: web::Path<(Uuid, Uuid)>,
    body: web::Json<ScoreRequest>,
) -> Result<web::Json<OwnScoreDto>, ApiError> {
    let (contest_id, entry_id) = path.into_inner();
    let card =
        judging::save_score(&services, &juror.0, contest_id, entry_id, body.into_inner()).await?;
    Ok(web::Json(card))
}
