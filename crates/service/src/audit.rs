//! Helpers to append audit entries for the actor of a session.

use clipjury_db::repo::audit::NewAuditEntry;
use uuid::Uuid;

use crate::auth::Actor;

/// An audit entry for `action` by the holder of `session`.
pub(crate) fn entry(
    session: &impl Actor,
    contest_id: Option<Uuid>,
    action: &'static str,
) -> NewAuditEntry {
    NewAuditEntry {
        contest_id,
        actor_role: session.role().as_str(),
        actor_id: Some(session.subject()),
        action,
        before: None,
        after: None,
        reason: None,
    }
}
