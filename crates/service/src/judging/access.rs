use chrono::Utc;
use clipjury_db::{
    ConnectionTrait, repo, repo::contests::ContestRow, repo::submissions::SubmissionRow,
};
use clipjury_domain::contest::ContestStatus;
use clipjury_domain::error_code::ErrorCode;
use clipjury_domain::judging::JudgingError;
use clipjury_domain::participant::Role;
use clipjury_domain::validation::ValidationError;
use uuid::Uuid;

use crate::ServiceError;
use crate::auth::{GroupSession, JurorSession};
use crate::contests::ContestView;

/// An entry: a submission with a ready video, numbered in a stable order (oldest submission first).
#[derive(Debug, Clone)]
pub struct Entry {
    pub submission: SubmissionRow,
    /// 1-based position, for "Entry N" in anonymised contests.
    pub number: usize,
    pub group_name: String,
    pub video_id: Uuid,
    /// Stored files of the visible video (a playable video may still lack a rendition).
    pub files: Vec<String>,
}

impl Entry {
    /// What a juror calls the entry: "Entry N" when anonymised, the group's name otherwise.
    #[must_use]
    pub fn label(&self, anonymised: bool) -> String {
        if anonymised {
            format!("Entry {}", self.number)
        } else {
            self.group_name.clone()
        }
    }
}

pub(crate) fn contest_not_found() -> ServiceError {
    ServiceError::not_found(ErrorCode::ContestNotFound, "no such contest")
}

pub(crate) fn entry_not_found() -> ServiceError {
    ServiceError::not_found(ErrorCode::EntryNotFound, "no such entry")
}

/// The contest of a juror's session, with the juror's participant id. Others are refused before (`Juror`
/// extractor: [`crate::contests::refuse_role`]); a `contest_id` that is not the session's own is `contest-not-found`.
pub(crate) async fn juror_contest(
    db: &impl ConnectionTrait,
    session: &JurorSession,
    contest_id: Uuid,
) -> Result<(ContestView, Uuid), ServiceError> {
    let row = own_contest(db, session.contest_id(), contest_id).await?;
    Ok((ContestView::try_from(row)?, session.participant_id()))
}

/// The contest of a group's session, with the group's participant id; as [`juror_contest`].
pub(crate) async fn group_contest(
    db: &impl ConnectionTrait,
    session: &GroupSession,
    contest_id: Uuid,
) -> Result<(ContestRow, Uuid), ServiceError> {
    let row = own_contest(db, session.contest_id(), contest_id).await?;
    Ok((row, session.participant_id()))
}

async fn own_contest(
    db: &impl ConnectionTrait,
    own: Uuid,
    contest_id: Uuid,
) -> Result<ContestRow, ServiceError> {
    if own != contest_id {
        return Err(contest_not_found());
    }
    repo::contests::find(db, contest_id)
        .await?
        .ok_or_else(contest_not_found)
}

/// Entries are visible to jurors from `judging` on.
pub(crate) fn require_judging_started(contest: &ContestView) -> Result<(), ServiceError> {
    match contest.status {
        ContestStatus::Judging | ContestStatus::Closed | ContestStatus::Published => Ok(()),
        _ => Err(ServiceError::conflict(
            ErrorCode::JudgingNotOpen,
            "judging has not started yet",
        )),
    }
}

/// Scores are accepted while the contest is `judging` and its judging deadline has not passed.
pub(crate) fn require_scoring_open(contest: &ContestView) -> Result<(), ServiceError> {
    if contest.status != ContestStatus::Judging {
        return Err(ServiceError::conflict(
            ErrorCode::JudgingNotOpen,
            "scores are accepted only while the contest is judging",
        ));
    }
    if contest.judging_deadline.is_some_and(|d| Utc::now() > d) {
        return Err(ServiceError::conflict(
            ErrorCode::JudgingDeadlinePassed,
            "the judging deadline has passed",
        ));
    }
    Ok(())
}

/// The contest's entries in their stable order.
pub(crate) async fn load_entries(
    db: &impl ConnectionTrait,
    contest_id: Uuid,
) -> Result<Vec<Entry>, ServiceError> {
    let groups = repo::participants::list(db, contest_id, Some(Role::Group)).await?;
    let mut subs = repo::submissions::list(db, contest_id).await?;
    subs.sort_by_key(|s| (s.created_at, s.id));
    let visible: Vec<Uuid> = subs.iter().filter_map(|s| s.current_video_id).collect();
    let videos = repo::videos::find_many(db, &visible).await?;
    let mut entries = Vec::new();
    // Numbered among submissions with an upload, so an entry whose video finishes processing late does not
    // renumber the others ("Entry 3" stays Entry 3 while jurors discuss it).
    let mut number = 0;
    for s in subs {
        if s.latest_video_id.is_some() || s.current_video_id.is_some() {
            number += 1;
        }
        let Some(video_id) = s.current_video_id else {
            continue;
        };
        let group_name = groups
            .iter()
            .find(|g| g.id == s.group_id)
            .map(|g| g.name.clone())
            .unwrap_or_default();
        let files = videos
            .iter()
            .find(|v| v.id == video_id)
            .map(|v| crate::media_files::stored_files(v.media.as_ref()))
            .unwrap_or_default();
        entries.push(Entry {
            number,
            group_name,
            video_id,
            files,
            submission: s,
        });
    }
    Ok(entries)
}

pub(crate) async fn find_entry(
    db: &impl ConnectionTrait,
    contest_id: Uuid,
    entry_id: Uuid,
) -> Result<Entry, ServiceError> {
    load_entries(db, contest_id)
        .await?
        .into_iter()
        .find(|e| e.submission.id == entry_id)
        .ok_or_else(entry_not_found)
}

/// The submission of an entry, when it belongs to the contest and has a video to judge: the same entries as
/// [`find_entry`] without numbering them, in one read by key instead of reading the contest's groups and
/// submissions. Score writes call it inside their write transaction, where on SQLite every other writer waits.
pub(crate) async fn entry_submission(
    db: &impl ConnectionTrait,
    contest_id: Uuid,
    entry_id: Uuid,
) -> Result<SubmissionRow, ServiceError> {
    repo::submissions::find(db, entry_id)
        .await?
        .filter(|s| s.contest_id == contest_id && s.current_video_id.is_some())
        .ok_or_else(entry_not_found)
}

pub(crate) fn judging_error(e: &JudgingError) -> ServiceError {
    ServiceError::Validation(ValidationError::new(e.code(), e.to_string()))
}

pub(crate) fn required_reason(reason: &str) -> Result<String, ServiceError> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(ServiceError::Validation(ValidationError::new(
            ErrorCode::ReasonRequired,
            "please give a reason",
        )));
    }
    if reason.chars().count() > 2000 {
        return Err(ServiceError::Validation(ValidationError::new(
            ErrorCode::TextTooLong,
            "the reason must be at most 2000 characters",
        )));
    }
    Ok(reason.to_owned())
}

/// A transaction for a read-then-write use case ([`clipjury_db::begin_write`]: `BEGIN IMMEDIATE` on SQLite).
pub(crate) async fn write_txn(
    services: &crate::Services,
) -> Result<clipjury_db::DatabaseTransaction, ServiceError> {
    Ok(clipjury_db::begin_write(&services.db)
        .await
        .map_err(|e| anyhow::Error::new(e).context("begin"))?)
}
