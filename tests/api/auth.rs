use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{
    ADMIN_EMAIL, ADMIN_PASSWORD, session_cookie_value, spawn_app, spawn_app_with,
};

#[tokio::test]
async fn first_admin_is_created_through_the_one_time_setup_link_and_signed_in() {
    let app = spawn_app().await;
    let link = clipjury_service::auth::setup_link_if_needed(&app.services)
        .await
        .unwrap()
        .expect("no admin yet");
    let token = link.split("token=").nth(1).unwrap();

    let wrong = app
        .call(
            "POST",
            "/api/auth/setup",
            None,
            Some(json!({"token": "nope", "email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})),
        )
        .await;
    assert_eq!(
        (wrong.status, wrong.code()),
        (StatusCode::FORBIDDEN, "setup-token-invalid")
    );

    let res = app
        .client
        .post(app.url("/api/auth/setup"))
        .json(&json!({"token": token, "email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let me: serde_json::Value = app
        .client
        .get(app.url("/api/auth/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["role"], "admin");

    let again = app
        .call(
            "POST",
            "/api/auth/setup",
            None,
            Some(json!({"token": token, "email": "x@example.org", "password": ADMIN_PASSWORD})),
        )
        .await;
    assert_eq!(
        (again.status, again.code()),
        (StatusCode::CONFLICT, "setup-done")
    );
    assert!(
        clipjury_service::auth::setup_link_if_needed(&app.services)
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn login_sets_an_httponly_lax_cookie_and_logout_clears_it() {
    let app = spawn_app().await;
    app.admin_token().await;
    let res = app
        .client
        .post(app.url("/api/auth/login"))
        .json(&json!({"email": "  ADMIN@example.org ", "password": ADMIN_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let cookie = res
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(session_cookie_value(&res).is_some());

    let me = app
        .client
        .get(app.url("/api/auth/me"))
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), StatusCode::OK);
    // A browser names the page's origin on every POST; the session cookie alone is not enough.
    let out = app
        .client
        .post(app.url("/api/auth/logout"))
        .header("Origin", &app.address)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    let me = app
        .client
        .get(app.url("/api/auth/me"))
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn wrong_password_and_unknown_email_get_the_same_answer() {
    let app = spawn_app().await;
    app.admin_token().await;
    for (email, password) in [
        (ADMIN_EMAIL, "wrong password!!"),
        ("nobody@example.org", ADMIN_PASSWORD),
    ] {
        let r = app
            .call(
                "POST",
                "/api/auth/login",
                None,
                Some(json!({"email": email, "password": password})),
            )
            .await;
        assert_eq!(
            (r.status, r.code()),
            (StatusCode::UNAUTHORIZED, "login-failed")
        );
    }
}

#[tokio::test]
async fn the_eleventh_login_attempt_from_one_address_in_a_minute_is_rate_limited() {
    let app = spawn_app_with(|s| s.auth.login_attempts_per_minute = 10).await;
    app.admin_token().await; // one attempt used
    for i in 0..9 {
        let r = app
            .call(
                "POST",
                "/api/auth/login",
                None,
                Some(json!({"email": format!("guess{i}@example.org"), "password": "wrong password!!"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    let r = app
        .call(
            "POST",
            "/api/auth/login",
            None,
            Some(json!({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::TOO_MANY_REQUESTS, "rate-limited")
    );
    assert!(r.headers.get("retry-after").is_some());
}

/// A login from `client` behind the trusted proxy on loopback.
async fn login_via_proxy(
    app: &crate::helpers::TestApp,
    client: &str,
    password: &str,
) -> (StatusCode, std::time::Duration) {
    let started = std::time::Instant::now();
    let res = reqwest::Client::new()
        .post(app.url("/api/auth/login"))
        .header("X-Forwarded-For", client)
        .json(&json!({"email": ADMIN_EMAIL, "password": password}))
        .send()
        .await
        .unwrap();
    (res.status(), started.elapsed())
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_client_has_its_own_bucket_and_failures_slow_an_account_without_locking_it()
 {
    let app = spawn_app_with(|s| {
        s.auth.login_attempts_per_minute = 3;
        s.server.trusted_proxies = vec!["127.0.0.1".into()];
    })
    .await;
    app.admin_token().await;
    // Five guesses from five addresses: no address runs out, and the account is not yet slowed.
    for i in 1..=5 {
        let (status, took) =
            login_via_proxy(&app, &format!("198.51.100.{i}"), "wrong password!!").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert!(
            took < std::time::Duration::from_millis(900),
            "attempt {i} took {took:?}"
        );
    }
    // The sixth waits, and the owner with the right password still gets in (slowed, never locked out).
    let (status, took) = login_via_proxy(&app, "203.0.113.7", ADMIN_PASSWORD).await;
    assert_eq!(status, StatusCode::OK);
    assert!(took >= std::time::Duration::from_secs(1), "took {took:?}");
    // The success forgets the failures.
    let (status, took) = login_via_proxy(&app, "203.0.113.8", ADMIN_PASSWORD).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        took < std::time::Duration::from_millis(900),
        "took {took:?}"
    );
    // One address's bucket: three attempts a minute.
    for _ in 0..2 {
        login_via_proxy(&app, "192.0.2.50", "wrong password!!").await;
    }
    let (status, _) = login_via_proxy(&app, "192.0.2.50", "wrong password!!").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = login_via_proxy(&app, "192.0.2.50", ADMIN_PASSWORD).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn without_a_trusted_proxy_a_forged_forwarded_for_changes_nothing() {
    let app = spawn_app_with(|s| s.auth.login_attempts_per_minute = 2).await;
    app.admin_token().await;
    let (status, _) = login_via_proxy(&app, "198.51.100.1", "wrong password!!").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // Another claimed address, but the same real one: its bucket is empty.
    let (status, _) = login_via_proxy(&app, "198.51.100.2", ADMIN_PASSWORD).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
}

fn forge(header: &serde_json::Value, claims: &serde_json::Value, secret: Option<&[u8]>) -> String {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let signing_input = format!(
        "{}.{}",
        b64.encode(header.to_string()),
        b64.encode(claims.to_string())
    );
    let signature = match secret {
        None => String::new(),
        Some(key) => {
            use hmac::Mac as _;
            let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(key).unwrap();
            mac.update(signing_input.as_bytes());
            b64.encode(mac.finalize().into_bytes())
        }
    };
    format!("{signing_input}.{signature}")
}

#[tokio::test]
async fn forged_expired_and_alg_none_tokens_are_refused() {
    let secret = "a-test-secret-that-is-long-enough-32b";
    let app = spawn_app_with(|s| s.auth.jwt_secret = Some(secret.into())).await;
    let admin = app.admin_token().await;
    assert_eq!(
        app.call("GET", "/api/auth/me", Some(&admin), None)
            .await
            .status,
        StatusCode::OK
    );
    let me = app
        .call("GET", "/api/auth/me", Some(&admin), None)
        .await
        .body;
    let now = chrono::Utc::now().timestamp();
    let claims = json!({"sub": me["subject_id"], "role": "admin", "iat": now, "exp": now + 3600});
    let hs256 = json!({"alg": "HS256", "typ": "JWT"});

    let genuine = forge(&hs256, &claims, Some(secret.as_bytes()));
    assert_eq!(
        app.call("GET", "/api/auth/me", Some(&genuine), None)
            .await
            .status,
        StatusCode::OK,
        "forging helper is right"
    );

    let cases = [
        (
            "other secret",
            forge(&hs256, &claims, Some(b"another-secret-another-secret-123")),
            "session-invalid",
        ),
        (
            "alg none",
            forge(&json!({"alg": "none", "typ": "JWT"}), &claims, None),
            "session-invalid",
        ),
        (
            "expired",
            forge(
                &hs256,
                &json!({"sub": me["subject_id"], "role": "admin", "iat": now - 7200, "exp": now - 3600}),
                Some(secret.as_bytes()),
            ),
            "session-expired",
        ),
        ("garbage", "not.a.token".to_owned(), "session-invalid"),
        (
            "juror claim without contest",
            forge(
                &hs256,
                &json!({"sub": me["subject_id"], "role": "juror", "iat": now, "exp": now + 3600}),
                Some(secret.as_bytes()),
            ),
            "session-invalid",
        ),
    ];
    for (what, token, code) in cases {
        let r = app.call("GET", "/api/auth/me", Some(&token), None).await;
        assert_eq!(
            (r.status, r.code()),
            (StatusCode::UNAUTHORIZED, code),
            "{what}"
        );
    }
}
