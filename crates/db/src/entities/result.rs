use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "results")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub contest_id: Uuid,
    /// Admin decisions for remaining ties: `[{"order": [entry ids], "reason"}]`.
    pub tie_decisions: Json,
    /// The frozen result once confirmed.
    pub confirmed: Option<Json>,
    pub confirmed_at: Option<DateTimeUtc>,
    pub confirmed_by: Option<Uuid>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
