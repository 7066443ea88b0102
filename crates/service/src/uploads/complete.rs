use anyhow::Context as _;
use clipjury_db::repo;
use clipjury_db::repo::uploads::UploadRow;
use clipjury_db::repo::videos::NewVideo;
use uuid::Uuid;

use super::PROCESS_VIDEO_JOB;
use crate::auth::GroupSession;
use crate::{ServiceError, Services, audit};

/// Attempts a processing job gets before the video is marked failed.
pub(crate) const PROCESS_MAX_ATTEMPTS: i32 = 5;

/// Completes an upload whose bytes have all arrived: first makes every part durable (a tus part is acknowledged
/// before its last flush to disk), then [`complete_upload`].
pub(crate) async fn finish_upload(
    services: &Services,
    session: &GroupSession,
    upload: UploadRow,
) -> Result<Uuid, ServiceError> {
    let keys: Vec<String> = repo::uploads::parts(&services.db, &upload.id)
        .await?
        .into_iter()
        .map(|p| p.storage_key)
        .collect();
    services.storage.sync(&keys).await?;
    complete_upload(services, session, upload).await
}

/// Turns a fully received upload into the submission's newest video and enqueues its processing, all in one
/// transaction. The video shown so far stays current until the new one is ready.
pub(crate) async fn complete_upload(
    services: &Services,
    session: &GroupSession,
    upload: UploadRow,
) -> Result<Uuid, ServiceError> {
    let txn = clipjury_db::begin_write(&services.db)
        .await
        .context("begin")?;
    let video_id = Uuid::now_v7();
    let video = NewVideo {
        id: video_id,
        submission_id: upload.submission_id,
        upload_id: upload.id.clone(),
        source_bytes: upload.length,
        original_filename: upload.filename.clone(),
    };
    repo::videos::insert(&txn, video).await?;
    let submission = repo::submissions::find(&txn, upload.submission_id)
        .await?
        .ok_or_else(|| {
            anyhow::anyhow!(
                "submission {} of upload {} is gone",
                upload.submission_id,
                upload.id
            )
        })?;
    let changes = repo::submissions::SubmissionChanges {
        latest_video_id: Some(video_id),
        ..Default::default()
    };
    repo::submissions::update(&txn, submission, changes).await?;
    if !repo::uploads::mark_complete(&txn, &upload.id, video_id).await? {
        // Another request completed it first; that one made the video.
        drop(txn);
        return repo::uploads::find(&services.db, &upload.id)
            .await?
            .and_then(|u| u.video_id)
            .ok_or_else(|| {
                anyhow::anyhow!("upload {} complete without a video", upload.id).into()
            });
    }
    repo::jobs::enqueue(
        &txn,
        PROCESS_VIDEO_JOB,
        serde_json::json!({ "video_id": video_id, "upload_id": upload.id, "submission_id": upload.submission_id }),
        &format!("{PROCESS_VIDEO_JOB}:{video_id}"),
        PROCESS_MAX_ATTEMPTS,
    )
    .await?;
    let mut entry = audit::entry(session, Some(upload.contest_id), "video.upload");
    entry.after = Some(serde_json::json!({
        "submission_id": upload.submission_id, "video_id": video_id, "bytes": upload.length, "filename": upload.filename,
    }));
    repo::audit::append(&txn, entry).await?;
    txn.commit().await.context("commit")?;
    tracing::info!(video_id = %video_id, upload_id = %upload.id, "upload complete; processing enqueued");
    Ok(video_id)
}
