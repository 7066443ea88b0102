//! The error every judging constructor returns for bad input.

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
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotANumber { .. } => "not-a-number",
            Self::ScaleNotIncreasing { .. } => "scale-min-not-below-max",
            Self::ScaleStepNotPositive { .. } => "scale-step-not-positive",
            Self::ScaleStepMismatch { .. } => "scale-step-mismatch",
            Self::CriterionKeyInvalid { .. } => "criterion-key-invalid",
            Self::CriterionTextInvalid { .. } => "criterion-text-invalid",
            Self::WeightNotPositive { .. } => "criterion-weight-not-positive",
            Self::RubricEmpty => "rubric-empty",
            Self::RubricTooLarge { .. } => "rubric-too-large",
            Self::DuplicateCriterion { .. } => "criterion-duplicate",
            Self::UnknownCriterion { .. } => "criterion-unknown",
            Self::ScoreOutOfRange { .. } => "score-out-of-range",
            Self::ScoreOffStep { .. } => "score-off-step",
            Self::IncompleteScores { .. } => "scores-incomplete",
            Self::EmptyLabel => "label-empty",
            Self::NoJurors => "no-jurors",
            Self::NoEntries => "no-entries",
            Self::DuplicateJuror { .. } => "juror-duplicate",
            Self::DuplicateEntry { .. } => "entry-duplicate",
            Self::UnknownJuror { .. } => "juror-unknown",
            Self::UnknownEntry { .. } => "entry-unknown",
            Self::UnknownMethod { .. } => "ranking-method-unknown",
            Self::UnknownTieBreak { .. } => "tie-break-unknown",
            Self::DuplicateTieBreak { .. } => "tie-break-duplicate",
            Self::DecisionReasonEmpty => "tie-decision-reason-empty",
            Self::DecisionNotATie { .. } => "tie-decision-not-a-tie",
            Self::DecisionMismatch { .. } => "tie-decision-mismatch",
        }
    }
}
