//! Ranking methods and tie-breakers, as a contest stores them.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::JudgingError;

/// How the jurors' scores of an entry become the one value entries are ordered by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
pub enum Method {
    /// Mean of the scores of the jurors who scored the entry (default).
    #[default]
    Mean,
    /// Median of the scores of the jurors who scored the entry.
    Median,
    /// Each juror's scores standardised by that juror's mean and sample standard deviation,
    /// then averaged over the jurors who scored the entry; evens out strict and generous jurors.
    Zscore,
    /// Each juror ranks the entries they scored (1 = best, ties share the average rank); the
    /// ranks are added up, lower is better. With recusals each juror's ranks are first put on
    /// the common scale ((n + 1)/(k + 1) × rank for a juror who scored k of n entries), and an
    /// entry's sum is rescaled to the whole jury (× jurors / jurors who scored it), so random
    /// judging gives every entry the same expected sum.
    RankSum,
}

impl Method {
    /// Every method, in the order results list them side by side.
    pub const ALL: [Self; 4] = [Self::Mean, Self::Median, Self::Zscore, Self::RankSum];

    /// The stored and CLI name: `mean`, `median`, `zscore` or `rank_sum`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Mean => "mean",
            Self::Median => "median",
            Self::Zscore => "zscore",
            Self::RankSum => "rank_sum",
        }
    }
}

impl FromStr for Method {
    type Err = JudgingError;

    /// Accepts the snake_case names and their kebab-case spellings (`rank-sum`).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let normal = text.trim().to_ascii_lowercase().replace('-', "_");
        Self::ALL
            .into_iter()
            .find(|m| m.as_str() == normal || (normal == "z_score" && *m == Self::Zscore))
            .ok_or_else(|| JudgingError::UnknownMethod {
                text: text.to_owned(),
            })
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One step of a contest's tie rule: a second look at entries that share a place.
/// "Better" follows the direction of the scores (higher, or lower with `lower_is_better`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TieBreak {
    /// The better median score wins.
    Median,
    /// The entry more jurors put first (gave their best score, shared or not) wins.
    FirstPlaces,
    /// The better mean score wins.
    Mean,
    /// The lower (rescaled) rank sum wins.
    RankSum,
    /// The entry whose worst juror score is better wins (fewer harsh marks).
    WorstScore,
    /// The entry whose best juror score is better wins.
    BestScore,
}

impl TieBreak {
    /// Every tie-breaker.
    pub const ALL: [Self; 6] = [
        Self::Median,
        Self::FirstPlaces,
        Self::Mean,
        Self::RankSum,
        Self::WorstScore,
        Self::BestScore,
    ];

    /// The stored name, e.g. `first_places`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Median => "median",
            Self::FirstPlaces => "first_places",
            Self::Mean => "mean",
            Self::RankSum => "rank_sum",
            Self::WorstScore => "worst_score",
            Self::BestScore => "best_score",
        }
    }
}

impl FromStr for TieBreak {
    type Err = JudgingError;

    /// Accepts the snake_case names and their kebab-case spellings (`first-places`).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let normal = text.trim().to_ascii_lowercase().replace('-', "_");
        Self::ALL
            .into_iter()
            .find(|t| t.as_str() == normal)
            .ok_or_else(|| JudgingError::UnknownTieBreak {
                text: text.to_owned(),
            })
    }
}

impl fmt::Display for TieBreak {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A contest's chain of tie-breakers, applied in order to entries that share a place; ties
/// that survive the chain go to an admin decision. Stored as a JSON list of names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<TieBreak>", into = "Vec<TieBreak>")]
pub struct TieRule(Vec<TieBreak>);

impl TieRule {
    /// Builds a chain; it may be empty (every tie goes straight to the admin).
    ///
    /// # Errors
    /// [`JudgingError::DuplicateTieBreak`] when a tie-breaker appears twice.
    pub fn new(chain: Vec<TieBreak>) -> Result<Self, JudgingError> {
        for (i, step) in chain.iter().enumerate() {
            if chain[..i].contains(step) {
                return Err(JudgingError::DuplicateTieBreak {
                    tie_break: step.to_string(),
                });
            }
        }
        Ok(Self(chain))
    }

