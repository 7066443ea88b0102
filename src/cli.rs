//! The command line: subcommands and the flags that override settings.

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use figment::value::Value;

use crate::config::LogFormat;

/// clipjury runs short-video contests: uploads from phones, transcoding, judging, ranking and publishing.
///
/// Settings come from built-in defaults, then `clipjury.toml` (or --config), then environment variables
/// `CLIPJURY_SECTION__KEY` (e.g. `CLIPJURY_SERVER__LISTEN`, `CLIPJURY_AUTH__JWT_SECRET`, `CLIPJURY_LOG_FORMAT`) and
/// `DATABASE_URL`, then these flags. See docs/operations.md for every setting.
#[derive(Debug, Parser)]
#[command(name = "clipjury", version, about, long_about, after_long_help = SETTINGS_HELP)]
pub struct Cli {
    /// Settings file (TOML). Default: ./clipjury.toml when it exists.
    #[arg(long, global = true, env = "CLIPJURY_CONFIG")]
    pub config: Option<PathBuf>,
    /// Database URL: sqlite://path.db or postgres://user:pass@host/db [default: sqlite://./data/clipjury.db].
    #[arg(long, global = true)]
    pub database_url: Option<String>,
    /// Address to listen on [default: 127.0.0.1:8080].
    #[arg(long, global = true)]
    pub listen: Option<String>,
    /// Base URL people open, used in invite links, QR codes and link previews [default: http://LISTEN].
    #[arg(long, global = true)]
    pub public_url: Option<String>,
    /// Folder for media [default: ./data/media].
    #[arg(long, global = true)]
    pub media_dir: Option<PathBuf>,
    /// Folder of the built web app [default: web/dist].
    #[arg(long, global = true)]
    pub web_dir: Option<PathBuf>,
    /// Log format [default: text].
    #[arg(long, global = true, value_enum)]
    pub log_format: Option<LogFormat>,
    /// Log filter, e.g. `info` or `clipjury=debug` [default: info].
    #[arg(long, global = true)]
    pub log_level: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

/// Every setting, for `--help`: TOML key, environment variable, default.
const SETTINGS_HELP: &str = "\
Settings (clipjury.toml key — environment variable — default):
  database.url                          DATABASE_URL / CLIPJURY_DATABASE__URL    sqlite://./data/clipjury.db
  database.max_connections              CLIPJURY_DATABASE__MAX_CONNECTIONS       10
  server.listen                         CLIPJURY_SERVER__LISTEN                  127.0.0.1:8080
  server.public_url                     CLIPJURY_SERVER__PUBLIC_URL              http://LISTEN (link previews: request Host)
  server.cookie_secure                  CLIPJURY_SERVER__COOKIE_SECURE           true when public_url is https
  server.trusted_proxies                CLIPJURY_SERVER__TRUSTED_PROXIES         none (comma-separated IPs/CIDRs)
  server.web_dir                        CLIPJURY_SERVER__WEB_DIR                 web/dist
  server.metrics_token                  CLIPJURY_SERVER__METRICS_TOKEN           unset: /metrics for loopback only
  media.dir                             CLIPJURY_MEDIA__DIR                      ./data/media
  storage.backend                       CLIPJURY_STORAGE__BACKEND                local (or s3)
  storage.s3_bucket / s3_prefix / s3_endpoint / s3_region / s3_path_style      (AWS_* credentials from the environment)
  storage.presign_seconds               CLIPJURY_STORAGE__PRESIGN_SECONDS        0 (stream through the API)
  media.delete_originals_after_publish  CLIPJURY_MEDIA__DELETE_ORIGINALS_AFTER_PUBLISH  false
  auth.jwt_secret                       CLIPJURY_AUTH__JWT_SECRET                SQLite: key file data/clipjury.key; PostgreSQL: required
  auth.admin_session_hours              CLIPJURY_AUTH__ADMIN_SESSION_HOURS       12
  auth.participant_session_hours        CLIPJURY_AUTH__PARTICIPANT_SESSION_HOURS 72
  auth.invite_valid_days                CLIPJURY_AUTH__INVITE_VALID_DAYS         30
  auth.login_attempts_per_minute        CLIPJURY_AUTH__LOGIN_ATTEMPTS_PER_MINUTE 10
  contest_defaults.max_duration_seconds / duration_tolerance_seconds / max_upload_bytes    60 / 5 / 500000000
  uploads.expiry_hours / deadline_grace_minutes / group_quota_bytes / cleanup_interval_minutes  24 / 30 / 2 GiB / 10
  worker.in_process / concurrency / lease_seconds / heartbeat_seconds / poll_millis / retry_seconds / temp_dir
                                                                                 true / 2, cores÷4 past 8 / 60 / 10 / 250 / 10 / system temp
  worker.x264_threads                   CLIPJURY_WORKER__X264_THREADS            1.5 per core ÷ jobs running or coming (≤ 6)
  worker.media_bin                      CLIPJURY_WORKER__MEDIA_BIN               clipjury-media next to this binary
  worker.metrics_listen                 CLIPJURY_WORKER__METRICS_LISTEN          unset (no metrics from `worker`)
  log_format                            CLIPJURY_LOG_FORMAT                      text (or json)
  log_level                             CLIPJURY_LOG_LEVEL / RUST_LOG            info
Environment variables are CLIPJURY_ + the key in capitals with '.' written as '__'.";

/// What to run.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the API and the web app and run media workers in-process (the default single-node setup).
    Serve(ServeArgs),
    /// Run media workers only (for scale-out next to `serve` nodes sharing PostgreSQL and S3).
    Worker,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Manage admin accounts.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Print the OpenAPI document of the HTTP API as JSON.
    Openapi,
    /// Copy the SQLite database (a consistent snapshot, while clipjury runs) and every media object (local folder or
    /// S3 prefix) into DIR, which must be missing or empty, with a manifest of SHA-256 checksums.
    Backup {
        /// The folder to create.
        dir: PathBuf,
    },
    /// Restore a backup made by `clipjury backup` into the configured database and media store, which must be
    /// empty. Refuses a backup whose files do not match its manifest. Stop clipjury first.
    Restore {
        /// The backup folder.
        dir: PathBuf,
    },
    /// Rank a CSV score sheet with the same engine the app uses (no database needed).
    ///
    /// The CSV is either the app's scores.csv (a row per juror and entry: `juror,entry,…,total,…`; the `total`
    /// column is ranked) or a tally with a header row `juror,<entry 1>,<entry 2>,…` and one row per juror. Numbers
    /// are decimals or fractions; an empty cell of a tally means the juror recused. See docs/judging.md.
    Rank(RankArgs),
}

