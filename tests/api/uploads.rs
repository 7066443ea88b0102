//! The tus 1.0.0 server: every status code of the protocol as used here, resumption and expiry.

use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait as _, EntityTrait as _, IntoActiveModel as _, Set};

use crate::helpers::{spawn_app, test_bytes};

fn header<'a>(res: &'a reqwest::Response, name: &str) -> &'a str {
    res.headers().get(name).map_or("", |v| v.to_str().unwrap())
}

/// Objects under `uploads/` in the app's store (a folder or an S3 bucket).
async fn stored_files(app: &crate::helpers::TestApp) -> usize {
    app.services.storage().list("uploads/").await.unwrap().len()
}

/// What a refused body may have left under `prefix`: in a local folder every file, the staging files of unfinished
/// objects included; in a bucket the objects listed.
pub(crate) async fn files_left(app: &crate::helpers::TestApp, prefix: &str) -> usize {
    fn count(dir: &std::path::Path) -> usize {
        std::fs::read_dir(dir).map_or(0, |entries| {
            entries
                .map(|e| e.unwrap().path())
                .map(|p| if p.is_dir() { count(&p) } else { 1 })
                .sum()
        })
    }
    if app.services.storage().kind() == "local" {
        count(&app.settings.media.dir.join(prefix))
    } else {
        app.services.storage().list(prefix).await.unwrap().len()
    }
}

