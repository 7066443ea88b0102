//! Cross-site request forgery: a write that authenticates with the session cookie must come from our own pages.
//!
//! SameSite=Lax already keeps the cookie off cross-site POSTs in current browsers; this is the second lock, for
//! older browsers and same-site attackers (another app on a sibling subdomain). A write (any method but GET, HEAD,
//! OPTIONS) that carries the session cookie and no `Authorization` header must
//! - name our origin in `Origin` (the request's own `Host`, or the configured public URL's origin), or, when a
//!   browser sends no `Origin`, say `Sec-Fetch-Site: same-origin`; otherwise 403 `cross-site-request`;
//! - and, when it has a body, send it as JSON, multipart form data, tus bytes (`application/offset+octet-stream`) or
//!   CSV; otherwise 415 `unsupported-media-type`. (HTML forms of another site can only send form-urlencoded or
//!   text/plain without a CORS preflight, which we never grant.)
//!
//! Scripts authenticate with `Authorization: Bearer`, which no other site can make a browser send.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{Method, StatusCode, header};
use actix_web::middleware::Next;
use actix_web::{ResponseError as _, web};
use clipjury_domain::error_code::ErrorCode;

use crate::auth::SESSION_COOKIE;
use crate::error::ApiError;

/// Origins besides the request's own `Host` that count as ours: the public URL's origin.
#[derive(Debug, Clone, Default)]
pub struct OwnOrigins(pub Vec<String>);

const BODY_TYPES: [&str; 5] = [
    "application/json",
    "multipart/form-data",
    "application/offset+octet-stream",
    "text/csv",
    "application/problem+json",
];

/// Refuses cookie-authenticated writes from other origins (see the module documentation).
///
/// # Errors
/// Only those of the wrapped service; refusals are responses.
pub async fn same_origin_writes(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    if let Err(refusal) = check(&req) {
        let res = refusal.error_response();
        return Ok(req.into_response(res).map_into_right_body());
    }
    Ok(next.call(req).await?.map_into_left_body())
}

fn check(req: &ServiceRequest) -> Result<(), ApiError> {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let headers = req.headers();
    if safe || headers.contains_key(header::AUTHORIZATION) || req.cookie(SESSION_COOKIE).is_none() {
        return Ok(());
    }
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let own = req.app_data::<web::Data<OwnOrigins>>();
    let same_origin = match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        Some(origin) => {
            host.is_some_and(|h| origin_host(origin).is_some_and(|o| o.eq_ignore_ascii_case(h)))
                || own.is_some_and(|own| {
                    own.0
                        .iter()
                        .any(|o| o.trim_end_matches('/').eq_ignore_ascii_case(origin))
                })
        }
        None => headers
            .get("sec-fetch-site")
            .is_some_and(|v| v.as_bytes() == b"same-origin"),
    };
    if !same_origin {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            ErrorCode::CrossSiteRequest,
            "this request did not come from clipjury's own pages",
        ));
    }
    let has_body = headers.contains_key(header::TRANSFER_ENCODING)
        || headers
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim() != "0");
    if has_body {
        let mime = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .map(|v| v.trim().to_ascii_lowercase());
        if !mime.is_some_and(|m| BODY_TYPES.contains(&m.as_str())) {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                ErrorCode::UnsupportedMediaType,
                "send the body as JSON, multipart form data, tus bytes or CSV",
            ));
        }
    }
    Ok(())
}

/// `host[:port]` of an origin such as `https://example.org:8443`, without the scheme's default port.
fn origin_host(origin: &str) -> Option<String> {
    let (scheme, rest) = origin.split_once("://")?;
    if rest.contains(['/', '?', '#', '@']) || rest.is_empty() {
        return None;
    }
    let default = match scheme {
        "http" => ":80",
        "https" => ":443",
        _ => return None,
    };
    Some(rest.strip_suffix(default).unwrap_or(rest).to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_lose_their_default_port_and_keep_others() {
        assert_eq!(
            origin_host("https://example.org").as_deref(),
            Some("example.org")
        );
        assert_eq!(
            origin_host("https://example.org:443").as_deref(),
            Some("example.org")
        );
        assert_eq!(
            origin_host("http://192.168.1.20:8080").as_deref(),
            Some("192.168.1.20:8080")
        );
        assert_eq!(origin_host("null"), None);
        assert_eq!(origin_host("http://evil.example/path"), None);
        assert_eq!(origin_host("ftp://example.org"), None);
    }
}
