//! Writing CSV safely: every export goes through [`write_csv`], which neutralises text cells
//! that a spreadsheet would run as a formula; [`write_score_sheet`] writes the long layout.

use std::fmt::Display;

use super::{SheetRow, columns};

/// The characters a spreadsheet reads as the start of a formula (OWASP, "CSV Injection").
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// One cell of a CSV export.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CsvCell {
    /// Text from people (titles, names, comments): neutralised by [`neutralise`].
    Text(String),
    /// A number the app itself formats (`-2`, `7.5`, `22/3`): written as is, so a spreadsheet
    /// sees a number. Anything that is not plainly a number is treated as text.
    Number(String),
}

impl CsvCell {
    /// A text cell.
    pub fn text(text: impl Into<String>) -> Self {
        Self::Text(text.into())
    }

    /// A number cell from its display form.
    pub fn number(value: impl Display) -> Self {
        Self::Number(value.to_string())
    }

    fn into_written(self) -> String {
        match self {
            Self::Number(n) if is_plain_number(&n) => n,
            Self::Text(t) | Self::Number(t) => neutralise(&t),
        }
    }
}

/// Digits with an optional sign, decimal point or fraction bar: nothing a spreadsheet could
/// run. (A leading `-` is read as a negative number, not as a formula, when the rest is digits.)
fn is_plain_number(text: &str) -> bool {
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    unsigned.starts_with(|c: char| c.is_ascii_digit())
        && unsigned
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '/')
}

/// Whether `text` must be prefixed: it starts with a formula character, possibly after quotes
/// (so that a text that really begins with `'=` survives [`restore`] unchanged).
fn needs_quote(text: &str) -> bool {
    text.trim_start_matches('\'').starts_with(FORMULA_STARTS)
}

/// A text cell made safe for spreadsheets, as OWASP recommends: a cell starting with `=`, `+`,
/// `-`, `@`, tab or carriage return gets a leading single quote, which spreadsheets show as text.
/// [`restore`] undoes it exactly, for every text.
#[must_use]
pub fn neutralise(text: &str) -> String {
    if needs_quote(text) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

/// The original text of a cell written by [`neutralise`]; other cells are returned unchanged
/// (a name like `'Tis` keeps its quote).
#[must_use]
pub fn restore(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if needs_quote(rest) => rest,
        _ => cell,
    }
}

/// RFC 4180 CSV of `rows` (quoted where needed, `\n` line ends), text cells neutralised.
#[must_use]
pub fn write_csv(rows: Vec<Vec<CsvCell>>) -> String {
    let mut writer = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    for row in rows {
        let cells: Vec<String> = row.into_iter().map(CsvCell::into_written).collect();
        // Writing into a Vec cannot fail, and `flexible` allows any row length.
        let _ = writer.write_record(&cells);
    }
    let bytes = writer.into_inner().unwrap_or_default();
    // Every cell was a String, so the bytes are UTF-8.
    String::from_utf8(bytes).unwrap_or_default()
}

/// The long layout of a score sheet, as the app exports it: a header
/// `juror,entry,title,status,<criteria…>,total,private_comment,feedback`, then one line per
/// row. [`super::parse_score_sheet`] reads it back to the same rows.
#[must_use]
pub fn write_score_sheet(criteria: &[String], rows: &[SheetRow]) -> String {
    let text = |name: &str| CsvCell::text(name);
    let mut header = vec![
        text(columns::JUROR),
        text(columns::ENTRY),
        text(columns::TITLE),
        text(columns::STATUS),
    ];
    header.extend(criteria.iter().map(|c| text(c)));
    header.extend([
        text(columns::TOTAL),
        text(columns::PRIVATE_COMMENT),
        text(columns::FEEDBACK),
    ]);
    let number = |value: &Option<super::Exact>| {
        value
            .as_ref()
            .map_or_else(|| CsvCell::text(""), CsvCell::number)
    };
    let mut lines = vec![header];
    for row in rows {
        let mut line = vec![
            text(&row.juror),
            text(&row.entry),
            text(&row.title),
            text(row.status.as_str()),
        ];
        line.extend(row.scores.iter().map(number));
        line.extend([
            number(&row.total),
            text(&row.private_comment),
            text(&row.feedback),
        ]);
        lines.push(line);
    }
    write_csv(lines)
}
