//! Sessions, passwords, login and the first admin's set-up.

mod admins;
mod limiter;
mod password;
mod roles;
mod secret;
mod session;
mod tokens;

pub use admins::{
    AdminView, admin_view, create_admin, login, setup_first_admin, setup_link_if_needed,
};
pub use limiter::LoginLimiter;
pub(crate) use password::hash as hash_password;
pub(crate) use roles::Actor;
pub use roles::{AdminSession, GroupSession, JurorSession};
pub use secret::SecretSource;
pub(crate) use secret::{Sealer, load as load_secret};
pub use session::{IssuedSession, Session, authenticate, logout};
pub(crate) use tokens::SessionKeys;

use base64::Engine as _;
use rand::TryRngCore as _;

/// Compares without stopping at the first difference, so timing does not reveal a secret.
pub(crate) fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// `bytes` random bytes from the OS generator, base64url without padding.
pub(crate) fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    // The OS generator failing means the machine cannot make secrets at all; nothing sensible can go on.
    #[allow(clippy::expect_used)]
    rand::rngs::OsRng
        .try_fill_bytes(&mut buf)
        .expect("the operating system's random generator failed");
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf)
}
