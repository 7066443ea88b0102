//! Score sheets as CSV: one format for `clipjury rank FILE.csv`, the app's import and its export.
//!
//! A sheet comes in one of two layouts, told apart by its header (the first non-blank row):
//!
//! **Long**, one row per juror and entry — what the app exports as `scores.csv` and imports.
//! The header has columns named `juror` and `entry` (any order, any case):
//!
//! ```text
//! juror,entry,title,status,message,creativity,total,private_comment,feedback
//! Dara,Group 1,Video 1,final,9,8,8.5,,Strong message
//! Vanna,Group 4,Video 4,recused,,,,,
//! ```
//!
//! `title`, `status`, `total`, `private_comment` and `feedback` are optional; every other column
//! is a criterion holding a score per row. `status` is `final` (also when empty or missing),
//! `recused`, `draft` or `not_started`; `total` is the overall (weighted) score of a final row.
//! Rows may be shorter than the header (missing cells are empty).
//!
//! **Wide**, one row per juror — a paper tally of overall scores:
//!
//! ```text
//! juror,Group 1,Group 2,Group 3
//! Dara,8,7.5,9
//! Sokha,7,,8
//! ```
//!
//! The first header cell is a corner label (any text but `entry`); the others name the entries.
//! Each row is a juror's name and one overall score per entry; an empty cell means the juror
//! recused. Every row has as many cells as the header.
//!
//! In both, numbers are decimals (`7.5`) or fractions (`22/3`) read exactly; cells are trimmed,
//! quoting follows RFC 4180, blank lines are skipped, a UTF-8 byte order mark is ignored, and a
//! cell the export neutralised against formula injection (`'=…`, see [`neutralise`]) reads back
//! as the original text. Errors name their line; all of them are reported, not just the first.

mod cards;
mod error;
mod parse;
mod write;

use std::str::FromStr;

pub use cards::{SheetCard, check_columns, row_card};
pub use error::{SheetError, SheetErrors};
pub use parse::{parse_score_sheet, read_score_sheet};
pub use write::{CsvCell, neutralise, restore, write_csv, write_score_sheet};

use super::{
    Cell, Exact, JudgingError, Method, RankOptions, Ranking, ScoreMatrix, ScoreRange, TieRule,
    rank_matrix,
};

/// The reserved column names of the long layout.
pub(crate) mod columns {
    pub const JUROR: &str = "juror";
    pub const ENTRY: &str = "entry";
    pub const TITLE: &str = "title";
    pub const STATUS: &str = "status";
    pub const TOTAL: &str = "total";
    pub const PRIVATE_COMMENT: &str = "private_comment";
    pub const FEEDBACK: &str = "feedback";
    pub const ALL: [&str; 7] = [
        JUROR,
        ENTRY,
        TITLE,
        STATUS,
        TOTAL,
        PRIVATE_COMMENT,
        FEEDBACK,
    ];
}

/// Which of the two layouts a sheet was written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SheetLayout {
    /// One row per juror and entry, criteria as columns.
    Long,
    /// One row per juror, entries as columns, overall scores.
    Wide,
}

/// Where a juror's card for an entry stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SheetStatus {
    /// Submitted: the scores count.
    Final,
    /// The juror recused from the entry.
    Recused,
    /// Saved but not submitted: does not count.
    Draft,
    /// Nothing saved yet.
    NotStarted,
}

impl SheetStatus {
    /// The name in the `status` column.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Final => "final",
            Self::Recused => "recused",
            Self::Draft => "draft",
            Self::NotStarted => "not_started",
        }
    }
}

impl FromStr for SheetStatus {
    type Err = ();

    /// Reads a `status` cell, ignoring case; empty means final.
    fn from_str(text: &str) -> Result<Self, ()> {
        let text = text.trim().to_ascii_lowercase();
        if text.is_empty() {
            return Ok(Self::Final);
        }
        [Self::Final, Self::Recused, Self::Draft, Self::NotStarted]
            .into_iter()
            .find(|s| s.as_str() == text)
            .ok_or(())
    }
}

/// One juror's card for one entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SheetRow {
    /// 1-based line in the file (0 for rows built to be written).
    pub line: u64,
    /// The juror's name.
    pub juror: String,
    /// The entry's name.
    pub entry: String,
    /// The entry's title (long layout; empty otherwise).
    pub title: String,
    /// The card's status.
    pub status: SheetStatus,
    /// One score per criterion column of the sheet, `None` where the cell is empty.
    pub scores: Vec<Option<Exact>>,
    /// The overall score (the wide layout's cell, or the long layout's `total`).
    pub total: Option<Exact>,
    /// Comment for the admins (long layout).
    pub private_comment: String,
    /// Feedback for the group (long layout).
    pub feedback: String,
}

