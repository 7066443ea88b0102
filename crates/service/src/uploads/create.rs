use anyhow::Context as _;
use chrono::Utc;
use clipjury_db::repo;
use clipjury_domain::error_code::ErrorCode;
use clipjury_domain::validation::ValidationError;
use uuid::Uuid;

use super::status::{UploadView, to_view};
use crate::auth::{GroupSession, random_token};
use crate::submissions::{open_for_uploads, own_submission};
use crate::{ServiceError, Services};

/// A new upload: its declared length and the client's metadata.
#[derive(Debug, Clone, Default)]
pub struct NewUpload {
    pub contest_id: Uuid,
    pub length: u64,
    /// Decoded `Upload-Metadata` pairs (`filename`, `filetype`, …).
    pub metadata: Vec<(String, String)>,
}

/// Creates an upload for the group's submission. Every limit is checked before any byte is stored.
///
/// # Errors
/// `submission-missing` (409) before the form is saved; `uploads-closed` (403); `upload-empty` (400);
/// `upload-too-large`, `quota-exceeded` (413).
#[tracing::instrument(skip_all, fields(contest_id = %new.contest_id, length = new.length))]
pub async fn create_upload(
    services: &Services,
    session: &GroupSession,
    new: NewUpload,
) -> Result<UploadView, ServiceError> {
    let txn = clipjury_db::begin_write(&services.db)
        .await
        .context("begin")?;
    let (contest, submission) = own_submission(&txn, session, new.contest_id).await?;
    let submission = submission.ok_or_else(|| {
        ServiceError::conflict(
            ErrorCode::SubmissionMissing,
            "fill in the submission form (title, key message, consent) before uploading",
        )
    })?;
    open_for_uploads(&contest, Utc::now())?;
    if new.length == 0 {
        return Err(ValidationError::new(ErrorCode::UploadEmpty, "the file is empty").into());
    }
    let max = u64::try_from(contest.max_upload_bytes).unwrap_or(0);
    if new.length > max {
        return Err(ServiceError::TooLarge {
            code: ErrorCode::UploadTooLarge,
            message: format!(
                "the file is {} MB; this contest accepts at most {} MB",
                new.length.div_ceil(1_000_000),
                max / 1_000_000
            ),
        });
    }
    // Checked and reserved (the upload row below) while holding the submission: parallel uploads take turns.
    if new.length > super::quota::lock_remaining(&txn, services, submission.id).await? {
        return Err(super::quota::quota_exceeded());
    }
    let get = |k: &str| {
        new.metadata
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.chars().take(255).collect::<String>())
    };
    let expiry = chrono::Duration::hours(i64::from(services.config.uploads.expiry_hours));
    let row = repo::uploads::NewUpload {
        id: random_token(16),
        contest_id: contest.id,
        group_id: submission.group_id,
        submission_id: submission.id,
        length: i64::try_from(new.length).unwrap_or(i64::MAX),
        metadata: serde_json::Value::Object(
            new.metadata
                .iter()
                .map(|(k, v)| (k.clone(), v.clone().into()))
                .collect(),
        ),
        filename: get("filename").or_else(|| get("name")),
        content_type: get("filetype").or_else(|| get("type")),
        lock_id: None,
        locked_until: None,
        expires_at: Utc::now() + expiry,
    };
    let row = repo::uploads::insert(&txn, row).await?;
    txn.commit().await.context("commit")?;
    tracing::info!(upload_id = %row.id, "upload created");
    Ok(to_view(row))
}
