//! Upload rules around the protocol: deadlines and grace, quotas, the submission form, the multipart fallback and
//! the consent photo.

use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait as _, EntityTrait as _, IntoActiveModel as _, Set};
use serde_json::json;

use crate::helpers::{spawn_app, spawn_app_with, test_bytes};
use crate::uploads::files_left;

#[tokio::test]
async fn uploads_close_at_the_deadline_but_started_ones_may_finish_within_the_grace_period() {
    let app = spawn_app().await;
    let c = app.open_contest_with_group().await;
    let loc = app.create_upload(&c.group, 30).await;
    app.patch_upload(&c.group, &loc, 0, &[1; 10]).await;
    set_deadline(&app, &c.contest_id, &loc, 1).await;
    let r = app
        .tus(
            "POST",
            "/api/uploads",
            Some(&c.group),
            &[("Upload-Length", "10")],
            None,
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        r.json::<serde_json::Value>().await.unwrap()["code"],
        "uploads-closed"
    );
    assert_eq!(
        app.patch_upload(&c.group, &loc, 10, &[1; 10])
            .await
            .status(),
        StatusCode::NO_CONTENT,
        "within grace"
    );
    set_deadline(&app, &c.contest_id, &loc, 31).await;
    assert_eq!(
        app.patch_upload(&c.group, &loc, 20, &[1; 10])
            .await
            .status(),
        StatusCode::FORBIDDEN,
        "grace over"
    );
}

#[tokio::test]
async fn uploads_need_an_open_contest_and_a_saved_form() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let cid = app.create_contest(&admin, "Draft").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (_, invite) = app.add_participant(&admin, &cid, "group", "G").await;
    let group = app.redeem(&invite).await;
    let r = app
        .call(
            "PUT",
            &format!("/api/contests/{cid}/submission"),
            Some(&group),
            Some(json!({"title": "t", "key_message": "k", "consent_confirmed": true})),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::FORBIDDEN, "uploads-closed")
    );
    app.transition(&admin, &cid, "open", None).await;
    let r = app
        .tus(
            "POST",
            "/api/uploads",
            Some(&group),
            &[("Upload-Length", "10")],
            None,
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT, "no submission form yet");
    let r = app
        .call(
            "PUT",
            &format!("/api/contests/{cid}/submission"),
            Some(&group),
            Some(json!({"title": "t", "key_message": "k", "consent_confirmed": false})),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::BAD_REQUEST, "consent-required")
    );
}

#[tokio::test]
async fn the_group_quota_is_enforced_before_any_byte() {
    let app = spawn_app_with(|s| s.uploads.group_quota_bytes = 1500).await;
    let c = app.open_contest_with_group().await;
    app.create_upload(&c.group, 1000).await;
    let r = app
        .tus(
            "POST",
            "/api/uploads",
            Some(&c.group),
            &[("Upload-Length", "600")],
            None,
        )
        .await;
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        r.json::<serde_json::Value>().await.unwrap()["code"],
        "quota-exceeded"
    );
}

#[tokio::test]
async fn multipart_fallback_gives_the_same_result_and_the_same_limits() {
    let app = spawn_app().await;
    let c = app.open_contest_with_group().await;
    let data = test_bytes(40_000, 4);
    let form = reqwest::multipart::Form::new()
        .text("note", "ignored")
        .part(
            "video",
            reqwest::multipart::Part::bytes(data.clone())
                .file_name("phone.mp4")
                .mime_str("video/mp4")
                .unwrap(),
        );
    let res = reqwest::Client::new()
        .post(app.url(&format!("/api/contests/{}/submission/video", c.contest_id)))
        .bearer_auth(&c.group)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["status"], "processing");
    assert_eq!(body["latest_video"]["source_bytes"], 40_000);
    assert_eq!(body["latest_video"]["original_filename"], "phone.mp4");
    let sid = body["id"].as_str().unwrap();
    let got = reqwest::Client::new()
        .get(app.url(&format!(
            "/api/contests/{}/submissions/{sid}/original",
            c.contest_id
        )))
        .bearer_auth(&c.admin)
        .send()
        .await
        .unwrap();
    assert_eq!(got.bytes().await.unwrap().as_ref(), data.as_slice());

    let small = spawn_app_with(|s| s.contest_defaults.max_upload_bytes = 1_000_000).await;
    let c2 = small.open_contest_with_group().await;
    let form = reqwest::multipart::Form::new().part(
        "video",
        reqwest::multipart::Part::bytes(vec![0u8; 1_100_000]).file_name("big.mp4"),
    );
    let res = reqwest::Client::new()
        .post(small.url(&format!("/api/contests/{}/submission/video", c2.contest_id)))
        .bearer_auth(&c2.group)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        files_left(&small, "uploads/").await,
        0,
        "a file past the limit leaves nothing behind"
    );
    let form = reqwest::multipart::Form::new().text("other", "x");
    let res = reqwest::Client::new()
        .post(app.url(&format!("/api/contests/{}/submission/video", c.contest_id)))
        .bearer_auth(&c.group)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_multipart_body_that_is_not_a_form_or_ends_early_is_refused_and_stores_nothing() {
    let app = spawn_app().await;
    let c = app.open_contest_with_group().await;
    let path = format!("/api/contests/{}/submission/video", c.contest_id);
    let send = |content_type: &'static str, body: Vec<u8>| {
        reqwest::Client::new()
            .post(app.url(&path))
            .bearer_auth(&c.group)
            .header("content-type", content_type)
            .body(body)
            .send()
    };
    let code = |r: reqwest::Response| async move {
        let status = r.status();
        let body: serde_json::Value = r.json().await.unwrap();
        (status, body["code"].as_str().unwrap_or("").to_owned())
    };
    let head =
        b"--b0undary\r\nContent-Disposition: form-data; name=\"video\"; filename=\"v.mp4\"\r\n\r\n";
    let mut cut_short = head.to_vec();
    cut_short.extend_from_slice(&test_bytes(30_000, 7));
    let mut big_field =
        b"--b0undary\r\nContent-Disposition: form-data; name=\"notes\"\r\n\r\n".to_vec();
    big_field.extend_from_slice(&vec![b'n'; 1_200_000]);

    let cases = [
        (
            "application/octet-stream",
            cut_short.clone(),
            StatusCode::BAD_REQUEST,
            "invalid-multipart",
        ),
        (
            "multipart/form-data",
            cut_short.clone(),
            StatusCode::BAD_REQUEST,
            "invalid-multipart",
        ),
        (
            "multipart/form-data; boundary=b0undary",
            cut_short,
            StatusCode::CONFLICT,
            "upload-interrupted",
        ),
        (
            "multipart/form-data; boundary=b0undary",
            b"no boundary here".to_vec(),
            StatusCode::CONFLICT,
            "upload-interrupted",
        ),
        (
            "multipart/form-data; boundary=b0undary",
            big_field,
            StatusCode::PAYLOAD_TOO_LARGE,
            "form-fields-too-large",
        ),
    ];
    for (content_type, body, status, expected) in cases {
        let got = code(send(content_type, body).await.unwrap()).await;
        assert_eq!(got, (status, expected.to_owned()), "{content_type}");
    }
    let own = app.own_submission(&c.group, &c.contest_id).await;
    assert!(own["latest_video"].is_null(), "{own}");
    assert_eq!(files_left(&app, "uploads/").await, 0);
}

