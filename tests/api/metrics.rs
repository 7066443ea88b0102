//! `/metrics`: what it counts, and who may read it.

use reqwest::StatusCode;
use secrecy::SecretString;

use crate::helpers::{fixture, spawn_app, spawn_app_with};

async fn scrape(app: &crate::helpers::TestApp, headers: &[(&str, &str)]) -> (StatusCode, String) {
    let mut req = reqwest::Client::new().get(app.url("/metrics"));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let res = req.send().await.unwrap();
    (res.status(), res.text().await.unwrap())
}

#[tokio::test]
async fn metrics_count_requests_by_route_upload_bytes_jobs_and_transcode_time() {
    let app = spawn_app().await;
    let c = app.open_contest_with_group().await;
    let clip = std::fs::read(fixture("android-portrait.mp4")).unwrap();
    let location = app.upload_file(&c.group, &clip).await;
    let upload_id = location.rsplit('/').next().unwrap();
    let (status, text) = scrape(&app, &[]).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let patches = clip.len().div_ceil(1_000_000);
    assert!(
        text.contains(&format!(
            r#"clipjury_http_requests_total{{route="/api/uploads/{{upload_id}}",method="PATCH",status="204"}} {patches}"#
        )),
        "{text}"
    );
    assert!(
        !text.contains(upload_id),
        "concrete paths never become labels"
    );
    assert!(
        text.contains(&format!("clipjury_upload_bytes_total {}", clip.len())),
        "{text}"
    );
    assert!(
        text.contains(r#"clipjury_jobs{status="queued"} 1"#),
        "{text}"
    );

    // Two phases: the stream copy that plays, then both renditions from one decode.
    assert_eq!(app.run_pending_jobs().await, 2);
    let (_, text) = scrape(&app, &[]).await;
    assert!(text.contains(r#"clipjury_jobs{status="done"} 2"#), "{text}");
    assert!(
        text.contains(r#"clipjury_jobs{status="queued"} 0"#),
        "{text}"
    );
    // Both renditions come from one decode: one timed step.
    assert!(
        text.contains(r#"clipjury_transcode_seconds_count{rendition="720p+360p"} 1"#),
        "{text}"
    );
    assert!(
        text.contains(
            r#"clipjury_http_requests_total{route="/metrics",method="GET",status="200"} 1"#
        ),
        "{text}"
    );
}

#[tokio::test]
async fn without_a_token_only_direct_loopback_clients_read_metrics() {
    let app = spawn_app().await;
    for header in ["x-forwarded-for", "forwarded"] {
        let (status, body) = scrape(&app, &[(header, "for=203.0.113.9")]).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{header}");
        assert!(body.contains("metrics-forbidden"), "{body}");
    }
}

#[tokio::test]
async fn with_a_token_metrics_need_it_from_everyone() {
    let app = spawn_app_with(|s| {
        s.server.metrics_token = Some(SecretString::from("scrape-secret-0123456789"));
    })
    .await;
    assert_eq!(
        scrape(&app, &[]).await.0,
        StatusCode::FORBIDDEN,
        "loopback is not enough"
    );
    let wrong = scrape(
        &app,
        &[("authorization", "Bearer scrape-secret-0123456780")],
    )
    .await;
    assert_eq!(wrong.0, StatusCode::FORBIDDEN);
    let right = scrape(
        &app,
        &[("authorization", "Bearer scrape-secret-0123456789")],
    )
    .await;
    assert_eq!(right.0, StatusCode::OK);
    assert!(right.1.ends_with("# EOF\n"));
}
