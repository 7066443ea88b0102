use chrono::Utc;
use clipjury_db::repo;
use clipjury_domain::participant::Role;
use uuid::Uuid;

use crate::auth::{IssuedSession, Session};
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

/// Exchanges an invite token for a session scoped to its contest and role.
///
/// # Errors
/// `invite-invalid` (404) for an unknown or revoked token, `invite-expired` (410 Gone).
#[tracing::instrument(skip_all)]
pub async fn redeem_invite(services: &Services, token: &str) -> Result<Redeemed, ServiceError> {
    let invalid = || {
        ServiceError::not_found(
            "invite-invalid",
            "this invite link is not valid; ask the organisers for a new one",
        )
    };
    if token.len() > 64 {
        return Err(invalid());
    }
    let invite = repo::invites::find_by_token(&services.db, token)
        .await?
        .ok_or_else(invalid)?;
    if invite.revoked_at.is_some() {
        return Err(invalid());
    }
    if invite.expires_at <= Utc::now() {
        return Err(ServiceError::Gone {
            code: "invite-expired",
            message: "this invite link has expired; ask the organisers for a new one".into(),
        });
    }
    let p = repo::participants::find(&services.db, invite.participant_id)
        .await?
        .ok_or_else(invalid)?;
    let contest = repo::contests::find(&services.db, p.contest_id)
        .await?
        .ok_or_else(invalid)?;
    repo::invites::mark_redeemed(&services.db, invite.id).await?;
    let (role, session) = if p.role == "juror" {
        (
            Role::Juror,
            Session::Juror {
                participant_id: p.id,
                contest_id: p.contest_id,
            },
        )
    } else {
        (
            Role::Group,
            Session::Group {
                participant_id: p.id,
                contest_id: p.contest_id,
            },
        )
    };
    Ok(Redeemed {
        session: services.issue(session, p.session_version)?,
        role,
        participant_id: p.id,
        name: p.name,
        contest_id: contest.id,
        contest_title: contest.title,
        default_locale: contest.default_locale,
    })
}
