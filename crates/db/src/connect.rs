use std::time::Duration;

use clipjury_migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, DatabaseConnection, DbErr};

/// The pool every part of clipjury shares.
pub type Database = DatabaseConnection;

/// How to reach the database.
#[derive(Debug, Clone)]
pub struct ConnectSettings {
    /// `sqlite://path/to/file.db` or `postgres://user:pass@host:port/db`.
    pub url: String,
    /// Upper bound of pooled connections.
    pub max_connections: u32,
}

/// Opens the pool. For SQLite the file and its folder are created when missing, WAL mode is switched on, so
/// readers do not block the one writer, and so are stable query plans ([`crate::sqlite_plans`]).
///
/// # Errors
/// [`DbErr`] when the database cannot be reached or the folder cannot be created.
pub async fn connect(settings: &ConnectSettings) -> Result<Database, DbErr> {
    let url = sqlite_url_with_create(&settings.url)?;
    let mut options = ConnectOptions::new(url);
    options
        .max_connections(settings.max_connections)
        .min_connections(1)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(30))
        .sqlx_logging(false)
        // Per connection, not once on whichever pooled connection runs a PRAGMA: WAL (readers never block the
        // writer) and synchronous=NORMAL (a commit is durable at the next checkpoint, and the database is never
        // corrupted by a crash; without it every pooled connection fsyncs on each commit).
        .map_sqlx_sqlite_opts(|o| {
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
        })
        .map_sqlx_sqlite_pool_opts(|o| o.after_connect(crate::sqlite_plans::on_connect));
    sea_orm::Database::connect(options).await
}

/// Applies pending migrations.
///
/// # Errors
/// [`DbErr`] when a migration fails; the database is left at the last migration that succeeded.
pub async fn migrate(db: &Database) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}

/// How many migrations are not applied yet (0 on a ready database).
///
/// # Errors
/// [`DbErr`] when the migration table cannot be read.
pub async fn migrations_pending(db: &Database) -> Result<usize, DbErr> {
    Ok(Migrator::get_pending_migrations(db).await?.len())
}

/// For SQLite: makes sure the file's folder exists and that sqlx may create the file.
fn sqlite_url_with_create(url: &str) -> Result<String, DbErr> {
    let Some(rest) = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
    else {
        return Ok(url.to_owned());
    };
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let parent = std::path::Path::new(path)
        .parent()
        .filter(|p| !p.as_os_str().is_empty());
    if let Some(parent) = parent.filter(|_| path != ":memory:") {
        std::fs::create_dir_all(parent).map_err(|e| {
            DbErr::Custom(format!(
                "cannot create database folder {}: {e}",
                parent.display()
            ))
        })?;
    }
    if query.contains("mode=") {
        Ok(url.to_owned())
    } else if query.is_empty() {
        Ok(format!("sqlite://{path}?mode=rwc"))
    } else {
        Ok(format!("sqlite://{path}?{query}&mode=rwc"))
    }
}

/// Begins a transaction that will write. On SQLite it takes the write lock at `BEGIN` (`BEGIN IMMEDIATE`), so a
/// transaction that reads before it writes waits its turn instead of failing with "database is locked" when
/// another writer got there first; PostgreSQL ignores the option.
///
/// # Errors
/// [`DbErr`] when no transaction can be started (the busy timeout passed).
pub async fn begin_write(db: &Database) -> Result<sea_orm::DatabaseTransaction, DbErr> {
    use sea_orm::{SqliteTransactionMode, TransactionOptions, TransactionTrait as _};
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::sqlite_url_with_create;

    #[test]
    fn sqlite_urls_get_create_mode_and_postgres_urls_pass_through() {
        let dir = std::env::temp_dir().join(format!("clipjury-url-{}", std::process::id()));
        let file = dir.join("x.db");
        let url = format!("sqlite://{}", file.display());
        assert_eq!(
            sqlite_url_with_create(&url).unwrap(),
            format!("{url}?mode=rwc")
        );
        assert!(dir.is_dir());
        assert_eq!(
            sqlite_url_with_create("postgres://a@b/c").unwrap(),
            "postgres://a@b/c"
        );
        assert_eq!(
            sqlite_url_with_create("sqlite://x.db?mode=ro").unwrap(),
            "sqlite://x.db?mode=ro"
        );
        std::fs::remove_dir_all(dir).unwrap();
    }
}
