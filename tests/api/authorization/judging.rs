//! The matrix for judging, results, exports, video files and the public page, on a contest in `judging`.

use serde_json::json;

use super::{BAD, Body, CONFLICT, Case, FORBIDDEN, NOT_FOUND, OK, UNAUTH, admin_only, case, run};
use crate::helpers::{TestApp, spawn_app};

struct Ids {
    cid: String,
    slug: String,
    e1: String,
    e2: String,
    juror_id: String,
    /// Group A's visible video (entry e1), whose 360p file is stored.
    video: String,
}

fn cases(ids: &Ids) -> Vec<Case> {
    let Ids {
        cid,
        slug,
        e1,
        e2,
        juror_id,
        video,
    } = ids;
    let juror_only = |ok: u16| [UNAUTH, FORBIDDEN, NOT_FOUND, ok, FORBIDDEN, NOT_FOUND];
    let j = |v: serde_json::Value| Body::Json(v);
    vec![
        case(
            "GET",
            format!("/api/contests/{cid}/entries"),
            Body::None,
            juror_only(OK),
        ),
        case(
            "GET",
            format!("/api/contests/{cid}/entries/{e1}"),
            Body::None,
            juror_only(OK),
        ),
        // The entry's video: its group, the jurors of its contest (judging has started) and its admin.
        case(
            "GET",
            format!("/api/videos/{video}/360p.mp4"),
            Body::None,
            [UNAUTH, OK, NOT_FOUND, OK, OK, NOT_FOUND],
        ),
        case(
            "PUT",
            format!("/api/contests/{cid}/entries/{e1}/score"),
            j(json!({"scores": {"message": 5}, "version": 0})),
            juror_only(OK),
        ),
        case(
            "POST",
            format!("/api/contests/{cid}/entries/{e1}/score/submit"),
            Body::None,
            juror_only(BAD),
        ),
        case(
            "POST",
            format!("/api/contests/{cid}/entries/{e2}/recuse"),
            j(json!({"reason": "cousin"})),
            juror_only(OK),
        ),
        case(
            "POST",
            format!("/api/contests/{cid}/entries/{e2}/jurors/{juror_id}/reopen"),
            j(json!({"reason": "asked to"})),
            admin_only(OK),
        ),
        case(
            "GET",
            format!("/api/contests/{cid}/judging/progress"),
            Body::None,
            admin_only(OK),
        ),
        case(
            "GET",
            format!("/api/contests/{cid}/scores"),
            Body::None,
            admin_only(OK),
        ),
        case(
            "GET",
            format!("/api/contests/{cid}/results"),
            Body::None,
            admin_only(OK),
        ),
        case(
            "POST",
            format!("/api/contests/{cid}/results/ties"),
            j(json!({"order": [e1], "reason": "x"})),
            admin_only(BAD),
        ),
        case(
            "POST",
            format!("/api/contests/{cid}/results/confirm"),
            j(json!({})),
            admin_only(CONFLICT),
        ),
        case(
            "PUT",
            format!("/api/contests/{cid}/rubric"),
            j(json!({"criteria": [{"key": "m", "name": "M", "weight": 1,
                "scale": {"min": 1, "max": 10, "step": 1}}]})),
            admin_only(CONFLICT),
        ),
        case(
            "PUT",
            format!("/api/contests/{cid}/tie-rule"),
            j(json!({"tie_rule": ["median"]})),
            admin_only(CONFLICT),
        ),
        case(
            "GET",
            format!("/api/contests/{cid}/submission/feedback"),
            Body::None,
            [UNAUTH, CONFLICT, NOT_FOUND, FORBIDDEN, FORBIDDEN, NOT_FOUND],
        ),
        case(
            "GET",
            format!("/api/contests/{cid}/scores.csv"),
            Body::None,
            admin_only(OK),
        ),
        case(
            "GET",
            format!("/api/contests/{cid}/results.csv"),
            Body::None,
            admin_only(OK),
        ),
        case(
            "POST",
            format!("/api/contests/{cid}/scores/import"),
            Body::Csv("juror,entry\n"),
            admin_only(BAD),
        ),
        case(
            "POST",
            format!("/api/contests/{cid}/follow-up"),
            j(json!({"title": "Follow-up", "group_ids": [e1]})),
            admin_only(CONFLICT),
        ),
        case(
            "GET",
            format!("/api/public/contests/{slug}/results"),
            Body::None,
            [NOT_FOUND; 6],
        ),
    ]
}

