use chrono::{DateTime, Utc};
use clipjury_db::repo::contests::ContestRow;
use clipjury_db::repo::submissions::SubmissionRow;
use clipjury_db::{ConnectionTrait, repo};
use clipjury_domain::contest::ContestStatus;
use clipjury_domain::error_code::ErrorCode;
use uuid::Uuid;

use crate::auth::GroupSession;
use crate::{ServiceError, Services};

/// The group's own submission in its contest, with the contest. Another contest is `contest-not-found` (404).
pub(crate) async fn own_submission(
    db: &impl ConnectionTrait,
    session: &GroupSession,
    contest_id: Uuid,
) -> Result<(ContestRow, Option<SubmissionRow>), ServiceError> {
    let participant_id = session.participant_id();
    if session.contest_id() != contest_id {
        return Err(ServiceError::not_found(
            ErrorCode::ContestNotFound,
            "no such contest",
        ));
    }
    let contest = repo::contests::find(db, contest_id)
        .await?
        .ok_or_else(|| ServiceError::not_found(ErrorCode::ContestNotFound, "no such contest"))?;
    Ok((
        contest,
        repo::submissions::find_for_group(db, contest_id, participant_id).await?,
    ))
}

/// Whether the contest takes new uploads now: it is `open` and its upload deadline (if any) is ahead.
///
/// # Errors
/// `uploads-closed` (403) with a message saying why.
pub(crate) fn open_for_uploads(
    contest: &ContestRow,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    if contest.status != ContestStatus::Open {
        return Err(ServiceError::forbidden(
            ErrorCode::UploadsClosed,
            "this contest is not taking uploads now",
        ));
    }
    if contest.upload_deadline.is_some_and(|d| now >= d) {
        return Err(ServiceError::forbidden(
            ErrorCode::UploadsClosed,
            "the upload deadline has passed",
        ));
    }
    Ok(())
}

/// Whether an upload created at `created` may still receive bytes: before the deadline, or within the grace period
/// after it when it was started before the deadline.
pub(crate) fn may_continue_upload(
    services: &Services,
    contest: &ContestRow,
    created: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let grace =
        chrono::Duration::minutes(i64::from(services.config.uploads.deadline_grace_minutes));
    let closed = || {
        ServiceError::forbidden(
            ErrorCode::UploadsClosed,
            "the upload deadline and its grace period have passed",
        )
    };
    match (contest.status.as_str(), contest.upload_deadline) {
        ("open", None) => Ok(()),
        ("open" | "judging", Some(d)) if created < d && now < d + grace => Ok(()),
        ("open", Some(d)) if now < d => Ok(()),
        _ => Err(closed()),
    }
}
