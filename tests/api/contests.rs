use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::spawn_app;

#[tokio::test]
async fn a_contest_is_created_with_defaults_read_listed_and_updated() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let c = app
        .create_contest(&admin, "  Use ICT for gender equality ")
        .await;
    assert_eq!(c["title"], "Use ICT for gender equality");
    assert_eq!(c["status"], "draft");
    assert_eq!(c["max_duration_seconds"], 60);
    assert_eq!(c["duration_tolerance_seconds"], 5);
    assert_eq!(c["max_upload_bytes"], 500_000_000);
    assert_eq!(c["ranking_method"], "mean");
    assert_eq!(c["anonymised"], false);
    assert_eq!(c["default_locale"], "en");
    assert!(
        c["slug"]
            .as_str()
            .unwrap()
            .starts_with("use-ict-for-gender-equality-")
    );
    let cid = c["id"].as_str().unwrap();

    let got = app
        .call("GET", &format!("/api/contests/{cid}"), Some(&admin), None)
        .await;
    // The admin's full view, tagged as such (a participant gets the brief).
    let mut got = got.body;
    assert_eq!(got["view"], "admin");
    got.as_object_mut().unwrap().remove("view");
    assert_eq!(got, c);
    let list = app.call("GET", "/api/contests", Some(&admin), None).await;
    assert_eq!(list.body.as_array().unwrap().len(), 1);

    let patch = json!({
        "brief": "Film one minute about respect.",
        "key_messages": ["To treat and respect women equally", "How to use ICT for gender equality?"],
        "max_duration_seconds": 90,
        "upload_deadline": "2026-12-01T12:00:00Z",
        "judging_deadline": "2026-12-01T16:00:00Z",
        "ranking_method": "zscore",
        "anonymised": true,
        "default_locale": "km"
    });
    let r = app
        .call(
            "PATCH",
            &format!("/api/contests/{cid}"),
            Some(&admin),
            Some(patch),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["max_duration_seconds"], 90);
    assert_eq!(r.body["ranking_method"], "zscore");
    assert_eq!(r.body["default_locale"], "km");
    assert_eq!(
        r.body["title"], "Use ICT for gender equality",
        "untouched fields stay"
    );
    let cleared = app
        .call(
            "PATCH",
            &format!("/api/contests/{cid}"),
            Some(&admin),
            Some(json!({"judging_deadline": null})),
        )
        .await;
    assert!(cleared.body["judging_deadline"].is_null());
    assert_eq!(cleared.body["upload_deadline"], "2026-12-01T12:00:00Z");
}

#[tokio::test]
async fn invalid_contest_fields_are_refused_with_codes() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let cases = [
        (json!({"title": "  "}), "contest-title-empty"),
        (
            json!({"title": "x", "ranking_method": "vibes"}),
            "ranking-method-unknown",
        ),
        (
            json!({"title": "x", "default_locale": "fr"}),
            "unknown-locale",
        ),
        (
            json!({"title": "x", "max_duration_seconds": 0}),
            "max-duration-out-of-range",
        ),
        (
            json!({"title": "x", "key_messages": ["a", "a"]}),
            "key-message-duplicate",
        ),
        (
            json!({"title": "x", "upload_deadline": "2026-12-02T00:00:00Z", "judging_deadline": "2026-12-01T00:00:00Z"}),
            "deadlines-out-of-order",
        ),
    ];
    for (body, code) in cases {
        let r = app
            .call("POST", "/api/contests", Some(&admin), Some(body.clone()))
            .await;
        assert_eq!(
            (r.status, r.code()),
            (StatusCode::BAD_REQUEST, code),
            "{body}"
        );
    }
}

