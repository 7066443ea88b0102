//! Per-entry numbers behind every method and tie-breaker, computed once per ranking.
//!
//! Internally scores are *oriented*: with `lower_is_better` every score is negated, so
//! "higher is better" holds everywhere below and the methods need no second code path.

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{Signed, ToPrimitive, Zero};
use serde::{Deserialize, Serialize};

use super::ranks::average_ranks;
use super::zscore::{ZScore, entry_zscores};
use super::{Cell, Exact, ScoreMatrix, ScoreRange};

/// A spread at or above this fraction of the score range is flagged as high
/// (2.7 points or more on a 1–10 scale, whose range is 9).
pub const HIGH_SPREAD_FRACTION: (i64, i64) = (3, 10);

/// How far apart the jurors' scores for one entry are.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Spread {
    /// Highest minus lowest score (exact).
    pub range: Exact,
    /// Sample standard deviation of the scores; `None` with fewer than two scores.
    pub sd: Option<f64>,
    /// Whether `range` is at least [`HIGH_SPREAD_FRACTION`] of the score range.
    pub high: bool,
}

/// Scores with "higher is better" orientation, `[juror][entry]`.
pub(crate) type Oriented = Vec<Vec<Option<BigRational>>>;

pub(crate) fn orient(matrix: &ScoreMatrix, lower_is_better: bool) -> Oriented {
    (0..matrix.jurors().len())
        .map(|j| {
            (0..matrix.entries().len())
                .map(|e| {
                    matrix.cell_at(j, e).score().map(|s| {
                        let v = s.rational().clone();
                        if lower_is_better { -v } else { v }
                    })
                })
                .collect()
        })
        .collect()
}

/// Everything the methods and tie-breakers need about one entry, oriented.
#[derive(Clone, Debug, Default)]
pub(crate) struct EntryStats {
    pub scored: usize,
    pub recused: usize,
    pub missing: usize,
    pub mean: Option<BigRational>,
    pub median: Option<BigRational>,
    pub zscore: Option<ZScore>,
    /// Each juror's rank on the common scale ((n + 1)/(k + 1) × rank for a juror who scored k
    /// of the n entries), summed over the jurors who scored the entry, × jurors / those jurors.
    pub rank_sum: Option<BigRational>,
    pub first_places: usize,
    pub worst: Option<BigRational>,
    pub best: Option<BigRational>,
    pub spread: Option<Spread>,
}

pub(crate) fn entry_stats(
    matrix: &ScoreMatrix,
    goods: &Oriented,
    range: Option<&ScoreRange>,
) -> Vec<EntryStats> {
    let entries = matrix.entries().len();
    let mut stats = vec![EntryStats::default(); entries];
    for (j, row) in goods.iter().enumerate() {
        let top = row.iter().flatten().max();
        for (e, g) in row.iter().enumerate() {
            if g.is_some() && g.as_ref() == top {
                stats[e].first_places += 1;
            }
            match matrix.cell_at(j, e) {
                Cell::Scored(_) => stats[e].scored += 1,
                Cell::Recused => stats[e].recused += 1,
                Cell::Missing => stats[e].missing += 1,
            }
        }
    }
    let threshold = range.map(|r| {
        let (num, den) = HIGH_SPREAD_FRACTION;
        (r.max().rational() - r.min().rational()) * BigRational::new(num.into(), den.into())
    });
    let per_entry = rank_sums(goods).into_iter().zip(entry_zscores(goods));
    for ((e, s), (rank_sum, zscore)) in stats.iter_mut().enumerate().zip(per_entry) {
        let mut column: Vec<&BigRational> =
            goods.iter().filter_map(|row| row[e].as_ref()).collect();
        if column.is_empty() {
            continue;
        }
        column.sort();
        let n = BigRational::from_integer(BigInt::from(column.len()));
        s.mean = Some(column.iter().copied().sum::<BigRational>() / &n);
        s.median = Some(median_of_sorted(&column));
        s.worst = column.first().map(|&g| g.clone());
        s.best = column.last().map(|&g| g.clone());
        s.rank_sum = rank_sum;
        s.zscore = zscore;
        s.spread = Some(spread(&column, threshold.as_ref()));
    }
    stats
}

