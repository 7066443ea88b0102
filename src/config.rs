//! Settings, layered: built-in defaults → optional `clipjury.toml` → `CLIPJURY_SECTION__KEY` environment variables
//! (plus `DATABASE_URL`) → command-line flags.

use std::path::PathBuf;

use figment::Figment;
use figment::providers::{Env, Format as _, Serialized, Toml};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};

/// All settings of clipjury.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    /// `text` (default) or `json` log lines.
    pub log_format: LogFormat,
    /// Log filter in `tracing` syntax, e.g. `info` or `clipjury=debug,info`.
    pub log_level: String,
    pub database: DatabaseSettings,
    pub server: ServerSettings,
    pub media: MediaSettings,
    pub auth: AuthSettings,
    pub contest_defaults: ContestDefaultSettings,
    pub uploads: UploadSettings,
    pub storage: StorageSettings,
    pub worker: WorkerSettings,
}

/// Media workers.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct WorkerSettings {
    /// Run media workers inside `clipjury serve` (the single-node default). Set false when separate
    /// `clipjury worker` processes do the work.
    pub in_process: bool,
    /// Jobs processed at once per process, besides one express lane for first phases (default: 2 from 2 cores,
    /// then one per 4 cores; see docs/operations.md).
    pub concurrency: Option<usize>,
    /// Threads of a job's largest decoder and x264 encoder (default: chosen as each encode starts, 1.5 per core
    /// shared by the jobs running or on their way, at most 6).
    pub x264_threads: Option<usize>,
    /// Seconds a claimed job stays leased without a heartbeat (a dead worker's job is reclaimed after this).
    pub lease_seconds: u64,
    /// Seconds between heartbeats.
    pub heartbeat_seconds: u64,
    /// Milliseconds an idle worker waits before looking for work again (bounds the wait before a new upload
    /// starts processing; one cheap indexed query per poll).
    pub poll_millis: u64,
    /// Seconds before the first retry of a failed job (doubling each attempt, at most 10 minutes).
    pub retry_seconds: u64,
    /// Folder for a job's temporary files (default: the system's temp folder).
    pub temp_dir: Option<PathBuf>,
    /// The `clipjury-media` binary that runs FFmpeg (default: the one next to this executable, else on PATH).
    pub media_bin: Option<PathBuf>,
    /// Address where `clipjury worker` serves `/metrics` and `/healthz` (e.g. `127.0.0.1:9101`); unset: none.
    /// Same access rule as the server's `/metrics` (`server.metrics_token`).
    pub metrics_listen: Option<String>,
}

impl Default for WorkerSettings {
    fn default() -> Self {
        Self {
            in_process: true,
            concurrency: None,
            x264_threads: None,
            lease_seconds: 60,
            heartbeat_seconds: 10,
            poll_millis: 250,
            retry_seconds: 10,
            temp_dir: None,
            media_bin: None,
            metrics_listen: None,
        }
    }
}

impl WorkerSettings {
    /// The worker crate's settings.
    #[must_use]
    pub fn to_worker(&self) -> clipjury_worker::WorkerSettings {
        use std::time::Duration;
        let cores = clipjury_worker::available_cores();
        let concurrency = self
            .concurrency
            .unwrap_or_else(|| clipjury_worker::concurrency_for_cores(cores))
            .max(1);
        clipjury_worker::WorkerSettings {
            concurrency,
            x264_threads: self.x264_threads.map(|t| t.max(1)),
            cores,
            lease: Duration::from_secs(self.lease_seconds.max(2)),
            heartbeat: Duration::from_secs(self.heartbeat_seconds.max(1)),
            poll: Duration::from_millis(self.poll_millis.max(50)),
            backoff: Duration::from_secs(self.retry_seconds),
            max_backoff: Duration::from_secs(600),
            temp_dir: self.temp_dir.clone().unwrap_or_else(std::env::temp_dir),
            media_bin: self
                .media_bin
                .clone()
                .unwrap_or_else(clipjury_worker::media_child::default_media_bin),
        }
    }
}

