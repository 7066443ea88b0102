use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, get, put, web};
use clipjury_domain::error_code::ErrorCode;
use clipjury_service::Services;
use clipjury_service::submissions::{self, ConsentPhoto};
use futures_util::TryStreamExt as _;
use uuid::Uuid;

use super::dto::SubmissionDto;
use crate::auth::{Admin, GroupMember};
use crate::error::{ApiError, ErrorBody};
use crate::multipart::{self, Form};

/// Upload (or replace) a photo of the signed consent form: `multipart/form-data`, field `photo`, JPEG/PNG/WebP/HEIC,
/// at most 10 MB. Optional; consent itself is the form's `consent_confirmed`.
#[utoipa::path(
    tag = "submissions",
    params(("contest_id" = Uuid, Path)),
    request_body(content_type = "multipart/form-data", content = Vec<u8>, description = "field `photo`"),
    responses(
        (status = 200, body = SubmissionDto),
        (status = 400, body = ErrorBody, description = "`consent-photo-not-an-image`, `photo-field-missing`"),
        (status = 409, body = ErrorBody, description = "`submission-missing`"),
        (status = 413, body = ErrorBody, description = "`consent-photo-too-large`"),
    )
)]
#[put("/api/contests/{contest_id}/submission/consent-photo")]
pub async fn upload_consent_photo(
    req: HttpRequest,
    group: GroupMember,
    services: web::Data<Services>,
    path: web::Path<Uuid>,
    body: web::Payload,
) -> Result<web::Json<SubmissionDto>, ApiError> {
    multipart::check_content_type(&req)?;
    let mut form = Form::new(req.headers(), body);
    while let Some(part) = form.next_part().await? {
        if part.name == "photo" {
            let saved = submissions::save_consent_photo(
                &services,
                &group.0,
                path.into_inner(),
                form.part_body(),
            )
            .await?;
            return Ok(web::Json(saved));
        }
    }
    Err(ApiError::new(
        StatusCode::BAD_REQUEST,
        ErrorCode::PhotoFieldMissing,
        "send the photo in a form field named 'photo'",
    ))
}

fn photo_response(photo: ConsentPhoto) -> HttpResponse {
    let body = photo.body.map_err(|e| {
        tracing::error!(error = ?e, "reading a consent photo failed mid-response");
        actix_web::error::ErrorInternalServerError("storage")
    });
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, photo.content_type))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .no_chunking(photo.length)
        .streaming(body)
}

/// The group's own consent photo.
#[utoipa::path(
    tag = "submissions",
    params(("contest_id" = Uuid, Path)),
    responses((status = 200, content_type = "image/jpeg", body = Vec<u8>), (status = 404, body = ErrorBody))
)]
#[get("/api/contests/{contest_id}/submission/consent-photo")]
pub async fn own_consent_photo(
    group: GroupMember,
    services: web::Data<Services>,
    path: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    Ok(photo_response(
        submissions::own_consent_photo(&services, &group.0, path.into_inner()).await?,
    ))
}

/// A submission's consent photo, for the contest's admin.
#[utoipa::path(
    tag = "submissions",
    params(("contest_id" = Uuid, Path), ("submission_id" = Uuid, Path)),
    responses((status = 200, content_type = "image/jpeg", body = Vec<u8>), (status = 404, body = ErrorBody))
)]
#[get("/api/contests/{contest_id}/submissions/{submission_id}/consent-photo")]
pub async fn submission_consent_photo(
    admin: Admin,
    services: web::Data<Services>,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (contest_id, submission_id) = path.into_inner();
    Ok(photo_response(
        submissions::consent_photo(&services, &admin.0, contest_id, submission_id).await?,
    ))
}
