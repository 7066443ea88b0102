//! What the admin console learns about the address phones use, and the live upload progress on its board.

use reqwest::StatusCode;

use crate::helpers::{spawn_app, spawn_app_with, test_bytes};

#[tokio::test]
async fn the_room_endpoint_flags_a_loopback_public_url_once_participants_exist() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let r = app.call("GET", "/api/room", Some(&admin), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["public_url"], "http://127.0.0.1:0");
    assert_eq!(r.body["loopback"], true);
    assert_eq!(r.body["participants"], 0);

    let a = app.create_contest(&admin, "Room").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.add_participant(&admin, &a, "group", "G1").await;
    app.add_participant(&admin, &a, "juror", "J1").await;
    // Another admin's participants are not counted, and that admin sees none.
    let other = app.other_admin_token().await;
    let b = app.create_contest(&other, "Elsewhere").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.add_participant(&other, &b, "group", "G2").await;
    let r = app.call("GET", "/api/room", Some(&admin), None).await;
    assert_eq!(r.body["participants"], 2);
    let r = app.call("GET", "/api/room", Some(&other), None).await;
    assert_eq!(r.body["participants"], 1);

    let r = app.call("GET", "/api/room", None, None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn invite_links_use_the_lan_public_url() {
    let app =
        spawn_app_with(|s| s.server.public_url = Some("http://192.168.1.23:8080".into())).await;
    let admin = app.admin_token().await;
    let r = app.call("GET", "/api/room", Some(&admin), None).await;
    assert_eq!(r.body["public_url"], "http://192.168.1.23:8080");
    assert_eq!(r.body["loopback"], false);
    let id = app.create_contest(&admin, "Room").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.add_participant(&admin, &id, "group", "G1").await;
    let path = format!("/api/contests/{id}/participants");
    let r = app.call("GET", &path, Some(&admin), None).await;
    let url = r.body[0]["invite"]["url"].as_str().unwrap();
    assert!(url.starts_with("http://192.168.1.23:8080/i/"), "{url}");
}

#[tokio::test]
async fn the_board_sees_how_far_an_unfinished_upload_got() {
    let app = spawn_app().await;
    let c = app.open_contest_with_group().await;
    let data = test_bytes(400_000, 3);
    let loc = app.create_upload(&c.group, data.len()).await;
    let progress = |subs: serde_json::Value| subs[0]["upload_progress"].clone();
    let path = format!("/api/contests/{}/submissions", c.contest_id);

    let subs = app.call("GET", &path, Some(&c.admin), None).await.body;
    assert_eq!(subs[0]["status"], "uploading");
    assert_eq!(progress(subs)["received_bytes"], 0);
    let res = app.patch_upload(&c.group, &loc, 0, &data[..100_000]).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let subs = app.call("GET", &path, Some(&c.admin), None).await.body;
    assert_eq!(progress(subs.clone())["received_bytes"], 100_000);
    assert_eq!(progress(subs)["total_bytes"], 400_000);

    let res = app
        .patch_upload(&c.group, &loc, 100_000, &data[100_000..])
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let subs = app.call("GET", &path, Some(&c.admin), None).await.body;
    assert_eq!(subs[0]["status"], "processing");
    assert!(
        progress(subs).is_null(),
        "a finished upload has no progress"
    );
}
