use chrono::{DateTime, Utc};
use clipjury_domain::contest::{ContestStatus, Locale};
use clipjury_domain::judging::Method;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use crate::DbError;
use crate::entities::contest::{self, Entity as Contests};

pub use contest::Model as ContestRow;

/// A contest to insert, its settings checked by the service.
#[derive(Debug, Clone, PartialEq)]
pub struct NewContest {
    pub id: Uuid,
    pub slug: String,
    pub owner_id: Uuid,
    pub title: String,
    pub brief: String,
    pub rules: String,
    /// A JSON list of strings.
    pub key_messages: serde_json::Value,
    pub max_duration_seconds: i32,
    pub duration_tolerance_seconds: i32,
    pub max_upload_bytes: i64,
    pub upload_deadline: Option<DateTime<Utc>>,
    pub judging_deadline: Option<DateTime<Utc>>,
    pub ranking_method: Method,
    pub anonymised: bool,
    pub default_locale: Locale,
    pub status: ContestStatus,
    /// `clipjury_domain::judging::Rubric` as JSON.
    pub rubric: serde_json::Value,
    /// `clipjury_domain::judging::TieRule` as JSON.
    pub tie_rule: serde_json::Value,
}

impl From<ContestRow> for NewContest {
    /// The settings of an existing contest, e.g. to copy them into a follow-up.
    fn from(row: ContestRow) -> Self {
        Self {
            id: row.id,
            slug: row.slug,
            owner_id: row.owner_id,
            title: row.title,
            brief: row.brief,
            rules: row.rules,
            key_messages: row.key_messages,
            max_duration_seconds: row.max_duration_seconds,
            duration_tolerance_seconds: row.duration_tolerance_seconds,
            max_upload_bytes: row.max_upload_bytes,
            upload_deadline: row.upload_deadline,
            judging_deadline: row.judging_deadline,
            ranking_method: row.ranking_method,
            anonymised: row.anonymised,
            default_locale: row.default_locale,
            status: row.status,
            rubric: row.rubric,
            tie_rule: row.tie_rule,
        }
    }
}

/// What to change on a contest; each `None` leaves its column as it is (`Some(None)` clears a nullable one).
/// `updated_at` is always set.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ContestChanges {
    pub title: Option<String>,
    pub brief: Option<String>,
    pub rules: Option<String>,
    pub key_messages: Option<serde_json::Value>,
    pub max_duration_seconds: Option<i32>,
    pub duration_tolerance_seconds: Option<i32>,
    pub max_upload_bytes: Option<i64>,
    pub upload_deadline: Option<Option<DateTime<Utc>>>,
    pub judging_deadline: Option<Option<DateTime<Utc>>>,
    pub ranking_method: Option<Method>,
    pub anonymised: Option<bool>,
    pub default_locale: Option<Locale>,
    pub status: Option<ContestStatus>,
    pub judging_started_at: Option<Option<DateTime<Utc>>>,
    pub rubric: Option<serde_json::Value>,
    pub tie_rule: Option<serde_json::Value>,
}

/// Inserts a new contest; it has not started judging.
///
/// # Errors
/// [`DbError::UniqueViolation`] when the slug is taken.
pub async fn insert(db: &impl ConnectionTrait, new: NewContest) -> Result<ContestRow, DbError> {
    let now = Utc::now();
    let row = contest::ActiveModel {
        id: Set(new.id),
        slug: Set(new.slug),
        owner_id: Set(new.owner_id),
        title: Set(new.title),
        brief: Set(new.brief),
        rules: Set(new.rules),
        key_messages: Set(new.key_messages),
        max_duration_seconds: Set(new.max_duration_seconds),
        duration_tolerance_seconds: Set(new.duration_tolerance_seconds),
        max_upload_bytes: Set(new.max_upload_bytes),
        upload_deadline: Set(new.upload_deadline),
        judging_deadline: Set(new.judging_deadline),
        ranking_method: Set(new.ranking_method),
        anonymised: Set(new.anonymised),
        default_locale: Set(new.default_locale),
        status: Set(new.status),
        rubric: Set(new.rubric),
        tie_rule: Set(new.tie_rule),
        judging_started_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    };
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

/// Writes `changes` to the contest with that id and returns the row as written.
///
/// # Errors
/// [`DbError`] on database failure, or when there is no such contest.
pub async fn update(
    db: &impl ConnectionTrait,
    id: Uuid,
    changes: ContestChanges,
) -> Result<ContestRow, DbError> {
    let mut model = contest::ActiveModel {
        id: Set(id),
        updated_at: Set(Utc::now()),
        ..Default::default()
    };
    macro_rules! set_given {
        ($($field:ident),*) => {
            $(if let Some(value) = changes.$field {
                model.$field = Set(value);
            })*
        };
    }
    set_given!(
        title,
        brief,
        rules,
        key_messages,
        max_duration_seconds,
        duration_tolerance_seconds,
        max_upload_bytes,
        upload_deadline,
        judging_deadline,
        ranking_method,
        anonymised,
        default_locale,
        status,
        judging_started_at,
        rubric,
        tie_rule
    );
    Ok(model.update(db).await?)
}

/// Whether a slug is in use.
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn slug_taken(db: &impl ConnectionTrait, slug: &str) -> Result<bool, DbError> {
    Ok(find_by_slug(db, slug).await?.is_some())
}
