/// A storage failure.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// No object at that key.
    #[error("no such object: {0}")]
    NotFound(String),
    /// The store could not be set up (bad folder, incomplete S3 settings).
    #[error("storage set-up: {0}")]
    Setup(String),
    /// A file in the local media folder could not be written.
    #[error("local media folder: {0}")]
    Local(String),
    /// Any other failure of the store.
    #[error(transparent)]
    Store(object_store::Error),
}

impl From<object_store::Error> for StorageError {
    fn from(e: object_store::Error) -> Self {
        match e {
            object_store::Error::NotFound { path, .. } => Self::NotFound(path),
            other => Self::Store(other),
        }
    }
}
