//! Paper score sheets as CSV, for the offline `clipjury rank FILE.csv` command.
//!
//! ```text
//! juror,Group 1,Group 2,Group 3
//! Dara,8,7.5,9
//! Sokha,7,,8
//! ```
//!
//! The first header cell is a corner label (any text, usually `juror`); the other header cells
//! name the entries. Each following row is one juror: a name, then one score per entry.
//! Scores are decimals read exactly; an empty cell means the juror recused or has no score,
//! and counts as a recusal. Cells are trimmed, quoting follows RFC 4180, blank lines are
//! skipped and a UTF-8 byte order mark (as spreadsheet programs write) is ignored.

use super::{Cell, Exact, Method, RankOptions, Ranking, ScoreMatrix, ScoreRange, rank_matrix};

/// A parsed score sheet: the jurors × entries matrix it describes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScoreSheet {
    matrix: ScoreMatrix,
}

impl ScoreSheet {
    /// The scores, with empty cells as [`Cell::Recused`].
    #[must_use]
    pub fn matrix(&self) -> &ScoreMatrix {
        &self.matrix
    }
}

/// What is wrong with a score sheet, with the 1-based line of the file where it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SheetError {
    /// Nothing but blank lines.
    #[error("the score sheet is empty: expected a header row `juror,<entry 1>,<entry 2>,…`")]
    Empty,
    /// A header with no entry columns.
    #[error("line {line}: the header names no entries: expected `juror,<entry 1>,<entry 2>,…`")]
    NoEntries {
        /// Line of the header.
        line: u64,
    },
    /// A header with no juror rows after it.
    #[error("the score sheet has a header but no juror rows")]
    NoJurors,
    /// An empty entry name in the header.
    #[error("line {line}, column {column}: the entry name is empty")]
    EmptyEntry {
        /// Line of the header.
        line: u64,
        /// 1-based column.
        column: usize,
    },
    /// An entry named twice in the header.
    #[error("line {line}: entry `{entry}` appears twice in the header")]
    DuplicateEntry {
        /// Line of the header.
        line: u64,
        /// The repeated name.
        entry: String,
    },
    /// A row with an empty juror name.
    #[error("line {line}: the juror name (first column) is empty")]
    EmptyJuror {
        /// Line of the row.
        line: u64,
    },
    /// A juror named on two rows.
    #[error("line {line}: juror `{juror}` already has a row")]
    DuplicateJuror {
        /// Line of the second row.
        line: u64,
        /// The repeated name.
        juror: String,
    },
    /// A row with a different number of cells than the header.
    #[error("line {line}: expected {expected} columns like the header, found {found}")]
    WrongColumnCount {
        /// Line of the row.
        line: u64,
        /// Columns in the header.
        expected: usize,
        /// Columns in this row.
        found: usize,
    },
    /// A cell that is neither empty nor a decimal number.
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
    /// Text the CSV reader cannot split into cells (e.g. invalid UTF-8, an unclosed quote).
    #[error("line {line}: {message}")]
    Malformed {
        /// Line where reading failed.
        line: u64,
        /// The reader's explanation.
        message: String,
    },
}