/// The session of a `role` ("group" or "juror") of a new contest B of the same admin.
async fn in_contest_b(app: &TestApp, admin: &str, role: &str) -> String {
    let b = app.create_contest(admin, "Contest B").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (_, invite) = app.add_participant(admin, &b, role, "Participant B").await;
    app.redeem(&invite).await
}

/// The rows with stand-in ids, for the coverage check.
pub fn placeholder_cases() -> Vec<Case> {
    cases(&Ids {
        cid: "c".into(),
        slug: "s".into(),
        e1: "e1".into(),
        e2: "e2".into(),
        juror_id: "j".into(),
        video: "v".into(),
    })
}

#[tokio::test]
async fn every_judging_endpoint_answers_each_caller_as_the_policy_says() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let other_admin = app.other_admin_token().await;
    let a = app
        .judging_contest(&admin, &["Group A", "Group A2"], &["Juror A"], false)
        .await;
    let group_b = in_contest_b(&app, &admin, "group").await;
    let callers = [
        None,
        Some(a.groups[0].1.as_str()),
        Some(group_b.as_str()),
        Some(a.jurors[0].1.as_str()),
        Some(admin.as_str()),
        Some(other_admin.as_str()),
    ];
    let video = app.own_submission(&a.groups[0].1, &a.contest_id).await["current_video"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.services
        .storage()
        .put(
            &format!("videos/{video}/360p.mp4"),
            bytes::Bytes::from_static(b"a video"),
        )
        .await
        .unwrap();
    let ids = Ids {
        cid: a.contest_id.clone(),
        slug: a.slug.clone(),
        e1: a.groups[0].2.clone(),
        e2: a.groups[1].2.clone(),
        juror_id: a.jurors[0].2.clone(),
        video,
    };
    run(&app, callers, &cases(&ids)).await;
}

/// The matrix has no juror of another contest: like any outsider, they learn nothing of contest A, on the jurors'
/// endpoints and on a group's; inside contest A a wrong role is told so. A path whose contest is not an id is
/// `not-found`, whoever asks.
#[tokio::test]
async fn a_juror_of_another_contest_is_told_contest_a_does_not_exist() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let a = app
        .judging_contest(&admin, &["Group A"], &["Juror A"], false)
        .await;
    let juror_b = in_contest_b(&app, &admin, "juror").await;
    let (cid, e1) = (&a.contest_id, &a.groups[0].2);
    let (group_a, juror_a) = (&a.groups[0].1, &a.jurors[0].1);
    let entries = format!("/api/contests/{cid}/entries");
    let feedback = format!("/api/contests/{cid}/submission/feedback");
    let score = json!({"scores": {"message": 5}, "version": 0});
    let recuse = json!({"reason": "cousin"});
    let bad_id = "/api/contests/not-an-id/entries".to_owned();
    // (method, path, body, caller, status, code)
    let rows = [
        (
            "GET",
            entries.clone(),
            None,
            &juror_b,
            NOT_FOUND,
            "contest-not-found",
        ),
        (
            "GET",
            format!("{entries}/{e1}"),
            None,
            &juror_b,
            NOT_FOUND,
            "contest-not-found",
        ),
        (
            "PUT",
            format!("{entries}/{e1}/score"),
            Some(score),
            &juror_b,
            NOT_FOUND,
            "contest-not-found",
        ),
        (
            "POST",
            format!("{entries}/{e1}/recuse"),
            Some(recuse),
            &juror_b,
            NOT_FOUND,
            "contest-not-found",
        ),
        (
            "GET",
            feedback.clone(),
            None,
            &juror_b,
            NOT_FOUND,
            "contest-not-found",
        ),
        ("GET", entries, None, group_a, FORBIDDEN, "forbidden-role"),
        ("GET", feedback, None, juror_a, FORBIDDEN, "forbidden-role"),
        ("GET", bad_id.clone(), None, juror_a, NOT_FOUND, "not-found"),
        (
            "GET",
            bad_id.clone(),
            None,
            &juror_b,
            NOT_FOUND,
            "not-found",
        ),
        ("GET", bad_id, None, &admin, NOT_FOUND, "not-found"),
    ];
    for (method, path, body, caller, status, code) in rows {
        let r = app.call(method, &path, Some(caller), body).await;
        assert_eq!(r.status.as_u16(), status, "{method} {path}: {}", r.body);
        assert_eq!(r.body["code"], code, "{method} {path}");
    }
}
