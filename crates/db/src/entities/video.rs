use clipjury_domain::video::VideoStatus;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "videos")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub submission_id: Uuid,
    pub upload_id: String,
    pub source_bytes: i64,
    pub original_filename: Option<String>,
    pub status: VideoStatus,
    pub failure_code: Option<String>,
    pub failure_message: Option<String>,
    /// 0.0–1.0 while processing.
    pub progress: f32,
    /// Probe results, renditions and thumbnails, as the media worker records them.
    pub media: Option<Json>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
