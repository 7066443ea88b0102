//! What the media workers record about a video: the poster as soon as it exists, progress, and the final outcome.
//! Pure bookkeeping; the FFmpeg work lives in the worker crate.

use anyhow::Context as _;
use chrono::Utc;
use clipjury_db::repo;
use sea_orm::{IntoActiveModel, Set};
use uuid::Uuid;

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
    if video.status != "processing" {
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
    let mut changes = video.into_active_model();
    changes.media = Set(Some(media));
    changes.updated_at = Set(Utc::now());
    repo::videos::update(&txn, changes).await?;
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
    let mut changes = repo::videos::VideoChanges {
        id: Set(video_id),
        ..Default::default()
    };
    changes.progress = Set(progress.clamp(0.0, 1.0));
    changes.updated_at = Set(Utc::now());
    repo::videos::update(&services.db, changes).await?;
    Ok(())
}

/// Marks the video ready and makes it the submission's visible video, unless a newer video is already visible.
///
/// # Errors
/// [`ServiceError::Unexpected`] on database failure.
pub async fn mark_ready(
    services: &Services,
    video_id: Uuid,
    media: serde_json::Value,
) -> Result<(), ServiceError> {
    record_media(services, video_id, media).await?;
    let txn = clipjury_db::begin_write(&services.db)
        .await
        .context("begin")?;
    let Some(video) = repo::videos::find(&txn, video_id).await? else {
        return Ok(());
    };
    let submission_id = video.submission_id;
    let video_created_at = video.created_at;
    let mut changes = video.into_active_model();
    changes.status = Set("ready".into());
    changes.progress = Set(1.0);
    changes.failure_code = Set(None);
    changes.failure_message = Set(None);
    changes.updated_at = Set(Utc::now());
    repo::videos::update(&txn, changes).await?;
    let video_created = video_created_at;
    if let Some(sub) = repo::submissions::find(&txn, submission_id).await? {
        let newer_visible = match sub.current_video_id {
            Some(cur) => cur > video_id, // v7 ids order by creation time
            None => false,
        };
        let judging_started_at = repo::contests::find(&txn, sub.contest_id)
            .await?
            .and_then(|c| c.judging_started_at);
        // Jurors all score the cut that was there when judging opened; a later one waits for the admin.
        let late = crate::submissions::is_late(judging_started_at, video_created);
        if late {
            tracing::info!(video_id = %video_id, "video arrived after judging opened; it waits for the admin");
        }
        if !newer_visible && !late {
            let contest_id = sub.contest_id;
            let mut s = sub.into_active_model();
            s.current_video_id = Set(Some(video_id));
            s.updated_at = Set(Utc::now());
            repo::submissions::update(&txn, s).await?;
            repo::audit::append(
                &txn,
                repo::audit::NewAuditEntry {
                    contest_id: Some(contest_id),
                    actor_role: "system",
                    actor_id: None,
                    action: "video.ready",
                    before: None,
                    after: Some(
                        serde_json::json!({ "submission_id": submission_id, "video_id": video_id }),
                    ),
                    reason: None,
                },
            )
            .await?;
        }
    }
    txn.commit().await.context("commit")?;
    Ok(())
}

/// Marks the video failed with a reason code and a plain-language message the group sees. The previous visible
/// video, if any, stays visible.
///
/// # Errors
/// [`ServiceError::Unexpected`] on database failure.
pub async fn mark_failed(
    services: &Services,
    video_id: Uuid,
    code: &str,
    message: &str,
) -> Result<(), ServiceError> {
    let Some(video) = repo::videos::find(&services.db, video_id).await? else {
        return Ok(());
    };
    let mut changes = video.into_active_model();
    changes.status = Set("failed".into());
    changes.failure_code = Set(Some(code.to_owned()));
    changes.failure_message = Set(Some(message.to_owned()));
    changes.updated_at = Set(Utc::now());
    repo::videos::update(&services.db, changes).await?;
    tracing::info!(%video_id, code, "video failed");
    Ok(())
}
