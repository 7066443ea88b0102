use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "uploads")]
pub struct Model {
    /// 128 random bits, base64url: the unguessable part of the upload URL.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub contest_id: Uuid,
    pub group_id: Uuid,
    pub submission_id: Uuid,
    pub length: i64,
    pub upload_offset: i64,
    /// Every byte accepted into a committed part, to prove each byte arrived once.
    pub bytes_received: i64,
    pub metadata: Json,
    pub filename: Option<String>,
    pub content_type: Option<String>,
    /// Set while one PATCH writes, so two requests (perhaps on two nodes) never write the same range.
    pub lock_id: Option<String>,
    pub locked_until: Option<DateTimeUtc>,
    pub expires_at: DateTimeUtc,
    pub completed_at: Option<DateTimeUtc>,
    pub video_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
