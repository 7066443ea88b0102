//! Abuse limits: tiny tus PATCHes, parallel uploads against the quota, replacements that no longer count, the
//! admin's reset, a whole-file upload that reserves its quota before its first byte.

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{TestApp, spawn_app_with, test_bytes};

const MB: u64 = 1_000_000;

/// Sends `bytes` as the `video` field of a multipart form; returns the status and body.
async fn upload_whole(
    app: &TestApp,
    group: &str,
    contest_id: &str,
    bytes: Vec<u8>,
) -> (StatusCode, Value) {
    let form = reqwest::multipart::Form::new().part(
        "video",
        reqwest::multipart::Part::bytes(bytes).file_name("clip.mp4"),
    );
    let res = reqwest::Client::new()
        .post(app.url(&format!("/api/contests/{contest_id}/submission/video")))
        .bearer_auth(group)
        .multipart(form)
        .send()
        .await
        .unwrap();
    (res.status(), res.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn ten_thousand_one_byte_patches_are_refused_after_a_few_dozen() {
    let app = spawn_app_with(|_| {}).await;
    let c = app.open_contest_with_group().await;
    let loc = app.create_upload(&c.group, 10_000).await;
    let mut accepted = 0;
    let mut refused = 0;
    for offset in 0..10_000usize {
        let r = app.patch_upload(&c.group, &loc, accepted, &[7]).await;
        if r.status() == StatusCode::NO_CONTENT {
            accepted += 1;
            assert_eq!(refused, 0, "a PATCH was accepted after a refusal");
            continue;
        }
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "at {offset}");
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["code"], "upload-too-fragmented");
        refused += 1;
        if refused == 20 {
            break;
        }
    }
    assert_eq!(accepted as u64, clipjury_service::uploads::MAX_SMALL_PARTS);
    // The client can still give up and start again.
    let r = app.tus("DELETE", &loc, Some(&c.group), &[], None).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn eight_parallel_maximum_size_uploads_stay_within_the_quota() {
    let app = spawn_app_with(|s| {
        s.contest_defaults.max_upload_bytes = 10 * MB;
        s.uploads.group_quota_bytes = 30 * MB;
    })
    .await;
    let c = app.open_contest_with_group().await;
    let creations = (0..8).map(|_| {
        app.tus(
            "POST",
            "/api/uploads",
            Some(&c.group),
            &[("Upload-Length", "10000000")],
            None,
        )
    });
    let statuses: Vec<StatusCode> = futures_util::future::join_all(creations)
        .await
        .iter()
        .map(reqwest::Response::status)
        .collect();
    let created = statuses
        .iter()
        .filter(|s| **s == StatusCode::CREATED)
        .count();
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::PAYLOAD_TOO_LARGE)
        .count();
    assert_eq!((created, refused), (3, 5), "{statuses:?}");
}

