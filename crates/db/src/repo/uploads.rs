use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use crate::DbError;
use crate::entities::upload::{self, Entity as Uploads};
use crate::entities::upload_part::{self, Entity as UploadParts};

pub use upload::Model as UploadRow;
pub use upload_part::Model as UploadPartRow;

/// An upload about to receive its first byte.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUpload {
    /// The unguessable part of the upload URL.
    pub id: String,
    pub contest_id: Uuid,
    pub group_id: Uuid,
    pub submission_id: Uuid,
    /// Bytes announced (or reserved, for a one-request upload).
    pub length: i64,
    /// The client's metadata as given.
    pub metadata: serde_json::Value,
    pub filename: Option<String>,
    pub content_type: Option<String>,
    /// The write lock, when the creating request streams the bytes itself.
    pub lock_id: Option<String>,
    pub locked_until: Option<DateTime<Utc>>,
    pub expires_at: DateTime<Utc>,
}

/// Stores a new upload, nothing received yet.
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn insert(db: &impl ConnectionTrait, new: NewUpload) -> Result<UploadRow, DbError> {
    let row = upload::ActiveModel {
        id: Set(new.id),
        contest_id: Set(new.contest_id),
        group_id: Set(new.group_id),
        submission_id: Set(new.submission_id),
        length: Set(new.length),
        upload_offset: Set(0),
        bytes_received: Set(0),
        metadata: Set(new.metadata),
        filename: Set(new.filename),
        content_type: Set(new.content_type),
        lock_id: Set(new.lock_id),
        locked_until: Set(new.locked_until),
        expires_at: Set(new.expires_at),
        completed_at: Set(None),
        video_id: Set(None),
        created_at: Set(Utc::now()),
    };
    Ok(row.insert(db).await?)
}

/// The upload with that id.
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn find(db: &impl ConnectionTrait, id: &str) -> Result<Option<UploadRow>, DbError> {
    Ok(Uploads::find_by_id(id.to_owned()).one(db).await?)
}

