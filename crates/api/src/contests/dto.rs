use chrono::{DateTime, Utc};
use clipjury_service::contests::{
    AuditEntryView, ContestBrief, ContestPatch, ContestView, ContestViewFor, NewContest,
};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::judging::rubric_dto::RubricDto;

/// Lifecycle status of a contest.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ContestStatusDto {
    Draft,
    Open,
    Judging,
    Closed,
    Published,
}

impl From<clipjury_domain::contest::ContestStatus> for ContestStatusDto {
    fn from(s: clipjury_domain::contest::ContestStatus) -> Self {
        use clipjury_domain::contest::ContestStatus as S;
        match s {
            S::Draft => Self::Draft,
            S::Open => Self::Open,
            S::Judging => Self::Judging,
            S::Closed => Self::Closed,
            S::Published => Self::Published,
        }
    }
}

impl From<ContestStatusDto> for clipjury_domain::contest::ContestStatus {
    fn from(s: ContestStatusDto) -> Self {
        match s {
            ContestStatusDto::Draft => Self::Draft,
            ContestStatusDto::Open => Self::Open,
            ContestStatusDto::Judging => Self::Judging,
            ContestStatusDto::Closed => Self::Closed,
            ContestStatusDto::Published => Self::Published,
        }
    }
}

/// A new contest. Only the title is required; the rest takes the instance defaults.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateContestRequest {
    pub title: String,
    pub brief: Option<String>,
    pub rules: Option<String>,
    pub key_messages: Option<Vec<String>>,
    pub max_duration_seconds: Option<u32>,
    pub duration_tolerance_seconds: Option<u32>,
    pub max_upload_bytes: Option<u64>,
    pub upload_deadline: Option<DateTime<Utc>>,
    pub judging_deadline: Option<DateTime<Utc>>,
    /// `mean` (default), `median`, `zscore` or `rank_sum`.
    pub ranking_method: Option<String>,
    pub anonymised: Option<bool>,
    /// `en` or `km`.
    pub default_locale: Option<String>,
}

impl From<CreateContestRequest> for NewContest {
    fn from(r: CreateContestRequest) -> Self {
        Self {
            title: r.title,
            brief: r.brief,
            rules: r.rules,
            key_messages: r.key_messages,
            max_duration_seconds: r.max_duration_seconds,
            duration_tolerance_seconds: r.duration_tolerance_seconds,
            max_upload_bytes: r.max_upload_bytes,
            upload_deadline: r.upload_deadline,
            judging_deadline: r.judging_deadline,
            ranking_method: r.ranking_method,
            anonymised: r.anonymised,
            default_locale: r.default_locale,
        }
    }
}

/// Present-but-null means "clear"; absent means "leave as is".
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

/// Fields to change; omitted fields stay. Send `null` for a deadline to clear it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateContestRequest {
    pub title: Option<String>,
    pub brief: Option<String>,
    pub rules: Option<String>,
    pub key_messages: Option<Vec<String>>,
    pub max_duration_seconds: Option<u32>,
    pub duration_tolerance_seconds: Option<u32>,
    pub max_upload_bytes: Option<u64>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<DateTime<Utc>>)]
    pub upload_deadline: Option<Option<DateTime<Utc>>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<DateTime<Utc>>)]
    pub judging_deadline: Option<Option<DateTime<Utc>>>,
    pub ranking_method: Option<String>,
    pub anonymised: Option<bool>,
    pub default_locale: Option<String>,
}

impl From<UpdateContestRequest> for ContestPatch {
    fn from(r: UpdateContestRequest) -> Self {
        Self {
            title: r.title,
            brief: r.brief,
            rules: r.rules,
            key_messages: r.key_messages,
            max_duration_seconds: r.max_duration_seconds,
            duration_tolerance_seconds: r.duration_tolerance_seconds,
            max_upload_bytes: r.max_upload_bytes,
            upload_deadline: r.upload_deadline,
            judging_deadline: r.judging_deadline,
            ranking_method: r.ranking_method,
            anonymised: r.anonymised,
            default_locale: r.default_locale,
        }
    }
}

