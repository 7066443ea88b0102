use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use crate::DbError;
use crate::entities::audit_log::{self, Entity as AuditLog};

pub use audit_log::Model as AuditRow;

/// One entry to append to the audit log.
#[derive(Debug, Clone)]
pub struct NewAuditEntry {
    pub contest_id: Option<Uuid>,
    pub actor_role: &'static str,
    pub actor_id: Option<Uuid>,
    pub action: &'static str,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub reason: Option<String>,
}

/// Appends an entry. Call it in the same transaction as the change it records.
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn append(db: &impl ConnectionTrait, entry: NewAuditEntry) -> Result<AuditRow, DbError> {
    let row = audit_log::ActiveModel {
        id: Set(Uuid::now_v7()),
        contest_id: Set(entry.contest_id),
        actor_role: Set(entry.actor_role.to_owned()),
        actor_id: Set(entry.actor_id),
        action: Set(entry.action.to_owned()),
        before: Set(entry.before),
        after: Set(entry.after),
        reason: Set(entry.reason),
        created_at: Set(Utc::now()),
    };
    Ok(row.insert(db).await?)
}

/// The audit log of a contest, oldest first.
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn list_for_contest(
    db: &impl ConnectionTrait,
    contest_id: Uuid,
) -> Result<Vec<AuditRow>, DbError> {
    Ok(AuditLog::find()
        .filter(audit_log::Column::ContestId.eq(contest_id))
        .order_by_asc(audit_log::Column::CreatedAt)
        .order_by_asc(audit_log::Column::Id)
        .all(db)
        .await?)
}
