//! `clipjury backup DIR` and `clipjury restore DIR`: the SQLite database and every media object, with a manifest of
//! sizes and SHA-256 checksums.
//!
//! Backup runs online. The database comes first, as one consistent snapshot (`VACUUM INTO`), then the media store
//! (a local folder or an S3 bucket prefix, through the same storage layer the server uses): every object the
//! snapshot refers to was written before it, so it is in the copy unless it was deleted meanwhile; objects newer
//! than the snapshot (a PATCH in flight) are extra and harmless — the server moves an upload's offset back to what
//! its rows say. PostgreSQL is not supported here (use `pg_dump`, docs/operations.md).
//!
//! The instance key file beside the database (`clipjury.key`: it signs sessions and seals invite links) is copied
//! too, so a restored instance keeps its sessions and can still show its invite links. That makes a backup folder
//! as secret as the server itself: keep it where the database is kept.

use std::path::{Component, Path, PathBuf};

use anyhow::{Context as _, bail, ensure};
use bytes::Bytes;
use clipjury_storage::Storage;
use futures_util::TryStreamExt as _;
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

use crate::config::Settings;

const MANIFEST: &str = "manifest.json";
const DATABASE: &str = "clipjury.db";
const MEDIA: &str = "media";
const KEY: &str = "clipjury.key";
/// Keys the readiness check writes and deletes at once; never worth keeping.
const TRANSIENT: &str = ".ready/";

/// What a backup holds; `manifest.json` in the backup folder.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Layout version of the backup folder.
    pub format: u32,
    /// The clipjury version that wrote it.
    pub clipjury_version: String,
    /// When the database snapshot was taken (RFC 3339, UTC).
    pub created_at: String,
    /// The SQLite database file.
    pub database: FileEntry,
    /// Every media object; `path` is `media/<key>`.
    pub media: Vec<FileEntry>,
    /// The instance key file, when the instance keeps its secret in one (not when `auth.jwt_secret` is set).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<FileEntry>,
}

/// The key file of an instance that keeps its secret in one.
fn key_file(settings: &Settings) -> Option<PathBuf> {
    match crate::startup::secret_source(settings).ok()? {
        clipjury_service::auth::SecretSource::File(path) => Some(path),
        clipjury_service::auth::SecretSource::Configured(_) => None,
    }
}

/// One file of the backup.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct FileEntry {
    /// Relative to the backup folder, with `/` separators.
    pub path: String,
    pub bytes: u64,
    /// Lower-case hex SHA-256 of the file.
    pub sha256: String,
}

/// Backs up the configured SQLite database and media store into `dir`, which must be missing or empty.
///
/// # Errors
/// When `dir` is not empty, the database is not SQLite, or reading or writing fails.
pub async fn backup(settings: &Settings, dir: &Path) -> anyhow::Result<Manifest> {
    ensure_empty_dir(dir)?;
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    clipjury_db::snapshot::sqlite_path(&settings.database.url).context(
        "clipjury backup copies the embedded SQLite database; for PostgreSQL use pg_dump (docs/operations.md)",
    )?;
    // No migrations: a backup must not change the database it copies.
    let db = clipjury_db::connect(&clipjury_db::ConnectSettings {
        url: settings.database.url.clone(),
        max_connections: 1,
    })
    .await
    .context("connecting to the database")?;
    let created_at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let db_file = dir.join(DATABASE);
    clipjury_db::snapshot::sqlite_snapshot(&db, &db_file)
        .await
        .context("copying the database (VACUUM INTO)")?;
    db.close().await.ok();
    let database = file_entry(dir, DATABASE).await?;
    let key = match key_file(settings).filter(|p| p.exists()) {
        Some(path) => {
            std::fs::copy(&path, dir.join(KEY))
                .with_context(|| format!("copying {}", path.display()))?;
            Some(file_entry(dir, KEY).await?)
        }
        None => None,
    };

    let storage = crate::storage::open(settings)?;
    let mut keys = storage.list("").await.context("listing the media store")?;
    keys.retain(|k| !k.starts_with(TRANSIENT));
    keys.sort();
    let mut media = Vec::with_capacity(keys.len());
    for key in keys {
        if let Some(entry) = copy_out(&storage, &key, dir).await? {
            media.push(entry);
        }
    }
    let manifest = Manifest {
        format: 1,
        clipjury_version: env!("CARGO_PKG_VERSION").to_owned(),
        created_at,
        database,
        media,
        key,
    };
    // Written last, through a rename: a folder without a manifest is an unfinished backup.
    let tmp = dir.join(".manifest.json.partial");
    std::fs::write(&tmp, serde_json::to_vec_pretty(&manifest)?)?;
    std::fs::rename(&tmp, dir.join(MANIFEST))?;
    Ok(manifest)
}

