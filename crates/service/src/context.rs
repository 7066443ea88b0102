use std::sync::Arc;

use clipjury_db::Database;
use clipjury_storage::Storage;

use crate::auth::{LoginLimiter, Sealer, SessionKeys};
use crate::{ServiceConfig, ServiceError};

/// Everything a use case needs, cheap to clone and shared by all request handlers and workers.
#[derive(Clone)]
pub struct Services {
    pub(crate) db: Database,
    pub(crate) storage: Storage,
    pub(crate) config: Arc<ServiceConfig>,
    pub(crate) keys: Arc<SessionKeys>,
    /// Seals invite tokens at rest.
    pub(crate) sealer: Arc<Sealer>,
    pub(crate) login_limiter: Arc<LoginLimiter>,
    /// Hash of a random password, verified against when an e-mail is unknown so that the answer takes as long as
    /// for a known e-mail (no account enumeration by timing).
    pub(crate) decoy_hash: Arc<String>,
    pub(crate) metrics: crate::metrics::Metrics,
    /// The last readiness write to storage.
    pub(crate) storage_check: Arc<crate::health::StorageCheck>,
}

impl Services {
    /// Builds the services on a migrated database, with the instance secret from `config.secret` (see
    /// [`crate::auth::SecretSource`]). Invites written before tokens were sealed are sealed now.
    ///
    /// # Errors
    /// [`ServiceError::Unexpected`] when the database or the key file cannot be read or written.
    pub async fn new(
        db: Database,
        storage: Storage,
        config: ServiceConfig,
    ) -> Result<Self, ServiceError> {
        let secret = crate::auth::load_secret(&db, &config.secret).await?;
        let sealer = Sealer::new(&secret);
        crate::participants::seal_plain_invites(&db, &sealer).await?;
        let login_limiter = LoginLimiter::new(config.login_attempts_per_minute);
        let metrics = crate::metrics::Metrics::new();
        let decoy_hash =
            crate::auth::hash_password(&metrics, crate::auth::random_token(24)).await?;
        Ok(Self {
            db,
            storage,
            keys: Arc::new(SessionKeys::new(&secret)),
            sealer: Arc::new(sealer),
            login_limiter: Arc::new(login_limiter),
            decoy_hash: Arc::new(decoy_hash),
            metrics,
            storage_check: Arc::default(),
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
