//! Reading a score sheet in either layout (see the module documentation of `sheet`).

use std::str::FromStr;

use super::write::restore;
use super::{ScoreSheet, SheetError, SheetErrors, SheetLayout, SheetRow, SheetStatus, columns};
use crate::judging::Exact;

/// Parses a CSV score sheet in the long or the wide layout.
///
/// # Errors
/// Every problem found, each naming its line.
pub fn parse_score_sheet(text: &str) -> Result<ScoreSheet, SheetErrors> {
    let (sheet, problems) = read_score_sheet(text)?;
    match SheetErrors::new(problems) {
        Some(errors) => Err(errors),
        None => Ok(sheet),
    }
}

/// Like [`parse_score_sheet`], but a row with a problem is left out of the sheet and its
/// problems are returned beside it, so that a caller can add its own findings about the good
/// rows and report everything at once.
///
/// # Errors
/// Problems that leave no sheet at all: an empty file, a bad header, no rows.
pub fn read_score_sheet(text: &str) -> Result<(ScoreSheet, Vec<SheetError>), SheetErrors> {
    let mut records = records(text)?.into_iter();
    let (header_line, header) = records.next().ok_or(SheetError::Empty)?;
    let rows: Vec<(u64, Vec<String>)> = records.collect();
    let named = |name: &str| header.iter().any(|h| h.eq_ignore_ascii_case(name));
    let sheet = if named(columns::JUROR) && named(columns::ENTRY) {
        long(header_line, &header, rows)
    } else {
        wide(header_line, &header, rows)
    }?;
    if sheet.0.rows.is_empty() && sheet.1.is_empty() {
        return Err(SheetError::NoJurors.into());
    }
    Ok(sheet)
}

/// Non-blank records with their 1-based line, cells trimmed and un-neutralised.
fn records(text: &str) -> Result<Vec<(u64, Vec<String>)>, SheetError> {
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
        let cells: Vec<String> = record.iter().map(|c| restore(c).to_owned()).collect();
        if cells.iter().any(|c| !c.is_empty()) {
            rows.push((line, cells));
        }
    }
    Ok(rows)
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

fn number(text: &str) -> Option<Result<Exact, ()>> {
    (!text.is_empty()).then(|| Exact::from_str(text).map_err(|_| ()))
}

type Parsed = Result<(ScoreSheet, Vec<SheetError>), SheetErrors>;

fn wide(header_line: u64, header: &[String], rows: Vec<(u64, Vec<String>)>) -> Parsed {
    let entries: Vec<String> = header.iter().skip(1).cloned().collect();
    let mut problems = Vec::new();
    if entries.is_empty() {
        problems.push(SheetError::NoEntries { line: header_line });
    }
    for (i, entry) in entries.iter().enumerate() {
        if entry.is_empty() {
            let column = i + 2;
            problems.push(SheetError::EmptyEntry {
                line: header_line,
                column,
            });
        } else if entries[..i].contains(entry) {
            problems.push(SheetError::DuplicateEntry {
                line: header_line,
                entry: entry.clone(),
            });
        }
    }
    if let Some(errors) = SheetErrors::new(problems) {
        return Err(errors);
    }
    let mut jurors: Vec<String> = Vec::new();
    let mut sheet_rows = Vec::new();
    let mut problems = Vec::new();
    for (line, cells) in rows {
        if cells.len() != header.len() {
            problems.push(SheetError::WrongColumnCount {
                line,
                expected: header.len(),
                found: cells.len(),
            });
            continue;
        }
        let juror = cells[0].clone();
        if juror.is_empty() {
            problems.push(SheetError::EmptyJuror { line });
            continue;
        }
        if jurors.contains(&juror) {
            problems.push(SheetError::DuplicateJuror { line, juror });
            continue;
        }
        jurors.push(juror.clone());
        let mut row_problems = Vec::new();
        let mut row_cells = Vec::new();
        for (i, (text, entry)) in cells[1..].iter().zip(&entries).enumerate() {
            let (status, total) = match number(text) {
                None => (SheetStatus::Recused, None),
                Some(Ok(score)) => (SheetStatus::Final, Some(score)),
                Some(Err(())) => {
                    row_problems.push(SheetError::BadNumber {
                        line,
                        column: i + 2,
                        juror: juror.clone(),
                        entry: entry.clone(),
                        text: text.clone(),
                    });
                    continue;
                }
            };
            row_cells.push(SheetRow {
                line,
                juror: juror.clone(),
                entry: entry.clone(),
                title: String::new(),
                status,
                scores: Vec::new(),
                total,
                private_comment: String::new(),
                feedback: String::new(),
            });
        }
        if row_problems.is_empty() {
            sheet_rows.extend(row_cells);
        }
        problems.extend(row_problems);
    }
    let sheet = ScoreSheet {
        layout: SheetLayout::Wide,
        header_line,
        criteria: Vec::new(),
        has_total: true,
        rows: sheet_rows,
    };
    Ok((sheet, problems))
}