/// The options of `clipjury rank`.
#[derive(Debug, clap::Args)]
pub struct RankArgs {
    /// The score sheet.
    pub file: PathBuf,
    /// Ranking method.
    #[arg(long, default_value = "mean", value_parser = ["mean", "median", "zscore", "rank_sum"])]
    pub method: String,
    /// Tie-breakers tried in order on entries with the same value, comma-separated (median, first_places, mean,
    /// rank_sum, worst_score, best_score), or `none`.
    #[arg(long, default_value = "median,first_places")]
    pub tie_rule: String,
    /// The numbers are ranks or scores where smaller is better.
    #[arg(long)]
    pub lower_is_better: bool,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Options of `clipjury serve`.
#[derive(Debug, Default, clap::Args)]
pub struct ServeArgs {
    /// Room mode: let phones on this laptop's network join. Listens on every interface (unless --listen is given),
    /// uses this laptop's address on the network as the public URL (unless server.public_url is set) and prints
    /// the link to open with a QR code.
    #[arg(long)]
    pub lan: bool,
    /// With --lan: the network interface (e.g. wlan0) or the address phones use, instead of the interface of the
    /// default route.
    #[arg(long, requires = "lan", value_name = "INTERFACE|ADDRESS")]
    pub lan_interface: Option<String>,
}

/// Admin account commands.
#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create an admin. The password is prompted for, or read from the first line of standard input when it is not
    /// a terminal.
    Create {
        /// The admin's e-mail address (their login name).
        #[arg(long)]
        email: String,
    },
}

impl Cli {
    /// The flags that were given, as settings keys.
    #[must_use]
    pub fn overrides(&self) -> Vec<(&'static str, Value)> {
        let mut out: Vec<(&'static str, Value)> = Vec::new();
        let path = |p: &PathBuf| Value::from(p.to_string_lossy().into_owned());
        if let Some(v) = &self.database_url {
            out.push(("database.url", v.clone().into()));
        }
        if let Some(v) = &self.listen {
            out.push(("server.listen", v.clone().into()));
        }
        if let Some(v) = &self.public_url {
            out.push(("server.public_url", v.clone().into()));
        }
        if let Some(v) = &self.media_dir {
            out.push(("media.dir", path(v)));
        }
        if let Some(v) = &self.web_dir {
            out.push(("server.web_dir", path(v)));
        }
        if let Some(v) = self.log_format {
            out.push((
                "log_format",
                if v == LogFormat::Json { "json" } else { "text" }.into(),
            ));
        }
        if let Some(v) = &self.log_level {
            out.push(("log_level", v.clone().into()));
        }
        out
    }
}
