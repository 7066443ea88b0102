//! Building and running the app: database, services, HTTP server.

use std::net::TcpListener;

use actix_web::dev::Server;
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::{App, HttpMessage as _, HttpServer, middleware, web};
use anyhow::Context as _;
use clipjury_api::auth::CookieSecure;
use clipjury_api::security::csrf::OwnOrigins;
use clipjury_api::security::{
    SecurityHeaders, TrustedProxies, same_origin_writes, security_headers,
};
use clipjury_db::{ConnectSettings, Database};
use clipjury_service::auth::SecretSource;
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
        secret: secret_source(settings)?,
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

/// Where the instance secret comes from: `auth.jwt_secret`, else a key file beside the SQLite database. With
/// PostgreSQL there is no local file every node shares, so the secret must be configured.
///
/// # Errors
/// With PostgreSQL and no `auth.jwt_secret`.
pub fn secret_source(settings: &Settings) -> anyhow::Result<SecretSource> {
    if let Some(secret) = &settings.auth.jwt_secret {
        return Ok(SecretSource::Configured(secret.clone()));
    }
    let url = &settings.database.url;
    let path = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .map(|rest| rest.split('?').next().unwrap_or(rest))
        .filter(|p| !p.is_empty() && *p != ":memory:");
    match path {
        Some(db_file) => Ok(SecretSource::File(
            std::path::Path::new(db_file).with_extension("key"),
        )),
        None => anyhow::bail!(
            "set auth.jwt_secret (CLIPJURY_AUTH__JWT_SECRET, at least 32 random bytes, the same on every node): \
             with this database clipjury has no local file to keep its secret in. (clipjury before December 2026 \
             kept it in the settings table under `jwt_secret`; set that value to keep existing sessions.)"
        ),
    }
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
    let secure = web::Data::new(CookieSecure(settings.cookie_secure()));
    let trusted = web::Data::new(
        TrustedProxies::parse(&settings.server.trusted_proxies)
            .map_err(|e| anyhow::anyhow!("server.trusted_proxies: {e}"))?,
    );
    let headers = web::Data::new(SecurityHeaders {
        hsts: settings.is_https(),
        media_origins: crate::storage::presigned_origin(settings)
            .into_iter()
            .collect(),
    });
    let own_origins = web::Data::new(OwnOrigins(
        origin_of(&settings.public_url()).into_iter().collect(),
    ));
    let web_app =
        crate::web_app::WebApp::load(&settings.server.web_dir, settings.server.public_url.clone());
    let metrics_access = web::Data::new(metrics_access(settings));
    let server = HttpServer::new(move || {
        App::new()
            .wrap(middleware::from_fn(same_origin_writes))
            .wrap(middleware::from_fn(security_headers))
            .wrap(middleware::from_fn(request_id_header))
            .wrap(middleware::from_fn(count_request))
            .wrap(TracingLogger::default())
            .wrap(middleware::Compress::default())
            .app_data(services.clone())
            .app_data(secure.clone())
            .app_data(trusted.clone())
            .app_data(headers.clone())
            .app_data(own_origins.clone())
            .app_data(metrics_access.clone())
            .configure(clipjury_api::configure)
            .configure(|cfg| crate::web_app::configure(cfg, &web_app))
    })
    .listen(listener)?
    .run();
    Ok(server)
}

/// `scheme://host[:port]` of a URL.
fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split(['/', '?', '#']).next()?;
    (!host.is_empty()).then(|| format!("{}://{host}", scheme.to_ascii_lowercase()))
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

/// Deletes expired partial uploads, and the originals of superseded and failed videos after their grace period,
/// every `interval`, for as long as the process runs.
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
            if let Err(e) = clipjury_service::uploads::free_superseded_originals(&services).await {
                tracing::error!(error = ?e, "freeing superseded originals failed");
            }
        }
    });
}
