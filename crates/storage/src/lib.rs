//! Where media bytes live: a local folder (the embedded default) or an S3-compatible bucket, both through
//! `object_store`. Writes stream in bounded chunks; nothing here holds a whole file in memory. On Linux, with the
//! `direct-io` feature (the default), a local folder is written by our own direct-I/O writer (`local_writer.rs`);
//! elsewhere by object_store's local store, the portable path.

#[cfg(direct_io)]
mod block;
mod durable;
mod error;
#[cfg(direct_io)]
mod local_writer;
mod writer;

use std::ops::Range;
use std::sync::Arc;

use bytes::Bytes;
use futures_util::stream::BoxStream;
use futures_util::{StreamExt as _, TryStreamExt as _};
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::local::LocalFileSystem;
use object_store::path::Path;
use object_store::signer::Signer as _;
use object_store::{ObjectStore, ObjectStoreExt as _};

pub use error::StorageError;
#[cfg(direct_io)]
use local_writer::LocalWriter;
pub use writer::ObjectWriter;

/// Whether a local folder is written with direct I/O (`local_writer.rs`): on Linux with the `direct-io` feature.
pub const DIRECT_IO: bool = cfg!(direct_io);

/// Settings of an S3-compatible bucket.
#[derive(Debug, Clone)]
pub struct S3Settings {
    pub bucket: String,
    /// Key prefix inside the bucket, e.g. `clipjury/`.
    pub prefix: String,
    /// Custom endpoint for MinIO and other S3-compatible servers.
    pub endpoint: Option<String>,
    pub region: String,
    /// Path-style URLs (`endpoint/bucket/key`), needed by MinIO.
    pub path_style: bool,
    /// Allow plain HTTP endpoints (local test servers).
    pub allow_http: bool,
}

/// The media store. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Storage {
    store: Arc<dyn ObjectStore>,
    /// The same store when it is a local folder (with [`DIRECT_IO`], writes to it go through `local_writer.rs`).
    local: Option<Arc<LocalFileSystem>>,
    /// The same bucket again, typed, for presigned URLs (S3 only).
    s3: Option<Arc<AmazonS3>>,
    prefix: String,
    kind: &'static str,
}

/// Size of the buffered pieces a writer hands to S3 (parts must be at least 5 MiB but the last).
pub const WRITE_CHUNK_BYTES: usize = 6 * 1024 * 1024;

impl Storage {
    /// A store in a local folder, created when missing.
    ///
    /// # Errors
    /// [`StorageError`] when the folder cannot be created.
    pub fn local(dir: &std::path::Path) -> Result<Self, StorageError> {
        std::fs::create_dir_all(dir)
            .map_err(|e| StorageError::Setup(format!("creating {}: {e}", dir.display())))?;
        // fsync before a write counts as done: a tus offset the database records must survive a power cut.
        let fs = Arc::new(
            LocalFileSystem::new_with_prefix(dir)?
                .with_automatic_cleanup(true)
                .with_fsync(true),
        );
        Ok(Self {
            store: fs.clone(),
            local: Some(fs),
            s3: None,
            prefix: String::new(),
            kind: "local",
        })
    }

    /// A store in an S3-compatible bucket; credentials come from the usual `AWS_*` environment variables.
    ///
    /// # Errors
    /// [`StorageError`] when the settings are incomplete.
    pub fn s3(settings: &S3Settings) -> Result<Self, StorageError> {
        let mut builder = AmazonS3Builder::from_env()
            .with_bucket_name(&settings.bucket)
            .with_region(&settings.region)
            .with_virtual_hosted_style_request(!settings.path_style)
            .with_allow_http(settings.allow_http);
        if let Some(endpoint) = &settings.endpoint {
            builder = builder.with_endpoint(endpoint);
        }
        let prefix = settings.prefix.trim_matches('/').to_owned();
        let s3 = Arc::new(builder.build()?);
        Ok(Self {
            store: s3.clone(),
            local: None,
            s3: Some(s3),
            prefix,
            kind: "s3",
        })
    }

