use clipjury_domain::judging::ScoreStatus;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "scores")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub contest_id: Uuid,
    pub submission_id: Uuid,
    pub juror_id: Uuid,
    pub status: ScoreStatus,
    /// Criterion key → score.
    pub scores: Json,
    /// For the contest's admins only.
    pub private_comment: String,
    /// For the group, shown after publishing without the juror's name.
    pub feedback: String,
    pub recusal_reason: Option<String>,
    /// Bumped on every write.
    pub version: i32,
    pub submitted_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
