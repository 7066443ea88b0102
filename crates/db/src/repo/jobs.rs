use chrono::Utc;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use crate::DbError;
use crate::entities::job::{self, Entity as Jobs};

pub use job::Model as JobRow;

/// Enqueues a job unless one with the same unique key exists (so a retried request never doubles work).
/// Returns whether a new row was written.
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn enqueue(
    db: &impl ConnectionTrait,
    kind: &str,
    payload: serde_json::Value,
    unique_key: &str,
    max_attempts: i32,
) -> Result<bool, DbError> {
    let now = Utc::now();
    let row = job::ActiveModel {
        id: Set(Uuid::now_v7()),
        kind: Set(kind.to_owned()),
        payload: Set(payload),
        status: Set("queued".to_owned()),
        attempts: Set(0),
        max_attempts: Set(max_attempts),
        run_at: Set(now),
        leased_by: Set(None),
        lease_until: Set(None),
        heartbeat_at: Set(None),
        last_error: Set(None),
        unique_key: Set(unique_key.to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
    };
    let res = Jobs::insert(row)
        .on_conflict(
            OnConflict::column(job::Column::UniqueKey)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(res > 0)
}

/// Jobs of a kind in a status (tests and dashboards).
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn list_by_status(
    db: &impl ConnectionTrait,
    status: &str,
) -> Result<Vec<JobRow>, DbError> {
    Ok(Jobs::find()
        .filter(job::Column::Status.eq(status))
        .all(db)
        .await?)
}
