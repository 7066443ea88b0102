use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait as _, ColumnTrait as _, EntityTrait as _, QueryFilter as _, Set};
use serde_json::json;

use crate::helpers::spawn_app;

#[tokio::test]
async fn redeeming_an_invite_gives_a_session_scoped_to_its_contest_and_role() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let contest = app.create_contest(&admin, "Gender & ICT").await;
    let cid = contest["id"].as_str().unwrap();
    let (pid, token) = app.add_participant(&admin, cid, "group", "Group 1").await;

    let r = app
        .call(
            "POST",
            "/api/invites/redeem",
            None,
            Some(json!({"token": token})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["role"], "group");
    assert_eq!(r.body["contest_title"], "Gender & ICT");

    let session = app.redeem(&token).await;
    let me = app.call("GET", "/api/auth/me", Some(&session), None).await;
    assert_eq!(me.body["role"], "group");
    assert_eq!(me.body["subject_id"], pid.as_str());
    assert_eq!(me.body["contest_id"], cid);
    let brief = app
        .call("GET", &format!("/api/contests/{cid}"), Some(&session), None)
        .await;
    assert_eq!(brief.status, StatusCode::OK);
    assert_eq!(brief.body["key_messages"], json!(["Respect women equally"]));
    assert!(
        brief.body.get("ranking_method").is_none(),
        "groups do not see admin settings"
    );
}

#[tokio::test]
async fn unknown_expired_and_revoked_invites_are_refused() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let cid = app.create_contest(&admin, "C").await["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let r = app
        .call(
            "POST",
            "/api/invites/redeem",
            None,
            Some(json!({"token": "AAAAAAAAAAAAAAAAAAAAAA"})),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::NOT_FOUND, "invite-invalid")
    );

    let (_, expiring) = app.add_participant(&admin, &cid, "juror", "Juror A").await;
    let row = clipjury_db::entities::invite::Entity::find()
        .filter(clipjury_db::entities::invite::Column::TokenHash.eq(sha256_hex(&expiring)))
        .one(app.services.db())
        .await
        .unwrap()
        .unwrap();
    let mut row: clipjury_db::entities::invite::ActiveModel = row.into();
    row.expires_at = Set(chrono::Utc::now() - chrono::Duration::minutes(1));
    row.update(app.services.db()).await.unwrap();
    let r = app
        .call(
            "POST",
            "/api/invites/redeem",
            None,
            Some(json!({"token": expiring})),
        )
        .await;
    assert_eq!((r.status, r.code()), (StatusCode::GONE, "invite-expired"));

    let (pid, token) = app.add_participant(&admin, &cid, "group", "Group 1").await;
    let session = app.redeem(&token).await;
    let revoke = app
        .call(
            "DELETE",
            &format!("/api/contests/{cid}/participants/{pid}/invite"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(revoke.status, StatusCode::NO_CONTENT);
    let r = app
        .call(
            "POST",
            "/api/invites/redeem",
            None,
            Some(json!({"token": token})),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::NOT_FOUND, "invite-invalid")
    );
    let me = app.call("GET", "/api/auth/me", Some(&session), None).await;
    assert_eq!(
        (me.status, me.code()),
        (StatusCode::UNAUTHORIZED, "session-revoked"),
        "revoking ends open sessions"
    );
    let list = app
        .call(
            "GET",
            &format!("/api/contests/{cid}/participants?role=group"),
            Some(&admin),
            None,
        )
        .await;
    assert!(list.body[0]["invite"].is_null());
}

#[tokio::test]
async fn regenerating_an_invite_replaces_the_link_and_ends_old_sessions() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let cid = app.create_contest(&admin, "C").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (pid, old) = app.add_participant(&admin, &cid, "juror", "Juror A").await;
    let old_session = app.redeem(&old).await;
    let r = app
        .call(
            "POST",
            &format!("/api/contests/{cid}/participants/{pid}/invite"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let new = r.body["invite"]["token"].as_str().unwrap().to_owned();
    assert_ne!(new, old);
    assert_eq!(new.len(), 22, "128 bits in base64url");
    assert!(
        r.body["invite"]["url"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/i/{new}"))
    );
    assert_eq!(
        app.call(
            "POST",
            "/api/invites/redeem",
            None,
            Some(json!({"token": old}))
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.call("GET", "/api/auth/me", Some(&old_session), None)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    let fresh = app.redeem(&new).await;
    assert_eq!(
        app.call("GET", "/api/auth/me", Some(&fresh), None)
            .await
            .body["role"],
        "juror"
    );
}

#[tokio::test]
async fn invite_qr_codes_come_as_svg_and_png() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let cid = app.create_contest(&admin, "C").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (pid, _) = app.add_participant(&admin, &cid, "group", "Group 1").await;
    let client = reqwest::Client::new();
    let svg = client
        .get(app.url(&format!(
            "/api/contests/{cid}/participants/{pid}/invite/qr.svg"
        )))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(svg.headers()["content-type"], "image/svg+xml");
    assert!(svg.text().await.unwrap().contains("<svg"));
    let png = client
        .get(app.url(&format!(
            "/api/contests/{cid}/participants/{pid}/invite/qr.png"
        )))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(png.headers()["content-type"], "image/png");
    assert_eq!(&png.bytes().await.unwrap()[..8], b"\x89PNG\r\n\x1a\n");
}

#[tokio::test]
async fn participant_names_are_unique_per_contest_and_role() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let cid = app.create_contest(&admin, "C").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.add_participant(&admin, &cid, "group", "Group 1").await;
    let r = app
        .call(
            "POST",
            &format!("/api/contests/{cid}/participants"),
            Some(&admin),
            Some(json!({"role": "group", "name": " Group 1 "})),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::CONFLICT, "participant-name-taken")
    );
    app.add_participant(&admin, &cid, "juror", "Group 1").await;
    let r = app
        .call(
            "POST",
            &format!("/api/contests/{cid}/participants"),
            Some(&admin),
            Some(json!({"role": "admin", "name": "X"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}

/// What the invites table keeps of a token: its SHA-256, hex.
fn sha256_hex(token: &str) -> String {
    use sha2::Digest as _;
    sha2::Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
