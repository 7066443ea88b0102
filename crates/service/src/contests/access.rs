use clipjury_db::{ConnectionTrait, repo, repo::contests::ContestRow};
use clipjury_domain::error_code::ErrorCode;
use uuid::Uuid;

use crate::ServiceError;
use crate::auth::Session;

fn not_found() -> ServiceError {
    ServiceError::not_found(ErrorCode::ContestNotFound, "no such contest")
}

/// The contest, when `session` is the admin who owns it. Other sessions get `contest-not-found` for contests they
/// cannot see and `forbidden-role` for contests they can see but not manage.
///
/// # Errors
/// `contest-not-found` (404), `forbidden-role` (403).
pub async fn owned_contest(
    db: &impl ConnectionTrait,
    session: &Session,
    contest_id: Uuid,
) -> Result<ContestRow, ServiceError> {
    let contest = repo::contests::find(db, contest_id)
        .await?
        .ok_or_else(not_found)?;
    match *session {
        Session::Admin { admin_id } if contest.owner_id == admin_id => Ok(contest),
        Session::Admin { .. } => Err(not_found()),
        _ if session.contest_id() == Some(contest_id) => Err(ServiceError::forbidden(
            ErrorCode::ForbiddenRole,
            "only the contest's admin may do this",
        )),
        _ => Err(not_found()),
    }
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
    let visible = match *session {
        Session::Admin { admin_id } => contest.owner_id == admin_id,
        _ => session.contest_id() == Some(contest_id),
    };
    if visible {
        Ok(contest)
    } else {
        Err(not_found())
    }
}
