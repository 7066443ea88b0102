//! After a power cut. A tus part in a local media folder is acknowledged once its bytes are written but before the
//! flush that makes them durable (the last part of an upload waits for all of them), so a power cut can leave the
//! latest parts shorter or missing while the database counts them. Before an unfinished upload's offset is
//! reported, its parts are checked against the files; the offset goes back to the first one that did not survive,
//! and the client sends the rest again. A process crash loses nothing: the kernel still writes its cache out.

use anyhow::Context as _;
use clipjury_db::repo;
use clipjury_db::repo::uploads::UploadRow;
use clipjury_domain::error_code::ErrorCode;

use crate::{ServiceError, Services};

/// How long after its write a part is checked against the file.
const RECENT: chrono::TimeDelta = chrono::TimeDelta::minutes(10);

/// The upload, with its offset moved back to the end of the parts that are really stored.
pub(crate) async fn with_verified_offset(
    services: &Services,
    upload: UploadRow,
) -> Result<UploadRow, ServiceError> {
    if upload.completed_at.is_some() || !services.storage.may_lose_recent_writes() {
        return Ok(upload);
    }
    // Only the latest parts can have been lost: the kernel writes dirty pages out within ~30 s, so a part older
    // than RECENT is on disk. Checking only those keeps a HEAD or PATCH from stat-ing every part of a long upload.
    let recent = chrono::Utc::now() - RECENT;
    let mut stored = 0;
    for part in repo::uploads::parts(&services.db, &upload.id).await? {
        if part.created_at < recent && part.start_offset == stored {
            stored += part.length;
            continue;
        }
        let size = match services.storage.size(&part.storage_key).await {
            Ok(size) => Some(size),
            Err(clipjury_storage::StorageError::NotFound(_)) => None,
            Err(e) => return Err(e.into()),
        };
        if part.start_offset != stored || size != u64::try_from(part.length).ok() {
            break;
        }
        stored += part.length;
    }
    if stored == upload.upload_offset {
        return Ok(upload);
    }
    let txn = clipjury_db::begin_write(&services.db)
        .await
        .context("begin")?;
    let lost =
        repo::uploads::roll_back_offset(&txn, &upload.id, upload.upload_offset, stored).await?;
    txn.commit().await.context("commit")?;
    if let Some(keys) = lost {
        tracing::warn!(
            upload_id = %upload.id, recorded = upload.upload_offset, stored,
            "parts of an upload did not survive (a power cut?); its offset goes back to what is stored"
        );
        for key in keys {
            services.storage.delete(&key).await?;
        }
    }
    repo::uploads::find(&services.db, &upload.id)
        .await?
        .ok_or_else(|| ServiceError::not_found(ErrorCode::UploadNotFound, "no such upload"))
}
