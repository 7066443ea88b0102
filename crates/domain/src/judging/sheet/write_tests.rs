//! The long layout, the export's writer and formula neutralisation, and properties of the parser
//! on any input (no panic; what parses, writes back to the same rows).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;

use super::super::test_support::ex;
use super::super::{Cell, Rubric, ScoreCard};
use super::*;

const HYPERLINK: &str = "=HYPERLINK(\"http://x\",\"y\")";

fn row(juror: &str, entry: &str, status: SheetStatus, scores: &[&str], total: &str) -> SheetRow {
    let number = |t: &str| (!t.is_empty()).then(|| ex(t));
    SheetRow {
        line: 0,
        juror: juror.into(),
        entry: entry.into(),
        title: String::new(),
        status,
        scores: scores.iter().map(|s| number(s)).collect(),
        total: number(total),
        private_comment: String::new(),
        feedback: String::new(),
    }
}

fn without_lines(rows: &[SheetRow]) -> Vec<SheetRow> {
    rows.iter()
        .map(|r| SheetRow {
            line: 0,
            ..r.clone()
        })
        .collect()
}

#[test]
fn formula_cells_are_neutralised_and_restored() {
    for text in [
        HYPERLINK, "+1", "-x", "@SUM(A1)", "\tx", "\rx", "'=x", "''-1",
    ] {
        let written = neutralise(text);
        assert_eq!(written, format!("'{text}"), "{text:?}");
        assert_eq!(restore(&written), text);
    }
    for text in ["Group 1", "'Tis", "", "'", "a=b", "7"] {
        assert_eq!(neutralise(text), text);
        assert_eq!(restore(text), text);
    }
}

#[test]
fn numbers_the_app_writes_stay_numbers_and_text_is_quoted_where_needed() {
    let csv = write_csv(vec![
        vec![
            CsvCell::number(-2),
            CsvCell::number(ex("22/3")),
            CsvCell::text("-2"),
        ],
        vec![CsvCell::Number("=1+1".into()), CsvCell::text("a, \"b\"\nc")],
    ]);
    assert_eq!(csv, "-2,22/3,'-2\n'=1+1,\"a, \"\"b\"\"\nc\"\n");
}

#[test]
fn the_export_layout_reads_back_to_the_same_rows() {
    let criteria = vec!["message".to_owned(), "creativity".to_owned()];
    let mut dara = row("Dara", "Group 1", SheetStatus::Final, &["9", "7.5"], "26/3");
    dara.title = HYPERLINK.into();
    dara.feedback = "Strong, \"clear\"\nmessage".into();
    dara.private_comment = "-1 for length".into();
    let rows = vec![
        dara,
        row("Vanna", "Group 4", SheetStatus::Recused, &["", ""], ""),
        row("Sokha", "@group", SheetStatus::Draft, &["6", ""], ""),
        row("+Mr K", "Group 1", SheetStatus::NotStarted, &["", ""], ""),
    ];
    let text = write_score_sheet(&criteria, &rows);
    assert!(text.starts_with(
        "juror,entry,title,status,message,creativity,total,private_comment,feedback\n\
         Dara,Group 1,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",final,9,7.5,26/3,'-1 for length,"
    ));
    let sheet = parse_score_sheet(&text).unwrap();
    assert_eq!(sheet.layout(), SheetLayout::Long);
    assert_eq!(sheet.criteria(), criteria);
    assert_eq!(without_lines(sheet.rows()), rows);
    assert_eq!(sheet.rows()[1].line, 4); // Dara's feedback spans lines 2 and 3
    let m = sheet.matrix().unwrap();
    assert_eq!(
        m.cell("Dara", "Group 1").unwrap(),
        &Cell::Scored(ex("26/3"))
    );
    assert_eq!(m.cell("Vanna", "Group 4").unwrap(), &Cell::Recused);
    assert_eq!(m.cell("Sokha", "@group").unwrap(), &Cell::Missing);
}

#[test]
fn a_long_sheet_may_be_short_reordered_and_hand_typed() {
    let text = "Entry, JUROR ,status,message\nGroup 1,Dara\nGroup 2,Dara,Recused,\n";
    let sheet = parse_score_sheet(text).unwrap();
    assert_eq!(sheet.criteria(), ["message"]);
    assert_eq!(sheet.rows()[0].status, SheetStatus::Final);
    assert_eq!(sheet.rows()[0].scores, [None]);
    assert_eq!(sheet.rows()[1].status, SheetStatus::Recused);
    // Without a total it cannot be ranked: the weights of its criteria are unknown.
    let err = sheet.matrix().unwrap_err();
    assert_eq!(err.errors(), [SheetError::NoTotalColumn { line: 1 }]);
}

