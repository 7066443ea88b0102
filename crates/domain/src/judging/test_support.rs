//! Helpers shared by the judging tests.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::{Cell, Exact, ScoreMatrix};

/// Builds a matrix from rows like `("J1", "9 8 R -")`: a number, `R` for recused, `-` missing.
pub(crate) fn matrix(entries: &[&str], rows: &[(&str, &str)]) -> ScoreMatrix {
    let jurors = rows.iter().map(|(j, _)| (*j).to_owned()).collect();
    let entry_labels = entries.iter().map(|e| (*e).to_owned()).collect();
    let mut m = ScoreMatrix::new(jurors, entry_labels).unwrap();
    for (juror, cells) in rows {
        let cells: Vec<&str> = cells.split_whitespace().collect();
        assert_eq!(cells.len(), entries.len(), "row of {juror}");
        for (entry, text) in entries.iter().zip(cells) {
            let cell = match text {
                "R" => Cell::Recused,
                "-" => Cell::Missing,
                number => Cell::Scored(number.parse::<Exact>().unwrap()),
            };
            m.set(juror, entry, cell).unwrap();
        }
    }
    m
}

pub(crate) fn ex(text: &str) -> Exact {
    text.parse().unwrap()
}

pub(crate) fn assert_close(actual: Option<f64>, expected: f64, tolerance: f64) {
    let actual = actual.expect("a value");
    assert!(
        (actual - expected).abs() <= tolerance,
        "{actual} is not within {tolerance} of {expected}"
    );
}