/// Parses a CSV score sheet (format in the module documentation).
///
/// # Errors
/// The first problem found, as a [`SheetError`] naming its line.
pub fn parse_score_sheet(text: &str) -> Result<ScoreSheet, SheetError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|err| SheetError::Malformed {
            line: err.position().map_or(0, |p| line_at(text, p.byte())),
            message: err.to_string(),
        })?;
        let line = record.position().map_or(0, |p| line_at(text, p.byte()));
        let cells: Vec<String> = record.iter().map(str::to_owned).collect();
        if cells.iter().any(|c| !c.is_empty()) {
            rows.push((line, cells));
        }
    }
    let mut rows = rows.into_iter();
    let (header_line, header) = rows.next().ok_or(SheetError::Empty)?;
    let entries = parse_header(header_line, &header)?;
    let mut jurors: Vec<(u64, String, Vec<Cell>)> = Vec::new();
    for (line, cells) in rows {
        if cells.len() != header.len() {
            return Err(SheetError::WrongColumnCount {
                line,
                expected: header.len(),
                found: cells.len(),
            });
        }
        let juror = cells[0].clone();
        if juror.is_empty() {
            return Err(SheetError::EmptyJuror { line });
        }
        if jurors.iter().any(|(_, j, _)| *j == juror) {
            return Err(SheetError::DuplicateJuror { line, juror });
        }
        let scores = cells[1..]
            .iter()
            .zip(&entries)
            .enumerate()
            .map(|(i, (text, entry))| parse_cell(text, line, i + 2, &juror, entry))
            .collect::<Result<Vec<Cell>, SheetError>>()?;
        jurors.push((line, juror, scores));
    }
    if jurors.is_empty() {
        return Err(SheetError::NoJurors);
    }
    let labels = jurors.iter().map(|(_, j, _)| j.clone()).collect();
    // Labels were checked above, so building the matrix cannot fail; map defensively anyway.
    let mut matrix =
        ScoreMatrix::new(labels, entries.clone()).map_err(|err| SheetError::Malformed {
            line: header_line,
            message: err.to_string(),
        })?;
    for (line, juror, scores) in jurors {
        for (entry, cell) in entries.iter().zip(scores) {
            matrix
                .set(&juror, entry, cell)
                .map_err(|err| SheetError::Malformed {
                    line,
                    message: err.to_string(),
                })?;
        }
    }
    Ok(ScoreSheet { matrix })
}

/// The 1-based line of the record the CSV reader reports at byte `offset`. The reader's own line
/// count ignores skipped blank lines and its offset points before them, so skip line breaks
/// and count them here.
fn line_at(text: &str, offset: u64) -> u64 {
    let bytes = text.as_bytes();
    let mut start = usize::try_from(offset)
        .unwrap_or(bytes.len())
        .min(bytes.len());
    while bytes.get(start).is_some_and(|b| matches!(b, b'\r' | b'\n')) {
        start += 1;
    }
    let breaks = bytes[..start].iter().filter(|&&b| b == b'\n').count();
    u64::try_from(breaks).unwrap_or(u64::MAX).saturating_add(1)
}

fn parse_header(line: u64, header: &[String]) -> Result<Vec<String>, SheetError> {
    let entries: Vec<String> = header.iter().skip(1).cloned().collect();
    if entries.is_empty() {
        return Err(SheetError::NoEntries { line });
    }
    for (i, entry) in entries.iter().enumerate() {
        if entry.is_empty() {
            return Err(SheetError::EmptyEntry {
                line,
                column: i + 2,
            });
        }
        if entries[..i].contains(entry) {
            return Err(SheetError::DuplicateEntry {
                line,
                entry: entry.clone(),
            });
        }
    }
    Ok(entries)
}

fn parse_cell(
    text: &str,
    line: u64,
    column: usize,
    juror: &str,
    entry: &str,
) -> Result<Cell, SheetError> {
    if text.is_empty() {
        return Ok(Cell::Recused);
    }
    Exact::parse_decimal(text)
        .map(Cell::Scored)
        .map_err(|_| SheetError::BadNumber {
            line,
            column,
            juror: juror.to_owned(),
            entry: entry.to_owned(),
            text: text.to_owned(),
        })
}

/// Ranks a score sheet with the defaults the CLI uses: the default tie rule (median, then
/// first places) and [`sheet_scale`] as the score range for the high-spread flag.
#[must_use]
pub fn rank_sheet(sheet: &ScoreSheet, method: Method, lower_is_better: bool) -> Ranking {
    let options = RankOptions {
        method,
        lower_is_better,
        score_range: sheet_scale(&sheet.matrix),
        ..RankOptions::default()
    };
    rank_matrix(&sheet.matrix, &options)
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
#[path = "sheet_tests.rs"]
mod tests;
