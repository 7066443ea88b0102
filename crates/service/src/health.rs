//! Readiness: the database answers, migrations are applied, the media store accepts writes. The store is written
//! to at most once per [`STORAGE_CHECK_EVERY`]; answers in between reuse the last result, so a flood of probes
//! writes nothing.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use clipjury_db::{ConnectionTrait, migrations_pending};

use crate::Services;

/// How long a storage write check stays valid.
pub const STORAGE_CHECK_EVERY: Duration = Duration::from_secs(30);

/// The last storage write check: when, and its error if it failed.
#[derive(Default)]
pub(crate) struct StorageCheck(Mutex<Option<(Instant, Option<String>)>>);

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
    if let Some(detail) = storage_failure(services).await {
        failed.push(NotReady {
            check: "storage",
            detail,
        });
    }
    failed
}

async fn storage_failure(services: &Services) -> Option<String> {
    let cached = {
        let last = services
            .storage_check
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        last.as_ref()
            .filter(|(at, _)| at.elapsed() < STORAGE_CHECK_EVERY)
            .map(|(_, result)| result.clone())
    };
    if let Some(result) = cached {
        return result;
    }
    let result = services
        .storage()
        .check_writable()
        .await
        .err()
        .map(|e| e.to_string());
    *services
        .storage_check
        .0
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner) =
        Some((Instant::now(), result.clone()));
    result
}