/// Move a contest to another status. Moving back needs a reason.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransitionRequest {
    pub to: ContestStatusDto,
    pub reason: Option<String>,
}

/// A contest as its admin sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ContestDto {
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
    pub ranking_method: String,
    pub anonymised: bool,
    pub default_locale: String,
    pub status: ContestStatusDto,
    pub rubric: RubricDto,
    /// Tie-breakers tried in order: `median`, `first_places`, `mean`, `rank_sum`, `worst_score`, `best_score`.
    pub tie_rule: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<ContestView> for ContestDto {
    fn from(c: ContestView) -> Self {
        Self {
            id: c.id,
            slug: c.slug,
            title: c.title,
            brief: c.brief,
            rules: c.rules,
            key_messages: c.key_messages,
            max_duration_seconds: c.max_duration_seconds,
            duration_tolerance_seconds: c.duration_tolerance_seconds,
            max_upload_bytes: c.max_upload_bytes,
            upload_deadline: c.upload_deadline,
            judging_deadline: c.judging_deadline,
            ranking_method: c.ranking_method.as_str().to_owned(),
            anonymised: c.anonymised,
            default_locale: c.default_locale,
            status: c.status.into(),
            rubric: (&c.rubric).into(),
            tie_rule: c.tie_rule.steps().iter().map(ToString::to_string).collect(),
            created_at: c.created_at,
            updated_at: c.updated_at,
        }
    }
}

/// A contest as its groups and jurors see it: brief and rules, no admin settings.
#[derive(Debug, Serialize, ToSchema)]
pub struct ContestBriefDto {
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
    pub status: ContestStatusDto,
    /// The rubric jurors score with.
    pub rubric: RubricDto,
}

impl From<ContestBrief> for ContestBriefDto {
    fn from(c: ContestBrief) -> Self {
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
            status: c.status.into(),
            rubric: (&c.rubric).into(),
        }
    }
}

/// The admin's full view or a participant's brief; `view` says which (a full view also has every field of a brief,
/// so only the tag tells them apart).
#[derive(Debug, Serialize, ToSchema)]
#[serde(tag = "view", rename_all = "snake_case")]
pub enum ContestResponse {
    Admin(ContestDto),
    Participant(ContestBriefDto),
}

impl From<ContestViewFor> for ContestResponse {
    fn from(v: ContestViewFor) -> Self {
        match v {
            ContestViewFor::Admin(c) => Self::Admin(c.into()),
            ContestViewFor::Participant(c) => Self::Participant(c.into()),
        }
    }
}

/// One audit log entry.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntryDto {
    pub id: Uuid,
    pub actor_role: String,
    pub actor_id: Option<Uuid>,
    pub action: String,
    /// The record before the change, as the log kept it: any JSON, its shape set by `action` and by the version of
    /// clipjury that wrote the entry (old entries keep old shapes), so it is shown, not read field by field.
    pub before: Option<serde_json::Value>,
    /// The record after the change, kept as `before` is.
    pub after: Option<serde_json::Value>,
    pub reason: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl From<AuditEntryView> for AuditEntryDto {
    fn from(a: AuditEntryView) -> Self {
        Self {
            id: a.id,
            actor_role: a.actor_role,
            actor_id: a.actor_id,
            action: a.action,
            before: a.before,
            after: a.after,
            reason: a.reason,
            created_at: a.created_at,
        }
    }
}

/// Start a follow-up round with some of the groups.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FollowUpRequest {
    /// Groups of this contest to invite (e.g. the top 3); they keep their names.
    pub group_ids: Vec<Uuid>,
    /// Defaults to "<title> (follow-up)".
    pub title: Option<String>,
}

/// The new draft contest with its jurors and groups and their fresh invites.
#[derive(Debug, Serialize, ToSchema)]
pub struct FollowUpResponse {
    pub contest: ContestDto,
    pub participants: Vec<crate::participants::ParticipantDto>,
}

impl From<clipjury_service::contests::FollowUp> for FollowUpResponse {
    fn from(f: clipjury_service::contests::FollowUp) -> Self {
        Self {
            contest: f.contest.into(),
            participants: f.participants.into_iter().map(Into::into).collect(),
        }
    }
}
