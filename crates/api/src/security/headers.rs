//! Security headers on every response.
//!
//! - Everything: `X-Content-Type-Options: nosniff`, `Referrer-Policy: same-origin`, and HSTS when the public URL is
//!   https.
//! - HTML pages of the web app: a Content-Security-Policy with no inline script and no other origin (but the media
//!   bucket when files are delivered by presigned URL), `frame-ancestors 'none'` and `X-Frame-Options: DENY`, so no
//!   other site can frame the admin console and clickjack "publish". The public results page is the exception: it
//!   may be embedded (organisers put it on their own sites).
//! - `/api/docs` (a developer page from utoipa-scalar, which loads its script from a CDN): a policy of its own.
//! - Everything else (JSON, media, assets): `default-src 'none'; sandbox`, so an uploaded file opened directly can
//!   never run as a page.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::web;

/// What the headers depend on, from configuration.
#[derive(Debug, Clone)]
pub struct SecurityHeaders {
    /// Send `Strict-Transport-Security` (the public URL is https).
    pub hsts: bool,
    /// Other origins media may come from (the S3 endpoint when presigned delivery is on), e.g.
    /// `https://bucket.s3.eu-west-1.amazonaws.com`.
    pub media_origins: Vec<String>,
}

impl SecurityHeaders {
    fn page_policy(&self, embeddable: bool) -> String {
        let media = self
            .media_origins
            .iter()
            .map(|o| format!(" {o}"))
            .collect::<String>();
        let ancestors = if embeddable { "*" } else { "'none'" };
        format!(
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:{media}; \
             media-src 'self' blob:{media}; font-src 'self'; connect-src 'self'; object-src 'none'; \
             base-uri 'none'; form-action 'self'; frame-ancestors {ancestors}"
        )
    }
}

const DOCS_POLICY: &str = "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; \
     style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net https://fonts.googleapis.com; \
     font-src 'self' data: https://fonts.gstatic.com https://cdn.jsdelivr.net; img-src 'self' data: https:; \
     connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
const RESOURCE_POLICY: &str = "default-src 'none'; frame-ancestors 'none'; sandbox";

/// Adds the headers to every response (see the module documentation).
///
/// # Errors
/// Only those of the wrapped service.
pub async fn security_headers(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let config = req.app_data::<web::Data<SecurityHeaders>>().cloned();
    let path = req.path().to_owned();
    let mut res = next.call(req).await?;
    let Some(config) = config else {
        return Ok(res);
    };
    let html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let h = res.headers_mut();
    set(h, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(h, header::REFERRER_POLICY, "same-origin");
    if config.hsts {
        set(h, header::STRICT_TRANSPORT_SECURITY, "max-age=31536000");
    }
    if path == "/api/docs" || path.starts_with("/api/docs/") {
        set(h, header::CONTENT_SECURITY_POLICY, DOCS_POLICY);
        set(h, header::X_FRAME_OPTIONS, "DENY");
    } else if html {
        let embeddable = is_results_page(&path);
        if let Ok(v) = HeaderValue::from_str(&config.page_policy(embeddable)) {
            h.insert(header::CONTENT_SECURITY_POLICY, v);
        }
        if !embeddable {
            set(h, header::X_FRAME_OPTIONS, "DENY");
        }
    } else {
        set(h, header::CONTENT_SECURITY_POLICY, RESOURCE_POLICY);
    }
    Ok(res)
}

fn set(h: &mut HeaderMap, name: HeaderName, value: &'static str) {
    h.insert(name, HeaderValue::from_static(value));
}

/// `/c/{slug}/results`, the public results page.
fn is_results_page(path: &str) -> bool {
    path.strip_prefix("/c/")
        .and_then(|rest| rest.strip_suffix("/results"))
        .is_some_and(|slug| !slug.is_empty() && !slug.contains('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_results_page_may_be_framed() {
        assert!(is_results_page("/c/workshop-2026/results"));
        assert!(!is_results_page("/c//results"));
        assert!(!is_results_page("/c/a/b/results"));
        assert!(!is_results_page("/admin/contests"));
        let c = SecurityHeaders {
            hsts: false,
            media_origins: vec!["https://b.s3.example.org".into()],
        };
        assert!(c.page_policy(false).contains("frame-ancestors 'none'"));
        assert!(c.page_policy(true).contains("frame-ancestors *"));
        assert!(
            c.page_policy(false)
                .contains("media-src 'self' blob: https://b.s3.example.org")
        );
        assert!(!c.page_policy(false).contains("unsafe-inline"));
    }
}
