use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::spawn_app;

async fn raw(
    app: &crate::helpers::TestApp,
    path: &str,
    token: &str,
    content_type: &str,
    body: Vec<u8>,
) -> (StatusCode, Value) {
    let res = reqwest::Client::new()
        .post(app.url(path))
        .bearer_auth(token)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

fn assert_shape(body: &Value) {
    let obj = body
        .as_object()
        .unwrap_or_else(|| panic!("not a JSON object: {body}"));
    assert_eq!(obj.len(), 2, "{body}");
    assert!(
        obj["code"]
            .as_str()
            .unwrap()
            .chars()
            .all(|c| c.is_ascii_lowercase() || c == '-')
    );
    assert!(!obj["message"].as_str().unwrap().is_empty());
}

#[tokio::test]
async fn malformed_json_unknown_fields_oversize_and_wrong_type_get_the_error_shape() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let cases: [(&str, Vec<u8>, StatusCode, &str); 5] = [
        (
            "application/json",
            b"{\"title\": ".to_vec(),
            StatusCode::BAD_REQUEST,
            "invalid-body",
        ),
        (
            "application/json",
            br#"{"title": "x", "colour": "red"}"#.to_vec(),
            StatusCode::BAD_REQUEST,
            "invalid-body",
        ),
        (
            "application/json",
            br#"{"title": 42}"#.to_vec(),
            StatusCode::BAD_REQUEST,
            "invalid-body",
        ),
        (
            "application/json",
            format!("{{\"title\": \"{}\"}}", "x".repeat(70_000)).into_bytes(),
            StatusCode::PAYLOAD_TOO_LARGE,
            "body-too-large",
        ),
        (
            "text/plain",
            br#"{"title": "x"}"#.to_vec(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
        ),
    ];
    for (ct, body, status, code) in cases {
        let (got, json) = raw(&app, "/api/contests", &admin, ct, body).await;
        assert_eq!(
            (got, json["code"].as_str().unwrap_or("")),
            (status, code),
            "{json}"
        );
        assert_shape(&json);
    }
}

#[tokio::test]
async fn unknown_routes_bad_ids_and_bad_queries_get_the_error_shape() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let r = app
        .call("GET", "/api/no-such-thing", Some(&admin), None)
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::NOT_FOUND, "route-not-found")
    );
    assert_shape(&r.body);
    let r = app
        .call("GET", "/api/contests/not-a-uuid", Some(&admin), None)
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_shape(&r.body);
    let cid = app.create_contest(&admin, "C").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = app
        .call(
            "GET",
            &format!("/api/contests/{cid}/participants?role=wizard"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::BAD_REQUEST, "invalid-query")
    );
    assert_shape(&r.body);
    let r = app.call("GET", "/api/contests", None, None).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::UNAUTHORIZED, "sign-in-required")
    );
    assert_shape(&r.body);
}
