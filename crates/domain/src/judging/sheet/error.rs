//! What can be wrong with a score sheet, each problem naming its line.

use std::fmt;

/// One problem of a score sheet, with the 1-based line of the file where it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SheetError {
    /// Nothing but blank lines.
    #[error(
        "the score sheet is empty: expected a header row `juror,entry,<criteria…>` or `juror,<entry 1>,<entry 2>,…`"
    )]
    Empty,
    /// A wide header with no entry columns.
    #[error("line {line}: the header names no entries: expected `juror,<entry 1>,<entry 2>,…`")]
    NoEntries {
        /// Line of the header.
        line: u64,
    },
    /// A header with no rows after it.
    #[error("the score sheet has a header but no rows of scores")]
    NoJurors,
    /// An empty entry name in a wide header.
    #[error("line {line}, column {column}: the entry name is empty")]
    EmptyEntry {
        /// Line of the header.
        line: u64,
        /// 1-based column.
        column: usize,
    },
    /// An entry named twice in a wide header.
    #[error("line {line}: entry `{entry}` appears twice in the header")]
    DuplicateEntry {
        /// Line of the header.
        line: u64,
        /// The repeated name.
        entry: String,
    },
    /// An empty column name in a long header.
    #[error("line {line}, column {column}: the column has no name")]
    EmptyColumn {
        /// Line of the header.
        line: u64,
        /// 1-based column.
        column: usize,
    },
    /// A column named twice in a long header.
    #[error("line {line}: column `{name}` appears twice in the header")]
    DuplicateColumn {
        /// Line of the header.
        line: u64,
        /// The repeated name.
        name: String,
    },
    /// A row with an empty juror name.
    #[error("line {line}: the juror name is empty")]
    EmptyJuror {
        /// Line of the row.
        line: u64,
    },
    /// A long row with an empty entry name.
    #[error("line {line}: the entry name is empty")]
    EmptyEntryName {
        /// Line of the row.
        line: u64,
    },
    /// A juror named on two rows of a wide sheet.
    #[error("line {line}: juror `{juror}` already has a row")]
    DuplicateJuror {
        /// Line of the second row.
        line: u64,
        /// The repeated name.
        juror: String,
    },
    /// The same juror and entry on two rows of a long sheet.
    #[error(
        "line {line}: juror `{juror}` and entry `{entry}` appear twice (first on line {first})"
    )]
    DuplicateRow {
        /// Line of the second row.
        line: u64,
        /// Line of the first row.
        first: u64,
        /// The juror.
        juror: String,
        /// The entry.
        entry: String,
    },
    /// A row with a different number of cells than the header (wide), or more (long).
    #[error("line {line}: expected {expected} columns like the header, found {found}")]
    WrongColumnCount {
        /// Line of the row.
        line: u64,
        /// Columns in the header.
        expected: usize,
        /// Columns in this row.
        found: usize,
    },
    /// A wide cell that is neither empty nor a number.
    #[error(
        "line {line}, column {column} (juror `{juror}`, entry `{entry}`): `{text}` is not a number"
    )]
    BadNumber {
        /// Line of the row.
        line: u64,
        /// 1-based column.
        column: usize,
        /// The row's juror.
        juror: String,
        /// The column's entry.
        entry: String,
        /// The cell's text.
        text: String,
    },
    /// A long cell under a criterion or `total` that is neither empty nor a number.
    #[error(
        "line {line}, column `{name}` (juror `{juror}`, entry `{entry}`): `{text}` is not a number"
    )]
    BadScore {
        /// Line of the row.
        line: u64,
        /// The column's name.
        name: String,
        /// The row's juror.
        juror: String,
        /// The row's entry.
        entry: String,
        /// The cell's text.
        text: String,
    },
    /// A `status` that is none of `final`, `recused`, `draft`, `not_started` (or empty).
    #[error(
        "line {line}: status `{text}` is not one of final, recused, draft, not_started (empty means final)"
    )]
    BadStatus {
        /// Line of the row.
        line: u64,
        /// The cell's text.
        text: String,
    },
    /// A final row without an overall score where one is needed (ranking a long sheet).
    #[error("line {line}: juror `{juror}`, entry `{entry}` is final but has no `total` to rank by")]
    MissingTotal {
        /// Line of the row.
        line: u64,
        /// The row's juror.
        juror: String,
        /// The row's entry.
        entry: String,
    },
    /// A long sheet without a `total` column, ranked (the weights of its criteria are unknown).
    #[error(
        "line {line}: ranking a sheet with a row per juror and entry needs a `total` column (the overall, weighted score)"
    )]
    NoTotalColumn {
        /// Line of the header.
        line: u64,
    },
    /// A criterion column the contest's rubric does not have (importing).
    #[error("line {line}: column `{name}` is not a criterion of this contest (criteria: {known})")]
    UnknownCriterion {
        /// Line of the header.
        line: u64,
        /// The column's name.
        name: String,
        /// The rubric's criterion keys, comma-separated.
        known: String,
    },
    /// A wide sheet (overall scores only) imported into a rubric of several criteria.
    #[error(
        "line {line}: this sheet has one overall score per juror and entry; importing needs a score per criterion, in a row per juror and entry: `juror,entry,{keys}`"
    )]
    OverallScoresOnly {
        /// Line of the header.
        line: u64,
        /// The rubric's criterion keys, comma-separated.
        keys: String,
    },
    /// Final scores that do not make a valid card for the rubric (importing).
    #[error("line {line}: {message}")]
    InvalidCard {
        /// Line of the row.
        line: u64,
        /// What the rubric refuses.
        message: String,
    },
    /// A `total` that is not the weighted score of the row's criteria (importing).
    #[error(
        "line {line}: total {total} differs from {weighted}, the weighted score of the criteria (leave total empty, or write it exactly)"
    )]
    TotalMismatch {
        /// Line of the row.
        line: u64,
        /// The total given.
        total: String,
        /// The weighted score of the criteria.
        weighted: String,
    },
    /// Text the CSV reader cannot split into cells.
    #[error("line {line}: {message}")]
    Malformed {
        /// Line where reading failed.
        line: u64,
        /// The reader's explanation.
        message: String,
    },
}

