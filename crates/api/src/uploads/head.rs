use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use clipjury_service::{Services, uploads};

use super::tus::{TusError, check_version, http_date, response};
use crate::auth::GroupMember;

/// tus HEAD: the current offset, so a client resumes exactly where the server stopped receiving.
#[utoipa::path(
    head,
    path = "/api/uploads/{upload_id}",
    tag = "uploads",
    params(("upload_id" = String, Path), ("Tus-Resumable" = String, Header)),
    responses(
        (status = 200, description = "`Upload-Offset`, `Upload-Length`, `Upload-Expires`; `Cache-Control: no-store`"),
        (status = 404, description = "unknown, or another group's upload"),
        (status = 410, description = "expired"),
    )
)]
pub async fn head(
    req: HttpRequest,
    group: GroupMember,
    services: web::Data<Services>,
    path: web::Path<String>,
) -> Result<HttpResponse, TusError> {
    check_version(&req)?;
    let u = uploads::upload_status(&services, &group.0, &path).await?;
    let mut res = response(StatusCode::OK);
    res.insert_header(("Upload-Offset", u.offset.to_string()))
        .insert_header(("Upload-Length", u.length.to_string()))
        .insert_header((header::CACHE_CONTROL, "no-store"));
    if !u.completed {
        res.insert_header(("Upload-Expires", http_date(u.expires_at)));
    }
    Ok(res.finish())
}
