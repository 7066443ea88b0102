//! The matrix for accounts, contests, participants, invites, submissions and uploads, on a contest that goes from
//! draft to open on the way.

use reqwest::StatusCode;
use serde_json::json;

use super::{
    BAD, Body, CONFLICT, CREATED, Case, FORBIDDEN, NO_CONTENT, NOT_FOUND, OK, UNAUTH, admin_only,
    case, run,
};
use crate::helpers::spawn_app;

/// A 1×1 PNG: the smallest consent photo there is.
pub const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 0,
    1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89, 0, 0, 0, 0x0d, 0x49, 0x44, 0x41, 0x54,
    0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0, 0x1f, 0, 5, 0, 1, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0, 0,
    0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

/// Ids the rows need.
struct Ids {
    a: String,
    group_a_id: String,
    /// Group A's invite token (inspected, never redeemed by the rows).
    group_a_token: String,
    /// A juror invite of contest B that every caller may redeem.
    fresh_token: String,
}

/// Ids known once contest A is open: group A's unfinished tus upload, its submission and its uploaded video.
struct OpenIds {
    upload: String,
    submission: String,
    video: String,
}

fn before_open(ids: &Ids) -> Vec<Case> {
    let a = &ids.a;
    let p = format!("/api/contests/{a}/participants/{}", ids.group_a_id);
    let j = |v: serde_json::Value| Body::Json(v);
    vec![
        case("GET", "/healthz".into(), Body::None, [OK; 6]),
        case("GET", "/readyz".into(), Body::None, [OK; 6]),
        case("GET", "/api/openapi.json".into(), Body::None, [OK; 6]),
        case(
            "GET",
            "/api/auth/me".into(),
            Body::None,
            [UNAUTH, OK, OK, OK, OK, OK],
        ),
        case(
            "POST",
            "/api/auth/login".into(),
            j(json!({"email": "nobody@example.org", "password": "wrong password!!"})),
            [UNAUTH; 6],
        ),
        case(
            "POST",
            "/api/auth/setup".into(),
            j(
                json!({"token": "x", "email": "new@example.org", "password": "long enough password"}),
            ),
            [CONFLICT; 6],
        ),
        case(
            "GET",
            "/api/contests".into(),
            Body::None,
            [UNAUTH, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK],
        ),
        case(
            "GET",
            "/api/room".into(),
            Body::None,
            [UNAUTH, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK],
        ),
        case(
            "POST",
            "/api/contests".into(),
            j(json!({"title": "New"})),
            [UNAUTH, FORBIDDEN, FORBIDDEN, FORBIDDEN, CREATED, CREATED],
        ),
        case(
            "GET",
            format!("/api/contests/{a}"),
            Body::None,
            [UNAUTH, OK, NOT_FOUND, OK, OK, NOT_FOUND],
        ),
        case(
            "PATCH",
            format!("/api/contests/{a}"),
            j(json!({"brief": "b"})),
            admin_only(OK),
        ),
        case(
            "GET",
            format!("/api/contests/{a}/audit"),
            Body::None,
            admin_only(OK),
        ),
        case(
            "GET",
            format!("/api/contests/{a}/participants"),
            Body::None,
            admin_only(OK),
        ),
        case(
            "POST",
            format!("/api/contests/{a}/participants"),
            j(json!({"role": "juror", "name": "Juror X"})),
            admin_only(CREATED),
        ),
        case(
            "PATCH",
            p.clone(),
            j(json!({"name": "Group A"})),
            admin_only(OK),
        ),
        case(
            "GET",
            format!("{p}/invite/qr.svg"),
            Body::None,
            admin_only(OK),
        ),
        case(
            "GET",
            format!("{p}/invite/qr.png"),
            Body::None,
            admin_only(OK),
        ),
        case(
            "POST",
            "/api/invites/inspect".into(),
            j(json!({"token": ids.group_a_token})),
            [OK; 6],
        ),
        case(
            "POST",
            "/api/invites/redeem".into(),
            j(json!({"token": ids.fresh_token})),
            [OK; 6],
        ),
        case(
            "POST",
            format!("/api/contests/{a}/transitions"),
            j(json!({"to": "open"})),
            admin_only(OK),
        ),
    ]
}

