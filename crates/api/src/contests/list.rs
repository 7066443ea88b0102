use actix_web::{get, web};
use clipjury_service::{Services, contests};

use super::dto::ContestDto;
use crate::auth::Admin;
use crate::error::{ApiError, ErrorBody};

/// The contests of the signed-in admin, newest first.
#[utoipa::path(tag = "contests", responses((status = 200, body = Vec<ContestDto>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
#[get("/api/contests")]
pub async fn list_contests(
    admin: Admin,
    services: web::Data<Services>,
) -> Result<web::Json<Vec<ContestDto>>, ApiError> {
    let list = contests::list_contests(&services, &admin.0).await?;
    Ok(web::Json(list))
}
