use clipjury_db::{ConnectionTrait, repo, repo::contests::ContestRow};
use clipjury_domain::error_code::ErrorCode;
use clipjury_domain::participant::Role;
use uuid::Uuid;

use crate::auth::{AdminSession, Session};
use crate::{ServiceError, Services};

fn not_found() -> ServiceError {
    ServiceError::not_found(ErrorCode::ContestNotFound, "no such contest")
}

/// The contest, when `session` is the admin who owns it; another admin's contest is `contest-not-found`. (Groups
/// and jurors never get this far: the `Admin` extractor answers them `forbidden-role`.)
///
/// # Errors
/// `contest-not-found` (404).
pub async fn owned_contest(
    db: &impl ConnectionTrait,
    session: &AdminSession,
    contest_id: Uuid,
) -> Result<ContestRow, ServiceError> {
    repo::contests::find(db, contest_id)
        .await?
        .filter(|c| c.owner_id == session.admin_id())
        .ok_or_else(not_found)
}

/// The contest, when `session` may read it: its owner, or a group or juror of it.
///
/// # Errors
/// `contest-not-found` (404).
pub(crate) async fn visible_contest(
    db: &impl ConnectionTrait,
    session: &Session,
    contest_id: Uuid,
) -> Result<ContestRow, ServiceError> {
    let contest = repo::contests::find(db, contest_id)
        .await?
        .ok_or_else(not_found)?;
    let visible = match session {
        Session::Admin(admin) => contest.owner_id == admin.admin_id(),
        _ => session.contest_id() == Some(contest_id),
    };
    if visible {
        Ok(contest)
    } else {
        Err(not_found())
    }
}

/// Why `session`, which is not a `role` of contest `contest_id`, may not do what only its `role`s may:
/// `forbidden-role` (403) when it can see the contest (its admin, another participant of it), `contest-not-found`
/// (404) when it cannot, so an outsider does not learn that the contest exists.
pub async fn refuse_role(
    services: &Services,
    session: &Session,
    contest_id: Uuid,
    role: Role,
) -> ServiceError {
    match visible_contest(&services.db, session, contest_id).await {
        Ok(_) => ServiceError::forbidden(
            ErrorCode::ForbiddenRole,
            format!("only the contest's {}s may do this", role.as_str()),
        ),
        Err(e) => e,
    }
}
