//! The jurors × entries table of overall scores that every ranking method reads.

use serde::{Deserialize, Serialize};

use super::{Exact, JudgingError};

/// One juror's overall score for one entry, or why there is none.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cell {
    /// The juror's overall (weighted) score.
    Scored(Exact),
    /// The juror declared a conflict of interest and does not judge this entry.
    Recused,
    /// No final score (yet).
    Missing,
}

impl Cell {
    /// The score, when there is one.
    #[must_use]
    pub fn score(&self) -> Option<&Exact> {
        match self {
            Self::Scored(score) => Some(score),
            Self::Recused | Self::Missing => None,
        }
    }
}

/// The lowest and highest overall score possible, used to decide when jurors' scores for an
/// entry are far apart. [`super::Rubric::score_range`] gives it for a contest.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "ScoreRangeFields")]
pub struct ScoreRange {
    min: Exact,
    max: Exact,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScoreRangeFields {
    min: Exact,
    max: Exact,
}

impl TryFrom<ScoreRangeFields> for ScoreRange {
    type Error = JudgingError;

    fn try_from(fields: ScoreRangeFields) -> Result<Self, Self::Error> {
        Self::new(fields.min, fields.max)
    }
}

impl ScoreRange {
    /// Builds a range.
    ///
    /// # Errors
    /// [`JudgingError::ScaleNotIncreasing`] unless `min < max`.
    pub fn new(min: Exact, max: Exact) -> Result<Self, JudgingError> {
        if min >= max {
            return Err(JudgingError::ScaleNotIncreasing {
                min: min.to_string(),
                max: max.to_string(),
            });
        }
        Ok(Self { min, max })
    }

    pub(crate) fn from_bounds(min: Exact, max: Exact) -> Self {
        Self { min, max }
    }

    /// Lowest possible score.
    #[must_use]
    pub fn min(&self) -> &Exact {
        &self.min
    }

    /// Highest possible score.
    #[must_use]
    pub fn max(&self) -> &Exact {
        &self.max
    }
}

/// Overall scores of every juror for every entry. Jurors and entries are identified by
/// distinct, non-empty labels (UUID strings in the app, column headers in a CSV sheet);
/// their order is only the display order and never changes a result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ScoreMatrix {
    jurors: Vec<String>,
    entries: Vec<String>,
    /// `cells[juror][entry]`.
    cells: Vec<Vec<Cell>>,
}

impl ScoreMatrix {
    /// A matrix with every cell [`Cell::Missing`].
    ///
    /// # Errors
    /// [`JudgingError::NoJurors`], [`JudgingError::NoEntries`], [`JudgingError::EmptyLabel`]
    /// (a label that is empty after trimming), [`JudgingError::DuplicateJuror`] or
    /// [`JudgingError::DuplicateEntry`].
    pub fn new(jurors: Vec<String>, entries: Vec<String>) -> Result<Self, JudgingError> {
        if jurors.is_empty() {
            return Err(JudgingError::NoJurors);
        }
        if entries.is_empty() {
            return Err(JudgingError::NoEntries);
        }
        if jurors
            .iter()
            .chain(&entries)
            .any(|label| label.trim().is_empty())
        {
            return Err(JudgingError::EmptyLabel);
        }
        if let Some(juror) = first_duplicate(&jurors) {
            return Err(JudgingError::DuplicateJuror {
                juror: juror.to_owned(),
            });
        }
        if let Some(entry) = first_duplicate(&entries) {
            return Err(JudgingError::DuplicateEntry {
                entry: entry.to_owned(),
            });
        }
        let cells = vec![vec![Cell::Missing; entries.len()]; jurors.len()];
        Ok(Self {
            jurors,
            entries,
            cells,
        })
    }

    /// Sets one cell.
    ///
    /// # Errors
    /// [`JudgingError::UnknownJuror`] or [`JudgingError::UnknownEntry`].
    pub fn set(&mut self, juror: &str, entry: &str, cell: Cell) -> Result<(), JudgingError> {
        let j = self.juror_index(juror)?;
        let e = self.entry_index(entry)?;
        if let Some(slot) = self.cells.get_mut(j).and_then(|row| row.get_mut(e)) {
            *slot = cell;
        }
        Ok(())
    }

    /// Juror labels in display order.
    #[must_use]
    pub fn jurors(&self) -> &[String] {
        &self.jurors
    }

    /// Entry labels in display order.
    #[must_use]
    pub fn entries(&self) -> &[String] {
        &self.entries
    }

