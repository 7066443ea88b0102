#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::json;

use super::super::{parse_score_sheet, rank_sheet};
use super::*;

fn ranked(text: &str, method: Method, rule: TieRule) -> Ranking {
    rank_sheet(&parse_score_sheet(text).unwrap(), method, false, rule).unwrap()
}

fn ranking(text: &str, method: Method) -> Ranking {
    ranked(text, method, TieRule::default())
}

const SHEET: &str = "juror,A,B,C\nJ1,9,7,5\nJ2,10,6,2\nJ3,8,7,6\n";

#[test]
fn json_has_exactly_the_documented_fields_in_order() {
    let json = render_json(&ranking(SHEET, Method::Mean));
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let keys: Vec<&str> = value
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut sorted = keys.clone();
    sorted.sort_unstable();
    assert_eq!(
        sorted,
        [
            "chi2",
            "df",
            "entries",
            "jurors",
            "kendall_w",
            "kendall_w_tie_corrected",
            "method",
            "p_value",
            "tie_rule"
        ]
    );
    let order: Vec<usize> = [
        "\"method\"",
        "\"tie_rule\"",
        "\"entries\"",
        "\"kendall_w\"",
        "\"kendall_w_tie_corrected\"",
        "\"chi2\"",
        "\"df\"",
        "\"p_value\"",
        "\"jurors\"",
    ]
    .iter()
    .map(|k| json.find(k).unwrap())
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{json}");
    assert_eq!(value["method"], "mean");
    assert_eq!(
        value["tie_rule"],
        serde_json::json!(["median", "first_places"])
    );
    assert_eq!(
        value["entries"][0],
        serde_json::json!({"entry": "A", "value": 9.0, "place": 1, "tied": false,
            "tied_on_value": false, "tie_broken_by": null})
    );
    assert_eq!(value["entries"][2]["entry"], "C");
    assert_eq!(value["kendall_w"], 1.0);
    assert_eq!(value["df"], 2);
    assert_eq!(
        value["jurors"][1],
        serde_json::json!({"juror": "J2", "spearman_rho": 1.0})
    );
    assert!(value["p_value"].as_f64().unwrap() < 0.05);
}

#[test]
fn json_reports_rank_sums_and_null_statistics() {
    let json = render_json(&ranking("juror,A,B\nJ1,7,7\n", Method::RankSum));
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["method"], "rank_sum");
    assert_eq!(value["entries"][0]["value"], 1.5);
    assert_eq!(value["entries"][0]["tied"], true);
    assert_eq!(value["entries"][1]["place"], 1);
    for key in [
        "kendall_w",
        "kendall_w_tie_corrected",
        "chi2",
        "df",
        "p_value",
    ] {
        assert!(value[key].is_null(), "{key}");
    }
    assert!(value["jurors"][0]["spearman_rho"].is_null());
}

#[test]
fn table_lists_places_values_ties_and_statistics() {
    let text = "juror,A,B,C,D\nJ1,9,6,8,9\nJ2,9,6,8,9\nJ3,10,5,,6\n";
    let table = render_table(&ranking(text, Method::Mean));
    assert!(
        table.starts_with(
            "Ranking by mean (higher is better), tie rule: median, then first_places\n"
        )
    );
    let lines: Vec<&str> = table.lines().collect();
    let header = lines.iter().position(|l| l.starts_with("Place")).unwrap();
    assert_eq!(lines[header], "Place  Entry   mean  Jurors  Spread  Notes");
    assert_eq!(lines[header + 1], "1      A      9.333  3 of 3       1");
    assert_eq!(
        lines[header + 2],
        "2      D      8.000  3 of 3       3  tie broken by median, high spread"
    );
    assert_eq!(
        lines[header + 3],
        "3      C      8.000  2 of 3       0  tie broken by median, 1 recused"
    );
    assert_eq!(lines[header + 4], "4      B      5.667  3 of 3       1");
    assert!(table.contains("\nAll methods side by side:\n"));
    // B's rank sum: 4 + 4 from J1 and J2, and J3's rank 3 of the 3 entries J3 scored, on the
    // common scale of 4 entries: 3 × 5/4. 8 + 3.75 = 11.75.
    assert!(table.contains("B      5.667      4   6.000      4  -1.195      4    11.750      4\n"));
    let agreement =
        "Agreement between jurors (3 jurors, 3 entries; left out: C, not scored by every juror):";
    assert!(table.contains(agreement));
    // Over A, B, D: J1 and J2 tie A and D (1.5, 3, 1.5; T = 6 each), J3 ranks 1, 3, 2.
    // R = 4, 9, 5, S = 4 + 9 + 1 = 14, W = 168 / 216 = 7/9, corrected 168 / (216 − 36) = 14/15,
    // χ² = 3 · 2 · 14/15 = 5.6, p = e^(−2.8) with df 2.
    assert!(table.contains("  Kendall's W                0.778\n"));
    assert!(table.contains("  Kendall's W, tie-corrected 0.933\n"));
    assert!(table.contains("  chi-squared                5.600 (df 2), p = 0.0608\n"));
    assert!(
        table.contains(
            "\nHigh spread: scores 2.7 or more apart (30% of the score range 1 to 10).\n"
        )
    );
    assert!(!table.lines().any(|l| l.ends_with(' ')));
}

#[test]
fn table_reports_a_tie_in_the_top_three() {
    let table = render_table(&ranking("juror,A,B,C\nJ1,8,8,5\nJ2,8,8,5\n", Method::Mean));
    assert!(table.contains("\n1=     A"), "{table}");
    assert!(table.contains(
        "Tie at place 1: A, B (touches the top 3: an admin must decide before publishing)."
    ));
}

#[test]
fn json_says_which_rule_broke_each_tie() {
    // Means: D 8, C 8 (tie broken by the median: D 9, C 8), A 9.33, B 5.67; E and F tie on
    // everything.
    let text = "juror,A,B,C,D,E,F\nJ1,9,6,8,9,4,4\nJ2,9,6,8,9,4,4\nJ3,10,5,8,6,4,4\n";
    let with_rule = |rule: &str| {
        let r = ranked(text, Method::Mean, rule.parse().unwrap());
        let value: serde_json::Value = serde_json::from_str(&render_json(&r)).unwrap();
        value["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                let name = e["entry"].as_str().unwrap().to_owned();
                (
                    name,
                    e["tied_on_value"].clone(),
                    e["tie_broken_by"].clone(),
                    e["tied"].clone(),
                )
            })
            .collect::<Vec<_>>()
    };
    let median = with_rule("median,first_places");
    assert_eq!(
        median[1],
        ("D".into(), json!(true), json!("median"), json!(false))
    );
    assert_eq!(
        median[2],
        ("C".into(), json!(true), json!("median"), json!(false))
    );
    assert_eq!(median[0].2, json!(null));
    assert_eq!(
        median[4],
        ("E".into(), json!(true), json!(null), json!(true))
    );
    let worst = with_rule("worst_score");
    assert_eq!(
        worst[1],
        ("C".into(), json!(true), json!("worst_score"), json!(false))
    );
    let none = with_rule("none");
    assert_eq!(none[1].2, json!(null));
    assert_eq!(none[1].3, json!(true));
}
