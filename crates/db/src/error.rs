use sea_orm::{DbErr, SqlErr};

/// A database failure, with the one kind callers act on (a unique constraint) told apart.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// A row with the same unique key exists.
    #[error("a row with the same unique key exists")]
    UniqueViolation(#[source] DbErr),
    /// A stored value does not parse (a bug or a hand-edited database).
    #[error("stored value is invalid: {0}")]
    Corrupt(String),
    /// Any other database error.
    #[error(transparent)]
    Query(DbErr),
}

impl From<DbErr> for DbError {
    fn from(err: DbErr) -> Self {
        match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => Self::UniqueViolation(err),
            _ => Self::Query(err),
        }
    }
}
