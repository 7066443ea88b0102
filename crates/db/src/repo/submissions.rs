use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, Set,
};
use uuid::Uuid;

use crate::DbError;
use crate::entities::submission::{self, Entity as Submissions};

pub use submission::Model as SubmissionRow;

/// The form a group fills in about its entry, as the service checked it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubmissionForm {
    pub title: String,
    pub description: String,
    pub key_message: String,
    pub purpose: String,
    pub audience: String,
    /// The group confirmed that the people filmed agreed to appear.
    pub consent_confirmed: bool,
}

/// What to change on a submission; each `None` leaves its column as it is. `updated_at` is always set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SubmissionChanges {
    pub form: Option<SubmissionForm>,
    /// Storage key of the consent photo.
    pub consent_photo_key: Option<String>,
    /// The video jurors and the public see (`Some(None)` clears it).
    pub current_video_id: Option<Option<Uuid>>,
    /// The newest video uploaded.
    pub latest_video_id: Option<Uuid>,
}

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

/// Inserts a group's first submission, without video or consent photo.
///
/// # Errors
/// [`DbError::UniqueViolation`] when the group already has one.
pub async fn insert(
    db: &impl ConnectionTrait,
    id: Uuid,
    contest_id: Uuid,
    group_id: Uuid,
    form: SubmissionForm,
) -> Result<SubmissionRow, DbError> {
    let now = Utc::now();
    let row = submission::ActiveModel {
        id: Set(id),
        contest_id: Set(contest_id),
        group_id: Set(group_id),
        title: Set(form.title),
        description: Set(form.description),
        key_message: Set(form.key_message),
        purpose: Set(form.purpose),
        audience: Set(form.audience),
        consent_confirmed: Set(form.consent_confirmed),
        consent_photo_key: Set(None),
        current_video_id: Set(None),
        latest_video_id: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    };
    Ok(row.insert(db).await?)
}

/// Writes `changes` over the submission `row` was read from, and returns the row as written.
///
/// # Errors
/// [`DbError`] on database failure, or when the row is gone.
pub async fn update(
    db: &impl ConnectionTrait,
    row: SubmissionRow,
    changes: SubmissionChanges,
) -> Result<SubmissionRow, DbError> {
    let mut model = row.into_active_model();
    if let Some(form) = changes.form {
        model.title = Set(form.title);
        model.description = Set(form.description);
        model.key_message = Set(form.key_message);
        model.purpose = Set(form.purpose);
        model.audience = Set(form.audience);
        model.consent_confirmed = Set(form.consent_confirmed);
    }
    if let Some(key) = changes.consent_photo_key {
        model.consent_photo_key = Set(Some(key));
    }
    if let Some(current) = changes.current_video_id {
        model.current_video_id = Set(current);
    }
    if let Some(latest) = changes.latest_video_id {
        model.latest_video_id = Set(Some(latest));
    }
    model.updated_at = Set(Utc::now());
    Ok(model.update(db).await?)
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
