use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "submissions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub contest_id: Uuid,
    pub group_id: Uuid,
    pub title: String,
    pub description: String,
    pub key_message: String,
    pub purpose: String,
    pub audience: String,
    pub consent_confirmed: bool,
    pub consent_photo_key: Option<String>,
    /// The newest video that is ready: what jurors and the public see.
    pub current_video_id: Option<Uuid>,
    /// The newest video uploaded (may still be processing, or failed).
    pub latest_video_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
