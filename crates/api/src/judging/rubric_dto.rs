//! The rubric as the API sends and receives it.

use clipjury_domain::judging::{Criterion, CriterionKey, Exact, JudgingError, Rubric, Scale};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::exact::ExactNumber;

/// The criteria jurors score, in display order (1 to 20, distinct keys).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RubricDto {
    pub criteria: Vec<CriterionDto>,
}

/// One thing jurors score, e.g. "Message: the key message is clear and right".
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CriterionDto {
    /// The criterion's id in scores and CSV files: 1 to 40 of `a-z`, `0-9`, `_` and `-`, starting with a letter.
    pub key: String,
    /// Shown to jurors; 1 to 80 characters.
    pub name: String,
    /// What jurors should look for; up to 500 characters.
    #[serde(default)]
    pub description: String,
    /// Relative weight in a juror's overall score; greater than zero.
    #[schema(value_type = ExactNumber)]
    pub weight: Exact,
    pub scale: ScaleDto,
}

/// The scores a juror may give: `min`, `min + step`, … up to `max`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScaleDto {
    #[schema(value_type = ExactNumber)]
    pub min: Exact,
    #[schema(value_type = ExactNumber)]
    pub max: Exact,
    /// Greater than zero; `max − min` is a whole number of steps.
    #[schema(value_type = ExactNumber)]
    pub step: Exact,
}

impl From<&Rubric> for RubricDto {
    fn from(rubric: &Rubric) -> Self {
        Self {
            criteria: rubric
                .criteria()
                .iter()
                .map(|c| CriterionDto {
                    key: c.key().to_string(),
                    name: c.name().to_owned(),
                    description: c.description().to_owned(),
                    weight: c.weight().clone(),
                    scale: ScaleDto {
                        min: c.scale().min().clone(),
                        max: c.scale().max().clone(),
                        step: c.scale().step().clone(),
                    },
                })
                .collect(),
        }
    }
}

impl TryFrom<RubricDto> for Rubric {
    type Error = JudgingError;

    /// Checks the rubric as the domain does when it reads one back.
    fn try_from(dto: RubricDto) -> Result<Self, Self::Error> {
        let criteria = dto
            .criteria
            .into_iter()
            .map(|c| {
                let scale = Scale::new(c.scale.min, c.scale.max, c.scale.step)?;
                Criterion::new(
                    CriterionKey::parse(&c.key)?,
                    &c.name,
                    &c.description,
                    c.weight,
                    scale,
                )
            })
            .collect::<Result<Vec<_>, _>>()?;
        Self::new(criteria)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_dto_reads_and_writes_the_json_the_domain_stores() {
        let stored = serde_json::json!({"criteria": [
            {"key": "message", "name": "Message", "description": "Clear", "weight": 2,
             "scale": {"min": 0, "max": 10, "step": 0.5}},
            {"key": "craft", "name": "Craft", "description": "", "weight": "1/3",
             "scale": {"min": 1, "max": 5, "step": 1}}
        ]});
        let domain: Rubric = serde_json::from_value(stored.clone()).unwrap();
        let dto = RubricDto::from(&domain);
        assert_eq!(serde_json::to_value(&dto).unwrap(), stored);
        let back = Rubric::try_from(serde_json::from_value::<RubricDto>(stored).unwrap()).unwrap();
        assert_eq!(back, domain);
    }

    #[test]
    fn the_domain_rules_apply_to_a_rubric_sent_to_the_api() {
        let one = |weight: &str, step: &str| {
            serde_json::from_value::<RubricDto>(serde_json::json!({"criteria": [
                {"key": "m", "name": "M", "weight": weight, "scale": {"min": 1, "max": 10, "step": step}}
            ]}))
            .unwrap()
        };
        assert!(Rubric::try_from(one("1", "1")).is_ok());
        assert!(matches!(
            Rubric::try_from(one("0", "1")),
            Err(JudgingError::WeightNotPositive { .. })
        ));
        assert!(matches!(
            Rubric::try_from(one("1", "2")),
            Err(JudgingError::ScaleStepMismatch { .. })
        ));
        assert!(matches!(
            Rubric::try_from(RubricDto { criteria: vec![] }),
            Err(JudgingError::RubricEmpty)
        ));
    }
}
