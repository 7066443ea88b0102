//! How much the jurors agree: Kendall's W with its χ² test, and each juror's Spearman ρ.

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{Signed, ToPrimitive, Zero};
use serde::{Deserialize, Serialize};

use super::ScoreMatrix;
use super::ranks::average_ranks;
use super::stats::Oriented;

/// Agreement statistics of a ranking. `None` means undefined for this data (fewer than two
/// jurors or entries in the basis, or every juror of the basis tied every entry).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Agreement {
    /// Kendall's W without tie correction: 12·S / (m²(n³−n)), 0 = no agreement, 1 = full.
    pub kendall_w: Option<f64>,
    /// Kendall's W with tie correction: 12·S / (m²(n³−n) − m·ΣT), T = Σ(t³−t) per juror.
    pub kendall_w_tie_corrected: Option<f64>,
    /// Friedman's χ² = m(n−1)·W (tie-corrected W).
    pub chi2: Option<f64>,
    /// Degrees of freedom of χ²: n − 1.
    pub df: Option<u32>,
    /// Upper-tail probability of χ² under "jurors rank at random"; small = real agreement.
    pub p_value: Option<f64>,
    /// The jurors and entries the statistics were computed over.
    pub basis: AgreementBasis,
    /// One line per juror, in input order.
    pub jurors: Vec<JurorAgreement>,
}

/// W needs complete rankings. When cells are empty (recusal, missing score) the statistics use
/// either all jurors over the entries every juror scored, or the jurors who scored every entry
/// over all entries — whichever keeps more scores (all jurors on a draw), among the choices
/// with at least two jurors and two entries.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgreementBasis {
    /// Jurors included (m = their count).
    pub jurors: Vec<String>,
    /// Entries included (n = their count).
    pub entries: Vec<String>,
    /// Jurors left out because they did not score every entry of the basis.
    pub excluded_jurors: Vec<String>,
    /// Entries left out because not every juror of the basis scored them.
    pub excluded_entries: Vec<String>,
}

/// One juror's agreement with the rest of the jury.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JurorAgreement {
    /// The juror's label.
    pub juror: String,
    /// Spearman ρ between this juror's ranks and the ranks (average ranks for ties) of the sum
    /// of the other jurors' ranks over the basis entries; `None` outside the basis or when
    /// either side has no variation.
    pub spearman_rho: Option<f64>,
    /// ρ < 0: this juror tends to order the entries the opposite way from the others.
    pub disagrees: bool,
    /// How many entries the juror scored.
    pub entries_scored: usize,
}

/// The exact results of Kendall's W over complete rankings.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct KendallW {
    pub w: Option<BigRational>,
    pub w_tie_corrected: Option<BigRational>,
}

/// Kendall's W of `ranks[juror][entry]`, given each juror's tied-group sizes.
pub(crate) fn kendall_w(ranks: &[Vec<BigRational>], tie_sizes: &[Vec<usize>]) -> KendallW {
    let m = ranks.len();
    let n = ranks.first().map_or(0, Vec::len);
    if m < 2 || n < 2 {
        return KendallW {
            w: None,
            w_tie_corrected: None,
        };
    }
    let (mb, nb) = (BigInt::from(m), BigInt::from(n));
    let mean = BigRational::new(&mb * (&nb + 1), BigInt::from(2));
    let s: BigRational = (0..n)
        .map(|e| {
            let d = ranks.iter().map(|row| &row[e]).sum::<BigRational>() - &mean;
            &d * &d
        })
        .sum();
    let twelve_s = s * BigInt::from(12);
    let full = &mb * &mb * (&nb * &nb * &nb - &nb);
    let ties: BigInt = tie_sizes
        .iter()
        .flatten()
        .map(|&t| BigInt::from(t * t * t - t))
        .sum();
    let corrected = &full - &mb * ties;
    // The corrected denominator is 0 exactly when every juror tied every entry: then there is
    // no order to agree on, and W is undefined (the plain formula would give a meaningless 0).
    if !corrected.is_positive() {
        return KendallW {
            w: None,
            w_tie_corrected: None,
        };
    }
    KendallW {
        w: Some(&twelve_s / BigRational::from_integer(full)),
        w_tie_corrected: Some(&twelve_s / BigRational::from_integer(corrected)),
    }
}

/// Upper-tail probability P(X ≥ `chi2`) for X ~ χ² with `df` degrees of freedom.
#[must_use]
pub fn chi_squared_p_value(chi2: f64, df: u32) -> Option<f64> {
    if df == 0 || !chi2.is_finite() || chi2 < 0.0 {
        return None;
    }
    if chi2 == 0.0 {
        return Some(1.0);
    }
    statrs::function::gamma::checked_gamma_ur(f64::from(df) / 2.0, chi2 / 2.0).ok()
}

/// The ranks (1 = best, average ranks for ties) of the other jurors' rank sums: `totals` are
/// every basis juror's rank sums per entry, `own` this juror's ranks. A lower sum is better.
pub(crate) fn others_ranks(totals: &[BigRational], own: &[BigRational]) -> Vec<BigRational> {
    // `average_ranks` gives rank 1 to the highest value, so rank the negated sums.
    let negated: Vec<BigRational> = totals.iter().zip(own).map(|(t, o)| o - t).collect();
    average_ranks(&negated.iter().collect::<Vec<_>>()).0
}

