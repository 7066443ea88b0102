use chrono::Utc;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use crate::DbError;
pub use crate::entities::job::JobStatus;
use crate::entities::job::{self, Entity as Jobs};

pub use job::Model as JobRow;

/// Enqueues a job of priority 0 unless one with the same unique key exists (so a retried request never doubles
/// work). Returns whether a new row was written.
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
    enqueue_with_priority(db, kind, payload, unique_key, max_attempts, 0).await
}

/// [`enqueue`] with a priority: due jobs are claimed lowest priority first, then oldest first.
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn enqueue_with_priority(
    db: &impl ConnectionTrait,
    kind: &str,
    payload: serde_json::Value,
    unique_key: &str,
    max_attempts: i32,
    priority: i32,
) -> Result<bool, DbError> {
    let now = Utc::now();
    let row = job::ActiveModel {
        id: Set(Uuid::now_v7()),
        kind: Set(kind.to_owned()),
        payload: Set(payload),
        status: Set(JobStatus::Queued),
        attempts: Set(0),
        max_attempts: Set(max_attempts),
        priority: Set(priority),
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
    status: JobStatus,
) -> Result<Vec<JobRow>, DbError> {
    Ok(Jobs::find()
        .filter(job::Column::Status.eq(status))
        .all(db)
        .await?)
}

/// Claims a due job of `kind` for `worker`, of any priority (see [`claim_up_to`]).
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn claim(
    db: &impl ConnectionTrait,
    kind: &str,
    worker: &str,
    lease_until: chrono::DateTime<Utc>,
) -> Result<Option<JobRow>, DbError> {
    claim_up_to(db, kind, worker, lease_until, i32::MAX).await
}

/// Claims the due job of `kind` with the lowest priority number (at most `max_priority`), oldest first, for
/// `worker`: a queued job whose time has come, or a running job whose lease expired (its worker died). One
/// statement, so on SQLite (one writer at a time) two claims never get the same row; on PostgreSQL
/// `FOR UPDATE SKIP LOCKED` lets many workers claim side by side without blocking each other.
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn claim_up_to(
    db: &impl ConnectionTrait,
    kind: &str,
    worker: &str,
    lease_until: chrono::DateTime<Utc>,
    max_priority: i32,
) -> Result<Option<JobRow>, DbError> {
    use sea_orm::{DbBackend, FromQueryResult as _, Statement};
    let now = Utc::now();
    let backend = db.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => {
            "UPDATE jobs SET status = 'running', attempts = attempts + 1, leased_by = $1, lease_until = $2, \
             heartbeat_at = $3, updated_at = $3 \
             WHERE id = (SELECT id FROM jobs WHERE kind = $4 AND priority <= $5 AND ((status = 'queued' AND run_at <= $3) \
               OR (status = 'running' AND lease_until < $3)) ORDER BY priority, run_at, created_at LIMIT 1 \
               FOR UPDATE SKIP LOCKED) \
             RETURNING *"
        }
        _ => {
            "UPDATE jobs SET status = 'running', attempts = attempts + 1, leased_by = ?1, lease_until = ?2, \
             heartbeat_at = ?3, updated_at = ?3 \
             WHERE id = (SELECT id FROM jobs WHERE kind = ?4 AND priority <= ?5 AND ((status = 'queued' AND run_at <= ?3) \
               OR (status = 'running' AND lease_until < ?3)) ORDER BY priority, run_at, created_at LIMIT 1) \
             RETURNING *"
        }
    };
    let stmt = Statement::from_sql_and_values(
        backend,
        sql,
        [
            worker.into(),
            lease_until.into(),
            now.into(),
            kind.into(),
            max_priority.into(),
        ],
    );
    Ok(JobRow::find_by_statement(stmt).one(db).await?)
}

