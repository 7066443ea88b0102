use clipjury_db::DbError;
use clipjury_domain::error_code::ErrorCode;
use clipjury_domain::validation::ValidationError;

/// What a use case can answer instead of a result. Each client-caused arm carries a stable kebab-case code.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// The input breaks a rule.
    #[error("{0}")]
    Validation(#[from] ValidationError),
    /// No session, or a session that is no longer valid.
    #[error("{message}")]
    Unauthenticated { code: ErrorCode, message: String },
    /// The session may not do this.
    #[error("{message}")]
    Forbidden { code: ErrorCode, message: String },
    /// The thing does not exist, or the session may not know it exists.
    #[error("{message}")]
    NotFound { code: ErrorCode, message: String },
    /// The request clashes with the current state.
    #[error("{message}")]
    Conflict { code: ErrorCode, message: String },
    /// The thing existed but is no longer usable (an expired invite).
    #[error("{message}")]
    Gone { code: ErrorCode, message: String },
    /// The request is larger than a limit allows.
    #[error("{message}")]
    TooLarge { code: ErrorCode, message: String },
    /// A checksum sent with the data does not match it (tus answers 460).
    #[error("{message}")]
    ChecksumMismatch { code: ErrorCode, message: String },
    /// Too many attempts; retry after the given seconds.
    #[error("too many attempts, retry in {retry_after_secs} s")]
    RateLimited { retry_after_secs: u64 },
    /// A fault that is not the client's; logged with its cause chain, never shown.
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl ServiceError {
    /// A [`ServiceError::NotFound`].
    pub fn not_found(code: ErrorCode, message: impl Into<String>) -> Self {
        Self::NotFound {
            code,
            message: message.into(),
        }
    }

    /// A [`ServiceError::Conflict`].
    pub fn conflict(code: ErrorCode, message: impl Into<String>) -> Self {
        Self::Conflict {
            code,
            message: message.into(),
        }
    }

    /// A [`ServiceError::Forbidden`].
    pub fn forbidden(code: ErrorCode, message: impl Into<String>) -> Self {
        Self::Forbidden {
            code,
            message: message.into(),
        }
    }

    /// A [`ServiceError::Unauthenticated`].
    pub fn unauthenticated(code: ErrorCode, message: impl Into<String>) -> Self {
        Self::Unauthenticated {
            code,
            message: message.into(),
        }
    }
}

impl From<clipjury_storage::StorageError> for ServiceError {
    fn from(err: clipjury_storage::StorageError) -> Self {
        Self::Unexpected(anyhow::Error::new(err).context("media storage"))
    }
}

impl From<DbError> for ServiceError {
    fn from(err: DbError) -> Self {
        Self::Unexpected(anyhow::Error::new(err).context("database"))
    }
}