    /// The cell of a juror and an entry.
    ///
    /// # Errors
    /// [`JudgingError::UnknownJuror`] or [`JudgingError::UnknownEntry`].
    pub fn cell(&self, juror: &str, entry: &str) -> Result<&Cell, JudgingError> {
        let j = self.juror_index(juror)?;
        let e = self.entry_index(entry)?;
        Ok(&self.cells[j][e])
    }

    pub(crate) fn cell_at(&self, juror: usize, entry: usize) -> &Cell {
        &self.cells[juror][entry]
    }

    /// The lowest and highest score in the matrix, when they differ.
    #[must_use]
    pub fn observed_range(&self) -> Option<ScoreRange> {
        let (min, max) = self.score_bounds()?;
        ScoreRange::new(min, max).ok()
    }

    /// The lowest and highest score in the matrix, if it has any score.
    pub(crate) fn score_bounds(&self) -> Option<(Exact, Exact)> {
        let mut scores = self.cells.iter().flatten().filter_map(Cell::score);
        let first = scores.next()?;
        let (min, max) = scores.fold((first, first), |(lo, hi), s| (lo.min(s), hi.max(s)));
        Some((min.clone(), max.clone()))
    }

    fn juror_index(&self, juror: &str) -> Result<usize, JudgingError> {
        self.jurors
            .iter()
            .position(|j| j == juror)
            .ok_or_else(|| JudgingError::UnknownJuror {
                juror: juror.to_owned(),
            })
    }

    fn entry_index(&self, entry: &str) -> Result<usize, JudgingError> {
        self.entries
            .iter()
            .position(|e| e == entry)
            .ok_or_else(|| JudgingError::UnknownEntry {
                entry: entry.to_owned(),
            })
    }
}

fn first_duplicate(labels: &[String]) -> Option<&str> {
    let mut seen = std::collections::HashSet::new();
    labels
        .iter()
        .find(|label| !seen.insert(label.as_str()))
        .map(String::as_str)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn labels(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn matrix_refuses_bad_labels() {
        let code = |j: &[&str], e: &[&str]| ScoreMatrix::new(labels(j), labels(e)).unwrap_err();
        assert_eq!(code(&[], &["A"]), JudgingError::NoJurors);
        assert_eq!(code(&["J"], &[]), JudgingError::NoEntries);
        assert_eq!(code(&["J", " "], &["A"]), JudgingError::EmptyLabel);
        assert_eq!(
            code(&["J", "J"], &["A"]),
            JudgingError::DuplicateJuror { juror: "J".into() }
        );
        assert_eq!(
            code(&["J"], &["A", "A"]),
            JudgingError::DuplicateEntry { entry: "A".into() }
        );
    }

    #[test]
    fn cells_start_missing_and_can_be_set_by_label() {
        let mut m = ScoreMatrix::new(labels(&["J1", "J2"]), labels(&["A", "B"])).unwrap();
        assert_eq!(m.cell("J2", "B").unwrap(), &Cell::Missing);
        m.set("J2", "B", Cell::Recused).unwrap();
        m.set("J1", "A", Cell::Scored(Exact::from_integer(7)))
            .unwrap();
        assert_eq!(m.cell("J2", "B").unwrap(), &Cell::Recused);
        assert_eq!(
            m.cell("J1", "A").unwrap().score(),
            Some(&Exact::from_integer(7))
        );
        assert_eq!(
            m.set("J3", "A", Cell::Recused).unwrap_err().code(),
            "juror-unknown"
        );
        assert_eq!(
            m.set("J1", "C", Cell::Recused).unwrap_err().code(),
            "entry-unknown"
        );
    }

    #[test]
    fn score_range_must_increase_also_when_read_from_json() {
        assert!(ScoreRange::new(Exact::from_integer(3), Exact::from_integer(3)).is_err());
        let read: ScoreRange = serde_json::from_str(r#"{"min":1,"max":10}"#).unwrap();
        assert_eq!(read.max(), &Exact::from_integer(10));
        assert!(serde_json::from_str::<ScoreRange>(r#"{"min":10,"max":1}"#).is_err());
    }

    #[test]
    fn observed_range_spans_the_scores_given() {
        let mut m = ScoreMatrix::new(labels(&["J1", "J2"]), labels(&["A", "B"])).unwrap();
        assert_eq!(m.observed_range(), None);
        m.set("J1", "A", Cell::Scored(Exact::from_integer(4)))
            .unwrap();
        assert_eq!(m.observed_range(), None);
        m.set("J2", "B", Cell::Scored(Exact::from_integer(9)))
            .unwrap();
        let range = m.observed_range().unwrap();
        assert_eq!(
            (range.min(), range.max()),
            (&Exact::from_integer(4), &Exact::from_integer(9))
        );
    }
}
