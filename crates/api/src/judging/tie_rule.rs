use actix_web::{put, web};
use clipjury_service::{Services, judging};
use uuid::Uuid;

use super::dto::TieRuleRequest;
use crate::auth::Admin;
use crate::contests::ContestDto;
use crate::error::{ApiError, ErrorBody};

/// Replace the contest's tie rule (until judging opens).
#[utoipa::path(
    tag = "judging",
    params(("contest_id" = Uuid, Path)),
    request_body = TieRuleRequest,
    responses(
        (status = 200, body = ContestDto),
        (status = 400, body = ErrorBody, description = "`tie-rule-invalid`"),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "`contest-locked`"),
    )
)]
#[put("/api/contests/{contest_id}/tie-rule")]
#[tracing::instrument(skip_all, fields(contest_id = %path))]
pub async fn set_tie_rule(
    admin: Admin,
    services: web::Data<Services>,
    path: web::Path<Uuid>,
    body: web::Json<TieRuleRequest>,
) -> Result<web::Json<ContestDto>, ApiError> {
    let c = judging::set_tie_rule(
        &services,
        &admin.0,
        path.into_inner(),
        body.into_inner().tie_rule,
    )
    .await?;
    Ok(web::Json(c))
}
