use actix_web::{post, web};
use clipjury_service::{Services, judging};
use uuid::Uuid;

use super::dto::{ConfirmRequest, ConfirmedDto};
use crate::auth::Admin;
use crate::error::{ApiError, ErrorBody};

/// Confirm places 1–3 (and honourable mentions) as the contest's frozen result; the contest must be closed.
#[utoipa::path(
    tag = "judging",
    params(("contest_id" = Uuid, Path)),
    request_body = ConfirmRequest,
    responses(
        (status = 200, body = ConfirmedDto),
        (status = 400, body = ErrorBody, description = "`honourable-mention-invalid`"),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "`contest-not-closed`, `unresolved-top3-tie`"),
    )
)]
#[post("/api/contests/{contest_id}/results/confirm")]
#[tracing::instrument(skip_all, fields(contest_id = %path))]
pub async fn confirm_results(
    admin: Admin,
    services: web::Data<Services>,
    path: web::Path<Uuid>,
    body: web::Json<ConfirmRequest>,
) -> Result<web::Json<ConfirmedDto>, ApiError> {
    let c = judging::confirm_results(
        &services,
        &admin.0,
        path.into_inner(),
        body.into_inner().honourable_mentions,
    )
    .await?;
    Ok(web::Json(c.into()))
}
