//! What the rows of a score sheet mean for a contest's rubric: the cards an import writes.

use super::{ScoreSheet, SheetError, SheetErrors, SheetLayout, SheetRow, SheetStatus};
use crate::judging::{CriterionKey, Exact, JudgingError, Rubric, ScoreCard};

/// A juror's card for an entry, as a sheet row gives it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SheetCard {
    /// Final scores, complete and on the rubric's scales.
    Final(ScoreCard),
    /// A recusal.
    Recused,
}

fn keys(rubric: &Rubric) -> String {
    let keys: Vec<&str> = rubric.criteria().iter().map(|c| c.key().as_str()).collect();
    keys.join(",")
}

/// Checks that a sheet's columns fit `rubric`: a long sheet's criterion columns must all be
/// criteria of the rubric (missing ones show up as incomplete cards); a wide sheet holds overall
/// scores, which are criterion scores only when the rubric has a single criterion.
///
/// # Errors
/// [`SheetError::UnknownCriterion`] for each unknown column, [`SheetError::OverallScoresOnly`].
pub fn check_columns(sheet: &ScoreSheet, rubric: &Rubric) -> Result<(), SheetErrors> {
    let line = sheet.header_line();
    if sheet.layout() == SheetLayout::Wide {
        return match rubric.criteria() {
            [_] => Ok(()),
            _ => Err(SheetError::OverallScoresOnly {
                line,
                keys: keys(rubric),
            }
            .into()),
        };
    }
    let unknown = sheet
        .criteria()
        .iter()
        .filter(|name| {
            !rubric
                .criteria()
                .iter()
                .any(|c| c.key().as_str() == name.as_str())
        })
        .map(|name| SheetError::UnknownCriterion {
            line,
            name: name.clone(),
            known: keys(rubric).replace(',', ", "),
        })
        .collect();
    SheetErrors::new(unknown).map_or(Ok(()), Err)
}

/// The card one row gives under `rubric` (whose columns [`check_columns`] accepted): a final
/// card from its criterion scores (a wide sheet's overall score being the single criterion's),
/// a recusal, or `None` for a draft or not-started row, which is not imported.
///
/// # Errors
/// [`SheetError::InvalidCard`] when the scores are off the rubric's scales or incomplete, and
/// [`SheetError::TotalMismatch`] when a long row's `total` is not their weighted score.
pub fn row_card(
    sheet: &ScoreSheet,
    rubric: &Rubric,
    row: &SheetRow,
) -> Result<Option<SheetCard>, SheetError> {
    let line = row.line;
    let invalid = |e: JudgingError| SheetError::InvalidCard {
        line,
        message: e.to_string(),
    };
    match row.status {
        SheetStatus::Draft | SheetStatus::NotStarted => return Ok(None),
        SheetStatus::Recused => return Ok(Some(SheetCard::Recused)),
        SheetStatus::Final => {}
    }
    let pairs: Vec<(CriterionKey, Exact)> = match sheet.layout() {
        SheetLayout::Wide => rubric
            .criteria()
            .iter()
            .zip(&row.total)
            .map(|(c, total)| (c.key().clone(), total.clone()))
            .collect(),
        SheetLayout::Long => sheet
            .criteria()
            .iter()
            .zip(&row.scores)
            .filter_map(|(name, score)| score.as_ref().map(|s| (name, s)))
            .map(|(name, score)| Ok((CriterionKey::parse(name)?, score.clone())))
            .collect::<Result<_, JudgingError>>()
            .map_err(invalid)?,
    };
    let card = ScoreCard::parse(rubric, pairs).map_err(invalid)?;
    let weighted = card.weighted_score(rubric).map_err(invalid)?;
    match &row.total {
        Some(total) if sheet.layout() == SheetLayout::Long && *total != weighted => {
            Err(SheetError::TotalMismatch {
                line,
                total: total.to_string(),
                weighted: weighted.to_string(),
            })
        }
        _ => Ok(Some(SheetCard::Final(card))),
    }
}
