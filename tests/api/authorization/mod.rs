//! Every endpoint × every kind of caller, against the access policy in DESIGN.md: anonymous: invite redemption,
//! health and published results; group/juror: their own contest only; admin: everything in their contests, nothing
//! in another admin's. The rows are written per OpenAPI operation, and a test reads the OpenAPI document and fails
//! for any operation without a row, so a new endpoint cannot ship without its line in the matrix.

mod general;
mod judging;

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::TestApp;

pub const OK: u16 = 200;
pub const CREATED: u16 = 201;
pub const NO_CONTENT: u16 = 204;
pub const BAD: u16 = 400;
pub const UNAUTH: u16 = 401;
pub const FORBIDDEN: u16 = 403;
pub const NOT_FOUND: u16 = 404;
pub const CONFLICT: u16 = 409;

/// What a row sends.
#[derive(Clone)]
pub enum Body {
    None,
    Json(Value),
    /// `text/csv`.
    Csv(&'static str),
    /// `multipart/form-data` with one file field.
    Form {
        field: &'static str,
        bytes: Vec<u8>,
    },
    /// A tus request: `Tus-Resumable` and these headers, with an optional body.
    Tus(Vec<(&'static str, String)>, Option<Vec<u8>>),
}

/// One row: a request and the status each caller gets, in the order anonymous, group of A, group of B, juror of A,
/// admin of A, admin of B.
pub struct Case {
    pub method: &'static str,
    pub path: String,
    pub body: Body,
    pub expect: [u16; 6],
}

pub fn case(method: &'static str, path: String, body: Body, expect: [u16; 6]) -> Case {
    Case {
        method,
        path,
        body,
        expect,
    }
}

pub fn admin_only(ok: u16) -> [u16; 6] {
    [UNAUTH, FORBIDDEN, FORBIDDEN, FORBIDDEN, ok, NOT_FOUND]
}

async fn send(app: &TestApp, case: &Case, token: Option<&str>) -> (StatusCode, Value) {
    let mut req = reqwest::Client::new().request(case.method.parse().unwrap(), app.url(&case.path));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    req = match &case.body {
        Body::None => req,
        Body::Json(v) => req.json(v),
        Body::Csv(text) => req.header("Content-Type", "text/csv").body(*text),
        Body::Form { field, bytes } => req.multipart(reqwest::multipart::Form::new().part(
            *field,
            reqwest::multipart::Part::bytes(bytes.clone()).file_name("file.bin"),
        )),
        Body::Tus(headers, body) => {
            let mut r = req.header("Tus-Resumable", "1.0.0");
            for (k, v) in headers {
                r = r.header(*k, v);
            }
            match body {
                Some(b) => r.body(b.clone()),
                None => r,
            }
        }
    };
    let res = req.send().await.unwrap();
    let status = res.status();
    let bytes = res.bytes().await.unwrap();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

/// Runs every row as each caller (the admin of A last, so the others meet the state before the change) and fails
/// with every mismatch at once.
pub async fn run(app: &TestApp, callers: [Option<&str>; 6], cases: &[Case]) {
    let mut failures = Vec::new();
    for case in cases {
        for i in [0, 1, 2, 3, 5, 4] {
            let (status, body) = send(app, case, callers[i]).await;
            if status != StatusCode::from_u16(case.expect[i]).unwrap() {
                failures.push(format!(
                    "{} {} as caller {i}: got {status} {body}, want {}",
                    case.method, case.path, case.expect[i]
                ));
            }
            if status.is_client_error() && case.method != "HEAD" && !body["code"].is_string() {
                failures.push(format!(
                    "{} {}: error without a code",
                    case.method, case.path
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "authorization matrix mismatches:\n{}",
        failures.join("\n")
    );
}

/// `/api/contests/{contest_id}` as a pattern that matches concrete paths.
fn matches(template: &str, path: &str) -> bool {
    let t: Vec<&str> = template.split('/').collect();
    let p: Vec<&str> = path.split('?').next().unwrap_or(path).split('/').collect();
    t.len() == p.len()
        && t.iter().zip(&p).all(|(t, p)| {
            if t.starts_with('{') && t.ends_with('}') {
                !p.is_empty()
            } else {
                t == p
            }
        })
}

#[test]
fn every_operation_in_the_openapi_document_has_a_row_in_the_matrix() {
    use utoipa::OpenApi as _;
    let doc = serde_json::to_value(clipjury_api::openapi::ApiDoc::openapi()).unwrap();
    let rows: Vec<(String, String)> = general::placeholder_cases()
        .into_iter()
        .chain(judging::placeholder_cases())
        .map(|c| (c.method.to_owned(), c.path))
        .collect();
    let mut missing = Vec::new();
    for (template, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            let method = method.to_uppercase();
            if !["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
                .contains(&method.as_str())
            {
                continue;
            }
            if !rows
                .iter()
                .any(|(m, p)| *m == method && matches(template, p))
            {
                missing.push(format!("{method} {template}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "operations without a row in tests/api/authorization:\n{}",
        missing.join("\n")
    );
}

#[test]
fn the_pattern_match_is_by_segment() {
    assert!(matches("/api/contests/{contest_id}", "/api/contests/abc"));
    assert!(!matches(
        "/api/contests/{contest_id}",
        "/api/contests/abc/entries"
    ));
    assert!(matches(
        "/api/videos/{video_id}/{file}",
        "/api/videos/v/720p.mp4?download=1"
    ));
    assert!(!matches("/api/room", "/api/rooms"));
}
