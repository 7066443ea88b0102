use std::sync::Arc;

use anyhow::Context as _;
use clipjury_db::{Database, repo};
use clipjury_storage::Storage;
use secrecy::ExposeSecret;

use crate::auth::{LoginLimiter, SessionKeys};
use crate::{ServiceConfig, ServiceError};

const JWT_SECRET_KEY: &str = "jwt_secret";

/// Everything a use case needs, cheap to clone and shared by all request handlers and workers.
#[derive(Clone)]
pub struct Services {
    pub(crate) db: Database,
    pub(crate) storage: Storage,
    pub(crate) config: Arc<ServiceConfig>,
    pub(crate) keys: Arc<SessionKeys>,
    pub(crate) login_limiter: Arc<LoginLimiter>,
    /// Hash of a random password, verified against when an e-mail is unknown so that the answer takes as long as
    /// for a known e-mail (no account enumeration by timing).
    pub(crate) decoy_hash: Arc<String>,
    pub(crate) metrics: crate::metrics::Metrics,
}

impl Services {
    /// Builds the services on a migrated database. The session secret comes from configuration or, when absent,
    /// from the database, where the first node to start stores a random one (so every node agrees on it).
    ///
    /// # Errors
    /// [`ServiceError::Unexpected`] when the database cannot be read or written.
    pub async fn new(
        db: Database,
        storage: Storage,
        config: ServiceConfig,
    ) -> Result<Self, ServiceError> {
        let secret: Vec<u8> = match &config.jwt_secret {
            Some(s) => s.expose_secret().as_bytes().to_vec(),
            None => {
                let fresh = crate::auth::random_token(32);
                repo::settings::get_or_insert(&db, JWT_SECRET_KEY, &fresh)
                    .await
                    .context("loading the session secret")?
                    .into_bytes()
            }
        };
        if secret.len() < 32 {
            return Err(ServiceError::Unexpected(anyhow::anyhow!(
                "the JWT secret must have at least 32 bytes"
            )));
        }
        let login_limiter = LoginLimiter::new(config.login_attempts_per_minute);
        let decoy_hash = crate::auth::hash_password(crate::auth::random_token(24)).await?;
        Ok(Self {
            db,
            storage,
            keys: Arc::new(SessionKeys::new(&secret)),
            login_limiter: Arc::new(login_limiter),
            decoy_hash: Arc::new(decoy_hash),
            metrics: crate::metrics::Metrics::new(),
            config: Arc::new(config),
        })
    }

    /// The database pool (for the binary's start-up and background tasks).
    #[must_use]
    pub fn db(&self) -> &Database {
        &self.db
    }

    /// The media store.
    #[must_use]
    pub fn storage(&self) -> &Storage {
        &self.storage
    }

    /// This process's metrics.
    #[must_use]
    pub fn metrics(&self) -> &crate::metrics::Metrics {
        &self.metrics
    }

    /// The configuration the services were built with.
    #[must_use]
    pub fn config(&self) -> &ServiceConfig {
        &self.config
    }
}
