//! Serves the built web app (web/dist): static files, and `index.html` for every other non-API path so the app's
//! own router handles deep links such as `/i/{token}`.

use std::path::{Path, PathBuf};

use actix_files::{Files, NamedFile};
use actix_web::dev::{ServiceRequest, ServiceResponse, fn_service};
use actix_web::web;

/// Registers the static files and the fallback. Does nothing (with a warning) when the folder is missing, so the
/// API still runs from a checkout where the web app was not built.
pub fn configure(cfg: &mut web::ServiceConfig, dir: &Path) {
    let index = dir.join("index.html");
    if !index.is_file() {
        tracing::warn!(dir = %dir.display(), "web app not built (no index.html); serving the API only");
        return;
    }
    let index: PathBuf = index;
    cfg.service(
        Files::new("/", dir)
            .index_file("index.html")
            .use_etag(true)
            .default_handler(fn_service(move |req: ServiceRequest| {
                let index = index.clone();
                async move {
                    let (req, _) = req.into_parts();
                    let file = NamedFile::open_async(&index).await?;
                    let res = file.into_response(&req);
                    Ok(ServiceResponse::new(req, res))
                }
            })),
    );
}
