use actix_web::{post, web};
use clipjury_service::{Services, judging};
use uuid::Uuid;

use super::dto::OwnScoreDto;
use crate::auth::Juror;
use crate::error::{ApiError, ErrorBody};

/// Submit the calling juror's scores for an entry as final (every criterion scored); locks them.
#[utoipa::path(
    tag = "judging",
    params(("contest_id" = Uuid, Path), ("entry_id" = Uuid, Path)),
    responses(
        (status = 200, body = OwnScoreDto),
        (status = 400, body = ErrorBody, description = "`scores-incomplete`"),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "`score-missing`, `score-recused`, `judging-not-open`"),
    )
)]
#[post("/api/contests/{contest_id}/entries/{entry_id}/score/submit")]
#[tracing::instrument(skip_all, fields(contest_id = %path.0, entry_id = %path.1))]
pub async fn submit_score(
    juror: Juror,
    services: web::Data<Services>,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<web::Json<OwnScoreDto>, ApiError> {
    let (contest_id, entry_id) = path.into_inner();
    let card = judging::submit_score(&services, &juror.0, contest_id, entry_id).await?;
    Ok(web::Json(card))
}