/// Resumable uploads.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct UploadSettings {
    /// Hours without a received byte after which an unfinished upload is deleted.
    pub expiry_hours: u32,
    /// Minutes after the upload deadline during which uploads started before it may finish.
    pub deadline_grace_minutes: u32,
    /// Bytes one group may hold (unfinished uploads plus stored originals).
    pub group_quota_bytes: u64,
    /// Minutes between sweeps that delete expired uploads.
    pub cleanup_interval_minutes: u32,
}

impl Default for UploadSettings {
    fn default() -> Self {
        Self {
            expiry_hours: 24,
            deadline_grace_minutes: 30,
            group_quota_bytes: 2 * 1024 * 1024 * 1024,
            cleanup_interval_minutes: 10,
        }
    }
}

/// Where media bytes are kept.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StorageSettings {
    /// `local` (the media folder) or `s3`.
    pub backend: StorageBackend,
    /// S3 bucket name (backend `s3`). Credentials come from `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY`.
    pub s3_bucket: String,
    /// Key prefix inside the bucket.
    pub s3_prefix: String,
    /// Endpoint of an S3-compatible server such as MinIO (empty for AWS).
    pub s3_endpoint: Option<String>,
    /// Region.
    pub s3_region: String,
    /// Path-style requests (MinIO needs them).
    pub s3_path_style: bool,
    /// With the `s3` backend: answer requests for renditions and posters with a redirect to a presigned URL valid
    /// this many seconds, so the bucket (or a CDN in front of it) sends the bytes. 0 (default): the API streams
    /// them with `Range` support.
    pub presign_seconds: u64,
}

/// Storage backends.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum StorageBackend {
    /// Files under `media.dir`.
    #[default]
    Local,
    /// An S3-compatible bucket.
    S3,
}

impl Default for StorageSettings {
    fn default() -> Self {
        Self {
            backend: StorageBackend::Local,
            s3_bucket: String::new(),
            s3_prefix: String::new(),
            s3_endpoint: None,
            s3_region: "us-east-1".into(),
            s3_path_style: false,
            presign_seconds: 0,
        }
    }
}

/// Log line format.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Default, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum LogFormat {
    /// Human-readable lines.
    #[default]
    Text,
    /// One JSON object per line, for log collectors.
    Json,
}

/// Database connection.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DatabaseSettings {
    /// `sqlite://./data/clipjury.db` (default, embedded) or `postgres://user:pass@host:5432/clipjury`.
    pub url: String,
    /// Largest number of pooled connections.
    pub max_connections: u32,
}

/// HTTP server.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServerSettings {
    /// Address and port to listen on.
    pub listen: String,
    /// Base URL people open (invite links, QR codes, set-up link, the absolute URLs in the results page's link
    /// preview tags). Defaults to `http://{listen}`; link previews then use the request's scheme and Host instead.
    pub public_url: Option<String>,
    /// Mark cookies `Secure`. Defaults to whether `public_url` is https.
    pub cookie_secure: Option<bool>,
    /// Reverse proxies whose `X-Forwarded-For` is believed (addresses or CIDR ranges, e.g. `172.28.0.0/16`; in the
    /// environment a comma-separated list). Login rate limits key on the client address found behind them.
    #[serde(deserialize_with = "list_or_csv")]
    pub trusted_proxies: Vec<String>,
    /// Folder of the built web app (`web/dist`), served with fallback to `index.html`.
    pub web_dir: PathBuf,
    /// Bearer token a Prometheus scraper sends to read `/metrics`. When unset, `/metrics` answers only clients on
    /// the loopback address that did not come through a proxy (no `Forwarded`/`X-Forwarded-For`).
    #[serde(skip_serializing)]
    pub metrics_token: Option<SecretString>,
}

/// Media storage.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MediaSettings {
    /// Folder for uploads, renditions and thumbnails.
    pub dir: PathBuf,
    /// Delete a contest's uploaded originals when its results are published, keeping renditions and posters
    /// (less storage; the originals can then no longer be downloaded or reprocessed). Off by default.
    pub delete_originals_after_publish: bool,
}

