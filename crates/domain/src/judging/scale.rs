//! The scale of a criterion: which scores a juror may give.

use num_traits::Signed;
use serde::{Deserialize, Serialize};

use super::{CriterionKey, Exact, JudgingError};

/// The allowed scores of a criterion: `min`, `min + step`, … up to `max`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "ScaleFields")]
pub struct Scale {
    min: Exact,
    max: Exact,
    step: Exact,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScaleFields {
    min: Exact,
    max: Exact,
    step: Exact,
}

impl TryFrom<ScaleFields> for Scale {
    type Error = JudgingError;

    fn try_from(fields: ScaleFields) -> Result<Self, Self::Error> {
        Self::new(fields.min, fields.max, fields.step)
    }
}

impl Scale {
    /// Builds a scale.
    ///
    /// # Errors
    /// [`JudgingError::ScaleNotIncreasing`] unless `min < max`,
    /// [`JudgingError::ScaleStepNotPositive`] unless `step > 0`, and
    /// [`JudgingError::ScaleStepMismatch`] unless `max − min` is a whole number of steps.
    pub fn new(min: Exact, max: Exact, step: Exact) -> Result<Self, JudgingError> {
        if min >= max {
            return Err(JudgingError::ScaleNotIncreasing {
                min: min.to_string(),
                max: max.to_string(),
            });
        }
        if !step.rational().is_positive() {
            return Err(JudgingError::ScaleStepNotPositive {
                step: step.to_string(),
            });
        }
        if !((max.rational() - min.rational()) / step.rational()).is_integer() {
            return Err(JudgingError::ScaleStepMismatch {
                min: min.to_string(),
                max: max.to_string(),
                step: step.to_string(),
            });
        }
        Ok(Self { min, max, step })
    }

    /// Whole marks from 1 to 10.
    #[must_use]
    pub fn one_to_ten() -> Self {
        Self {
            min: Exact::from_integer(1),
            max: Exact::from_integer(10),
            step: Exact::from_integer(1),
        }
    }

    /// Lowest allowed score.
    #[must_use]
    pub fn min(&self) -> &Exact {
        &self.min
    }

    /// Highest allowed score.
    #[must_use]
    pub fn max(&self) -> &Exact {
        &self.max
    }

    /// Distance between neighbouring allowed scores.
    #[must_use]
    pub fn step(&self) -> &Exact {
        &self.step
    }

    /// Checks that `score` is one of the scale's points.
    ///
    /// # Errors
    /// [`JudgingError::ScoreOutOfRange`] or [`JudgingError::ScoreOffStep`], naming `key`.
    pub fn check(&self, key: &CriterionKey, score: &Exact) -> Result<(), JudgingError> {
        if score < &self.min || score > &self.max {
            return Err(JudgingError::ScoreOutOfRange {
                key: key.to_string(),
                score: score.to_string(),
                min: self.min.to_string(),
                max: self.max.to_string(),
            });
        }
        if !((score.rational() - self.min.rational()) / self.step.rational()).is_integer() {
            return Err(JudgingError::ScoreOffStep {
                key: key.to_string(),
                score: score.to_string(),
                min: self.min.to_string(),
                step: self.step.to_string(),
            });
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn ex(text: &str) -> Exact {
        text.parse().unwrap()
    }

    fn key(text: &str) -> CriterionKey {
        CriterionKey::parse(text).unwrap()
    }

    #[test]
    fn scale_must_increase_step_up_and_fit_whole_steps() {
        assert!(Scale::new(ex("1"), ex("10"), ex("1")).is_ok());
        assert!(Scale::new(ex("0"), ex("10"), ex("0.5")).is_ok());
        let code = |min, max, step| Scale::new(ex(min), ex(max), ex(step)).unwrap_err().code();
        assert_eq!(code("10", "10", "1"), "scale-min-not-below-max");
        assert_eq!(code("10", "1", "1"), "scale-min-not-below-max");
        assert_eq!(code("1", "10", "0"), "scale-step-not-positive");
        assert_eq!(code("1", "10", "-1"), "scale-step-not-positive");
        assert_eq!(code("1", "10", "2"), "scale-step-mismatch");
        assert_eq!(code("0", "1", "0.3"), "scale-step-mismatch");
    }

    #[test]
    fn scale_accepts_only_points_on_its_grid() {
        let scale = Scale::new(ex("1"), ex("5"), ex("0.5")).unwrap();
        let k = key("message");
        for good in ["1", "1.5", "4.5", "5"] {
            assert!(scale.check(&k, &ex(good)).is_ok(), "{good}");
        }
        assert_eq!(
            scale.check(&k, &ex("0.5")).unwrap_err().code(),
            "score-out-of-range"
        );
        assert_eq!(
            scale.check(&k, &ex("5.5")).unwrap_err().code(),
            "score-out-of-range"
        );
        assert_eq!(
            scale.check(&k, &ex("2.25")).unwrap_err().code(),
            "score-off-step"
        );
    }
}
