//! SQLite's query planner stability guarantee (QPSG), switched on for every pooled connection.
//!
//! Without it SQLite (3.4x and later) reads the bound value of `LIMIT ?` while planning and marks the statement to be
//! prepared again whenever that parameter is bound anew. sea-orm's `.one()` ends every query with `LIMIT ?`, and
//! sqlx binds parameters on each execution, so each of those queries was parsed and planned afresh on every request
//! although sqlx caches it: a sixth of the server's CPU in the score-save load run (bench/load.mjs). With QPSG on,
//! plans do not depend on bound values and cached statements are reused.

use std::ffi::c_int;
use std::future::Future;
use std::pin::Pin;

use libsqlite3_sys::{SQLITE_DBCONFIG_ENABLE_QPSG, SQLITE_OK, sqlite3_db_config};
use sea_orm::sqlx::pool::PoolConnectionMetadata;
use sea_orm::sqlx::sqlite::SqliteConnection;

type Hook<'c> = Pin<Box<dyn Future<Output = Result<(), sea_orm::sqlx::Error>> + Send + 'c>>;

/// The pool's `after_connect` hook: switches QPSG on.
pub(crate) fn on_connect(conn: &mut SqliteConnection, _: PoolConnectionMetadata) -> Hook<'_> {
    Box::pin(async move {
        qpsg(conn, 1).await?;
        Ok(())
    })
}

/// Sets QPSG (`value` 1 on, 0 off, -1 leaves it) and answers whether it is on.
pub(crate) async fn qpsg(
    conn: &mut SqliteConnection,
    value: c_int,
) -> Result<bool, sea_orm::sqlx::Error> {
    let mut handle = conn.lock_handle().await?;
    let mut now: c_int = 0;
    // SAFETY: the connection handle is locked (no other thread uses it) for the call; this option takes an int and a
    // pointer to an int that receives the setting.
    let rc = unsafe {
        sqlite3_db_config(
            handle.as_raw_handle().as_ptr(),
            SQLITE_DBCONFIG_ENABLE_QPSG,
            value,
            &raw mut now,
        )
    };
    if rc != SQLITE_OK {
        return Err(sea_orm::sqlx::Error::Configuration(
            format!("sqlite3_db_config(SQLITE_DBCONFIG_ENABLE_QPSG) failed with code {rc}").into(),
        ));
    }
    Ok(now != 0)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use crate::{ConnectSettings, connect};

    #[tokio::test]
    async fn every_pooled_sqlite_connection_has_stable_query_plans() {
        let dir = std::env::temp_dir().join(format!("clipjury-qpsg-{}", std::process::id()));
        let url = format!("sqlite://{}", dir.join("db.sqlite").display());
        let db = connect(&ConnectSettings {
            url,
            max_connections: 3,
        })
        .await
        .unwrap();
        let pool = db.get_sqlite_connection_pool();
        let mut held = Vec::new();
        for _ in 0..3 {
            let mut conn = pool.acquire().await.unwrap();
            assert!(super::qpsg(&mut conn, -1).await.unwrap());
            held.push(conn);
        }
        drop(held);
        db.close().await.unwrap();
        std::fs::remove_dir_all(dir).unwrap();
    }
}
