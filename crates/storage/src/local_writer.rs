//! Streaming writes into the local media folder. object_store's local multipart upload writes a staging file and
//! fsyncs it once at the end, so the whole object goes to disk after the last byte arrived and the client waits for
//! it. This writer starts the disk early: every [`SYNC_EVERY`] bytes it flushes the file in the background while the
//! next bytes are still arriving, so the final fsync only has the tail left. Same visibility rule: the object
//! appears (renamed into place, directory fsynced) only on [`LocalWriter::finish`].

use std::fs::File;
use std::io::{IoSlice, Write as _};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use bytes::Bytes;
use tokio::task::JoinHandle;

use crate::StorageError;

/// Bytes collected before they are written out in one blocking call.
const BATCH: usize = 1024 * 1024;
/// Bytes written between background flushes to disk.
const SYNC_EVERY: u64 = 4 * 1024 * 1024;

type Pending = Option<JoinHandle<std::io::Result<()>>>;

pub(crate) struct LocalWriter {
    file: Arc<File>,
    staging: PathBuf,
    dest: PathBuf,
    batch: Vec<Bytes>,
    batch_len: usize,
    writing: Pending,
    syncing: Pending,
    since_sync: u64,
    finished: bool,
}

fn io_error(what: &str, path: &Path, e: impl std::fmt::Display) -> StorageError {
    StorageError::Local(format!("{what} {}: {e}", path.display()))
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> std::io::Result<T> + Send + 'static,
) -> std::io::Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .unwrap_or_else(|e| Err(std::io::Error::other(e)))
}

async fn settle(task: &mut Pending) -> std::io::Result<()> {
    match task.take() {
        Some(t) => t.await.unwrap_or_else(|e| Err(std::io::Error::other(e))),
        None => Ok(()),
    }
}

impl LocalWriter {
    /// Starts writing the object that will live at `dest`.
    pub(crate) async fn create(dest: PathBuf) -> Result<Self, StorageError> {
        let staging = staging_path(&dest);
        let (d, s) = (dest.clone(), staging.clone());
        let file = blocking(move || {
            if let Some(dir) = d.parent() {
                std::fs::create_dir_all(dir)?;
            }
            File::create_new(&s)
        })
        .await
        .map_err(|e| io_error("creating", &staging, e))?;
        Ok(Self {
            file: Arc::new(file),
            staging,
            dest,
            batch: Vec::new(),
            batch_len: 0,
            writing: None,
            syncing: None,
            since_sync: 0,
            finished: false,
        })
    }

    pub(crate) async fn write(&mut self, bytes: Bytes) -> Result<(), StorageError> {
        self.batch_len += bytes.len();
        self.batch.push(bytes);
        if self.batch_len >= BATCH {
            self.flush_batch().await?;
        }
        Ok(())
    }

    /// Hands the collected bytes to a blocking thread, after the previous batch is written (one in flight).
    async fn flush_batch(&mut self) -> Result<(), StorageError> {
        settle(&mut self.writing)
            .await
            .map_err(|e| io_error("writing", &self.staging, e))?;
        if self.batch.is_empty() {
            return Ok(());
        }
        let batch = std::mem::take(&mut self.batch);
        self.since_sync += self.batch_len as u64;
        self.batch_len = 0;
        let file = self.file.clone();
        self.writing = Some(tokio::task::spawn_blocking(move || {
            write_all_vectored(&file, &batch)
        }));
        if self.since_sync >= SYNC_EVERY && self.syncing.as_ref().is_none_or(|t| t.is_finished()) {
            settle(&mut self.syncing)
                .await
                .map_err(|e| io_error("flushing", &self.staging, e))?;
            self.since_sync = 0;
            let file = self.file.clone();
            self.syncing = Some(tokio::task::spawn_blocking(move || file.sync_data()));
        }
        Ok(())
    }

    /// Writes the rest, makes it durable, and moves the object into place. Returns nothing: the caller counts bytes.
    pub(crate) async fn finish(mut self) -> Result<(), StorageError> {
        self.flush_batch().await?;
        settle(&mut self.writing)
            .await
            .map_err(|e| io_error("writing", &self.staging, e))?;
        settle(&mut self.syncing)
            .await
            .map_err(|e| io_error("flushing", &self.staging, e))?;
        let (file, staging, dest) = (self.file.clone(), self.staging.clone(), self.dest.clone());
        blocking(move || {
            file.sync_all()?;
            std::fs::rename(&staging, &dest)?;
            if let Some(dir) = dest.parent() {
                File::open(dir)?.sync_all()?;
            }
            Ok(())
        })
        .await
        .map_err(|e| io_error("storing", &self.dest, e))?;
        self.finished = true;
        Ok(())
    }

    /// Discards everything written.
    pub(crate) async fn abort(mut self) -> Result<(), StorageError> {
        let _ = settle(&mut self.writing).await;
        let _ = settle(&mut self.syncing).await;
        let staging = self.staging.clone();
        self.finished = true;
        blocking(move || std::fs::remove_file(&staging))
            .await
            .map_err(|e| io_error("deleting", &self.staging, e))
    }
}

impl Drop for LocalWriter {
    /// A writer dropped half-way (the request was cancelled) leaves no staging file behind.
    fn drop(&mut self) {
        if !self.finished {
            let staging = self.staging.clone();
            match tokio::runtime::Handle::try_current() {
                Ok(rt) => drop(rt.spawn_blocking(move || std::fs::remove_file(staging))),
                Err(_) => drop(std::fs::remove_file(staging)),
            }
        }
    }
}

/// Writes the pieces in order with as few system calls as the kernel allows (HTTP bodies arrive in pieces of a few
/// KiB; one `write` each would cost more than the copying).
fn write_all_vectored(mut file: &File, pieces: &[Bytes]) -> std::io::Result<()> {
    /// Pieces per call (Linux's IOV_MAX).
    const MAX_SLICES: usize = 1024;
    let mut slices: Vec<IoSlice<'_>> = pieces.iter().map(|b| IoSlice::new(b)).collect();
    let mut rest = &mut slices[..];
    while !rest.is_empty() {
        let n = file.write_vectored(&rest[..rest.len().min(MAX_SLICES)])?;
        if n == 0 {
            return Err(std::io::ErrorKind::WriteZero.into());
        }
        IoSlice::advance_slices(&mut rest, n);
    }
    Ok(())
}

/// A unique name beside `dest`: `#` and digits only after it, which object_store's listings skip as staging files.
fn staging_path(dest: &Path) -> PathBuf {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let mut name = dest.as_os_str().to_owned();
    name.push(format!("#{}{n:010}", std::process::id()));
    PathBuf::from(name)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn more_pieces_than_one_call_takes_are_written_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        let pieces: Vec<Bytes> = (0..3000u32)
            .map(|i| Bytes::from(i.to_be_bytes().to_vec()))
            .collect();
        write_all_vectored(&File::create(&path).unwrap(), &pieces).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), pieces.concat());
    }

    #[test]
    fn staging_names_differ_and_sit_beside_the_object() {
        let dest = Path::new("/m/uploads/u/part-0");
        let (a, b) = (staging_path(dest), staging_path(dest));
        assert_ne!(a, b);
        assert_eq!(a.parent(), dest.parent());
        let suffix = a
            .to_string_lossy()
            .rsplit_once('#')
            .map(|(_, s)| s.to_owned());
        assert!(suffix.is_some_and(|s| s.bytes().all(|b| b.is_ascii_digit())));
    }
}
