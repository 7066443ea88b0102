use clipjury_domain::error_code::ErrorCode;
use std::fmt::Display;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use bytes::Bytes;
use chrono::{DateTime, Utc};
use clipjury_db::repo;
use clipjury_db::repo::uploads::UploadRow;
use clipjury_domain::validation::ValidationError;
use futures_util::Stream;

use super::checksum::Checksum;
use super::complete::finish_upload;
use super::part_key;
use super::recover::with_verified_offset;
use super::status::{check_not_expired, own_upload};
use super::stream::{Durability, OnInterrupt, Sink, stream_to_storage};
use crate::auth::{GroupSession, random_token};
use crate::submissions::may_continue_upload;
use crate::{ServiceError, Services};

/// A write lock lives this long unless the writer extends it (it does every [`LOCK_EXTEND_EVERY`] while bytes flow).
const LOCK_TTL: Duration = Duration::from_secs(60);
const LOCK_EXTEND_EVERY: Duration = Duration::from_secs(15);

/// Parts shorter than this are "small": a client sends them at the end of an upload or when its connection drops.
const SMALL_PART_BYTES: i64 = 256 * 1024;
/// Small parts an upload may have. Every PATCH writes a part object, so without a limit 10,000 one-byte PATCHes
/// would make 10,000 objects; a real phone's upload has a handful (its dropped connections and its last chunk).
pub const MAX_SMALL_PARTS: u64 = 64;
/// Parts of any size an upload may have (a 500 MB upload in 5 MB chunks has 100).
pub const MAX_PARTS: u64 = 2048;

/// The state after an append.
#[derive(Debug, Clone)]
pub struct AppendOutcome {
    pub offset: u64,
    pub length: u64,
    pub completed: bool,
    pub expires_at: DateTime<Utc>,
}

fn offset_mismatch(current: i64) -> ServiceError {
    ServiceError::conflict(
        ErrorCode::OffsetMismatch,
        format!("the upload is at offset {current}; resume from there"),
    )
}

fn locked() -> ServiceError {
    ServiceError::conflict(
        ErrorCode::UploadLocked,
        "another request is writing to this upload; retry in a moment",
    )
}

fn lock_until() -> DateTime<Utc> {
    Utc::now()
        + chrono::Duration::from_std(LOCK_TTL).unwrap_or_else(|_| chrono::Duration::seconds(60))
}

/// Appends a request body at `offset` (tus PATCH). The body streams to storage as it arrives. When the client's
/// connection drops mid-body, the bytes received so far are kept (unless a checksum was sent: unverifiable bytes are
/// dropped), so the next HEAD reports them and nothing is sent twice. Reaching the declared length completes the
/// upload: the submission's new video is created and its processing job enqueued in one transaction.
///
/// # Errors
/// `upload-not-found` (404), `upload-expired` (410), `uploads-closed` (403), `offset-mismatch` and `upload-locked`
/// (409), `upload-exceeds-length` (413), `checksum-mismatch` (460), `upload-too-fragmented` (400) past
/// [`MAX_PARTS`] parts or [`MAX_SMALL_PARTS`] parts under 256 KiB.
#[tracing::instrument(skip_all, fields(upload_id = %id, offset))]
pub async fn append<S, E>(
    services: &Services,
    session: &GroupSession,
    id: &str,
    offset: u64,
    checksum: Option<Checksum>,
    body: S,
) -> Result<AppendOutcome, ServiceError>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
    E: Display,
{
    let upload = own_upload(&services.db, session, id).await?;
    check_not_expired(&upload)?;
    // A client that kept the offset of an earlier PATCH must not append after a part a power cut lost.
    let upload = with_verified_offset(services, upload).await?;
    let offset = i64::try_from(offset).map_err(|_| offset_mismatch(upload.upload_offset))?;
    if upload.completed_at.is_some() {
        return already_completed(&upload, offset);
    }
    check_may_append(services, &upload, offset).await?;
    let part = take_lock(services, id, offset).await?;
    let received = store_part(services, &upload, &part, checksum.as_ref(), body).await;
    if !matches!(received, Ok(n) if n > 0) {
        // Nothing to commit: the lock is free again for the client's retry.
        repo::uploads::release_lock(&services.db, id, &part.lock_id).await?;
    }
    match received? {
        0 => nothing_arrived(services, session, upload).await,
        n => commit_part(services, session, &upload, &part, n).await,
    }
}

/// The part one PATCH writes: where it starts, its object, and the lock held while writing it.
struct Part {
    start: i64,
    key: String,
    lock_id: String,
}

/// A PATCH to a completed upload: the repeat of the last one (whose answer was lost) succeeds, any other is refused.
fn already_completed(upload: &UploadRow, offset: i64) -> Result<AppendOutcome, ServiceError> {
    if offset == upload.length {
        Ok(outcome(
            upload.length,
            upload.length,
            true,
            upload.expires_at,
        ))
    } else {
        Err(offset_mismatch(upload.upload_offset))
    }
}

