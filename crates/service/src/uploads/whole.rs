use clipjury_domain::error_code::ErrorCode;
use std::fmt::Display;

use anyhow::Context as _;
use bytes::Bytes;
use chrono::Utc;
use clipjury_db::repo;
use clipjury_db::repo::contests::ContestRow;
use clipjury_db::repo::submissions::SubmissionRow;
use clipjury_db::repo::uploads::{NewUpload, UploadRow};
use clipjury_domain::validation::ValidationError;
use futures_util::Stream;
use uuid::Uuid;

use super::complete::complete_upload;
use super::part_key;
use super::stream::{Durability, OnInterrupt, Sink, stream_to_storage};
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
    body: S,
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
    let file = FileInfo {
        filename,
        content_type,
        declared,
    };
    let reservation = reserve(services, &contest, &submission, file).await?;
    let written = store(services, &reservation, body).await;
    if !matches!(written, Ok(n) if n > 0) {
        repo::uploads::delete(&services.db, &reservation.id).await?;
    }
    let written = written?;
    if written == 0 {
        return Err(ValidationError::new(ErrorCode::UploadEmpty, "the file is empty").into());
    }
    let upload = commit(services, &reservation, written).await?;
    complete_upload(services, session, upload).await?;
    crate::submissions::get_own_submission(services, session, contest_id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("submission vanished").into())
}

/// What the client said about the file.
struct FileInfo {
    filename: Option<String>,
    content_type: Option<String>,
    declared: Option<u64>,
}

/// The upload row that holds the group's quota while the body streams, and the part it streams into.
struct Reservation {
    id: String,
    lock_id: String,
    key: String,
    /// The contest's limit, or less when the group's quota has less left.
    max: u64,
    contest_max: u64,
}

/// Reserves the quota before the first byte: an upload row for as much as may still come (the declared size when
/// the client sent one), taken while holding the submission, so parallel uploads cannot all pass.
async fn reserve(
    services: &Services,
    contest: &ContestRow,
    submission: &SubmissionRow,
    file: FileInfo,
) -> Result<Reservation, ServiceError> {
    let txn = clipjury_db::begin_write(&services.db)
        .await
        .context("begin")?;
    let remaining = super::quota::lock_remaining(&txn, services, submission.id).await?;
    if remaining == 0
        || file
            .declared
            .is_some_and(|d| d > remaining.saturating_add(64 * 1024))
    {
        return Err(super::quota::quota_exceeded());
    }
    let contest_max = u64::try_from(contest.max_upload_bytes).unwrap_or(0);
    let max = contest_max.min(remaining);
    let id = random_token(16);
    let lock_id = random_token(9);
    let reserved = file.declared.map_or(max, |d| d.min(max));
    let row = upload_row(submission, &id, &lock_id, reserved, file);
    repo::uploads::insert(&txn, row).await?;
    txn.commit().await.context("commit")?;
    Ok(Reservation {
        key: part_key(&id, 0, &lock_id),
        id,
        lock_id,
        max,
        contest_max,
    })
}

/// A new upload row, locked for the request that streams its one part.
fn upload_row(
    submission: &SubmissionRow,
    id: &str,
    lock_id: &str,
    reserved: u64,
    file: FileInfo,
) -> NewUpload {
    let now = Utc::now();
    let FileInfo {
        filename,
        content_type,
        ..
    } = file;
    NewUpload {
        id: id.to_owned(),
        contest_id: submission.contest_id,
        group_id: submission.group_id,
        submission_id: submission.id,
        length: i64::try_from(reserved).unwrap_or(i64::MAX),
        metadata: serde_json::json!({ "filename": filename, "filetype": content_type }),
        filename: filename.map(|f| f.chars().take(255).collect()),
        content_type,
        lock_id: Some(lock_id.to_owned()),
        locked_until: Some(now + chrono::Duration::minutes(1)),
        expires_at: now + chrono::Duration::hours(1),
    }
}

/// Streams the body into the reserved part; returns its size.
async fn store<S, E>(
    services: &Services,
    reservation: &Reservation,
    body: S,
) -> Result<u64, ServiceError>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
    E: Display,
{
    let max = reservation.max;
    let too_large = || {
        if max < reservation.contest_max {
            super::quota::quota_exceeded()
        } else {
            ServiceError::TooLarge {
                code: ErrorCode::UploadTooLarge,
                message: format!("this contest accepts at most {} MB", max / 1_000_000),
            }
        }
    };
    let sink = Sink {
        key: &reservation.key,
        max,
        too_large: &too_large,
        checksum: None,
        on_interrupt: OnInterrupt::Fail,
        durability: Durability::Now,
    };
    stream_to_storage(&services.storage, &sink, body, async || Ok(())).await
}

/// Records the stored part as the whole upload, of the size that arrived.
async fn commit(
    services: &Services,
    r: &Reservation,
    written: u64,
) -> Result<UploadRow, ServiceError> {
    services.metrics.record_upload_bytes(written);
    let length = i64::try_from(written).unwrap_or(i64::MAX);
    let txn = clipjury_db::begin_write(&services.db)
        .await
        .context("begin")?;
    repo::uploads::set_length(&txn, &r.id, length).await?;
    repo::uploads::commit_part(&txn, &r.id, &r.lock_id, 0, length, &r.key, Utc::now()).await?;
    txn.commit().await.context("commit")?;
    repo::uploads::find(&services.db, &r.id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("upload vanished").into())
}
