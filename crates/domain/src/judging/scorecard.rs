//! One juror's per-criterion scores for one entry, and their weighted score.

use std::collections::BTreeMap;

use num_rational::BigRational;
use num_traits::Zero;
use serde::Serialize;

use super::{CriterionKey, Exact, JudgingError, Rubric};

/// Where a juror's card for one entry stands: still editable, submitted, or recused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "sea-orm",
    derive(sea_orm::DeriveActiveEnum, sea_orm::EnumIter)
)]
#[cfg_attr(
    feature = "sea-orm",
    sea_orm(
        rs_type = "String",
        db_type = "String(sea_orm::sea_query::StringLen::None)",
        rename_all = "snake_case"
    )
)]
pub enum ScoreStatus {
    /// Autosaved, still editable.
    Draft,
    /// Submitted: counts in the ranking.
    Final,
    /// The juror declared a conflict and does not score the entry.
    Recused,
}

impl ScoreStatus {
    /// The stored and wire name, e.g. `final`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Final => "final",
            Self::Recused => "recused",
        }
    }
}

/// A juror's scores for one entry, criterion by criterion; possibly incomplete while the
/// juror is still scoring (autosave). Every score present is on its criterion's scale.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct ScoreCard {
    scores: BTreeMap<CriterionKey, Exact>,
}

impl ScoreCard {
    /// Checks each score against the rubric and keeps them. Criteria left out are simply not
    /// scored yet.
    ///
    /// # Errors
    /// [`JudgingError::UnknownCriterion`] for a key the rubric lacks,
    /// [`JudgingError::DuplicateCriterion`] for a key given twice, and
    /// [`JudgingError::ScoreOutOfRange`] / [`JudgingError::ScoreOffStep`] for a score that is
    /// not a point of its criterion's scale.
    pub fn parse(
        rubric: &Rubric,
        scores: impl IntoIterator<Item = (CriterionKey, Exact)>,
    ) -> Result<Self, JudgingError> {
        let mut card = Self::default();
        for (key, score) in scores {
            let criterion =
                rubric
                    .criterion(&key)
                    .ok_or_else(|| JudgingError::UnknownCriterion {
                        key: key.to_string(),
                    })?;
            criterion.scale().check(&key, &score)?;
            if card.scores.contains_key(&key) {
                return Err(JudgingError::DuplicateCriterion {
                    key: key.to_string(),
                });
            }
            card.scores.insert(key, score);
        }
        Ok(card)
    }

    /// The score given for a criterion, if any.
    #[must_use]
    pub fn get(&self, key: &CriterionKey) -> Option<&Exact> {
        self.scores.get(key)
    }

    /// All scores given, by criterion key.
    #[must_use]
    pub fn scores(&self) -> &BTreeMap<CriterionKey, Exact> {
        &self.scores
    }

