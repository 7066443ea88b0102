//! argon2id password hashes, computed off the async threads (each takes tens of milliseconds and 19 MiB).

use anyhow::Context as _;
use argon2::{Argon2, PasswordHasher as _, PasswordVerifier as _};

use crate::ServiceError;

/// Hashes a password into a PHC string.
pub(crate) async fn hash(password: String) -> Result<String, ServiceError> {
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
pub(crate) async fn verify(password: String, stored: String) -> Result<bool, ServiceError> {
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
        let h = hash("correct horse battery".into()).await.unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(
            verify("correct horse battery".into(), h.clone())
                .await
                .unwrap()
        );
        assert!(!verify("wrong horse battery".into(), h).await.unwrap());
    }
}
