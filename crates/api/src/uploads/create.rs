use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use clipjury_domain::error_code::ErrorCode;
use clipjury_service::uploads::{self, Checksum, NewUpload};
use clipjury_service::{ServiceError, Services};

use super::tus::{
    OFFSET_CONTENT_TYPE, TusError, bad_request, check_version, http_date, parse_metadata, response,
    u64_header,
};
use crate::auth::GroupMember;

/// tus creation (and creation-with-upload): declare the length, get the upload URL in `Location`. Every limit is
/// checked here, before any byte is stored. Deferred length is not supported.
#[utoipa::path(
    post,
    path = "/api/uploads",
    tag = "uploads",
    params(
        ("Tus-Resumable" = String, Header, description = "1.0.0"),
        ("Upload-Length" = u64, Header, description = "Total bytes"),
        ("Upload-Metadata" = Option<String>, Header, description = "e.g. `filename <base64>,filetype <base64>`"),
    ),
    responses(
        (status = 201, description = "Created; `Location` is the upload URL, `Upload-Offset` when a body was sent"),
        (status = 400, body = crate::error::ErrorBody, description = "`upload-length-required`, `deferred-length-unsupported`"),
        (status = 403, body = crate::error::ErrorBody, description = "`uploads-closed`"),
        (status = 409, body = crate::error::ErrorBody, description = "`submission-missing`"),
        (status = 412, body = crate::error::ErrorBody, description = "`tus-version-unsupported`"),
        (status = 413, body = crate::error::ErrorBody, description = "`upload-too-large`, `quota-exceeded`"),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn create(
    req: HttpRequest,
    group: GroupMember,
    services: web::Data<Services>,
    body: web::Payload,
) -> Result<HttpResponse, TusError> {
    check_version(&req)?;
    let headers = req.headers();
    if headers.contains_key("upload-defer-length") {
        return Err(bad_request(
            ErrorCode::DeferredLengthUnsupported,
            "send Upload-Length; deferred length is not supported",
        ));
    }
    let length = u64_header(headers, "upload-length")?
        .ok_or_else(|| bad_request(ErrorCode::UploadLengthRequired, "send Upload-Length"))?;
    let metadata = parse_metadata(headers.get("upload-metadata").and_then(|v| v.to_str().ok()))?;
    let created = uploads::create_upload(
        &services,
        &group.0,
        NewUpload {
            contest_id: group.0.contest_id(),
            length,
            metadata,
        },
    )
    .await?;
    let location = format!("/api/uploads/{}", created.id);

    let with_body = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        == Some(OFFSET_CONTENT_TYPE);
    let (offset, expires_at) = if with_body {
        let checksum = headers
            .get("upload-checksum")
            .and_then(|v| v.to_str().ok())
            .map(Checksum::parse)
            .transpose()?;
        match uploads::append(&services, &group.0, &created.id, 0, checksum, body).await {
            Ok(o) => (o.offset, o.expires_at),
            Err(e @ ServiceError::ChecksumMismatch { .. }) => {
                let mut res = actix_web::ResponseError::error_response(&TusError::from(e));
                res.headers_mut().insert(
                    header::LOCATION,
                    header::HeaderValue::from_str(&location)
                        .map_err(|e| TusError::from(ServiceError::Unexpected(e.into())))?,
                );
                return Ok(res);
            }
            Err(e) => {
                // The upload exists; the client resumes from what HEAD reports.
                tracing::info!(error = %e, "creation-with-upload body not fully stored");
                let now = uploads::upload_status(&services, &group.0, &created.id).await?;
                (now.offset, now.expires_at)
            }
        }
    } else {
        (0, created.expires_at)
    };
    Ok(response(StatusCode::CREATED)
        .insert_header((header::LOCATION, location))
        .insert_header(("Upload-Offset", offset.to_string()))
        .insert_header(("Upload-Expires", http_date(expires_at)))
        .finish())
}
