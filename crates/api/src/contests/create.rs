use actix_web::{HttpResponse, post, web};
use clipjury_service::{Services, contests};

use super::dto::{ContestDto, CreateContestRequest};
use crate::auth::Admin;
use crate::error::{ApiError, ErrorBody};

/// Create a contest (in `draft`).
#[utoipa::path(
    tag = "contests",
    request_body = CreateContestRequest,
    responses((status = 201, body = ContestDto), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody))
)]
#[post("/api/contests")]
pub async fn create_contest(
    admin: Admin,
    services: web::Data<Services>,
    body: web::Json<CreateContestRequest>,
) -> Result<HttpResponse, ApiError> {
    let created = contests::create_contest(&services, &admin.0, body.into_inner()).await?;
    Ok(HttpResponse::Created().json(created))
}
