//! The error every judging constructor returns for bad input.

use crate::error_code::ErrorCode;
/// Input that breaks a judging rule: a malformed rubric, a score off the scale, a bad score
/// matrix, an unknown method name or an admin tie decision that does not fit the ranking.
///
/// Numbers are kept as their display text (`7.5`, `22/3`) so the error stays small.
/// Every variant is caused by the caller's input (a client error); [`JudgingError::code`]
/// gives a stable kebab-case code for the API's `{"code", "message"}` error body.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JudgingError {
    /// Text that is not an exact decimal (`7.5`, `-2`) or fraction (`15/2`).
    #[error("`{text}` is not a number (write e.g. 7 or 7.5)")]
    NotANumber {
        /// The offending text.
        text: String,
    },
    /// A scale whose minimum is not below its maximum.
    #[error("the scale minimum {min} must be below its maximum {max}")]
    ScaleNotIncreasing {
        /// Lowest allowed score.
        min: String,
        /// Highest allowed score.
        max: String,
    },
    /// A scale step of zero or less.
    #[error("the scale step {step} must be greater than zero")]
    ScaleStepNotPositive {
        /// The step given.
        step: String,
    },
    /// A scale whose range is not a whole number of steps.
    #[error("the scale {min}..{max} is not a whole number of steps of {step}")]
    ScaleStepMismatch {
        /// Lowest allowed score.
        min: String,
        /// Highest allowed score.
        max: String,
        /// The step given.
        step: String,
    },
    /// A criterion key that is not a short lowercase slug.
    #[error(
        "criterion key `{key}` must be 1 to 40 characters: lowercase letters, digits, `_` or `-`, starting with a letter"
    )]
    CriterionKeyInvalid {
        /// The key given.
        key: String,
    },
    /// A criterion with an empty or overlong name or description.
    #[error("criterion `{key}`: {problem}")]
    CriterionTextInvalid {
        /// The criterion's key.
        key: String,
        /// What is wrong, in plain English.
        problem: String,
    },
    /// A criterion weight of zero or less.
    #[error("criterion `{key}`: the weight {weight} must be greater than zero")]
    WeightNotPositive {
        /// The criterion's key.
        key: String,
        /// The weight given.
        weight: String,
    },
    /// A rubric without criteria.
    #[error("a rubric needs at least one criterion")]
    RubricEmpty,
    /// A rubric with more criteria than a juror can reasonably score.
    #[error("a rubric may have at most {max} criteria, this one has {count}")]
    RubricTooLarge {
        /// Number of criteria given.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// Two criteria (or two scores) with the same key.
    #[error("criterion `{key}` appears twice")]
    DuplicateCriterion {
        /// The repeated key.
        key: String,
    },
    /// A score for a criterion the rubric does not have.
    #[error("the rubric has no criterion `{key}`")]
    UnknownCriterion {
        /// The unknown key.
        key: String,
    },
    /// A score below the scale's minimum or above its maximum.
    #[error("criterion `{key}`: score {score} is outside {min}..{max}")]
    ScoreOutOfRange {
        /// The criterion's key.
        key: String,
        /// The score given.
        score: String,
        /// Lowest allowed score.
        min: String,
        /// Highest allowed score.
        max: String,
    },
    /// A score between two points of the scale's step grid.
    #[error("criterion `{key}`: score {score} is not on the scale (from {min} in steps of {step})")]
    ScoreOffStep {
        /// The criterion's key.
        key: String,
        /// The score given.
        score: String,
        /// Lowest allowed score.
        min: String,
        /// The step of the scale.
        step: String,
    },
    /// A final score requested while some criteria are still unscored.
    #[error("scores are incomplete: missing {}", missing.join(", "))]
    IncompleteScores {
        /// Keys of the criteria without a score.
        missing: Vec<String>,
    },
    /// An empty juror or entry label.
    #[error("juror and entry labels must not be empty")]
    EmptyLabel,
    /// A score matrix without jurors.
    #[error("there are no jurors")]
    NoJurors,
    /// A score matrix without entries.
    #[error("there are no entries")]
    NoEntries,
    /// The same juror twice.
    #[error("juror `{juror}` appears twice")]
    DuplicateJuror {
        /// The repeated label.
        juror: String,
    },
    /// The same entry twice.
    #[error("entry `{entry}` appears twice")]
    DuplicateEntry {
        /// The repeated label.
        entry: String,
    },
    /// A juror label that is not in the matrix.
    #[error("unknown juror `{juror}`")]
    UnknownJuror {
        /// The label given.
        juror: String,
    },
    /// An entry label that is not in the matrix or ranking.
    #[error("unknown entry `{entry}`")]
    UnknownEntry {
        /// The label given.
        entry: String,
    },
    /// A ranking method name that is not one of `mean`, `median`, `zscore`, `rank_sum`.
    #[error("unknown ranking method `{text}` (use mean, median, zscore or rank_sum)")]
    UnknownMethod {
        /// The name given.
        text: String,
    },
    /// A tie-breaker name that is not known.
    #[error(
        "unknown tie-breaker `{text}` (use median, first_places, mean, rank_sum, worst_score or best_score)"
    )]
    UnknownTieBreak {
        /// The name given.
        text: String,
    },
    /// The same tie-breaker twice in a tie rule.
    #[error("tie-breaker `{tie_break}` appears twice")]
    DuplicateTieBreak {
        /// The repeated name.
        tie_break: String,
    },
    /// An admin tie decision without a reason.
    #[error("a tie decision needs a reason")]
    DecisionReasonEmpty,
    /// An admin tie decision naming an entry that is not in a remaining tie.
    #[error("entry `{entry}` is not in a remaining tie")]
    DecisionNotATie {
        /// The entry named.
        entry: String,
    },
    /// An admin tie decision that does not name exactly the entries of one tie.
    #[error("the decision must order exactly the tied entries {}", expected.join(", "))]
    DecisionMismatch {
        /// The entries of the tie, in ranking order.
        expected: Vec<String>,
        /// The entries the decision named.
        given: Vec<String>,
    },
}

