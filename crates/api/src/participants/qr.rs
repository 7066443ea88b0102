use actix_web::http::header;
use actix_web::{HttpResponse, get, web};
use clipjury_service::Services;
use clipjury_service::participants::{self, QrFormat};
use uuid::Uuid;

use crate::auth::Admin;
use crate::error::{ApiError, ErrorBody};

async fn qr(
    admin: Admin,
    services: &Services,
    path: (Uuid, Uuid),
    format: QrFormat,
) -> Result<HttpResponse, ApiError> {
    let bytes = participants::invite_qr(services, &admin.0, path.0, path.1, format).await?;
    let content_type = match format {
        QrFormat::Svg => "image/svg+xml",
        QrFormat::Png => "image/png",
    };
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, content_type))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(bytes))
}

/// The invite link as a QR code (SVG, for printing).
#[utoipa::path(
    tag = "participants",
    params(("contest_id" = Uuid, Path), ("participant_id" = Uuid, Path)),
    responses((status = 200, content_type = "image/svg+xml", body = String), (status = 404, body = ErrorBody))
)]
#[get("/api/contests/{contest_id}/participants/{participant_id}/invite/qr.svg")]
pub async fn invite_qr_svg(
    admin: Admin,
    services: web::Data<Services>,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    qr(admin, &services, path.into_inner(), QrFormat::Svg).await
}

/// The invite link as a QR code (PNG, for chat apps).
#[utoipa::path(
    tag = "participants",
    params(("contest_id" = Uuid, Path), ("participant_id" = Uuid, Path)),
    responses((status = 200, content_type = "image/png", body = Vec<u8>), (status = 404, body = ErrorBody))
)]
#[get("/api/contests/{contest_id}/participants/{participant_id}/invite/qr.png")]
pub async fn invite_qr_png(
    admin: Admin,
    services: web::Data<Services>,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    qr(admin, &services, path.into_inner(), QrFormat::Png).await
}