    /// `local` or `s3`.
    #[must_use]
    pub fn kind(&self) -> &'static str {
        self.kind
    }

    fn path(&self, key: &str) -> Path {
        if self.prefix.is_empty() {
            Path::from(key)
        } else {
            Path::from(format!("{}/{key}", self.prefix))
        }
    }

    /// Starts writing `key`; bytes are streamed to the store as they come.
    ///
    /// # Errors
    /// [`StorageError`] when the store refuses.
    pub async fn writer(&self, key: &str) -> Result<ObjectWriter, StorageError> {
        let path = self.path(key);
        #[cfg(direct_io)]
        if let Some(fs) = &self.local {
            let dest = fs.path_to_filesystem(&path)?;
            return Ok(ObjectWriter::local(LocalWriter::create(dest).await?));
        }
        let upload = self.store.put_multipart(&path).await?;
        Ok(ObjectWriter::multipart(upload, WRITE_CHUNK_BYTES))
    }

    /// Makes the objects durable: in a local folder, waits until their bytes and names are on disk (what
    /// [`ObjectWriter::finish_without_flush`] left to the file system); a bucket's objects already are.
    ///
    /// # Errors
    /// [`StorageError`] when an object is missing or the disk fails.
    pub async fn sync(&self, keys: &[String]) -> Result<(), StorageError> {
        let Some(fs) = &self.local else {
            return Ok(());
        };
        let paths = keys
            .iter()
            .map(|k| fs.path_to_filesystem(&self.path(k)))
            .collect::<Result<Vec<_>, _>>()?;
        tokio::task::spawn_blocking(move || durable::sync_files(&paths))
            .await
            .map_err(|e| StorageError::Local(format!("flushing to disk: {e}")))?
            .map_err(|e| StorageError::Local(format!("flushing to disk: {e}")))
    }

    /// Whether an object written with [`ObjectWriter::finish_without_flush`] can, after a power cut, be
    /// shorter than written or missing (a local folder written with [`DIRECT_IO`]; object_store's local store and
    /// a bucket acknowledge only durable objects).
    #[must_use]
    pub fn may_lose_recent_writes(&self) -> bool {
        DIRECT_IO && self.local.is_some()
    }

    /// Stores a small object in one request.
    ///
    /// # Errors
    /// [`StorageError`] when the store refuses.
    pub async fn put(&self, key: &str, bytes: Bytes) -> Result<(), StorageError> {
        self.store.put(&self.path(key), bytes.into()).await?;
        Ok(())
    }

    /// The object's bytes as a stream.
    ///
    /// # Errors
    /// [`StorageError::NotFound`] when there is no such object.
    pub async fn read(
        &self,
        key: &str,
    ) -> Result<BoxStream<'static, Result<Bytes, StorageError>>, StorageError> {
        let got = self.store.get(&self.path(key)).await?;
        Ok(got.into_stream().map_err(StorageError::from).boxed())
    }

    /// A byte range of the object, streamed.
    ///
    /// # Errors
    /// [`StorageError::NotFound`] when there is no such object.
    pub async fn read_range_stream(
        &self,
        key: &str,
        range: Range<u64>,
    ) -> Result<BoxStream<'static, Result<Bytes, StorageError>>, StorageError> {
        let opts = object_store::GetOptions::default()
            .with_range(Some(object_store::GetRange::Bounded(range)));
        let got = self.store.get_opts(&self.path(key), opts).await?;
        Ok(got.into_stream().map_err(StorageError::from).boxed())
    }

    /// A byte range of the object.
    ///
    /// # Errors
    /// [`StorageError::NotFound`] when there is no such object.
    pub async fn read_range(&self, key: &str, range: Range<u64>) -> Result<Bytes, StorageError> {
        Ok(self.store.get_range(&self.path(key), range).await?)
    }

    /// Size of the object in bytes.
    ///
    /// # Errors
    /// [`StorageError::NotFound`] when there is no such object.
    pub async fn size(&self, key: &str) -> Result<u64, StorageError> {
        Ok(self.store.head(&self.path(key)).await?.size)
    }

    /// Deletes the object; a missing object is not an error.
    ///
    /// # Errors
    /// [`StorageError`] when the store refuses.
    pub async fn delete(&self, key: &str) -> Result<(), StorageError> {
        match self.store.delete(&self.path(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    /// Keys (without the store's prefix) of every object under `prefix`, e.g. `uploads/`.
    ///
    /// # Errors
    /// [`StorageError`] when the listing fails.
    pub async fn list(&self, prefix: &str) -> Result<Vec<String>, StorageError> {
        let metas: Vec<_> = self
            .store
            .list(Some(&self.path(prefix.trim_end_matches('/'))))
            .try_collect()
            .await?;
        let own = format!("{}/", self.prefix);
        Ok(metas
            .into_iter()
            .map(|m| {
                let full = m.location.as_ref();
                full.strip_prefix(&own).unwrap_or(full).to_owned()
            })
            .collect())
    }

    /// A URL that lets anyone holding it GET the object until `expires_in` has passed; `None` when the store
    /// cannot sign (a local folder).
    ///
    /// # Errors
    /// [`StorageError`] when signing fails (e.g. no credentials).
    pub async fn presigned_get(
        &self,
        key: &str,
        expires_in: std::time::Duration,
    ) -> Result<Option<String>, StorageError> {
        let Some(s3) = &self.s3 else {
            return Ok(None);
        };
        let url = s3
            .signed_url(
                object_store::signer::Method::GET,
                &self.path(key),
                expires_in,
            )
            .await?;
        Ok(Some(url.to_string()))
    }

    /// Checks that the store accepts a write and a delete (readiness).
    ///
    /// # Errors
    /// [`StorageError`] when it does not.
    pub async fn check_writable(&self) -> Result<(), StorageError> {
        let key = format!(".ready/{}", std::process::id());
        self.put(&key, Bytes::from_static(b"ok")).await?;
        self.delete(&key).await
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// A local folder, or a fresh prefix in the S3 bucket `scripts/with-s3.sh` exports.
    fn test_storage() -> (Storage, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let storage = match std::env::var("CLIPJURY_TEST_S3_ENDPOINT") {
            Ok(endpoint) => Storage::s3(&S3Settings {
                bucket: std::env::var("CLIPJURY_TEST_S3_BUCKET").unwrap(),
                prefix: format!(
                    "storage-test-{}-{}",
                    std::process::id(),
                    COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
                ),
                endpoint: Some(endpoint),
                region: "us-east-1".into(),
                path_style: true,
                allow_http: true,
            })
            .unwrap(),
            Err(_) => Storage::local(dir.path()).unwrap(),
        };
        (storage, dir)
    }

    static COUNTER: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

    #[tokio::test]
    async fn a_streamed_object_reads_back_whole_and_by_range_and_deletes() {
        let (storage, _dir) = test_storage();
        let mut w = storage.writer("a/b.bin").await.unwrap();
        for i in 0..3u8 {
            w.write(Bytes::from(vec![i; WRITE_CHUNK_BYTES / 2 + 7]))
                .await
                .unwrap();
        }
        let written = w.finish().await.unwrap();
        assert_eq!(written, 3 * (WRITE_CHUNK_BYTES as u64 / 2 + 7));
        assert_eq!(storage.size("a/b.bin").await.unwrap(), written);
        let all: Vec<Bytes> = storage
            .read("a/b.bin")
            .await
            .unwrap()
            .try_collect()
            .await
            .unwrap();
        let all: Vec<u8> = all.concat();
        assert_eq!(all.len() as u64, written);
        assert_eq!(all[WRITE_CHUNK_BYTES / 2 + 7], 1, "parts are in order");
        assert_eq!(
            &storage.read_range("a/b.bin", 0..2).await.unwrap()[..],
            &[0, 0]
        );
        let tail: Vec<Bytes> = storage
            .read_range_stream("a/b.bin", written - 3..written)
            .await
            .unwrap()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(tail.concat(), vec![2, 2, 2]);
        assert_eq!(storage.list("a/").await.unwrap(), vec!["a/b.bin"]);
        storage.delete("a/b.bin").await.unwrap();
        storage.delete("a/b.bin").await.unwrap();
        assert!(matches!(
            storage.size("a/b.bin").await,
            Err(StorageError::NotFound(_))
        ));
        assert!(storage.list("a/").await.unwrap().is_empty());
    }

    /// Every file under `dir`, relative names.
    fn files(dir: &std::path::Path) -> Vec<String> {
        let mut out = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                } else {
                    out.push(p.strip_prefix(dir).unwrap().display().to_string());
                }
            }
        }
        out.sort();
        out
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_large_local_object_arrives_whole_and_only_when_finished() {
        let dir = tempfile::tempdir().unwrap();
        let storage = Storage::local(dir.path()).unwrap();
        let mut w = storage.writer("uploads/u1/part-0").await.unwrap();
        // 20 MiB in odd-sized pieces: several batches and background flushes.
        let mut expected = Vec::new();
        let mut n: u32 = 0;
        while expected.len() < 20 * 1024 * 1024 {
            let piece: Vec<u8> = (0..65_521u32)
                .map(|i| (i.wrapping_mul(31) ^ n) as u8)
                .collect();
            expected.extend_from_slice(&piece);
            w.write(Bytes::from(piece)).await.unwrap();
            n += 1;
        }
        assert!(
            storage.size("uploads/u1/part-0").await.is_err(),
            "visible before finish"
        );
        assert_eq!(w.finish().await.unwrap(), expected.len() as u64);
        let got: Vec<Bytes> = storage
            .read("uploads/u1/part-0")
            .await
            .unwrap()
            .try_collect()
            .await
            .unwrap();
        assert!(got.concat() == expected, "bytes differ");
        assert_eq!(files(dir.path()), vec!["uploads/u1/part-0".to_owned()]);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_object_finished_without_flush_is_visible_at_once_and_syncs_on_request() {
        let (storage, dir) = test_storage();
        let mut keys = Vec::new();
        for i in 0..3u8 {
            let key = format!("uploads/u2/part-{i}");
            let mut w = storage.writer(&key).await.unwrap();
            w.write(Bytes::from(vec![i; 5 * 1024 * 1024 + 3]))
                .await
                .unwrap();
            assert_eq!(w.finish_without_flush().await.unwrap(), 5 * 1024 * 1024 + 3);
            assert_eq!(storage.size(&key).await.unwrap(), 5 * 1024 * 1024 + 3);
            keys.push(key);
        }
        storage.sync(&keys).await.unwrap();
        assert_eq!(storage.read_range(&keys[2], 0..1).await.unwrap()[0], 2);
        if storage.kind() == "local" {
            assert_eq!(storage.may_lose_recent_writes(), DIRECT_IO);
            assert_eq!(files(dir.path()).len(), 3, "no staging file is left");
            let with_missing: Vec<String> = keys
                .iter()
                .cloned()
                .chain(["uploads/u2/none".to_owned()])
                .chain(keys.iter().cloned())
                .collect();
            let missing = storage.sync(&with_missing).await;
            assert!(
                matches!(missing, Err(StorageError::Local(_))),
                "{missing:?}"
            );
        } else {
            assert!(!storage.may_lose_recent_writes());
        }
    }

    #[tokio::test]
    async fn a_dropped_local_writer_leaves_no_staging_file() {
        let dir = tempfile::tempdir().unwrap();
        let storage = Storage::local(dir.path()).unwrap();
        let mut w = storage.writer("a/dropped").await.unwrap();
        w.write(Bytes::from(vec![7u8; 3 * 1024 * 1024]))
            .await
            .unwrap();
        drop(w);
        for _ in 0..50 {
            if files(dir.path()).is_empty() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        assert!(files(dir.path()).is_empty(), "{:?}", files(dir.path()));
    }

    #[tokio::test]
    async fn an_aborted_writer_leaves_nothing() {
        let (storage, dir) = test_storage();
        let mut w = storage.writer("x.bin").await.unwrap();
        w.write(Bytes::from_static(b"partial")).await.unwrap();
        w.abort().await.unwrap();
        assert!(storage.size("x.bin").await.is_err());
        if storage.kind() == "local" {
            assert!(files(dir.path()).is_empty(), "a staging file was left");
        }
        storage.check_writable().await.unwrap();
    }

    #[tokio::test]
    async fn only_s3_signs_urls() {
        let (storage, _dir) = test_storage();
        let url = storage
            .presigned_get("v/720p.mp4", std::time::Duration::from_secs(60))
            .await
            .unwrap();
        match storage.kind() {
            "s3" => {
                let url = url.unwrap();
                assert!(
                    url.contains("X-Amz-Signature=") && url.contains("/v/720p.mp4"),
                    "{url}"
                );
            }
            _ => assert!(url.is_none()),
        }
    }
}
