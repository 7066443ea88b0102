//! The web app's hashed build output under `/assets/`. `npm run build` writes a Brotli (`.br`) and a gzip (`.gz`) copy
//! of every script and style sheet at maximum compression (web/scripts/precompress.mjs); a browser that accepts one
//! gets it as is. On the fly, actix compresses at its fastest level, which sent the group's upload page ~20 % more
//! bytes than gzip -9 and ~35 % more than Brotli. Names change with the content, so browsers may keep them a year.

use std::path::PathBuf;

use actix_files::NamedFile;
use actix_web::http::header::{self, ContentEncoding, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};

/// The folder `/assets/` is served from.
#[derive(Clone)]
pub struct AssetDir(pub PathBuf);

const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// True when `Accept-Encoding` lists `coding` without `q=0`.
fn accepts(req: &HttpRequest, coding: &str) -> bool {
    req.headers()
        .get_all(header::ACCEPT_ENCODING)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|item| {
            let mut parts = item.split(';').map(str::trim);
            parts.next().is_some_and(|c| c.eq_ignore_ascii_case(coding))
                && !parts.any(|p| {
                    p.strip_prefix("q=")
                        .and_then(|q| q.parse::<f32>().ok())
                        .is_some_and(|q| q == 0.0)
                })
        })
}

/// GET/HEAD `/assets/{name}`.
pub async fn asset(
    req: HttpRequest,
    dir: web::Data<AssetDir>,
    name: web::Path<String>,
) -> actix_web::Result<HttpResponse> {
    let name = name.into_inner();
    // One plain file name: no folders, no way up, no hidden files.
    if name.starts_with('.') || name.contains(['/', '\\']) {
        return Ok(HttpResponse::NotFound().finish());
    }
    let plain = dir.0.join(&name);
    let ext = plain.extension().and_then(|e| e.to_str()).unwrap_or("");
    let mime = actix_files::file_extension_to_mime(ext);
    let variants = [
        ("br", ContentEncoding::Brotli),
        ("gz", ContentEncoding::Gzip),
    ];
    for (suffix, encoding) in variants {
        let coding = if suffix == "gz" { "gzip" } else { suffix };
        if !accepts(&req, coding) {
            continue;
        }
        let mut path = plain.clone().into_os_string();
        path.push(format!(".{suffix}"));
        if let Ok(file) = NamedFile::open_async(&path).await {
            let mut res = file
                .set_content_type(mime.clone())
                .set_content_encoding(encoding)
                .into_response(&req);
            finish(&mut res);
            return Ok(res);
        }
    }
    match NamedFile::open_async(&plain).await {
        Ok(file) => {
            let mut res = file.into_response(&req);
            finish(&mut res);
            Ok(res)
        }
        Err(_) => Ok(HttpResponse::NotFound().finish()),
    }
}

fn finish(res: &mut HttpResponse) {
    let headers = res.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE));
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn accept_encoding_is_read_per_coding_with_q_zero_refusing() {
        let req = |v: &str| {
            TestRequest::default()
                .insert_header((header::ACCEPT_ENCODING, v))
                .to_http_request()
        };
        assert!(accepts(&req("gzip, deflate, br, zstd"), "br"));
        assert!(accepts(&req("gzip;q=1.0, br;q=0.5"), "br"));
        assert!(!accepts(&req("gzip, br;q=0"), "br"));
        assert!(!accepts(&req("gzip"), "br"));
        assert!(!accepts(&req("brotli"), "br"));
        assert!(accepts(&req("GZIP"), "gzip"));
        assert!(!accepts(&TestRequest::default().to_http_request(), "gzip"));
    }
}
