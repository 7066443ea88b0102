//! CSV: export every score card and the ranking, import the exported sheet into a fresh contest and get the same
//! results; bad sheets are refused with an error per line; text cells are neutralised against formula injection and
//! read back as they were.

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{TestApp, spawn_app};
use crate::judging::{GROUPS, JURORS, SHEET, score_row};
use crate::judging_helpers::JudgingContest;

/// The admin's results with every id replaced by its group or juror name, so two contests compare.
async fn named_results(app: &TestApp, c: &JudgingContest) -> String {
    let r = app
        .call(
            "GET",
            &format!("/api/contests/{}/results", c.contest_id),
            Some(&c.admin),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let mut text = r.body["ranking"].to_string();
    for (name, _, entry) in &c.groups {
        text = text.replace(entry.as_str(), name);
    }
    for (name, _, id) in &c.jurors {
        text = text.replace(id.as_str(), name);
    }
    text
}

/// Posts a score sheet to a contest's import; the status and the JSON body.
async fn import_sheet(
    app: &TestApp,
    admin: &str,
    contest_id: &str,
    sheet: &str,
) -> (StatusCode, Value) {
    let (status, _, body) = app
        .call_text(
            "POST",
            &format!("/api/contests/{contest_id}/scores/import"),
            Some(admin),
            Some(sheet.to_owned()),
        )
        .await;
    let body = serde_json::from_str(&body).unwrap_or(Value::String(body));
    (status, body)
}

#[tokio::test]
async fn exported_scores_imported_into_a_fresh_contest_give_the_same_results() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let first = app.judging_contest(&admin, &GROUPS, &JURORS, false).await;
    let entries: Vec<String> = first.groups.iter().map(|g| g.2.clone()).collect();
    for (j, row) in SHEET.iter().enumerate() {
        score_row(
            &app,
            &first.jurors[j].1,
            JURORS[j],
            &first.contest_id,
            &entries,
            row,
        )
        .await;
    }

    let scores = csv_of(&app, &admin, &first.contest_id, "scores.csv").await;
    let lines: Vec<&str> = scores.lines().collect();
    assert_eq!(
        lines[0],
        "juror,entry,title,status,message,creativity,technical_quality,impact,respect_consent,total,\
         private_comment,feedback"
    );
    assert_eq!(lines.len(), 1 + 18);
    assert!(
        lines[1].starts_with("Dara,Group 1,Video 1,final,9,9,9,8,8,8.6,"),
        "{}",
        lines[1]
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("Vanna,Group 4,Video 4,recused,,,,,,,"))
    );

    let second = app.judging_contest(&admin, &GROUPS, &JURORS, false).await;
    let (status, summary) = import_sheet(&app, &admin, &second.contest_id, &scores).await;
    assert_eq!(status, StatusCode::OK, "{summary}");
    assert_eq!(summary["final_cards"], 17);
    assert_eq!(summary["recusals"], 1);

    assert_eq!(
        named_results(&app, &first).await,
        named_results(&app, &second).await
    );
    let a = csv_of(&app, &admin, &first.contest_id, "results.csv").await;
    let b = csv_of(&app, &admin, &second.contest_id, "results.csv").await;
    assert_eq!(a, b);
    let rows: Vec<&str> = a.lines().collect();
    assert_eq!(
        rows[0],
        "place,entry,title,value_mean,tied,decided_by,jurors_scored,jurors_recused,mean,median,spread,flags"
    );
    assert!(
        rows[1].starts_with("1,Group 1,Video 1,8.8,false,"),
        "{}",
        rows[1]
    );
    assert!(rows[4].starts_with("4,Group 4,"), "{}", rows[4]);

    // A second import of the same sheet meets final cards: refused, line by line, nothing written.
    let (status, again) = import_sheet(&app, &admin, &second.contest_id, &scores).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        again["message"]
            .as_str()
            .unwrap()
            .contains("line 2: juror `Dara` already has a final card"),
        "{again}"
    );
}

