use clipjury_db::repo;
use clipjury_domain::error_code::ErrorCode;
use uuid::Uuid;

use super::access::visible_contest;
use super::view::{ContestView, ContestViewFor};
use crate::auth::{AdminSession, Session};
use crate::{ServiceError, Services};

/// One contest, as the session may see it.
///
/// # Errors
/// `contest-not-found` (404) for a contest the session cannot see.
#[tracing::instrument(skip_all, fields(contest_id = %contest_id))]
pub async fn get_contest(
    services: &Services,
    session: &Session,
    contest_id: Uuid,
) -> Result<ContestViewFor, ServiceError> {
    let row = visible_contest(&services.db, session, contest_id).await?;
    let view = ContestView::try_from(row)?;
    Ok(match session {
        Session::Admin(_) => ContestViewFor::Admin(view),
        _ => ContestViewFor::Participant(view.into()),
    })
}

/// The contests an admin owns, newest first.
///
/// # Errors
/// [`ServiceError::Unexpected`] on database failure.
#[tracing::instrument(skip_all)]
pub async fn list_contests(
    services: &Services,
    session: &AdminSession,
) -> Result<Vec<ContestView>, ServiceError> {
    let rows = repo::contests::list_by_owner(&services.db, session.admin_id()).await?;
    rows.into_iter()
        .map(|r| ContestView::try_from(r).map_err(ServiceError::from))
        .collect()
}

/// The largest upload a contest accepts (for tus discovery).
///
/// # Errors
/// `contest-not-found` (404).
pub async fn upload_limit(services: &Services, contest_id: Uuid) -> Result<u64, ServiceError> {
    let c = repo::contests::find(&services.db, contest_id)
        .await?
        .ok_or_else(|| ServiceError::not_found(ErrorCode::ContestNotFound, "no such contest"))?;
    Ok(u64::try_from(c.max_upload_bytes).unwrap_or(0))
}
