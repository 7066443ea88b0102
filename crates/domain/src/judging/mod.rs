//! Judging and ranking: rubrics, scores, ranking methods, tie rules and jury agreement.
//!
//! The flow: a [`Rubric`] defines criteria; a juror's [`ScoreCard`] for an entry is checked
//! against it and gives an exact weighted score; the contest's overall scores form a
//! [`ScoreMatrix`] (jurors × entries, with recusals); [`rank_matrix`] orders the entries by the
//! contest's [`Method`] and [`TieRule`] into a [`Ranking`] with competition places, flags, all
//! methods side by side and [`Agreement`] statistics; [`Ranking::apply_decision`] records an
//! admin's order for a tie the rule could not break. Score sheets (CSV, for the CLI, the import
//! and the export) go through [`parse_score_sheet`], [`rank_sheet`], [`write_score_sheet`],
//! [`render_table`] and [`render_json`]; every CSV export through [`write_csv`].
//!
//! Scores, means, medians and rank sums are exact rationals, so equal values are equal and
//! ties are real ties. Z-scores involve square roots; they are compared exactly too, as sums of
//! rational multiples of square roots (see `surd.rs`). Only the values shown for z-scores and
//! the agreement statistics are floating point. Everything here is pure: no IO.

mod agreement;
mod decision;
mod error;
mod exact;
mod matrix;
mod method;
mod places;
mod ranking;
mod ranks;
mod render;
mod rubric;
mod scale;
mod scorecard;
mod sheet;
mod stats;
mod surd;
mod zscore;

#[cfg(test)]
mod docs_example_tests;
#[cfg(test)]
mod proptests;
#[cfg(test)]
mod rank_sum_tests;
#[cfg(test)]
mod test_support;

pub use agreement::{Agreement, AgreementBasis, JurorAgreement, chi_squared_p_value};
pub use decision::TieDecision;
pub use error::JudgingError;
pub use exact::Exact;
pub use matrix::{Cell, ScoreMatrix, ScoreRange};
pub use method::{Method, TieBreak, TieRule};
pub use ranking::{
    Decider, EntryFlag, MethodColumn, MethodPlace, RankOptions, RankedEntry, Ranking, TieGroup,
    rank_matrix,
};
pub use render::{JsonEntry, JsonJuror, JsonReport, json_report, render_json, render_table};
pub use rubric::{Criterion, CriterionKey, MAX_CRITERIA, Rubric};
pub use scale::Scale;
pub use scorecard::{ScoreCard, ScoreStatus};
pub use sheet::{
    CsvCell, ScoreSheet, SheetCard, SheetError, SheetErrors, SheetLayout, SheetRow, SheetStatus,
    check_columns, neutralise, parse_score_sheet, rank_sheet, read_score_sheet, restore, row_card,
    sheet_scale, write_csv, write_score_sheet,
};
pub use stats::{HIGH_SPREAD_FRACTION, Spread};
