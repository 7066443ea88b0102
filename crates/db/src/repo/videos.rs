use chrono::Utc;
use clipjury_domain::video::VideoStatus;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use crate::DbError;
use crate::entities::video::{self, Entity as Videos};

pub use video::Model as VideoRow;

/// A video made from a completed upload; it starts processing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewVideo {
    pub id: Uuid,
    pub submission_id: Uuid,
    pub upload_id: String,
    pub source_bytes: i64,
    pub original_filename: Option<String>,
}

/// Why processing gave up on a video, for the group to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VideoFailure {
    pub code: String,
    pub message: String,
}

/// What to change on a video; each `None` leaves its column as it is. `updated_at` is always set.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct VideoChanges {
    pub status: Option<VideoStatus>,
    /// 0.0–1.0.
    pub progress: Option<f32>,
    /// Probe results, renditions and thumbnails.
    pub media: Option<serde_json::Value>,
    /// `Some(None)` clears an earlier failure.
    pub failure: Option<Option<VideoFailure>>,
}

/// Inserts a video, processing, with no progress yet.
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn insert(db: &impl ConnectionTrait, new: NewVideo) -> Result<VideoRow, DbError> {
    let now = Utc::now();
    let row = video::ActiveModel {
        id: Set(new.id),
        submission_id: Set(new.submission_id),
        upload_id: Set(new.upload_id),
        source_bytes: Set(new.source_bytes),
        original_filename: Set(new.original_filename),
        status: Set(VideoStatus::Processing),
        failure_code: Set(None),
        failure_message: Set(None),
        progress: Set(0.0),
        media: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    };
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

/// Writes `changes` to the video with that id and returns the row as written.
///
/// # Errors
/// [`DbError`] on database failure, or when there is no such video.
pub async fn update(
    db: &impl ConnectionTrait,
    id: Uuid,
    changes: VideoChanges,
) -> Result<VideoRow, DbError> {
    let mut model = video::ActiveModel {
        id: Set(id),
        updated_at: Set(Utc::now()),
        ..Default::default()
    };
    if let Some(status) = changes.status {
        model.status = Set(status);
    }
    if let Some(progress) = changes.progress {
        model.progress = Set(progress);
    }
    if let Some(media) = changes.media {
        model.media = Set(Some(media));
    }
    if let Some(failure) = changes.failure {
        let (code, message) = failure.map(|f| (f.code, f.message)).unzip();
        model.failure_code = Set(code);
        model.failure_message = Set(message);
    }
    Ok(model.update(db).await?)
}

/// Bytes of a submission's uploaded originals that count against its group's quota: the stored parts of its current
/// and its latest video, unless processing failed. Superseded and failed videos do not count (their originals are deleted
/// after a grace period, see [`with_originals_to_free`]).
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn counted_bytes_for_submission(
    db: &impl ConnectionTrait,
    current: Option<Uuid>,
    latest: Option<Uuid>,
) -> Result<i64, DbError> {
    let ids: Vec<Uuid> = current.into_iter().chain(latest).collect();
    if ids.is_empty() {
        return Ok(0);
    }
    use crate::entities::upload_part;
    let uploads: Vec<String> = Videos::find()
        .filter(video::Column::Id.is_in(ids))
        .filter(video::Column::Status.ne(VideoStatus::Failed))
        .all(db)
        .await?
        .into_iter()
        .map(|v| v.upload_id)
        .collect();
    // What is still stored: an original deleted after publishing (or by an admin's reset) no longer counts.
    let parts = upload_part::Entity::find()
        .filter(upload_part::Column::UploadId.is_in(uploads))
        .all(db)
        .await?;
    Ok(parts.iter().map(|p| p.length).sum())
}

/// Videos last changed before `before` whose upload still has stored parts (candidates for freeing).
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn with_originals_to_free(
    db: &impl ConnectionTrait,
    before: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<VideoRow>, DbError> {
    use sea_orm::sea_query::Query;
    let with_parts = Query::select()
        .column(crate::entities::upload_part::Column::UploadId)
        .from(crate::entities::upload_part::Entity)
        .to_owned();
    Ok(Videos::find()
        .filter(video::Column::UpdatedAt.lt(before))
        .filter(video::Column::UploadId.in_subquery(with_parts))
        .all(db)
        .await?)
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
