//! Streaming a request body into one stored object: the one place that enforces the size limit, counts the bytes,
//! hashes them when the client sent a checksum, and removes the partial object when anything fails. The resumable
//! upload's parts, the whole-file fallback and the consent photo all go through it.

use std::fmt::Display;

use bytes::Bytes;
use clipjury_domain::error_code::ErrorCode;
use clipjury_storage::{ObjectWriter, Storage};
use futures_util::{Stream, StreamExt as _};

use super::checksum::{Checksum, Hasher};
use crate::ServiceError;

/// What a body that breaks off (a dropped connection) means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OnInterrupt {
    /// The request fails with `upload-interrupted` and nothing is kept.
    Fail,
    /// The bytes that arrived are kept, unless a checksum was sent: bytes it cannot verify are dropped.
    Keep,
}

/// Whether the object must be durable when the stream returns, or may wait for the file system's next flush
/// ([`ObjectWriter::finish_without_flush`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Durability {
    Now,
    NextFlush,
}

/// Where and how one body is stored.
pub(crate) struct Sink<'a> {
    pub key: &'a str,
    /// Bytes the object may hold; a body longer than this fails with `too_large()`.
    pub max: u64,
    pub too_large: &'a dyn Fn() -> ServiceError,
    pub checksum: Option<&'a Checksum>,
    pub on_interrupt: OnInterrupt,
    pub durability: Durability,
}

/// How a body's bytes went into the store.
struct Pumped {
    received: u64,
    digest: Option<Vec<u8>>,
    cut_short: bool,
}

/// Streams `body` into `sink.key` and returns how many bytes were stored. The object is created with the first
/// byte, so a body without any stores nothing and returns 0. `after_chunk` runs after each chunk is written (the
/// resumable upload extends its lock there); its error fails the body like any other.
///
/// # Errors
/// `(sink.too_large)()` as soon as the body passes `sink.max`; `upload-interrupted` (409) when the body breaks off
/// and [`OnInterrupt::Fail`] (or a checksum was sent); `checksum-mismatch` (460); `after_chunk`'s error; storage
/// errors. Whatever fails, the partial object is removed.
pub(crate) async fn stream_to_storage<S, E>(
    storage: &Storage,
    sink: &Sink<'_>,
    body: S,
    after_chunk: impl AsyncFnMut() -> Result<(), ServiceError>,
) -> Result<u64, ServiceError>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
    E: Display,
{
    let mut writer = None;
    let pumped = pump(storage, sink, body, &mut writer, after_chunk).await;
    let received = pumped.and_then(|p| verify(sink.checksum, &p).map(|()| p.received));
    match (received, writer) {
        (Err(e), Some(w)) => {
            if let Err(abort) = w.abort().await {
                tracing::warn!(error = %abort, key = sink.key, "removing a partial object failed");
            }
            Err(e)
        }
        (Err(e), None) => Err(e),
        (Ok(_), None) => Ok(0),
        (Ok(received), Some(w)) => {
            match sink.durability {
                Durability::Now => w.finish().await?,
                Durability::NextFlush => w.finish_without_flush().await?,
            };
            Ok(received)
        }
    }
}

/// The answer to a body that broke off (`upload-interrupted`, 409).
pub(crate) fn interrupted(e: impl Display) -> ServiceError {
    ServiceError::conflict(
        ErrorCode::UploadInterrupted,
        format!("the upload was interrupted: {e}"),
    )
}

/// Copies the body into `writer` (created with the first byte) until it ends, breaks off or passes the limit.
async fn pump<S, E>(
    storage: &Storage,
    sink: &Sink<'_>,
    mut body: S,
    writer: &mut Option<ObjectWriter>,
    mut after_chunk: impl AsyncFnMut() -> Result<(), ServiceError>,
) -> Result<Pumped, ServiceError>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
    E: Display,
{
    let mut hasher = sink.checksum.map(Checksum::hasher);
    let mut received: u64 = 0;
    let cut_short = loop {
        let chunk = match body.next().await {
            None => break false,
            Some(Err(e)) if sink.on_interrupt == OnInterrupt::Fail => return Err(interrupted(e)),
            Some(Err(e)) => {
                tracing::info!(error = %e, received, "upload body ended early; keeping what arrived");
                break true;
            }
            Some(Ok(chunk)) if chunk.is_empty() => continue,
            Some(Ok(chunk)) => chunk,
        };
        received += chunk.len() as u64;
        if received > sink.max {
            return Err((sink.too_large)());
        }
        if let Some(h) = hasher.as_mut() {
            h.update(&chunk);
        }
        let w = match writer {
            Some(w) => w,
            None => writer.insert(storage.writer(sink.key).await?),
        };
        w.write(chunk).await?;
        after_chunk().await?;
    };
    Ok(Pumped {
        received,
        digest: hasher.map(Hasher::finish),
        cut_short,
    })
}

