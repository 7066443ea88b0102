//! A group's storage quota: what its unfinished uploads declared plus the originals of its current and latest
//! video (a failed or superseded video no longer counts, and its original is deleted after a grace period). The
//! check and the reservation happen in one transaction that holds the submission's row, so parallel uploads of one
//! group take turns and cannot together pass the quota.

use anyhow::Context as _;
use chrono::Utc;
use clipjury_db::repo::submissions::SubmissionRow;
use clipjury_db::{ConnectionTrait, repo};
use clipjury_domain::error_code::ErrorCode;
use clipjury_domain::participant::Role;
use clipjury_domain::video::VideoStatus;
use uuid::Uuid;

use super::terminate::remove;
use crate::auth::AdminSession;
use crate::participants::owned_participant;
use crate::{ServiceError, Services, audit};

/// How long the original of a superseded or failed video is kept (a group may still want it back).
pub const FREE_AFTER: chrono::TimeDelta = chrono::TimeDelta::hours(24);

/// Bytes the group of `submission` holds against its quota.
pub(crate) async fn used_bytes(
    db: &impl ConnectionTrait,
    submission: &SubmissionRow,
) -> Result<u64, ServiceError> {
    let pending = repo::uploads::pending_bytes_for_group(db, submission.group_id).await?;
    let stored = repo::videos::counted_bytes_for_submission(
        db,
        submission.current_video_id,
        submission.latest_video_id,
    )
    .await?;
    Ok(u64::try_from(pending + stored).unwrap_or(0))
}

/// Locks the submission's row for the rest of the transaction and returns how many more bytes its group may
/// upload. Call in the write transaction that then records the upload.
pub(crate) async fn lock_remaining(
    db: &impl ConnectionTrait,
    services: &Services,
    submission_id: Uuid,
) -> Result<u64, ServiceError> {
    let submission = repo::submissions::lock(db, submission_id)
        .await?
        .ok_or_else(|| {
            ServiceError::not_found(ErrorCode::SubmissionNotFound, "no such submission")
        })?;
    let used = used_bytes(db, &submission).await?;
    Ok(services
        .config
        .uploads
        .group_quota_bytes
        .saturating_sub(used))
}

pub(crate) fn quota_exceeded() -> ServiceError {
    ServiceError::TooLarge {
        code: ErrorCode::QuotaExceeded,
        message: "your group has used its storage; ask the organisers to free it".into(),
    }
}

/// Deletes the originals of videos that are neither an entry's current nor its latest video (or whose processing
/// failed), once [`FREE_AFTER`] has passed since they stopped counting. Renditions and posters stay. Returns how
/// many parts were deleted.
///
/// # Errors
/// [`ServiceError::Unexpected`] when the database or the store fails; what was deleted stays deleted.
pub async fn free_superseded_originals(services: &Services) -> Result<usize, ServiceError> {
    let before = Utc::now() - FREE_AFTER;
    let mut deleted = 0;
    for video in repo::videos::with_originals_to_free(&services.db, before).await? {
        let Some(sub) = repo::submissions::find(&services.db, video.submission_id).await? else {
            continue;
        };
        let visible = sub.current_video_id == Some(video.id);
        let latest = sub.latest_video_id == Some(video.id);
        let superseded_long_ago = match sub.latest_video_id {
            Some(l) if l != video.id => repo::videos::find(&services.db, l)
                .await?
                .is_some_and(|l| l.created_at < before),
            _ => true,
        };
        let free =
            !visible && (video.status == VideoStatus::Failed || (!latest && superseded_long_ago));
        if free {
            deleted += delete_original(services, &video.upload_id).await?;
        }
    }
    if deleted > 0 {
        tracing::info!(deleted, "originals of superseded and failed videos deleted");
    }
    Ok(deleted)
}

async fn delete_original(services: &Services, upload_id: &str) -> Result<usize, ServiceError> {
    let mut deleted = 0;
    for part in repo::uploads::parts(&services.db, upload_id).await? {
        services.storage.delete(&part.storage_key).await?;
        repo::uploads::delete_part(&services.db, &part.storage_key).await?;
        deleted += 1;
    }
    Ok(deleted)
}

/// What resetting a group's uploads freed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UploadsReset {
    /// Unfinished uploads deleted.
    pub uploads: usize,
    /// Originals of videos other than the visible one deleted.
    pub originals: usize,
    /// Bytes the group may upload now.
    pub remaining_bytes: u64,
}

/// Frees a group's storage at once (the admin's tool for a group stuck at its quota): deletes its unfinished
/// uploads and the originals of every video but the one jurors and the public see (and one still being processed).
/// Logged in the audit.
///
/// # Errors
/// `contest-not-found`, `participant-not-found` (404); `not-a-group` (400).
#[tracing::instrument(skip_all, fields(contest_id = %contest_id, participant_id = %participant_id))]
pub async fn reset_group_uploads(
    services: &Services,
    session: &AdminSession,
    contest_id: Uuid,
    participant_id: Uuid,
) -> Result<UploadsReset, ServiceError> {
    let group = owned_participant(&services.db, session, contest_id, participant_id).await?;
    if group.role != Role::Group {
        return Err(clipjury_domain::validation::ValidationError::new(
            ErrorCode::NotAGroup,
            "only groups upload videos",
        )
        .into());
    }
    let mut reset = UploadsReset {
        uploads: 0,
        originals: 0,
        remaining_bytes: 0,
    };
    for upload in repo::uploads::unfinished_for_group(&services.db, participant_id).await? {
        remove(services, &upload.id).await?;
        reset.uploads += 1;
    }
    let submission =
        repo::submissions::find_for_group(&services.db, contest_id, participant_id).await?;
    if let Some(sub) = &submission {
        for video in repo::videos::list_for_submission(&services.db, sub.id).await? {
            // A video being processed still needs its original; it goes at the next reset or sweep.
            if sub.current_video_id != Some(video.id) && video.status != VideoStatus::Processing {
                reset.originals += delete_original(services, &video.upload_id).await?;
            }
        }
    }
    let txn = clipjury_db::begin_write(&services.db)
        .await
        .context("begin")?;
    reset.remaining_bytes = match &submission {
        Some(sub) => lock_remaining(&txn, services, sub.id).await?,
        None => services.config.uploads.group_quota_bytes,
    };
    let mut entry = audit::entry(session, Some(contest_id), "uploads.reset");
    entry.after = Some(serde_json::json!({
        "participant_id": participant_id, "uploads": reset.uploads, "originals": reset.originals,
    }));
    repo::audit::append(&txn, entry).await?;
    txn.commit().await.context("commit")?;
    Ok(reset)
}