impl JudgingError {
    /// Stable kebab-case code for API error bodies and translations.
    #[must_use]
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::NotANumber { .. } => ErrorCode::NotANumber,
            Self::ScaleNotIncreasing { .. } => ErrorCode::ScaleMinNotBelowMax,
            Self::ScaleStepNotPositive { .. } => ErrorCode::ScaleStepNotPositive,
            Self::ScaleStepMismatch { .. } => ErrorCode::ScaleStepMismatch,
            Self::CriterionKeyInvalid { .. } => ErrorCode::CriterionKeyInvalid,
            Self::CriterionTextInvalid { .. } => ErrorCode::CriterionTextInvalid,
            Self::WeightNotPositive { .. } => ErrorCode::CriterionWeightNotPositive,
            Self::RubricEmpty => ErrorCode::RubricEmpty,
            Self::RubricTooLarge { .. } => ErrorCode::RubricTooLarge,
            Self::DuplicateCriterion { .. } => ErrorCode::CriterionDuplicate,
            Self::UnknownCriterion { .. } => ErrorCode::CriterionUnknown,
            Self::ScoreOutOfRange { .. } => ErrorCode::ScoreOutOfRange,
            Self::ScoreOffStep { .. } => ErrorCode::ScoreOffStep,
            Self::IncompleteScores { .. } => ErrorCode::ScoresIncomplete,
            Self::EmptyLabel => ErrorCode::LabelEmpty,
            Self::NoJurors => ErrorCode::NoJurors,
            Self::NoEntries => ErrorCode::NoEntries,
            Self::DuplicateJuror { .. } => ErrorCode::JurorDuplicate,
            Self::DuplicateEntry { .. } => ErrorCode::EntryDuplicate,
            Self::UnknownJuror { .. } => ErrorCode::JurorUnknown,
            Self::UnknownEntry { .. } => ErrorCode::EntryUnknown,
            Self::UnknownMethod { .. } => ErrorCode::RankingMethodUnknown,
            Self::UnknownTieBreak { .. } => ErrorCode::TieBreakUnknown,
            Self::DuplicateTieBreak { .. } => ErrorCode::TieBreakDuplicate,
            Self::DecisionReasonEmpty => ErrorCode::TieDecisionReasonEmpty,
            Self::DecisionNotATie { .. } => ErrorCode::TieDecisionNotATie,
            Self::DecisionMismatch { .. } => ErrorCode::TieDecisionMismatch,
        }
    }
}
