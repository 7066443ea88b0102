use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpResponse, get, web};
use clipjury_service::{Services, uploads};
use futures_util::TryStreamExt as _;
use uuid::Uuid;

use crate::auth::Admin;
use crate::error::{ApiError, ErrorBody};

/// Download the newest uploaded original of a submission, byte for byte as received.
#[utoipa::path(
    tag = "submissions",
    params(("contest_id" = Uuid, Path), ("submission_id" = Uuid, Path)),
    responses(
        (status = 200, content_type = "application/octet-stream", body = Vec<u8>),
        (status = 404, body = ErrorBody),
        (status = 410, body = ErrorBody, description = "`original-deleted`: removed after publishing (retention setting)"),
    )
)]
#[get("/api/contests/{contest_id}/submissions/{submission_id}/original")]
pub async fn download_original(
    admin: Admin,
    services: web::Data<Services>,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (contest_id, submission_id) = path.into_inner();
    let original =
        uploads::original_of_submission(&services, &admin.0, contest_id, submission_id).await?;
    let filename = original
        .filename
        .unwrap_or_else(|| format!("{submission_id}.bin"));
    let body = original.body.map_err(|e| {
        tracing::error!(error = ?e, "reading an original failed mid-download");
        actix_web::error::ErrorInternalServerError("storage")
    });
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "application/octet-stream"))
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(filename)],
        })
        .no_chunking(original.length)
        .streaming(body))
}
