//! Streaming writes into the local media folder. object_store's local multipart upload writes a staging file and
//! fsyncs it once at the end, so the whole object goes to disk after the last byte arrived and the client waits for
//! it. This writer sends bytes to the disk as they arrive instead: it fills 2 MiB aligned blocks and writes each
//! with direct I/O (`O_DIRECT`: from the block straight to the disk, no copy into the kernel's page cache, which on a
//! 2-core machine costs as much as receiving the bytes), one block in flight while the next fills. Where the file
//! system refuses direct I/O (tmpfs, some network mounts) blocks go through the page cache, and writeback is started
//! every few MiB so the final fsync has little left. The tail (the last, partial block) always goes through the page
//! cache. Same visibility rule as object_store: the object appears (renamed into place, directory fsynced) only on
//! [`LocalWriter::finish`], or, without flushing it to disk, on [`LocalWriter::finish_without_flush`].
//!
//! Linux only (`O_DIRECT`, `sync_file_range`), and only with the `direct-io` feature (on by default): elsewhere, or
//! without it, a local folder is written through object_store's own multipart upload.

use std::fs::File;
use std::os::unix::fs::{FileExt as _, OpenOptionsExt as _};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use bytes::Bytes;
use tokio::task::JoinHandle;

use crate::StorageError;
use crate::block::{BLOCK, Block};

/// Bytes written through the page cache between starts of background writeback.
const SYNC_EVERY: u64 = 4 * 1024 * 1024;

type Pending = Option<JoinHandle<std::io::Result<()>>>;

/// A block being written, and whether direct I/O still works.
type Writing = JoinHandle<(Block, std::io::Result<bool>)>;

