//! The rubric: the criteria jurors score, each with a weight and a scale.

use num_traits::{Signed, Zero};
use serde::{Deserialize, Serialize};

use super::{Exact, JudgingError, Scale, ScoreRange};

/// Most criteria a rubric may have.
pub const MAX_CRITERIA: usize = 20;
const MAX_KEY_CHARS: usize = 40;
const MAX_NAME_CHARS: usize = 80;
const MAX_DESCRIPTION_CHARS: usize = 500;

/// The stable identifier of a criterion: a short lowercase slug such as `technical_quality`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CriterionKey(String);

impl CriterionKey {
    /// Parses a key: 1 to 40 characters of `a-z`, `0-9`, `_` or `-`, starting with a letter.
    ///
    /// # Errors
    /// [`JudgingError::CriterionKeyInvalid`] otherwise.
    pub fn parse(raw: &str) -> Result<Self, JudgingError> {
        let valid = raw.len() <= MAX_KEY_CHARS
            && raw.starts_with(|c: char| c.is_ascii_lowercase())
            && raw
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-');
        if valid {
            Ok(Self(raw.to_owned()))
        } else {
            Err(JudgingError::CriterionKeyInvalid {
                key: raw.to_owned(),
            })
        }
    }

    /// The key as text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for CriterionKey {
    type Error = JudgingError;

    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw)
    }
}

impl From<CriterionKey> for String {
    fn from(key: CriterionKey) -> Self {
        key.0
    }
}

impl std::fmt::Display for CriterionKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// One thing jurors score, e.g. "Message: the key message is clear and right".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "CriterionFields")]
pub struct Criterion {
    key: CriterionKey,
    name: String,
    description: String,
    weight: Exact,
    scale: Scale,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CriterionFields {
    key: CriterionKey,
    name: String,
    #[serde(default)]
    description: String,
    weight: Exact,
    scale: Scale,
}

impl TryFrom<CriterionFields> for Criterion {
    type Error = JudgingError;

    fn try_from(f: CriterionFields) -> Result<Self, Self::Error> {
        Self::new(f.key, &f.name, &f.description, f.weight, f.scale)
    }
}

impl Criterion {
    /// Builds a criterion; `name` and `description` are trimmed.
    ///
    /// # Errors
    /// [`JudgingError::CriterionTextInvalid`] for an empty name, a name over 80 characters or a
    /// description over 500, and [`JudgingError::WeightNotPositive`] unless `weight > 0`.
    pub fn new(
        key: CriterionKey,
        name: &str,
        description: &str,
        weight: Exact,
        scale: Scale,
    ) -> Result<Self, JudgingError> {
        let text_error = |problem: &str| JudgingError::CriterionTextInvalid {
            key: key.to_string(),
            problem: problem.to_owned(),
        };
        let (name, description) = (name.trim(), description.trim());
        if name.is_empty() {
            return Err(text_error("the name must not be empty"));
        }
        if name.chars().count() > MAX_NAME_CHARS {
            return Err(text_error("the name must be at most 80 characters"));
        }
        if description.chars().count() > MAX_DESCRIPTION_CHARS {
            return Err(text_error("the description must be at most 500 characters"));
        }
        if !weight.rational().is_positive() {
            return Err(JudgingError::WeightNotPositive {
                key: key.to_string(),
                weight: weight.to_string(),
            });
        }
        Ok(Self {
            key,
            name: name.to_owned(),
            description: description.to_owned(),
            weight,
            scale,
        })
    }

    /// The criterion's key.
    #[must_use]
    pub fn key(&self) -> &CriterionKey {
        &self.key
    }

    /// Short name shown to jurors.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// What jurors should look for (may be empty).
    #[must_use]
    pub fn description(&self) -> &str {
        &self.description
    }

    /// Relative weight in a juror's overall score (greater than zero).
    #[must_use]
    pub fn weight(&self) -> &Exact {
        &self.weight
    }

    /// Allowed scores.
    #[must_use]
    pub fn scale(&self) -> &Scale {
        &self.scale
    }
}

/// The criteria of a contest, in display order, with distinct keys. Stored as JSON
/// (`{"criteria": [{"key", "name", "description", "weight", "scale": {"min", "max", "step"}}]}`),
/// validated again when read back.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RubricFields")]
pub struct Rubric {
    criteria: Vec<Criterion>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RubricFields {
    criteria: Vec<Criterion>,
}

impl TryFrom<RubricFields> for Rubric {
    type Error = JudgingError;

    fn try_from(fields: RubricFields) -> Result<Self, Self::Error> {
        Self::new(fields.criteria)
    }
}

impl Rubric {
    /// Builds a rubric from criteria in display order.
    ///
    /// # Errors
    /// [`JudgingError::RubricEmpty`], [`JudgingError::RubricTooLarge`] (more than
    /// [`MAX_CRITERIA`]) or [`JudgingError::DuplicateCriterion`].
    pub fn new(criteria: Vec<Criterion>) -> Result<Self, JudgingError> {
        if criteria.is_empty() {
            return Err(JudgingError::RubricEmpty);
        }
        if criteria.len() > MAX_CRITERIA {
            return Err(JudgingError::RubricTooLarge {
                count: criteria.len(),
                max: MAX_CRITERIA,
            });
        }
        for (i, criterion) in criteria.iter().enumerate() {
            if criteria[..i].iter().any(|c| c.key == criterion.key) {
                return Err(JudgingError::DuplicateCriterion {
                    key: criterion.key.to_string(),
                });
            }
        }
        Ok(Self { criteria })
    }

