//! The ranking DTOs carry exactly the engine's JSON (what `clipjury rank --json` and the API agree on).

#![allow(clippy::unwrap_used)]

use clipjury_domain::judging::{
    Cell, Exact, Method, RankOptions, Ranking, ScoreMatrix, TieDecision, TieRule, rank_matrix,
};

use super::ranking_dto::RankingDto;

/// Three jurors, seven entries: a recusal, a missing score, a tie the rule cannot break (b, c), one the median
/// breaks (f, g), a mean of 22/3 (a).
fn ranking(method: Method, tie_rule: TieRule) -> Ranking {
    let entries = ["a", "b", "c", "d", "e", "f", "g"];
    let rows = [
        ("j1", ["9", "8", "8", "R", "7", "9", "7"]),
        ("j2", ["7", "8", "8", "6", "-", "6", "7"]),
        ("j3", ["6", "8", "8", "5", "5.5", "6", "7"]),
    ];
    let mut m = ScoreMatrix::new(
        rows.iter().map(|(j, _)| (*j).to_owned()).collect(),
        entries.iter().map(|e| (*e).to_owned()).collect(),
    )
    .unwrap();
    for (juror, cells) in rows {
        for (entry, text) in entries.iter().zip(cells) {
            let cell = match text {
                "R" => Cell::Recused,
                "-" => Cell::Missing,
                n => Cell::Scored(n.parse::<Exact>().unwrap()),
            };
            m.set(juror, entry, cell).unwrap();
        }
    }
    let options = RankOptions {
        method,
        tie_rule,
        ..RankOptions::default()
    };
    rank_matrix(&m, &options)
}

#[test]
fn every_method_serialises_as_the_engine_does() {
    for method in Method::ALL {
        for rule in [TieRule::default(), TieRule::none()] {
            let r = ranking(method, rule);
            let engine = serde_json::to_value(&r).unwrap();
            let api = serde_json::to_value(RankingDto::from(r)).unwrap();
            assert_eq!(api, engine, "{method}");
        }
    }
    let by_median =
        serde_json::to_value(RankingDto::from(ranking(Method::Mean, TieRule::default()))).unwrap();
    let g = &by_median["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["entry"] == "g")
        .unwrap();
    assert_eq!(g["decided_by"], serde_json::json!({"tie_break": "median"}));
}

#[test]
fn fractions_ties_and_admin_decisions_come_through() {
    let mut r = ranking(Method::Mean, TieRule::none());
    let tie = r.ties.iter().find(|t| t.touches_top3).unwrap().clone();
    r.apply_decision(TieDecision {
        order: tie.entries.iter().rev().cloned().collect(),
        reason: "the chair decided".into(),
    })
    .unwrap();
    let engine = serde_json::to_value(&r).unwrap();
    let api = serde_json::to_value(RankingDto::from(r)).unwrap();
    assert_eq!(api, engine);
    let a = api["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["entry"] == "a")
        .unwrap();
    assert_eq!(a["mean"], "22/3");
    assert!(
        api["entries"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["decided_by"] == "admin")
    );
    assert_eq!(api["admin_decisions"][0]["reason"], "the chair decided");
}
