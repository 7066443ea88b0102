use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
};
use uuid::Uuid;

use crate::DbError;
use crate::entities::score::{self, Entity as Scores};

pub use score::Model as ScoreRow;

/// A juror's score card for an entry.
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn find(
    db: &impl ConnectionTrait,
    submission_id: Uuid,
    juror_id: Uuid,
) -> Result<Option<ScoreRow>, DbError> {
    Ok(Scores::find()
        .filter(score::Column::SubmissionId.eq(submission_id))
        .filter(score::Column::JurorId.eq(juror_id))
        .one(db)
        .await?)
}

/// Every score card of a contest.
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn list_for_contest(
    db: &impl ConnectionTrait,
    contest_id: Uuid,
) -> Result<Vec<ScoreRow>, DbError> {
    Ok(Scores::find()
        .filter(score::Column::ContestId.eq(contest_id))
        .order_by_asc(score::Column::CreatedAt)
        .all(db)
        .await?)
}

/// One juror's score cards in a contest.
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn list_for_juror(
    db: &impl ConnectionTrait,
    contest_id: Uuid,
    juror_id: Uuid,
) -> Result<Vec<ScoreRow>, DbError> {
    Ok(Scores::find()
        .filter(score::Column::ContestId.eq(contest_id))
        .filter(score::Column::JurorId.eq(juror_id))
        .all(db)
        .await?)
}

/// The score cards of one entry.
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn list_for_submission(
    db: &impl ConnectionTrait,
    submission_id: Uuid,
) -> Result<Vec<ScoreRow>, DbError> {
    Ok(Scores::find()
        .filter(score::Column::SubmissionId.eq(submission_id))
        .all(db)
        .await?)
}

/// Inserts a new card.
///
/// # Errors
/// [`DbError::UniqueViolation`] when the juror already has a card for the entry.
pub async fn insert(db: &impl ConnectionTrait, row: ScoreRow) -> Result<ScoreRow, DbError> {
    Ok(score::ActiveModel::from(row).reset_all().insert(db).await?)
}

/// Writes every column of a card (found by its id) as `row` has it.
///
/// # Errors
/// [`DbError`] on database failure, or when there is no such card.
pub async fn overwrite(db: &impl ConnectionTrait, row: ScoreRow) -> Result<ScoreRow, DbError> {
    Ok(score::ActiveModel::from(row).reset_all().update(db).await?)
}

/// Writes a card only if it still has version `expected`; `None` when another write came first.
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn update_if_version(
    db: &impl ConnectionTrait,
    row: ScoreRow,
    expected: i32,
) -> Result<Option<ScoreRow>, DbError> {
    let id = row.id;
    let active = score::ActiveModel::from(row).reset_all();
    let res = Scores::update_many()
        .set(active)
        .filter(score::Column::Id.eq(id))
        .filter(score::Column::Version.eq(expected))
        .exec(db)
        .await?;
    if res.rows_affected == 0 {
        return Ok(None);
    }
    Ok(Scores::find_by_id(id).one(db).await?)
}