/// Restores a backup into the configured database and media store, which must both be empty. Every checksum is
/// verified before anything is written.
///
/// # Errors
/// When a file is missing, altered or unexpected, the target is not empty, or writing fails.
pub async fn restore(settings: &Settings, dir: &Path) -> anyhow::Result<Manifest> {
    let manifest = verify(dir).await?;
    let target = clipjury_db::snapshot::sqlite_path(&settings.database.url).context(
        "clipjury restore writes the embedded SQLite database; for PostgreSQL use pg_restore (docs/operations.md)",
    )?;
    for path in [target.clone(), sidecar(&target, "-wal")] {
        let used = std::fs::metadata(&path).is_ok_and(|m| m.len() > 0);
        ensure!(
            !used,
            "refusing to restore over the existing database {}",
            path.display()
        );
    }
    let storage = crate::storage::open(settings)?;
    let present = storage.list("").await.context("listing the media store")?;
    if let Some(key) = present.iter().find(|k| !k.starts_with(TRANSIENT)) {
        bail!("refusing to restore into a media store that is not empty (it holds {key})");
    }

    for entry in &manifest.media {
        let key = entry.path.strip_prefix("media/").unwrap_or(&entry.path);
        copy_in(&storage, key, &dir.join(&entry.path)).await?;
    }
    if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    if let (Some(_), Some(path)) = (&manifest.key, key_file(settings)) {
        ensure!(
            !path.exists(),
            "refusing to restore over the existing key file {}",
            path.display()
        );
        std::fs::copy(dir.join(KEY), &path)
            .with_context(|| format!("writing {}", path.display()))?;
    }
    // The database last, through a rename: a crash midway leaves no database that points at missing media.
    let tmp = sidecar(&target, ".restoring");
    std::fs::copy(dir.join(DATABASE), &tmp)
        .with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::File::open(&tmp)?.sync_all()?;
    std::fs::rename(&tmp, &target)?;
    Ok(manifest)
}

/// Reads `manifest.json` and checks every file against it: present, same size, same SHA-256, and no file the
/// manifest does not list.
///
/// # Errors
/// Names the first files that do not match.
pub async fn verify(dir: &Path) -> anyhow::Result<Manifest> {
    let text = std::fs::read(dir.join(MANIFEST)).with_context(|| {
        format!(
            "{} has no {MANIFEST}: not a clipjury backup, or an unfinished one",
            dir.display()
        )
    })?;
    let manifest: Manifest = serde_json::from_slice(&text).context("reading manifest.json")?;
    ensure!(
        manifest.format == 1,
        "backup format {} is not supported",
        manifest.format
    );
    ensure!(
        manifest.database.path == DATABASE,
        "the manifest names no database file"
    );
    let mut problems = Vec::new();
    let mut listed = std::collections::HashSet::new();
    for entry in std::iter::once(&manifest.database)
        .chain(&manifest.media)
        .chain(&manifest.key)
    {
        if !safe_relative(&entry.path)
            || (entry.path != DATABASE && entry.path != KEY && !entry.path.starts_with("media/"))
        {
            problems.push(format!("{}: not a path inside the backup", entry.path));
            continue;
        }
        listed.insert(PathBuf::from(&entry.path));
        match file_entry(dir, &entry.path).await {
            Ok(found) if found == *entry => {}
            Ok(found) if found.bytes != entry.bytes => problems.push(format!(
                "{}: {} bytes, the manifest says {}",
                entry.path, found.bytes, entry.bytes
            )),
            Ok(_) => problems.push(format!(
                "{}: checksum differs from the manifest",
                entry.path
            )),
            Err(_) => problems.push(format!("{}: missing", entry.path)),
        }
    }
    for extra in walk(dir)? {
        if extra != Path::new(MANIFEST) && !listed.contains(&extra) {
            problems.push(format!("{}: not in the manifest", extra.display()));
        }
    }
    if !problems.is_empty() {
        let shown = problems
            .iter()
            .take(10)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n  ");
        bail!(
            "the backup in {} does not match its manifest ({} problems); refusing it:\n  {shown}",
            dir.display(),
            problems.len()
        );
    }
    Ok(manifest)
}

