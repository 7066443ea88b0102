//! How renditions reach players: streamed by the API with ranges (default), or, on S3 with
//! `storage.presign_seconds`, by a redirect to a presigned bucket URL.

use reqwest::StatusCode;

use crate::helpers::{fixture, spawn_app_with};

#[tokio::test]
async fn presigned_delivery_redirects_on_s3_only_after_the_access_check() {
    let app = spawn_app_with(|s| s.storage.presign_seconds = 300).await;
    let c = app.open_contest_with_group().await;
    app.upload_file(
        &c.group,
        &std::fs::read(fixture("compliant-640x360.mp4")).unwrap(),
    )
    .await;
    assert_eq!(
        app.run_pending_jobs().await,
        2,
        "the stream copy, then the 360p"
    );
    let s = app.own_submission(&c.group, &c.contest_id).await;
    let url = app.url(
        s["current_video"]["video_720p_url"]
            .as_str()
            .expect("ready"),
    );
    let size = s["current_video"]["source_bytes"].as_u64().unwrap();
    assert!(size > 0);

    let anonymous = reqwest::get(&url).await.unwrap();
    assert_eq!(
        anonymous.status(),
        StatusCode::UNAUTHORIZED,
        "no redirect without access"
    );

    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let res = client.get(&url).bearer_auth(&c.group).send().await.unwrap();
    if app.services.storage().kind() == "s3" {
        assert_eq!(res.status(), StatusCode::FOUND);
        assert_eq!(res.headers()["cache-control"], "private, no-store");
        let location = res.headers()["location"].to_str().unwrap().to_owned();
        assert!(location.contains("X-Amz-Signature="), "{location}");
        let part = client
            .get(&location)
            .header("Range", "bytes=0-9")
            .send()
            .await
            .unwrap();
        assert_eq!(
            part.status(),
            StatusCode::PARTIAL_CONTENT,
            "the bucket serves ranges"
        );
        let head = part.bytes().await.unwrap();
        assert_eq!(&head[4..8], b"ftyp", "an MP4 from the bucket");
    } else {
        assert_eq!(
            res.status(),
            StatusCode::OK,
            "a local folder cannot sign: streamed"
        );
        assert_eq!(res.headers()["content-type"], "video/mp4");
    }
}
