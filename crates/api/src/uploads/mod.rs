//! `/api/uploads`: the tus 1.0.0 resumable upload protocol (core, creation, creation-with-upload, termination,
//! expiration, checksum with sha1 and sha256). Any tus client works; the web app uses tus-js-client.

pub(crate) mod create;
pub(crate) mod delete;
pub(crate) mod head;
pub(crate) mod options;
pub(crate) mod patch;
mod tus;

use actix_web::web;

/// Registers the tus routes. `POST /api/uploads/{id}` honours `X-HTTP-Method-Override` for clients behind proxies
/// that only pass GET and POST.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/api/uploads")
            .route(web::method(actix_web::http::Method::OPTIONS).to(options::options))
            .route(web::post().to(create::create)),
    )
    .service(
        web::resource("/api/uploads/{upload_id}")
            .route(web::method(actix_web::http::Method::OPTIONS).to(options::options))
            .route(web::head().to(head::head))
            .route(web::patch().to(patch::patch))
            .route(web::delete().to(delete::delete))
            .route(web::post().to(patch::method_override)),
    );
}