#[tokio::test]
async fn every_lifecycle_step_is_allowed_once_and_logged_and_illegal_moves_are_refused() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let cid = app.create_contest(&admin, "C").await["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let r = app.transition(&admin, &cid, "judging", None).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::CONFLICT, "illegal-transition")
    );
    let r = app.transition(&admin, &cid, "draft", None).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::CONFLICT, "transition-unchanged")
    );
    let mut scoring = None;
    for to in ["open", "judging", "closed", "published"] {
        if to == "published" {
            // Publishing needs a confirmed result.
            let r = app
                .call(
                    "POST",
                    &format!("/api/contests/{cid}/results/confirm"),
                    Some(&admin),
                    Some(json!({})),
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        }
        let r = app.transition(&admin, &cid, to, None).await;
        assert_eq!(r.status, StatusCode::OK, "{to}: {}", r.body);
        assert_eq!(r.body["status"], to);
        if to == "open" {
            let (_, invite) = app.add_participant(&admin, &cid, "group", "G").await;
            let group = app.redeem(&invite).await;
            app.save_submission(&group, &cid).await;
            let entry = app.make_entry_ready(&group, &cid).await;
            let (_, invite) = app.add_participant(&admin, &cid, "juror", "J").await;
            scoring = Some((app.redeem(&invite).await, entry));
        }
        if to == "judging" {
            let (juror, entry) = scoring.as_ref().unwrap();
            app.score_entry(juror, &cid, entry, [7; 5], "", "").await;
        }
    }
    let r = app.transition(&admin, &cid, "closed", None).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::BAD_REQUEST, "transition-reason-required")
    );
    let r = app
        .transition(&admin, &cid, "open", Some("skip back"))
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::CONFLICT, "illegal-transition")
    );
    for (to, why) in [
        ("closed", "wrong winner announced"),
        ("judging", "juror 2 missed an entry"),
        ("open", "deadline extended"),
        ("draft", "rework brief"),
    ] {
        let r = app.transition(&admin, &cid, to, Some(why)).await;
        assert_eq!(r.status, StatusCode::OK, "{to}: {}", r.body);
    }
    let r = app.transition(&admin, &cid, "bogus", None).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);

    let log = app
        .call(
            "GET",
            &format!("/api/contests/{cid}/audit"),
            Some(&admin),
            None,
        )
        .await;
    let transitions: Vec<_> = log
        .body
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "contest.transition")
        .collect();
    assert_eq!(transitions.len(), 8);
    assert_eq!(transitions[4]["before"]["status"], "published");
    assert_eq!(transitions[4]["after"]["status"], "closed");
    assert_eq!(transitions[4]["reason"], "wrong winner announced");
    assert_eq!(transitions[0]["actor_role"], "admin");
    assert!(transitions[0]["reason"].is_null());
}

#[tokio::test]
async fn rules_lock_once_judging_starts_and_everything_locks_when_published() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let cid = app.create_contest(&admin, "C").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.transition(&admin, &cid, "open", None).await;
    // Publishing needs a confirmed result: one group's entry, scored by one juror.
    let (_, invite) = app.add_participant(&admin, &cid, "group", "G").await;
    let group = app.redeem(&invite).await;
    app.save_submission(&group, &cid).await;
    let entry = app.make_entry_ready(&group, &cid).await;
    let (_, invite) = app.add_participant(&admin, &cid, "juror", "J").await;
    let juror = app.redeem(&invite).await;
    let r = app
        .call(
            "PATCH",
            &format!("/api/contests/{cid}"),
            Some(&admin),
            Some(json!({"max_duration_seconds": 120})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "limits editable while open");
    app.transition(&admin, &cid, "judging", None).await;
    app.score_entry(&juror, &cid, &entry, [7; 5], "", "").await;
    let r = app
        .call(
            "PATCH",
            &format!("/api/contests/{cid}"),
            Some(&admin),
            Some(json!({"ranking_method": "median"})),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::CONFLICT, "contest-locked")
    );
    let r = app
        .call(
            "PATCH",
            &format!("/api/contests/{cid}"),
            Some(&admin),
            Some(json!({"judging_deadline": "2030-01-01T00:00:00Z"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "deadlines stay editable");
    app.transition(&admin, &cid, "closed", None).await;
    let r = app
        .call(
            "POST",
            &format!("/api/contests/{cid}/results/confirm"),
            Some(&admin),
            Some(json!({})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = app.transition(&admin, &cid, "published", None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = app
        .call(
            "PATCH",
            &format!("/api/contests/{cid}"),
            Some(&admin),
            Some(json!({"title": "New"})),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::CONFLICT, "contest-locked")
    );
}

#[tokio::test]
async fn admins_see_only_their_own_contests() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let other = app.other_admin_token().await;
    let cid = app.create_contest(&admin, "Mine").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.create_contest(&other, "Theirs").await;
    let mine = app.call("GET", "/api/contests", Some(&admin), None).await;
    assert_eq!(mine.body.as_array().unwrap().len(), 1);
    assert_eq!(mine.body[0]["title"], "Mine");
    let r = app
        .call("GET", &format!("/api/contests/{cid}"), Some(&other), None)
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::NOT_FOUND, "contest-not-found")
    );
}