#[tokio::test]
async fn options_advertises_version_extensions_max_size_and_checksums() {
    let app = spawn_app().await;
    let res = reqwest::Client::new()
        .request(reqwest::Method::OPTIONS, app.url("/api/uploads"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(header(&res, "tus-version"), "1.0.0");
    assert_eq!(header(&res, "tus-resumable"), "1.0.0");
    for ext in [
        "creation",
        "creation-with-upload",
        "termination",
        "expiration",
        "checksum",
    ] {
        assert!(
            header(&res, "tus-extension").split(',').any(|e| e == ext),
            "{ext}"
        );
    }
    assert_eq!(header(&res, "tus-max-size"), "500000000");
    assert_eq!(header(&res, "tus-checksum-algorithm"), "sha1,sha256");
}

#[tokio::test]
async fn an_upload_in_three_patches_completes_marks_processing_and_enqueues_one_job() {
    let app = spawn_app().await;
    let c = app.open_contest_with_group().await;
    let data = test_bytes(300_000, 1);
    let loc = app.create_upload(&c.group, data.len()).await;
    assert!(loc.starts_with("/api/uploads/"));
    let head = app.tus("HEAD", &loc, Some(&c.group), &[], None).await;
    assert_eq!(head.status(), StatusCode::OK);
    assert_eq!(header(&head, "upload-offset"), "0");
    assert_eq!(header(&head, "upload-length"), "300000");
    assert_eq!(header(&head, "cache-control"), "no-store");
    assert!(header(&head, "upload-expires").ends_with("GMT"));

    let sub = app.own_submission(&c.group, &c.contest_id).await;
    assert_eq!(sub["status"], "uploading");
    assert_eq!(
        sub["pending_upload_id"].as_str().unwrap(),
        loc.trim_start_matches("/api/uploads/")
    );

    let mut offset = 0;
    for chunk in data.chunks(100_000) {
        let res = app.patch_upload(&c.group, &loc, offset, chunk).await;
        assert_eq!(res.status(), StatusCode::NO_CONTENT);
        offset += chunk.len();
        assert_eq!(header(&res, "upload-offset"), offset.to_string());
        assert_eq!(header(&res, "tus-resumable"), "1.0.0");
    }
    let sub = app.own_submission(&c.group, &c.contest_id).await;
    assert_eq!(sub["status"], "processing");
    assert_eq!(sub["latest_video"]["original_filename"], "clip.mp4");
    assert!(
        sub["current_video"].is_null(),
        "nothing visible until processed"
    );
    let jobs = clipjury_db::repo::jobs::list_by_status(
        app.services.db(),
        clipjury_db::repo::jobs::JobStatus::Queued,
    )
    .await
    .unwrap();
    assert_eq!(jobs.len(), 1);
    assert_eq!(jobs[0].kind, "process_video");
    assert_eq!(jobs[0].payload["video_id"], sub["latest_video"]["id"]);

    // The admin downloads exactly the bytes sent, each received once.
    let sid = sub["id"].as_str().unwrap();
    let got = reqwest::Client::new()
        .get(app.url(&format!(
            "/api/contests/{}/submissions/{sid}/original",
            c.contest_id
        )))
        .bearer_auth(&c.admin)
        .send()
        .await
        .unwrap();
    assert_eq!(got.status(), StatusCode::OK);
    assert_eq!(got.bytes().await.unwrap().as_ref(), data.as_slice());
    let original = format!("/api/contests/{}/submissions/{sid}/original", c.contest_id);
    assert_eq!(
        app.call("GET", &original, Some(&c.group), None)
            .await
            .status,
        StatusCode::FORBIDDEN,
        "originals are for admins"
    );
    let upload = clipjury_db::repo::uploads::find(
        app.services.db(),
        loc.trim_start_matches("/api/uploads/"),
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(upload.bytes_received, 300_000);

    // A PATCH on a complete upload at its end is a no-op; anywhere else is an offset mismatch.
    assert_eq!(
        app.patch_upload(&c.group, &loc, 300_000, b"")
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.patch_upload(&c.group, &loc, 0, b"x").await.status(),
        StatusCode::CONFLICT
    );
}

#[tokio::test]
async fn protocol_errors_get_their_status_codes() {
    let app = spawn_app().await;
    let c = app.open_contest_with_group().await;
    let g = Some(c.group.as_str());

    let no_version = reqwest::Client::new()
        .post(app.url("/api/uploads"))
        .bearer_auth(&c.group)
        .header("Upload-Length", "10")
        .send()
        .await
        .unwrap();
    assert_eq!(no_version.status(), StatusCode::PRECONDITION_FAILED);
    assert_eq!(header(&no_version, "tus-version"), "1.0.0");

    let r = app.tus("POST", "/api/uploads", g, &[], None).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let r = app
        .tus(
            "POST",
            "/api/uploads",
            g,
            &[("Upload-Defer-Length", "1")],
            None,
        )
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        r.json::<serde_json::Value>().await.unwrap()["code"],
        "deferred-length-unsupported"
    );
    let r = app
        .tus("POST", "/api/uploads", g, &[("Upload-Length", "-5")], None)
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let r = app
        .tus("POST", "/api/uploads", g, &[("Upload-Length", "0")], None)
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let too_big = 500_000_001u64.to_string();
    let r = app
        .tus(
            "POST",
            "/api/uploads",
            g,
            &[("Upload-Length", &too_big)],
            None,
        )
        .await;
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        r.json::<serde_json::Value>().await.unwrap()["code"],
        "upload-too-large"
    );
    assert_eq!(
        stored_files(&app).await,
        0,
        "nothing stored for refused uploads"
    );

    let loc = app.create_upload(&c.group, 1000).await;
    let r = app
        .tus(
            "PATCH",
            &loc,
            g,
            &[
                ("Upload-Offset", "0"),
                ("Content-Type", "application/octet-stream"),
            ],
            Some(vec![1; 10]),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let r = app
        .tus(
            "PATCH",
            &loc,
            g,
            &[("Content-Type", "application/offset+octet-stream")],
            Some(vec![1; 10]),
        )
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let r = app.patch_upload(&c.group, &loc, 5, &[1; 10]).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert_eq!(
        r.json::<serde_json::Value>().await.unwrap()["code"],
        "offset-mismatch"
    );
    let r = app.patch_upload(&c.group, &loc, 0, &[1; 1001]).await;
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let head = app.tus("HEAD", &loc, g, &[], None).await;
    assert_eq!(
        header(&head, "upload-offset"),
        "0",
        "refused bodies store nothing"
    );
    let r = app
        .tus("HEAD", "/api/uploads/AAAAAAAAAAAAAAAAAAAAAA", g, &[], None)
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_part_that_runs_past_the_declared_length_leaves_nothing_behind() {
    let app = spawn_app().await;
    let c = app.open_contest_with_group().await;
    let loc = app.create_upload(&c.group, 3_000_000).await;
    // Arrives in many chunks: the first ones are written before the last passes the length.
    let r = app
        .patch_upload(&c.group, &loc, 0, &test_bytes(3_000_001, 3))
        .await;
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        r.json::<serde_json::Value>().await.unwrap()["code"],
        "upload-exceeds-length"
    );
    assert_eq!(files_left(&app, "uploads/").await, 0);
    let head = app.tus("HEAD", &loc, Some(&c.group), &[], None).await;
    assert_eq!(header(&head, "upload-offset"), "0");
}

#[tokio::test]
async fn checksums_are_verified_and_a_mismatch_stores_nothing() {
    use base64::Engine as _;
    use sha2::Digest as _;
    let app = spawn_app().await;
    let c = app.open_contest_with_group().await;
    let loc = app.create_upload(&c.group, 20).await;
    let part = b"0123456789";
    let good = format!(
        "sha256 {}",
        base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(part))
    );
    let bad = format!(
        "sha256 {}",
        base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(b"other"))
    );
    let ct = ("Content-Type", "application/offset+octet-stream");
    let r = app
        .tus(
            "PATCH",
            &loc,
            Some(&c.group),
            &[("Upload-Offset", "0"), ct, ("Upload-Checksum", &bad)],
            Some(part.to_vec()),
        )
        .await;
    assert_eq!(r.status().as_u16(), 460);
    assert_eq!(
        files_left(&app, "uploads/").await,
        0,
        "a mismatched part is removed"
    );
    let r = app
        .tus(
            "PATCH",
            &loc,
            Some(&c.group),
            &[("Upload-Offset", "0"), ct, ("Upload-Checksum", "md5 AAAA")],
            Some(part.to_vec()),
        )
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        header(
            &app.tus("HEAD", &loc, Some(&c.group), &[], None).await,
            "upload-offset"
        ),
        "0"
    );
    let r = app
        .tus(
            "PATCH",
            &loc,
            Some(&c.group),
            &[("Upload-Offset", "0"), ct, ("Upload-Checksum", &good)],
            Some(part.to_vec()),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(header(&r, "upload-offset"), "10");
}

