//! The juror's score card: drafts with versions, validation against the rubric, submit, recusal, the admin's reopen,
//! and when scores are accepted; the rubric and tie rule stay editable only until judging opens.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::spawn_app;

#[tokio::test]
async fn a_stale_version_is_refused_and_a_repeated_save_is_idempotent() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let c = app
        .judging_contest(&admin, &["A", "B"], &["J1"], false)
        .await;
    let (cid, entry, juror) = (&c.contest_id, &c.groups[0].2, &c.jurors[0].1);
    let path = format!("/api/contests/{cid}/entries/{entry}/score");

    let body =
        json!({"scores": {"message": 7}, "private_comment": "p", "feedback": "f", "version": 0});
    let first = app
        .call("PUT", &path, Some(juror), Some(body.clone()))
        .await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    assert_eq!(first.body["version"], 1);
    assert_eq!(first.body["progress"], "draft");
    // The same write again (a retried autosave) answers the stored card.
    let again = app.call("PUT", &path, Some(juror), Some(body)).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    assert_eq!(again.body["version"], 1);
    // A different write from an old version is stale.
    let stale = app
        .call(
            "PUT",
            &path,
            Some(juror),
            Some(json!({"scores": {"message": 8}, "version": 0})),
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert_eq!(stale.code(), "stale-version");
    let next = app
        .call(
            "PUT",
            &path,
            Some(juror),
            Some(json!({"scores": {"message": 8, "creativity": 7.0}, "version": 1})),
        )
        .await;
    assert_eq!(next.status, StatusCode::OK, "{}", next.body);
    assert_eq!(next.body["version"], 2);
    assert_eq!(next.body["scores"], json!({"creativity": 7, "message": 8}));

    let detail = app
        .call(
            "GET",
            &format!("/api/contests/{cid}/entries/{entry}"),
            Some(juror),
            None,
        )
        .await;
    assert_eq!(detail.status, StatusCode::OK, "{}", detail.body);
    assert_eq!(detail.body["my_score"]["version"], 2);
    assert_eq!(detail.body["group_name"], "A");
    assert_eq!(detail.body["key_message"], "Respect women equally");
    assert_eq!(
        detail.body["rubric"]["criteria"].as_array().unwrap().len(),
        5
    );
    // The entry's video is named; its renditions are offered only once stored (this test stores none).
    assert!(detail.body["media"]["video_id"].is_string());
    assert_eq!(
        detail.body["media"]["video_360p_url"],
        serde_json::Value::Null
    );
}

