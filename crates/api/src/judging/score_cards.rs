use actix_web::{get, web};
use clipjury_service::{Services, judging};
use uuid::Uuid;

use super::dto::AdminCardDto;
use crate::auth::Admin;
use crate::error::{ApiError, ErrorBody};

/// Every juror's score card with comments and totals (admin only).
#[utoipa::path(
    tag = "judging",
    params(("contest_id" = Uuid, Path)),
    responses((status = 200, body = Vec<AdminCardDto>), (status = 404, body = ErrorBody))
)]
#[get("/api/contests/{contest_id}/scores")]
#[tracing::instrument(skip_all, fields(contest_id = %path))]
pub async fn score_cards(
    admin: Admin,
    services: web::Data<Services>,
    path: web::Path<Uuid>,
) -> Result<web::Json<Vec<AdminCardDto>>, ApiError> {
    let cards = judging::score_cards(&services, &admin.0, path.into_inner()).await?;
    Ok(web::Json(cards))
}
