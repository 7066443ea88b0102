//! tus protocol details shared by the handlers: version check, headers, metadata, errors.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderMap};
use actix_web::{HttpRequest, HttpResponse, HttpResponseBuilder, ResponseError};
use base64::Engine as _;
use chrono::{DateTime, Utc};
use clipjury_domain::error_code::ErrorCode;
use clipjury_service::ServiceError;

use crate::error::ApiError;

pub(crate) const VERSION: &str = "1.0.0";
pub(crate) const EXTENSIONS: &str = "creation,creation-with-upload,termination,expiration,checksum";
pub(crate) const OFFSET_CONTENT_TYPE: &str = "application/offset+octet-stream";

/// An API error that also carries `Tus-Resumable`, as the protocol asks of every response.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub(crate) struct TusError(#[from] pub ApiError);

impl From<ServiceError> for TusError {
    fn from(e: ServiceError) -> Self {
        Self(e.into())
    }
}

impl ResponseError for TusError {
    fn status_code(&self) -> StatusCode {
        self.0.status_code()
    }

    fn error_response(&self) -> HttpResponse {
        let mut res = self.0.error_response();
        res.headers_mut().insert(
            header::HeaderName::from_static("tus-resumable"),
            header::HeaderValue::from_static(VERSION),
        );
        if self.0.code() == ErrorCode::TusVersionUnsupported {
            res.headers_mut().insert(
                header::HeaderName::from_static("tus-version"),
                header::HeaderValue::from_static(VERSION),
            );
        }
        res
    }
}

pub(crate) fn bad_request(code: ErrorCode, message: &str) -> TusError {
    TusError(ApiError::new(StatusCode::BAD_REQUEST, code, message))
}

/// A response builder with `Tus-Resumable` set.
pub(crate) fn response(status: StatusCode) -> HttpResponseBuilder {
    let mut b = HttpResponse::build(status);
    b.insert_header(("Tus-Resumable", VERSION));
    b
}

/// Every request but OPTIONS must name the protocol version we speak (412 otherwise).
pub(crate) fn check_version(req: &HttpRequest) -> Result<(), TusError> {
    match req
        .headers()
        .get("tus-resumable")
        .and_then(|v| v.to_str().ok())
    {
        Some(VERSION) => Ok(()),
        _ => Err(TusError(ApiError::new(
            StatusCode::PRECONDITION_FAILED,
            ErrorCode::TusVersionUnsupported,
            "send Tus-Resumable: 1.0.0",
        ))),
    }
}

/// A non-negative integer header.
pub(crate) fn u64_header(headers: &HeaderMap, name: &str) -> Result<Option<u64>, TusError> {
    match headers.get(name) {
        None => Ok(None),
        Some(v) => v
            .to_str()
            .ok()
            .and_then(|s| s.trim().parse::<u64>().ok())
            .map(Some)
            .ok_or_else(|| {
                bad_request(
                    ErrorCode::InvalidHeader,
                    &format!("{name} must be a non-negative integer"),
                )
            }),
    }
}

/// Most `Upload-Metadata` pairs accepted (tus-js-client sends two to four).
const MAX_METADATA_PAIRS: usize = 32;

/// Parses `Upload-Metadata`: comma-separated `key base64value` pairs (the value may be absent).
pub(crate) fn parse_metadata(raw: Option<&str>) -> Result<Vec<(String, String)>, TusError> {
    let Some(raw) = raw.filter(|r| !r.trim().is_empty()) else {
        return Ok(Vec::new());
    };
    if raw.split(',').count() > MAX_METADATA_PAIRS {
        return Err(bad_request(
            ErrorCode::InvalidMetadata,
            "Upload-Metadata has more than 32 pairs",
        ));
    }
    let mut out = Vec::new();
    for pair in raw.split(',') {
        let mut it = pair.trim().splitn(2, ' ');
        let key = it.next().unwrap_or("").trim();
        if key.is_empty()
            || key.contains(' ')
            || out.iter().any(|(k, _): &(String, String)| k == key)
        {
            return Err(bad_request(
                ErrorCode::InvalidMetadata,
                "Upload-Metadata keys must be unique and non-empty",
            ));
        }
        let value = match it.next().map(str::trim).filter(|v| !v.is_empty()) {
            None => String::new(),
            Some(v) => {
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(v)
                    .map_err(|_| {
                        bad_request(
                            ErrorCode::InvalidMetadata,
                            "Upload-Metadata values must be base64",
                        )
                    })?;
                String::from_utf8_lossy(&bytes).into_owned()
            }
        };
        out.push((key.to_owned(), value));
    }
    Ok(out)
}

