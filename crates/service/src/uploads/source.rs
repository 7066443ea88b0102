use bytes::Bytes;
use clipjury_db::repo;
use clipjury_domain::error_code::ErrorCode;
use futures_util::stream::{self, BoxStream};
use futures_util::{StreamExt as _, TryStreamExt as _};
use uuid::Uuid;

use crate::auth::AdminSession;
use crate::contests::owned_contest;
use crate::{ServiceError, Services};

/// The uploaded bytes of a completed upload, read part after part, with their total length.
///
/// # Errors
/// `upload-not-found` (404), `original-deleted` (410, retention); [`ServiceError::Unexpected`] when the parts do
/// not cover the upload exactly.
pub async fn source_stream(
    services: &Services,
    upload_id: &str,
) -> Result<(u64, BoxStream<'static, Result<Bytes, ServiceError>>), ServiceError> {
    let upload = repo::uploads::find(&services.db, upload_id)
        .await?
        .ok_or_else(|| ServiceError::not_found(ErrorCode::UploadNotFound, "no such upload"))?;
    let parts = repo::uploads::parts(&services.db, upload_id).await?;
    if parts.is_empty() && upload.completed_at.is_some() && upload.upload_offset > 0 {
        return Err(ServiceError::Gone {
            code: ErrorCode::OriginalDeleted,
            message:
                "the original was deleted after the results were published (retention setting)"
                    .into(),
        });
    }
    let mut expected = 0;
    for p in &parts {
        if p.start_offset != expected {
            return Err(anyhow::anyhow!(
                "upload {upload_id}: part at {} where {expected} was expected",
                p.start_offset
            )
            .into());
        }
        expected += p.length;
    }
    if expected != upload.upload_offset {
        return Err(anyhow::anyhow!(
            "upload {upload_id}: parts cover {expected} of {} bytes",
            upload.upload_offset
        )
        .into());
    }
    let storage = services.storage.clone();
    let keys: Vec<String> = parts.into_iter().map(|p| p.storage_key).collect();
    let body = stream::iter(keys)
        .then(move |key| {
            let storage = storage.clone();
            async move {
                storage
                    .read(&key)
                    .await
                    .map(|s| s.map_err(ServiceError::from))
                    .map_err(ServiceError::from)
            }
        })
        .try_flatten()
        .boxed();
    Ok((u64::try_from(expected).unwrap_or(0), body))
}

/// An original file as uploaded, for download.
pub struct Original {
    pub length: u64,
    pub filename: Option<String>,
    pub body: BoxStream<'static, Result<Bytes, ServiceError>>,
}

/// The newest uploaded original of a submission, for the contest's admin.
///
/// # Errors
/// `contest-not-found`, `submission-not-found`, `video-not-found` (404).
pub async fn original_of_submission(
    services: &Services,
    session: &AdminSession,
    contest_id: Uuid,
    submission_id: Uuid,
) -> Result<Original, ServiceError> {
    owned_contest(&services.db, session, contest_id).await?;
    let submission = repo::submissions::find(&services.db, submission_id)
        .await?
        .filter(|s| s.contest_id == contest_id)
        .ok_or_else(|| {
            ServiceError::not_found(ErrorCode::SubmissionNotFound, "no such submission")
        })?;
    let video_id = submission.latest_video_id.ok_or_else(|| {
        ServiceError::not_found(ErrorCode::VideoNotFound, "no video uploaded yet")
    })?;
    let video = repo::videos::find(&services.db, video_id)
        .await?
        .ok_or_else(|| {
            ServiceError::not_found(ErrorCode::VideoNotFound, "no video uploaded yet")
        })?;
    let (length, body) = source_stream(services, &video.upload_id).await?;
    Ok(Original {
        length,
        filename: video.original_filename,
        body,
    })
}
