//! Opens the media store the settings name.

use anyhow::Context as _;
use clipjury_storage::{S3Settings, Storage};

use crate::config::{Settings, StorageBackend};

/// The local folder under `media.dir`, or the configured S3 bucket.
///
/// # Errors
/// When the folder cannot be created or the S3 settings are incomplete.
pub fn open(settings: &Settings) -> anyhow::Result<Storage> {
    match settings.storage.backend {
        StorageBackend::Local => {
            Storage::local(&settings.media.dir).context("opening the media folder")
        }
        StorageBackend::S3 => {
            let s = &settings.storage;
            anyhow::ensure!(
                !s.s3_bucket.is_empty(),
                "storage.s3_bucket must be set for the s3 backend"
            );
            Storage::s3(&S3Settings {
                bucket: s.s3_bucket.clone(),
                prefix: s.s3_prefix.clone(),
                endpoint: s.s3_endpoint.clone(),
                region: s.s3_region.clone(),
                path_style: s.s3_path_style,
                allow_http: s
                    .s3_endpoint
                    .as_deref()
                    .is_some_and(|e| e.starts_with("http://")),
            })
            .context("opening the S3 bucket")
        }
    }
}

/// The origin presigned media URLs point at (for the pages' Content-Security-Policy), when files are delivered from
/// an S3 bucket by presigned URL.
#[must_use]
pub fn presigned_origin(settings: &Settings) -> Option<String> {
    let s = &settings.storage;
    if s.backend != StorageBackend::S3 || s.presign_seconds == 0 {
        return None;
    }
    Some(match s.s3_endpoint.as_deref() {
        Some(endpoint) => {
            let (scheme, rest) = endpoint.split_once("://").unwrap_or(("https", endpoint));
            let host = rest.split('/').next().unwrap_or(rest);
            if s.s3_path_style {
                format!("{scheme}://{host}")
            } else {
                format!("{scheme}://{}.{host}", s.s3_bucket)
            }
        }
        None => format!("https://{}.s3.{}.amazonaws.com", s.s3_bucket, s.s3_region),
    })
}