#[tokio::test]
async fn a_whole_file_upload_holds_its_quota_while_it_streams() {
    let app = spawn_app_with(|s| {
        s.contest_defaults.max_upload_bytes = 2 * MB;
        s.uploads.group_quota_bytes = 3 * MB;
    })
    .await;
    let c = app.open_contest_with_group().await;
    // A slow body: the first half, then nothing until the test lets the rest go.
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Vec<u8>, std::io::Error>>(4);
    let boundary = "b0undary";
    let head = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"video\"; filename=\"v.mp4\"\r\n\r\n"
    );
    let data = test_bytes(2 * MB as usize, 3);
    let tail = format!("\r\n--{boundary}--\r\n");
    let len = head.len() + data.len() + tail.len();
    let body = reqwest::Body::wrap_stream(tokio_stream_from(rx));
    let url = app.url(&format!("/api/contests/{}/submission/video", c.contest_id));
    let group = c.group.clone();
    let upload = tokio::spawn(async move {
        reqwest::Client::new()
            .post(url)
            .bearer_auth(group)
            .header(
                "Content-Type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .header("Content-Length", len)
            .body(body)
            .send()
            .await
            .unwrap()
            .status()
    });
    tx.send(Ok(head.into_bytes())).await.unwrap();
    tx.send(Ok(data[..MB as usize].to_vec())).await.unwrap();
    // While it streams, 2 MB of the 3 MB quota are taken: another 2 MB upload does not fit.
    let mut reserved = false;
    for _ in 0..100 {
        if app.own_submission(&c.group, &c.contest_id).await["pending_upload_id"].is_string() {
            reserved = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(reserved, "the streaming upload never showed as pending");
    let r = app
        .tus(
            "POST",
            "/api/uploads",
            Some(&c.group),
            &[("Upload-Length", "2000000")],
            None,
        )
        .await;
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let r = app
        .tus(
            "POST",
            "/api/uploads",
            Some(&c.group),
            &[("Upload-Length", "900000")],
            None,
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let loc = r.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(
        app.tus("DELETE", &loc, Some(&c.group), &[], None)
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    tx.send(Ok(data[MB as usize..].to_vec())).await.unwrap();
    tx.send(Ok(tail.into_bytes())).await.unwrap();
    drop(tx);
    assert_eq!(upload.await.unwrap(), StatusCode::OK);
}

/// A stream over a channel's receiver.
fn tokio_stream_from(
    mut rx: tokio::sync::mpsc::Receiver<Result<Vec<u8>, std::io::Error>>,
) -> impl futures_util::Stream<Item = Result<Vec<u8>, std::io::Error>> {
    futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx))
}

#[tokio::test]
async fn a_fifth_replacement_still_uploads_because_superseded_videos_do_not_count() {
    let app = spawn_app_with(|s| {
        s.contest_defaults.max_upload_bytes = MB;
        s.uploads.group_quota_bytes = 5 * MB / 2;
    })
    .await;
    let c = app.open_contest_with_group().await;
    for i in 0..5 {
        let (status, body) = upload_whole(
            &app,
            &c.group,
            &c.contest_id,
            test_bytes(MB as usize - 1000, i),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "upload {}: {body}", i + 1);
    }
}

#[tokio::test]
async fn an_admin_frees_a_group_stuck_at_its_quota() {
    let app = spawn_app_with(|s| {
        s.contest_defaults.max_upload_bytes = 2 * MB;
        s.uploads.group_quota_bytes = 2 * MB;
    })
    .await;
    let c = app.open_contest_with_group().await;
    app.create_upload(&c.group, 2 * MB as usize).await;
    let r = app
        .tus(
            "POST",
            "/api/uploads",
            Some(&c.group),
            &[("Upload-Length", "1000")],
            None,
        )
        .await;
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let path = format!(
        "/api/contests/{}/participants/{}/uploads/reset",
        c.contest_id, c.group_id
    );
    let r = app.call("POST", &path, Some(&c.group), None).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "groups cannot reset");
    let r = app.call("POST", &path, Some(&c.admin), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["uploads"], 1);
    assert_eq!(r.body["remaining_bytes"], 2 * MB);
    let r = app
        .tus(
            "POST",
            "/api/uploads",
            Some(&c.group),
            &[("Upload-Length", "1000")],
            None,
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let audit = app
        .call(
            "GET",
            &format!("/api/contests/{}/audit", c.contest_id),
            Some(&c.admin),
            None,
        )
        .await;
    assert!(
        audit.body.to_string().contains("uploads.reset"),
        "{}",
        audit.body
    );
}

#[tokio::test]
async fn originals_of_superseded_videos_are_deleted_after_the_grace_period() {
    use clipjury_db::entities::{upload_part, video};
    use sea_orm::{ColumnTrait as _, EntityTrait as _, QueryFilter as _, sea_query::Expr};
    let app = spawn_app_with(|_| {}).await;
    let c = app.open_contest_with_group().await;
    for i in 0..3 {
        let (status, body) =
            upload_whole(&app, &c.group, &c.contest_id, test_bytes(10_000, i)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let db = app.services.db();
    let parts = || async { upload_part::Entity::find().all(db).await.unwrap().len() };
    assert_eq!(parts().await, 3);
    // Within the grace period nothing goes.
    assert_eq!(
        clipjury_service::uploads::free_superseded_originals(&app.services)
            .await
            .unwrap(),
        0
    );
    let old =
        chrono::Utc::now() - clipjury_service::uploads::FREE_AFTER - chrono::Duration::hours(1);
    video::Entity::update_many()
        .col_expr(video::Column::CreatedAt, Expr::value(old))
        .col_expr(video::Column::UpdatedAt, Expr::value(old))
        .filter(video::Column::Status.ne("x"))
        .exec(db)
        .await
        .unwrap();
    assert_eq!(
        clipjury_service::uploads::free_superseded_originals(&app.services)
            .await
            .unwrap(),
        2
    );
    assert_eq!(parts().await, 1, "the latest video keeps its original");
}
