use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use crate::DbError;
use crate::entities::invite::{self, Entity as Invites};

pub use invite::Model as InviteRow;

/// Stores a new invite for a participant: the token's hash (for look-up) and its sealed copy (for showing again).
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn insert(
    db: &impl ConnectionTrait,
    participant_id: Uuid,
    token_hash: &str,
    token_sealed: &str,
    expires_at: DateTime<Utc>,
) -> Result<InviteRow, DbError> {
    let row = invite::ActiveModel {
        id: Set(Uuid::now_v7()),
        participant_id: Set(participant_id),
        token_hash: Set(token_hash.to_owned()),
        token_sealed: Set(Some(token_sealed.to_owned())),
        expires_at: Set(expires_at),
        revoked_at: Set(None),
        last_redeemed_at: Set(None),
        created_at: Set(Utc::now()),
    };
    Ok(row.insert(db).await?)
}

/// The invite whose token has that hash, whatever its state.
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn find_by_token_hash(
    db: &impl ConnectionTrait,
    token_hash: &str,
) -> Result<Option<InviteRow>, DbError> {
    Ok(Invites::find()
        .filter(invite::Column::TokenHash.eq(token_hash))
        .one(db)
        .await?)
}

/// Invites written before tokens were sealed: their `token_hash` column still holds the plain token.
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn unsealed(db: &impl ConnectionTrait) -> Result<Vec<InviteRow>, DbError> {
    Ok(Invites::find()
        .filter(invite::Column::TokenSealed.is_null())
        .all(db)
        .await?)
}

/// Replaces a plain token by its hash and sealed copy.
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn seal(
    db: &impl ConnectionTrait,
    id: Uuid,
    token_hash: &str,
    token_sealed: &str,
) -> Result<(), DbError> {
    invite::ActiveModel {
        id: Set(id),
        token_hash: Set(token_hash.to_owned()),
        token_sealed: Set(Some(token_sealed.to_owned())),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}

/// The newest invite of a participant that is not revoked (it may have expired).
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn current(
    db: &impl ConnectionTrait,
    participant_id: Uuid,
) -> Result<Option<InviteRow>, DbError> {
    Ok(Invites::find()
        .filter(invite::Column::ParticipantId.eq(participant_id))
        .filter(invite::Column::RevokedAt.is_null())
        .order_by_desc(invite::Column::CreatedAt)
        .one(db)
        .await?)
}

/// Revokes every open invite of a participant; returns how many were open.
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn revoke_all(db: &impl ConnectionTrait, participant_id: Uuid) -> Result<u64, DbError> {
    let res = Invites::update_many()
        .col_expr(
            invite::Column::RevokedAt,
            sea_orm::sea_query::Expr::value(Utc::now()),
        )
        .filter(invite::Column::ParticipantId.eq(participant_id))
        .filter(invite::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(res.rows_affected)
}

/// Notes that an invite was used.
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn mark_redeemed(db: &impl ConnectionTrait, id: Uuid) -> Result<(), DbError> {
    invite::ActiveModel {
        id: Set(id),
        last_redeemed_at: Set(Some(Utc::now())),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}