/// Refuses an append that the contest's deadlines, the offset or the upload's fragmentation do not allow.
async fn check_may_append(
    services: &Services,
    upload: &UploadRow,
    offset: i64,
) -> Result<(), ServiceError> {
    let contest = repo::contests::find(&services.db, upload.contest_id)
        .await?
        .ok_or_else(|| ServiceError::not_found(ErrorCode::UploadNotFound, "no such upload"))?;
    may_continue_upload(services, &contest, upload.created_at, Utc::now())?;
    if offset != upload.upload_offset {
        return Err(offset_mismatch(upload.upload_offset));
    }
    let (parts, small) =
        repo::uploads::part_counts(&services.db, &upload.id, SMALL_PART_BYTES).await?;
    if parts >= MAX_PARTS || small >= MAX_SMALL_PARTS {
        return Err(ValidationError::new(
            ErrorCode::UploadTooFragmented,
            "this upload arrived in too many small pieces; start it again with larger chunks",
        )
        .into());
    }
    Ok(())
}

/// Takes the upload's write lock at `offset`, or says why not: the offset moved on, or another request is writing.
async fn take_lock(services: &Services, id: &str, offset: i64) -> Result<Part, ServiceError> {
    let lock_id = random_token(9);
    if repo::uploads::try_lock(&services.db, id, offset, &lock_id, lock_until()).await? {
        return Ok(Part {
            start: offset,
            key: part_key(id, offset, &lock_id),
            lock_id,
        });
    }
    let now = repo::uploads::find(&services.db, id).await?;
    Err(match now {
        Some(u) if u.upload_offset != offset => offset_mismatch(u.upload_offset),
        _ => locked(),
    })
}

/// Streams the body into the part's object, extending the lock while bytes flow. Returns the bytes stored.
async fn store_part<S, E>(
    services: &Services,
    upload: &UploadRow,
    part: &Part,
    checksum: Option<&Checksum>,
    body: S,
) -> Result<u64, ServiceError>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
    E: Display,
{
    let too_large = || ServiceError::TooLarge {
        code: ErrorCode::UploadExceedsLength,
        message: "more bytes were sent than the upload's declared length".into(),
    };
    let sink = Sink {
        key: &part.key,
        max: u64::try_from(upload.length - part.start).unwrap_or(0),
        too_large: &too_large,
        checksum,
        on_interrupt: OnInterrupt::Keep,
        // Acknowledged once the bytes are written, before the flush that makes them durable: a flush per PATCH
        // would stall the disk once per chunk. The last PATCH flushes every part (complete.rs); a power cut before
        // then can lose the latest parts, which are checked before the offset is used again (recover.rs).
        durability: Durability::NextFlush,
    };
    let mut last_extend = Instant::now();
    let keep_lock = async || {
        if last_extend.elapsed() < LOCK_EXTEND_EVERY {
            return Ok(());
        }
        last_extend = Instant::now();
        let until = lock_until();
        if repo::uploads::extend_lock(&services.db, &upload.id, &part.lock_id, until).await? {
            Ok(())
        } else {
            Err(locked())
        }
    };
    stream_to_storage(&services.storage, &sink, body, keep_lock).await
}

/// A PATCH that stored no byte leaves the offset where it was, but completes an upload whose bytes had all arrived
/// (completing failed, or was cut off, last time).
async fn nothing_arrived(
    services: &Services,
    session: &GroupSession,
    upload: UploadRow,
) -> Result<AppendOutcome, ServiceError> {
    let (offset, length, expires_at) = (upload.upload_offset, upload.length, upload.expires_at);
    let completed = offset == length;
    if completed {
        finish_upload(services, session, upload).await?;
    }
    Ok(outcome(offset, length, completed, expires_at))
}

/// Records the stored part and moves the offset on; completes the upload when the part was its last.
async fn commit_part(
    services: &Services,
    session: &GroupSession,
    upload: &UploadRow,
    part: &Part,
    received: u64,
) -> Result<AppendOutcome, ServiceError> {
    let length = i64::try_from(received).unwrap_or(i64::MAX);
    let expires_at =
        Utc::now() + chrono::Duration::hours(i64::from(services.config.uploads.expiry_hours));
    let txn = clipjury_db::begin_write(&services.db)
        .await
        .context("begin")?;
    let (id, lock_id) = (upload.id.as_str(), part.lock_id.as_str());
    let committed =
        repo::uploads::commit_part(&txn, id, lock_id, part.start, length, &part.key, expires_at)
            .await?;
    txn.commit().await.context("commit")?;
    if !committed {
        services.storage.delete(&part.key).await?;
        return Err(locked());
    }
    services.metrics.record_upload_bytes(received);
    let new_offset = part.start + length;
    let completed = new_offset == upload.length;
    if completed {
        let fresh = repo::uploads::find(&services.db, id)
            .await?
            .ok_or_else(|| anyhow::anyhow!("upload vanished after commit"))?;
        finish_upload(services, session, fresh).await?;
    }
    Ok(outcome(new_offset, upload.length, completed, expires_at))
}

fn outcome(offset: i64, length: i64, completed: bool, expires_at: DateTime<Utc>) -> AppendOutcome {
    AppendOutcome {
        offset: u64::try_from(offset).unwrap_or(0),
        length: u64::try_from(length).unwrap_or(0),
        completed,
        expires_at,
    }
}
