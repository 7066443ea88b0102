//! Who is calling: a verified session token, checked against the database on every request.

use chrono::{DateTime, Utc};
use clipjury_db::repo;
use clipjury_domain::error_code::ErrorCode;
use clipjury_domain::participant::Role;
use uuid::Uuid;

use super::roles::{AdminSession, GroupSession, JurorSession};
use super::tokens::{Claims, claims};
use crate::{ServiceError, Services};

/// An authenticated caller. A use case for one role takes that role's session ([`AdminSession`], [`JurorSession`],
/// [`GroupSession`]); a `Session` is for the few that serve several roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Session {
    /// An admin account.
    Admin(AdminSession),
    /// A juror of one contest.
    Juror(JurorSession),
    /// A group of one contest.
    Group(GroupSession),
}

impl Session {
    /// The role of this session.
    #[must_use]
    pub fn role(&self) -> Role {
        match self {
            Self::Admin(_) => Role::Admin,
            Self::Juror(_) => Role::Juror,
            Self::Group(_) => Role::Group,
        }
    }

    /// The admin id or participant id.
    #[must_use]
    pub fn subject(&self) -> Uuid {
        match self {
            Self::Admin(a) => a.admin_id(),
            Self::Juror(j) => j.participant_id(),
            Self::Group(g) => g.participant_id(),
        }
    }

    /// The contest a juror or group session belongs to.
    #[must_use]
    pub fn contest_id(&self) -> Option<Uuid> {
        match self {
            Self::Admin(_) => None,
            Self::Juror(j) => Some(j.contest_id()),
            Self::Group(g) => Some(g.contest_id()),
        }
    }
}

/// A freshly signed session: the token goes into the cookie (or is handed to a script).
#[derive(Debug, Clone)]
pub struct IssuedSession {
    pub token: String,
    pub expires_at: DateTime<Utc>,
    pub session: Session,
}

impl Services {
    pub(crate) fn issue(
        &self,
        session: Session,
        version: i32,
    ) -> Result<IssuedSession, ServiceError> {
        let hours = match session {
            Session::Admin(_) => self.config.admin_session_hours,
            _ => self.config.participant_session_hours,
        };
        let (c, expires_at) = claims(
            session.subject(),
            session.role().as_str(),
            session.contest_id(),
            version,
            hours,
        );
        let token = self
            .keys
            .sign(&c)
            .map_err(|e| anyhow::anyhow!("signing a session token: {e}"))?;
        Ok(IssuedSession {
            token,
            expires_at,
            session,
        })
    }
}

/// Signs out. For an admin every session of the account ends (the session version moves on), so a token copied
/// before logout is worthless; a group's or juror's invite is shared by everyone in the group, so their logout
/// only clears this browser's cookie.
///
/// # Errors
/// [`ServiceError::Unexpected`] on database failure.
pub async fn logout(services: &Services, session: Option<&Session>) -> Result<(), ServiceError> {
    if let Some(Session::Admin(admin)) = session {
        let admin_id = admin.admin_id();
        repo::admins::bump_session_version(&services.db, admin_id).await?;
        tracing::info!(admin_id = %admin_id, "admin signed out; their sessions end");
    }
    Ok(())
}

/// Verifies a session token and that its subject still exists and was not revoked.
///
/// # Errors
/// [`ServiceError::Unauthenticated`] with `session-invalid` (bad signature, wrong algorithm, malformed),
/// `session-expired`, or `session-revoked` (account or invite gone or revoked since).
#[tracing::instrument(skip_all)]
pub async fn authenticate(services: &Services, token: &str) -> Result<Session, ServiceError> {
    let claims: Claims = services.keys.verify(token).map_err(|e| match e.kind() {
        jsonwebtoken::errors::ErrorKind::ExpiredSignature => ServiceError::unauthenticated(
            ErrorCode::SessionExpired,
            "your session has expired, please sign in again",
        ),
        _ => ServiceError::unauthenticated(
            ErrorCode::SessionInvalid,
            "the session token is not valid",
        ),
    })?;
    let revoked = || {
        ServiceError::unauthenticated(ErrorCode::SessionRevoked, "this session is no longer valid")
    };
    match (claims.role.as_str(), claims.cid) {
        ("admin", None) => {
            let admin = repo::admins::find(&services.db, claims.sub)
                .await?
                .ok_or_else(revoked)?;
            if admin.session_version != claims.ver {
                return Err(revoked());
            }
            Ok(Session::Admin(AdminSession::new(claims.sub)))
        }
        (role @ ("juror" | "group"), Some(contest_id)) => {
            let p = repo::participants::find(&services.db, claims.sub)
                .await?
                .ok_or_else(revoked)?;
            if p.contest_id != contest_id
                || p.role.as_str() != role
                || p.session_version != claims.ver
            {
                return Err(revoked());
            }
            Ok(if role == "juror" {
                Session::Juror(JurorSession::new(p.id, contest_id))
            } else {
                Session::Group(GroupSession::new(p.id, contest_id))
            })
        }
        _ => Err(ServiceError::unauthenticated(
            ErrorCode::SessionInvalid,
            "the session token is not valid",
        )),
    }
}