#[tokio::test]
async fn scores_are_checked_against_the_rubric_and_final_scores_are_locked_until_reopened() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let c = app
        .judging_contest(&admin, &["A", "B"], &["J1", "J2"], false)
        .await;
    let (cid, entry, juror) = (&c.contest_id, &c.groups[0].2, &c.jurors[0].1);
    let path = format!("/api/contests/{cid}/entries/{entry}/score");
    for (scores, code) in [
        (json!({"message": 11}), "score-out-of-range"),
        (json!({"message": 7.5}), "score-off-step"),
        (json!({"charisma": 7}), "criterion-unknown"),
    ] {
        let r = app
            .call(
                "PUT",
                &path,
                Some(juror),
                Some(json!({"scores": scores, "version": 0})),
            )
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
        assert_eq!(r.code(), code);
    }
    let submit = format!("{path}/submit");
    let r = app.call("POST", &submit, Some(juror), None).await;
    assert_eq!(r.code(), "score-missing");
    app.call(
        "PUT",
        &path,
        Some(juror),
        Some(json!({"scores": {"message": 7}, "version": 0})),
    )
    .await;
    let r = app.call("POST", &submit, Some(juror), None).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.code(), "scores-incomplete");

    let full = json!({"scores": {"message": 7, "creativity": 8, "technical_quality": 6, "impact": 9,
        "respect_consent": 10}, "version": 1});
    let r = app.call("PUT", &path, Some(juror), Some(full)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = app.call("POST", &submit, Some(juror), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["version"], 3);
    let r = app
        .call(
            "PUT",
            &path,
            Some(juror),
            Some(json!({"scores": {"message": 1}, "version": 3})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.code(), "score-final");
    let r = app
        .call(
            "POST",
            &format!("/api/contests/{cid}/entries/{entry}/recuse"),
            Some(juror),
            Some(json!({"reason": "conflict"})),
        )
        .await;
    assert_eq!(r.code(), "score-final");

    // The admin reopens with a reason; the juror may change the card again.
    let juror_id = &c.jurors[0].2;
    let reopen = format!("/api/contests/{cid}/entries/{entry}/jurors/{juror_id}/reopen");
    let r = app
        .call("POST", &reopen, Some(&admin), Some(json!({"reason": ""})))
        .await;
    assert_eq!(r.code(), "reason-required");
    let r = app
        .call(
            "POST",
            &reopen,
            Some(&admin),
            Some(json!({"reason": "typo in creativity"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["progress"], "draft");
    let r = app
        .call(
            "POST",
            &reopen,
            Some(&admin),
            Some(json!({"reason": "again"})),
        )
        .await;
    assert_eq!(r.code(), "score-not-final");
    let detail = app
        .call(
            "GET",
            &format!("/api/contests/{cid}/entries/{entry}"),
            Some(juror),
            None,
        )
        .await;
    let v = detail.body["my_score"]["version"].as_i64().unwrap();
    let r = app
        .call(
            "PUT",
            &path,
            Some(juror),
            Some(json!({"scores": {"message": 7, "creativity": 9, "technical_quality": 6, "impact": 9,
                "respect_consent": 10}, "version": v})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    // A recusal needs a reason.
    let other = format!("/api/contests/{cid}/entries/{}/recuse", c.groups[1].2);
    let r = app
        .call("POST", &other, Some(juror), Some(json!({"reason": " "})))
        .await;
    assert_eq!(r.code(), "reason-required");

    let audit = app
        .call(
            "GET",
            &format!("/api/contests/{cid}/audit"),
            Some(&admin),
            None,
        )
        .await;
    let reopened = audit
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["action"] == "score.reopen")
        .unwrap();
    assert_eq!(reopened["reason"], "typo in creativity");
    assert_eq!(reopened["before"]["status"], "final");
    assert_eq!(reopened["after"]["status"], "draft");

    // Once judging is closed, scores are refused.
    assert_eq!(
        app.transition(&admin, cid, "closed", None).await.status,
        StatusCode::OK
    );
    let r = app
        .call(
            "PUT",
            &path,
            Some(juror),
            Some(json!({"scores": {}, "version": 0})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.code(), "judging-not-open");
}

#[tokio::test]
async fn entries_are_hidden_before_judging_and_scores_refused_after_the_deadline() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let created = app.create_contest(&admin, "Early").await;
    let cid = created["id"].as_str().unwrap();
    let (_, invite) = app.add_participant(&admin, cid, "juror", "J").await;
    let juror = app.redeem(&invite).await;
    let r = app
        .call(
            "GET",
            &format!("/api/contests/{cid}/entries"),
            Some(&juror),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.code(), "judging-not-open");

    let c = app.judging_contest(&admin, &["A"], &["J1"], false).await;
    let past = (chrono::Utc::now() - chrono::Duration::minutes(1)).to_rfc3339();
    let r = app
        .call(
            "PATCH",
            &format!("/api/contests/{}", c.contest_id),
            Some(&admin),
            Some(json!({"upload_deadline": null, "judging_deadline": past})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = app
        .call(
            "PUT",
            &format!(
                "/api/contests/{}/entries/{}/score",
                c.contest_id, c.groups[0].2
            ),
            Some(&c.jurors[0].1),
            Some(json!({"scores": {"message": 5}, "version": 0})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.code(), "judging-deadline-passed");
}

#[tokio::test]
async fn the_rubric_and_tie_rule_are_editable_until_judging_opens() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let created = app.create_contest(&admin, "Rubric").await;
    let cid = created["id"].as_str().unwrap();
    assert_eq!(created["rubric"]["criteria"].as_array().unwrap().len(), 5);
    assert_eq!(created["rubric"]["criteria"][0]["key"], "message");
    assert_eq!(created["tie_rule"], json!(["median", "first_places"]));

    let rubric = json!({"criteria": [
        {"key": "message", "name": "Message", "weight": 2, "scale": {"min": 0, "max": 10, "step": 0.5}},
        {"key": "craft", "name": "Craft", "description": "Image and sound", "weight": 1,
         "scale": {"min": 1, "max": 5, "step": 1}}
    ]});
    let path = format!("/api/contests/{cid}/rubric");
    let r = app
        .call("PUT", &path, Some(&admin), Some(rubric.clone()))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["rubric"]["criteria"][1]["key"], "craft");
    let bad = json!({"criteria": [{"key": "m", "name": "M", "weight": 0, "scale": {"min": 1, "max": 10, "step": 1}}]});
    let r = app.call("PUT", &path, Some(&admin), Some(bad)).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.code(), "rubric-invalid");

    let tie = format!("/api/contests/{cid}/tie-rule");
    let r = app
        .call(
            "PUT",
            &tie,
            Some(&admin),
            Some(json!({"tie_rule": ["worst_score", "median"]})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["tie_rule"], json!(["worst_score", "median"]));
    let r = app
        .call(
            "PUT",
            &tie,
            Some(&admin),
            Some(json!({"tie_rule": ["median", "median"]})),
        )
        .await;
    assert_eq!(r.code(), "tie-rule-invalid");

    assert_eq!(
        app.transition(&admin, cid, "open", None).await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.transition(&admin, cid, "judging", None).await.status,
        StatusCode::OK
    );
    let r = app.call("PUT", &path, Some(&admin), Some(rubric)).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.code(), "contest-locked");
    let r = app
        .call("PUT", &tie, Some(&admin), Some(json!({"tie_rule": []})))
        .await;
    assert_eq!(r.code(), "contest-locked");
}

#[tokio::test]
async fn the_rubric_stays_locked_once_jurors_scored_even_after_moving_back() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let c = app.judging_contest(&admin, &["A"], &["J1"], false).await;
    let (cid, entry, juror) = (&c.contest_id, &c.groups[0].2, &c.jurors[0].1);
    let r = app
        .call(
            "PUT",
            &format!("/api/contests/{cid}/entries/{entry}/score"),
            Some(juror),
            Some(json!({"scores": {"message": 6}, "version": 0})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = app
        .transition(&admin, cid, "open", Some("one group uploads late"))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let rubric = json!({"criteria": [{"key": "m", "name": "M", "weight": 1,
        "scale": {"min": 1, "max": 5, "step": 1}}]});
    let r = app
        .call(
            "PUT",
            &format!("/api/contests/{cid}/rubric"),
            Some(&admin),
            Some(rubric),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.code(), "contest-locked");
    // The tie rule does not touch the cards and may still change.
    let r = app
        .call(
            "PUT",
            &format!("/api/contests/{cid}/tie-rule"),
            Some(&admin),
            Some(json!({"tie_rule": []})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}
