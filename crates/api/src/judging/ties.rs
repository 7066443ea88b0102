use actix_web::{post, web};
use clipjury_service::{Services, judging};
use uuid::Uuid;

use super::dto::{ResultsDto, TieDecisionRequest};
use crate::auth::Admin;
use crate::error::{ApiError, ErrorBody};

/// Decide the order of a tie the tie rule left, with a reason.
#[utoipa::path(
    tag = "judging",
    params(("contest_id" = Uuid, Path)),
    request_body = TieDecisionRequest,
    responses(
        (status = 200, body = ResultsDto),
        (status = 400, body = ErrorBody, description = "`reason-required`, `tie-decision-not-a-tie`, `tie-decision-mismatch`"),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "`contest-locked`"),
    )
)]
#[post("/api/contests/{contest_id}/results/ties")]
#[tracing::instrument(skip_all, fields(contest_id = %path))]
pub async fn decide_tie(
    admin: Admin,
    services: web::Data<Services>,
    path: web::Path<Uuid>,
    body: web::Json<TieDecisionRequest>,
) -> Result<web::Json<ResultsDto>, ApiError> {
    let TieDecisionRequest { order, reason } = body.into_inner();
    let r = judging::decide_tie(&services, &admin.0, path.into_inner(), order, &reason).await?;
    Ok(web::Json(r.into()))
}