    /// The rubric a new contest starts with: five criteria of equal weight 1, each scored in
    /// whole marks from 1 to 10.
    #[must_use]
    pub fn default_for_new_contest() -> Self {
        let defaults = [
            ("message", "Message", "The key message is clear and right."),
            (
                "creativity",
                "Creativity",
                "An original idea, told in a fresh way.",
            ),
            (
                "technical_quality",
                "Technical quality",
                "Image, sound, editing.",
            ),
            (
                "impact",
                "Impact on the audience",
                "It reaches and moves the intended audience.",
            ),
            (
                "respect_consent",
                "Respect and consent",
                "People portrayed fairly, consent shown.",
            ),
        ];
        let criteria = defaults
            .into_iter()
            .map(|(key, name, description)| Criterion {
                key: CriterionKey(key.to_owned()),
                name: name.to_owned(),
                description: description.to_owned(),
                weight: Exact::from_integer(1),
                scale: Scale::one_to_ten(),
            })
            .collect();
        Self { criteria }
    }

    /// The criteria in display order.
    #[must_use]
    pub fn criteria(&self) -> &[Criterion] {
        &self.criteria
    }

    /// The criterion with this key, if any.
    #[must_use]
    pub fn criterion(&self, key: &CriterionKey) -> Option<&Criterion> {
        self.criteria.iter().find(|c| &c.key == key)
    }

    /// The lowest and highest weighted score a juror can give, used to judge score spreads.
    #[must_use]
    pub fn score_range(&self) -> ScoreRange {
        let mut total = num_rational::BigRational::zero();
        let (mut low, mut high) = (total.clone(), total.clone());
        for c in &self.criteria {
            let w = c.weight.rational();
            total += w;
            low += w * c.scale.min().rational();
            high += w * c.scale.max().rational();
        }
        // Every scale has min < max and every weight is positive, so low < high.
        ScoreRange::from_bounds(
            Exact::from_rational(low / &total),
            Exact::from_rational(high / &total),
        )
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
    fn criterion_keys_are_lowercase_slugs() {
        assert!(CriterionKey::parse("technical_quality").is_ok());
        assert!(CriterionKey::parse("impact-2").is_ok());
        for bad in ["", "Message", "2fast", "with space", "é", &"a".repeat(41)] {
            assert!(CriterionKey::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn criterion_needs_a_name_and_a_positive_weight() {
        let make = |name: &str, weight: &str| {
            Criterion::new(key("message"), name, "", ex(weight), Scale::one_to_ten())
        };
        assert_eq!(make(" Message ", "1").unwrap().name(), "Message");
        assert_eq!(
            make("  ", "1").unwrap_err().code(),
            "criterion-text-invalid"
        );
        assert_eq!(
            make("Message", "0").unwrap_err().code(),
            "criterion-weight-not-positive"
        );
        assert_eq!(
            make("Message", "-2").unwrap_err().code(),
            "criterion-weight-not-positive"
        );
    }

    #[test]
    fn rubric_refuses_empty_and_duplicate_keys() {
        assert_eq!(Rubric::new(vec![]).unwrap_err().code(), "rubric-empty");
        let c = Criterion::new(key("a"), "A", "", ex("1"), Scale::one_to_ten()).unwrap();
        let err = Rubric::new(vec![c.clone(), c]).unwrap_err();
        assert_eq!(err, JudgingError::DuplicateCriterion { key: "a".into() });
    }

    #[test]
    fn default_rubric_has_five_equal_criteria_on_one_to_ten() {
        let rubric = Rubric::default_for_new_contest();
        let keys: Vec<_> = rubric.criteria().iter().map(|c| c.key().as_str()).collect();
        assert_eq!(
            keys,
            [
                "message",
                "creativity",
                "technical_quality",
                "impact",
                "respect_consent"
            ]
        );
        for c in rubric.criteria() {
            assert_eq!(c.weight(), &ex("1"));
            assert_eq!(c.scale(), &Scale::one_to_ten());
        }
        assert_eq!(
            rubric.criteria()[0].description(),
            "The key message is clear and right."
        );
        assert_eq!(rubric.criteria()[2].description(), "Image, sound, editing.");
        let range = rubric.score_range();
        assert_eq!((range.min(), range.max()), (&ex("1"), &ex("10")));
    }

    #[test]
    fn rubric_json_round_trips_and_is_validated_when_read() {
        let rubric = Rubric::default_for_new_contest();
        let json = serde_json::to_string(&rubric).unwrap();
        assert!(
            json.contains(r#""weight":1,"scale":{"min":1,"max":10,"step":1}"#),
            "{json}"
        );
        assert_eq!(serde_json::from_str::<Rubric>(&json).unwrap(), rubric);

        let bad_step = json.replacen(r#""step":1"#, r#""step":4"#, 1);
        assert!(serde_json::from_str::<Rubric>(&bad_step).is_err());
        let zero_weight = json.replacen(r#""weight":1"#, r#""weight":0"#, 1);
        assert!(serde_json::from_str::<Rubric>(&zero_weight).is_err());
        let half = json.replacen(r#""weight":1"#, r#""weight":1.5"#, 1);
        let read: Rubric = serde_json::from_str(&half).unwrap();
        assert_eq!(read.criteria()[0].weight(), &ex("3/2"));
    }

    #[test]
    fn score_range_is_weighted_over_mixed_scales() {
        let c1 = Criterion::new(key("a"), "A", "", ex("1"), Scale::one_to_ten()).unwrap();
        let five = Scale::new(ex("0"), ex("5"), ex("1")).unwrap();
        let c2 = Criterion::new(key("b"), "B", "", ex("3"), five).unwrap();
        let range = Rubric::new(vec![c1, c2]).unwrap().score_range();
        // (1·1 + 3·0) / 4 and (1·10 + 3·5) / 4
        assert_eq!((range.min(), range.max()), (&ex("1/4"), &ex("25/4")));
    }
}
