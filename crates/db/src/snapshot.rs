//! Consistent copies of a live SQLite database (`clipjury backup`).

use std::path::{Path, PathBuf};

use sea_orm::{ConnectionTrait as _, DbBackend, Statement};

use crate::{Database, DbError};

/// The file a `sqlite:` database URL names (`sqlite://./data/clipjury.db?mode=rwc` → `./data/clipjury.db`);
/// `None` for any other database.
#[must_use]
pub fn sqlite_path(url: &str) -> Option<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split_once('?').map_or(rest, |(p, _)| p);
    (!path.is_empty() && path != ":memory:").then(|| PathBuf::from(path))
}

/// Writes a consistent copy of the open SQLite database to `dest` (which must not exist) while the database stays
/// in use: `VACUUM INTO` reads one snapshot in a single read transaction, so writers in WAL mode carry on and
/// nothing committed after the snapshot began is in the copy. Runs on the same SQLite library as the pool.
///
/// # Errors
/// [`DbError`] when the database is not SQLite, `dest` exists, or SQLite fails.
pub async fn sqlite_snapshot(db: &Database, dest: &Path) -> Result<(), DbError> {
    if db.get_database_backend() != DbBackend::Sqlite {
        return Err(DbError::Query(sea_orm::DbErr::Custom(
            "a file snapshot needs the SQLite database".into(),
        )));
    }
    let dest = dest.to_string_lossy().into_owned();
    db.execute_raw(Statement::from_sql_and_values(
        DbBackend::Sqlite,
        "VACUUM INTO ?",
        [dest.into()],
    ))
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::sqlite_path;
    use std::path::PathBuf;

    #[test]
    fn the_file_is_read_from_sqlite_urls_only() {
        assert_eq!(
            sqlite_path("sqlite://./data/clipjury.db"),
            Some(PathBuf::from("./data/clipjury.db"))
        );
        assert_eq!(
            sqlite_path("sqlite:///srv/c.db?mode=rwc"),
            Some(PathBuf::from("/srv/c.db"))
        );
        assert_eq!(sqlite_path("sqlite::memory:"), None);
        assert_eq!(sqlite_path("postgres://u@h/db"), None);
    }
}