    /// No tie-breakers.
    #[must_use]
    pub fn none() -> Self {
        Self(Vec::new())
    }

    /// The tie-breakers in the order they are tried.
    #[must_use]
    pub fn steps(&self) -> &[TieBreak] {
        &self.0
    }
}

impl Default for TieRule {
    /// Median, then count of first places.
    fn default() -> Self {
        Self(vec![TieBreak::Median, TieBreak::FirstPlaces])
    }
}

impl FromStr for TieRule {
    type Err = JudgingError;

    /// Reads `none` (no tie-breakers) or a comma-separated chain such as `median,first_places`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if text.trim().eq_ignore_ascii_case("none") {
            return Ok(Self::none());
        }
        let chain = text
            .split(',')
            .map(str::parse)
            .collect::<Result<Vec<TieBreak>, _>>()?;
        Self::new(chain)
    }
}

impl fmt::Display for TieRule {
    /// `none`, or the chain comma-separated: what [`TieRule::from_str`] reads.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("none");
        }
        let names: Vec<&str> = self.0.iter().map(|t| t.as_str()).collect();
        f.write_str(&names.join(","))
    }
}

impl TryFrom<Vec<TieBreak>> for TieRule {
    type Error = JudgingError;

    fn try_from(chain: Vec<TieBreak>) -> Result<Self, Self::Error> {
        Self::new(chain)
    }
}

impl From<TieRule> for Vec<TieBreak> {
    fn from(rule: TieRule) -> Self {
        rule.0
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn methods_parse_from_cli_and_stored_names() {
        assert_eq!("mean".parse::<Method>().unwrap(), Method::Mean);
        assert_eq!("rank_sum".parse::<Method>().unwrap(), Method::RankSum);
        assert_eq!("rank-sum".parse::<Method>().unwrap(), Method::RankSum);
        assert_eq!("ZScore".parse::<Method>().unwrap(), Method::Zscore);
        assert_eq!(
            "borda".parse::<Method>().unwrap_err().code(),
            "ranking-method-unknown"
        );
        assert_eq!(
            serde_json::to_string(&Method::RankSum).unwrap(),
            "\"rank_sum\""
        );
        assert_eq!(Method::default(), Method::Mean);
    }

    #[test]
    fn tie_rule_serialises_as_names_and_refuses_repeats() {
        let rule = TieRule::default();
        assert_eq!(
            serde_json::to_string(&rule).unwrap(),
            r#"["median","first_places"]"#
        );
        let read: TieRule = serde_json::from_str(r#"["first_places","worst_score"]"#).unwrap();
        assert_eq!(read.steps(), [TieBreak::FirstPlaces, TieBreak::WorstScore]);
        assert!(serde_json::from_str::<TieRule>(r#"["median","median"]"#).is_err());
        assert_eq!(
            "first-places".parse::<TieBreak>().unwrap(),
            TieBreak::FirstPlaces
        );
        assert_eq!(
            "coin".parse::<TieBreak>().unwrap_err().code(),
            "tie-break-unknown"
        );
    }

    #[test]
    fn tie_rule_reads_none_or_a_comma_separated_chain() {
        assert_eq!("none".parse::<TieRule>().unwrap(), TieRule::none());
        assert_eq!(" NONE ".parse::<TieRule>().unwrap(), TieRule::none());
        let rule: TieRule = "median, first-places,worst_score".parse().unwrap();
        let chain = [
            TieBreak::Median,
            TieBreak::FirstPlaces,
            TieBreak::WorstScore,
        ];
        assert_eq!(rule.steps(), chain);
        assert_eq!(rule.to_string(), "median,first_places,worst_score");
        assert_eq!(rule.to_string().parse::<TieRule>().unwrap(), rule);
        assert_eq!(TieRule::none().to_string(), "none");
        for (bad, code) in [
            ("", "tie-break-unknown"),
            ("median,,mean", "tie-break-unknown"),
            ("median,coin", "tie-break-unknown"),
            ("mean,median,mean", "tie-break-duplicate"),
            ("none,median", "tie-break-unknown"),
        ] {
            assert_eq!(bad.parse::<TieRule>().unwrap_err().code(), code, "{bad:?}");
        }
    }
}
