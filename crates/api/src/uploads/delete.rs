use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use clipjury_service::{Services, uploads};

use super::tus::{TusError, check_version, response};
use crate::auth::GroupMember;

/// tus termination: delete an unfinished upload and its stored bytes.
#[utoipa::path(
    delete,
    path = "/api/uploads/{upload_id}",
    tag = "uploads",
    params(("upload_id" = String, Path), ("Tus-Resumable" = String, Header)),
    responses((status = 204), (status = 404), (status = 409, description = "`upload-complete`"))
)]
pub async fn delete(
    req: HttpRequest,
    group: GroupMember,
    services: web::Data<Services>,
    path: web::Path<String>,
) -> Result<HttpResponse, TusError> {
    check_version(&req)?;
    uploads::terminate(&services, &group.0, &path).await?;
    Ok(response(StatusCode::NO_CONTENT).finish())
}
