//! `/healthz` (the process answers) and `/readyz` (database, migrations, media folder).

use actix_web::{HttpResponse, get, web};
use clipjury_service::{Services, health};
use serde::Serialize;
use utoipa::ToSchema;

/// Result of the readiness checks.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReadyResponse {
    /// `ready` or `not-ready`.
    pub status: String,
    /// Failed checks (`database`, `migrations`, `storage`) with details.
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

/// The node can serve: the database answers, migrations are applied and the media folder is writable.
#[utoipa::path(tag = "health", responses((status = 200, body = ReadyResponse), (status = 503, body = ReadyResponse)))]
#[get("/readyz")]
pub async fn readyz(services: web::Data<Services>) -> HttpResponse {
    let failed = health::readiness(&services).await;
    let body = ReadyResponse {
        status: if failed.is_empty() {
            "ready"
        } else {
            "not-ready"
        }
        .to_owned(),
        failed: failed
            .into_iter()
            .map(|f| FailedCheck {
                check: f.check.to_owned(),
                detail: f.detail,
            })
            .collect(),
    };
    if body.failed.is_empty() {
        HttpResponse::Ok().json(body)
    } else {
        tracing::warn!(failed = ?body.failed, "not ready");
        HttpResponse::ServiceUnavailable().json(body)
    }
}

/// Registers the health routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(healthz).service(readyz);
}
