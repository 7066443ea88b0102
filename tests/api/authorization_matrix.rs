//! Every endpoint × every kind of caller, against the access policy in DESIGN.md:
//! anonymous: invite redemption and health only; group/juror: read their own contest; admin: everything in their
//! contests, nothing in another admin's.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::spawn_app;

const OK: u16 = 200;
const CREATED: u16 = 201;
const NO_CONTENT: u16 = 204;
const UNAUTH: u16 = 401;
const FORBIDDEN: u16 = 403;
const NOT_FOUND: u16 = 404;

struct Case {
    method: &'static str,
    path: String,
    body: Option<Value>,
    /// Expected status for: anonymous, group of A, group of B, juror of A, admin of A, admin of B.
    expect: [u16; 6],
}

#[tokio::test]
async fn every_endpoint_answers_each_caller_as_the_policy_says() {
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
    let (group_a_id, group_a_invite) = app.add_participant(&admin, &a, "group", "Group A").await;
    let (_, group_b_invite) = app.add_participant(&admin, &b, "group", "Group B").await;
    let (_, juror_a_invite) = app.add_participant(&admin, &a, "juror", "Juror A").await;
    let group_a = app.redeem(&group_a_invite).await;
    let group_b = app.redeem(&group_b_invite).await;
    let juror_a = app.redeem(&juror_a_invite).await;
    let callers: [Option<&str>; 6] = [
        None,
        Some(&group_a),
        Some(&group_b),
        Some(&juror_a),
        Some(&admin),
        Some(&other_admin),
    ];

    let p = format!("/api/contests/{a}/participants/{group_a_id}");
    let cases = vec![
        Case {
            method: "GET",
            path: "/healthz".into(),
            body: None,
            expect: [OK; 6],
        },
        Case {
            method: "GET",
            path: "/api/openapi.json".into(),
            body: None,
            expect: [OK; 6],
        },
        Case {
            method: "GET",
            path: "/api/auth/me".into(),
            body: None,
            expect: [UNAUTH, OK, OK, OK, OK, OK],
        },
        Case {
            method: "GET",
            path: "/api/contests".into(),
            body: None,
            expect: [UNAUTH, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK],
        },
        Case {
            method: "GET",
            path: "/api/room".into(),
            body: None,
            expect: [UNAUTH, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK],
        },
        Case {
            method: "POST",
            path: "/api/contests".into(),
            body: Some(json!({"title": "New"})),
            expect: [UNAUTH, FORBIDDEN, FORBIDDEN, FORBIDDEN, CREATED, CREATED],
        },
        Case {
            method: "GET",
            path: format!("/api/contests/{a}"),
            body: None,
            expect: [UNAUTH, OK, NOT_FOUND, OK, OK, NOT_FOUND],
        },
        Case {
            method: "PATCH",
            path: format!("/api/contests/{a}"),
            body: Some(json!({"brief": "b"})),
            expect: [UNAUTH, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, NOT_FOUND],
        },
        Case {
            method: "GET",
            path: format!("/api/contests/{a}/audit"),
            body: None,
            expect: [UNAUTH, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, NOT_FOUND],
        },
        Case {
            method: "GET",
            path: format!("/api/contests/{a}/participants"),
            body: None,
            expect: [UNAUTH, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, NOT_FOUND],
        },
        Case {
            method: "POST",
            path: format!("/api/contests/{a}/participants"),
            body: Some(json!({"role": "juror", "name": "Juror X"})),
            expect: [UNAUTH, FORBIDDEN, FORBIDDEN, FORBIDDEN, CREATED, NOT_FOUND],
        },
        Case {
            method: "PATCH",
            path: p.clone(),
            body: Some(json!({"name": "Group A"})),
            expect: [UNAUTH, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, NOT_FOUND],
        },
        Case {
            method: "GET",
            path: format!("{p}/invite/qr.svg"),
            body: None,
            expect: [UNAUTH, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, NOT_FOUND],
        },
        Case {
            method: "GET",
            path: format!("{p}/invite/qr.png"),
            body: None,
            expect: [UNAUTH, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, NOT_FOUND],
        },
        Case {
            method: "POST",
            path: format!("/api/contests/{a}/transitions"),
            body: Some(json!({"to": "open"})),
            expect: [UNAUTH, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, NOT_FOUND],
        },
        // The contest is open from here on.
        Case {
            method: "PUT",
            path: format!("/api/contests/{a}/submission"),
            body: Some(json!({"title": "T", "key_message": "K", "consent_confirmed": true})),
            expect: [UNAUTH, OK, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN],
        },
        Case {
            method: "GET",
            path: format!("/api/contests/{a}/submission"),
            body: None,
            expect: [UNAUTH, OK, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN],
        },
        Case {
            method: "GET",
            path: format!("/api/contests/{a}/submissions"),
            body: None,
            expect: [UNAUTH, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, NOT_FOUND],
        },
        // Destructive cases last: they end group A's session and remove it.
        Case {
            method: "POST",
            path: format!("{p}/invite"),
            body: None,
            expect: [UNAUTH, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, NOT_FOUND],
        },
        Case {
            method: "DELETE",
            path: format!("{p}/invite"),
            body: None,
            expect: [UNAUTH, UNAUTH, FORBIDDEN, FORBIDDEN, NO_CONTENT, NOT_FOUND],
        },
    ];

    let mut failures = Vec::new();
    for case in &cases {
        // The admin of A goes last so the other callers still meet the state before the change.
        for i in [0, 1, 2, 3, 5, 4] {
            let r = app
                .call(case.method, &case.path, callers[i], case.body.clone())
                .await;
            if r.status != StatusCode::from_u16(case.expect[i]).unwrap() {
                failures.push(format!(
                    "{} {} as caller {i}: got {} {}, want {}",
                    case.method, case.path, r.status, r.body, case.expect[i]
                ));
            }
            if r.status.is_client_error() {
                assert!(
                    r.body["code"].is_string(),
                    "error without code: {} {}",
                    case.method,
                    case.path
                );
            }
        }
    }
    assert!(
        failures.is_empty(),
        "authorization matrix mismatches:\n{}",
        failures.join("\n")
    );

    // Anonymous invite redemption works; a group cannot redeem its way into another contest's admin rights.
    let (_, fresh) = app.add_participant(&admin, &b, "juror", "Juror B").await;
    let r = app
        .call(
            "POST",
            "/api/invites/redeem",
            None,
            Some(json!({"token": fresh})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let r = app
        .call(
            "DELETE",
            &format!("/api/contests/{a}/participants/{group_a_id}"),
            Some(&group_b),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .call(
            "DELETE",
            &format!("/api/contests/{a}/participants/{group_a_id}"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::CONFLICT,
        "contest A is open now: removal refused"
    );
}

#[tokio::test]
async fn every_judging_endpoint_answers_each_caller_as_the_policy_says() {
    const BAD: u16 = 400;
    const CONFLICT: u16 = 409;
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let other_admin = app.other_admin_token().await;
    let a = app
        .judging_contest(&admin, &["Group A", "Group A2"], &["Juror A"], false)
        .await;
    let b = app.create_contest(&admin, "Contest B").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (_, group_b_invite) = app.add_participant(&admin, &b, "group", "Group B").await;
    let group_b = app.redeem(&group_b_invite).await;
    let callers: [Option<&str>; 6] = [
        None,
        Some(&a.groups[0].1),
        Some(&group_b),
        Some(&a.jurors[0].1),
        Some(&admin),
        Some(&other_admin),
    ];
    let cid = &a.contest_id;
    let (e1, e2) = (&a.groups[0].2, &a.groups[1].2);
    let juror_id = &a.jurors[0].2;
    let admin_only = |ok: u16| [UNAUTH, FORBIDDEN, FORBIDDEN, FORBIDDEN, ok, NOT_FOUND];
    let juror_only = |ok: u16| [UNAUTH, FORBIDDEN, NOT_FOUND, ok, FORBIDDEN, NOT_FOUND];
    let case = |method, path: String, body: Option<Value>, expect| Case {
        method,
        path,
        body,
        expect,
    };
    let cases = vec![
        case(
            "GET",
            format!("/api/contests/{cid}/entries"),
            None,
            juror_only(OK),
        ),
        case(
            "GET",
            format!("/api/contests/{cid}/entries/{e1}"),
            None,
            juror_only(OK),
        ),
        case(
            "PUT",
            format!("/api/contests/{cid}/entries/{e1}/score"),
            Some(json!({"scores": {"message": 5}, "version": 0})),
            juror_only(OK),
        ),
        case(
            "POST",
            format!("/api/contests/{cid}/entries/{e1}/score/submit"),
            None,
            juror_only(BAD),
        ),
        case(
            "POST",
            format!("/api/contests/{cid}/entries/{e2}/recuse"),
            Some(json!({"reason": "cousin"})),
            juror_only(OK),
        ),
        case(
            "POST",
            format!("/api/contests/{cid}/entries/{e2}/jurors/{juror_id}/reopen"),
            Some(json!({"reason": "asked to"})),
            admin_only(OK),
        ),
        case(
            "GET",
            format!("/api/contests/{cid}/judging/progress"),
            None,
            admin_only(OK),
        ),
        case(
            "GET",
            format!("/api/contests/{cid}/results"),
            None,
            admin_only(OK),
        ),
        case(
            "POST",
            format!("/api/contests/{cid}/results/ties"),
            Some(json!({"order": [e1], "reason": "x"})),
            admin_only(BAD),
        ),
        case(
            "POST",
            format!("/api/contests/{cid}/results/confirm"),
            Some(json!({})),
            admin_only(CONFLICT),
        ),
        case(
            "PUT",
            format!("/api/contests/{cid}/rubric"),
            Some(json!({"criteria": [{"key": "m", "name": "M", "weight": 1,
                "scale": {"min": 1, "max": 10, "step": 1}}]})),
            admin_only(CONFLICT),
        ),
        case(
            "PUT",
            format!("/api/contests/{cid}/tie-rule"),
            Some(json!({"tie_rule": ["median"]})),
            admin_only(CONFLICT),
        ),
        case(
            "GET",
            format!("/api/contests/{cid}/submission/feedback"),
            None,
            [UNAUTH, CONFLICT, NOT_FOUND, FORBIDDEN, FORBIDDEN, NOT_FOUND],
        ),
        case(
            "GET",
            format!("/api/contests/{cid}/scores.csv"),
            None,
            admin_only(OK),
        ),
        case(
            "GET",
            format!("/api/contests/{cid}/results.csv"),
            None,
            admin_only(OK),
        ),
        case(
            "POST",
            format!("/api/contests/{cid}/scores/import"),
            Some(json!("juror,entry")),
            // A JSON body is refused before the contest is looked at: nothing leaks to the other admin.
            [UNAUTH, FORBIDDEN, FORBIDDEN, FORBIDDEN, 415, 415],
        ),
        case(
            "GET",
            format!("/api/public/contests/{}/results", a.slug),
            None,
            [NOT_FOUND; 6],
        ),
    ];
    let mut failures = Vec::new();
    for case in &cases {
        for i in [0, 1, 2, 3, 5, 4] {
            let r = app
                .call(case.method, &case.path, callers[i], case.body.clone())
                .await;
            if r.status != StatusCode::from_u16(case.expect[i]).unwrap() {
                failures.push(format!(
                    "{} {} as caller {i}: got {} {}, want {}",
                    case.method, case.path, r.status, r.body, case.expect[i]
                ));
            }
            if r.status.is_client_error() {
                assert!(
                    r.body["code"].is_string(),
                    "error without code: {} {}",
                    case.method,
                    case.path
                );
            }
        }
    }
    assert!(
        failures.is_empty(),
        "authorization matrix mismatches:\n{}",
        failures.join("\n")
    );
}
