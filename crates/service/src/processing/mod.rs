//! What the media workers record about a video: the poster as soon as it exists, progress, and the final outcome.
//! Pure bookkeeping; the FFmpeg work lives in the worker crate.

use anyhow::Context as _;
use chrono::Utc;
use clipjury_db::repo;
use clipjury_db::repo::videos::{VideoChanges, VideoFailure};
use clipjury_domain::video::VideoStatus;
use uuid::Uuid;

use crate::submissions::showing;
use crate::{ServiceError, Services};

/// What a worker needs to process a video.
#[derive(Debug, Clone)]
pub struct ProcessingInput {
    pub video_id: Uuid,
    pub upload_id: String,
    pub contest_id: Uuid,
    pub max_duration_seconds: u32,
    pub duration_tolerance_seconds: u32,
}

/// The input of a `process_video` job, or `None` when its video is gone or no longer processing (a retried job
/// whose work already landed).
///
/// # Errors
/// [`ServiceError::Unexpected`] on database failure.
pub async fn processing_input(
    services: &Services,
    video_id: Uuid,
) -> Result<Option<ProcessingInput>, ServiceError> {
    let Some(video) = repo::videos::find(&services.db, video_id).await? else {
        return Ok(None);
    };
    if video.status != VideoStatus::Processing {
        return Ok(None);
    }
    let Some(submission) = repo::submissions::find(&services.db, video.submission_id).await? else {
        return Ok(None);
    };
    let Some(contest) = repo::contests::find(&services.db, submission.contest_id).await? else {
        return Ok(None);
    };
    Ok(Some(ProcessingInput {
        video_id,
        upload_id: video.upload_id,
        contest_id: contest.id,
        max_duration_seconds: u32::try_from(contest.max_duration_seconds).unwrap_or(60),
        duration_tolerance_seconds: u32::try_from(contest.duration_tolerance_seconds).unwrap_or(5),
    }))
}

/// Merges `patch` into the video's `media` document (probe results, posters, renditions).
///
/// # Errors
/// [`ServiceError::Unexpected`] on database failure.
pub async fn record_media(
    services: &Services,
    video_id: Uuid,
    patch: serde_json::Value,
) -> Result<(), ServiceError> {
    let txn = clipjury_db::begin_write(&services.db)
        .await
        .context("begin")?;
    let Some(video) = repo::videos::find(&txn, video_id).await? else {
        return Ok(());
    };
    let mut media = video.media.clone().unwrap_or_else(|| serde_json::json!({}));
    if let (Some(m), Some(p)) = (media.as_object_mut(), patch.as_object()) {
        for (k, v) in p {
            m.insert(k.clone(), v.clone());
        }
    }
    let changes = VideoChanges {
        media: Some(media),
        ..VideoChanges::default()
    };
    repo::videos::update(&txn, video.id, changes).await?;
    txn.commit().await.context("commit")?;
    Ok(())
}

/// Stores processing progress (0.0–1.0) for the group to see.
///
/// # Errors
/// [`ServiceError::Unexpected`] on database failure.
pub async fn record_progress(
    services: &Services,
    video_id: Uuid,
    progress: f32,
) -> Result<(), ServiceError> {
    let changes = VideoChanges {
        progress: Some(progress.clamp(0.0, 1.0)),
        ..VideoChanges::default()
    };
    repo::videos::update(&services.db, video_id, changes).await?;
    Ok(())
}

/// Records renditions that were just stored (appended to the media document's `renditions`) and makes the video
/// playable: `playable_at` is set the first time, and it becomes the submission's visible video unless a newer one
/// already is. When `rest` is given, the job that makes the remaining renditions is enqueued in the same transaction
/// (priority 1: after every video's first phase).
///
/// # Errors
/// [`ServiceError::Unexpected`] on database failure.
pub async fn mark_playable(
    services: &Services,
    video_id: Uuid,
    renditions: Vec<serde_json::Value>,
    rest: Option<serde_json::Value>,
) -> Result<(), ServiceError> {
    let txn = clipjury_db::begin_write(&services.db)
        .await
        .context("begin")?;
    let Some(video) = repo::videos::find(&txn, video_id).await? else {
        return Ok(());
    };
    let now = Utc::now();
    let mut media = video.media.clone().unwrap_or_else(|| serde_json::json!({}));
    if let Some(m) = media.as_object_mut() {
        let list = m
            .entry("renditions")
            .or_insert_with(|| serde_json::json!([]));
        if let Some(list) = list.as_array_mut() {
            list.extend(renditions);
        }
        m.entry("playable_at")
            .or_insert_with(|| serde_json::json!(now));
    }
    let first_time = video
        .media
        .as_ref()
        .is_none_or(|m| m.get("playable_at").is_none());
    let submission_id = video.submission_id;
    let changes = VideoChanges {
        media: Some(media),
        ..VideoChanges::default()
    };
    repo::videos::update(&txn, video_id, changes).await?;
    if first_time {
        make_visible(&txn, submission_id, video_id, "video.playable").await?;
    }
    if let Some(payload) = rest {
        repo::jobs::enqueue_with_priority(
            &txn,
            crate::uploads::PROCESS_VIDEO_JOB,
            payload,
            &format!("{}:{video_id}:rest", crate::uploads::PROCESS_VIDEO_JOB),
            REST_MAX_ATTEMPTS,
            REST_PRIORITY,
        )
        .await?;
    }
    txn.commit().await.context("commit")?;
    Ok(())
}

