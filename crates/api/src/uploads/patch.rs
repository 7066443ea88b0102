use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use clipjury_domain::error_code::ErrorCode;
use clipjury_service::Services;
use clipjury_service::uploads::{self, Checksum};

use super::tus::{
    OFFSET_CONTENT_TYPE, TusError, bad_request, check_version, http_date, response, u64_header,
};
use crate::auth::GroupMember;
use crate::error::ApiError;

/// tus PATCH: append the body at `Upload-Offset`. The body streams to storage; if the connection drops, the bytes
/// received so far are kept and the next HEAD reports them.
#[utoipa::path(
    patch,
    path = "/api/uploads/{upload_id}",
    tag = "uploads",
    params(
        ("upload_id" = String, Path),
        ("Tus-Resumable" = String, Header),
        ("Upload-Offset" = u64, Header),
        ("Upload-Checksum" = Option<String>, Header, description = "`sha1 <base64>` or `sha256 <base64>`"),
    ),
    request_body(content_type = "application/offset+octet-stream", content = Vec<u8>),
    responses(
        (status = 204, description = "Stored; `Upload-Offset` is the new offset"),
        (status = 403, description = "`uploads-closed`"),
        (status = 404, description = "unknown, or another group's upload"),
        (status = 409, description = "`offset-mismatch`, `upload-locked`"),
        (status = 410, description = "expired"),
        (status = 413, description = "more bytes than Upload-Length"),
        (status = 415, description = "wrong Content-Type"),
        (status = 460, description = "checksum mismatch"),
    )
)]
#[tracing::instrument(skip_all, fields(upload_id = %path))]
pub async fn patch(
    req: HttpRequest,
    group: GroupMember,
    services: web::Data<Services>,
    path: web::Path<String>,
    body: web::Payload,
) -> Result<HttpResponse, TusError> {
    check_version(&req)?;
    let headers = req.headers();
    if headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        != Some(OFFSET_CONTENT_TYPE)
    {
        return Err(TusError(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::UnsupportedMediaType,
            "send Content-Type: application/offset+octet-stream",
        )));
    }
    let offset = u64_header(headers, "upload-offset")?
        .ok_or_else(|| bad_request(ErrorCode::UploadOffsetRequired, "send Upload-Offset"))?;
    let checksum = headers
        .get("upload-checksum")
        .and_then(|v| v.to_str().ok())
        .map(Checksum::parse)
        .transpose()?;
    let out = uploads::append(&services, &group.0, &path, offset, checksum, body).await?;
    let mut res = response(StatusCode::NO_CONTENT);
    res.insert_header(("Upload-Offset", out.offset.to_string()));
    if !out.completed {
        res.insert_header(("Upload-Expires", http_date(out.expires_at)));
    }
    Ok(res.finish())
}

/// `POST` with `X-HTTP-Method-Override: PATCH | DELETE | HEAD`, for networks that only pass GET and POST.
pub async fn method_override(
    req: HttpRequest,
    group: GroupMember,
    services: web::Data<Services>,
    path: web::Path<String>,
    body: web::Payload,
) -> Result<HttpResponse, TusError> {
    match req
        .headers()
        .get("x-http-method-override")
        .and_then(|v| v.to_str().ok())
    {
        Some("PATCH") => patch(req, group, services, path, body).await,
        Some("DELETE") => super::delete::delete(req, group, services, path).await,
        Some("HEAD") => super::head::head(req, group, services, path).await,
        _ => Err(TusError(ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            ErrorCode::MethodNotAllowed,
            "use PATCH, HEAD or DELETE",
        ))),
    }
}
