use clipjury_domain::contest::{ContestStatus, Locale};
use clipjury_domain::judging::Method;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "contests")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub slug: String,
    pub owner_id: Uuid,
    pub title: String,
    pub brief: String,
    pub rules: String,
    pub key_messages: Json,
    pub max_duration_seconds: i32,
    pub duration_tolerance_seconds: i32,
    pub max_upload_bytes: i64,
    pub upload_deadline: Option<DateTimeUtc>,
    pub judging_deadline: Option<DateTimeUtc>,
    pub ranking_method: Method,
    pub anonymised: bool,
    pub default_locale: Locale,
    pub status: ContestStatus,
    /// The rubric (`clipjury_domain::judging::Rubric` as JSON).
    pub rubric: Json,
    /// The tie rule (a JSON list of tie-breaker names).
    pub tie_rule: Json,
    /// When the contest last entered judging; videos uploaded after it wait for the admin to accept them.
    pub judging_started_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