/// Sessions and login.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AuthSettings {
    /// The instance secret (≥ 32 bytes): signs session tokens and seals invite tokens. When unset, one is generated on
    /// first start into a key file beside the SQLite database (never in the database); required with PostgreSQL, the
    /// same on every node.
    #[serde(skip_serializing)]
    pub jwt_secret: Option<SecretString>,
    /// Hours an admin session lasts.
    pub admin_session_hours: u32,
    /// Hours a group or juror session lasts (they reopen their invite link to renew it).
    pub participant_session_hours: u32,
    /// Days a new invite link stays valid.
    pub invite_valid_days: u32,
    /// Login attempts allowed per minute per client address and per account.
    pub login_attempts_per_minute: u32,
}

/// Defaults for new contests.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ContestDefaultSettings {
    /// Longest video in seconds.
    pub max_duration_seconds: u32,
    /// Seconds tolerated beyond the longest video.
    pub duration_tolerance_seconds: u32,
    /// Largest upload in bytes.
    pub max_upload_bytes: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            log_format: LogFormat::Text,
            log_level: "info".into(),
            database: DatabaseSettings::default(),
            server: ServerSettings::default(),
            media: MediaSettings::default(),
            auth: AuthSettings::default(),
            contest_defaults: ContestDefaultSettings::default(),
            uploads: UploadSettings::default(),
            storage: StorageSettings::default(),
            worker: WorkerSettings::default(),
        }
    }
}

impl Default for DatabaseSettings {
    fn default() -> Self {
        Self {
            url: "sqlite://./data/clipjury.db".into(),
            max_connections: 10,
        }
    }
}

impl Default for ServerSettings {
    fn default() -> Self {
        Self {
            listen: "127.0.0.1:8080".into(),
            public_url: None,
            cookie_secure: None,
            trusted_proxies: Vec::new(),
            web_dir: "web/dist".into(),
            metrics_token: None,
        }
    }
}

impl Default for MediaSettings {
    fn default() -> Self {
        Self {
            dir: "./data/media".into(),
            delete_originals_after_publish: false,
        }
    }
}

impl Default for AuthSettings {
    fn default() -> Self {
        Self {
            jwt_secret: None,
            admin_session_hours: 12,
            participant_session_hours: 72,
            invite_valid_days: 30,
            login_attempts_per_minute: 10,
        }
    }
}

impl Default for ContestDefaultSettings {
    fn default() -> Self {
        Self {
            max_duration_seconds: 60,
            duration_tolerance_seconds: 5,
            max_upload_bytes: 500_000_000,
        }
    }
}

impl Settings {
    /// Loads the layers in order. `config_file` is read when it exists; `overrides` are the command-line flags.
    ///
    /// # Errors
    /// A [`figment::Error`] naming the bad key: unknown keys are refused, not ignored.
    pub fn load(
        config_file: Option<&std::path::Path>,
        overrides: &[(&str, figment::value::Value)],
    ) -> Result<Self, Box<figment::Error>> {
        let path = config_file.map_or_else(
            || PathBuf::from("clipjury.toml"),
            std::path::Path::to_path_buf,
        );
        let mut figment = Figment::from(Serialized::defaults(Settings::default()))
            .merge(Toml::file(path))
            .merge(
                // CLIPJURY_CONFIG names the file; CLIPJURY_BIN and CLIPJURY_TEST_* belong to scripts and tests.
                Env::prefixed("CLIPJURY_")
                    .filter(|k| {
                        let k = k.as_str().to_ascii_lowercase();
                        k != "config" && k != "bin" && !k.starts_with("test_")
                    })
                    .split("__"),
            )
            .merge(
                Env::raw()
                    .only(&["DATABASE_URL"])
                    .map(|_| "database.url".into()),
            );
        for (key, value) in overrides {
            figment = figment.merge(Serialized::global(key, value.clone()));
        }
        figment.extract().map_err(Box::new)
    }

    /// Whether people reach clipjury over https (the public URL says so).
    #[must_use]
    pub fn is_https(&self) -> bool {
        self.public_url()
            .get(..8)
            .is_some_and(|s| s.eq_ignore_ascii_case("https://"))
    }