/// Takes the write lock of an upload when its offset is `offset` and nobody holds a live lock.
/// Returns whether the lock was taken.
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn try_lock(
    db: &impl ConnectionTrait,
    id: &str,
    offset: i64,
    lock_id: &str,
    until: DateTime<Utc>,
) -> Result<bool, DbError> {
    let now = Utc::now();
    let res = Uploads::update_many()
        .col_expr(upload::Column::LockId, Expr::value(lock_id))
        .col_expr(upload::Column::LockedUntil, Expr::value(until))
        .filter(upload::Column::Id.eq(id))
        .filter(upload::Column::UploadOffset.eq(offset))
        .filter(upload::Column::CompletedAt.is_null())
        .filter(
            Condition::any()
                .add(upload::Column::LockedUntil.is_null())
                .add(upload::Column::LockedUntil.lt(now)),
        )
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

/// Extends a held lock; returns false when the lock was lost (expired and taken by another request).
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn extend_lock(
    db: &impl ConnectionTrait,
    id: &str,
    lock_id: &str,
    until: DateTime<Utc>,
) -> Result<bool, DbError> {
    let res = Uploads::update_many()
        .col_expr(upload::Column::LockedUntil, Expr::value(until))
        .filter(upload::Column::Id.eq(id))
        .filter(upload::Column::LockId.eq(lock_id))
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

/// Records a stored part and moves the offset, if the lock is still ours; releases the lock. Returns false (and
/// changes nothing) when the lock was lost, so the caller deletes the part it wrote.
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn commit_part(
    db: &impl ConnectionTrait,
    id: &str,
    lock_id: &str,
    start: i64,
    length: i64,
    storage_key: &str,
    expires_at: DateTime<Utc>,
) -> Result<bool, DbError> {
    let res = Uploads::update_many()
        .col_expr(
            upload::Column::UploadOffset,
            Expr::col(upload::Column::UploadOffset).add(length),
        )
        .col_expr(
            upload::Column::BytesReceived,
            Expr::col(upload::Column::BytesReceived).add(length),
        )
        .col_expr(upload::Column::ExpiresAt, Expr::value(expires_at))
        .col_expr(upload::Column::LockId, Expr::value(Option::<String>::None))
        .col_expr(
            upload::Column::LockedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(upload::Column::Id.eq(id))
        .filter(upload::Column::LockId.eq(lock_id))
        .filter(upload::Column::UploadOffset.eq(start))
        .exec(db)
        .await?;
    if res.rows_affected != 1 {
        return Ok(false);
    }
    upload_part::ActiveModel {
        upload_id: Set(id.to_owned()),
        start_offset: Set(start),
        length: Set(length),
        storage_key: Set(storage_key.to_owned()),
        created_at: Set(Utc::now()),
    }
    .insert(db)
    .await?;
    Ok(true)
}

/// Releases a lock without moving the offset (nothing usable was received).
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn release_lock(
    db: &impl ConnectionTrait,
    id: &str,
    lock_id: &str,
) -> Result<(), DbError> {
    Uploads::update_many()
        .col_expr(upload::Column::LockId, Expr::value(Option::<String>::None))
        .col_expr(
            upload::Column::LockedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(upload::Column::Id.eq(id))
        .filter(upload::Column::LockId.eq(lock_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Marks an upload complete and links it to the video made from it. Returns false (and changes nothing) when it was
/// complete already (another request finished it first).
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn mark_complete(
    db: &impl ConnectionTrait,
    id: &str,
    video_id: Uuid,
) -> Result<bool, DbError> {
    let res = Uploads::update_many()
        .col_expr(upload::Column::CompletedAt, Expr::value(Some(Utc::now())))
        .col_expr(upload::Column::VideoId, Expr::value(Some(video_id)))
        .filter(upload::Column::Id.eq(id))
        .filter(upload::Column::CompletedAt.is_null())
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

/// The stored parts of an upload, in offset order.
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn parts(db: &impl ConnectionTrait, id: &str) -> Result<Vec<UploadPartRow>, DbError> {
    Ok(UploadParts::find()
        .filter(upload_part::Column::UploadId.eq(id))
        .order_by_asc(upload_part::Column::StartOffset)
        .all(db)
        .await?)
}

/// How many parts an upload has, and how many of them are shorter than `small_below` bytes.
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn part_counts(
    db: &impl ConnectionTrait,
    id: &str,
    small_below: i64,
) -> Result<(u64, u64), DbError> {
    use sea_orm::PaginatorTrait as _;
    let all = UploadParts::find().filter(upload_part::Column::UploadId.eq(id));
    let total = all.clone().count(db).await?;
    let small = all
        .filter(upload_part::Column::Length.lt(small_below))
        .count(db)
        .await?;
    Ok((total, small))
}

/// Deletes an upload and its part rows (the caller deletes the stored objects).
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn delete(db: &impl ConnectionTrait, id: &str) -> Result<(), DbError> {
    UploadParts::delete_many()
        .filter(upload_part::Column::UploadId.eq(id))
        .exec(db)
        .await?;
    Uploads::delete_by_id(id.to_owned()).exec(db).await?;
    Ok(())
}

/// Unfinished uploads whose expiry has passed, at most `limit`.
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn expired(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<UploadRow>, DbError> {
    Ok(Uploads::find()
        .filter(upload::Column::CompletedAt.is_null())
        .filter(upload::Column::ExpiresAt.lt(now))
        .limit(limit)
        .all(db)
        .await?)
}

/// Unfinished uploads still arriving: a request holds the write lock, or a part (or the upload itself) was
/// stored at or after `since`. Workers read it to foresee the jobs a burst of uploads is about to queue.
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn receiving_count(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    since: DateTime<Utc>,
) -> Result<u64, DbError> {
    use sea_orm::PaginatorTrait as _;
    let recent_parts = sea_orm::sea_query::Query::select()
        .column(upload_part::Column::UploadId)
        .from(UploadParts)
        .and_where(upload_part::Column::CreatedAt.gte(since))
        .to_owned();
    Ok(Uploads::find()
        .filter(upload::Column::CompletedAt.is_null())
        .filter(
            Condition::any()
                .add(upload::Column::LockedUntil.gte(now))
                .add(upload::Column::CreatedAt.gte(since))
                .add(upload::Column::Id.in_subquery(recent_parts)),
        )
        .count(db)
        .await?)
}

/// A group's unfinished uploads.
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn unfinished_for_group(
    db: &impl ConnectionTrait,
    group_id: Uuid,
) -> Result<Vec<UploadRow>, DbError> {
    Ok(Uploads::find()
        .filter(upload::Column::GroupId.eq(group_id))
        .filter(upload::Column::CompletedAt.is_null())
        .all(db)
        .await?)
}

/// Sets the declared length of an unfinished upload (a whole-file upload reserved its quota before its size was
/// known).
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn set_length(db: &impl ConnectionTrait, id: &str, length: i64) -> Result<(), DbError> {
    Uploads::update_many()
        .col_expr(upload::Column::Length, Expr::value(length))
        .filter(upload::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Declared bytes of a group's unfinished uploads (for the disk quota).
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn pending_bytes_for_group(
    db: &impl ConnectionTrait,
    group_id: Uuid,
) -> Result<i64, DbError> {
    let rows = Uploads::find()
        .filter(upload::Column::GroupId.eq(group_id))
        .filter(upload::Column::CompletedAt.is_null())
        .all(db)
        .await?;
    Ok(rows.iter().map(|u| u.length).sum())
}

/// The newest unfinished, unexpired upload of a submission.
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn pending_for_submission(
    db: &impl ConnectionTrait,
    submission_id: Uuid,
) -> Result<Option<UploadRow>, DbError> {
    Ok(Uploads::find()
        .filter(upload::Column::SubmissionId.eq(submission_id))
        .filter(upload::Column::CompletedAt.is_null())
        .filter(upload::Column::ExpiresAt.gt(Utc::now()))
        .order_by_desc(upload::Column::CreatedAt)
        .one(db)
        .await?)
}

/// Completed uploads of a contest that still have stored parts (retention sweeps).
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn completed_with_parts_for_contest(
    db: &impl ConnectionTrait,
    contest_id: Uuid,
) -> Result<Vec<UploadRow>, DbError> {
    use sea_orm::sea_query::Query;
    let with_parts = Query::select()
        .column(upload_part::Column::UploadId)
        .from(UploadParts)
        .to_owned();
    Ok(Uploads::find()
        .filter(upload::Column::ContestId.eq(contest_id))
        .filter(upload::Column::CompletedAt.is_not_null())
        .filter(upload::Column::Id.in_subquery(with_parts))
        .all(db)
        .await?)
}

/// Forgets one stored part (the caller deleted its object first).
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn delete_part(db: &impl ConnectionTrait, storage_key: &str) -> Result<(), DbError> {
    UploadParts::delete_many()
        .filter(upload_part::Column::StorageKey.eq(storage_key))
        .exec(db)
        .await?;
    Ok(())
}

/// Moves an unfinished upload's offset back from `from` to `to` and forgets the parts at or after `to` (they did not
/// survive a power cut), unless the offset moved meanwhile or a live lock is held. Returns the forgotten parts' keys
/// (the caller deletes their objects), or `None` when nothing changed. Run it in a transaction.
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn roll_back_offset(
    db: &impl ConnectionTrait,
    id: &str,
    from: i64,
    to: i64,
) -> Result<Option<Vec<String>>, DbError> {
    let res = Uploads::update_many()
        .col_expr(upload::Column::UploadOffset, Expr::value(to))
        .col_expr(upload::Column::BytesReceived, Expr::value(to))
        .filter(upload::Column::Id.eq(id))
        .filter(upload::Column::UploadOffset.eq(from))
        .filter(upload::Column::CompletedAt.is_null())
        .filter(
            Condition::any()
                .add(upload::Column::LockedUntil.is_null())
                .add(upload::Column::LockedUntil.lt(Utc::now())),
        )
        .exec(db)
        .await?;
    if res.rows_affected != 1 {
        return Ok(None);
    }
    let lost: Vec<String> = UploadParts::find()
        .filter(upload_part::Column::UploadId.eq(id))
        .filter(upload_part::Column::StartOffset.gte(to))
        .all(db)
        .await?
        .into_iter()
        .map(|p| p.storage_key)
        .collect();
    UploadParts::delete_many()
        .filter(upload_part::Column::UploadId.eq(id))
        .filter(upload_part::Column::StartOffset.gte(to))
        .exec(db)
        .await?;
    Ok(Some(lost))
}