fn ensure_empty_dir(dir: &Path) -> anyhow::Result<()> {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => {
            ensure!(
                entries.next().is_none(),
                "refusing to back up into {}: it is not empty",
                dir.display()
            );
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e).with_context(|| format!("reading {}", dir.display())),
    }
}

/// `path` with `suffix` added to its file name (`clipjury.db` → `clipjury.db-wal`).
fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn safe_relative(path: &str) -> bool {
    !path.is_empty()
        && Path::new(path)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

/// Every file under `dir`, relative to it.
fn walk(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d)? {
            let entry = entry?;
            if entry.file_type()?.is_dir() {
                stack.push(entry.path());
            } else {
                out.push(entry.path().strip_prefix(dir)?.to_path_buf());
            }
        }
    }
    Ok(out)
}

async fn file_entry(dir: &Path, rel: &str) -> anyhow::Result<FileEntry> {
    let mut file = tokio::fs::File::open(dir.join(rel)).await?;
    let mut hash = Sha256::new();
    let mut buf = vec![0; 1 << 20];
    let mut bytes = 0;
    loop {
        let n = file.read(&mut buf).await?;
        if n == 0 {
            break;
        }
        hash.update(&buf[..n]);
        bytes += n as u64;
    }
    Ok(FileEntry {
        path: rel.to_owned(),
        bytes,
        sha256: hex(&hash.finalize()),
    })
}

/// Streams one object into `dir/media/<key>`, hashing as it goes; `None` when it was deleted since the listing.
async fn copy_out(storage: &Storage, key: &str, dir: &Path) -> anyhow::Result<Option<FileEntry>> {
    let rel = format!("{MEDIA}/{key}");
    ensure!(
        safe_relative(&rel),
        "the media store holds an unsafe key {key:?}"
    );
    let mut stream = match storage.read(key).await {
        Ok(s) => s,
        Err(clipjury_storage::StorageError::NotFound(_)) => return Ok(None),
        Err(e) => return Err(e).with_context(|| format!("reading {key}")),
    };
    let dest = dir.join(&rel);
    if let Some(parent) = dest.parent() {
        tokio::fs::create_dir_all(parent).await?;
    }
    let mut file = tokio::fs::File::create(&dest).await?;
    let mut hash = Sha256::new();
    let mut bytes = 0;
    while let Some(chunk) = stream
        .try_next()
        .await
        .with_context(|| format!("reading {key}"))?
    {
        hash.update(&chunk);
        bytes += chunk.len() as u64;
        file.write_all(&chunk).await?;
    }
    file.sync_all().await?;
    Ok(Some(FileEntry {
        path: rel,
        bytes,
        sha256: hex(&hash.finalize()),
    }))
}

/// Streams one backed-up file into the store as `key`, flushed to disk (or acknowledged by the bucket).
async fn copy_in(storage: &Storage, key: &str, src: &Path) -> anyhow::Result<()> {
    let mut file = tokio::fs::File::open(src).await?;
    let mut writer = storage
        .writer(key)
        .await
        .with_context(|| format!("writing {key}"))?;
    let mut buf = vec![0; 1 << 20];
    loop {
        let n = file.read(&mut buf).await?;
        if n == 0 {
            break;
        }
        writer.write(Bytes::copy_from_slice(&buf[..n])).await?;
    }
    writer
        .finish()
        .await
        .with_context(|| format!("writing {key}"))?;
    Ok(())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
