use clipjury_db::repo;
use uuid::Uuid;

use crate::{ServiceError, Services};

/// Deletes the stored originals of a contest's completed uploads, keeping the upload rows (videos point at them)
/// and every rendition and poster. Each object goes before its row, so an interrupted run leaves rows whose
/// objects may be gone, never objects nobody knows about; running it again finishes the job. Returns how many
/// parts were deleted.
///
/// # Errors
/// [`ServiceError::Unexpected`] when the database or the store fails.
#[tracing::instrument(skip_all, fields(contest_id = %contest_id))]
pub async fn delete_originals(
    services: &Services,
    contest_id: Uuid,
) -> Result<usize, ServiceError> {
    let mut deleted = 0;
    for upload in repo::uploads::completed_with_parts_for_contest(&services.db, contest_id).await? {
        for part in repo::uploads::parts(&services.db, &upload.id).await? {
            services.storage.delete(&part.storage_key).await?;
            repo::uploads::delete_part(&services.db, &part.storage_key).await?;
            deleted += 1;
        }
    }
    tracing::info!(deleted, "originals deleted after publishing");
    Ok(deleted)
}