/// A parsed score sheet: its layout, criterion columns and rows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScoreSheet {
    layout: SheetLayout,
    header_line: u64,
    criteria: Vec<String>,
    has_total: bool,
    rows: Vec<SheetRow>,
}

impl ScoreSheet {
    /// The layout the sheet was written in.
    #[must_use]
    pub fn layout(&self) -> SheetLayout {
        self.layout
    }

    /// The line of the header.
    #[must_use]
    pub fn header_line(&self) -> u64 {
        self.header_line
    }

    /// The criterion columns of a long sheet, in order (empty for a wide sheet).
    #[must_use]
    pub fn criteria(&self) -> &[String] {
        &self.criteria
    }

    /// The rows, in file order (a wide sheet gives one per juror and entry).
    #[must_use]
    pub fn rows(&self) -> &[SheetRow] {
        &self.rows
    }

    /// The overall scores as a jurors × entries matrix, jurors and entries in order of first
    /// appearance: final rows give their total, recused rows a recusal, draft and not-started
    /// rows (and pairs without a row) no score.
    ///
    /// # Errors
    /// [`SheetError::NoTotalColumn`] for a long sheet without `total`, and
    /// [`SheetError::MissingTotal`] for each final row whose `total` is empty.
    pub fn matrix(&self) -> Result<ScoreMatrix, SheetErrors> {
        if !self.has_total {
            return Err(SheetError::NoTotalColumn {
                line: self.header_line,
            }
            .into());
        }
        let mut jurors: Vec<String> = Vec::new();
        let mut entries: Vec<String> = Vec::new();
        for row in &self.rows {
            if !jurors.contains(&row.juror) {
                jurors.push(row.juror.clone());
            }
            if !entries.contains(&row.entry) {
                entries.push(row.entry.clone());
            }
        }
        let malformed = |line: u64, err: &JudgingError| SheetError::Malformed {
            line,
            message: err.to_string(),
        };
        let mut matrix = ScoreMatrix::new(jurors, entries)
            .map_err(|e| SheetErrors::from(malformed(self.header_line, &e)))?;
        let mut problems = Vec::new();
        for row in &self.rows {
            let cell = match (row.status, &row.total) {
                (SheetStatus::Final, Some(total)) => Cell::Scored(total.clone()),
                (SheetStatus::Final, None) => {
                    problems.push(SheetError::MissingTotal {
                        line: row.line,
                        juror: row.juror.clone(),
                        entry: row.entry.clone(),
                    });
                    continue;
                }
                (SheetStatus::Recused, _) => Cell::Recused,
                (SheetStatus::Draft | SheetStatus::NotStarted, _) => Cell::Missing,
            };
            if let Err(e) = matrix.set(&row.juror, &row.entry, cell) {
                problems.push(malformed(row.line, &e));
            }
        }
        match SheetErrors::new(problems) {
            Some(errors) => Err(errors),
            None => Ok(matrix),
        }
    }
}

/// Ranks a score sheet's overall scores as the CLI does, with [`sheet_scale`] as the score
/// range for the high-spread flag.
///
/// # Errors
/// As [`ScoreSheet::matrix`].
pub fn rank_sheet(
    sheet: &ScoreSheet,
    method: Method,
    lower_is_better: bool,
    tie_rule: TieRule,
) -> Result<Ranking, SheetErrors> {
    let matrix = sheet.matrix()?;
    let options = RankOptions {
        method,
        lower_is_better,
        tie_rule,
        score_range: sheet_scale(&matrix),
    };
    Ok(rank_matrix(&matrix, &options))
}

/// The scale a paper sheet was most likely marked on, since a sheet does not say: the
/// smallest of 1–5, 1–10, 1–20 and 1–100 (0–… when some score is below 1) that holds every
/// score; otherwise, or with a negative score, the lowest to the highest score found.
#[must_use]
pub fn sheet_scale(matrix: &ScoreMatrix) -> Option<ScoreRange> {
    let (min, max) = matrix.score_bounds()?;
    let observed = ScoreRange::new(min.clone(), max.clone()).ok();
    let (zero, one) = (Exact::from_integer(0), Exact::from_integer(1));
    if min < zero {
        return observed;
    }
    let low = if min >= one { one } else { zero };
    [5, 10, 20, 100]
        .into_iter()
        .map(Exact::from_integer)
        .find(|top| top >= &max)
        .and_then(|top| ScoreRange::new(low, top).ok())
        .or(observed)
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod write_tests;
