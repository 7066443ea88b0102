//! Building and running the app: database, services, HTTP server.

use std::net::TcpListener;

use actix_web::dev::Server;
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::{App, HttpMessage as _, HttpServer, middleware, web};
use anyhow::Context as _;
use clipjury_api::auth::CookieSecure;
use clipjury_db::{ConnectSettings, Database};
use clipjury_service::{ContestDefaults, ServiceConfig, Services};
use tracing_actix_web::{RequestId, TracingLogger};

use crate::config::Settings;

/// Opens the database and applies migrations.
///
/// # Errors
/// When the database cannot be reached or a migration fails.
pub async fn open_database(settings: &Settings) -> anyhow::Result<Database> {
    let db = clipjury_db::connect(&ConnectSettings {
        url: settings.database.url.clone(),
        max_connections: settings.database.max_connections,
    })
    .await
    .context("connecting to the database")?;
    clipjury_db::migrate(&db)
        .await
        .context("applying migrations")?;
    Ok(db)
}

/// Builds the use-case layer on an open database.
///
/// # Errors
/// When the media folder cannot be created or the session secret cannot be loaded.
pub async fn build_services(settings: &Settings, db: Database) -> anyhow::Result<Services> {
    std::fs::create_dir_all(&settings.media.dir)
        .with_context(|| format!("creating the media folder {}", settings.media.dir.display()))?;
    let c = settings.contest_defaults;
    let config = ServiceConfig {
        public_url: settings.public_url(),
        jwt_secret: settings.auth.jwt_secret.clone(),
        admin_session_hours: settings.auth.admin_session_hours,
        participant_session_hours: settings.auth.participant_session_hours,
        invite_valid_days: settings.auth.invite_valid_days,
        login_attempts_per_minute: settings.auth.login_attempts_per_minute,
        contest_defaults: ContestDefaults {
            max_duration_seconds: c.max_duration_seconds,
            duration_tolerance_seconds: c.duration_tolerance_seconds,
            max_upload_bytes: c.max_upload_bytes,
        },
        media_dir: settings.media.dir.clone(),
        uploads: clipjury_service::UploadRules {
            expiry_hours: settings.uploads.expiry_hours,
            deadline_grace_minutes: settings.uploads.deadline_grace_minutes,
            group_quota_bytes: settings.uploads.group_quota_bytes,
        },
        presign_seconds: settings.storage.presign_seconds,
        delete_originals_after_publish: settings.media.delete_originals_after_publish,
    };
    let storage = crate::storage::open(settings)?;
    Ok(Services::new(db, storage, config).await?)
}

/// A bound, not yet running HTTP server.
pub struct Application {
    port: u16,
    server: Server,
    services: Services,
}

impl Application {
    /// Opens the database, migrates, binds the listener (port 0 picks a free port).
    ///
    /// # Errors
    /// When the database, the media folder or the address is unusable.
    pub async fn build(settings: &Settings) -> anyhow::Result<Self> {
        let db = open_database(settings).await?;
        let services = build_services(settings, db).await?;
        let listener = TcpListener::bind(&settings.server.listen)
            .with_context(|| format!("binding {}", settings.server.listen))?;
        let port = listener.local_addr()?.port();
        let server = http_server(listener, services.clone(), settings)?;
        Ok(Self {
            port,
            server,
            services,
        })
    }

    /// The port the server listens on.
    #[must_use]
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The services the server runs on (tests use them to inspect state).
    #[must_use]
    pub fn services(&self) -> &Services {
        &self.services
    }

    /// Serves until the process is asked to stop.
    ///
    /// # Errors
    /// When the server fails.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

fn http_server(
    listener: TcpListener,
    services: Services,
    settings: &Settings,
) -> anyhow::Result<Server> {
    let services = web::Data::new(services);
    let secure = web::Data::new(CookieSecure(settings.server.cookie_secure));
    let web_app =
        crate::web_app::WebApp::load(&settings.server.web_dir, settings.server.public_url.clone());
    let metrics_access = web::Data::new(metrics_access(settings));
    let server = HttpServer::new(move || {
        App::new()
            .wrap(middleware::from_fn(request_id_header))
            .wrap(middleware::from_fn(count_request))
            .wrap(TracingLogger::default())
            .wrap(middleware::Compress::default())
            .app_data(services.clone())
            .app_data(secure.clone())
            .app_data(metrics_access.clone())
            .configure(clipjury_api::configure)
            .configure(|cfg| crate::web_app::configure(cfg, &web_app))
    })
    .listen(listener)?
    .run();
    Ok(server)
}

/// The small HTTP server of a `clipjury worker`: `/metrics` and `/healthz` only. It stops with the process (signals
/// are left to the worker, which releases its job first).
///
/// # Errors
/// When the address cannot be bound.
pub fn metrics_server(
    listen: &str,
    services: Services,
    settings: &Settings,
) -> anyhow::Result<Server> {
    let services = web::Data::new(services);
    let access = web::Data::new(metrics_access(settings));
    let server = HttpServer::new(move || {
        App::new()
            .app_data(services.clone())
            .app_data(access.clone())
            .service(clipjury_api::health::healthz)
            .configure(clipjury_api::metrics::configure)
    })
    .disable_signals()
    .workers(1)
    .bind(listen)
    .with_context(|| format!("binding {listen} for worker metrics"))?
    .run();
    Ok(server)
}

/// Who may read `/metrics`, from `server.metrics_token`.
#[must_use]
pub fn metrics_access(settings: &Settings) -> clipjury_api::metrics::MetricsAccess {
    use secrecy::ExposeSecret as _;
    clipjury_api::metrics::MetricsAccess::new(
        settings
            .server
            .metrics_token
            .as_ref()
            .map(|t| t.expose_secret().to_owned()),
    )
}

/// Counts the answered request by route pattern (`/api/contests/{contest_id}`), never by concrete path.
async fn count_request(
    req: actix_web::dev::ServiceRequest,
    next: middleware::Next<impl actix_web::body::MessageBody>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    let services = req.app_data::<web::Data<Services>>().cloned();
    let method = req.method().as_str().to_owned();
    let res = next.call(req).await?;
    if let Some(services) = services {
        let route = res
            .request()
            .match_pattern()
            .unwrap_or_else(|| "other".to_owned());
        services
            .metrics()
            .record_request(clipjury_service::metrics::RequestLabels {
                route,
                method,
                status: res.status().as_u16(),
            });
    }
    Ok(res)
}

/// Echoes the request id that tracing-actix-web gave this request, so a user's report can be matched to log lines.
async fn request_id_header(
    req: actix_web::dev::ServiceRequest,
    next: middleware::Next<impl actix_web::body::MessageBody>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    let id: Option<String> = req.extensions().get::<RequestId>().map(ToString::to_string);
    let mut res = next.call(req).await?;
    if let Some(value) = id.and_then(|id| HeaderValue::from_str(&id).ok()) {
        res.headers_mut()
            .insert(HeaderName::from_static("x-request-id"), value);
    }
    Ok(res)
}

/// Deletes expired partial uploads every `interval`, for as long as the process runs.
pub fn spawn_upload_cleanup(services: Services, interval: std::time::Duration) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(interval);
        loop {
            tick.tick().await;
            match clipjury_service::uploads::delete_expired(&services).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(deleted = n, "expired uploads removed"),
                Err(e) => tracing::error!(error = ?e, "expired upload sweep failed"),
            }
        }
    });
}
