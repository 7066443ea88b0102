use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use clipjury_service::{Services, auth::Session};

use super::tus::{EXTENSIONS, VERSION, response};
use crate::auth::MaybeSession;

/// tus discovery: version, extensions, maximum size and checksum algorithms.
#[utoipa::path(
    options,
    path = "/api/uploads",
    tag = "uploads",
    responses((status = 204, description = "Tus-Version, Tus-Extension, Tus-Max-Size, Tus-Checksum-Algorithm headers"))
)]
pub async fn options(session: MaybeSession, services: web::Data<Services>) -> HttpResponse {
    let max = match session.0 {
        Some(Session::Group(group)) => {
            clipjury_service::contests::upload_limit(&services, group.contest_id())
                .await
                .ok()
        }
        _ => None,
    }
    .unwrap_or(services.config().contest_defaults.max_upload_bytes);
    response(StatusCode::NO_CONTENT)
        .insert_header(("Tus-Version", VERSION))
        .insert_header(("Tus-Extension", EXTENSIONS))
        .insert_header(("Tus-Max-Size", max.to_string()))
        .insert_header((
            "Tus-Checksum-Algorithm",
            clipjury_service::uploads::Checksum::SUPPORTED,
        ))
        .finish()
}