    /// The rubric's criteria that have no score yet, in rubric order.
    #[must_use]
    pub fn missing_criteria<'r>(&self, rubric: &'r Rubric) -> Vec<&'r CriterionKey> {
        rubric
            .criteria()
            .iter()
            .map(|c| c.key())
            .filter(|key| !self.scores.contains_key(*key))
            .collect()
    }

    /// Whether every criterion of the rubric is scored, so the juror may submit it as final.
    #[must_use]
    pub fn is_complete(&self, rubric: &Rubric) -> bool {
        self.missing_criteria(rubric).is_empty()
    }

    /// The juror's overall score for the entry: Σ weight × score / Σ weight over the rubric's
    /// criteria, exact. This is the value a final submission records.
    ///
    /// # Errors
    /// [`JudgingError::IncompleteScores`] when a criterion is unscored, and the errors of
    /// [`ScoreCard::parse`] when the card does not fit `rubric` (e.g. the rubric changed).
    pub fn weighted_score(&self, rubric: &Rubric) -> Result<Exact, JudgingError> {
        for (key, score) in &self.scores {
            let criterion =
                rubric
                    .criterion(key)
                    .ok_or_else(|| JudgingError::UnknownCriterion {
                        key: key.to_string(),
                    })?;
            criterion.scale().check(key, score)?;
        }
        let missing = self.missing_criteria(rubric);
        if !missing.is_empty() {
            let missing = missing.iter().map(ToString::to_string).collect();
            return Err(JudgingError::IncompleteScores { missing });
        }
        let (mut weighted, mut total) = (BigRational::zero(), BigRational::zero());
        for criterion in rubric.criteria() {
            if let Some(score) = self.scores.get(criterion.key()) {
                weighted += criterion.weight().rational() * score.rational();
                total += criterion.weight().rational();
            }
        }
        Ok(Exact::from_rational(weighted / total))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::super::{Criterion, Scale};
    use super::*;

    fn ex(text: &str) -> Exact {
        text.parse().unwrap()
    }

    fn key(text: &str) -> CriterionKey {
        CriterionKey::parse(text).unwrap()
    }

    fn card(rubric: &Rubric, pairs: &[(&str, &str)]) -> Result<ScoreCard, JudgingError> {
        ScoreCard::parse(rubric, pairs.iter().map(|(k, v)| (key(k), ex(v))))
    }

    fn weighted_rubric() -> Rubric {
        let half = Scale::new(ex("0"), ex("10"), ex("0.5")).unwrap();
        Rubric::new(vec![
            Criterion::new(key("message"), "Message", "", ex("2"), Scale::one_to_ten()).unwrap(),
            Criterion::new(key("craft"), "Craft", "", ex("1"), half).unwrap(),
        ])
        .unwrap()
    }

    #[test]
    fn weighted_score_is_exact_weighted_mean() {
        let rubric = weighted_rubric();
        let c = card(&rubric, &[("message", "8"), ("craft", "7.5")]).unwrap();
        // (2·8 + 1·7.5) / 3 = 23.5 / 3 = 47/6
        assert_eq!(c.weighted_score(&rubric).unwrap(), ex("47/6"));
    }

    #[test]
    fn default_rubric_weighted_score_is_plain_mean() {
        let rubric = Rubric::default_for_new_contest();
        let pairs = [
            ("message", "8"),
            ("creativity", "7"),
            ("technical_quality", "6"),
            ("impact", "9"),
            ("respect_consent", "10"),
        ];
        assert_eq!(
            card(&rubric, &pairs)
                .unwrap()
                .weighted_score(&rubric)
                .unwrap(),
            ex("8")
        );
    }

    #[test]
    fn missing_criterion_makes_the_card_incomplete() {
        let rubric = weighted_rubric();
        let c = card(&rubric, &[("craft", "7.5")]).unwrap();
        assert!(!c.is_complete(&rubric));
        assert_eq!(c.missing_criteria(&rubric), [&key("message")]);
        assert_eq!(
            c.weighted_score(&rubric).unwrap_err(),
            JudgingError::IncompleteScores {
                missing: vec!["message".into()]
            }
        );
    }

    #[test]
    fn scores_off_the_scale_or_unknown_are_refused() {
        let rubric = weighted_rubric();
        let code = |pairs: &[(&str, &str)]| card(&rubric, pairs).unwrap_err().code();
        assert_eq!(code(&[("message", "7.5")]), "score-off-step");
        assert_eq!(code(&[("message", "11")]), "score-out-of-range");
        assert_eq!(code(&[("message", "0")]), "score-out-of-range");
        assert_eq!(code(&[("craft", "-0.5")]), "score-out-of-range");
        assert_eq!(code(&[("sound", "5")]), "criterion-unknown");
        assert_eq!(
            code(&[("craft", "5"), ("craft", "6")]),
            "criterion-duplicate"
        );
    }

    #[test]
    fn a_card_that_no_longer_fits_a_changed_rubric_is_refused() {
        let c = card(&weighted_rubric(), &[("message", "8"), ("craft", "7.5")]).unwrap();
        let err = c
            .weighted_score(&Rubric::default_for_new_contest())
            .unwrap_err();
        assert_eq!(err.code(), "criterion-unknown");
    }
}
