//! The HTTP calls the scale tests make, against whichever node they are given.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::cluster::Node;

pub const ADMIN_EMAIL: &str = "admin@example.org";
pub const ADMIN_PASSWORD: &str = "correct horse battery staple";

async fn call(
    node: &Node,
    method: &str,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut req = reqwest::Client::new()
        .request(method.parse().unwrap(), node.url(path))
        .bearer_auth(token);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let res = req.send().await.unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

pub async fn login(node: &Node) -> String {
    let res = reqwest::Client::new()
        .post(node.url("/api/auth/login"))
        .json(&json!({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.unwrap();
    body["token"].as_str().unwrap().to_owned()
}

/// An open contest; returns its id.
pub async fn open_contest(node: &Node, admin: &str) -> String {
    let (s, c) = call(
        node,
        "POST",
        "/api/contests",
        admin,
        Some(json!({"title": "Scale", "key_messages": ["Share"]})),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{c}");
    let id = c["id"].as_str().unwrap().to_owned();
    let (s, b) = call(
        node,
        "POST",
        &format!("/api/contests/{id}/transitions"),
        admin,
        Some(json!({"to": "open"})),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    id
}

/// A group with a saved submission form; returns its session token.
pub async fn group(node: &Node, admin: &str, contest: &str, name: &str) -> String {
    let (s, p) = call(
        node,
        "POST",
        &format!("/api/contests/{contest}/participants"),
        admin,
        Some(json!({"role": "group", "name": name})),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{p}");
    let res = reqwest::Client::new()
        .post(node.url("/api/invites/redeem"))
        .json(&json!({"token": p["invite"]["token"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let session = res
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| {
            c.strip_prefix("clipjury_session=")
                .map(|r| r.split(';').next().unwrap_or("").to_owned())
        })
        .unwrap();
    let form = json!({
        "title": "Equal at home", "key_message": "Share", "purpose": "Change habits",
        "audience": "Teenagers", "description": "Brothers and sisters share chores.", "consent_confirmed": true
    });
    let (s, b) = call(
        node,
        "PUT",
        &format!("/api/contests/{contest}/submission"),
        &session,
        Some(form),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    session
}

fn tus(node: &Node, method: &str, path: &str, token: &str) -> reqwest::RequestBuilder {
    reqwest::Client::new()
        .request(method.parse().unwrap(), node.url(path))
        .header("Tus-Resumable", "1.0.0")
        .bearer_auth(token)
}

/// Uploads `bytes` with tus in `chunk`-sized PATCHes, the n-th PATCH (and a HEAD before it) going to
/// `nodes[n % nodes.len()]`. Returns the upload path.
pub async fn upload(nodes: &[&Node], group: &str, bytes: &[u8], chunk: usize) -> String {
    let res = tus(nodes[0], "POST", "/api/uploads", group)
        .header("Upload-Length", bytes.len().to_string())
        .header(
            "Upload-Metadata",
            "filename Y2xpcC5tcDQ=,filetype dmlkZW8vbXA0",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    let mut offset = 0;
    for (n, piece) in bytes.chunks(chunk).enumerate() {
        let node = nodes[n % nodes.len()];
        let head = tus(node, "HEAD", &location, group).send().await.unwrap();
        assert_eq!(
            head.headers()["upload-offset"].to_str().unwrap(),
            offset.to_string(),
            "HEAD on another node"
        );
        let res = tus(node, "PATCH", &location, group)
            .header("Upload-Offset", offset.to_string())
            .header("Content-Type", "application/offset+octet-stream")
            .body(piece.to_vec())
            .send()
            .await
            .unwrap();
        assert_eq!(
            res.status(),
            StatusCode::NO_CONTENT,
            "PATCH {n}: {}",
            res.text().await.unwrap_or_default()
        );
        offset += piece.len();
    }
    location
}

/// The group's submission as the API shows it.
pub async fn submission(node: &Node, group: &str, contest: &str) -> Value {
    call(
        node,
        "GET",
        &format!("/api/contests/{contest}/submission"),
        group,
        None,
    )
    .await
    .1
}

/// The original of a submission, downloaded by the admin.
pub async fn original(node: &Node, admin: &str, contest: &str, submission: &str) -> Vec<u8> {
    let res = reqwest::Client::new()
        .get(node.url(&format!(
            "/api/contests/{contest}/submissions/{submission}/original"
        )))
        .bearer_auth(admin)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    res.bytes().await.unwrap().to_vec()
}