pub(crate) struct LocalWriter {
    /// The staging file through the page cache (tail, fsync, and every block when direct I/O is refused).
    file: Arc<File>,
    /// The same file opened for direct I/O, while the file system accepts it.
    direct: Option<Arc<File>>,
    staging: PathBuf,
    dest: PathBuf,
    /// The block being filled. Bytes are copied in as they arrive, which lets the HTTP layer reuse its read buffer
    /// at once (holding its pieces until a block is full makes it allocate afresh for every read, which is slower).
    current: Block,
    /// A block to reuse, back from the last write.
    spare: Option<Block>,
    /// File offset of `current`'s first byte.
    offset: u64,
    writing: Option<Writing>,
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

/// Opens `path` for direct I/O; `None` where the file system does not support it.
fn open_direct(path: &Path) -> std::io::Result<Option<File>> {
    match std::fs::OpenOptions::new()
        .write(true)
        .custom_flags(libc::O_DIRECT)
        .open(path)
    {
        Ok(f) => Ok(Some(f)),
        Err(e) if e.raw_os_error() == Some(libc::EINVAL) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Writes a block at `offset`, directly when `direct` is given; a direct write the file system refuses (EINVAL) is
/// done through the page cache instead. Returns whether direct I/O is still usable.
fn write_block(
    direct: Option<&File>,
    file: &File,
    block: &Block,
    offset: u64,
) -> std::io::Result<bool> {
    if let Some(d) = direct {
        match d.write_all_at(block.data(), offset) {
            Ok(()) => return Ok(true),
            Err(e) if e.raw_os_error() == Some(libc::EINVAL) => {
                tracing::info!(error = %e, "direct I/O refused; writing through the page cache");
            }
            Err(e) => return Err(e),
        }
    }
    file.write_all_at(block.data(), offset)?;
    Ok(false)
}

impl LocalWriter {
    /// Starts writing the object that will live at `dest`.
    pub(crate) async fn create(dest: PathBuf) -> Result<Self, StorageError> {
        let staging = staging_path(&dest);
        let (d, s) = (dest.clone(), staging.clone());
        let (file, direct) = blocking(move || {
            if let Some(dir) = d.parent() {
                std::fs::create_dir_all(dir)?;
            }
            let file = File::create_new(&s)?;
            Ok((file, open_direct(&s)?))
        })
        .await
        .map_err(|e| io_error("creating", &staging, e))?;
        Ok(Self {
            file: Arc::new(file),
            direct: direct.map(Arc::new),
            staging,
            dest,
            current: Block::new(),
            spare: None,
            offset: 0,
            writing: None,
            syncing: None,
            since_sync: 0,
            finished: false,
        })
    }

    pub(crate) async fn write(&mut self, bytes: Bytes) -> Result<(), StorageError> {
        let mut rest = &bytes[..];
        while !rest.is_empty() {
            let n = self.current.fill(rest);
            rest = &rest[n..];
            if self.current.len() == BLOCK {
                self.submit().await?;
            }
        }
        Ok(())
    }

    /// Waits for the block in flight; keeps it as the spare.
    async fn settle_writing(&mut self) -> Result<(), StorageError> {
        let Some(task) = self.writing.take() else {
            return Ok(());
        };
        let (mut block, result) = task
            .await
            .map_err(|e| io_error("writing", &self.staging, e))?;
        let direct_ok = result.map_err(|e| io_error("writing", &self.staging, e))?;
        if !direct_ok {
            self.direct = None;
        }
        block.clear();
        self.spare = Some(block);
        Ok(())
    }

    /// Hands the current block to a blocking thread, after the previous one is written (one in flight). A full
    /// block goes to disk directly when it can; `tail` (the last, partial block) goes through the page cache.
    async fn submit_block(&mut self, tail: bool) -> Result<(), StorageError> {
        self.settle_writing().await?;
        let next = self.spare.take().unwrap_or_else(Block::new);
        let block = std::mem::replace(&mut self.current, next);
        let offset = self.offset;
        self.offset += block.len() as u64;
        let direct = if tail { None } else { self.direct.clone() };
        let file = self.file.clone();
        self.writing = Some(tokio::task::spawn_blocking(move || {
            let result = write_block(direct.as_deref(), &file, &block, offset);
            // A tail never tries direct I/O, so it says nothing about whether direct I/O works.
            (block, result.map(|direct_ok| direct_ok || tail))
        }));
        Ok(())
    }

    /// Writes the full block; starts writeback now and then when blocks go through the page cache.
    async fn submit(&mut self) -> Result<(), StorageError> {
        self.submit_block(false).await?;
        if self.direct.is_none() {
            self.since_sync += BLOCK as u64;
            if self.since_sync >= SYNC_EVERY
                && self.syncing.as_ref().is_none_or(|t| t.is_finished())
            {
                settle(&mut self.syncing)
                    .await
                    .map_err(|e| io_error("flushing", &self.staging, e))?;
                self.since_sync = 0;
                let file = self.file.clone();
                self.syncing = Some(tokio::task::spawn_blocking(move || start_writeback(&file)));
            }
        }
        Ok(())
    }

    /// Writes the blocks in flight and the tail; waits until every write is done.
    async fn write_out(&mut self) -> Result<(), StorageError> {
        if self.current.len() > 0 {
            self.submit_block(true).await?;
        }
        self.settle_writing().await?;
        settle(&mut self.syncing)
            .await
            .map_err(|e| io_error("flushing", &self.staging, e))
    }

    /// Writes the rest, makes it durable, and moves the object into place. Returns nothing: the caller counts bytes.
    pub(crate) async fn finish(mut self) -> Result<(), StorageError> {
        self.write_out().await?;
        let (file, staging, dest) = (self.file.clone(), self.staging.clone(), self.dest.clone());
        blocking(move || {
            file.sync_all()?;
            std::fs::rename(&staging, &dest)?;
            sync_parent(&dest)
        })
        .await
        .map_err(|e| io_error("storing", &self.dest, e))?;
        self.finished = true;
        Ok(())
    }

    /// Writes the rest and moves the object into place now, without flushing it to disk: the file system writes it
    /// out on its own schedule (ext4 commits every few seconds), or [`crate::durable::sync_files`] does at once. The object survives
    /// the process dying (its bytes are on disk or in the kernel's cache), but a power cut before the flush may
    /// leave it shorter or missing, never with wrong bytes: callers check sizes after a restart.
    ///
    /// Flushing each object as soon as it is finished, in the background, cost a third of the throughput of a
    /// stream of them (every flush stalls the disk's queue and commits the journal), for no gain: the caller
    /// flushes them all at once when their data is complete. Writeback of the tail (up to 2 MiB in the page cache)
    /// is started here, though, without waiting for it: left to the final flush, the tails of a 1 GiB tus upload in
    /// 50 MB PATCHes added 25-40 ms to the last PATCH; started here, they go to disk while the next PATCH arrives.
    pub(crate) async fn finish_without_flush(mut self) -> Result<(), StorageError> {
        self.write_out().await?;
        let (file, staging, dest) = (self.file.clone(), self.staging.clone(), self.dest.clone());
        blocking(move || {
            // Only a head start: a failure here (an I/O error included) is met again by the flush.
            if let Err(e) = start_writeback(&file) {
                tracing::debug!(error = %e, "could not start writeback of the tail");
            }
            std::fs::rename(&staging, &dest)
        })
        .await
        .map_err(|e| io_error("storing", &self.dest, e))?;
        self.finished = true;
        Ok(())
    }

    /// Discards everything written.
    pub(crate) async fn abort(mut self) -> Result<(), StorageError> {
        if let Some(task) = self.writing.take() {
            let _ = task.await;
        }
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

/// Starts writing the file's cached bytes to disk without waiting for them, and without the journal commit and
/// cache flush an fsync costs (the fsync at the end finds little left to do).
fn start_writeback(file: &File) -> std::io::Result<()> {
    use std::os::fd::AsRawFd as _;
    // SAFETY: sync_file_range only reads its integer arguments; the descriptor stays open while `file` is borrowed.
    let rc = unsafe { libc::sync_file_range(file.as_raw_fd(), 0, 0, libc::SYNC_FILE_RANGE_WRITE) };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

/// Makes a rename or a new file in `path`'s folder durable.
fn sync_parent(path: &Path) -> std::io::Result<()> {
    match path.parent() {
        Some(dir) => File::open(dir)?.sync_all(),
        None => Ok(()),
    }
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

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn odd_pieces_cross_block_boundaries_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("obj");
        let mut w = LocalWriter::create(dest.clone()).await.unwrap();
        let mut expected = Vec::new();
        for i in 0..2000u32 {
            let piece: Vec<u8> = (0..(i * 37 % 9000 + 1)).map(|j| (i ^ j) as u8).collect();
            expected.extend_from_slice(&piece);
            w.write(Bytes::from(piece)).await.unwrap();
        }
        assert!(
            expected.len() > 2 * BLOCK,
            "covers several blocks and a tail"
        );
        w.finish().await.unwrap();
        assert!(std::fs::read(&dest).unwrap() == expected, "bytes differ");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn without_direct_io_blocks_go_through_the_page_cache() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("obj");
        let mut w = LocalWriter::create(dest.clone()).await.unwrap();
        w.direct = None; // as on tmpfs
        let expected: Vec<u8> = (0..(9 * BLOCK + 123)).map(|i| (i % 251) as u8).collect();
        for piece in expected.chunks(70_001) {
            w.write(Bytes::copy_from_slice(piece)).await.unwrap();
        }
        w.finish().await.unwrap();
        assert!(std::fs::read(&dest).unwrap() == expected, "bytes differ");
    }

    #[tokio::test]
    async fn an_exact_number_of_blocks_leaves_no_tail() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("obj");
        let mut w = LocalWriter::create(dest.clone()).await.unwrap();
        w.write(Bytes::from(vec![5u8; 2 * BLOCK])).await.unwrap();
        w.finish_without_flush().await.unwrap();
        assert_eq!(std::fs::metadata(&dest).unwrap().len(), 2 * BLOCK as u64);
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