#[test]
fn every_bad_row_of_a_long_sheet_is_reported() {
    let text = "juror,entry,status,message,total\n\
                Dara,Group 1,final,9,9\n\
                ,Group 2,final,9,9\n\
                Dara,,done,x,\n\
                Dara,Group 1,final,8,8\n\
                Sokha,Group 1,final,8,8,extra\n\
                Sokha,Group 2,final,8,\n";
    let errors = parse_score_sheet(text).unwrap_err();
    let lines: Vec<u64> = errors.errors().iter().map(SheetError::line).collect();
    assert_eq!(lines, [3, 4, 4, 4, 5, 6]);
    let message = errors.to_string();
    for expected in [
        "line 3: the juror name is empty",
        "line 4: the entry name is empty",
        "line 4: status `done` is not one of",
        "line 4, column `message` (juror `Dara`, entry ``): `x` is not a number",
        "line 5: juror `Dara` and entry `Group 1` appear twice (first on line 2)",
        "line 6: expected 5 columns like the header, found 6",
    ] {
        assert!(
            message.contains(expected),
            "{expected:?} missing from\n{message}"
        );
    }
    // Leniently read, the good rows remain beside the problems.
    let (sheet, problems) = read_score_sheet(text).unwrap();
    assert_eq!(problems.len(), 6);
    assert_eq!(sheet.rows().len(), 2);
    let err = sheet.matrix().unwrap_err();
    assert!(
        matches!(err.errors(), [SheetError::MissingTotal { line: 7, .. }]),
        "{err}"
    );
}

#[test]
fn long_headers_need_named_unique_columns() {
    let err = parse_score_sheet("juror,entry,,Message,message\nDara,G,1,2,3\n").unwrap_err();
    assert_eq!(
        err.errors(),
        [
            SheetError::EmptyColumn { line: 1, column: 3 },
            SheetError::DuplicateColumn {
                line: 1,
                name: "message".into()
            }
        ]
    );
}

#[test]
fn rows_become_cards_of_the_rubric() {
    let rubric = Rubric::default_for_new_contest();
    let text = "juror,entry,status,message,creativity,technical_quality,impact,respect_consent,total\n\
                Dara,G1,final,9,9,9,8,8,8.6\n\
                Dara,G2,recused,,,,,,\n\
                Dara,G3,draft,5,,,,,\n\
                Dara,G4,final,11,9,9,8,8,\n\
                Dara,G5,final,9,9,9,8,,\n\
                Dara,G6,final,9,9,9,8,8,8.7\n";
    let sheet = parse_score_sheet(text).unwrap();
    check_columns(&sheet, &rubric).unwrap();
    let cards: Vec<_> = sheet
        .rows()
        .iter()
        .map(|r| row_card(&sheet, &rubric, r))
        .collect();
    let Ok(Some(SheetCard::Final(card))) = &cards[0] else {
        panic!("{:?}", cards[0])
    };
    assert_eq!(card.weighted_score(&rubric).unwrap(), ex("8.6"));
    assert_eq!(cards[1], Ok(Some(SheetCard::Recused)));
    assert_eq!(cards[2], Ok(None));
    assert!(matches!(
        &cards[3],
        Err(SheetError::InvalidCard { line: 5, .. })
    ));
    assert!(matches!(
        &cards[4],
        Err(SheetError::InvalidCard { line: 6, .. })
    ));
    assert_eq!(
        cards[5],
        Err(SheetError::TotalMismatch {
            line: 7,
            total: "8.7".into(),
            weighted: "8.6".into()
        })
    );
}

#[test]
fn columns_must_fit_the_rubric() {
    let rubric = Rubric::default_for_new_contest();
    let long = parse_score_sheet("juror,entry,message,mesage\nDara,G1,9,9\n").unwrap();
    let err = check_columns(&long, &rubric).unwrap_err();
    assert!(matches!(
        err.errors(),
        [SheetError::UnknownCriterion { name, .. }] if name == "mesage"
    ));
    let wide = parse_score_sheet("juror,G1,G2\nDara,9,\n").unwrap();
    let err = check_columns(&wide, &rubric).unwrap_err();
    assert!(
        err.to_string()
            .contains("`juror,entry,message,creativity,technical_quality,impact,respect_consent`"),
        "{err}"
    );
    // With a single criterion, a wide sheet's overall scores are that criterion's.
    let single: Rubric = serde_json::from_str(
        r#"{"criteria":[{"key":"overall","name":"Overall","weight":1,"scale":{"min":1,"max":10,"step":0.5}}]}"#,
    )
    .unwrap();
    check_columns(&wide, &single).unwrap();
    let card = row_card(&wide, &single, &wide.rows()[0]).unwrap();
    let expected = ScoreCard::parse(&single, [(single.criteria()[0].key().clone(), ex("9"))]);
    assert_eq!(card, Some(SheetCard::Final(expected.unwrap())));
    assert_eq!(
        row_card(&wide, &single, &wide.rows()[1]),
        Ok(Some(SheetCard::Recused))
    );
}

