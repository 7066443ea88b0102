use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
};
use uuid::Uuid;

use crate::DbError;
use crate::entities::video::{self, Entity as Videos};

pub use video::{ActiveModel as VideoChanges, Model as VideoRow};

/// Inserts a video.
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn insert(db: &impl ConnectionTrait, row: VideoChanges) -> Result<VideoRow, DbError> {
    Ok(row.insert(db).await?)
}

/// The video with that id.
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<VideoRow>, DbError> {
    Ok(Videos::find_by_id(id).one(db).await?)
}

/// The videos with these ids (in no particular order; unknown ids are left out).
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn find_many(db: &impl ConnectionTrait, ids: &[Uuid]) -> Result<Vec<VideoRow>, DbError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(Videos::find()
        .filter(video::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?)
}

/// Writes changed columns.
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn update(db: &impl ConnectionTrait, changes: VideoChanges) -> Result<VideoRow, DbError> {
    Ok(changes.update(db).await?)
}

/// Total source bytes of a group's stored videos (for the disk quota).
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn stored_bytes_for_submission(
    db: &impl ConnectionTrait,
    submission_id: Uuid,
) -> Result<i64, DbError> {
    let rows = Videos::find()
        .filter(video::Column::SubmissionId.eq(submission_id))
        .all(db)
        .await?;
    Ok(rows.iter().map(|v| v.source_bytes).sum())
}

/// Videos of a submission, newest first.
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn list_for_submission(
    db: &impl ConnectionTrait,
    submission_id: Uuid,
) -> Result<Vec<VideoRow>, DbError> {
    Ok(Videos::find()
        .filter(video::Column::SubmissionId.eq(submission_id))
        .order_by_desc(video::Column::CreatedAt)
        .all(db)
        .await?)
}
