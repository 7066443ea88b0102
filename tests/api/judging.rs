//! The judging flow end to end: three jurors score six entries concurrently (one recusal), the API's ranking equals
//! the domain engine's on the same numbers, then close, confirm, publish, public results and group feedback.

use clipjury_domain::judging::{
    Cell, Exact, Method, RankOptions, Rubric, ScoreMatrix, TieRule, rank_matrix,
};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};
use crate::judging_helpers::marks_for;

/// The worked example of docs/judging.md: Dara, Sokha and Vanna; Vanna recuses from Group 4.
pub(crate) const GROUPS: [&str; 6] = [
    "Group 1", "Group 2", "Group 3", "Group 4", "Group 5", "Group 6",
];
pub(crate) const JURORS: [&str; 3] = ["Dara", "Sokha", "Vanna"];
pub(crate) const SHEET: [[Option<f64>; 6]; 3] = [
    [
        Some(8.6),
        Some(7.2),
        Some(7.8),
        Some(6.4),
        Some(5.0),
        Some(5.2),
    ],
    [
        Some(9.0),
        Some(8.4),
        Some(7.6),
        Some(7.2),
        Some(6.8),
        Some(5.8),
    ],
    [Some(8.8), Some(7.6), Some(7.8), None, Some(8.6), Some(6.0)],
];

pub(crate) async fn score_row(
    app: &TestApp,
    juror: &str,
    juror_name: &str,
    contest_id: &str,
    entries: &[String],
    row: &[Option<f64>; 6],
) -> Vec<Value> {
    let mut bodies = Vec::new();
    for (i, (entry, cell)) in entries.iter().zip(row).enumerate() {
        match cell {
            Some(overall) => {
                let private = format!("private note of {juror_name} on entry {i}");
                let feedback = format!("feedback of {juror_name} on entry {i}");
                bodies.extend(
                    app.score_entry(
                        juror,
                        contest_id,
                        entry,
                        marks_for(*overall),
                        &private,
                        &feedback,
                    )
                    .await,
                );
            }
            None => {
                let r = app
                    .call(
                        "POST",
                        &format!("/api/contests/{contest_id}/entries/{entry}/recuse"),
                        Some(juror),
                        Some(json!({"reason": "my niece is in this group"})),
                    )
                    .await;
                assert_eq!(r.status, StatusCode::OK, "{}", r.body);
                assert_eq!(r.body["progress"], "recused");
                bodies.push(r.body);
            }
        }
    }
    bodies
}

fn domain_ranking(juror_ids: &[String], entry_ids: &[String]) -> Value {
    let mut m = ScoreMatrix::new(juror_ids.to_vec(), entry_ids.to_vec()).unwrap();
    for (j, row) in SHEET.iter().enumerate() {
        for (e, cell) in row.iter().enumerate() {
            let cell = match cell {
                Some(x) => Cell::Scored(Exact::parse_decimal(&format!("{x}")).unwrap()),
                None => Cell::Recused,
            };
            m.set(&juror_ids[j], &entry_ids[e], cell).unwrap();
        }
    }
    let ranking = rank_matrix(
        &m,
        &RankOptions {
            method: Method::Mean,
            lower_is_better: false,
            tie_rule: TieRule::default(),
            score_range: Some(Rubric::default_for_new_contest().score_range()),
        },
    );
    // Through JSON text, as the API's answer travels, so both sides parse floats the same way.
    serde_json::from_str(&serde_json::to_string(&ranking).unwrap()).unwrap()
}