/// Checks the body against the checksum the client sent, if any.
fn verify(checksum: Option<&Checksum>, pumped: &Pumped) -> Result<(), ServiceError> {
    match (checksum, &pumped.digest) {
        (Some(_), _) if pumped.cut_short => Err(ServiceError::conflict(
            ErrorCode::UploadInterrupted,
            "the body ended early; its checksum cannot be verified",
        )),
        (Some(c), Some(d)) if *d != c.expected => Err(ServiceError::ChecksumMismatch {
            code: ErrorCode::ChecksumMismatch,
            message: "the data does not match Upload-Checksum; send it again".into(),
        }),
        _ => Ok(()),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use base64::Engine as _;
    use futures_util::stream;
    use sha2::Digest as _;

    fn too_large() -> ServiceError {
        ServiceError::TooLarge {
            code: ErrorCode::UploadTooLarge,
            message: "too large".into(),
        }
    }

    fn sink<'a>(checksum: Option<&'a Checksum>, on_interrupt: OnInterrupt) -> Sink<'a> {
        Sink {
            key: "t/object",
            max: 10,
            too_large: &too_large,
            checksum,
            on_interrupt,
            durability: Durability::Now,
        }
    }

    /// A body of these chunks that breaks off with an error at its end when `breaks_off`.
    fn body(
        chunks: &[&'static [u8]],
        breaks_off: bool,
    ) -> impl Stream<Item = Result<Bytes, String>> + Unpin + use<> {
        let mut items: Vec<Result<Bytes, String>> =
            chunks.iter().map(|c| Ok(Bytes::from_static(c))).collect();
        if breaks_off {
            items.push(Err("connection reset".into()));
        }
        stream::iter(items)
    }

    /// Every file below the store's folder, staging files included.
    fn file_count(dir: &std::path::Path) -> usize {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .map(|p| if p.is_dir() { file_count(&p) } else { 1 })
            .sum()
    }

    /// The error's code, or what was stored and how many files the folder holds.
    #[derive(Debug, PartialEq)]
    enum Outcome {
        Failed(ErrorCode),
        Stored(Vec<u8>, usize),
        Nothing(usize),
    }

    async fn outcome(
        storage: &Storage,
        dir: &std::path::Path,
        got: Result<u64, ServiceError>,
    ) -> Outcome {
        match got {
            Err(
                ServiceError::TooLarge { code, .. }
                | ServiceError::Conflict { code, .. }
                | ServiceError::ChecksumMismatch { code, .. },
            ) if file_count(dir) == 0 => Outcome::Failed(code),
            Err(e) => panic!("{e:?}, {} files left", file_count(dir)),
            Ok(0) => Outcome::Nothing(file_count(dir)),
            Ok(n) => {
                let bytes = storage.read_range("t/object", 0..n).await.unwrap();
                Outcome::Stored(bytes.to_vec(), file_count(dir))
            }
        }
    }

    async fn run(sink: &Sink<'_>, chunks: &[&'static [u8]], breaks_off: bool) -> Outcome {
        let dir = tempfile::tempdir().unwrap();
        let storage = Storage::local(dir.path()).unwrap();
        let got =
            stream_to_storage(&storage, sink, body(chunks, breaks_off), async || Ok(())).await;
        outcome(&storage, dir.path(), got).await
    }

    fn sha256(bytes: &[u8]) -> Checksum {
        let digest = sha2::Sha256::digest(bytes);
        let header = format!(
            "sha256 {}",
            base64::engine::general_purpose::STANDARD.encode(digest)
        );
        Checksum::parse(&header).unwrap()
    }

    fn stored(bytes: &[u8]) -> Outcome {
        Outcome::Stored(bytes.to_vec(), 1)
    }

    #[tokio::test]
    async fn a_body_within_the_limit_is_stored_whole_and_an_empty_one_stores_nothing() {
        let fail = sink(None, OnInterrupt::Fail);
        assert_eq!(
            run(&fail, &[b"01234", b"56789"], false).await,
            stored(b"0123456789")
        );
        assert_eq!(run(&fail, &[b"", b""], false).await, Outcome::Nothing(0));
    }

    #[tokio::test]
    async fn a_body_past_the_limit_fails_and_leaves_no_object() {
        let keep = sink(None, OnInterrupt::Keep);
        let refused = Outcome::Failed(ErrorCode::UploadTooLarge);
        assert_eq!(
            run(&keep, &[b"01234", b"56789", b"x"], false).await,
            refused
        );
        assert_eq!(run(&keep, &[b"0123456789x"], true).await, refused);
    }

    #[tokio::test]
    async fn a_body_that_breaks_off_is_kept_or_refused_as_asked() {
        let fail = sink(None, OnInterrupt::Fail);
        let interrupted = Outcome::Failed(ErrorCode::UploadInterrupted);
        assert_eq!(run(&fail, &[b"01234"], true).await, interrupted);
        let keep = sink(None, OnInterrupt::Keep);
        assert_eq!(run(&keep, &[b"01234"], true).await, stored(b"01234"));
    }

    #[tokio::test]
    async fn a_checksum_is_verified_and_unverifiable_bytes_are_dropped() {
        let good = sha256(b"0123456789");
        let keep = sink(Some(&good), OnInterrupt::Keep);
        let whole: &[&[u8]] = &[b"01234", b"56789"];
        assert_eq!(run(&keep, whole, false).await, stored(b"0123456789"));
        let mismatch = Outcome::Failed(ErrorCode::ChecksumMismatch);
        assert_eq!(run(&keep, &[b"01234", b"5678X"], false).await, mismatch);
        let cut_short = Outcome::Failed(ErrorCode::UploadInterrupted);
        assert_eq!(run(&keep, whole, true).await, cut_short);
    }

    #[tokio::test]
    async fn an_error_after_a_chunk_fails_the_body_and_leaves_no_object() {
        let dir = tempfile::tempdir().unwrap();
        let storage = Storage::local(dir.path()).unwrap();
        let mut chunks_seen = 0;
        let got = stream_to_storage(
            &storage,
            &sink(None, OnInterrupt::Keep),
            body(&[b"012", b"345", b"678"], false),
            async || {
                chunks_seen += 1;
                if chunks_seen < 2 {
                    return Ok(());
                }
                Err(ServiceError::conflict(
                    ErrorCode::UploadLocked,
                    "lost the lock",
                ))
            },
        )
        .await;
        let locked = Outcome::Failed(ErrorCode::UploadLocked);
        assert_eq!(outcome(&storage, dir.path(), got).await, locked);
        assert_eq!(chunks_seen, 2, "the body stops at the first error");
    }
}