/// `Upload-Expires` in the RFC 9110 date format.
pub(crate) fn http_date(t: DateTime<Utc>) -> String {
    t.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn metadata_pairs_decode_and_bad_ones_are_refused() {
        let m = parse_metadata(Some(
            "filename bXkudmlkZW8ubXA0,filetype dmlkZW8vbXA0,is_confidential",
        ))
        .unwrap();
        assert_eq!(m[0], ("filename".into(), "my.video.mp4".into()));
        assert_eq!(m[1], ("filetype".into(), "video/mp4".into()));
        assert_eq!(m[2], ("is_confidential".into(), String::new()));
        assert!(parse_metadata(Some("a !!!")).is_err());
        assert!(parse_metadata(Some("a YQ==,a YQ==")).is_err());
        assert!(parse_metadata(None).unwrap().is_empty());
        let many = (0..33)
            .map(|i| format!("k{i}"))
            .collect::<Vec<_>>()
            .join(",");
        assert!(parse_metadata(Some(&many)).is_err());
    }

    fn b64(s: &str) -> String {
        base64::engine::general_purpose::STANDARD.encode(s)
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(500))]

        /// Whatever a client sends as Upload-Metadata: no panic; what parses has unique, non-empty keys.
        #[test]
        fn any_metadata_header_is_parsed_or_refused(raw in ".{0,300}") {
            if let Ok(pairs) = parse_metadata(Some(&raw)) {
                let mut keys: Vec<&str> = pairs.iter().map(|(k, _)| k.as_str()).collect();
                proptest::prop_assert!(keys.iter().all(|k| !k.is_empty() && !k.contains(' ')));
                keys.sort_unstable();
                keys.dedup();
                proptest::prop_assert_eq!(keys.len(), pairs.len());
            }
        }

        /// Metadata as a tus client writes it comes back exactly.
        #[test]
        fn written_metadata_reads_back(
            pairs in proptest::collection::btree_map("[a-z_]{1,12}", "\\PC{0,40}", 0..8)
        ) {
            let raw = pairs
                .iter()
                .map(|(k, v)| if v.is_empty() { k.clone() } else { format!("{k} {}", b64(v)) })
                .collect::<Vec<_>>()
                .join(",");
            let parsed = parse_metadata(Some(&raw)).unwrap();
            let expected: Vec<(String, String)> = pairs.into_iter().collect();
            proptest::prop_assert_eq!(parsed, expected);
        }

        /// Any value of a number header: no panic, and only plain non-negative integers pass.
        #[test]
        fn number_headers_take_plain_integers_only(raw in "[ -~]{0,30}") {
            let mut headers = HeaderMap::new();
            if let Ok(v) = actix_web::http::header::HeaderValue::from_str(&raw) {
                headers.insert(actix_web::http::header::HeaderName::from_static("upload-offset"), v);
                match u64_header(&headers, "upload-offset") {
                    Ok(Some(n)) => proptest::prop_assert_eq!(raw.trim().parse::<u64>().ok(), Some(n)),
                    Ok(None) => proptest::prop_assert!(false, "a present header read as absent"),
                    Err(_) => proptest::prop_assert!(raw.trim().parse::<u64>().is_err()),
                }
            }
        }
    }
}