/// Pearson correlation of two rank lists, which is Spearman's ρ when both sides are average
/// ranks; exact up to the final square root, and exactly ±1 for identical or reversed rankings.
pub(crate) fn spearman(a: &[BigRational], b: &[BigRational]) -> Option<f64> {
    let n = BigInt::from(a.len());
    let mean_a = a.iter().sum::<BigRational>() / &n;
    let mean_b = b.iter().sum::<BigRational>() / &n;
    let (mut cov, mut var_a, mut var_b) = (
        BigRational::zero(),
        BigRational::zero(),
        BigRational::zero(),
    );
    for (x, y) in a.iter().zip(b) {
        let (dx, dy) = (x - &mean_a, y - &mean_b);
        cov += &dx * &dy;
        var_a += &dx * &dx;
        var_b += &dy * &dy;
    }
    if var_a.is_zero() || var_b.is_zero() {
        return None;
    }
    let squared = (&cov * &cov / (var_a * var_b)).to_f64()?;
    Some(if cov.is_negative() {
        -squared.sqrt()
    } else {
        squared.sqrt()
    })
}

pub(crate) fn agreement(matrix: &ScoreMatrix, goods: &Oriented) -> Agreement {
    let (jurors, entries) = choose_basis(goods);
    let labels = |all: &[String], keep: &[usize], inside: bool| -> Vec<String> {
        (0..all.len())
            .filter(|i| keep.contains(i) == inside)
            .map(|i| all[i].clone())
            .collect()
    };
    let basis = AgreementBasis {
        jurors: labels(matrix.jurors(), &jurors, true),
        entries: labels(matrix.entries(), &entries, true),
        excluded_jurors: labels(matrix.jurors(), &jurors, false),
        excluded_entries: labels(matrix.entries(), &entries, false),
    };
    let (mut ranks, mut ties) = (Vec::new(), Vec::new());
    for &j in &jurors {
        let values: Vec<&BigRational> = entries
            .iter()
            .filter_map(|&e| goods[j][e].as_ref())
            .collect();
        let (r, t) = average_ranks(&values);
        ranks.push(r);
        ties.push(t);
    }
    let kendall = kendall_w(&ranks, &ties);
    let (m, n) = (jurors.len(), entries.len());
    let chi2 = kendall.w_tie_corrected.as_ref().map(|w| {
        (w * BigInt::from(m) * BigInt::from(n.saturating_sub(1)))
            .to_f64()
            .unwrap_or(f64::NAN)
    });
    let df = kendall.w.as_ref().and_then(|_| u32::try_from(n - 1).ok());
    let p_value = chi2.zip(df).and_then(|(c, d)| chi_squared_p_value(c, d));
    let totals: Vec<BigRational> = (0..n)
        .map(|e| ranks.iter().map(|row| &row[e]).sum::<BigRational>())
        .collect();
    let per_juror = (0..matrix.jurors().len())
        .map(|j| {
            let rho = jurors
                .iter()
                .position(|&b| b == j)
                .filter(|_| m >= 2 && n >= 2)
                .and_then(|row| spearman(&ranks[row], &others_ranks(&totals, &ranks[row])));
            JurorAgreement {
                juror: matrix.jurors()[j].clone(),
                spearman_rho: rho,
                disagrees: rho.is_some_and(|r| r < 0.0),
                entries_scored: goods[j].iter().flatten().count(),
            }
        })
        .collect();
    Agreement {
        kendall_w: kendall.w.as_ref().and_then(ToPrimitive::to_f64),
        kendall_w_tie_corrected: kendall
            .w_tie_corrected
            .as_ref()
            .and_then(ToPrimitive::to_f64),
        chi2,
        df,
        p_value,
        basis,
        jurors: per_juror,
    }
}

/// Picks the juror and entry indices the agreement statistics use (see [`AgreementBasis`]).
fn choose_basis(goods: &Oriented) -> (Vec<usize>, Vec<usize>) {
    let m = goods.len();
    let n = goods.first().map_or(0, Vec::len);
    let all_jurors: Vec<usize> = (0..m).collect();
    let all_entries: Vec<usize> = (0..n).collect();
    let complete_entries: Vec<usize> = (0..n)
        .filter(|&e| goods.iter().all(|row| row[e].is_some()))
        .collect();
    let complete_jurors: Vec<usize> = (0..m)
        .filter(|&j| goods[j].iter().all(Option::is_some))
        .collect();
    let by_entries = (all_jurors.clone(), complete_entries);
    let by_jurors = (complete_jurors, all_entries);
    let usable = |(j, e): &(Vec<usize>, Vec<usize>)| j.len() >= 2 && e.len() >= 2;
    let cells = |(j, e): &(Vec<usize>, Vec<usize>)| j.len() * e.len();
    match (usable(&by_entries), usable(&by_jurors)) {
        (_, true) if !usable(&by_entries) || cells(&by_jurors) > cells(&by_entries) => by_jurors,
        _ => by_entries,
    }
}

#[cfg(test)]
#[path = "agreement_tests.rs"]
mod tests;
