//! Readiness: the database answers, migrations are applied, the media store accepts writes.

use clipjury_db::{ConnectionTrait, migrations_pending};

use crate::Services;

/// One failed readiness check.
#[derive(Debug, Clone)]
pub struct NotReady {
    pub check: &'static str,
    pub detail: String,
}

/// Runs every readiness check; an empty list means ready.
pub async fn readiness(services: &Services) -> Vec<NotReady> {
    let mut failed = Vec::new();
    let db = services.db();
    if let Err(e) = db.execute_unprepared("SELECT 1").await {
        failed.push(NotReady {
            check: "database",
            detail: e.to_string(),
        });
    } else {
        match migrations_pending(db).await {
            Ok(0) => {}
            Ok(n) => failed.push(NotReady {
                check: "migrations",
                detail: format!("{n} pending"),
            }),
            Err(e) => failed.push(NotReady {
                check: "migrations",
                detail: e.to_string(),
            }),
        }
    }
    if let Err(e) = services.storage().check_writable().await {
        failed.push(NotReady {
            check: "storage",
            detail: e.to_string(),
        });
    }
    failed
}
