//! `/healthz` (the process answers) and `/readyz` (database, migrations, media folder).

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, web};
use clipjury_service::auth::Session;
use clipjury_service::{Services, health};

use crate::auth::MaybeSession;
use serde::Serialize;
use utoipa::ToSchema;

/// Result of the readiness checks.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReadyResponse {
    /// `ready` or `not-ready`.
    pub status: String,
    /// Failed checks (`database`, `migrations`, `storage`) with details; only for an admin or a client on the
    /// loopback address (a local probe), empty for everyone else.
    pub failed: Vec<FailedCheck>,
}

/// One failed check.
#[derive(Debug, Serialize, ToSchema)]
pub struct FailedCheck {
    pub check: String,
    pub detail: String,
}

/// The process is up.
#[utoipa::path(tag = "health", responses((status = 200, body = String)))]
#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain").body("ok")
}

/// The node can serve: the database answers, migrations are applied and the media folder is writable. Which check
/// failed, and why, is told to admins and local probes only.
#[utoipa::path(tag = "health", responses((status = 200, body = ReadyResponse), (status = 503, body = ReadyResponse)))]
#[get("/readyz")]
pub async fn readyz(
    req: HttpRequest,
    session: Option<MaybeSession>,
    services: web::Data<Services>,
) -> HttpResponse {
    let failed = health::readiness(&services).await;
    let ready = failed.is_empty();
    if !ready {
        tracing::warn!(failed = ?failed, "not ready");
    }
    let admin = matches!(session.and_then(|s| s.0), Some(Session::Admin(_)));
    let local = req.peer_addr().is_some_and(|a| a.ip().is_loopback())
        && !req.headers().contains_key(header::FORWARDED)
        && !req.headers().contains_key("x-forwarded-for");
    let failed = if admin || local { failed } else { Vec::new() };
    let body = ReadyResponse {
        status: if ready { "ready" } else { "not-ready" }.to_owned(),
        failed: failed
            .into_iter()
            .map(|f| FailedCheck {
                check: f.check.to_owned(),
                detail: f.detail,
            })
            .collect(),
    };
    let mut res = if ready {
        HttpResponse::Ok()
    } else {
        HttpResponse::ServiceUnavailable()
    };
    res.insert_header((header::CACHE_CONTROL, "no-store"))
        .json(body)
}

/// Registers the health routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(healthz).service(readyz);
}
