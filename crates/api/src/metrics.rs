//! `/metrics`: Prometheus/OpenMetrics text for a scraper, never for the public.
//!
//! Who may read it: with a configured token, any client that sends `Authorization: Bearer <token>`; without one,
//! only a client connecting from the loopback address with no `Forwarded`/`X-Forwarded-For` header (a scraper on
//! the same host, not visitors arriving through a reverse proxy on that host). The figures hold no personal data
//! (route patterns, never concrete paths), but request and queue counts are still nobody else's business.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use clipjury_domain::error_code::ErrorCode;
use clipjury_service::Services;

use crate::error::ApiError;

/// The bearer token that opens `/metrics` (`server.metrics_token`), if any.
#[derive(Clone, Default)]
pub struct MetricsAccess {
    token: Option<String>,
}

impl MetricsAccess {
    /// Access with `token`, or loopback-only when `None` or empty.
    #[must_use]
    pub fn new(token: Option<String>) -> Self {
        Self {
            token: token.filter(|t| !t.is_empty()),
        }
    }

    fn allows(&self, req: &HttpRequest) -> bool {
        match &self.token {
            Some(token) => req
                .headers()
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "))
                .is_some_and(|given| same(given.trim().as_bytes(), token.as_bytes())),
            None => {
                let proxied = req.headers().contains_key(header::FORWARDED)
                    || req.headers().contains_key("x-forwarded-for");
                !proxied && req.peer_addr().is_some_and(|a| a.ip().is_loopback())
            }
        }
    }
}

impl std::fmt::Debug for MetricsAccess {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.token.is_some() {
            "MetricsAccess(token)"
        } else {
            "MetricsAccess(loopback)"
        })
    }
}

/// Compares without stopping at the first difference, so timing does not reveal the token.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The metrics of this process, with the shared job queue's counts.
pub async fn metrics(
    req: HttpRequest,
    access: web::Data<MetricsAccess>,
    services: web::Data<Services>,
) -> Result<HttpResponse, ApiError> {
    if !access.allows(&req) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            ErrorCode::MetricsForbidden,
            "metrics are only for the configured scraper (a bearer token, or loopback when no token is set)",
        ));
    }
    let text = clipjury_service::metrics::render(&services).await?;
    Ok(HttpResponse::Ok()
        .content_type("application/openmetrics-text; version=1.0.0; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(text))
}

/// Registers `/metrics`. The app must provide [`MetricsAccess`] as app data.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/metrics").route(web::get().to(metrics)));
}

#[cfg(test)]
mod tests {
    use super::same;

    #[test]
    fn tokens_compare_exactly() {
        assert!(same(b"abc", b"abc"));
        assert!(!same(b"abc", b"abd"));
        assert!(!same(b"abc", b"abcd"));
    }
}