#[tokio::test]
async fn three_jurors_score_six_entries_concurrently_and_the_ranking_matches_the_domain_engine() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let c = app.judging_contest(&admin, &GROUPS, &JURORS, true).await;
    let cid = c.contest_id.clone();
    let entries: Vec<String> = c.groups.iter().map(|g| g.2.clone()).collect();
    let juror_ids: Vec<String> = c.jurors.iter().map(|j| j.2.clone()).collect();

    let (dara, sokha, vanna) = tokio::join!(
        score_row(&app, &c.jurors[0].1, "Dara", &cid, &entries, &SHEET[0]),
        score_row(&app, &c.jurors[1].1, "Sokha", &cid, &entries, &SHEET[1]),
        score_row(&app, &c.jurors[2].1, "Vanna", &cid, &entries, &SHEET[2]),
    );
    assert_eq!(dara.len() + sokha.len() + vanna.len(), 12 + 12 + 11);

    // Each juror's own progress.
    let list = app
        .call(
            "GET",
            &format!("/api/contests/{cid}/entries"),
            Some(&c.jurors[2].1),
            None,
        )
        .await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    assert_eq!(list.body["total"], 6);
    assert_eq!(list.body["final_count"], 5);
    assert_eq!(list.body["recused_count"], 1);
    assert_eq!(list.body["entries"][3]["progress"], "recused");
    assert_eq!(list.body["entries"][0]["label"], "Entry 1");
    assert!(list.body["entries"][0]["group_name"].is_null());

    // Progress matrix for the admin.
    let p = app
        .call(
            "GET",
            &format!("/api/contests/{cid}/judging/progress"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.body);
    let cells = p.body["cells"].as_array().unwrap();
    assert_eq!(cells.len(), 18);
    assert_eq!(
        cells.iter().filter(|c| c["progress"] == "final").count(),
        17
    );
    assert_eq!(
        cells.iter().filter(|c| c["progress"] == "recused").count(),
        1
    );

    // The results equal the domain engine's on the same numbers.
    let r = app
        .call(
            "GET",
            &format!("/api/contests/{cid}/results"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let api_jurors: Vec<String> = r.body["jurors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["juror_id"].as_str().unwrap().to_owned())
        .collect();
    let api_entries: Vec<String> = r.body["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["entry_id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(api_jurors, juror_ids);
    assert_eq!(api_entries, entries);
    assert_eq!(r.body["ranking"], domain_ranking(&juror_ids, &entries));

    // And they are the documented ones.
    let ranked: Vec<(String, u64, bool)> = r.body["ranking"]["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let i = entries
                .iter()
                .position(|x| x == e["entry"].as_str().unwrap())
                .unwrap();
            (
                GROUPS[i].to_owned(),
                e["place"].as_u64().unwrap(),
                e["tied"].as_bool().unwrap(),
            )
        })
        .collect();
    let expected = [
        ("Group 1", 1, false),
        ("Group 3", 2, false),
        ("Group 2", 3, false),
        ("Group 4", 4, true),
        ("Group 5", 4, true),
        ("Group 6", 6, false),
    ];
    for (got, want) in ranked.iter().zip(expected) {
        assert_eq!((got.0.as_str(), got.1, got.2), want);
    }
    let w = r.body["ranking"]["statistics"]["kendall_w"]
        .as_f64()
        .unwrap();
    assert!((w - 0.7333).abs() < 1e-3, "W = {w}");
    assert_eq!(r.body["can_publish"], true);
    assert_eq!(r.body["recused"], json!([entries[3]]));
    assert_eq!(r.body["high_spread"], json!([entries[4]]));
    assert_eq!(r.body["disagreeing_jurors"], json!([]));
    assert_eq!(r.body["ranking"]["methods"].as_array().unwrap().len(), 4);

    // The admin reads every card with its private comment and total.
    let cards = app
        .call(
            "GET",
            &format!("/api/contests/{cid}/scores"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(cards.status, StatusCode::OK, "{}", cards.body);
    let cards = cards.body.as_array().unwrap();
    assert_eq!(cards.len(), 18);
    let dara_first = cards
        .iter()
        .find(|c| c["juror_id"] == juror_ids[0].as_str() && c["entry_id"] == entries[0].as_str())
        .unwrap();
    assert_eq!(dara_first["total"], 8.6);
    assert_eq!(
        dara_first["private_comment"],
        "private note of Dara on entry 0"
    );

    // Close, confirm (the tie at place 4 does not block), publish.
    assert_eq!(
        app.transition(&admin, &cid, "closed", None).await.status,
        StatusCode::OK
    );
    let confirmed = app
        .call(
            "POST",
            &format!("/api/contests/{cid}/results/confirm"),
            Some(&admin),
            Some(json!({"honourable_mentions": [entries[4]]})),
        )
        .await;
    assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.body);
    let published = app.transition(&admin, &cid, "published", None).await;
    assert_eq!(published.status, StatusCode::OK, "{}", published.body);

    let public = app
        .call(
            "GET",
            &format!("/api/public/contests/{}/results", c.slug),
            None,
            None,
        )
        .await;
    assert_eq!(public.status, StatusCode::OK, "{}", public.body);
    let winners = public.body["winners"].as_array().unwrap();
    let names: Vec<&str> = winners
        .iter()
        .map(|w| w["group_name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Group 1", "Group 3", "Group 2"]);
    assert_eq!(winners[0]["place"], 1);
    assert_eq!(winners[0]["title"], "Video 1");
    assert_eq!(winners[0]["key_message"], "Respect women equally");
    let video = winners[0]["media"]["video_id"].as_str().unwrap();
    assert_eq!(
        winners[0]["media"]["poster_url"],
        format!("/api/videos/{video}/poster-640.jpg")
    );
    assert_eq!(
        public.body["honourable_mentions"][0]["group_name"],
        "Group 5"
    );
    let text = public.body.to_string();
    for (_, _, juror_id) in &c.jurors {
        assert!(!text.contains(juror_id.as_str()));
    }

    // Group 1 reads its feedback: three texts, no private notes, no juror ids.
    let fb = app
        .call(
            "GET",
            &format!("/api/contests/{cid}/submission/feedback"),
            Some(&c.groups[0].1),
            None,
        )
        .await;
    assert_eq!(fb.status, StatusCode::OK, "{}", fb.body);
    assert_eq!(fb.body["place"], 1);
    assert_eq!(fb.body["feedback"].as_array().unwrap().len(), 3);
    let text = fb.body.to_string();
    assert!(!text.contains("private note"));
    for (_, _, juror_id) in &c.jurors {
        assert!(!text.contains(juror_id.as_str()));
    }

    // Every step is in the audit log.
    let audit = app
        .call(
            "GET",
            &format!("/api/contests/{cid}/audit"),
            Some(&admin),
            None,
        )
        .await;
    let actions: Vec<&str> = audit
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions.iter().filter(|a| **a == "score.save").count(), 17);
    assert_eq!(actions.iter().filter(|a| **a == "score.submit").count(), 17);
    assert_eq!(actions.iter().filter(|a| **a == "score.recuse").count(), 1);
    assert!(actions.contains(&"results.confirm"));
    let publish = audit
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["action"] == "contest.transition" && a["after"]["status"] == "published")
        .unwrap();
    assert_eq!(publish["before"]["status"], "closed");
    assert!(publish["actor_id"].is_string());
}
