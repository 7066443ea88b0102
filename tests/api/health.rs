use reqwest::StatusCode;

use crate::helpers::spawn_app;

#[tokio::test]
async fn healthz_and_readyz_answer_and_carry_a_request_id() {
    let app = spawn_app().await;
    let r = reqwest::get(app.url("/healthz")).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers().contains_key("x-request-id"));
    let r = app.call("GET", "/readyz", None, None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["status"], "ready");
}

#[tokio::test]
async fn readyz_reports_an_unwritable_media_store() {
    let app = spawn_app().await;
    std::fs::remove_dir_all(&app.settings.media.dir).unwrap();
    std::fs::write(
        &app.settings.media.dir,
        b"a file where the folder should be",
    )
    .unwrap();
    let r = app.call("GET", "/readyz", None, None).await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(r.body["failed"][0]["check"], "storage");
}

#[tokio::test]
async fn openapi_document_lists_every_route_and_the_docs_page_renders() {
    let app = spawn_app().await;
    let r = app.call("GET", "/api/openapi.json", None, None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body["openapi"].as_str().unwrap().starts_with("3.1"));
    let paths = r.body["paths"].as_object().unwrap();
    for p in [
        "/api/auth/login",
        "/api/contests",
        "/api/contests/{contest_id}/transitions",
        "/api/contests/{contest_id}/participants/{participant_id}/invite/qr.svg",
        "/api/invites/redeem",
        "/readyz",
    ] {
        assert!(
            paths.contains_key(p),
            "{p} missing from the OpenAPI document"
        );
    }
    let committed: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string("docs/openapi.json").expect("docs/openapi.json exists"),
    )
    .unwrap();
    assert_eq!(
        committed, r.body,
        "docs/openapi.json is stale: run `make openapi`"
    );
    let docs = reqwest::get(app.url("/api/docs")).await.unwrap();
    assert_eq!(docs.status(), StatusCode::OK);
    let html = docs.text().await.unwrap();
    assert!(
        html.contains("clipjury API") && html.to_lowercase().contains("scalar"),
        "docs page embeds the spec"
    );
}
