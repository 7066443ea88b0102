use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "jobs")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub kind: String,
    pub payload: Json,
    pub status: JobStatus,
    pub attempts: i32,
    pub max_attempts: i32,
    /// Claimed lowest first: 0 for a video's first playable rendition, 1 for the rest.
    pub priority: i32,
    pub run_at: DateTimeUtc,
    pub leased_by: Option<String>,
    pub lease_until: Option<DateTimeUtc>,
    pub heartbeat_at: Option<DateTimeUtc>,
    pub last_error: Option<String>,
    #[sea_orm(unique)]
    pub unique_key: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// Where a job is in the queue. Only the queue knows it, so it lives here rather than in the domain.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, DeriveActiveEnum, EnumIter)]
#[sea_orm(
    rs_type = "String",
    db_type = "String(StringLen::None)",
    rename_all = "snake_case"
)]
pub enum JobStatus {
    /// Waiting for its `run_at`, or for a free worker.
    Queued,
    /// Leased by a worker.
    Running,
    /// Finished.
    Done,
    /// Gave up after its last attempt.
    Failed,
}

impl JobStatus {
    /// Every status, in queue order (the metrics list them all, zero or not).
    pub const ALL: [Self; 4] = [Self::Queued, Self::Running, Self::Done, Self::Failed];

    /// The stored name, e.g. `queued`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Running => "running",
            Self::Done => "done",
            Self::Failed => "failed",
        }
    }
}
