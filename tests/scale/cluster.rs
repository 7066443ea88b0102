//! A cluster of real `clipjury` processes (the debug binary) sharing one PostgreSQL database and one S3 prefix:
//! `serve` nodes with workers off and separate `worker` nodes, each with its own empty media folder so nothing
//! node-local can help.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use clipjury_db::DatabaseConnection;
use sea_orm::ConnectionTrait as _;
use uuid::Uuid;

/// Seconds a job's lease lasts here: short, so a killed worker's job is reclaimed quickly.
pub const LEASE_SECONDS: u64 = 4;

/// One running process and where its log goes.
pub struct Node {
    pub child: Child,
    pub port: Option<u16>,
    pub log: PathBuf,
}

impl Node {
    pub fn url(&self, path: &str) -> String {
        format!(
            "http://127.0.0.1:{}{path}",
            self.port.expect("a node with a port")
        )
    }

    /// The value of one sample line of this node's `/metrics` (0 when absent).
    pub async fn metric(&self, sample: &str) -> f64 {
        let text = reqwest::get(self.url("/metrics"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        text.lines()
            .find_map(|l| l.strip_prefix(sample).and_then(|v| v.strip_prefix(' ')))
            .map_or(0.0, |v| v.parse().unwrap())
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Sends SIGTERM (a normal stop, as systemd or Kubernetes do).
    pub fn terminate(&self) {
        let ok = Command::new("kill")
            .args(["-TERM", &self.pid().to_string()])
            .status()
            .unwrap()
            .success();
        assert!(ok, "kill -TERM failed");
    }

    /// Waits for the process to exit; panics after `limit`.
    pub fn wait_exit(&mut self, limit: Duration) -> std::process::ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                start.elapsed() < limit,
                "process {} did not exit",
                self.pid()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The shared database and bucket prefix, and the processes started on them.
pub struct Cluster {
    pub db: DatabaseConnection,
    pub servers: Vec<Node>,
    pub workers: Vec<Node>,
    base: String,
    db_name: String,
    s3_prefix: String,
    dir: tempfile::TempDir,
    next: usize,
}

fn required(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!("{name} is not set: run through scripts/with-postgres.sh scripts/with-s3.sh")
    })
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Cluster {
    /// A fresh database and S3 prefix; no process yet.
    pub async fn new() -> Self {
        let base = required("CLIPJURY_TEST_DATABASE_URL");
        required("CLIPJURY_TEST_S3_ENDPOINT");
        let db_name = format!("clipjury_scale_{}", Uuid::new_v4().simple());
        let admin = sea_orm::Database::connect(format!("{}/postgres", base.trim_end_matches('/')))
            .await
            .unwrap();
        admin
            .execute_unprepared(&format!("CREATE DATABASE \"{db_name}\""))
            .await
            .unwrap();
        admin.close().await.unwrap();
        let db = sea_orm::Database::connect(format!("{}/{db_name}", base.trim_end_matches('/')))
            .await
            .unwrap();
        Self {
            db,
            servers: Vec::new(),
            workers: Vec::new(),
            base,
            db_name,
            // Short, as in tests/api/helpers.rs: s3s-fs names a file after each key.
            s3_prefix: format!("s{}", &Uuid::new_v4().simple().to_string()[..12]),
            dir: tempfile::tempdir().unwrap(),
            next: 0,
        }
    }

    /// The binary with the cluster's settings, as environment variables an operator would set.
    fn command(&mut self, args: &[&str]) -> (Command, PathBuf) {
        self.next += 1;
        let n = self.next;
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_clipjury"));
        cmd.args(args)
            .env(
                "DATABASE_URL",
                format!("{}/{}", self.base.trim_end_matches('/'), self.db_name),
            )
            // Every node signs with the same configured secret, as a real cluster must.
            .env(
                "CLIPJURY_AUTH__JWT_SECRET",
                format!("scale-test-secret-{}", self.db_name),
            )
            .env("CLIPJURY_STORAGE__BACKEND", "s3")
            .env(
                "CLIPJURY_STORAGE__S3_BUCKET",
                required("CLIPJURY_TEST_S3_BUCKET"),
            )
            .env(
                "CLIPJURY_STORAGE__S3_ENDPOINT",
                required("CLIPJURY_TEST_S3_ENDPOINT"),
            )
            .env("CLIPJURY_STORAGE__S3_PREFIX", &self.s3_prefix)
            .env("CLIPJURY_STORAGE__S3_PATH_STYLE", "true")
            .env(
                "CLIPJURY_MEDIA__DIR",
                self.dir.path().join(format!("media-{n}")),
            )
            .env("CLIPJURY_SERVER__WEB_DIR", "/nonexistent-web-dir")
            .env("CLIPJURY_WORKER__IN_PROCESS", "false")
            .env("CLIPJURY_WORKER__LEASE_SECONDS", LEASE_SECONDS.to_string())
            .env("CLIPJURY_WORKER__HEARTBEAT_SECONDS", "1")
            .env("CLIPJURY_WORKER__RETRY_SECONDS", "0")
            .env("CLIPJURY_DATABASE__MAX_CONNECTIONS", "4")
            .env("CLIPJURY_LOG_FORMAT", "json")
            .env("CLIPJURY_LOG_LEVEL", "info");
        (cmd, self.dir.path().join(format!("node-{n}.log")))
    }

    fn spawn(mut cmd: Command, log: &PathBuf) -> Child {
        let out = std::fs::File::create(log).unwrap();
        cmd.stdin(Stdio::null())
            .stdout(out.try_clone().unwrap())
            .stderr(out)
            .spawn()
            .unwrap()
    }

    /// Starts a `serve` node and waits until `/readyz` answers 200.
    pub async fn add_server(&mut self) {
        let port = free_port();
        let (mut cmd, log) = self.command(&["serve"]);
        cmd.env("CLIPJURY_SERVER__LISTEN", format!("127.0.0.1:{port}"));
        let child = Self::spawn(cmd, &log);
        let mut node = Node {
            child,
            port: Some(port),
            log,
        };
        let start = Instant::now();
        loop {
            if let Ok(r) = reqwest::get(node.url("/readyz")).await
                && r.status().is_success()
            {
                break;
            }
            if let Some(status) = node.child.try_wait().unwrap() {
                panic!("serve exited with {status}: {}", node.log_text());
            }
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "serve not ready: {}",
                node.log_text()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        self.servers.push(node);
    }

    /// Starts a `worker` node, with its `/metrics` on a port of its own.
    pub fn add_worker(&mut self) {
        let port = free_port();
        let (mut cmd, log) = self.command(&["worker"]);
        cmd.env(
            "CLIPJURY_WORKER__METRICS_LISTEN",
            format!("127.0.0.1:{port}"),
        );
        let child = Self::spawn(cmd, &log);
        self.workers.push(Node {
            child,
            port: Some(port),
            log,
        });
    }

    /// Creates an admin with `clipjury admin create` (password on standard input).
    pub fn create_admin(&mut self, email: &str, password: &str) {
        use std::io::Write as _;
        let (mut cmd, log) = self.command(&["admin", "create", "--email", email]);
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap();
        writeln!(child.stdin.take().unwrap(), "{password}").unwrap();
        let status = child.wait().unwrap();
        assert!(
            status.success(),
            "admin create: {}",
            std::fs::read_to_string(log).unwrap_or_default()
        );
    }

    /// Every worker log, for error messages.
    pub fn worker_logs(&self) -> String {
        self.workers
            .iter()
            .map(Node::log_text)
            .collect::<Vec<_>>()
            .join("\n")
    }
}

impl Drop for Cluster {
    // Stops the processes first (they hold connections), then drops the database.
    fn drop(&mut self) {
        self.servers.clear();
        self.workers.clear();
        let (base, name) = (self.base.clone(), self.db_name.clone());
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async {
                if let Ok(db) =
                    sea_orm::Database::connect(format!("{}/postgres", base.trim_end_matches('/')))
                        .await
                {
                    let _ = db
                        .execute_unprepared(&format!(
                            "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                        ))
                        .await;
                    let _ = db.close().await;
                }
            });
        })
        .join();
    }
}

/// Waits until `check` returns `Some`, polling every 100 ms; panics with `what` after `limit`.
pub async fn wait_for<T, F, Fut>(limit: Duration, what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let start = Instant::now();
    loop {
        if let Some(v) = check().await {
            return v;
        }
        assert!(start.elapsed() < limit, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
