use bytes::Bytes;
use object_store::{MultipartUpload, WriteMultipart};

use crate::StorageError;
#[cfg(direct_io)]
use crate::local_writer::LocalWriter;

/// Streams one object into the store with bounded memory whatever its size: in 6 MiB parts with at most two in
/// flight (to S3, or to a local folder through object_store), or, with [`crate::DIRECT_IO`], to a local folder in
/// 2 MiB direct-I/O blocks. Nothing is visible until [`ObjectWriter::finish`].
pub struct ObjectWriter {
    inner: Inner,
    written: u64,
}

enum Inner {
    Multipart(WriteMultipart),
    #[cfg(direct_io)]
    Local(LocalWriter),
}

impl ObjectWriter {
    pub(crate) fn multipart(upload: Box<dyn MultipartUpload>, chunk_bytes: usize) -> Self {
        Self {
            inner: Inner::Multipart(WriteMultipart::new_with_chunk_size(upload, chunk_bytes)),
            written: 0,
        }
    }

    #[cfg(direct_io)]
    pub(crate) fn local(writer: LocalWriter) -> Self {
        Self {
            inner: Inner::Local(writer),
            written: 0,
        }
    }

    /// Appends bytes, waiting while the store catches up.
    ///
    /// # Errors
    /// [`StorageError`] when a write failed.
    pub async fn write(&mut self, bytes: Bytes) -> Result<(), StorageError> {
        self.written += bytes.len() as u64;
        match &mut self.inner {
            Inner::Multipart(w) => {
                w.wait_for_capacity(2).await?;
                w.put(bytes);
            }
            #[cfg(direct_io)]
            Inner::Local(w) => w.write(bytes).await?,
        }
        Ok(())
    }

    /// Bytes written so far.
    #[must_use]
    pub fn written(&self) -> u64 {
        self.written
    }

    /// Makes the object visible (durably, for a local folder); returns its size.
    ///
    /// # Errors
    /// [`StorageError`] when the store refuses.
    pub async fn finish(self) -> Result<u64, StorageError> {
        match self.inner {
            Inner::Multipart(w) => {
                w.finish().await?;
            }
            #[cfg(direct_io)]
            Inner::Local(w) => w.finish().await?,
        }
        Ok(self.written)
    }

    /// Makes the object visible now, and durable when the file system next flushes (a local folder written with
    /// [`crate::DIRECT_IO`]: within seconds), or at once with [`crate::Storage::sync`]: a power cut before then can
    /// leave it shorter or missing, never wrong (check with [`crate::Storage::size`] after a restart). A bucket, or
    /// a local folder written through object_store, has the object durably once this returns, as with
    /// [`ObjectWriter::finish`]. Returns its size.
    ///
    /// # Errors
    /// [`StorageError`] when the store refuses.
    pub async fn finish_without_flush(self) -> Result<u64, StorageError> {
        match self.inner {
            Inner::Multipart(w) => {
                w.finish().await?;
            }
            #[cfg(direct_io)]
            Inner::Local(w) => w.finish_without_flush().await?,
        }
        Ok(self.written)
    }

    /// Discards everything written.
    ///
    /// # Errors
    /// [`StorageError`] when the store refuses to clean up.
    pub async fn abort(self) -> Result<(), StorageError> {
        match self.inner {
            Inner::Multipart(w) => w.abort().await?,
            #[cfg(direct_io)]
            Inner::Local(w) => w.abort().await?,
        }
        Ok(())
    }
}
