//! argon2id password hashes, computed off the async threads (each takes tens of milliseconds and 19 MiB) in a
//! bounded pool: at most one hash per core runs at a time and at most [`QUEUE`] more wait, so a flood of logins
//! costs a bounded amount of CPU and memory; beyond that an attempt is refused at once with `rate-limited`.

use std::sync::OnceLock;

use anyhow::Context as _;
use argon2::{Argon2, PasswordHasher as _, PasswordVerifier as _};
use tokio::sync::{Semaphore, SemaphorePermit};

use crate::ServiceError;
use crate::metrics::Metrics;

/// Hashes allowed to wait for a free core.
const QUEUE: usize = 32;

struct Pool {
    running: Semaphore,
    admitted: Semaphore,
}

fn pool() -> &'static Pool {
    static POOL: OnceLock<Pool> = OnceLock::new();
    POOL.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        Pool {
            running: Semaphore::new(cores),
            admitted: Semaphore::new(cores + QUEUE),
        }
    })
}

/// A place in the pool: admitted (or refused when the queue is full), then a core.
async fn slot() -> Result<(SemaphorePermit<'static>, SemaphorePermit<'static>), ServiceError> {
    let pool = pool();
    let admitted = pool
        .admitted
        .try_acquire()
        .map_err(|_| ServiceError::RateLimited {
            retry_after_secs: 1,
        })?;
    let running = pool
        .running
        .acquire()
        .await
        .context("password pool closed")?;
    Ok((admitted, running))
}

/// Hashes a password into a PHC string.
pub(crate) async fn hash(metrics: &Metrics, password: String) -> Result<String, ServiceError> {
    let _slot = slot().await?;
    metrics.record_password_hash();
    let hashed = tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
    })
    .await
    .context("password hashing task")?
    .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))?;
    Ok(hashed)
}

/// Whether `password` matches the PHC string `stored`. A malformed stored hash counts as no match and is logged.
pub(crate) async fn verify(
    metrics: &Metrics,
    password: String,
    stored: String,
) -> Result<bool, ServiceError> {
    let _slot = slot().await?;
    metrics.record_password_hash();
    let ok = tokio::task::spawn_blocking(move || {
        match Argon2::default().verify_password(password.as_bytes(), stored.as_str()) {
            Ok(()) => true,
            Err(argon2::password_hash::Error::PasswordInvalid) => false,
            Err(e) => {
                tracing::error!(error = %e, "stored password hash cannot be verified");
                false
            }
        }
    })
    .await
    .context("password verification task")?;
    Ok(ok)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let m = Metrics::new();
        let h = hash(&m, "correct horse battery".into()).await.unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(
            verify(&m, "correct horse battery".into(), h.clone())
                .await
                .unwrap()
        );
        assert!(!verify(&m, "wrong horse battery".into(), h).await.unwrap());
        assert_eq!(m.password_hashes(), 3);
    }
}
