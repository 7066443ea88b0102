//! The blind rule: no juror endpoint ever returns another juror's id, name, scores or comments, in any state; in an
//! anonymised contest jurors never see group names.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::spawn_app;

const JURORS: [&str; 3] = ["Juror Alpha", "Juror Beta", "Juror Gamma"];
const GROUPS: [&str; 2] = ["Sunrise Crew", "Riverside Girls"];

fn card(juror: &str, mark: i64, version: i64) -> Value {
    json!({
        "scores": {"message": mark, "creativity": mark, "technical_quality": mark, "impact": mark,
                   "respect_consent": mark},
        "private_comment": format!("private words of {juror}"),
        "feedback": format!("kind words of {juror}"),
        "version": version,
    })
}

#[tokio::test]
async fn no_juror_endpoint_reveals_other_jurors_or_anonymised_groups() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let c = app.judging_contest(&admin, &GROUPS, &JURORS, true).await;
    let cid = &c.contest_id;
    let (e0, e1) = (&c.groups[0].2, &c.groups[1].2);

    // Every juror leaves a draft on entry 1 and a final on entry 2, except the last, who recuses from entry 1.
    for (j, (name, token, _)) in c.jurors.iter().enumerate() {
        let mark = 5 + j as i64;
        if j == 2 {
            let r = app
                .call(
                    "POST",
                    &format!("/api/contests/{cid}/entries/{e0}/recuse"),
                    Some(token),
                    Some(json!({"reason": format!("reason of {name}")})),
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        } else {
            let r = app
                .call(
                    "PUT",
                    &format!("/api/contests/{cid}/entries/{e0}/score"),
                    Some(token),
                    Some(card(name, mark, 0)),
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        }
        let r = app
            .call(
                "PUT",
                &format!("/api/contests/{cid}/entries/{e1}/score"),
                Some(token),
                Some(card(name, mark, 0)),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let r = app
            .call(
                "POST",
                &format!("/api/contests/{cid}/entries/{e1}/score/submit"),
                Some(token),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }

    for stage in ["judging", "closed"] {
        if stage == "closed" {
            assert_eq!(
                app.transition(&admin, cid, "closed", None).await.status,
                StatusCode::OK
            );
        }
        for (j, (name, token, _)) in c.jurors.iter().enumerate() {
            let mark = 5 + j as i64;
            let mut seen: Vec<(String, Value)> = Vec::new();
            let calls: Vec<(&str, String, Option<Value>)> = vec![
                ("GET", format!("/api/contests/{cid}/entries"), None),
                ("GET", format!("/api/contests/{cid}/entries/{e0}"), None),
                ("GET", format!("/api/contests/{cid}/entries/{e1}"), None),
                (
                    "PUT",
                    format!("/api/contests/{cid}/entries/{e0}/score"),
                    Some(card(name, mark, 0)),
                ),
                (
                    "PUT",
                    format!("/api/contests/{cid}/entries/{e1}/score"),
                    Some(card(name, 9, 0)),
                ),
                (
                    "POST",
                    format!("/api/contests/{cid}/entries/{e1}/score/submit"),
                    None,
                ),
                (
                    "POST",
                    format!("/api/contests/{cid}/entries/{e0}/score/submit"),
                    None,
                ),
                (
                    "POST",
                    format!("/api/contests/{cid}/entries/{e0}/recuse"),
                    Some(json!({"reason": "r"})),
                ),
                ("GET", format!("/api/contests/{cid}"), None),
                ("GET", format!("/api/contests/{cid}/results"), None),
                ("GET", format!("/api/contests/{cid}/judging/progress"), None),
                ("GET", format!("/api/contests/{cid}/scores"), None),
                ("GET", format!("/api/contests/{cid}/scores.csv"), None),
                ("GET", format!("/api/contests/{cid}/audit"), None),
                (
                    "GET",
                    format!("/api/contests/{cid}/submission/feedback"),
                    None,
                ),
                (
                    "GET",
                    format!("/api/public/contests/{}/results", c.slug),
                    None,
                ),
            ];
            for (method, path, body) in calls {
                let r = app.call(method, &path, Some(token), body).await;
                if path.ends_with("/results")
                    || path.ends_with("/scores")
                    || path.ends_with("/scores.csv")
                    || path.ends_with("/progress")
                    || path.ends_with("/audit")
                    || path.ends_with("/feedback")
                {
                    assert!(
                        !r.status.is_success(),
                        "{method} {path} answered a juror: {}",
                        r.body
                    );
                }
                seen.push((format!("{stage}: {method} {path} ({})", r.status), r.body));
            }
            for (what, body) in &seen {
                let text = body.to_string();
                for (other, _, other_id) in c.jurors.iter().filter(|o| o.0 != *name) {
                    assert!(
                        !text.contains(other.as_str()),
                        "{what} shows {other}: {text}"
                    );
                    assert!(
                        !text.contains(other_id.as_str()),
                        "{what} shows {other}'s id: {text}"
                    );
                }
                for group in GROUPS {
                    assert!(!text.contains(group), "{what} shows group {group}: {text}");
                }
            }
            // Own data is there: the juror's own draft comes back.
            let own = seen
                .iter()
                .find(|(w, _)| w.contains(&format!("GET /api/contests/{cid}/entries/{e1}")))
                .unwrap();
            assert_eq!(
                own.1["my_score"]["private_comment"],
                format!("private words of {name}")
            );
        }
    }
}
