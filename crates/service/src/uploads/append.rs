use clipjury_domain::error_code::ErrorCode;
use std::fmt::Display;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use bytes::Bytes;
use chrono::{DateTime, Utc};
use clipjury_db::repo;
use clipjury_domain::validation::ValidationError;
use clipjury_storage::ObjectWriter;
use futures_util::{Stream, StreamExt as _};

use super::checksum::Checksum;
use super::complete::finish_upload;
use super::part_key;
use super::recover::with_verified_offset;
use super::status::{check_not_expired, own_upload};
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
    mut body: S,
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
        return if offset == upload.length {
            Ok(outcome(
                upload.length,
                upload.length,
                true,
                upload.expires_at,
            ))
        } else {
            Err(offset_mismatch(upload.upload_offset))
        };
    }
    let contest = repo::contests::find(&services.db, upload.contest_id)
        .await?
        .ok_or_else(|| ServiceError::not_found(ErrorCode::UploadNotFound, "no such upload"))?;
    may_continue_upload(services, &contest, upload.created_at, Utc::now())?;
    if offset != upload.upload_offset {
        return Err(offset_mismatch(upload.upload_offset));
    }
    let (parts, small) = repo::uploads::part_counts(&services.db, id, SMALL_PART_BYTES).await?;
    if parts >= MAX_PARTS || small >= MAX_SMALL_PARTS {
        return Err(ValidationError::new(
            ErrorCode::UploadTooFragmented,
            "this upload arrived in too many small pieces; start it again with larger chunks",
        )
        .into());
    }
    let lock_id = random_token(9);
    if !repo::uploads::try_lock(&services.db, id, offset, &lock_id, lock_until()).await? {
        let now = repo::uploads::find(&services.db, id).await?;
        return Err(match now {
            Some(u) if u.upload_offset != offset => offset_mismatch(u.upload_offset),
            _ => locked(),
        });
    }

    let key = part_key(id, offset, &lock_id);
    let remaining = u64::try_from(upload.length - offset).unwrap_or(0);
    let mut writer: Option<ObjectWriter> = None;
    let mut hasher = checksum.as_ref().map(Checksum::hasher);
    let mut received: u64 = 0;
    let mut cut_short = false;
    let mut last_extend = Instant::now();
    let failure: Option<ServiceError> = loop {
        let chunk = match body.next().await {
            None => break None,
            Some(Err(e)) => {
                tracing::info!(error = %e, received, "upload body ended early; keeping what arrived");
                cut_short = true;
                break None;
            }
            Some(Ok(chunk)) => chunk,
        };
        if received + chunk.len() as u64 > remaining {
            break Some(ServiceError::TooLarge {
                code: ErrorCode::UploadExceedsLength,
                message: "more bytes were sent than the upload's declared length".into(),
            });
        }
        if let Some(h) = hasher.as_mut() {
            h.update(&chunk);
        }
        received += chunk.len() as u64;
        let w = match writer {
            Some(ref mut w) => w,
            None => match services.storage.writer(&key).await {
                Ok(w) => writer.insert(w),
                Err(e) => break Some(e.into()),
            },
        };
        if let Err(e) = w.write(chunk).await {
            break Some(e.into());
        }
        if last_extend.elapsed() >= LOCK_EXTEND_EVERY {
            last_extend = Instant::now();
            if !repo::uploads::extend_lock(&services.db, id, &lock_id, lock_until()).await? {
                break Some(locked());
            }
        }
    };

    let digest = hasher.map(super::checksum::Hasher::finish);
    let failure = failure.or_else(|| match (&checksum, digest) {
        (Some(_), _) if cut_short => Some(ServiceError::conflict(
            ErrorCode::UploadInterrupted,
            "the body ended early; its checksum cannot be verified",
        )),
        (Some(c), Some(d)) if d != c.expected => Some(ServiceError::ChecksumMismatch {
            code: ErrorCode::ChecksumMismatch,
            message: "the data does not match Upload-Checksum; send it again".into(),
        }),
        _ => None,
    });
    if let Some(err) = failure {
        if let Some(w) = writer {
            let _ = w.abort().await;
        }
        repo::uploads::release_lock(&services.db, id, &lock_id).await?;
        return Err(err);
    }
    let Some(writer) = writer else {
        repo::uploads::release_lock(&services.db, id, &lock_id).await?;
        if offset == upload.length {
            // Every byte had arrived but completing failed (or was cut off) last time: complete now.
            finish_upload(services, session, upload.clone()).await?;
            return Ok(outcome(offset, upload.length, true, upload.expires_at));
        }
        return Ok(outcome(offset, upload.length, false, upload.expires_at));
    };
    // Acknowledged once the bytes are written, before the flush that makes them durable: a flush per PATCH would
    // stall the disk once per chunk. The last PATCH flushes every part (complete.rs); a power cut before then can
    // lose the latest parts, which are checked before the offset is used again (recover.rs).
    writer.finish_without_flush().await?;
    let length = i64::try_from(received).unwrap_or(i64::MAX);
    let expires_at =
        Utc::now() + chrono::Duration::hours(i64::from(services.config.uploads.expiry_hours));
    let txn = clipjury_db::begin_write(&services.db)
        .await
        .context("begin")?;
    let committed =
        repo::uploads::commit_part(&txn, id, &lock_id, offset, length, &key, expires_at).await?;
    txn.commit().await.context("commit")?;
    if !committed {
        services.storage.delete(&key).await?;
        return Err(locked());
    }
    services.metrics.record_upload_bytes(received);
    let new_offset = offset + length;
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
