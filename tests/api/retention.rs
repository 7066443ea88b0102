//! Retention: a contest's uploaded originals are deleted once its results are published, when configured.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, fixture, spawn_app, spawn_app_with};

/// Three groups with processed videos, scored, confirmed and published; returns the admin, the contest id and the
/// first place's submission id and 720p URL.
async fn published_contest(app: &TestApp) -> (String, String, String, String) {
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
    let clip = std::fs::read(fixture("compliant-640x360.mp4")).unwrap();
    let mut groups = Vec::new();
    for name in ["First", "Second", "Third"] {
        let g = app.another_group(&admin, &cid, name).await;
        app.upload_file(&g, &clip).await;
        groups.push(g);
    }
    assert_eq!(app.run_pending_jobs().await, 6, "two phases a video");
    let (_, invite) = app.add_participant(&admin, &cid, "juror", "J").await;
    let juror = app.redeem(&invite).await;
    assert_eq!(
        app.transition(&admin, &cid, "judging", None).await.status,
        StatusCode::OK
    );
    let mut firsts = Vec::new();
    for (g, mark) in groups.iter().zip([9, 8, 7]) {
        let s = app.own_submission(g, &cid).await;
        let id = s["id"].as_str().unwrap().to_owned();
        app.score_entry(&juror, &cid, &id, [mark; 5], "", "").await;
        firsts.push((
            id,
            s["current_video"]["video_720p_url"]
                .as_str()
                .unwrap()
                .to_owned(),
        ));
    }
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
    let (id, url) = firsts.swap_remove(0);
    (admin, cid, id, url)
}

async fn stored_originals(app: &TestApp) -> usize {
    app.services.storage().list("uploads/").await.unwrap().len()
}

#[tokio::test]
async fn originals_are_deleted_after_publishing_when_configured_and_renditions_stay() {
    let app = spawn_app_with(|s| s.media.delete_originals_after_publish = true).await;
    let (admin, cid, first, url) = published_contest(&app).await;
    assert_eq!(stored_originals(&app).await, 0);
    let r = app
        .call(
            "GET",
            &format!("/api/contests/{cid}/submissions/{first}/original"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::GONE);
    assert_eq!(r.code(), "original-deleted");
    let res = reqwest::get(app.url(&url)).await.unwrap();
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "the winner's rendition stays public"
    );
}

#[tokio::test]
async fn originals_are_kept_by_default() {
    let app = spawn_app().await;
    let (admin, cid, first, _) = published_contest(&app).await;
    assert!(stored_originals(&app).await >= 3);
    let res = reqwest::Client::new()
        .get(app.url(&format!("/api/contests/{cid}/submissions/{first}/original")))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        res.bytes().await.unwrap().len(),
        std::fs::read(fixture("compliant-640x360.mp4"))
            .unwrap()
            .len()
    );
}
