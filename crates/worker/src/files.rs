//! Moving files between the media store and a job's temporary folder, streamed in bounded pieces.

use std::path::Path;

use bytes::Bytes;
use clipjury_service::{Services, uploads};
use clipjury_storage::Storage;
use futures_util::StreamExt as _;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

/// Writes the uploaded original (its parts in order) to `dest`.
pub(crate) async fn download_source(
    services: &Services,
    upload_id: &str,
    dest: &Path,
) -> anyhow::Result<u64> {
    let (length, mut body) = uploads::source_stream(services, upload_id).await?;
    let mut file = tokio::fs::File::create(dest).await?;
    while let Some(chunk) = body.next().await {
        file.write_all(&chunk?).await?;
    }
    file.flush().await?;
    Ok(length)
}

/// Stores a local file under `key`.
pub(crate) async fn upload_file(storage: &Storage, path: &Path, key: &str) -> anyhow::Result<u64> {
    let mut file = tokio::fs::File::open(path).await?;
    let mut writer = storage.writer(key).await?;
    let mut buf = vec![0u8; 1024 * 1024];
    loop {
        let n = file.read(&mut buf).await?;
        if n == 0 {
            break;
        }
        writer.write(Bytes::copy_from_slice(&buf[..n])).await?;
    }
    Ok(writer.finish().await?)
}

/// Prefix of a job's temporary folder (swept at worker start when its owner is gone).
const JOB_DIR_PREFIX: &str = "clipjury-job-";
const LOCK_FILE: &str = ".lock";

/// A job's temporary folder, deleted when dropped. While it lives, its owner holds an exclusive lock on a file in
/// it, which the kernel releases when the owner dies however it dies: [`sweep_stale_job_dirs`] deletes the
/// folders whose lock is free.
pub(crate) struct JobDir {
    dir: tempfile::TempDir,
    _lock: std::fs::File,
}

impl JobDir {
    pub(crate) fn create(parent: &Path) -> anyhow::Result<Self> {
        let dir = tempfile::Builder::new()
            .prefix(JOB_DIR_PREFIX)
            .tempdir_in(parent)?;
        let lock = std::fs::File::create(dir.path().join(LOCK_FILE))?;
        lock.try_lock()
            .map_err(|e| anyhow::anyhow!("locking the job folder: {e}"))?;
        Ok(Self { dir, _lock: lock })
    }

    pub(crate) fn path(&self) -> &Path {
        self.dir.path()
    }
}

/// A folder without a lock file is older than this before it counts as abandoned (a worker stopped between
/// creating the folder and locking it).
const UNLOCKED_GRACE: std::time::Duration = std::time::Duration::from_secs(600);

/// Deletes the `clipjury-job-*` folders in `parent` left by workers that were killed mid-job (their lock is free).
/// Returns how many were deleted. Folders of live jobs, in this process or another, are left alone.
pub fn sweep_stale_job_dirs(parent: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return 0;
    };
    let mut swept = 0;
    for entry in entries.flatten() {
        let path = entry.path();
        let is_job_dir = entry
            .file_name()
            .to_string_lossy()
            .starts_with(JOB_DIR_PREFIX)
            && entry.file_type().is_ok_and(|t| t.is_dir());
        if !is_job_dir || !abandoned(&path) {
            continue;
        }
        match std::fs::remove_dir_all(&path) {
            Ok(()) => swept += 1,
            Err(e) => {
                tracing::warn!(error = %e, path = %path.display(), "sweeping a job folder failed")
            }
        }
    }
    if swept > 0 {
        tracing::info!(swept, "deleted temporary folders of killed workers");
    }
    swept
}

fn abandoned(dir: &Path) -> bool {
    match std::fs::File::open(dir.join(LOCK_FILE)) {
        // Free: its owner is gone. The lock is dropped with the file right after.
        Ok(file) => file.try_lock().is_ok(),
        Err(_) => std::fs::metadata(dir)
            .and_then(|m| m.modified())
            .is_ok_and(|t| t.elapsed().is_ok_and(|age| age > UNLOCKED_GRACE)),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn only_folders_of_dead_jobs_are_swept() {
        let parent = tempfile::tempdir().unwrap();
        let live = JobDir::create(parent.path()).unwrap();
        std::fs::write(live.path().join("source"), b"x").unwrap();
        // A killed worker's folder: its lock file exists but nobody holds it.
        let dead = parent.path().join("clipjury-job-dead");
        std::fs::create_dir(&dead).unwrap();
        std::fs::write(dead.join(LOCK_FILE), b"").unwrap();
        std::fs::write(dead.join("720p.mp4"), vec![0u8; 1000]).unwrap();
        // Fresh and unlocked (being created right now): kept.
        let fresh = parent.path().join("clipjury-job-fresh");
        std::fs::create_dir(&fresh).unwrap();
        let other = parent.path().join("someone-else");
        std::fs::create_dir(&other).unwrap();
        std::fs::write(other.join(LOCK_FILE), b"").unwrap();

        assert_eq!(sweep_stale_job_dirs(parent.path()), 1);
        assert!(!dead.exists());
        assert!(live.path().join("source").exists() && fresh.exists() && other.exists());
        let path = live.path().to_path_buf();
        drop(live);
        assert!(!path.exists(), "a job's folder goes with the job");
    }
}
