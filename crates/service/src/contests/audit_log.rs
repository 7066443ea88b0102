use chrono::{DateTime, Utc};
use clipjury_db::repo;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::access::owned_contest;
use crate::auth::AdminSession;
use crate::{ServiceError, Services};

/// One audit log entry.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = AuditEntryDto)]
pub struct AuditEntryView {
    pub id: Uuid,
    pub actor_role: String,
    pub actor_id: Option<Uuid>,
    pub action: String,
    /// The record before the change, as the log kept it: any JSON, its shape set by `action` and by the version of
    /// clipjury that wrote the entry (old entries keep old shapes), so it is shown, not read field by field.
    pub before: Option<serde_json::Value>,
    /// The record after the change, kept as `before` is.
    pub after: Option<serde_json::Value>,
    pub reason: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// The audit log of a contest, oldest first. Admin of the contest only.
///
/// # Errors
/// `contest-not-found` (404).
pub async fn audit_log(
    services: &Services,
    session: &AdminSession,
    contest_id: Uuid,
) -> Result<Vec<AuditEntryView>, ServiceError> {
    owned_contest(&services.db, session, contest_id).await?;
    let rows = repo::audit::list_for_contest(&services.db, contest_id).await?;
    Ok(rows
        .into_iter()
        .map(|r| AuditEntryView {
            id: r.id,
            actor_role: r.actor_role,
            actor_id: r.actor_id,
            action: r.action,
            before: r.before,
            after: r.after,
            reason: r.reason,
            created_at: r.created_at,
        })
        .collect())
}
