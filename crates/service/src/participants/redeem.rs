use chrono::Utc;
use clipjury_db::repo;
use clipjury_domain::error_code::ErrorCode;
use clipjury_domain::participant::Role;
use uuid::Uuid;

use crate::auth::{GroupSession, IssuedSession, JurorSession, Session};
use crate::{ServiceError, Services};

/// A redeemed invite: the session to set and what the app shows next.
#[derive(Debug, Clone)]
pub struct Redeemed {
    pub session: IssuedSession,
    pub role: Role,
    pub participant_id: Uuid,
    pub name: String,
    pub contest_id: Uuid,
    pub contest_title: String,
    pub default_locale: String,
}

/// Who an invite is for, without signing anybody in: the invite page shows it and asks for a deliberate "join"
/// before the session (and with it the browser's current one) is replaced.
#[derive(Debug, Clone)]
pub struct InviteInfo {
    pub role: Role,
    pub participant_id: Uuid,
    pub name: String,
    pub contest_id: Uuid,
    pub contest_title: String,
    pub default_locale: String,
}

/// The participant and contest an invite token opens.
///
/// # Errors
/// `invite-invalid` (404) for an unknown or revoked token, `invite-expired` (410 Gone).
#[tracing::instrument(skip_all)]
pub async fn inspect_invite(services: &Services, token: &str) -> Result<InviteInfo, ServiceError> {
    Ok(valid_invite(services, token).await?.1)
}

async fn valid_invite(
    services: &Services,
    token: &str,
) -> Result<(clipjury_db::repo::invites::InviteRow, InviteInfo, i32), ServiceError> {
    let invalid = || {
        ServiceError::not_found(
            ErrorCode::InviteInvalid,
            "this invite link is not valid; ask the organisers for a new one",
        )
    };
    if token.len() > 64 {
        return Err(invalid());
    }
    let invite = repo::invites::find_by_token_hash(&services.db, &super::token_hash(token))
        .await?
        .ok_or_else(invalid)?;
    if invite.revoked_at.is_some() {
        return Err(invalid());
    }
    if invite.expires_at <= Utc::now() {
        return Err(ServiceError::Gone {
            code: ErrorCode::InviteExpired,
            message: "this invite link has expired; ask the organisers for a new one".into(),
        });
    }
    let p = repo::participants::find(&services.db, invite.participant_id)
        .await?
        .ok_or_else(invalid)?;
    let contest = repo::contests::find(&services.db, p.contest_id)
        .await?
        .ok_or_else(invalid)?;
    let info = InviteInfo {
        role: p.role,
        participant_id: p.id,
        name: p.name,
        contest_id: contest.id,
        contest_title: contest.title,
        default_locale: contest.default_locale.as_str().to_owned(),
    };
    Ok((invite, info, p.session_version))
}

/// Exchanges an invite token for a session scoped to its contest and role.
///
/// # Errors
/// `invite-invalid` (404) for an unknown or revoked token, `invite-expired` (410 Gone).
#[tracing::instrument(skip_all)]
pub async fn redeem_invite(services: &Services, token: &str) -> Result<Redeemed, ServiceError> {
    let (invite, info, version) = valid_invite(services, token).await?;
    repo::invites::mark_redeemed(&services.db, invite.id).await?;
    let session = if info.role == Role::Juror {
        Session::Juror(JurorSession::new(info.participant_id, info.contest_id))
    } else {
        Session::Group(GroupSession::new(info.participant_id, info.contest_id))
    };
    Ok(Redeemed {
        session: services.issue(session, version)?,
        role: info.role,
        participant_id: info.participant_id,
        name: info.name,
        contest_id: info.contest_id,
        contest_title: info.contest_title,
        default_locale: info.default_locale,
    })
}
