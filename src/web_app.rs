//! Serves the built web app (web/dist): static files, and `index.html` for every other non-API path so the app's
//! own router handles deep links such as `/i/{token}`. The public results page gets its link-preview tags here too
//! (see [`crate::link_preview`]), and `/assets/` its precompressed, long-cached files (see [`crate::web_assets`]).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use actix_files::{Files, NamedFile};
use actix_web::dev::{ServiceRequest, ServiceResponse, fn_service};
use actix_web::web;

use crate::link_preview::{Preview, results_page};
use crate::web_assets::{AssetDir, asset};

/// The web app folder and its `index.html`, read once at start.
#[derive(Clone)]
pub struct WebApp {
    dir: PathBuf,
    index: Option<Arc<str>>,
    public_url: Option<String>,
}

impl WebApp {
    /// Reads `dir/index.html`. A missing folder is logged, not an error, so the API still runs from a checkout where
    /// the web app was not built.
    pub fn load(dir: &Path, public_url: Option<String>) -> Self {
        let index = match std::fs::read_to_string(dir.join("index.html")) {
            Ok(html) => Some(Arc::from(html)),
            Err(e) => {
                tracing::warn!(dir = %dir.display(), error = %e, "web app not built (no index.html); serving the API only");
                None
            }
        };
        Self {
            dir: dir.to_owned(),
            index,
            public_url,
        }
    }
}

/// Registers the results page with its preview tags, the static files and the fallback.
pub fn configure(cfg: &mut web::ServiceConfig, app: &WebApp) {
    let Some(index) = app.index.clone() else {
        return;
    };
    cfg.service(
        web::resource("/c/{slug}/results")
            .app_data(web::Data::new(Preview {
                index,
                public_url: app.public_url.clone(),
            }))
            .route(web::get().to(results_page))
            .route(web::head().to(results_page)),
    );
    cfg.service(
        web::resource("/assets/{name}")
            .app_data(web::Data::new(AssetDir(app.dir.join("assets"))))
            .route(web::get().to(asset))
            .route(web::head().to(asset)),
    );
    let index_path = app.dir.join("index.html");
    cfg.service(
        Files::new("/", &app.dir)
            .index_file("index.html")
            .use_etag(true)
            .default_handler(fn_service(move |req: ServiceRequest| {
                let index = index_path.clone();
                async move {
                    let (req, _) = req.into_parts();
                    let file = NamedFile::open_async(&index).await?;
                    let res = file.into_response(&req);
                    Ok(ServiceResponse::new(req, res))
                }
            })),
    );
}