fn open(ids: &Ids, o: &OpenIds) -> Vec<Case> {
    let a = &ids.a;
    let p = format!("/api/contests/{a}/participants/{}", ids.group_a_id);
    let group_a_only = |ok: u16| [UNAUTH, ok, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN];
    let j = |v: serde_json::Value| Body::Json(v);
    let tus = |headers: &[(&'static str, &str)], body: Option<Vec<u8>>| {
        Body::Tus(
            headers.iter().map(|(k, v)| (*k, (*v).to_owned())).collect(),
            body,
        )
    };
    let upload = format!("/api/uploads/{}", o.upload);
    let sub = format!("/api/contests/{a}/submissions/{}", o.submission);
    vec![
        case(
            "PUT",
            format!("/api/contests/{a}/submission"),
            j(json!({"title": "T", "key_message": "K", "consent_confirmed": true})),
            group_a_only(OK),
        ),
        case(
            "GET",
            format!("/api/contests/{a}/submission"),
            Body::None,
            group_a_only(OK),
        ),
        case(
            "PUT",
            format!("/api/contests/{a}/submission/consent-photo"),
            Body::Form {
                field: "photo",
                bytes: PNG.to_vec(),
            },
            group_a_only(OK),
        ),
        case(
            "GET",
            format!("/api/contests/{a}/submission/consent-photo"),
            Body::None,
            group_a_only(OK),
        ),
        case(
            "GET",
            format!("{sub}/consent-photo"),
            Body::None,
            admin_only(OK),
        ),
        case("GET", format!("{sub}/original"), Body::None, admin_only(OK)),
        case(
            "GET",
            format!("/api/contests/{a}/submissions"),
            Body::None,
            admin_only(OK),
        ),
        case(
            "POST",
            format!("{sub}/accept-video"),
            j(json!({"video_id": o.video, "reason": "late but fine"})),
            admin_only(CONFLICT),
        ),
        // A group's upload URL is its own: another group, a juror, an admin get nothing.
        case(
            "OPTIONS",
            "/api/uploads".into(),
            Body::None,
            [NO_CONTENT; 6],
        ),
        case(
            "HEAD",
            upload.clone(),
            tus(&[], None),
            [UNAUTH, OK, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN],
        ),
        case(
            "PATCH",
            upload.clone(),
            tus(
                &[
                    ("Upload-Offset", "0"),
                    ("Content-Type", "application/offset+octet-stream"),
                ],
                Some(vec![1; 10]),
            ),
            [
                UNAUTH, NO_CONTENT, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN,
            ],
        ),
        case(
            "DELETE",
            upload,
            tus(&[], None),
            [
                UNAUTH, NO_CONTENT, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN,
            ],
        ),
        // An upload always goes to the caller's own entry: group B has none yet in its own contest.
        case(
            "POST",
            "/api/uploads".into(),
            tus(&[("Upload-Length", "1000")], None),
            [UNAUTH, CREATED, CONFLICT, FORBIDDEN, FORBIDDEN, FORBIDDEN],
        ),
        case(
            "POST",
            format!("/api/contests/{a}/submission/video"),
            Body::Form {
                field: "video",
                bytes: vec![0; 1000],
            },
            group_a_only(OK),
        ),
        case(
            "POST",
            format!("{p}/uploads/reset"),
            Body::None,
            admin_only(OK),
        ),
        // Destructive rows last: they end group A's session and sign the admin of A out.
        case("POST", format!("{p}/invite"), Body::None, admin_only(OK)),
        case(
            "DELETE",
            format!("{p}/invite"),
            Body::None,
            [UNAUTH, UNAUTH, FORBIDDEN, FORBIDDEN, NO_CONTENT, NOT_FOUND],
        ),
        case(
            "DELETE",
            format!("/api/contests/{a}/participants/{}", ids.group_a_id),
            Body::None,
            [UNAUTH, UNAUTH, FORBIDDEN, FORBIDDEN, CONFLICT, NOT_FOUND],
        ),
        case(
            "POST",
            "/api/auth/logout".into(),
            Body::None,
            [NO_CONTENT; 6],
        ),
    ]
}

/// The rows with stand-in ids, for the coverage check.
pub fn placeholder_cases() -> Vec<Case> {
    let ids = Ids {
        a: "c".into(),
        group_a_id: "p".into(),
        group_a_token: "t".into(),
        fresh_token: "f".into(),
    };
    let o = OpenIds {
        upload: "u".into(),
        submission: "s".into(),
        video: "v".into(),
    };
    let mut all = before_open(&ids);
    all.extend(open(&ids, &o));
    all
}

#[tokio::test]
async fn every_account_contest_participant_and_upload_endpoint_answers_each_caller_as_the_policy_says()
 {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let other_admin = app.other_admin_token().await;
    let a = app.create_contest(&admin, "Contest A").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let b = app.create_contest(&admin, "Contest B").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (group_a_id, group_a_token) = app.add_participant(&admin, &a, "group", "Group A").await;
    let (_, group_b_invite) = app.add_participant(&admin, &b, "group", "Group B").await;
    let (_, juror_a_invite) = app.add_participant(&admin, &a, "juror", "Juror A").await;
    let (_, fresh_token) = app.add_participant(&admin, &b, "juror", "Juror B").await;
    let group_a = app.redeem(&group_a_token).await;
    let group_b = app.redeem(&group_b_invite).await;
    let juror_a = app.redeem(&juror_a_invite).await;
    let callers = [
        None,
        Some(group_a.as_str()),
        Some(group_b.as_str()),
        Some(juror_a.as_str()),
        Some(admin.as_str()),
        Some(other_admin.as_str()),
    ];
    let ids = Ids {
        a: a.clone(),
        group_a_id,
        group_a_token,
        fresh_token,
    };
    run(&app, callers, &before_open(&ids)).await;

    // Open now: group A has a form, one finished upload (a video) and one unfinished.
    app.save_submission(&group_a, &a).await;
    app.upload_file(&group_a, &crate::helpers::test_bytes(2000, 1))
        .await;
    let upload = app.create_upload(&group_a, 100).await;
    let own = app.own_submission(&group_a, &a).await;
    let video = own["latest_video"]["id"]
        .as_str()
        .or(own["current_video"]["id"].as_str())
        .unwrap()
        .to_owned();
    let o = OpenIds {
        upload: upload.trim_start_matches("/api/uploads/").to_owned(),
        submission: own["id"].as_str().unwrap().to_owned(),
        video,
    };
    run(&app, callers, &open(&ids, &o)).await;

    // After logout the admin's token is worthless.
    let r = app.call("GET", "/api/auth/me", Some(&admin), None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let _ = BAD;
}
