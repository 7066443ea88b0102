use anyhow::Context as _;
use chrono::Utc;
use clipjury_db::{ConnectionTrait, repo, repo::invites::InviteRow};
use uuid::Uuid;

use super::manage::owned_participant;
use super::view::{ParticipantView, to_view};
use crate::auth::{Session, random_token};
use crate::{ServiceError, Services, audit};

/// Stores a fresh 128-bit invite token for a participant.
pub(crate) async fn issue_invite(
    db: &impl ConnectionTrait,
    services: &Services,
    participant_id: Uuid,
) -> Result<InviteRow, ServiceError> {
    let expires_at =
        Utc::now() + chrono::Duration::days(i64::from(services.config.invite_valid_days));
    Ok(repo::invites::insert(db, participant_id, &random_token(16), expires_at).await?)
}

/// Revokes the current invite and issues a new one; sessions opened with the old link end.
///
/// # Errors
/// `participant-not-found` (404), `forbidden-role` (403).
#[tracing::instrument(skip_all, fields(contest_id = %contest_id, participant_id = %participant_id))]
pub async fn regenerate_invite(
    services: &Services,
    session: &Session,
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
    Ok(to_view(&services.config.public_url, p, Some(invite)))
}

/// Revokes the participant's invite and ends its sessions.
///
/// # Errors
/// `participant-not-found` (404), `forbidden-role` (403).
#[tracing::instrument(skip_all, fields(contest_id = %contest_id, participant_id = %participant_id))]
pub async fn revoke_invite(
    services: &Services,
    session: &Session,
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
