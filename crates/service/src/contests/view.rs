use chrono::{DateTime, Utc};
use clipjury_db::{DbError, repo::contests::ContestRow};
use clipjury_domain::contest::ContestStatus;
use clipjury_domain::judging::{Method, Rubric, TieRule};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

// The API sends these views as they are (the schema names are the API's); the domain fields serialize in the form
// the named api schemas describe (see `crate::api_schema`).

/// A contest as its admin sees it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = ContestDto)]
pub struct ContestView {
    pub id: Uuid,
    pub slug: String,
    pub title: String,
    pub brief: String,
    pub rules: String,
    pub key_messages: Vec<String>,
    pub max_duration_seconds: u32,
    pub duration_tolerance_seconds: u32,
    pub max_upload_bytes: u64,
    pub upload_deadline: Option<DateTime<Utc>>,
    pub judging_deadline: Option<DateTime<Utc>>,
    #[schema(value_type = String)]
    pub ranking_method: Method,
    pub anonymised: bool,
    pub default_locale: String,
    #[schema(schema_with = crate::api_schema::contest_status)]
    pub status: ContestStatus,
    #[schema(schema_with = crate::api_schema::rubric)]
    pub rubric: Rubric,
    /// Tie-breakers tried in order: `median`, `first_places`, `mean`, `rank_sum`, `worst_score`, `best_score`.
    #[schema(value_type = Vec<String>)]
    pub tie_rule: TieRule,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A contest as its groups and jurors see it: brief and rules, no admin settings.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = ContestBriefDto)]
pub struct ContestBrief {
    pub id: Uuid,
    pub slug: String,
    pub title: String,
    pub brief: String,
    pub rules: String,
    pub key_messages: Vec<String>,
    pub max_duration_seconds: u32,
    pub max_upload_bytes: u64,
    pub upload_deadline: Option<DateTime<Utc>>,
    pub judging_deadline: Option<DateTime<Utc>>,
    pub anonymised: bool,
    pub default_locale: String,
    #[schema(schema_with = crate::api_schema::contest_status)]
    pub status: ContestStatus,
    /// The rubric jurors score with.
    #[schema(schema_with = crate::api_schema::jurors_rubric)]
    pub rubric: Rubric,
}

/// The admin's full view or a participant's brief; `view` says which (a full view also has every field of a brief,
/// so only the tag tells them apart).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(tag = "view", rename_all = "snake_case")]
#[schema(as = ContestResponse)]
pub enum ContestViewFor {
    // For the owning admin.
    Admin(ContestView),
    // For a group or juror of the contest.
    Participant(ContestBrief),
}

impl TryFrom<ContestRow> for ContestView {
    type Error = DbError;

    fn try_from(row: ContestRow) -> Result<Self, DbError> {
        let corrupt = |what: &str| DbError::Corrupt(format!("contest {}: {what}", row.id));
        let key_messages: Vec<String> = serde_json::from_value(row.key_messages.clone())
            .map_err(|_| corrupt("key_messages is not a list of strings"))?;
        let rubric: Rubric =
            serde_json::from_value(row.rubric.clone()).map_err(|_| corrupt("rubric"))?;
        let tie_rule: TieRule =
            serde_json::from_value(row.tie_rule.clone()).map_err(|_| corrupt("tie_rule"))?;
        Ok(Self {
            id: row.id,
            slug: row.slug,
            title: row.title,
            brief: row.brief,
            rules: row.rules,
            key_messages,
            max_duration_seconds: u32::try_from(row.max_duration_seconds)
                .map_err(|_| corrupt("max_duration_seconds"))?,
            duration_tolerance_seconds: u32::try_from(row.duration_tolerance_seconds)
                .map_err(|_| corrupt("duration_tolerance_seconds"))?,
            max_upload_bytes: u64::try_from(row.max_upload_bytes)
                .map_err(|_| corrupt("max_upload_bytes"))?,
            upload_deadline: row.upload_deadline,
            judging_deadline: row.judging_deadline,
            ranking_method: row.ranking_method,
            anonymised: row.anonymised,
            default_locale: row.default_locale.as_str().to_owned(),
            status: row.status,
            rubric,
            tie_rule,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

impl From<ContestView> for ContestBrief {
    fn from(c: ContestView) -> Self {
        Self {
            id: c.id,
            slug: c.slug,
            title: c.title,
            brief: c.brief,
            rules: c.rules,
            key_messages: c.key_messages,
            max_duration_seconds: c.max_duration_seconds,
            max_upload_bytes: c.max_upload_bytes,
            upload_deadline: c.upload_deadline,
            judging_deadline: c.judging_deadline,
            anonymised: c.anonymised,
            default_locale: c.default_locale,
            status: c.status,
            rubric: c.rubric,
        }
    }
}