/// Texts as the app stores them: trimmed (it trims names, titles and comments).
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[ -~\t\r\n'=+@-]{0,12}",
        Just(HYPERLINK.to_owned()),
    ]
    .prop_map(|t| t.trim().to_owned())
}

fn name() -> impl Strategy<Value = String> {
    text().prop_filter("names are not empty", |t| !t.is_empty())
}

fn status() -> impl Strategy<Value = SheetStatus> {
    prop_oneof![
        Just(SheetStatus::Final),
        Just(SheetStatus::Recused),
        Just(SheetStatus::Draft),
        Just(SheetStatus::NotStarted),
    ]
}

fn score() -> impl Strategy<Value = Option<Exact>> {
    proptest::option::of((-400_i64..400, 1_i64..12))
        .prop_map(|s| s.map(|(n, d)| Exact::from_ratio(n, d).unwrap()))
}

/// Any bytes a user could upload, and text shaped like the two layouts.
fn any_sheet() -> impl Strategy<Value = String> {
    let cell = "[ -~\t]{0,6}|[0-9]{1,2}(\\.[05])?|'?[=+@-][a-z0-9]{0,3}|\"[ -~\r\n]{0,6}\"";
    let line = prop::collection::vec(cell, 0..7).prop_map(|cells| cells.join(","));
    let header = prop_oneof![
        Just("juror,entry,status,message,total".to_owned()),
        Just("juror,A,B,C".to_owned()),
        "[ -~]{0,20}",
    ];
    prop_oneof![
        any::<String>(),
        prop::collection::vec(any::<u8>(), 0..200)
            .prop_map(|bytes| String::from_utf8_lossy(&bytes).into_owned()),
        (
            header,
            prop::collection::vec(line, 0..6),
            prop_oneof![Just("\n"), Just("\r\n")]
        )
            .prop_map(|(h, lines, end)| format!("{h}{end}{}", lines.join(end))),
    ]
}

proptest! {
    #[test]
    fn written_sheets_read_back_to_the_same_rows(
        criteria in prop::collection::vec("[a-z][a-z_]{0,8}", 0..4),
        rows in prop::collection::vec((name(), name(), text(), status(), prop::collection::vec(score(), 4), score(), text(), text()), 1..6),
    ) {
        let criteria: Vec<String> = criteria
            .iter()
            .enumerate()
            .filter(|(i, c)| !columns::ALL.contains(&c.as_str()) && !criteria[..*i].contains(c))
            .map(|(_, c)| c.clone())
            .collect();
        let mut seen = Vec::new();
        let rows: Vec<SheetRow> = rows
            .into_iter()
            .filter(|r| {
                let pair = (r.0.clone(), r.1.clone());
                let fresh = !seen.contains(&pair);
                seen.push(pair);
                fresh
            })
            .map(|(juror, entry, title, status, scores, total, private_comment, feedback)| SheetRow {
                line: 0,
                juror,
                entry,
                title,
                status,
                scores: scores[..criteria.len()].to_vec(),
                total,
                private_comment,
                feedback,
            })
            .collect();
        let text = write_score_sheet(&criteria, &rows);
        let sheet = parse_score_sheet(&text).unwrap();
        prop_assert_eq!(sheet.criteria(), criteria.as_slice());
        prop_assert_eq!(without_lines(sheet.rows()), rows);
    }

    #[test]
    fn any_input_parses_or_is_refused_line_by_line_and_what_parses_round_trips(text in any_sheet()) {
        let lines = u64::try_from(text.split('\n').count()).unwrap();
        match read_score_sheet(&text) {
            Ok((sheet, problems)) => {
                prop_assert!(problems.iter().all(|p| (1..=lines).contains(&p.line())), "{:?}", problems);
                let strict = parse_score_sheet(&text);
                prop_assert_eq!(strict.is_ok(), problems.is_empty());
                if !sheet.rows().is_empty() {
                    let back = parse_score_sheet(&write_score_sheet(sheet.criteria(), sheet.rows())).unwrap();
                    prop_assert_eq!(back.criteria(), sheet.criteria());
                    prop_assert_eq!(without_lines(back.rows()), without_lines(sheet.rows()));
                }
                // Ranking needs totals; either it works or it says why, line by line.
                if let Err(errors) = sheet.matrix() {
                    prop_assert!(!errors.errors().is_empty());
                }
                let rubric = Rubric::default_for_new_contest();
                if check_columns(&sheet, &rubric).is_ok() {
                    for row in sheet.rows() {
                        let _ = row_card(&sheet, &rubric, row);
                    }
                }
            }
            Err(errors) => prop_assert!(!errors.to_string().is_empty()),
        }
    }
}
