use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "invites")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub participant_id: Uuid,
    /// SHA-256 (hex) of the token: 128 random bits, base64url. The token itself is only in `token_sealed`.
    #[sea_orm(unique, column_name = "token")]
    pub token_hash: String,
    /// The token encrypted with the instance key (XChaCha20-Poly1305), so the admin can print the QR sheet again;
    /// `None` only on rows written before tokens were sealed, until the next start seals them.
    pub token_sealed: Option<String>,
    pub expires_at: DateTimeUtc,
    pub revoked_at: Option<DateTimeUtc>,
    pub last_redeemed_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
