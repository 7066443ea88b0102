use actix_web::{post, web};
use clipjury_service::{Services, judging};
use uuid::Uuid;

use super::dto::{ProgressCellDto, ReasonRequest};
use crate::auth::Admin;
use crate::error::{ApiError, ErrorBody};

/// Reopen a juror's final (or recused) card for an entry, with a logged reason.
#[utoipa::path(
    tag = "judging",
    params(("contest_id" = Uuid, Path), ("entry_id" = Uuid, Path), ("juror_id" = Uuid, Path)),
    request_body = ReasonRequest,
    responses(
        (status = 200, body = ProgressCellDto),
        (status = 400, body = ErrorBody, description = "`reason-required`"),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "`score-not-final`, `judging-not-open`"),
    )
)]
#[post("/api/contests/{contest_id}/entries/{entry_id}/jurors/{juror_id}/reopen")]
#[tracing::instrument(skip_all, fields(contest_id = %path.0, entry_id = %path.1))]
pub async fn reopen(
    admin: Admin,
    services: web::Data<Services>,
    path: web::Path<(Uuid, Uuid, Uuid)>,
    body: web::Json<ReasonRequest>,
) -> Result<web::Json<ProgressCellDto>, ApiError> {
    let (contest_id, entry_id, juror_id) = path.into_inner();
    let p = judging::reopen(
        &services,
        &admin.0,
        contest_id,
        entry_id,
        juror_id,
        &body.reason,
    )
    .await?;
    Ok(web::Json(ProgressCellDto {
        juror_id,
        entry_id,
        progress: p,
    }))
}
