//! Boots the real app on port 0 against a fresh database (a SQLite file, or a new PostgreSQL database when
//! `CLIPJURY_TEST_DATABASE_URL` points at a server) and a temporary media folder (or, when
//! `CLIPJURY_TEST_S3_ENDPOINT` is set by `scripts/with-s3.sh`, a fresh prefix in that S3 bucket).

#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use std::path::PathBuf;

use clipjury::config::Settings;
use clipjury::startup::Application;
use clipjury_service::Services;
use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

pub use crate::upload_helpers::{fixture, test_bytes, test_worker_settings};

pub const ADMIN_EMAIL: &str = "admin@example.org";
pub const ADMIN_PASSWORD: &str = "correct horse battery staple";

/// A running app and what a test needs to talk to it.
pub struct TestApp {
    pub address: String,
    pub port: u16,
    pub services: Services,
    pub client: reqwest::Client,
    pub settings: Settings,
    _dir: tempfile::TempDir,
    pg_database: Option<(String, String)>,
}

/// Boots the app with the default test settings.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Boots the app after `tweak` adjusted the settings.
pub async fn spawn_app_with(tweak: impl FnOnce(&mut Settings)) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = Settings::default();
    settings.server.listen = "127.0.0.1:0".into();
    settings.media.dir = dir.path().join("media");
    settings.server.web_dir = PathBuf::from("/nonexistent-web-dir");
    let mut pg_database = None;
    settings.database.url = match std::env::var("CLIPJURY_TEST_DATABASE_URL") {
        Ok(base) if base.starts_with("postgres") => {
            let name = format!("clipjury_test_{}", Uuid::new_v4().simple());
            create_pg_database(&base, &name).await;
            pg_database = Some((base.clone(), name.clone()));
            // No key file beside a PostgreSQL database: the instance secret is configured, as on a real cluster.
            settings.auth.jwt_secret =
                Some(format!("test-secret-{}", Uuid::new_v4().simple()).into());
            format!("{}/{name}", base.trim_end_matches('/'))
        }
        _ => format!("sqlite://{}", dir.path().join("clipjury.db").display()),
    };
    settings.database.max_connections = 5;
    if let Ok(endpoint) = std::env::var("CLIPJURY_TEST_S3_ENDPOINT") {
        use_test_s3(&mut settings, &endpoint);
    }
    tweak(&mut settings);
    let app = Application::build(&settings).await.expect("app builds");
    let port = app.port();
    let services = app.services().clone();
    tokio::spawn(app.run_until_stopped());
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    TestApp {
        address: format!("http://127.0.0.1:{port}"),
        port,
        services,
        client,
        settings,
        _dir: dir,
        pg_database,
    }
}

/// Points the settings at the test S3 server, under a prefix of their own so tests never see each other's objects.
pub fn use_test_s3(settings: &mut Settings, endpoint: &str) {
    settings.storage.backend = clipjury::config::StorageBackend::S3;
    settings.storage.s3_endpoint = Some(endpoint.to_owned());
    settings.storage.s3_bucket = std::env::var("CLIPJURY_TEST_S3_BUCKET")
        .expect("CLIPJURY_TEST_S3_BUCKET is set with the endpoint");
    // Short: s3s-fs keeps each object's metadata in a file named after the base64 of bucket and key, and file
    // names stop at 255 bytes, so long keys (consent photos have two UUIDs) fail there though S3 allows 1024.
    settings.storage.s3_prefix = format!("t{}", &Uuid::new_v4().simple().to_string()[..12]);
    settings.storage.s3_path_style = true;
}

async fn admin_connection(base: &str) -> clipjury_db::DatabaseConnection {
    let url = format!("{}/postgres", base.trim_end_matches('/'));
    sea_orm::Database::connect(url)
        .await
        .expect("connect to the postgres maintenance database")
}

async fn create_pg_database(base: &str, name: &str) {
    use sea_orm::ConnectionTrait as _;
    let db = admin_connection(base).await;
    db.execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
        .await
        .unwrap();
    db.close().await.unwrap();
}

impl Drop for TestApp {
    // Drops the per-test PostgreSQL database (zero2prod leaks them). Runs on its own thread and runtime because
    // Drop cannot await.
    fn drop(&mut self) {
        if let Some((base, name)) = self.pg_database.take() {
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                rt.block_on(async {
                    use sea_orm::ConnectionTrait as _;
                    let db = admin_connection(&base).await;
                    let _ = db
                        .execute_unprepared(&format!(
                            "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                        ))
                        .await;
                    let _ = db.close().await;
                });
            })
            .join();
        }
    }
}

