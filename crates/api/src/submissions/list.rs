use actix_web::{get, web};
use clipjury_service::{Services, submissions};
use uuid::Uuid;

use super::dto::SubmissionDto;
use crate::auth::Admin;
use crate::error::{ApiError, ErrorBody};

/// Every submission of a contest with its upload and processing status (admin dashboard).
#[utoipa::path(
    tag = "submissions",
    params(("contest_id" = Uuid, Path)),
    responses((status = 200, body = Vec<SubmissionDto>), (status = 404, body = ErrorBody))
)]
#[get("/api/contests/{contest_id}/submissions")]
pub async fn list_submissions(
    admin: Admin,
    services: web::Data<Services>,
    path: web::Path<Uuid>,
) -> Result<web::Json<Vec<SubmissionDto>>, ApiError> {
    let list = submissions::list_submissions(&services, &admin.0, path.into_inner()).await?;
    Ok(web::Json(list))
}
