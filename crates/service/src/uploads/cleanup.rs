use chrono::Utc;
use clipjury_db::repo;

use super::terminate::remove;
use crate::{ServiceError, Services};

/// Deletes unfinished uploads whose expiry passed (no byte received for the configured time). Returns how many.
///
/// # Errors
/// [`ServiceError::Unexpected`] when the database or the store fails; what was deleted stays deleted.
pub async fn delete_expired(services: &Services) -> Result<usize, ServiceError> {
    let mut total = 0;
    loop {
        let batch = repo::uploads::expired(&services.db, Utc::now(), 100).await?;
        if batch.is_empty() {
            return Ok(total);
        }
        for upload in batch {
            remove(services, &upload.id).await?;
            tracing::info!(upload_id = %upload.id, received = upload.upload_offset, "expired upload deleted");
            total += 1;
        }
    }
}
