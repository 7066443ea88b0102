//! Admin accounts: the one-time set-up link, `admin create`, and login.

use anyhow::Context as _;
use chrono::{DateTime, Utc};
use clipjury_db::repo;
use clipjury_domain::error_code::ErrorCode;
use clipjury_domain::participant::{AdminEmail, AdminPassword};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::roles::AdminSession;
use super::session::{IssuedSession, Session};
use super::{password, random_token};
use crate::{ServiceError, Services};

const SETUP_TOKEN_KEY: &str = "setup_token_sha256";

/// An admin account as shown to its owner.
#[derive(Debug, Clone)]
pub struct AdminView {
    pub id: Uuid,
    pub email: String,
    pub created_at: DateTime<Utc>,
}

fn sha256_hex(s: &str) -> String {
    Sha256::digest(s.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// When no admin exists yet, makes a fresh one-time set-up token and returns the link to print; otherwise `None`.
/// Only the token's hash is stored; each start replaces the previous token.
///
/// # Errors
/// [`ServiceError::Unexpected`] on database failure.
pub async fn setup_link_if_needed(services: &Services) -> Result<Option<String>, ServiceError> {
    if repo::admins::count(&services.db).await? > 0 {
        return Ok(None);
    }
    let token = random_token(24);
    repo::settings::put(&services.db, SETUP_TOKEN_KEY, &sha256_hex(&token)).await?;
    Ok(Some(format!(
        "{}/setup?token={token}",
        services.config.public_url.trim_end_matches('/')
    )))
}

/// Creates the first admin with the set-up token printed at start, and signs them in.
///
/// # Errors
/// `setup-done` (409) when an admin exists; `setup-token-invalid` (403) for a wrong token; validation errors for
/// the e-mail and password.
#[tracing::instrument(skip_all)]
pub async fn setup_first_admin(
    services: &Services,
    token: &str,
    email: &str,
    password_raw: String,
) -> Result<IssuedSession, ServiceError> {
    let email = AdminEmail::parse(email)?;
    let pw = AdminPassword::parse(password_raw)?;
    // Checked before hashing too: a closed or wrong set-up costs no argon2 run.
    check_setup_open(&services.db, token).await?;
    let hash = password::hash(&services.metrics, pw.expose().to_owned()).await?;
    let txn = clipjury_db::begin_write(&services.db)
        .await
        .context("begin")?;
    check_setup_open(&txn, token).await?;
    // Deleting the token first makes a concurrent second set-up find nothing to consume.
    if !repo::settings::delete(&txn, SETUP_TOKEN_KEY).await? {
        return Err(ServiceError::conflict(
            ErrorCode::SetupDone,
            "an admin exists already; sign in instead",
        ));
    }
    let admin = repo::admins::insert(&txn, Uuid::now_v7(), email.as_str(), &hash).await?;
    txn.commit().await.context("commit")?;
    tracing::info!(admin_id = %admin.id, "first admin created through the set-up link");
    services.issue(
        Session::Admin(AdminSession::new(admin.id)),
        admin.session_version,
    )
}

/// `setup-done` when an admin exists, `setup-token-invalid` when `token` is not the current set-up token.
async fn check_setup_open(
    db: &impl clipjury_db::ConnectionTrait,
    token: &str,
) -> Result<(), ServiceError> {
    if repo::admins::count(db).await? > 0 {
        return Err(ServiceError::conflict(
            ErrorCode::SetupDone,
            "an admin exists already; sign in instead",
        ));
    }
    let stored = repo::settings::get(db, SETUP_TOKEN_KEY).await?;
    let given = sha256_hex(token);
    if !stored.is_some_and(|s| crate::auth::same_bytes(s.as_bytes(), given.as_bytes())) {
        return Err(ServiceError::forbidden(
            ErrorCode::SetupTokenInvalid,
            "this set-up link is not valid; restart clipjury for a new one",
        ));
    }
    Ok(())
}

/// Creates an admin account (the `clipjury admin create` command).
///
/// # Errors
/// `email-taken` (409) and validation errors.
pub async fn create_admin(
    services: &Services,
    email: &str,
    password_raw: String,
) -> Result<AdminView, ServiceError> {
    let email = AdminEmail::parse(email)?;
    let pw = AdminPassword::parse(password_raw)?;
    let hash = password::hash(&services.metrics, pw.expose().to_owned()).await?;
    let row = repo::admins::insert(&services.db, Uuid::now_v7(), email.as_str(), &hash)
        .await
        .map_err(|e| match e {
            clipjury_db::DbError::UniqueViolation(_) => {
                ServiceError::conflict(ErrorCode::EmailTaken, "an admin with this e-mail exists")
            }
            other => other.into(),
        })?;
    repo::settings::delete(&services.db, SETUP_TOKEN_KEY).await?;
    Ok(AdminView {
        id: row.id,
        email: row.email,
        created_at: row.created_at,
    })
}

/// Checks an e-mail and password and signs the admin in. Rate-limited per client address; an account with recent
/// failures is answered more slowly (see [`super::LoginLimiter`]).
///
/// # Errors
/// `rate-limited` (429); `login-failed` (401) for an unknown e-mail or wrong password alike.
#[tracing::instrument(skip_all)]
pub async fn login(
    services: &Services,
    client_ip: &str,
    email: &str,
    password_raw: String,
) -> Result<IssuedSession, ServiceError> {
    let normalised = email.trim().to_lowercase();
    let limiter = &services.login_limiter;
    limiter.check_ip(client_ip)?;
    let wait = limiter.delay_for(&normalised);
    if !wait.is_zero() {
        tokio::time::sleep(wait).await;
    }
    let failed =
        || ServiceError::unauthenticated(ErrorCode::LoginFailed, "wrong e-mail or password");
    let admin = repo::admins::find_by_email(&services.db, &normalised).await?;
    let stored = admin.as_ref().map_or_else(
        || services.decoy_hash.as_str().to_owned(),
        |a| a.password_hash.clone(),
    );
    let matches = password::verify(&services.metrics, password_raw, stored).await?;
    let Some(admin) = admin.filter(|_| matches) else {
        limiter.record_failure(&normalised);
        tracing::info!("login failed");
        return Err(failed());
    };
    limiter.record_success(&normalised);
    repo::admins::record_login(&services.db, admin.id, None).await?;
    services.issue(
        Session::Admin(AdminSession::new(admin.id)),
        admin.session_version,
    )
}

/// The admin behind a session.
///
/// # Errors
/// `admin-not-found` (404) when the account is gone.
pub async fn admin_view(services: &Services, admin_id: Uuid) -> Result<AdminView, ServiceError> {
    let a = repo::admins::find(&services.db, admin_id)
        .await?
        .ok_or_else(|| ServiceError::not_found(ErrorCode::AdminNotFound, "no such admin"))?;
    Ok(AdminView {
        id: a.id,
        email: a.email,
        created_at: a.created_at,
    })
}
