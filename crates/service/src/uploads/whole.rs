use std::fmt::Display;

use anyhow::Context as _;
use bytes::Bytes;
use chrono::Utc;
use clipjury_db::repo;
use clipjury_db::repo::uploads::UploadChanges;
use clipjury_domain::validation::ValidationError;
use futures_util::{Stream, StreamExt as _};
use sea_orm::Set;
use uuid::Uuid;

use super::complete::complete_upload;
use super::part_key;
use crate::auth::{Session, random_token};
use crate::submissions::{SubmissionView, open_for_uploads, own_submission};
use crate::{ServiceError, Services};

/// Stores a whole file sent in one request (the multipart fallback for small files and scripts): same limits and
/// same result as a resumable upload, but an interrupted request keeps nothing.
///
/// # Errors
/// As [`super::create_upload`]; `upload-too-large` (413) as soon as the stream passes the limit;
/// `upload-interrupted` (409) when the body ends early.
#[tracing::instrument(skip_all, fields(contest_id = %contest_id))]
pub async fn upload_whole<S, E>(
    services: &Services,
    session: &Session,
    contest_id: Uuid,
    filename: Option<String>,
    content_type: Option<String>,
    mut body: S,
) -> Result<SubmissionView, ServiceError>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
    E: Display,
{
    let (contest, submission) = own_submission(&services.db, session, contest_id).await?;
    let submission = submission.ok_or_else(|| {
        ServiceError::conflict(
            "submission-missing",
            "fill in the submission form (title, key message, consent) before uploading",
        )
    })?;
    open_for_uploads(&contest, Utc::now())?;
    let used = repo::uploads::pending_bytes_for_group(&services.db, submission.group_id).await?
        + repo::videos::stored_bytes_for_submission(&services.db, submission.id).await?;
    let max = u64::try_from(contest.max_upload_bytes).unwrap_or(0).min(
        services
            .config
            .uploads
            .group_quota_bytes
            .saturating_sub(u64::try_from(used).unwrap_or(0)),
    );
    let id = random_token(16);
    let lock_id = random_token(9);
    let key = part_key(&id, 0, &lock_id);
    let mut writer = services.storage.writer(&key).await?;
    let failure = loop {
        match body.next().await {
            None => break None,
            Some(Err(e)) => {
                break Some(ServiceError::conflict(
                    "upload-interrupted",
                    format!("the upload was interrupted: {e}"),
                ));
            }
            Some(Ok(chunk)) => {
                if writer.written() + chunk.len() as u64 > max {
                    break Some(ServiceError::TooLarge {
                        code: "upload-too-large",
                        message: format!("this contest accepts at most {} MB", max / 1_000_000),
                    });
                }
                if let Err(e) = writer.write(chunk).await {
                    break Some(e.into());
                }
            }
        }
    };
    if let Some(err) = failure {
        let _ = writer.abort().await;
        return Err(err);
    }
    if writer.written() == 0 {
        let _ = writer.abort().await;
        return Err(ValidationError::new("upload-empty", "the file is empty").into());
    }
    let written = writer.finish().await?;
    services.metrics.record_upload_bytes(written);
    let length = i64::try_from(written).unwrap_or(i64::MAX);
    let now = Utc::now();
    let txn = clipjury_db::begin_write(&services.db)
        .await
        .context("begin")?;
    let row = UploadChanges {
        id: Set(id.clone()),
        contest_id: Set(contest_id),
        group_id: Set(submission.group_id),
        submission_id: Set(submission.id),
        length: Set(length),
        upload_offset: Set(0),
        bytes_received: Set(0),
        metadata: Set(serde_json::json!({ "filename": filename, "filetype": content_type })),
        filename: Set(filename.map(|f| f.chars().take(255).collect())),
        content_type: Set(content_type),
        lock_id: Set(Some(lock_id.clone())),
        locked_until: Set(Some(now + chrono::Duration::minutes(1))),
        expires_at: Set(now + chrono::Duration::hours(1)),
        completed_at: Set(None),
        video_id: Set(None),
        created_at: Set(now),
    };
    repo::uploads::insert(&txn, row).await?;
    repo::uploads::commit_part(&txn, &id, &lock_id, 0, length, &key, now).await?;
    txn.commit().await.context("commit")?;
    let upload = repo::uploads::find(&services.db, &id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("upload vanished"))?;
    complete_upload(services, session, upload).await?;
    crate::submissions::get_own_submission(services, session, contest_id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("submission vanished").into())
}
