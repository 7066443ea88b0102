//! The instance secret: it signs session tokens and, through a key derived from it, seals invite tokens. It never
//! sits in the database, so a copy of the database alone cannot forge a session or open an invite.
//!
//! Where it comes from: `auth.jwt_secret` when configured (every node of a scaled-out setup must share it), else a
//! key file beside the SQLite database (`clipjury.key`, created on first start with mode 0600). An older clipjury
//! kept the secret in the database's settings table; it is moved to the key file, or — when a secret is configured —
//! deleted, at the next start.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use base64::Engine as _;
use chacha20poly1305::aead::{Aead as _, KeyInit as _};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use clipjury_db::{Database, repo};
use rand::TryRngCore as _;
use secrecy::{ExposeSecret as _, SecretString};

use crate::ServiceError;

/// Settings key under which an older clipjury stored the secret in plain text.
const LEGACY_KEY: &str = "jwt_secret";

/// Where the instance secret is.
#[derive(Debug, Clone)]
pub enum SecretSource {
    /// `auth.jwt_secret`.
    Configured(SecretString),
    /// A key file, created when missing.
    File(PathBuf),
}

/// Loads the secret (creating the key file when needed) and removes any plain copy from the database.
///
/// # Errors
/// [`ServiceError::Unexpected`] when the secret is shorter than 32 bytes or the file cannot be read or written.
pub(crate) async fn load(db: &Database, source: &SecretSource) -> Result<Vec<u8>, ServiceError> {
    let legacy = repo::settings::get(db, LEGACY_KEY)
        .await
        .context("reading the settings table")?;
    let secret = match source {
        SecretSource::Configured(s) => s.expose_secret().as_bytes().to_vec(),
        SecretSource::File(path) => read_or_create(path, legacy.as_deref())?,
    };
    if secret.len() < 32 {
        return Err(anyhow::anyhow!(
            "the instance secret (auth.jwt_secret) must have at least 32 bytes"
        )
        .into());
    }
    if legacy.is_some() {
        repo::settings::delete(db, LEGACY_KEY)
            .await
            .context("removing the plain secret from the database")?;
        tracing::info!("the session secret is no longer kept in the database");
    }
    Ok(secret)
}

/// The key file's secret; a new file gets `initial` (the old database copy) or fresh random bytes.
fn read_or_create(path: &Path, initial: Option<&str>) -> Result<Vec<u8>, ServiceError> {
    match std::fs::read_to_string(path) {
        Ok(s) => return Ok(s.trim().as_bytes().to_vec()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => {
            return Err(anyhow::Error::new(e)
                .context(format!("reading the key file {}", path.display()))
                .into());
        }
    }
    let secret = initial.map_or_else(|| super::random_token(32), str::to_owned);
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    // Written to a temporary file, then linked into place: a second process starting at the same moment either
    // wins the link or reads the complete file, never a half-written one.
    let tmp = path.with_extension(format!("tmp-{}", super::random_token(6)));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(&tmp)
        .with_context(|| format!("creating {}", tmp.display()))?;
    file.write_all(secret.as_bytes())
        .and_then(|()| file.sync_all())
        .with_context(|| format!("writing {}", tmp.display()))?;
    let linked = std::fs::hard_link(&tmp, path);
    let _ = std::fs::remove_file(&tmp);
    match linked {
        Ok(()) => {
            tracing::info!(path = %path.display(), "instance key file created");
            Ok(secret.into_bytes())
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => read_or_create(path, None),
        Err(e) => Err(anyhow::Error::new(e)
            .context(format!("creating the key file {}", path.display()))
            .into()),
    }
}

/// Seals and opens invite tokens with a key derived from the instance secret.
pub(crate) struct Sealer(XChaCha20Poly1305);

impl Sealer {
    pub(crate) fn new(secret: &[u8]) -> Self {
        let mut key = [0u8; 32];
        // HKDF-SHA256 never fails for a 32-byte output.
        let _ = hkdf::Hkdf::<sha2::Sha256>::new(None, secret)
            .expand(b"clipjury invite seal v1", &mut key);
        Self(XChaCha20Poly1305::new(&key.into()))
    }

    /// base64url(nonce ‖ ciphertext) of `plain`.
    pub(crate) fn seal(&self, plain: &str) -> Result<String, ServiceError> {
        let mut nonce = [0u8; 24];
        rand::rngs::OsRng
            .try_fill_bytes(&mut nonce)
            .context("the operating system's random generator failed")?;
        let sealed = self
            .0
            .encrypt(&XNonce::from(nonce), plain.as_bytes())
            .map_err(|_| anyhow::anyhow!("sealing failed"))?;
        let mut out = nonce.to_vec();
        out.extend(sealed);
        Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(out))
    }

    /// The plain text, or `None` when `sealed` was not sealed with this instance's key.
    pub(crate) fn open(&self, sealed: &str) -> Option<String> {
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(sealed)
            .ok()?;
        let (nonce, body) = bytes.split_at_checked(24)?;
        let nonce: [u8; 24] = nonce.try_into().ok()?;
        let plain = self.0.decrypt(&XNonce::from(nonce), body).ok()?;
        String::from_utf8(plain).ok()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_token_opens_with_the_same_secret_only() {
        let a = Sealer::new(b"0123456789abcdef0123456789abcdef");
        let b = Sealer::new(b"another secret of thirty-two byt");
        let sealed = a.seal("tok-123").unwrap();
        assert!(!sealed.contains("tok-123"));
        assert_ne!(
            sealed,
            a.seal("tok-123").unwrap(),
            "a fresh nonce each time"
        );
        assert_eq!(a.open(&sealed).as_deref(), Some("tok-123"));
        assert_eq!(b.open(&sealed), None);
        assert_eq!(a.open("not base64 !"), None);
        assert_eq!(a.open("AAAA"), None);
    }

    #[test]
    fn the_key_file_is_created_once_private_and_then_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/clipjury.key");
        let first = read_or_create(&path, None).unwrap();
        assert!(first.len() >= 32);
        assert_eq!(read_or_create(&path, None).unwrap(), first);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let legacy = dir.path().join("legacy.key");
        let kept =
            read_or_create(&legacy, Some("the-old-secret-from-the-database-0123456789")).unwrap();
        assert_eq!(kept, b"the-old-secret-from-the-database-0123456789");
    }
}
