use chrono::{DateTime, Utc};
use clipjury_db::repo::uploads::UploadRow;
use clipjury_db::{ConnectionTrait, repo};
use clipjury_domain::error_code::ErrorCode;

use super::complete::finish_upload;
use super::recover::with_verified_offset;
use crate::auth::GroupSession;
use crate::{ServiceError, Services};

/// Where an upload stands.
#[derive(Debug, Clone)]
pub struct UploadView {
    pub id: String,
    pub offset: u64,
    pub length: u64,
    pub bytes_received: u64,
    pub expires_at: DateTime<Utc>,
    pub completed: bool,
}

pub(crate) fn to_view(u: UploadRow) -> UploadView {
    UploadView {
        id: u.id,
        offset: u64::try_from(u.upload_offset).unwrap_or(0),
        length: u64::try_from(u.length).unwrap_or(0),
        bytes_received: u64::try_from(u.bytes_received).unwrap_or(0),
        expires_at: u.expires_at,
        completed: u.completed_at.is_some(),
    }
}

/// The group's own upload. Another group's upload, and a malformed id, are answered as if it did not exist.
pub(crate) async fn own_upload(
    db: &impl ConnectionTrait,
    session: &GroupSession,
    id: &str,
) -> Result<UploadRow, ServiceError> {
    let not_found = || ServiceError::not_found(ErrorCode::UploadNotFound, "no such upload");
    let participant_id = session.participant_id();
    if id.len() > 64 {
        return Err(not_found());
    }
    let upload = repo::uploads::find(db, id).await?.ok_or_else(not_found)?;
    if upload.group_id != participant_id {
        return Err(not_found());
    }
    Ok(upload)
}

pub(crate) fn check_not_expired(u: &UploadRow) -> Result<(), ServiceError> {
    if u.completed_at.is_none() && u.expires_at <= Utc::now() {
        return Err(ServiceError::Gone {
            code: ErrorCode::UploadExpired,
            message: "this upload expired; start it again".into(),
        });
    }
    Ok(())
}

/// The offset and length of the group's upload (tus HEAD): only bytes that are really stored count (see
/// [`super::recover`]). An upload whose bytes have all arrived but which was not completed (the server stopped in
/// between) is completed now.
///
/// # Errors
/// `upload-not-found` (404), `upload-expired` (410).
pub async fn upload_status(
    services: &Services,
    session: &GroupSession,
    id: &str,
) -> Result<UploadView, ServiceError> {
    let upload = own_upload(&services.db, session, id).await?;
    check_not_expired(&upload)?;
    let mut upload = with_verified_offset(services, upload).await?;
    if upload.completed_at.is_none() && upload.upload_offset == upload.length {
        finish_upload(services, session, upload.clone()).await?;
        upload.completed_at = Some(Utc::now());
    }
    Ok(to_view(upload))
}
