use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
};
use uuid::Uuid;

use crate::DbError;
use crate::entities::contest::{self, Entity as Contests};

pub use contest::{ActiveModel as ContestChanges, Model as ContestRow};

/// Inserts a new contest.
///
/// # Errors
/// [`DbError::UniqueViolation`] when the slug is taken.
pub async fn insert(
    db: &impl ConnectionTrait,
    row: contest::ActiveModel,
) -> Result<ContestRow, DbError> {
    Ok(row.insert(db).await?)
}

/// The contest with that id.
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<ContestRow>, DbError> {
    Ok(Contests::find_by_id(id).one(db).await?)
}

/// The contest with that slug.
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn find_by_slug(
    db: &impl ConnectionTrait,
    slug: &str,
) -> Result<Option<ContestRow>, DbError> {
    Ok(Contests::find()
        .filter(contest::Column::Slug.eq(slug))
        .one(db)
        .await?)
}

/// Contests owned by an admin, newest first.
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn list_by_owner(
    db: &impl ConnectionTrait,
    owner: Uuid,
) -> Result<Vec<ContestRow>, DbError> {
    Ok(Contests::find()
        .filter(contest::Column::OwnerId.eq(owner))
        .order_by_desc(contest::Column::CreatedAt)
        .all(db)
        .await?)
}

/// Writes the changed columns of a contest.
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn update(
    db: &impl ConnectionTrait,
    changes: contest::ActiveModel,
) -> Result<ContestRow, DbError> {
    Ok(changes.update(db).await?)
}

/// Whether a slug is in use.
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn slug_taken(db: &impl ConnectionTrait, slug: &str) -> Result<bool, DbError> {
    Ok(find_by_slug(db, slug).await?.is_some())
}
