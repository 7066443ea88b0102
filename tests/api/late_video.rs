//! The cut jurors score is frozen when judging opens: a video that arrives later waits for the admin.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{fixture, spawn_app};

#[tokio::test]
async fn a_video_finished_after_judging_opened_waits_until_the_admin_accepts_it() {
    let app = spawn_app().await;
    let c = app.open_contest_with_group().await;
    let cid = &c.contest_id;
    let clip = std::fs::read(fixture("compliant-640x360.mp4")).unwrap();
    app.upload_file(&c.group, &clip).await;
    app.run_pending_jobs().await;
    let first = app.own_submission(&c.group, cid).await["current_video"]["id"].clone();
    assert!(first.is_string());
    let deadline = (chrono::Utc::now() + chrono::Duration::minutes(10)).to_rfc3339();
    let r = app
        .call(
            "PATCH",
            &format!("/api/contests/{cid}"),
            Some(&c.admin),
            Some(json!({"upload_deadline": deadline})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let (_, juror_invite) = app.add_participant(&c.admin, cid, "juror", "Juror").await;
    let juror = app.redeem(&juror_invite).await;

    // A second cut, begun before the deadline, finishes after judging opened (within the grace period).
    let loc = app.create_upload(&c.group, clip.len()).await;
    let half = clip.len() / 2;
    assert_eq!(
        app.patch_upload(&c.group, &loc, 0, &clip[..half])
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.transition(&c.admin, cid, "judging", None).await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.patch_upload(&c.group, &loc, half, &clip[half..])
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    app.run_pending_jobs().await;

    let sub = app.own_submission(&c.group, cid).await;
    assert_eq!(sub["current_video"]["id"], first, "the judged cut changed");
    assert_eq!(sub["latest_video"]["status"], "ready");
    assert_eq!(sub["latest_video_late"], true);
    let late = sub["latest_video"]["id"].as_str().unwrap().to_owned();
    // Jurors see the first cut and cannot fetch the late one.
    let entries = app
        .call(
            "GET",
            &format!("/api/contests/{cid}/entries"),
            Some(&juror),
            None,
        )
        .await;
    assert!(
        !entries.body.to_string().contains(&late),
        "{}",
        entries.body
    );
    let res = reqwest::Client::new()
        .get(app.url(&format!("/api/videos/{late}/360p.mp4")))
        .bearer_auth(&juror)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    let accept = format!(
        "/api/contests/{cid}/submissions/{}/accept-video",
        sub["id"].as_str().unwrap()
    );
    let r = app
        .call(
            "POST",
            &accept,
            Some(&c.group),
            Some(json!({"video_id": late, "reason": "x"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .call(
            "POST",
            &accept,
            Some(&c.admin),
            Some(json!({"video_id": late, "reason": "  "})),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::BAD_REQUEST, "reason-required")
    );
    let r = app
        .call(
            "POST",
            &accept,
            Some(&c.admin),
            Some(json!({"video_id": first, "reason": "no"})),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::CONFLICT, "video-not-late")
    );
    let r = app
        .call(
            "POST",
            &accept,
            Some(&c.admin),
            Some(json!({"video_id": late, "reason": "Sound fixed, same cut; jurors agreed"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["current_video"]["id"], late.as_str());
    assert_eq!(r.body["latest_video_late"], false);
    let res = reqwest::Client::new()
        .get(app.url(&format!("/api/videos/{late}/360p.mp4")))
        .bearer_auth(&juror)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let audit = app
        .call(
            "GET",
            &format!("/api/contests/{cid}/audit"),
            Some(&c.admin),
            None,
        )
        .await;
    let text = audit.body.to_string();
    assert!(
        text.contains("video.accept_late") && text.contains("Sound fixed"),
        "{text}"
    );
}
