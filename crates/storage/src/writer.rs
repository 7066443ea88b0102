use bytes::Bytes;
use object_store::{MultipartUpload, WriteMultipart};

use crate::StorageError;

/// Streams one object into the store in chunks of a fixed size (1 MiB for a folder, 6 MiB for S3), with at most two
/// chunks in flight, so memory stays bounded whatever the object's size. Nothing is visible until [`ObjectWriter::finish`].
pub struct ObjectWriter {
    inner: WriteMultipart,
    written: u64,
}

impl ObjectWriter {
    pub(crate) fn new(upload: Box<dyn MultipartUpload>, chunk_bytes: usize) -> Self {
        Self {
            inner: WriteMultipart::new_with_chunk_size(upload, chunk_bytes),
            written: 0,
        }
    }

    /// Appends bytes, waiting while the store catches up.
    ///
    /// # Errors
    /// [`StorageError`] when a part upload failed.
    pub async fn write(&mut self, bytes: Bytes) -> Result<(), StorageError> {
        self.inner.wait_for_capacity(2).await?;
        self.written += bytes.len() as u64;
        self.inner.put(bytes);
        Ok(())
    }

    /// Bytes written so far.
    #[must_use]
    pub fn written(&self) -> u64 {
        self.written
    }

    /// Makes the object visible; returns its size.
    ///
    /// # Errors
    /// [`StorageError`] when the store refuses.
    pub async fn finish(self) -> Result<u64, StorageError> {
        let written = self.written;
        self.inner.finish().await?;
        Ok(written)
    }

    /// Discards everything written.
    ///
    /// # Errors
    /// [`StorageError`] when the store refuses to clean up.
    pub async fn abort(self) -> Result<(), StorageError> {
        self.inner.abort().await?;
        Ok(())
    }
}