#[tokio::test]
async fn a_bad_score_sheet_is_refused_with_an_error_per_line() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let c = app
        .judging_contest(&admin, &["Group 1", "Group 2"], &["Dara"], false)
        .await;
    let sheet = "\u{feff}juror,entry,message,creativity,technical_quality,impact,respect_consent\r\n\
                 Nobody,Group 1,5,5,5,5,5\r\n\
                 Dara,Group 9,5,5,5,5,5\r\n\
                 Dara,Group 1,11,5,5,5,5\r\n\
                 Dara,Group 2,7..5,5,5,5,5\r\n\
                 Dara,Group 2,5,5,5,5,\r\n";
    let (status, body) = import_sheet(&app, &admin, &c.contest_id, sheet).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["code"], "score-sheet-invalid");
    let message = body["message"].as_str().unwrap();
    for expected in [
        "line 2: no juror `Nobody`",
        "line 3: no entry `Group 9`",
        "line 4:",
        "line 5, column `message`",
        "line 6:",
    ] {
        assert!(
            message.contains(expected),
            "missing {expected:?} in {message}"
        );
    }
    // A tally of overall scores cannot be split into the rubric's five criteria; an unknown column is refused.
    for (sheet, expected) in [
        (
            "juror,Group 1,Group 2\nDara,8,7\n",
            "line 1: this sheet has one overall score per juror and entry",
        ),
        (
            "juror,entry,message,mesage\nDara,Group 1,5,5\n",
            "line 1: column `mesage` is not a criterion of this contest",
        ),
        (
            "juror,entry,status\nDara,Group 1,done\n",
            "line 2: status `done` is not one of",
        ),
    ] {
        let (status, body) = import_sheet(&app, &admin, &c.contest_id, sheet).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(body["code"], "score-sheet-invalid");
        assert!(
            body["message"].as_str().unwrap().contains(expected),
            "{body}"
        );
    }
    let progress = app
        .call(
            "GET",
            &format!("/api/contests/{}/judging/progress", c.contest_id),
            Some(&admin),
            None,
        )
        .await;
    assert!(
        progress.body["cells"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["progress"] == "not_started")
    );

    // Only while judging.
    assert_eq!(
        app.transition(&admin, &c.contest_id, "closed", None)
            .await
            .status,
        StatusCode::OK
    );
    let ok_sheet = "juror,entry,message,creativity,technical_quality,impact,respect_consent\nDara,Group 1,5,5,5,5,5\n";
    let (status, body) = import_sheet(&app, &admin, &c.contest_id, ok_sheet).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["code"], "judging-not-open");
}

const FORMULA: &str = "=HYPERLINK(\"http://x\",\"y\")";

/// Sets a submission's title directly in the database (a group cannot edit it while judging).
async fn retitle(app: &TestApp, entry_id: &str, title: &str) {
    use sea_orm::{ActiveModelTrait as _, Set};
    let mut sub = app.submission_model(entry_id).await;
    sub.title = Set(title.to_owned());
    sub.update(app.services.db()).await.unwrap();
}

/// A contest's `scores.csv` or `results.csv`, asserting it is served.
async fn csv_of(app: &TestApp, admin: &str, contest_id: &str, file: &str) -> String {
    let (status, content_type, body) = app
        .call_text(
            "GET",
            &format!("/api/contests/{contest_id}/{file}"),
            Some(admin),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(content_type.starts_with("text/csv"), "{content_type}");
    body
}

#[tokio::test]
async fn csv_exports_neutralise_formulas_and_the_import_reads_them_back() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let groups = [FORMULA, "+Group 2"];
    let first = app
        .judging_contest(&admin, &groups, &["@Dara"], false)
        .await;
    retitle(&app, &first.groups[0].2, FORMULA).await;
    let dara = &first.jurors[0].1;
    let cid = &first.contest_id;
    app.score_entry(
        dara,
        cid,
        &first.groups[0].2,
        [9, 9, 9, 8, 8],
        "-1 for sound",
        FORMULA,
    )
    .await;
    app.score_entry(
        dara,
        cid,
        &first.groups[1].2,
        [7, 7, 7, 7, 7],
        "@jury",
        "=1+1",
    )
    .await;

    let scores = csv_of(&app, &admin, cid, "scores.csv").await;
    let lines: Vec<&str> = scores.lines().collect();
    let quoted = "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"";
    assert_eq!(
        lines[1],
        format!("'@Dara,{quoted},{quoted},final,9,9,9,8,8,8.6,'-1 for sound,{quoted}")
    );
    assert_eq!(
        lines[2],
        "'@Dara,'+Group 2,Video 2,final,7,7,7,7,7,7,'@jury,'=1+1"
    );
    // No cell starts with a formula character: every text cell that did is quoted by `'`.
    for start in ["", ",", ",\""] {
        for c in ['=', '+', '-', '@'] {
            let bad = format!("{start}{c}");
            assert!(
                !lines
                    .iter()
                    .any(|l| l.starts_with(&bad) || (!start.is_empty() && l.contains(&bad))),
                "{bad:?} in\n{scores}"
            );
        }
    }

    let ranking = csv_of(&app, &admin, cid, "results.csv").await;
    let rows: Vec<&str> = ranking.lines().collect();
    assert!(
        rows[1].starts_with(&format!("1,{quoted},{quoted},8.6,")),
        "{ranking}"
    );
    assert!(rows[2].starts_with("2,'+Group 2,Video 2,7,"), "{ranking}");

    // Imported into a fresh contest with the same names, the cells read back as the original text.
    let second = app
        .judging_contest(&admin, &groups, &["@Dara"], false)
        .await;
    let (status, body) = import_sheet(&app, &admin, &second.contest_id, &scores).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let cards = app
        .call(
            "GET",
            &format!("/api/contests/{}/scores", second.contest_id),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(cards.status, StatusCode::OK, "{}", cards.body);
    let card = |entry: &str| {
        cards
            .body
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["entry_id"] == entry)
            .unwrap()
            .clone()
    };
    let one = card(&second.groups[0].2);
    assert_eq!(
        (one["feedback"].as_str(), one["private_comment"].as_str()),
        (Some(FORMULA), Some("-1 for sound"))
    );
    let two = card(&second.groups[1].2);
    assert_eq!(
        (two["feedback"].as_str(), two["private_comment"].as_str()),
        (Some("=1+1"), Some("@jury"))
    );
    assert_eq!(two["total"], 7);
}
