//! Every test clip through the real path: tus upload → durable job → media worker → ready or failed with a code;
//! then the files it made, served with range requests; and the queue's crash and retry behaviour.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, fixture, spawn_app};

/// An open contest with the fixtures' limit (5 s, no tolerance); returns (admin, contest id).
async fn contest_for_fixtures(app: &TestApp) -> (String, String) {
    let admin = app.admin_token().await;
    let body =
        json!({"title": "Phones", "max_duration_seconds": 5, "duration_tolerance_seconds": 0});
    let c = app
        .call("POST", "/api/contests", Some(&admin), Some(body))
        .await
        .body;
    let cid = c["id"].as_str().unwrap().to_owned();
    app.transition(&admin, &cid, "open", None).await;
    (admin, cid)
}

async fn media_doc(app: &TestApp, video_id: &str) -> Value {
    let v = clipjury_db::repo::videos::find(app.services.db(), video_id.parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    v.media.unwrap_or(Value::Null)
}

/// The 720p rendition's size, or the refusal code.
type Expected = Result<(u64, u64), &'static str>;

#[tokio::test]
async fn every_fixture_reaches_its_expected_outcome_through_upload_and_worker() {
    let app = spawn_app().await;
    let (admin, cid) = contest_for_fixtures(&app).await;
    let cases: [(&str, Expected); 13] = [
        ("android-portrait.mp4", Ok((720, 1280))),
        ("iphone-rotated.mov", Ok((720, 1280))),
        ("hdr-hlg.mov", Ok((1280, 720))),
        ("hdr-pq.mov", Ok((1280, 720))),
        ("chrome-vp8.webm", Ok((640, 360))),
        ("chrome-vp9.webm", Ok((640, 360))),
        ("compliant-640x360.mp4", Ok((640, 360))),
        ("no-audio.mp4", Ok((640, 360))),
        ("audio-only.m4a", Err("no-video-stream")),
        ("png-renamed.mp4", Err("still-image")),
        ("truncated.mp4", Err("unreadable-file")),
        ("random-bytes.mp4", Err("unreadable-file")),
        ("too-long.mp4", Err("too-long")),
    ];
    let mut groups = Vec::new();
    for (i, (file, _)) in cases.iter().enumerate() {
        let group = app.another_group(&admin, &cid, &format!("Group {i}")).await;
        app.upload_file(&group, &std::fs::read(fixture(file)).unwrap())
            .await;
        groups.push(group);
    }
    // The two H.264/AAC sources take two phases each: a stream copy that plays, then the encodes.
    assert_eq!(app.run_pending_jobs().await, cases.len() + 2);
    let mut failures = Vec::new();
    for ((file, expected), group) in cases.iter().zip(&groups) {
        let s = app.own_submission(group, &cid).await;
        match expected {
            Ok((w, h)) => {
                if s["status"] != "ready" {
                    failures.push(format!("{file}: {s}"));
                    continue;
                }
                let video = &s["current_video"];
                assert!(
                    video["poster_url"].is_string() && video["video_360p_url"].is_string(),
                    "{file}"
                );
                let doc = media_doc(&app, video["id"].as_str().unwrap()).await;
                let hd = doc["renditions"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|r| r["name"] == "720p.mp4")
                    .unwrap();
                if (hd["width"].as_u64(), hd["height"].as_u64()) != (Some(*w), Some(*h)) {
                    failures.push(format!(
                        "{file}: 720p is {}x{}, want {w}x{h}",
                        hd["width"], hd["height"]
                    ));
                }
                if *file == "compliant-640x360.mp4" && doc["fast_path"] != true {
                    failures.push(format!("{file}: not remuxed"));
                }
            }
            Err(code) => {
                let latest = &s["latest_video"];
                if s["status"] != "failed"
                    || latest["failure_code"] != *code
                    || !latest["failure_message"].is_string()
                {
                    failures.push(format!("{file}: want failed {code}, got {s}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    // A zero-byte file is refused before any byte is stored.
    let group = app.another_group(&admin, &cid, "Zero").await;
    let r = app
        .tus(
            "POST",
            "/api/uploads",
            Some(&group),
            &[("Upload-Length", "0")],
            None,
        )
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn renditions_are_served_with_ranges_to_whom_the_policy_allows() {
    let app = spawn_app().await;
    let (admin, cid) = contest_for_fixtures(&app).await;
    let group = app.another_group(&admin, &cid, "G").await;
    let other = app.another_group(&admin, &cid, "Other").await;
    app.upload_file(
        &group,
        &std::fs::read(fixture("compliant-640x360.mp4")).unwrap(),
    )
    .await;
    app.run_pending_jobs().await;
    let url = app.own_submission(&group, &cid).await["current_video"]["video_720p_url"]
        .as_str()
        .unwrap()
        .to_owned();
    let get = |token: Option<String>, range: Option<&'static str>, if_range: Option<String>| {
        let mut req = reqwest::Client::new().get(app.url(&url));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(r) = range {
            req = req.header("Range", r);
        }
        if let Some(v) = if_range {
            req = req.header("If-Range", v);
        }
        req.send()
    };
    let full = get(Some(group.clone()), None, None).await.unwrap();
    assert_eq!(full.status(), StatusCode::OK);
    assert_eq!(full.headers()["content-type"], "video/mp4");
    assert_eq!(full.headers()["accept-ranges"], "bytes");
    let etag = full.headers()["etag"].to_str().unwrap().to_owned();
    let bytes = full.bytes().await.unwrap();
    let n = bytes.len();
    assert!(n > 1000);
    for (range, want) in [
        ("bytes=0-0".to_owned(), 0..1),
        (
            format!("bytes={}-{}", n / 2, n / 2 + 99),
            n / 2..n / 2 + 100,
        ),
        (format!("bytes={}-", n - 1), n - 1..n),
        ("bytes=-500".to_owned(), n - 500..n),
    ] {
        let res = reqwest::Client::new()
            .get(app.url(&url))
            .bearer_auth(&group)
            .header("Range", &range)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::PARTIAL_CONTENT, "{range}");
        assert_eq!(
            res.headers()["content-range"],
            format!("bytes {}-{}/{n}", want.start, want.end - 1).as_str()
        );
        assert_eq!(res.bytes().await.unwrap(), bytes.slice(want), "{range}");
    }
    let r = reqwest::Client::new()
        .get(app.url(&url))
        .bearer_auth(&group)
        .header("Range", format!("bytes={n}-"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::RANGE_NOT_SATISFIABLE);
    assert_eq!(
        r.headers()["content-range"],
        format!("bytes */{n}").as_str()
    );
    let stale = get(
        Some(group.clone()),
        Some("bytes=0-9"),
        Some("\"other\"".into()),
    )
    .await
    .unwrap();
    assert_eq!(
        stale.status(),
        StatusCode::OK,
        "If-Range mismatch sends the whole file"
    );
    let fresh = get(Some(group.clone()), Some("bytes=0-9"), Some(etag))
        .await
        .unwrap();
    assert_eq!(fresh.status(), StatusCode::PARTIAL_CONTENT);

    let poster = url.replace("720p.mp4", "poster-320.webp");
    let p = reqwest::Client::new()
        .get(app.url(&poster))
        .bearer_auth(&group)
        .send()
        .await
        .unwrap();
    assert_eq!(p.headers()["content-type"], "image/webp");

    // Access: another group and anonymous get nothing; the admin may; a juror only once judging started.
    assert_eq!(
        get(Some(other), None, None).await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(None, None, None).await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        get(Some(admin.clone()), None, None).await.unwrap().status(),
        StatusCode::OK
    );
    let (_, invite) = app.add_participant(&admin, &cid, "juror", "J").await;
    let juror = app.redeem(&invite).await;
    assert_eq!(
        get(Some(juror.clone()), None, None).await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
    app.transition(&admin, &cid, "judging", None).await;
    assert_eq!(
        get(Some(juror), None, None).await.unwrap().status(),
        StatusCode::OK
    );
    let bad = reqwest::Client::new()
        .get(app.url(&url.replace("720p.mp4", "source")))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_job_whose_worker_died_is_reclaimed_after_the_lease_and_completes_once() {
    let app = spawn_app().await;
    let (admin, cid) = contest_for_fixtures(&app).await;
    let group = app.another_group(&admin, &cid, "G").await;
    app.upload_file(
        &group,
        &std::fs::read(fixture("compliant-640x360.mp4")).unwrap(),
    )
    .await;
    // A worker claims the job and dies (never heartbeats or finishes).
    let lease = chrono::Utc::now() + chrono::Duration::milliseconds(800);
    let claimed =
        clipjury_db::repo::jobs::claim(app.services.db(), "process_video", "dead-worker", lease)
            .await
            .unwrap()
            .unwrap();
    assert_eq!(app.run_pending_jobs().await, 0, "a live lease is not taken");
    tokio::time::sleep(std::time::Duration::from_millis(1200)).await;
    assert_eq!(
        app.run_pending_jobs().await,
        2,
        "its first phase, then its second"
    );
    let job = clipjury_db::repo::jobs::find(app.services.db(), claimed.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((job.status.as_str(), job.attempts), ("done", 2));
    assert_eq!(app.own_submission(&group, &cid).await["status"], "ready");
    // The dead worker's late finish changes nothing.
    let late = clipjury_db::repo::jobs::finish(
        app.services.db(),
        job.id,
        "dead-worker",
        clipjury_db::repo::jobs::JobOutcome::Done,
    )
    .await
    .unwrap();
    assert!(!late);
}

#[tokio::test]
async fn a_job_failing_every_time_ends_failed_after_max_attempts_with_the_reason_visible() {
    let app = spawn_app().await;
    let (admin, cid) = contest_for_fixtures(&app).await;
    let group = app.another_group(&admin, &cid, "G").await;
    let loc = app
        .upload_file(
            &group,
            &std::fs::read(fixture("compliant-640x360.mp4")).unwrap(),
        )
        .await;
    // The stored original vanishes (a broken disk, a wrong bucket policy): every attempt fails on our side.
    for part in clipjury_db::repo::uploads::parts(
        app.services.db(),
        loc.trim_start_matches("/api/uploads/"),
    )
    .await
    .unwrap()
    {
        app.services
            .storage()
            .delete(&part.storage_key)
            .await
            .unwrap();
    }
    assert_eq!(app.run_pending_jobs().await, 5, "five attempts");
    let jobs = clipjury_db::repo::jobs::list_by_status(
        app.services.db(),
        clipjury_db::repo::jobs::JobStatus::Failed,
    )
    .await
    .unwrap();
    assert_eq!((jobs.len(), jobs[0].attempts), (1, 5));
    assert!(jobs[0].last_error.is_some());
    let s = app.own_submission(&group, &cid).await;
    assert_eq!(s["status"], "failed");
    assert_eq!(s["latest_video"]["failure_code"], "processing-failed");
    assert!(
        s["latest_video"]["failure_message"]
            .as_str()
            .unwrap()
            .contains("upload it again")
    );
}

#[tokio::test]
async fn two_workers_never_process_the_same_job() {
    let app = spawn_app().await;
    let (admin, cid) = contest_for_fixtures(&app).await;
    let clip = std::fs::read(fixture("compliant-640x360.mp4")).unwrap();
    for i in 0..6 {
        let g = app.another_group(&admin, &cid, &format!("G{i}")).await;
        app.upload_file(&g, &clip).await;
    }
    let (a, b) = tokio::join!(app.run_pending_jobs(), app.run_pending_jobs());
    assert_eq!(
        a + b,
        12,
        "each job (two phases a video) handled once ({a} + {b})"
    );
    let done = clipjury_db::repo::jobs::list_by_status(
        app.services.db(),
        clipjury_db::repo::jobs::JobStatus::Done,
    )
    .await
    .unwrap();
    assert_eq!(done.len(), 12);
    assert!(done.iter().all(|j| j.attempts == 1), "no job claimed twice");
}

#[tokio::test]
async fn a_replacement_video_becomes_visible_only_when_ready() {
    let app = spawn_app().await;
    let (admin, cid) = contest_for_fixtures(&app).await;
    let group = app.another_group(&admin, &cid, "G").await;
    app.upload_file(
        &group,
        &std::fs::read(fixture("compliant-640x360.mp4")).unwrap(),
    )
    .await;
    app.run_pending_jobs().await;
    let first = app.own_submission(&group, &cid).await["current_video"]["id"].clone();
    app.upload_file(&group, &std::fs::read(fixture("no-audio.mp4")).unwrap())
        .await;
    let s = app.own_submission(&group, &cid).await;
    assert_eq!(
        (s["status"].as_str(), &s["current_video"]["id"]),
        (Some("processing"), &first),
        "old one stays visible"
    );
    app.run_pending_jobs().await;
    let s = app.own_submission(&group, &cid).await;
    assert_eq!(s["status"], "ready");
    assert_ne!(s["current_video"]["id"], first);
    // A failing replacement leaves the previous video visible.
    app.upload_file(&group, &std::fs::read(fixture("png-renamed.mp4")).unwrap())
        .await;
    app.run_pending_jobs().await;
    let after = app.own_submission(&group, &cid).await;
    assert_eq!(after["status"], "failed");
    assert_eq!(after["current_video"]["id"], s["current_video"]["id"]);
}

#[tokio::test]
async fn a_published_winners_video_is_public_and_nothing_else_is() {
    let app = spawn_app().await;
    let (admin, cid) = contest_for_fixtures(&app).await;
    let clip = std::fs::read(fixture("compliant-640x360.mp4")).unwrap();
    let mut groups = Vec::new();
    for name in ["First", "Second", "Third", "Fourth"] {
        let g = app.another_group(&admin, &cid, name).await;
        app.upload_file(&g, &clip).await;
        groups.push(g);
    }
    app.run_pending_jobs().await;
    let (_, invite) = app.add_participant(&admin, &cid, "juror", "J").await;
    let juror = app.redeem(&invite).await;
    assert_eq!(
        app.transition(&admin, &cid, "judging", None).await.status,
        StatusCode::OK
    );
    let mut urls = Vec::new();
    for (g, mark) in groups.iter().zip([9, 8, 7, 5]) {
        let s = app.own_submission(g, &cid).await;
        app.score_entry(&juror, &cid, s["id"].as_str().unwrap(), [mark; 5], "", "")
            .await;
        urls.push(
            s["current_video"]["video_720p_url"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    let base = app.address.clone();
    let anonymous = |url: String| {
        let full = format!("{base}{url}");
        async move { reqwest::get(full).await.unwrap().status() }
    };
    assert_eq!(
        anonymous(urls[0].clone()).await,
        StatusCode::UNAUTHORIZED,
        "not public before publishing"
    );
    assert_eq!(
        app.transition(&admin, &cid, "closed", None).await.status,
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
    assert_eq!(
        app.transition(&admin, &cid, "published", None).await.status,
        StatusCode::OK
    );
    for url in &urls[..3] {
        assert_eq!(anonymous(url.clone()).await, StatusCode::OK, "{url}");
    }
    assert_eq!(
        anonymous(urls[3].clone()).await,
        StatusCode::UNAUTHORIZED,
        "fourth place stays private"
    );
    assert_eq!(
        anonymous(urls[0].replace("720p.mp4", "poster-640.jpg")).await,
        StatusCode::OK
    );
}
