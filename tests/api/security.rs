//! The defences of docs/security.md that a request can show: security headers, the same-origin rule for cookie
//! writes, invites that need a deliberate join, readiness details, sessions that end at logout, secrets at rest.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{ADMIN_EMAIL, ADMIN_PASSWORD, TestApp, spawn_app, spawn_app_with};

/// A web app folder with a bare `index.html`, so pages are served.
fn web_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("index.html"),
        "<!doctype html><title>clipjury</title>",
    )
    .unwrap();
    dir
}

fn header(res: &reqwest::Response, name: &str) -> String {
    res.headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

#[tokio::test]
async fn pages_may_not_be_framed_except_the_public_results_and_nothing_is_sniffed() {
    let web = web_dir();
    let path = web.path().to_owned();
    let app = spawn_app_with(move |s| s.server.web_dir = path).await;
    for page in ["/", "/admin/contests/x", "/i/some-token"] {
        let res = reqwest::get(app.url(page)).await.unwrap();
        assert!(
            header(&res, "content-type").starts_with("text/html"),
            "{page}"
        );
        let csp = header(&res, "content-security-policy");
        assert!(csp.contains("frame-ancestors 'none'"), "{page}: {csp}");
        assert!(
            csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
            "{csp}"
        );
        assert_eq!(header(&res, "x-frame-options"), "DENY", "{page}");
        assert_eq!(header(&res, "x-content-type-options"), "nosniff");
        assert_eq!(header(&res, "referrer-policy"), "same-origin");
        assert_eq!(
            header(&res, "strict-transport-security"),
            "",
            "plain http: no HSTS"
        );
    }
    let res = reqwest::get(app.url("/c/some-contest/results"))
        .await
        .unwrap();
    assert!(header(&res, "content-security-policy").contains("frame-ancestors *"));
    assert_eq!(header(&res, "x-frame-options"), "");
    // JSON and media answers can never run as a page, whatever a browser thinks they are.
    for path in [
        "/api/contests",
        "/healthz",
        "/api/videos/00000000-0000-0000-0000-000000000000/720p.mp4",
    ] {
        let res = reqwest::get(app.url(path)).await.unwrap();
        let csp = header(&res, "content-security-policy");
        assert!(
            csp.contains("default-src 'none'") && csp.contains("sandbox"),
            "{path}: {csp}"
        );
        assert_eq!(header(&res, "x-content-type-options"), "nosniff", "{path}");
    }
}

#[tokio::test]
async fn an_https_public_url_turns_on_hsts_and_secure_cookies() {
    let app =
        spawn_app_with(|s| s.server.public_url = Some("https://clipjury.example.org".into())).await;
    app.admin_token().await;
    let res = reqwest::Client::new()
        .post(app.url("/api/auth/login"))
        .json(&json!({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert!(header(&res, "strict-transport-security").starts_with("max-age="));
    assert!(
        header(&res, "set-cookie").contains("Secure"),
        "{}",
        header(&res, "set-cookie")
    );
}

/// A client holding the admin's session cookie, as a browser does after login.
async fn cookie_client(app: &TestApp) -> reqwest::Client {
    app.admin_token().await;
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let res = client
        .post(app.url("/api/auth/login"))
        .json(&json!({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    client
}

#[tokio::test]
async fn a_cookie_write_must_come_from_our_own_origin_with_a_real_content_type() {
    let app = spawn_app().await;
    let client = cookie_client(&app).await;
    let create = |origin: Option<&str>, fetch_site: Option<&str>| {
        let mut req = client
            .post(app.url("/api/contests"))
            .json(&json!({"title": "Forged?"}));
        if let Some(o) = origin {
            req = req.header("Origin", o);
        }
        if let Some(s) = fetch_site {
            req = req.header("Sec-Fetch-Site", s);
        }
        req.send()
    };
    for (origin, site) in [
        (Some("https://evil.example"), None),
        (Some("null"), None),
        (Some("http://127.0.0.1:1"), None),
        (None, Some("cross-site")),
        (None, Some("same-site")),
        (None, None),
    ] {
        let res = create(origin, site).await.unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{origin:?} {site:?}");
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(body["code"], "cross-site-request");
    }
    let res = create(Some(&app.address), None).await.unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let res = create(None, Some("same-origin")).await.unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    // What an HTML form of another site can send without a preflight: text/plain. Refused even from our origin.
    let res = client
        .post(app.url("/api/contests"))
        .header("Origin", &app.address)
        .header("Content-Type", "text/plain")
        .body(r#"{"title": "x"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    // Reading needs no origin, and scripts with a Bearer token carry no ambient authority.
    let res = client.get(app.url("/api/contests")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let admin = app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let r = app
        .call(
            "POST",
            "/api/contests",
            Some(&admin),
            Some(json!({"title": "Script"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
}

#[tokio::test]
async fn the_score_import_takes_csv_only() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let c = app.create_contest(&admin, "CSV").await;
    let res = reqwest::Client::new()
        .post(app.url(&format!(
            "/api/contests/{}/scores/import",
            c["id"].as_str().unwrap()
        )))
        .bearer_auth(&admin)
        .header("Content-Type", "text/plain")
        .body("juror,entry\n")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

#[tokio::test]
async fn looking_at_an_invite_signs_nobody_in() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let c = app.create_contest(&admin, "Invite").await;
    let cid = c["id"].as_str().unwrap();
    let (pid, token) = app.add_participant(&admin, cid, "group", "Lotus").await;
    let res = reqwest::Client::new()
        .post(app.url("/api/invites/inspect"))
        .json(&json!({"token": token}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(header(&res, "set-cookie"), "", "inspecting sets no session");
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["participant_id"], pid.as_str());
    assert_eq!(body["name"], "Lotus");
    assert_eq!(body["role"], "group");
    let r = app
        .call(
            "POST",
            "/api/invites/inspect",
            None,
            Some(json!({"token": "nope"})),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::NOT_FOUND, "invite-invalid")
    );
}

#[tokio::test]
async fn readiness_details_are_for_admins_and_local_probes_only() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    std::fs::remove_dir_all(&app.settings.media.dir).unwrap();
    std::fs::write(&app.settings.media.dir, b"not a folder").unwrap();
    // Through a proxy (not a local probe) and anonymous: the bare status.
    let res = reqwest::Client::new()
        .get(app.url("/readyz"))
        .header("X-Forwarded-For", "198.51.100.1")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["status"], "not-ready");
    assert_eq!(body["failed"], json!([]));
    let res = reqwest::Client::new()
        .get(app.url("/readyz"))
        .header("X-Forwarded-For", "198.51.100.1")
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["failed"][0]["check"], "storage");
}

#[tokio::test]
async fn readiness_probes_do_not_write_to_storage_on_every_hit() {
    let app = spawn_app().await;
    assert_eq!(
        app.call("GET", "/readyz", None, None).await.status,
        StatusCode::OK
    );
    // The store breaks; within the check interval the probes still answer from the last write check.
    std::fs::remove_dir_all(&app.settings.media.dir).unwrap();
    std::fs::write(&app.settings.media.dir, b"not a folder").unwrap();
    for _ in 0..20 {
        assert_eq!(
            app.call("GET", "/readyz", None, None).await.status,
            StatusCode::OK
        );
    }
}

#[tokio::test]
async fn admin_logout_ends_every_session_of_the_account() {
    let app = spawn_app().await;
    let first = app.admin_token().await;
    let second = app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let r = app
        .call("POST", "/api/auth/logout", Some(&first), None)
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    for token in [&first, &second] {
        let r = app.call("GET", "/api/auth/me", Some(token), None).await;
        assert_eq!(
            (r.status, r.code()),
            (StatusCode::UNAUTHORIZED, "session-revoked")
        );
    }
    let fresh = app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let r = app.call("GET", "/api/auth/me", Some(&fresh), None).await;
    assert_eq!(r.status, StatusCode::OK);
    // A logout with a dead session still clears the cookie.
    let r = app
        .call("POST", "/api/auth/logout", Some(&first), None)
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn a_closed_or_wrong_setup_costs_no_password_hash() {
    let app = spawn_app().await;
    let hashes = || app.services.metrics().password_hashes();
    let before = hashes();
    for token in ["wrong", "also-wrong"] {
        let r = app
            .call(
                "POST",
                "/api/auth/setup",
                None,
                Some(json!({"token": token, "email": "a@example.org", "password": "long enough password"})),
            )
            .await;
        assert_eq!(
            (r.status, r.code()),
            (StatusCode::FORBIDDEN, "setup-token-invalid")
        );
    }
    assert_eq!(hashes(), before, "a refused set-up hashed a password");
    app.admin_token().await;
    let after_admin = hashes();
    let r = app
        .call(
            "POST",
            "/api/auth/setup",
            None,
            Some(
                json!({"token": "x", "email": "b@example.org", "password": "long enough password"}),
            ),
        )
        .await;
    assert_eq!((r.status, r.code()), (StatusCode::CONFLICT, "setup-done"));
    assert_eq!(hashes(), after_admin);
}

#[tokio::test]
async fn neither_the_session_secret_nor_invite_tokens_are_in_the_database() {
    use sea_orm::{ConnectionTrait as _, Statement};
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let c = app.create_contest(&admin, "Secrets").await;
    let (_, token) = app
        .add_participant(&admin, c["id"].as_str().unwrap(), "group", "Lotus")
        .await;
    let db = app.services.db();
    let backend = db.get_database_backend();
    let dump = |sql: &str| {
        let stmt = Statement::from_string(backend, sql.to_owned());
        async move {
            db.query_all_raw(stmt)
                .await
                .unwrap()
                .iter()
                .map(|row| format!("{row:?}"))
                .collect::<String>()
        }
    };
    let invites = dump("SELECT token, token_sealed FROM invites").await;
    assert!(
        !invites.contains(&token),
        "the plain token is stored: {invites}"
    );
    let settings = dump("SELECT key FROM settings").await;
    assert!(!settings.contains("jwt_secret"), "{settings}");
    // The link still opens, and the admin can still show it.
    app.redeem(&token).await;
    let list = app
        .call(
            "GET",
            &format!("/api/contests/{}/participants", c["id"].as_str().unwrap()),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(list.body[0]["invite"]["token"], token.as_str());
    if app.settings.database.url.starts_with("sqlite") {
        let key = app
            .settings
            .media
            .dir
            .parent()
            .unwrap()
            .join("clipjury.key");
        assert!(key.exists(), "the key file sits beside the database");
    }
}

/// The file name `?download=1` gives `caller` for a video.
async fn download_name(app: &TestApp, video: &str, caller: &str) -> String {
    let res = reqwest::Client::new()
        .get(app.url(&format!("/api/videos/{video}/720p.mp4?download=1")))
        .bearer_auth(caller)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    header(&res, "content-disposition")
}

#[tokio::test]
async fn download_names_tell_no_more_than_the_caller_may_know() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let c = app
        .judging_contest(&admin, &["Lotus", "Mekong"], &["J1"], true)
        .await;
    let cid = &c.contest_id;
    let lotus = &c.groups[0].1;
    let video = app.own_submission(lotus, cid).await["current_video"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.services
        .storage()
        .put(
            &format!("videos/{video}/720p.mp4"),
            bytes::Bytes::from_static(b"video"),
        )
        .await
        .unwrap();
    for (i, (_, _, entry)) in c.groups.iter().enumerate() {
        let mark = if i == 0 { 9 } else { 5 };
        app.score_entry(&c.jurors[0].1, cid, entry, [mark; 5], "", "")
            .await;
    }
    assert_eq!(
        app.transition(&admin, cid, "closed", None).await.status,
        StatusCode::OK
    );
    let r = app
        .call(
            "POST",
            &format!("/api/contests/{cid}/results/confirm"),
            Some(&admin),
            Some(json!({})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    // Confirmed, not published: the group learns no place, the juror of an anonymised contest no group.
    let juror = download_name(&app, &video, &c.jurors[0].1).await;
    assert!(juror.contains("filename=\"video-1.mp4\""), "{juror}");
    let group = download_name(&app, &video, lotus).await;
    assert!(group.contains("filename=\"lotus-video-1.mp4\""), "{group}");
    let own = download_name(&app, &video, &admin).await;
    assert!(own.contains("filename=\"1-lotus-video-1.mp4\""), "{own}");
    assert_eq!(
        app.transition(&admin, cid, "published", None).await.status,
        StatusCode::OK
    );
    let group = download_name(&app, &video, lotus).await;
    assert!(
        group.contains("filename=\"1-lotus-video-1.mp4\""),
        "{group}"
    );
}
