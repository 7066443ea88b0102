//! Upload and media helpers of the api tests: tus requests, whole-file uploads, running the media workers, and the
//! generated test clips.

#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use std::path::PathBuf;

use reqwest::StatusCode;

use crate::helpers::TestApp;

impl TestApp {
    /// A tus request: `Tus-Resumable` set, bearer session, extra headers, optional body.
    pub async fn tus(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        headers: &[(&str, &str)],
        body: Option<Vec<u8>>,
    ) -> reqwest::Response {
        let mut req = reqwest::Client::new()
            .request(method.parse().unwrap(), self.url(path))
            .header("Tus-Resumable", "1.0.0");
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        if let Some(b) = body {
            req = req.body(b);
        }
        req.send().await.unwrap()
    }

    /// Creates a tus upload of `length` bytes and returns its path (`/api/uploads/{id}`).
    pub async fn create_upload(&self, group: &str, length: usize) -> String {
        let len = length.to_string();
        let res = self
            .tus(
                "POST",
                "/api/uploads",
                Some(group),
                &[
                    ("Upload-Length", &len),
                    (
                        "Upload-Metadata",
                        "filename Y2xpcC5tcDQ=,filetype dmlkZW8vbXA0",
                    ),
                ],
                None,
            )
            .await;
        assert_eq!(res.status(), StatusCode::CREATED);
        res.headers()["location"].to_str().unwrap().to_owned()
    }

    /// PATCHes `bytes` at `offset`; returns the response.
    pub async fn patch_upload(
        &self,
        group: &str,
        location: &str,
        offset: usize,
        bytes: &[u8],
    ) -> reqwest::Response {
        let off = offset.to_string();
        self.tus(
            "PATCH",
            location,
            Some(group),
            &[
                ("Upload-Offset", &off),
                ("Content-Type", "application/offset+octet-stream"),
            ],
            Some(bytes.to_vec()),
        )
        .await
    }
}

/// Deterministic pseudo-random bytes (so compression or dedup cannot flatter a test).
pub fn test_bytes(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

impl TestApp {
    /// Runs the media workers until no job is due (retries without delay), as `clipjury serve` would in the
    /// background. Returns how many jobs were handled.
    pub async fn run_pending_jobs(&self) -> usize {
        clipjury_worker::run_until_idle(self.services.clone(), test_worker_settings()).await
    }

    /// Uploads a file through tus in 1 MB PATCHes for the group; returns the upload path.
    pub async fn upload_file(&self, group: &str, bytes: &[u8]) -> String {
        let loc = self.create_upload(group, bytes.len()).await;
        let mut offset = 0;
        for chunk in bytes.chunks(1_000_000) {
            let r = self.patch_upload(group, &loc, offset, chunk).await;
            assert_eq!(r.status(), StatusCode::NO_CONTENT);
            offset += chunk.len();
        }
        loc
    }
}

/// Worker settings for tests: no retry delay, short leases.
pub fn test_worker_settings() -> clipjury_worker::WorkerSettings {
    clipjury_worker::WorkerSettings {
        backoff: std::time::Duration::ZERO,
        lease: std::time::Duration::from_secs(30),
        media_bin: env!("CARGO_BIN_EXE_clipjury-media").into(),
        ..Default::default()
    }
}

/// Path of a generated test clip (tests/fixtures/make-clips.sh, cached under target/fixtures).
pub fn fixture(name: &str) -> PathBuf {
    static DIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    let dir = DIR.get_or_init(|| {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let dir = root.join("target/fixtures");
        let status = std::process::Command::new("bash")
            .arg(root.join("tests/fixtures/make-clips.sh"))
            .arg(&dir)
            .status()
            .unwrap();
        assert!(status.success(), "make-clips.sh failed");
        dir
    });
    dir.join(name)
}
