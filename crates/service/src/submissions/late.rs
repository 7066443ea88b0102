//! Videos that arrive after judging opened. Jurors must all score the same cut, so the video an entry shows is
//! frozen when the contest enters judging: a video whose upload completed later (in the grace period after the
//! deadline, or completed by a late HEAD) is processed as usual but stays invisible to jurors and the public until
//! the admin accepts it, with a reason that goes into the audit log.

use anyhow::Context as _;
use chrono::{DateTime, Utc};
use clipjury_db::repo;
use clipjury_db::repo::submissions::SubmissionChanges;
use clipjury_domain::error_code::ErrorCode;
use clipjury_domain::validation::ValidationError;
use clipjury_domain::video::VideoStatus;
use uuid::Uuid;

use super::SubmissionView;
use super::save::load_view;
use crate::auth::AdminSession;
use crate::contests::owned_contest;
use crate::{ServiceError, Services, audit};

/// Whether a video created (its upload completed) at `video_created` came after judging opened.
pub(crate) fn is_late(
    judging_started_at: Option<DateTime<Utc>>,
    video_created: DateTime<Utc>,
) -> bool {
    judging_started_at.is_some_and(|opened| video_created > opened)
}

/// Makes a late video the entry's visible one (the admin watched it and accepts it), logging the reason.
///
/// # Errors
/// `contest-not-found`, `submission-not-found`, `video-not-found` (404); `reason-required` (400);
/// `video-not-late` (409) unless the video is the submission's newest, ready, and waiting for acceptance.
#[tracing::instrument(skip_all, fields(contest_id = %contest_id, submission_id = %submission_id))]
pub async fn accept_late_video(
    services: &Services,
    session: &AdminSession,
    contest_id: Uuid,
    submission_id: Uuid,
    video_id: Uuid,
    reason: &str,
) -> Result<SubmissionView, ServiceError> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(ValidationError::new(
            ErrorCode::ReasonRequired,
            "say why this late video may replace the one jurors see",
        )
        .into());
    }
    let txn = clipjury_db::begin_write(&services.db)
        .await
        .context("begin")?;
    let contest = owned_contest(&txn, session, contest_id).await?;
    let submission = repo::submissions::find(&txn, submission_id)
        .await?
        .filter(|s| s.contest_id == contest_id)
        .ok_or_else(|| {
            ServiceError::not_found(ErrorCode::SubmissionNotFound, "no such submission")
        })?;
    let video = repo::videos::find(&txn, video_id)
        .await?
        .filter(|v| v.submission_id == submission_id)
        .ok_or_else(|| ServiceError::not_found(ErrorCode::VideoNotFound, "no such video"))?;
    let waiting = submission.latest_video_id == Some(video_id)
        && submission.current_video_id != Some(video_id)
        && video.status == VideoStatus::Ready
        && is_late(contest.judging_started_at, video.created_at);
    if !waiting {
        return Err(ServiceError::conflict(
            ErrorCode::VideoNotLate,
            "only the entry's newest, processed video that arrived after judging opened can be accepted",
        ));
    }
    let before = submission.current_video_id;
    let row = repo::submissions::update(&txn, submission, showing(Some(video_id))).await?;
    let mut entry = audit::entry(session, Some(contest_id), "video.accept_late");
    entry.before = Some(serde_json::json!({ "submission_id": submission_id, "video_id": before }));
    entry.after = Some(serde_json::json!({ "submission_id": submission_id, "video_id": video_id }));
    entry.reason = Some(reason.to_owned());
    repo::audit::append(&txn, entry).await?;
    let view = load_view(&txn, row).await?;
    txn.commit().await.context("commit")?;
    tracing::info!(video_id = %video_id, "late video accepted");
    Ok(view)
}

/// Makes every entry's newest ready video visible again (the contest went back from judging to open, so nothing
/// is late any more). Runs inside the transition's transaction.
pub(crate) async fn release_late_videos(
    db: &impl clipjury_db::ConnectionTrait,
    contest_id: Uuid,
) -> Result<u64, ServiceError> {
    let mut released = 0;
    for s in repo::submissions::list(db, contest_id).await? {
        let Some(latest) = s.latest_video_id.filter(|l| s.current_video_id != Some(*l)) else {
            continue;
        };
        let ready = repo::videos::find(db, latest)
            .await?
            .is_some_and(|v| v.status == VideoStatus::Ready);
        if ready {
            repo::submissions::update(db, s, showing(Some(latest))).await?;
            released += 1;
        }
    }
    Ok(released)
}

/// The change that makes `video_id` the video jurors and the public see (`None`: none).
pub(crate) fn showing(video_id: Option<Uuid>) -> SubmissionChanges {
    SubmissionChanges {
        current_video_id: Some(video_id),
        ..SubmissionChanges::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_video_is_late_only_when_it_arrived_after_judging_opened() {
        let opened = Utc::now();
        let before = opened - chrono::Duration::seconds(1);
        let after = opened + chrono::Duration::seconds(1);
        assert!(!is_late(None, after));
        assert!(!is_late(Some(opened), before));
        assert!(!is_late(Some(opened), opened));
        assert!(is_late(Some(opened), after));
    }
}
