//! Follow-up round: a new draft contest from a published one, with the same brief, rubric, tie rule and jurors
//! (new invites) and the groups the admin picks, keeping their names.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::spawn_app;

#[tokio::test]
async fn a_follow_up_round_copies_the_brief_rubric_and_jurors_and_invites_the_picked_groups() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let c = app
        .judging_contest(
            &admin,
            &["Lotus", "Mekong", "Angkor", "Tonle"],
            &["Dara", "Sokha"],
            false,
        )
        .await;
    let cid = &c.contest_id;
    let r = app
        .call(
            "PATCH",
            &format!("/api/contests/{cid}"),
            Some(&admin),
            Some(json!({"brief": "One minute on gender equality"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let follow_up = format!("/api/contests/{cid}/follow-up");
    let participants = app
        .call(
            "GET",
            &format!("/api/contests/{cid}/participants"),
            Some(&admin),
            None,
        )
        .await;
    let group_id = |name: &str| -> String {
        participants
            .body
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };

    // Not before publishing.
    let r = app
        .call(
            "POST",
            &follow_up,
            Some(&admin),
            Some(json!({"group_ids": [group_id("Lotus")]})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.code(), "contest-not-published");

    for (i, g) in c.groups.iter().enumerate() {
        for j in &c.jurors {
            app.score_entry(&j.1, cid, &g.2, [9 - i as i64; 5], "", "")
                .await;
        }
    }
    assert_eq!(
        app.transition(&admin, cid, "closed", None).await.status,
        StatusCode::OK
    );
    let r = app
        .call(
            "POST",
            &format!("/api/contests/{cid}/results/confirm"),
            Some(&admin),
            Some(json!({})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        app.transition(&admin, cid, "published", None).await.status,
        StatusCode::OK
    );

    let r = app
        .call(
            "POST",
            &follow_up,
            Some(&admin),
            Some(json!({"group_ids": []})),
        )
        .await;
    assert_eq!(r.code(), "follow-up-groups-required");
    let r = app
        .call(
            "POST",
            &follow_up,
            Some(&admin),
            Some(json!({"group_ids": [c.jurors[0].2]})),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.code(), "group-not-in-contest");

    let top3: Vec<String> = ["Lotus", "Mekong", "Angkor"]
        .iter()
        .map(|n| group_id(n))
        .collect();
    let r = app
        .call(
            "POST",
            &follow_up,
            Some(&admin),
            Some(json!({"group_ids": top3})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let new = &r.body["contest"];
    assert_eq!(new["status"], "draft");
    assert_eq!(new["title"], "Gender & ICT (follow-up)");
    assert_eq!(new["brief"], "One minute on gender equality");
    assert!(new["upload_deadline"].is_null());
    let source = app
        .call("GET", &format!("/api/contests/{cid}"), Some(&admin), None)
        .await;
    assert_eq!(new["rubric"], source.body["rubric"]);
    assert_eq!(new["tie_rule"], source.body["tie_rule"]);
    assert_eq!(new["key_messages"], source.body["key_messages"]);
    assert_ne!(new["slug"], source.body["slug"]);

    let people = r.body["participants"].as_array().unwrap();
    let mut names: Vec<(String, String)> = people
        .iter()
        .map(|p| {
            (
                p["role"].as_str().unwrap().to_owned(),
                p["name"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    names.sort();
    let expected: Vec<(String, String)> = [
        ("group", "Angkor"),
        ("group", "Lotus"),
        ("group", "Mekong"),
        ("juror", "Dara"),
        ("juror", "Sokha"),
    ]
    .iter()
    .map(|(r, n)| ((*r).to_owned(), (*n).to_owned()))
    .collect();
    assert_eq!(names, expected);
    // New invites: a picked group joins the new contest with its name.
    let lotus = people.iter().find(|p| p["name"] == "Lotus").unwrap();
    let token = lotus["invite"]["token"].as_str().unwrap();
    let redeemed = app
        .call(
            "POST",
            "/api/invites/redeem",
            None,
            Some(json!({"token": token})),
        )
        .await;
    assert_eq!(redeemed.status, StatusCode::OK, "{}", redeemed.body);
    assert_eq!(redeemed.body["name"], "Lotus");
    assert_eq!(redeemed.body["contest_id"], new["id"]);

    let audit = app
        .call(
            "GET",
            &format!("/api/contests/{}/audit", new["id"].as_str().unwrap()),
            Some(&admin),
            None,
        )
        .await;
    let entry = audit
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["action"] == "contest.follow_up")
        .unwrap();
    assert_eq!(entry["after"]["from_contest_id"], cid.as_str());
}
