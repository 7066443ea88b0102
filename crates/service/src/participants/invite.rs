use anyhow::Context as _;
use chrono::Utc;
use clipjury_db::{ConnectionTrait, repo, repo::invites::InviteRow};
use uuid::Uuid;

use super::manage::owned_participant;
use super::view::{ParticipantView, to_view};
use crate::auth::{AdminSession, random_token};
use crate::{ServiceError, Services, audit};

/// Stores a fresh 128-bit invite token for a participant: its hash for look-up, sealed for showing again.
pub(crate) async fn issue_invite(
    db: &impl ConnectionTrait,
    services: &Services,
    participant_id: Uuid,
) -> Result<InviteRow, ServiceError> {
    let expires_at =
        Utc::now() + chrono::Duration::days(i64::from(services.config.invite_valid_days));
    let token = random_token(16);
    let sealed = services.sealer.seal(&token)?;
    Ok(repo::invites::insert(db, participant_id, &token_hash(&token), &sealed, expires_at).await?)
}

/// SHA-256 (hex) of an invite token, as stored.
pub(crate) fn token_hash(token: &str) -> String {
    use sha2::Digest as _;
    sha2::Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Seals the plain tokens of invites written before tokens were sealed (run at start).
///
/// # Errors
/// [`ServiceError::Unexpected`] on database failure.
pub(crate) async fn seal_plain_invites(
    db: &clipjury_db::Database,
    sealer: &crate::auth::Sealer,
) -> Result<(), ServiceError> {
    let plain = repo::invites::unsealed(db).await?;
    if plain.is_empty() {
        return Ok(());
    }
    let txn = clipjury_db::begin_write(db).await.context("begin")?;
    for invite in &plain {
        let token = &invite.token_hash;
        repo::invites::seal(&txn, invite.id, &token_hash(token), &sealer.seal(token)?).await?;
    }
    txn.commit().await.context("commit")?;
    tracing::info!(sealed = plain.len(), "invite tokens are now kept sealed");
    Ok(())
}

impl Services {
    /// The plain token of an invite, when this instance's key opens it.
    pub(crate) fn open_invite_token(&self, invite: &InviteRow) -> Option<String> {
        let token = invite
            .token_sealed
            .as_deref()
            .and_then(|s| self.sealer.open(s));
        if token.is_none() {
            tracing::warn!(invite_id = %invite.id, "an invite's sealed token does not open with this instance's secret");
        }
        token
    }
}

/// Revokes the current invite and issues a new one; sessions opened with the old link end.
///
/// # Errors
/// `participant-not-found` (404).
#[tracing::instrument(skip_all, fields(contest_id = %contest_id, participant_id = %participant_id))]
pub async fn regenerate_invite(
    services: &Services,
    session: &AdminSession,
    contest_id: Uuid,
    participant_id: Uuid,
) -> Result<ParticipantView, ServiceError> {
    let txn = clipjury_db::begin_write(&services.db)
        .await
        .context("begin")?;
    let p = owned_participant(&txn, session, contest_id, participant_id).await?;
    repo::invites::revoke_all(&txn, participant_id).await?;
    repo::participants::bump_session_version(&txn, participant_id).await?;
    let invite = issue_invite(&txn, services, participant_id).await?;
    let mut entry = audit::entry(session, Some(contest_id), "invite.regenerate");
    entry.after = Some(
        serde_json::json!({ "participant_id": participant_id, "expires_at": invite.expires_at }),
    );
    repo::audit::append(&txn, entry).await?;
    txn.commit().await.context("commit")?;
    Ok(to_view(services, p, Some(invite)))
}

/// Revokes the participant's invite and ends its sessions.
///
/// # Errors
/// `participant-not-found` (404).
#[tracing::instrument(skip_all, fields(contest_id = %contest_id, participant_id = %participant_id))]
pub async fn revoke_invite(
    services: &Services,
    session: &AdminSession,
    contest_id: Uuid,
    participant_id: Uuid,
) -> Result<(), ServiceError> {
    let txn = clipjury_db::begin_write(&services.db)
        .await
        .context("begin")?;
    owned_participant(&txn, session, contest_id, participant_id).await?;
    let revoked = repo::invites::revoke_all(&txn, participant_id).await?;
    repo::participants::bump_session_version(&txn, participant_id).await?;
    let mut entry = audit::entry(session, Some(contest_id), "invite.revoke");
    entry.after = Some(serde_json::json!({ "participant_id": participant_id, "revoked": revoked }));
    repo::audit::append(&txn, entry).await?;
    txn.commit().await.context("commit")?;
    Ok(())
}