impl SheetError {
    /// The line the problem is on; 0 when it concerns the whole sheet.
    #[must_use]
    pub fn line(&self) -> u64 {
        match self {
            Self::Empty | Self::NoJurors => 0,
            Self::NoEntries { line }
            | Self::EmptyEntry { line, .. }
            | Self::DuplicateEntry { line, .. }
            | Self::EmptyColumn { line, .. }
            | Self::DuplicateColumn { line, .. }
            | Self::EmptyJuror { line }
            | Self::EmptyEntryName { line }
            | Self::DuplicateJuror { line, .. }
            | Self::DuplicateRow { line, .. }
            | Self::WrongColumnCount { line, .. }
            | Self::BadNumber { line, .. }
            | Self::BadScore { line, .. }
            | Self::BadStatus { line, .. }
            | Self::MissingTotal { line, .. }
            | Self::NoTotalColumn { line }
            | Self::UnknownCriterion { line, .. }
            | Self::OverallScoresOnly { line, .. }
            | Self::InvalidCard { line, .. }
            | Self::TotalMismatch { line, .. }
            | Self::Malformed { line, .. } => *line,
        }
    }
}

/// Every problem found in a score sheet, in line order (never empty). Displayed one per line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetErrors(Vec<SheetError>);

impl SheetErrors {
    /// Wraps problems found, sorted by line (stable: problems of one line keep their order).
    /// `None` when there are none.
    #[must_use]
    pub fn new(mut errors: Vec<SheetError>) -> Option<Self> {
        errors.sort_by_key(SheetError::line);
        (!errors.is_empty()).then_some(Self(errors))
    }

    /// The problems, in line order.
    #[must_use]
    pub fn errors(&self) -> &[SheetError] {
        &self.0
    }
}

impl From<SheetError> for SheetErrors {
    fn from(error: SheetError) -> Self {
        Self(vec![error])
    }
}

impl fmt::Display for SheetErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for SheetErrors {}