/// Priority of a video's second phase: claimed after every queued first phase.
pub const REST_PRIORITY: i32 = 1;
/// Attempts of a second phase (as the first phase's).
const REST_MAX_ATTEMPTS: i32 = 5;

/// Makes `video_id` the submission's visible video unless a newer one already is, or it arrived after judging opened
/// (jurors all score the cut that was there then; a later one waits for the admin, `submissions::accept_late_video`),
/// with an audit entry.
async fn make_visible(
    txn: &impl clipjury_db::ConnectionTrait,
    submission_id: Uuid,
    video_id: Uuid,
    action: &'static str,
) -> Result<(), ServiceError> {
    let Some(sub) = repo::submissions::find(txn, submission_id).await? else {
        return Ok(());
    };
    let visible = match sub.current_video_id {
        Some(cur) => cur >= video_id, // v7 ids order by creation time
        None => false,
    };
    if visible {
        return Ok(());
    }
    let judging_started_at = repo::contests::find(txn, sub.contest_id)
        .await?
        .and_then(|c| c.judging_started_at);
    let created = repo::videos::find(txn, video_id)
        .await?
        .map(|v| v.created_at);
    if created.is_some_and(|at| crate::submissions::is_late(judging_started_at, at)) {
        tracing::info!(video_id = %video_id, "video arrived after judging opened; it waits for the admin");
        return Ok(());
    }
    let contest_id = sub.contest_id;
    repo::submissions::update(txn, sub, showing(Some(video_id))).await?;
    repo::audit::append(
        txn,
        repo::audit::NewAuditEntry {
            contest_id: Some(contest_id),
            actor_role: "system",
            actor_id: None,
            action,
            before: None,
            after: Some(
                serde_json::json!({ "submission_id": submission_id, "video_id": video_id }),
            ),
            reason: None,
        },
    )
    .await?;
    Ok(())
}

/// Records the last renditions, marks the video ready (complete) and makes it the submission's visible video,
/// unless a newer video is already visible.
///
/// # Errors
/// [`ServiceError::Unexpected`] on database failure.
pub async fn mark_ready(
    services: &Services,
    video_id: Uuid,
    renditions: Vec<serde_json::Value>,
    media: serde_json::Value,
) -> Result<(), ServiceError> {
    mark_playable(services, video_id, renditions, None).await?;
    record_media(services, video_id, media).await?;
    let txn = clipjury_db::begin_write(&services.db)
        .await
        .context("begin")?;
    let Some(video) = repo::videos::find(&txn, video_id).await? else {
        return Ok(());
    };
    let submission_id = video.submission_id;
    let changes = VideoChanges {
        status: Some(VideoStatus::Ready),
        progress: Some(1.0),
        failure: Some(None),
        ..VideoChanges::default()
    };
    repo::videos::update(&txn, video_id, changes).await?;
    make_visible(&txn, submission_id, video_id, "video.ready").await?;
    txn.commit().await.context("commit")?;
    Ok(())
}

/// Marks the video failed with a reason code and a plain-language message the group sees, and deletes its stored
/// posters and renditions (nothing of a refused file stays in storage). The previous visible video, if any, stays
/// visible; a failed video never does: if this one already played (its first phase passed, a later step refused
/// it), the submission goes back to its newest other playable video, or to none.
///
/// # Errors
/// [`ServiceError::Unexpected`] on database failure.
pub async fn mark_failed(
    services: &Services,
    video_id: Uuid,
    code: &str,
    message: &str,
) -> Result<(), ServiceError> {
    let txn = clipjury_db::begin_write(&services.db)
        .await
        .context("begin")?;
    let Some(video) = repo::videos::find(&txn, video_id).await? else {
        return Ok(());
    };
    let submission_id = video.submission_id;
    let files = crate::media_files::stored_files(video.media.as_ref());
    let failure = VideoFailure {
        code: code.to_owned(),
        message: message.to_owned(),
    };
    let changes = VideoChanges {
        status: Some(VideoStatus::Failed),
        failure: Some(Some(failure)),
        ..VideoChanges::default()
    };
    repo::videos::update(&txn, video_id, changes).await?;
    if let Some(sub) = repo::submissions::find(&txn, submission_id).await?
        && sub.current_video_id == Some(video_id)
    {
        let previous = repo::videos::list_for_submission(&txn, submission_id)
            .await?
            .into_iter()
            .find(|v| {
                v.id != video_id
                    && (v.status == VideoStatus::Ready
                        || v.media
                            .as_ref()
                            .is_some_and(|m| m.get("playable_at").is_some()))
            })
            .map(|v| v.id);
        repo::submissions::update(&txn, sub, showing(previous)).await?;
    }
    txn.commit().await.context("commit")?;
    for name in files {
        let key = format!("videos/{video_id}/{name}");
        if let Err(e) = services.storage.delete(&key).await {
            tracing::warn!(error = %e, key, "deleting a failed video's file failed");
        }
    }
    tracing::info!(%video_id, code, "video failed");
    Ok(())
}
