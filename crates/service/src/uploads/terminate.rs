use clipjury_db::repo;
use clipjury_domain::error_code::ErrorCode;

use super::status::own_upload;
use crate::auth::GroupSession;
use crate::{ServiceError, Services};

/// Deletes an unfinished upload and its stored parts (tus termination).
///
/// # Errors
/// `upload-not-found` (404); `upload-complete` (409) once it became a video.
#[tracing::instrument(skip_all, fields(upload_id = %id))]
pub async fn terminate(
    services: &Services,
    session: &GroupSession,
    id: &str,
) -> Result<(), ServiceError> {
    let upload = own_upload(&services.db, session, id).await?;
    if upload.completed_at.is_some() {
        return Err(ServiceError::conflict(
            ErrorCode::UploadComplete,
            "this upload is complete; replace the video with a new upload",
        ));
    }
    remove(services, id).await
}

/// Deletes the parts' objects, then the rows. An append in flight fails its commit and deletes its own part.
pub(crate) async fn remove(services: &Services, id: &str) -> Result<(), ServiceError> {
    for part in repo::uploads::parts(&services.db, id).await? {
        services.storage.delete(&part.storage_key).await?;
    }
    repo::uploads::delete(&services.db, id).await?;
    Ok(())
}
