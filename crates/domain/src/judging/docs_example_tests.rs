//! Keeps `docs/judging.md` honest: its worked example must be this engine's real output.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::{
    Decider, Method, Ranking, TieDecision, TieRule, parse_score_sheet, rank_sheet, render_json,
    render_table,
};

const SHEET: &str = include_str!("../../../../docs/examples/jury-example.csv");
const GUIDE: &str = include_str!("../../../../docs/judging.md");

fn ranking(method: Method) -> Ranking {
    rank_sheet(
        &parse_score_sheet(SHEET).unwrap(),
        method,
        false,
        TieRule::default(),
    )
    .unwrap()
}

fn decided() -> Ranking {
    let mut r = ranking(Method::Mean);
    r.apply_decision(TieDecision {
        order: vec!["Group 4".into(), "Group 5".into()],
        reason: "Dara and Sokha, who scored both, preferred Group 4; jury chair".into(),
    })
    .unwrap();
    r
}

#[test]
fn worked_example_numbers_are_the_engines() {
    let r = ranking(Method::Mean);
    let places: Vec<(&str, u32)> = r
        .entries
        .iter()
        .map(|e| (e.entry.as_str(), e.place))
        .collect();
    assert_eq!(
        places,
        [
            ("Group 1", 1),
            ("Group 3", 2),
            ("Group 2", 3),
            ("Group 4", 4),
            ("Group 5", 4),
            ("Group 6", 6)
        ]
    );
    assert!(r.can_publish());
    let d = decided();
    assert_eq!(d.entries[3].entry, "Group 4");
    assert_eq!(d.entries[3].decided_by, Some(Decider::Admin));
    assert_eq!(
        (d.entries[4].entry.as_str(), d.entries[4].place),
        ("Group 5", 5)
    );
}

#[test]
fn the_guide_shows_the_real_output() {
    let outputs = [
        ("mean table", render_table(&ranking(Method::Mean))),
        ("rank_sum table", render_table(&ranking(Method::RankSum))),
        ("mean JSON", render_json(&ranking(Method::Mean))),
        ("table after the admin decision", render_table(&decided())),
    ];
    for (what, output) in outputs {
        assert!(
            GUIDE.contains(&output),
            "docs/judging.md lacks the current {what}:\n{output}"
        );
    }
    assert!(
        GUIDE.contains(SHEET),
        "docs/judging.md lacks docs/examples/jury-example.csv"
    );
}
