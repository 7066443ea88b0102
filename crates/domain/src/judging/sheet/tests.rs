#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;

use super::super::test_support::ex;
use super::super::{Cell, TieRule};
use super::*;

fn error_of(text: &str) -> SheetError {
    let errors = parse_score_sheet(text).unwrap_err();
    assert_eq!(errors.errors().len(), 1, "{errors}");
    errors.errors()[0].clone()
}

fn matrix_of(text: &str) -> ScoreMatrix {
    parse_score_sheet(text).unwrap().matrix().unwrap()
}

#[test]
fn a_sheet_with_decimals_and_an_empty_cell_parses_exactly() {
    let text = "juror,Group 1,Group 2,Group 3\nDara,8,7.5,9\nSokha, 7 ,,8\n";
    let sheet = parse_score_sheet(text).unwrap();
    assert_eq!(sheet.layout(), SheetLayout::Wide);
    let m = sheet.matrix().unwrap();
    assert_eq!(m.jurors(), ["Dara", "Sokha"]);
    assert_eq!(m.entries(), ["Group 1", "Group 2", "Group 3"]);
    assert_eq!(
        m.cell("Dara", "Group 2").unwrap(),
        &Cell::Scored(ex("15/2"))
    );
    assert_eq!(m.cell("Sokha", "Group 1").unwrap(), &Cell::Scored(ex("7")));
    assert_eq!(m.cell("Sokha", "Group 2").unwrap(), &Cell::Recused);
}

#[test]
fn quoting_blank_lines_crlf_and_a_byte_order_mark_are_accepted() {
    let text = "\u{feff}Juror,\"Group, the first\",B\r\n\r\n\"Mr \"\"K\"\"\",1,2\r\n";
    let m = matrix_of(text);
    assert_eq!(m.entries(), ["Group, the first", "B"]);
    assert_eq!(m.jurors(), ["Mr \"K\""]);
}

#[test]
fn errors_name_the_line_and_what_is_wrong() {
    let cases: [(&str, SheetError); 9] = [
        ("", SheetError::Empty),
        ("\n\n", SheetError::Empty),
        ("juror\nA,1\n", SheetError::NoEntries { line: 1 }),
        ("juror,A,B\n", SheetError::NoJurors),
        (
            "juror,A,,B\nJ,1,2,3\n",
            SheetError::EmptyEntry { line: 1, column: 3 },
        ),
        (
            "juror,A,A\n",
            SheetError::DuplicateEntry {
                line: 1,
                entry: "A".into(),
            },
        ),
        (
            "juror,A,B\nJ1,1,2\n\nJ2,1\n",
            SheetError::WrongColumnCount {
                line: 4,
                expected: 3,
                found: 2,
            },
        ),
        (
            "juror,A,B\nJ1,1,2\nJ1,3,4\n",
            SheetError::DuplicateJuror {
                line: 3,
                juror: "J1".into(),
            },
        ),
        ("juror,A,B\n,1,2\n", SheetError::EmptyJuror { line: 2 }),
    ];
    for (text, expected) in cases {
        assert_eq!(error_of(text), expected, "{text:?}");
    }
    let err = error_of("juror,A,B\nJ1,1,2\nJ2,7,seven\n");
    let expected = SheetError::BadNumber {
        line: 3,
        column: 3,
        juror: "J2".into(),
        entry: "B".into(),
        text: "seven".into(),
    };
    assert_eq!(err, expected);
    assert_eq!(
        err.to_string(),
        "line 3, column 3 (juror `J2`, entry `B`): `seven` is not a number"
    );
    let with_blank_lines = "\u{feff}juror,A\r\n\r\nJ1,1\r\n\r\n\r\nJ2,x\r\n";
    let err = error_of(with_blank_lines);
    assert!(
        matches!(
            err,
            SheetError::BadNumber {
                line: 6,
                column: 2,
                ..
            }
        ),
        "{err:?}"
    );
    for bad in ["7,5", "1e2", "NaN", "8/0", "'7"] {
        let text = format!("juror,A\nJ1,\"{bad}\"\n");
        assert!(
            matches!(error_of(&text), SheetError::BadNumber { .. }),
            "{bad}"
        );
    }
    // Fractions are numbers (the export writes 26/3 for a weighted score that has no decimal).
    let m = matrix_of("juror,A\nJ1,26/3\n");
    assert_eq!(m.cell("J1", "A").unwrap(), &Cell::Scored(ex("26/3")));
}

#[test]
fn rank_sheet_uses_the_chosen_method_and_direction() {
    let sheet = parse_score_sheet("juror,A,B,C\nJ1,1,2,3\nJ2,2,1,3\nJ3,1,3,2\n").unwrap();
    let high = rank_sheet(&sheet, Method::Mean, false, TieRule::default()).unwrap();
    let low = rank_sheet(&sheet, Method::RankSum, true, TieRule::none()).unwrap();
    let order = |r: &Ranking| {
        r.entries
            .iter()
            .map(|e| e.entry.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(order(&high), ["C", "B", "A"]);
    assert_eq!(order(&low), ["A", "B", "C"]);
    assert_eq!((low.method, low.lower_is_better), (Method::RankSum, true));
    assert_eq!(low.tie_rule, TieRule::none());
}

#[test]
fn sheet_scale_guesses_the_usual_paper_scales() {
    let scale = |text: &str| {
        sheet_scale(&matrix_of(text)).map(|r| (r.min().to_string(), r.max().to_string()))
    };
    let pair = |a: &str, b: &str| Some((a.to_owned(), b.to_owned()));
    assert_eq!(scale("juror,A,B\nJ1,2,4.5\n"), pair("1", "5"));
    assert_eq!(scale("juror,A,B\nJ1,6,9.5\nJ2,7,\n"), pair("1", "10"));
    assert_eq!(scale("juror,A,B\nJ1,0,10\n"), pair("0", "10"));
    assert_eq!(scale("juror,A,B\nJ1,12,17\n"), pair("1", "20"));
    assert_eq!(scale("juror,A,B\nJ1,45,88\n"), pair("1", "100"));
    assert_eq!(scale("juror,A,B\nJ1,150,300\n"), pair("150", "300"));
    assert_eq!(scale("juror,A,B\nJ1,-2,3\n"), pair("-2", "3"));
    assert_eq!(scale("juror,A,B\nJ1,7,7\n"), pair("1", "10"));
    assert_eq!(scale("juror,A,B\nJ1,,\n"), None);
}

proptest! {
    #[test]
    fn any_written_sheet_reads_back_the_same(
        scores in proptest::collection::vec(proptest::collection::vec(proptest::option::of(0_i64..200), 3), 1..5)
    ) {
        let mut text = String::from("juror,A,B,C\n");
        for (j, row) in scores.iter().enumerate() {
            let cells: Vec<String> = row
                .iter()
                .map(|s| s.map(|v| Exact::from_ratio(v, 4).unwrap().to_string()).unwrap_or_default())
                .collect();
            text.push_str(&format!("J{j},{}\n", cells.join(",")));
        }
        let m = matrix_of(&text);
        for (j, row) in scores.iter().enumerate() {
            for (entry, score) in ["A", "B", "C"].iter().zip(row) {
                let expected = score.map_or(Cell::Recused, |v| Cell::Scored(Exact::from_ratio(v, 4).unwrap()));
                prop_assert_eq!(m.cell(&format!("J{j}"), entry).unwrap(), &expected);
            }
        }
    }
}
