use clipjury_domain::participant::Role;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "participants")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub contest_id: Uuid,
    /// `Group` or `Juror`.
    pub role: Role,
    pub name: String,
    /// Bumped when the invite is revoked or regenerated, so sessions from the old invite stop working.
    pub session_version: i32,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