/// An HTTP response's status and JSON body.
pub struct Reply {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Reply {
    pub fn code(&self) -> &str {
        self.body["code"].as_str().unwrap_or("")
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// Sends a request with an optional bearer token and JSON body; returns status and parsed body.
    pub async fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Reply {
        let client = reqwest::Client::new();
        let mut req = client.request(method.parse().unwrap(), self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let res = req.send().await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.bytes().await.unwrap();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Reply {
            status,
            headers,
            body,
        }
    }

    /// Creates the standard admin (through the same use case as `clipjury admin create`) and logs in.
    pub async fn admin_token(&self) -> String {
        let _ = clipjury_service::auth::create_admin(
            &self.services,
            ADMIN_EMAIL,
            ADMIN_PASSWORD.into(),
        )
        .await;
        self.login(ADMIN_EMAIL, ADMIN_PASSWORD).await
    }

    /// A second, unrelated admin.
    pub async fn other_admin_token(&self) -> String {
        clipjury_service::auth::create_admin(
            &self.services,
            "other@example.org",
            ADMIN_PASSWORD.into(),
        )
        .await
        .unwrap();
        self.login("other@example.org", ADMIN_PASSWORD).await
    }

    pub async fn login(&self, email: &str, password: &str) -> String {
        let r = self
            .call(
                "POST",
                "/api/auth/login",
                None,
                Some(json!({"email": email, "password": password})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "login failed: {}", r.body);
        r.body["token"].as_str().unwrap().to_owned()
    }

    pub async fn create_contest(&self, admin: &str, title: &str) -> Value {
        let r = self
            .call(
                "POST",
                "/api/contests",
                Some(admin),
                Some(json!({"title": title, "key_messages": ["Respect women equally"]})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        r.body
    }

    /// Adds a group or juror and returns (participant id, invite token).
    pub async fn add_participant(
        &self,
        admin: &str,
        contest_id: &str,
        role: &str,
        name: &str,
    ) -> (String, String) {
        let r = self
            .call(
                "POST",
                &format!("/api/contests/{contest_id}/participants"),
                Some(admin),
                Some(json!({"role": role, "name": name})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        (
            r.body["id"].as_str().unwrap().to_owned(),
            r.body["invite"]["token"].as_str().unwrap().to_owned(),
        )
    }

    /// Redeems an invite and returns the session token from the Set-Cookie header.
    pub async fn redeem(&self, invite_token: &str) -> String {
        let res = reqwest::Client::new()
            .post(self.url("/api/invites/redeem"))
            .json(&json!({"token": invite_token}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        session_cookie_value(&res).expect("session cookie set")
    }

    pub async fn transition(
        &self,
        admin: &str,
        contest_id: &str,
        to: &str,
        reason: Option<&str>,
    ) -> Reply {
        self.call(
            "POST",
            &format!("/api/contests/{contest_id}/transitions"),
            Some(admin),
            Some(json!({"to": to, "reason": reason})),
        )
        .await
    }
}

/// The value of the `clipjury_session` cookie a response sets.
pub fn session_cookie_value(res: &reqwest::Response) -> Option<String> {
    res.headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| {
            c.strip_prefix("clipjury_session=")
                .map(|rest| rest.split(';').next().unwrap_or("").to_owned())
        })
}

/// A contest that is open, with one group whose session and submission form are ready.
pub struct OpenContest {
    pub admin: String,
    pub contest_id: String,
    pub group: String,
    pub group_id: String,
}

impl TestApp {
    /// Admin, an open contest and a group with a saved submission.
    pub async fn open_contest_with_group(&self) -> OpenContest {
        let admin = self.admin_token().await;
        let contest_id = self.create_contest(&admin, "Gender & ICT").await["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let r = self.transition(&admin, &contest_id, "open", None).await;
        assert_eq!(r.status, StatusCode::OK);
        let (group_id, invite) = self
            .add_participant(&admin, &contest_id, "group", "Group 1")
            .await;
        let group = self.redeem(&invite).await;
        self.save_submission(&group, &contest_id).await;
        OpenContest {
            admin,
            contest_id,
            group,
            group_id,
        }
    }

    /// Adds another group to a contest with a saved submission; returns its session.
    pub async fn another_group(&self, admin: &str, contest_id: &str, name: &str) -> String {
        let (_, invite) = self.add_participant(admin, contest_id, "group", name).await;
        let group = self.redeem(&invite).await;
        self.save_submission(&group, contest_id).await;
        group
    }

    pub async fn save_submission(&self, group: &str, contest_id: &str) -> Value {
        let body = json!({
            "title": "Equal at home", "key_message": "Respect women equally", "purpose": "Change habits",
            "audience": "Teenagers", "description": "Brothers and sisters share chores.", "consent_confirmed": true
        });
        let r = self
            .call(
                "PUT",
                &format!("/api/contests/{contest_id}/submission"),
                Some(group),
                Some(body),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        r.body
    }

    /// The group's own submission in the contest, as `GET /api/contests/{id}/submission` returns it.
    pub async fn own_submission(&self, group: &str, contest_id: &str) -> Value {
        self.call(
            "GET",
            &format!("/api/contests/{contest_id}/submission"),
            Some(group),
            None,
        )
        .await
        .body
    }

    /// Builds a second app on the same database and media folder, as after a restart.
    pub async fn restart(&self) -> TestApp {
        let app = Application::build(&self.settings)
            .await
            .expect("app rebuilds");
        let port = app.port();
        let services = app.services().clone();
        tokio::spawn(app.run_until_stopped());
        TestApp {
            address: format!("http://127.0.0.1:{port}"),
            port,
            services,
            client: reqwest::Client::new(),
            settings: self.settings.clone(),
            _dir: tempfile::tempdir().unwrap(),
            pg_database: None,
        }
    }

    /// A handle on an app another test started (e.g. on a restored database); it owns no temp folder.
    pub fn attach(port: u16, services: Services, settings: Settings) -> TestApp {
        TestApp {
            address: format!("http://127.0.0.1:{port}"),
            port,
            services,
            client: reqwest::Client::new(),
            settings,
            _dir: tempfile::tempdir().unwrap(),
            pg_database: None,
        }
    }
}