/// Extends the lease of a job this worker holds; false when the lease was lost (another worker reclaimed it).
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn heartbeat(
    db: &impl ConnectionTrait,
    id: Uuid,
    worker: &str,
    lease_until: chrono::DateTime<Utc>,
) -> Result<bool, DbError> {
    use sea_orm::sea_query::Expr;
    let now = Utc::now();
    let res = Jobs::update_many()
        .col_expr(job::Column::LeaseUntil, Expr::value(lease_until))
        .col_expr(job::Column::HeartbeatAt, Expr::value(now))
        .filter(job::Column::Id.eq(id))
        .filter(job::Column::LeasedBy.eq(worker))
        .filter(job::Column::Status.eq(JobStatus::Running))
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

/// Ends a job this worker holds: `done`, `failed` (with the error), or back to `queued` at `retry_at` (with the
/// error), or back to `queued` now without counting the attempt (`release`, on shutdown). Returns false when the
/// lease was lost meanwhile (then the other worker's outcome stands).
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn finish(
    db: &impl ConnectionTrait,
    id: Uuid,
    worker: &str,
    outcome: JobOutcome,
) -> Result<bool, DbError> {
    use sea_orm::sea_query::{Expr, ExprTrait as _};
    let now = Utc::now();
    let mut update = Jobs::update_many()
        .col_expr(job::Column::LeasedBy, Expr::value(Option::<String>::None))
        .col_expr(
            job::Column::LeaseUntil,
            Expr::value(Option::<chrono::DateTime<Utc>>::None),
        )
        .col_expr(job::Column::UpdatedAt, Expr::value(now));
    update = match outcome {
        JobOutcome::Done => update.col_expr(job::Column::Status, Expr::value(JobStatus::Done)),
        JobOutcome::Failed(err) => update
            .col_expr(job::Column::Status, Expr::value(JobStatus::Failed))
            .col_expr(job::Column::LastError, Expr::value(err)),
        JobOutcome::Retry { at, error } => update
            .col_expr(job::Column::Status, Expr::value(JobStatus::Queued))
            .col_expr(job::Column::RunAt, Expr::value(at))
            .col_expr(job::Column::LastError, Expr::value(error)),
        JobOutcome::Release => update
            .col_expr(job::Column::Status, Expr::value(JobStatus::Queued))
            .col_expr(
                job::Column::Attempts,
                Expr::col(job::Column::Attempts).sub(1),
            ),
    };
    let res = update
        .filter(job::Column::Id.eq(id))
        .filter(job::Column::LeasedBy.eq(worker))
        .filter(job::Column::Status.eq(JobStatus::Running))
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

/// How a job ended.
#[derive(Debug, Clone)]
pub enum JobOutcome {
    /// It succeeded.
    Done,
    /// It failed for good.
    Failed(String),
    /// It failed; try again at `at`.
    Retry {
        at: chrono::DateTime<Utc>,
        error: String,
    },
    /// The worker stops; give the job back without counting the attempt.
    Release,
}

/// Number of jobs per status; statuses without jobs are left out.
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn count_by_status(db: &impl ConnectionTrait) -> Result<Vec<(JobStatus, i64)>, DbError> {
    use sea_orm::{
        QuerySelect as _,
        sea_query::{Expr, ExprTrait as _},
    };
    let rows: Vec<(JobStatus, i64)> = Jobs::find()
        .select_only()
        .column(job::Column::Status)
        .column_as(Expr::col(job::Column::Id).count(), "n")
        .group_by(job::Column::Status)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows)
}

/// Queued jobs of `kind` whose time has come (waiting for a free worker).
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn due_count(db: &impl ConnectionTrait, kind: &str) -> Result<u64, DbError> {
    use sea_orm::PaginatorTrait as _;
    Ok(Jobs::find()
        .filter(job::Column::Kind.eq(kind))
        .filter(job::Column::Status.eq(JobStatus::Queued))
        .filter(job::Column::RunAt.lte(Utc::now()))
        .count(db)
        .await?)
}

/// The job with that id.
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<JobRow>, DbError> {
    Ok(Jobs::find_by_id(id).one(db).await?)
}
