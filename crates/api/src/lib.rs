//! clipjury's HTTP API: actix-web handlers grouped by resource, session extractors, DTOs, the error shape and the
//! OpenAPI document. Nothing below this crate knows about HTTP.

pub mod auth;
pub mod contests;
pub mod error;
pub mod health;
pub mod invites;
pub mod judging;
pub mod metrics;
mod multipart;
pub mod openapi;
pub mod participants;
pub mod room;
pub mod security;
pub mod submissions;
pub mod uploads;
pub mod videos;

use actix_web::web;

/// Registers every API route, the extractor error handlers and a JSON 404 for unknown `/api` paths.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.app_data(error::json_config())
        .app_data(error::query_config())
        .app_data(error::path_config())
        .configure(health::configure)
        .configure(metrics::configure)
        .configure(openapi::configure)
        .configure(auth::configure)
        .configure(contests::configure)
        .configure(participants::configure)
        .configure(room::configure)
        .configure(invites::configure)
        .configure(submissions::configure)
        .configure(judging::configure)
        .configure(uploads::configure)
        .configure(videos::configure)
        .service(web::scope("/api").default_service(web::to(error::route_not_found)));
}
