use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
};
use uuid::Uuid;

use crate::DbError;
use crate::entities::submission::{self, Entity as Submissions};

pub use submission::{ActiveModel as SubmissionChanges, Model as SubmissionRow};

/// The submission of a group in a contest.
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn find_for_group(
    db: &impl ConnectionTrait,
    contest_id: Uuid,
    group_id: Uuid,
) -> Result<Option<SubmissionRow>, DbError> {
    Ok(Submissions::find()
        .filter(submission::Column::ContestId.eq(contest_id))
        .filter(submission::Column::GroupId.eq(group_id))
        .one(db)
        .await?)
}

/// The submission with that id.
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<SubmissionRow>, DbError> {
    Ok(Submissions::find_by_id(id).one(db).await?)
}

/// All submissions of a contest, oldest first.
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn list(
    db: &impl ConnectionTrait,
    contest_id: Uuid,
) -> Result<Vec<SubmissionRow>, DbError> {
    Ok(Submissions::find()
        .filter(submission::Column::ContestId.eq(contest_id))
        .order_by_asc(submission::Column::CreatedAt)
        .all(db)
        .await?)
}

/// Inserts a new submission.
///
/// # Errors
/// [`DbError::UniqueViolation`] when the group already has one.
pub async fn insert(
    db: &impl ConnectionTrait,
    row: SubmissionChanges,
) -> Result<SubmissionRow, DbError> {
    Ok(row.insert(db).await?)
}

/// Writes changed columns.
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn update(
    db: &impl ConnectionTrait,
    changes: SubmissionChanges,
) -> Result<SubmissionRow, DbError> {
    Ok(changes.update(db).await?)
}

/// Locks a submission's row until the transaction ends (PostgreSQL `FOR UPDATE`; on SQLite the write transaction
/// already holds the database), so two requests of one group take turns, e.g. at the quota check.
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn lock(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<SubmissionRow>, DbError> {
    use sea_orm::{DbBackend, QuerySelect as _};
    let query = Submissions::find_by_id(id);
    Ok(match db.get_database_backend() {
        DbBackend::Postgres => query.lock_exclusive().one(db).await?,
        _ => query.one(db).await?,
    })
}
