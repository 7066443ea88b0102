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