#[tokio::test]
async fn creation_with_upload_stores_the_first_bytes_at_once() {
    let app = spawn_app().await;
    let c = app.open_contest_with_group().await;
    let r = app
        .tus(
            "POST",
            "/api/uploads",
            Some(&c.group),
            &[
                ("Upload-Length", "8"),
                ("Content-Type", "application/offset+octet-stream"),
            ],
            Some(b"abcd".to_vec()),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(header(&r, "upload-offset"), "4");
    let loc = header(&r, "location").to_owned();
    let r = app.patch_upload(&c.group, &loc, 4, b"efgh").await;
    assert_eq!(header(&r, "upload-offset"), "8");
}

#[tokio::test]
async fn termination_deletes_the_upload_and_its_bytes() {
    let app = spawn_app().await;
    let c = app.open_contest_with_group().await;
    let loc = app.create_upload(&c.group, 1000).await;
    app.patch_upload(&c.group, &loc, 0, &[7; 500]).await;
    assert_eq!(stored_files(&app).await, 1);
    let r = app.tus("DELETE", &loc, Some(&c.group), &[], None).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        app.tus("HEAD", &loc, Some(&c.group), &[], None)
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(stored_files(&app).await, 0);
}

#[tokio::test]
async fn expired_uploads_answer_410_and_the_sweep_deletes_them() {
    let app = spawn_app().await;
    let c = app.open_contest_with_group().await;
    let loc = app.create_upload(&c.group, 1000).await;
    app.patch_upload(&c.group, &loc, 0, &[7; 500]).await;
    let id = loc.trim_start_matches("/api/uploads/").to_owned();
    let row = clipjury_db::entities::upload::Entity::find_by_id(id.clone())
        .one(app.services.db())
        .await
        .unwrap()
        .unwrap();
    let mut row = row.into_active_model();
    row.expires_at = Set(chrono::Utc::now() - chrono::Duration::seconds(1));
    row.update(app.services.db()).await.unwrap();
    assert_eq!(
        app.tus("HEAD", &loc, Some(&c.group), &[], None)
            .await
            .status(),
        StatusCode::GONE
    );
    assert_eq!(
        app.patch_upload(&c.group, &loc, 500, &[7; 500])
            .await
            .status(),
        StatusCode::GONE
    );
    assert_eq!(
        clipjury_service::uploads::delete_expired(&app.services)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        app.tus("HEAD", &loc, Some(&c.group), &[], None)
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(stored_files(&app).await, 0);
}

#[tokio::test]
async fn another_groups_upload_url_is_not_found_and_other_roles_are_refused() {
    let app = spawn_app().await;
    let c = app.open_contest_with_group().await;
    let other = app.another_group(&c.admin, &c.contest_id, "Group 2").await;
    let (_, juror_invite) = app
        .add_participant(&c.admin, &c.contest_id, "juror", "Juror")
        .await;
    let juror = app.redeem(&juror_invite).await;
    let loc = app.create_upload(&c.group, 1000).await;
    assert_eq!(
        app.tus("HEAD", &loc, Some(&other), &[], None)
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.patch_upload(&other, &loc, 0, &[1; 10]).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.tus("DELETE", &loc, Some(&other), &[], None)
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.tus("HEAD", &loc, Some(&juror), &[], None)
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.tus("HEAD", &loc, Some(&c.admin), &[], None)
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.tus("HEAD", &loc, None, &[], None).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.tus(
            "POST",
            "/api/uploads",
            Some(&juror),
            &[("Upload-Length", "10")],
            None
        )
        .await
        .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        header(
            &app.tus("HEAD", &loc, Some(&c.group), &[], None).await,
            "upload-offset"
        ),
        "0"
    );
}
