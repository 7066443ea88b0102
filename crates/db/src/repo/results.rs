use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait};
use uuid::Uuid;

use crate::DbError;
use crate::entities::result::{self, Entity as Results};

pub use result::Model as ResultRow;

/// The tie decisions and confirmed result of a contest, if any were recorded.
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn find(
    db: &impl ConnectionTrait,
    contest_id: Uuid,
) -> Result<Option<ResultRow>, DbError> {
    Ok(Results::find_by_id(contest_id).one(db).await?)
}

/// Inserts or replaces the row of a contest.
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn save(db: &impl ConnectionTrait, row: ResultRow) -> Result<ResultRow, DbError> {
    let exists = Results::find_by_id(row.contest_id).one(db).await?.is_some();
    let active = result::ActiveModel::from(row);
    if exists {
        let active = active.reset_all();
        Ok(active.update(db).await?)
    } else {
        Ok(active.insert(db).await?)
    }
}