/// Each entry's rank sum, `None` when nobody scored it: every juror ranks the entries they
/// scored (1 = best, ties share the average rank), the ranks are put on the common scale and
/// added up, and the sum is rescaled to the whole jury (× jurors / jurors who scored it).
pub(crate) fn rank_sums(goods: &Oriented) -> Vec<Option<BigRational>> {
    let jurors = goods.len();
    let entries = goods.first().map_or(0, Vec::len);
    let mut sums = vec![BigRational::zero(); entries];
    let mut scorers = vec![0_usize; entries];
    for row in goods {
        let scored: Vec<(usize, &BigRational)> = row
            .iter()
            .enumerate()
            .filter_map(|(e, g)| g.as_ref().map(|g| (e, g)))
            .collect();
        let values: Vec<&BigRational> = scored.iter().map(|(_, g)| *g).collect();
        let (ranks, _) = average_ranks(&values);
        // A juror who scored k of the n entries ranks them 1..k; on the scale of a full list,
        // rank × (n + 1)/(k + 1), their ranks have the same average (n + 1)/2 as everybody's.
        let scale = BigRational::new(BigInt::from(entries + 1), BigInt::from(values.len() + 1));
        for (&(e, _), rank) in scored.iter().zip(&ranks) {
            sums[e] += rank * &scale;
            scorers[e] += 1;
        }
    }
    sums.into_iter()
        .zip(scorers)
        .map(|(sum, k)| (k > 0).then(|| sum * BigInt::from(jurors) / BigInt::from(k)))
        .collect()
}

fn median_of_sorted(sorted: &[&BigRational]) -> BigRational {
    let mid = sorted.len() / 2;
    if sorted.len() % 2 == 1 {
        sorted[mid].clone()
    } else {
        (sorted[mid - 1] + sorted[mid]) / BigInt::from(2)
    }
}

fn spread(sorted: &[&BigRational], threshold: Option<&BigRational>) -> Spread {
    let (lowest, highest) = (sorted[0], sorted[sorted.len() - 1]);
    let range = (highest - lowest).abs();
    let sd = (sorted.len() >= 2).then(|| {
        let n = BigInt::from(sorted.len());
        let mean = sorted.iter().copied().sum::<BigRational>() / &n;
        let squares: BigRational = sorted.iter().map(|&v| (v - &mean) * (v - &mean)).sum();
        let variance: BigRational = squares / (n - 1);
        variance.to_f64().unwrap_or(f64::NAN).sqrt()
    });
    let high = threshold.is_some_and(|t| t.is_positive() && &range >= t);
    Spread {
        range: Exact::from_rational(range),
        sd,
        high,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn q(text: &str) -> BigRational {
        text.parse::<Exact>().unwrap().rational().clone()
    }

    #[test]
    fn median_of_an_even_count_is_the_exact_middle() {
        let values = [q("5"), q("6"), q("8"), q("9.5")];
        assert_eq!(median_of_sorted(&values.iter().collect::<Vec<_>>()), q("7"));
        let values = [q("6"), q("7")];
        assert_eq!(
            median_of_sorted(&values.iter().collect::<Vec<_>>()),
            q("6.5")
        );
    }

    #[test]
    fn spread_is_flagged_from_thirty_percent_of_the_range() {
        // Range 1..10 → threshold 2.7: a spread of 3 is high, 2.5 is not.
        let threshold = q("2.7");
        let wide = [q("5"), q("6"), q("8")];
        let s = spread(&wide.iter().collect::<Vec<_>>(), Some(&threshold));
        assert_eq!(s.range, "3".parse().unwrap());
        assert!(s.high);
        assert!((s.sd.unwrap() - (7.0_f64 / 3.0).sqrt()).abs() < 1e-12);
        let narrow = [q("6"), q("8.5")];
        assert!(!spread(&narrow.iter().collect::<Vec<_>>(), Some(&threshold)).high);
        let alone = [q("6")];
        let s = spread(&alone.iter().collect::<Vec<_>>(), Some(&threshold));
        assert_eq!((s.sd, s.high), (None, false));
    }
}
