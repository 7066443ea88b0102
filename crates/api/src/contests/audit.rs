use actix_web::{get, web};
use clipjury_service::{Services, contests};
use uuid::Uuid;

use super::dto::AuditEntryDto;
use crate::auth::Admin;
use crate::error::{ApiError, ErrorBody};

/// The audit log of a contest, oldest first.
#[utoipa::path(
    tag = "contests",
    params(("contest_id" = Uuid, Path)),
    responses((status = 200, body = Vec<AuditEntryDto>), (status = 404, body = ErrorBody))
)]
#[get("/api/contests/{contest_id}/audit")]
pub async fn audit_log(
    admin: Admin,
    services: web::Data<Services>,
    path: web::Path<Uuid>,
) -> Result<web::Json<Vec<AuditEntryDto>>, ApiError> {
    let entries = contests::audit_log(&services, &admin.0, path.into_inner()).await?;
    Ok(web::Json(entries))
}
