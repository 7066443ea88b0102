//! Publishing rules: a tie touching the top 3 blocks confirming and publishing until the admin decides it; publishing
//! needs a confirmed result; the public page exists only while published.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::spawn_app;

#[tokio::test]
async fn publish_is_refused_with_an_unresolved_top3_tie_and_allowed_after_the_decision() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let c = app
        .judging_contest(
            &admin,
            &["Lotus", "Mekong", "Angkor"],
            &["J1", "J2", "J3"],
            false,
        )
        .await;
    let cid = &c.contest_id;
    let (a, b, last) = (&c.groups[0].2, &c.groups[1].2, &c.groups[2].2);
    // Lotus and Mekong: same mean (7), same median (7), two first places each: the tie rule cannot split them.
    let sheet = [(a, [8, 6, 7]), (b, [6, 8, 7]), (last, [5, 5, 5])];
    for (entry, marks) in sheet {
        for (j, m) in marks.iter().enumerate() {
            app.score_entry(&c.jurors[j].1, cid, entry, [*m; 5], "", "")
                .await;
        }
    }
    let public = format!("/api/public/contests/{}/results", c.slug);
    assert_eq!(
        app.call("GET", &public, None, None).await.status,
        StatusCode::NOT_FOUND
    );

    let r = app
        .call(
            "GET",
            &format!("/api/contests/{cid}/results"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["can_publish"], false);
    assert_eq!(r.body["ranking"]["ties"][0]["place"], 1);
    assert_eq!(r.body["ranking"]["ties"][0]["touches_top3"], true);

    assert_eq!(
        app.transition(&admin, cid, "closed", None).await.status,
        StatusCode::OK
    );
    let refused = app.transition(&admin, cid, "published", None).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert_eq!(refused.code(), "unresolved-top3-tie");
    let confirm = format!("/api/contests/{cid}/results/confirm");
    let r = app
        .call("POST", &confirm, Some(&admin), Some(json!({})))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.code(), "unresolved-top3-tie");

    // A decision must name exactly the tied entries and give a reason.
    let ties = format!("/api/contests/{cid}/results/ties");
    let r = app
        .call(
            "POST",
            &ties,
            Some(&admin),
            Some(json!({"order": [b, a], "reason": "  "})),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.code(), "reason-required");
    let r = app
        .call(
            "POST",
            &ties,
            Some(&admin),
            Some(json!({"order": [b, a, last], "reason": "x"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.code(), "tie-decision-mismatch");
    let r = app
        .call(
            "POST",
            &ties,
            Some(&admin),
            Some(json!({"order": [b, a], "reason": "stronger consent shown; jury chair"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["can_publish"], true);
    assert_eq!(r.body["ranking"]["entries"][0]["entry"], b.as_str());
    assert_eq!(r.body["ranking"]["entries"][0]["decided_by"], "admin");

    let refused = app.transition(&admin, cid, "published", None).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert_eq!(refused.code(), "results-not-confirmed");
    let r = app
        .call("POST", &confirm, Some(&admin), Some(json!({})))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["places"][0]["group_name"], "Mekong");
    assert_eq!(r.body["places"][1]["group_name"], "Lotus");
    assert_eq!(
        app.transition(&admin, cid, "published", None).await.status,
        StatusCode::OK
    );

    let p = app.call("GET", &public, None, None).await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.body);
    assert_eq!(p.body["winners"][0]["group_name"], "Mekong");
    assert_eq!(p.body["winners"].as_array().unwrap().len(), 3);

    // Unpublishing needs a reason and hides the page again.
    let r = app.transition(&admin, cid, "closed", None).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = app
        .transition(&admin, cid, "closed", Some("a consent form was missing"))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        app.call("GET", &public, None, None).await.status,
        StatusCode::NOT_FOUND
    );

    let audit = app
        .call(
            "GET",
            &format!("/api/contests/{cid}/audit"),
            Some(&admin),
            None,
        )
        .await;
    let decision = audit
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["action"] == "results.tie_decision")
        .unwrap();
    assert_eq!(decision["reason"], "stronger consent shown; jury chair");
    assert_eq!(decision["after"]["order"], json!([b, a]));
}

#[tokio::test]
async fn going_back_to_judging_withdraws_the_confirmation() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let c = app
        .judging_contest(&admin, &["A", "B", "C"], &["J1"], false)
        .await;
    let cid = &c.contest_id;
    for (i, g) in c.groups.iter().enumerate() {
        app.score_entry(&c.jurors[0].1, cid, &g.2, [9 - i as i64; 5], "", "")
            .await;
    }
    assert_eq!(
        app.transition(&admin, cid, "closed", None).await.status,
        StatusCode::OK
    );
    let confirm = format!("/api/contests/{cid}/results/confirm");
    assert_eq!(
        app.call("POST", &confirm, Some(&admin), Some(json!({})))
            .await
            .status,
        StatusCode::OK
    );
    let r = app
        .transition(&admin, cid, "judging", Some("one more look"))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        app.transition(&admin, cid, "closed", None).await.status,
        StatusCode::OK
    );
    let refused = app.transition(&admin, cid, "published", None).await;
    assert_eq!(refused.code(), "results-not-confirmed");
}
