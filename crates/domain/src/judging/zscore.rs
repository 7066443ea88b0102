//! The zscore method's values: each juror's scores standardised by that juror's mean and sample
//! standard deviation, averaged per entry over the jurors who scored it; exact (see [`super::surd`]).

use std::cmp::Ordering;
use std::sync::Arc;

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{ToPrimitive, Zero};

use super::stats::Oriented;
use super::surd::SurdBasis;

/// An entry's z-score: exact for comparing, a float for showing.
#[derive(Clone, Debug)]
pub(crate) struct ZScore {
    /// The nearest f64, summed in a fixed order so that juror order cannot change it.
    pub value: f64,
    /// Coefficients over `basis`: the z-score is Σ coefficients[i]·√basis[i].
    coefficients: Vec<BigRational>,
    basis: Arc<SurdBasis>,
}

impl ZScore {
    /// Exact comparison with another z-score of the same ranking.
    pub(crate) fn cmp(&self, other: &Self) -> Ordering {
        self.basis.cmp(&self.coefficients, &other.coefficients)
    }
}

/// One juror's standardisation: 1/sd = q·√basis[index], or no spread at all.
struct Juror {
    /// (entry, oriented score − the juror's mean).
    deviations: Vec<(usize, BigRational)>,
    /// (basis index, q, 1/sd as f64) when the juror has two or more different scores.
    inverse_sd: Option<(usize, BigRational, f64)>,
}

/// Every entry's z-score, `None` for entries nobody scored. A juror with fewer than two scores or
/// all scores equal shows no preference and contributes 0 to each entry they scored (still
/// counting as a scoring juror).
pub(crate) fn entry_zscores(goods: &Oriented) -> Vec<Option<ZScore>> {
    let entries = goods.first().map_or(0, Vec::len);
    let mut basis = SurdBasis::default();
    let jurors: Vec<Juror> = goods
        .iter()
        .map(|row| standardise(row, &mut basis))
        .collect();
    let basis = Arc::new(basis);
    (0..entries)
        .map(|e| {
            let mut coefficients = vec![BigRational::zero(); basis.len()];
            let mut floats = Vec::new();
            for juror in &jurors {
                let Some((_, d)) = juror.deviations.iter().find(|(x, _)| *x == e) else {
                    continue;
                };
                match &juror.inverse_sd {
                    Some((i, q, inverse)) => {
                        coefficients[*i] += d * q;
                        floats.push(d.to_f64().unwrap_or(f64::NAN) * inverse);
                    }
                    None => floats.push(0.0),
                }
            }
            if floats.is_empty() {
                return None;
            }
            let count = BigInt::from(floats.len());
            coefficients.iter_mut().for_each(|c| *c /= &count);
            floats.sort_by(f64::total_cmp); // a fixed summation order
            Some(ZScore {
                value: floats.iter().sum::<f64>() / floats.len() as f64,
                coefficients,
                basis: Arc::clone(&basis),
            })
        })
        .collect()
}

/// Deviations of one juror's oriented scores from their mean, and 1/sd = √((k − 1)/SS) for the
/// sample standard deviation (k scores, SS the sum of squared deviations), put in `basis`.
fn standardise(row: &[Option<BigRational>], basis: &mut SurdBasis) -> Juror {
    let scored: Vec<(usize, &BigRational)> = row
        .iter()
        .enumerate()
        .filter_map(|(e, g)| g.as_ref().map(|g| (e, g)))
        .collect();
    let k = scored.len();
    if k == 0 {
        return Juror {
            deviations: Vec::new(),
            inverse_sd: None,
        };
    }
    let mean = scored.iter().map(|(_, g)| *g).sum::<BigRational>() / BigInt::from(k);
    let deviations: Vec<(usize, BigRational)> =
        scored.iter().map(|&(e, g)| (e, g - &mean)).collect();
    let squares: BigRational = deviations.iter().map(|(_, d)| d * d).sum();
    let inverse_sd = (k >= 2 && !squares.is_zero()).then(|| {
        let variance = &squares / BigInt::from(k - 1);
        let sd = variance.to_f64().unwrap_or(f64::NAN).sqrt();
        let (index, q) = basis.insert(&variance.recip());
        (index, q, 1.0 / sd)
    });
    Juror {
        deviations,
        inverse_sd,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::super::Exact;
    use super::*;

    fn row(texts: &[&str]) -> Vec<Option<BigRational>> {
        texts
            .iter()
            .map(|t| (*t != "-").then(|| t.parse::<Exact>().unwrap().rational().clone()))
            .collect()
    }

    fn values(goods: &Oriented) -> Vec<Option<f64>> {
        entry_zscores(goods)
            .into_iter()
            .map(|z| z.map(|z| z.value))
            .collect()
    }

    #[test]
    fn zscores_use_the_sample_standard_deviation() {
        // 6, 8, 10: mean 8, sample sd √((4 + 0 + 4) / 2) = 2.
        assert_eq!(
            values(&vec![row(&["6", "8", "10"])]),
            [Some(-1.0), Some(0.0), Some(1.0)]
        );
    }

    #[test]
    fn a_juror_without_spread_contributes_zero_but_counts() {
        let z = values(&vec![row(&["7", "7", "7"]), row(&["6", "8", "-"])]);
        // Entry 0: (0 + (−1/√2)) / 2; entry 2: only the flat juror, 0.
        assert!((z[0].unwrap() + 0.5_f64.sqrt() / 2.0).abs() < 1e-15);
        assert_eq!(z[2], Some(0.0));
        assert_eq!(values(&vec![row(&["9", "-"])]), [Some(0.0), None]);
    }

    #[test]
    fn equal_zscores_reached_through_different_jurors_are_exactly_equal() {
        // J1 scores A, B, C 1, 2, 4: mean 7/3, deviations −4/3, −1/3, 5/3, variance 7/3.
        // J2 scores D, B, C 3, 6, 12, three times as much: deviations −4, −1, 5, variance 21,
        // so 1/sd = √(1/21) = ⅓·√(3/7), the same square root. A (J1 only) and D (J2 only) both
        // get −4/3·√(3/7), exactly, whatever the floats say.
        let goods = vec![row(&["1", "2", "4", "-"]), row(&["-", "6", "12", "3"])];
        let z = entry_zscores(&goods);
        let [a, b, c, d] = [0, 1, 2, 3].map(|e| z[e].clone().unwrap());
        assert_eq!(a.cmp(&d), Ordering::Equal);
        assert!((a.value + 4.0 / 3.0 * (3.0_f64 / 7.0).sqrt()).abs() < 1e-15);
        assert!((a.value - d.value).abs() < 1e-15);
        assert_eq!(b.cmp(&a), Ordering::Greater);
        assert_eq!(c.cmp(&b), Ordering::Greater);
        assert_eq!(d.cmp(&c), Ordering::Less);
    }
}