/// Where each column of a long header goes.
struct LongColumns {
    /// Reserved name → column index.
    reserved: Vec<(&'static str, usize)>,
    /// Criterion name and column index.
    criteria: Vec<(String, usize)>,
}

impl LongColumns {
    fn of(line: u64, header: &[String]) -> Result<Self, SheetErrors> {
        let mut problems = Vec::new();
        let mut columns = Self {
            reserved: Vec::new(),
            criteria: Vec::new(),
        };
        for (i, name) in header.iter().enumerate() {
            if name.is_empty() {
                problems.push(SheetError::EmptyColumn {
                    line,
                    column: i + 1,
                });
            } else if header[..i].iter().any(|h| h.eq_ignore_ascii_case(name)) {
                problems.push(SheetError::DuplicateColumn {
                    line,
                    name: name.clone(),
                });
            } else if let Some(&known) = columns::ALL.iter().find(|r| r.eq_ignore_ascii_case(name))
            {
                columns.reserved.push((known, i));
            } else {
                columns.criteria.push((name.clone(), i));
            }
        }
        match SheetErrors::new(problems) {
            Some(errors) => Err(errors),
            None => Ok(columns),
        }
    }

    fn index(&self, name: &str) -> Option<usize> {
        self.reserved
            .iter()
            .find(|(r, _)| *r == name)
            .map(|&(_, i)| i)
    }
}

fn long(header_line: u64, header: &[String], rows: Vec<(u64, Vec<String>)>) -> Parsed {
    let columns = LongColumns::of(header_line, header)?;
    let mut seen: Vec<(String, String, u64)> = Vec::new();
    let mut sheet_rows = Vec::new();
    let mut problems = Vec::new();
    for (line, cells) in rows {
        if cells.len() > header.len() {
            problems.push(SheetError::WrongColumnCount {
                line,
                expected: header.len(),
                found: cells.len(),
            });
            continue;
        }
        let cell = |name: &str| {
            columns
                .index(name)
                .and_then(|i| cells.get(i))
                .cloned()
                .unwrap_or_default()
        };
        let (juror, entry) = (cell(columns::JUROR), cell(columns::ENTRY));
        let mut row_problems = Vec::new();
        if juror.is_empty() {
            row_problems.push(SheetError::EmptyJuror { line });
        }
        if entry.is_empty() {
            row_problems.push(SheetError::EmptyEntryName { line });
        }
        let status_text = cell(columns::STATUS);
        let status = SheetStatus::from_str(&status_text).unwrap_or_else(|()| {
            row_problems.push(SheetError::BadStatus {
                line,
                text: status_text.clone(),
            });
            SheetStatus::Final
        });
        let mut score = |name: &str, text: &str| match number(text) {
            None => None,
            Some(Ok(value)) => Some(value),
            Some(Err(())) => {
                row_problems.push(SheetError::BadScore {
                    line,
                    name: name.to_owned(),
                    juror: juror.clone(),
                    entry: entry.clone(),
                    text: text.to_owned(),
                });
                None
            }
        };
        let scores: Vec<Option<Exact>> = columns
            .criteria
            .iter()
            .map(|(name, i)| score(name, cells.get(*i).map_or("", String::as_str)))
            .collect();
        let total = score(columns::TOTAL, &cell(columns::TOTAL));
        if !juror.is_empty() && !entry.is_empty() {
            match seen.iter().find(|(j, e, _)| *j == juror && *e == entry) {
                Some(&(_, _, first)) => row_problems.push(SheetError::DuplicateRow {
                    line,
                    first,
                    juror: juror.clone(),
                    entry: entry.clone(),
                }),
                None => seen.push((juror.clone(), entry.clone(), line)),
            }
        }
        if row_problems.is_empty() {
            sheet_rows.push(SheetRow {
                line,
                juror,
                entry,
                title: cell(columns::TITLE),
                status,
                scores,
                total,
                private_comment: cell(columns::PRIVATE_COMMENT),
                feedback: cell(columns::FEEDBACK),
            });
        }
        problems.extend(row_problems);
    }
    let sheet = ScoreSheet {
        layout: SheetLayout::Long,
        header_line,
        has_total: columns.index(columns::TOTAL).is_some(),
        criteria: columns.criteria.into_iter().map(|(name, _)| name).collect(),
        rows: sheet_rows,
    };
    Ok((sheet, problems))
}