#[tokio::test]
async fn a_consent_photo_is_stored_privately_and_only_images_are_accepted() {
    let app = spawn_app().await;
    let c = app.open_contest_with_group().await;
    let other = app.another_group(&c.admin, &c.contest_id, "Group 2").await;
    let path = format!("/api/contests/{}/submission/consent-photo", c.contest_id);
    let send = |token: String, bytes: Vec<u8>| {
        let form = reqwest::multipart::Form::new().part(
            "photo",
            reqwest::multipart::Part::bytes(bytes).file_name("form.jpg"),
        );
        reqwest::Client::new()
            .put(app.url(&path))
            .bearer_auth(token)
            .multipart(form)
            .send()
    };
    let r = send(c.group.clone(), b"%PDF-1.4 not a photo".to_vec())
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let jpeg = [&[0xFF, 0xD8, 0xFF, 0xE0][..], &test_bytes(5000, 9)].concat();
    let r = send(c.group.clone(), jpeg.clone()).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["has_consent_photo"], true);
    let own = reqwest::Client::new()
        .get(app.url(&path))
        .bearer_auth(&c.group)
        .send()
        .await
        .unwrap();
    assert_eq!(own.headers()["content-type"], "image/jpeg");
    assert_eq!(own.bytes().await.unwrap().as_ref(), jpeg.as_slice());
    let sid = body["id"].as_str().unwrap();
    let admin_path = format!(
        "/api/contests/{}/submissions/{sid}/consent-photo",
        c.contest_id
    );
    assert_eq!(
        app.call("GET", &admin_path, Some(&c.admin), None)
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        app.call("GET", &admin_path, Some(&other), None)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.call("GET", &path, Some(&other), None).await.status,
        StatusCode::NOT_FOUND,
        "group 2 has none"
    );
    let big = [&[0xFF, 0xD8, 0xFF, 0xE0][..], &vec![0u8; 11 * 1024 * 1024]].concat();
    assert_eq!(
        send(c.group.clone(), big).await.unwrap().status(),
        StatusCode::PAYLOAD_TOO_LARGE
    );
    assert_eq!(
        files_left(&app, "consent/").await,
        1,
        "a photo past the limit leaves nothing behind; the first one stays"
    );
}

/// Moves the contest's upload deadline `minutes_ago` into the past and the upload's start 10 minutes before it.
async fn set_deadline(
    app: &crate::helpers::TestApp,
    contest_id: &str,
    upload_path: &str,
    minutes_ago: i64,
) {
    let deadline = chrono::Utc::now() - chrono::Duration::minutes(minutes_ago);
    let up = clipjury_db::entities::upload::Entity::find_by_id(
        upload_path.trim_start_matches("/api/uploads/").to_owned(),
    )
    .one(app.services.db())
    .await
    .unwrap()
    .unwrap();
    let mut up = up.into_active_model();
    up.created_at = Set(deadline - chrono::Duration::minutes(10));
    up.update(app.services.db()).await.unwrap();
    let id: uuid::Uuid = contest_id.parse().unwrap();
    let row = clipjury_db::entities::contest::Entity::find_by_id(id)
        .one(app.services.db())
        .await
        .unwrap()
        .unwrap();
    let mut row = row.into_active_model();
    row.upload_deadline = Set(Some(deadline));
    row.update(app.services.db()).await.unwrap();
}
