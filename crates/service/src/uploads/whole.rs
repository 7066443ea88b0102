use clipjury_domain::error_code::ErrorCode;
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
use crate::auth::{GroupSession, random_token};
use crate::submissions::{SubmissionView, open_for_uploads, own_submission};
use crate::{ServiceError, Services};

/// Stores a whole file sent in one request (the multipart fallback for small files and scripts): same limits and
/// same result as a resumable upload, but an interrupted request keeps nothing.
///
/// # Errors
/// As [`super::create_upload`]; `upload-too-large` (413) as soon as the stream passes the limit (the contest's,
/// or what is left of the group's quota: `quota-exceeded` before any byte when nothing is);
/// `upload-interrupted` (409) when the body ends early.
#[tracing::instrument(skip_all, fields(contest_id = %contest_id))]
pub async fn upload_whole<S, E>(
    services: &Services,
    session: &GroupSession,
    contest_id: Uuid,
    filename: Option<String>,
    content_type: Option<String>,
    declared: Option<u64>,
    mut body: S,
) -> Result<SubmissionView, ServiceError>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
    E: Display,
{
    let (contest, submission) = own_submission(&services.db, session, contest_id).await?;
    let submission = submission.ok_or_else(|| {
        ServiceError::conflict(
            ErrorCode::SubmissionMissing,
            "fill in the submission form (title, key message, consent) before uploading",
        )
    })?;
    open_for_uploads(&contest, Utc::now())?;
    // The quota is reserved before the first byte: an upload row for as much as may still come (the declared size
    // when the client sent one), taken while holding the submission, so parallel uploads cannot all pass.
    let id = random_token(16);
    let lock_id = random_token(9);
    let key = part_key(&id, 0, &lock_id);
    let now = Utc::now();
    let txn = clipjury_db::begin_write(&services.db)
        .await
        .context("begin")?;
    let remaining = super::quota::lock_remaining(&txn, services, submission.id).await?;
    if remaining == 0 || declared.is_some_and(|d| d > remaining.saturating_add(64 * 1024)) {
        return Err(super::quota::quota_exceeded());
    }
    let contest_max = u64::try_from(contest.max_upload_bytes).unwrap_or(0);
    let max = contest_max.min(remaining);
    let reserved = declared.map_or(max, |d| d.min(max));
    repo::uploads::insert(
        &txn,
        UploadChanges {
            id: Set(id.clone()),
            contest_id: Set(contest_id),
            group_id: Set(submission.group_id),
            submission_id: Set(submission.id),
            length: Set(i64::try_from(reserved).unwrap_or(i64::MAX)),
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
        },
    )
    .await?;
    txn.commit().await.context("commit")?;
    let mut writer = match services.storage.writer(&key).await {
        Ok(w) => w,
        Err(e) => {
            repo::uploads::delete(&services.db, &id).await?;
            return Err(e.into());
        }
    };
    let failure = loop {
        match body.next().await {
            None => break None,
            Some(Err(e)) => {
                break Some(ServiceError::conflict(
                    ErrorCode::UploadInterrupted,
                    format!("the upload was interrupted: {e}"),
                ));
            }
            Some(Ok(chunk)) => {
                if writer.written() + chunk.len() as u64 > max {
                    break Some(if max < contest_max {
                        super::quota::quota_exceeded()
                    } else {
                        ServiceError::TooLarge {
                            code: ErrorCode::UploadTooLarge,
                            message: format!("this contest accepts at most {} MB", max / 1_000_000),
                        }
                    });
                }
                if let Err(e) = writer.write(chunk).await {
                    break Some(e.into());
                }
            }
        }
    };
    let failure = failure.or_else(|| {
        (writer.written() == 0)
            .then(|| ValidationError::new(ErrorCode::UploadEmpty, "the file is empty").into())
    });
    if let Some(err) = failure {
        let _ = writer.abort().await;
        repo::uploads::delete(&services.db, &id).await?;
        return Err(err);
    }
    let written = writer.finish().await?;
    services.metrics.record_upload_bytes(written);
    let length = i64::try_from(written).unwrap_or(i64::MAX);
    let txn = clipjury_db::begin_write(&services.db)
        .await
        .context("begin")?;
    repo::uploads::set_length(&txn, &id, length).await?;
    repo::uploads::commit_part(&txn, &id, &lock_id, 0, length, &key, Utc::now()).await?;
    txn.commit().await.context("commit")?;
    let upload = repo::uploads::find(&services.db, &id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("upload vanished"))?;
    complete_upload(services, session, upload).await?;
    crate::submissions::get_own_submission(services, session, contest_id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("submission vanished").into())
}
