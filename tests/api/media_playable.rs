//! Playable first: an H.264/AAC upload plays from its stream copy before its renditions are encoded, players get
//! the renditions stored so far, and in a burst every entry plays before any entry gets its second phase.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, fixture, spawn_app, test_worker_settings};

async fn open_contest(app: &TestApp) -> (String, String) {
    let admin = app.admin_token().await;
    let body =
        json!({"title": "Phones", "max_duration_seconds": 5, "duration_tolerance_seconds": 0});
    let cid = app
        .call("POST", "/api/contests", Some(&admin), Some(body))
        .await
        .body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.transition(&admin, &cid, "open", None).await;
    (admin, cid)
}

async fn get_bytes(app: &TestApp, token: &str, url: &str) -> (StatusCode, Vec<u8>) {
    let r = reqwest::Client::new()
        .get(app.url(url))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    (r.status(), r.bytes().await.unwrap().to_vec())
}

fn ffprobe(bytes: &[u8]) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v.mp4");
    std::fs::write(&path, bytes).unwrap();
    let out = std::process::Command::new("ffprobe")
        .args([
            "-v",
            "error",
            "-print_format",
            "json",
            "-show_format",
            "-show_streams",
        ])
        .arg(&path)
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

#[tokio::test]
async fn an_h264_upload_plays_from_its_stream_copy_before_its_encodes_are_done() {
    let app = spawn_app().await;
    let (admin, cid) = open_contest(&app).await;
    let group = app.another_group(&admin, &cid, "G").await;
    app.upload_file(
        &group,
        &std::fs::read(fixture("android-portrait.mp4")).unwrap(),
    )
    .await;
    assert_eq!(
        clipjury_worker::run_first_phases_until_idle(app.services.clone(), test_worker_settings())
            .await,
        1
    );

    let s = app.own_submission(&group, &cid).await;
    let v = &s["current_video"];
    assert_eq!(s["status"], "processing", "{s}");
    assert_eq!(v["playable"], true, "{s}");
    assert!(
        v["video_720p_url"].is_null() && v["video_360p_url"].is_null(),
        "{v}"
    );
    let original = v["video_original_url"].as_str().unwrap().to_owned();
    let (status, bytes) = get_bytes(&app, &group, &original).await;
    assert_eq!(status, StatusCode::OK);
    let probe = ffprobe(&bytes);
    assert_eq!(probe["streams"][0]["codec_name"], "h264", "{probe}");
    assert_eq!(probe["streams"][0]["height"], 1920, "the original's size");
    let tags = probe["format"]["tags"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    assert!(
        !tags
            .keys()
            .any(|k| k.contains("location") || k.contains("model") || k.contains("make")),
        "metadata stripped: {tags:?}"
    );
    let moov = bytes.windows(4).position(|w| w == b"moov").unwrap();
    let mdat = bytes.windows(4).position(|w| w == b"mdat").unwrap();
    assert!(moov < mdat, "faststart");

    // The admin's board and a juror see it playable: the juror's media names only what is stored.
    let r = app
        .call(
            "GET",
            &format!("/api/contests/{cid}/submissions"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        r.body.to_string().contains(r#""playable":true"#),
        "{}",
        r.body
    );
    let (_, invite) = app.add_participant(&admin, &cid, "juror", "J").await;
    let juror = app.redeem(&invite).await;
    app.transition(&admin, &cid, "judging", None).await;
    let entries = app
        .call(
            "GET",
            &format!("/api/contests/{cid}/entries"),
            Some(&juror),
            None,
        )
        .await;
    let media = &entries.body["entries"][0]["media"];
    assert_eq!(
        media["video_original_url"],
        original.as_str(),
        "{}",
        entries.body
    );
    assert!(media["video_720p_url"].is_null(), "{media}");
    assert_eq!(get_bytes(&app, &juror, &original).await.0, StatusCode::OK);

    // The second phase: both renditions from one decode; the video is complete.
    assert_eq!(app.run_pending_jobs().await, 1);
    let s = app.own_submission(&group, &cid).await;
    let v = &s["current_video"];
    assert_eq!(
        (s["status"].as_str(), v["playable"].as_bool()),
        (Some("ready"), Some(true))
    );
    for key in ["video_720p_url", "video_360p_url", "video_original_url"] {
        let url = v[key].as_str().unwrap_or_else(|| panic!("{key} in {v}"));
        assert_eq!(
            get_bytes(&app, &group, url).await.0,
            StatusCode::OK,
            "{key}"
        );
    }
    let entries = app
        .call(
            "GET",
            &format!("/api/contests/{cid}/entries"),
            Some(&juror),
            None,
        )
        .await;
    assert!(entries.body["entries"][0]["media"]["video_720p_url"].is_string());
}

#[tokio::test]
async fn in_a_burst_every_entry_plays_before_any_entry_gets_its_second_phase() {
    let app = spawn_app().await;
    let (admin, cid) = open_contest(&app).await;
    let clip = std::fs::read(fixture("android-portrait.mp4")).unwrap();
    let mut groups = Vec::new();
    for i in 0..3 {
        let g = app.another_group(&admin, &cid, &format!("G{i}")).await;
        app.upload_file(&g, &clip).await;
        groups.push(g);
    }
    // A HEVC upload has no stream copy: its first phase makes both renditions.
    let iphone = app.another_group(&admin, &cid, "iPhone").await;
    app.upload_file(
        &iphone,
        &std::fs::read(fixture("iphone-rotated.mov")).unwrap(),
    )
    .await;
    assert_eq!(app.run_pending_jobs().await, 7);

    let mut playable_at = Vec::new();
    let mut ready_at = Vec::new();
    for g in &groups {
        let s = app.own_submission(g, &cid).await;
        assert_eq!(s["status"], "ready", "{s}");
        let id = s["current_video"]["id"].as_str().unwrap().parse().unwrap();
        let v = clipjury_db::repo::videos::find(app.services.db(), id)
            .await
            .unwrap()
            .unwrap();
        let media = v.media.unwrap();
        let at: chrono::DateTime<chrono::Utc> =
            serde_json::from_value(media["playable_at"].clone()).unwrap();
        playable_at.push(at);
        ready_at.push(v.updated_at);
    }
    let last_playable = playable_at.iter().max().unwrap();
    let first_complete = ready_at.iter().min().unwrap();
    assert!(
        last_playable < first_complete,
        "every entry playable ({playable_at:?}) before any complete ({ready_at:?})"
    );
    let s = app.own_submission(&iphone, &cid).await;
    assert_eq!(
        (
            s["status"].as_str(),
            s["current_video"]["playable"].as_bool()
        ),
        (Some("ready"), Some(true))
    );
    assert!(s["current_video"]["video_original_url"].is_null());
}

#[tokio::test]
async fn workers_see_the_uploads_still_arriving_and_the_jobs_due() {
    use clipjury_db::repo::{jobs, uploads};
    let app = spawn_app().await;
    let db = app.services.db();
    let (admin, cid) = open_contest(&app).await;
    let group = app.another_group(&admin, &cid, "G").await;
    let bytes = std::fs::read(fixture("compliant-640x360.mp4")).unwrap();
    let receiving = |offset_secs: i64| async move {
        let now = chrono::Utc::now() + chrono::Duration::seconds(offset_secs);
        uploads::receiving_count(db, now, now - chrono::Duration::seconds(30))
            .await
            .unwrap()
    };

    let loc = app.create_upload(&group, bytes.len()).await;
    assert_eq!(receiving(0).await, 1, "just created");
    assert_eq!(
        receiving(60).await,
        0,
        "a minute without a byte: left, not arriving"
    );
    let half = bytes.len() / 2;
    let r = app.patch_upload(&group, &loc, 0, &bytes[..half]).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(receiving(20).await, 1, "a part stored 20 s ago");
    assert_eq!(jobs::due_count(db, "process_video").await.unwrap(), 0);

    let r = app.patch_upload(&group, &loc, half, &bytes[half..]).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(receiving(0).await, 0, "complete: no longer arriving");
    assert_eq!(
        jobs::due_count(db, "process_video").await.unwrap(),
        1,
        "its first phase"
    );
    assert_eq!(app.run_pending_jobs().await, 2);
    assert_eq!(jobs::due_count(db, "process_video").await.unwrap(), 0);
}