    /// Whether cookies get `Secure`: as configured, else when the public URL is https.
    #[must_use]
    pub fn cookie_secure(&self) -> bool {
        self.server.cookie_secure.unwrap_or_else(|| self.is_https())
    }

    /// The public base URL, defaulting to `http://{listen}`.
    #[must_use]
    pub fn public_url(&self) -> String {
        self.server
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.server.listen))
    }
}

/// A list given as a list (TOML) or as one comma-separated string (an environment variable).
fn list_or_csv<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum ListOrCsv {
        List(Vec<String>),
        Csv(String),
    }
    Ok(match ListOrCsv::deserialize(d)? {
        ListOrCsv::List(v) => v,
        ListOrCsv::Csv(s) => s
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_owned)
            .collect(),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::result_large_err)] // figment::Jail's closure signature, not ours
    fn layers_apply_in_order_and_unknown_keys_are_refused() {
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "clipjury.toml",
                "[server]\nlisten = \"127.0.0.1:9000\"\n[media]\ndir = \"/srv/media\"\n",
            )?;
            jail.set_env("CLIPJURY_SERVER__LISTEN", "127.0.0.1:9100");
            jail.set_env("DATABASE_URL", "postgres://u@h/db");
            jail.set_env("CLIPJURY_LOG_FORMAT", "json");
            let s = Settings::load(None, &[]).unwrap();
            assert_eq!(s.server.listen, "127.0.0.1:9100");
            assert_eq!(s.media.dir, PathBuf::from("/srv/media"));
            assert_eq!(s.database.url, "postgres://u@h/db");
            assert_eq!(s.log_format, LogFormat::Json);
            let s = Settings::load(None, &[("server.listen", "127.0.0.1:9200".into())]).unwrap();
            assert_eq!(s.server.listen, "127.0.0.1:9200");
            jail.set_env("CLIPJURY_BIN", "/usr/local/bin/clipjury");
            jail.set_env("CLIPJURY_TEST_DATABASE_URL", "postgres://x");
            assert!(
                Settings::load(None, &[]).is_ok(),
                "script variables are not settings"
            );
            jail.set_env("CLIPJURY_SERVER__LISTN", "typo");
            assert!(Settings::load(None, &[]).is_err());
            Ok(())
        });
    }

    #[test]
    fn defaults_are_the_embedded_setup() {
        let s = Settings::default();
        assert_eq!(s.database.url, "sqlite://./data/clipjury.db");
        assert_eq!(s.media.dir, PathBuf::from("./data/media"));
        assert_eq!(s.server.listen, "127.0.0.1:8080");
        assert_eq!(s.public_url(), "http://127.0.0.1:8080");
        assert!(!s.cookie_secure());
    }

    #[test]
    #[allow(clippy::result_large_err)]
    fn cookie_secure_follows_an_https_public_url_and_proxies_read_from_a_list() {
        figment::Jail::expect_with(|jail| {
            jail.set_env(
                "CLIPJURY_SERVER__PUBLIC_URL",
                "https://clipjury.example.org",
            );
            jail.set_env(
                "CLIPJURY_SERVER__TRUSTED_PROXIES",
                "172.28.0.0/16, 10.0.0.5",
            );
            let s = Settings::load(None, &[]).unwrap();
            assert!(s.is_https() && s.cookie_secure());
            assert_eq!(s.server.trusted_proxies, ["172.28.0.0/16", "10.0.0.5"]);
            jail.set_env("CLIPJURY_SERVER__COOKIE_SECURE", "false");
            assert!(!Settings::load(None, &[]).unwrap().cookie_secure());
            jail.create_file("c.toml", "[server]\ntrusted_proxies = [\"::1\"]\n")?;
            jail.set_env("CLIPJURY_SERVER__TRUSTED_PROXIES", "");
            let s = Settings::load(Some(std::path::Path::new("c.toml")), &[]).unwrap();
            assert!(s.server.trusted_proxies.is_empty());
            Ok(())
        });
    }
}
