#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::strategy::Strategy as _;

use super::super::stats::orient;
use super::super::test_support::{assert_close, ex, matrix};
use super::*;

fn q(text: &str) -> BigRational {
    ex(text).rational().clone()
}

fn ranks(rows: &[&str]) -> Vec<Vec<BigRational>> {
    rows.iter()
        .map(|r| r.split_whitespace().map(q).collect())
        .collect()
}

fn stats_of(m: &ScoreMatrix) -> Agreement {
    agreement(m, &orient(m, false))
}

#[test]
fn kendall_w_without_ties_matches_hand_computation() {
    // R = 4, 6, 8, 12; mean 7.5; S = 12.25 + 2.25 + 0.25 + 20.25 = 35;
    // W = 12·35 / (3²·(4³ − 4)) = 420 / 540 = 7/9.
    let r = ranks(&["1 2 3 4", "2 1 3 4", "1 3 2 4"]);
    let w = kendall_w(&r, &[vec![], vec![], vec![]]);
    assert_eq!(w.w, Some(q("7/9")));
    assert_eq!(w.w_tie_corrected, Some(q("7/9")));
}

#[test]
fn kendall_w_with_ties_matches_hand_computation() {
    // J1 ties its 2nd and 3rd entries: ranks 1, 2.5, 2.5, 4, T = 2³ − 2 = 6.
    // R = 4, 5.5, 8.5, 12; S = 12.25 + 4 + 1 + 20.25 = 37.5; 12·S = 450.
    // W = 450 / 540 = 5/6; corrected W = 450 / (540 − 3·6) = 25/29.
    let r = ranks(&["1 2.5 2.5 4", "1 2 3 4", "2 1 3 4"]);
    let w = kendall_w(&r, &[vec![2], vec![], vec![]]);
    assert_eq!(w.w, Some(q("5/6")));
    assert_eq!(w.w_tie_corrected, Some(q("25/29")));
}

#[test]
fn kendall_w_is_computed_from_scores_with_ties() {
    // The same data as scores: J1 gives 9, 8, 8, 5.
    let m = matrix(
        &["A", "B", "C", "D"],
        &[("J1", "9 8 8 5"), ("J2", "9 8 7 6"), ("J3", "8 9 7 6")],
    );
    let a = stats_of(&m);
    assert_close(a.kendall_w, 5.0 / 6.0, 1e-15);
    assert_close(a.kendall_w_tie_corrected, 25.0 / 29.0, 1e-15);
    // χ² = m(n − 1)·W_corrected = 3·3·25/29 = 225/29, df 3.
    assert_close(a.chi2, 225.0 / 29.0, 1e-12);
    assert_eq!(a.df, Some(3));
    assert_close(a.p_value, 0.051_273, 1e-6);
}

#[test]
fn chi_squared_p_values_match_the_table() {
    assert_close(chi_squared_p_value(11.07, 5), 0.05, 5e-4);
    assert_close(chi_squared_p_value(9.21, 2), 0.01, 5e-5);
    assert_close(chi_squared_p_value(3.841, 1), 0.05, 5e-5);
    assert_close(chi_squared_p_value(7.0, 3), 0.071_898, 1e-6);
    assert_eq!(chi_squared_p_value(0.0, 4), Some(1.0));
    assert_eq!(chi_squared_p_value(1.0, 0), None);
}

#[test]
fn spearman_rho_matches_hand_computation() {
    // Own ranks 1, 3, 2, 4 against others' sums 3, 3, 6, 8: cov 6, var 5 and 18, ρ = 6/√90.
    let r = ranks(&["1 3 2 4", "3 3 6 8"]);
    assert_close(spearman(&r[0], &r[1]), 6.0 / 90.0_f64.sqrt(), 1e-15);
    let reversed = ranks(&["1 2 3", "3 2 1"]);
    assert_eq!(spearman(&reversed[0], &reversed[1]), Some(-1.0));
    let flat = ranks(&["1 2 3", "2 2 2"]);
    assert_eq!(spearman(&flat[0], &flat[1]), None);
}

/// Spearman ρ of juror `k` computed apart from the engine: ranks by counting (1 + entries
/// better + half the entries equal), the others' rank sums ranked the same way (a lower sum is
/// better), Pearson's formula in f64. Half-integer ranks and their sums are exact in f64.
fn reference_rho(scores: &[Vec<f64>], k: usize) -> Option<f64> {
    fn ranks(values: &[f64], better: impl Fn(f64, f64) -> bool) -> Vec<f64> {
        values
            .iter()
            .enumerate()
            .map(|(i, &v)| {
                let above = values.iter().filter(|&&w| better(w, v)).count();
                let equal = values
                    .iter()
                    .enumerate()
                    .filter(|&(j, &w)| j != i && w == v)
                    .count();
                1.0 + above as f64 + equal as f64 / 2.0
            })
            .collect()
    }
    let all: Vec<Vec<f64>> = scores.iter().map(|row| ranks(row, |w, v| w > v)).collect();
    let n = scores[0].len();
    let others: Vec<f64> = (0..n)
        .map(|e| (0..all.len()).filter(|&j| j != k).map(|j| all[j][e]).sum())
        .collect();
    let theirs = ranks(&others, |w, v| w < v);
    let mine = &all[k];
    let mean = |x: &[f64]| x.iter().sum::<f64>() / n as f64;
    let (ma, mb) = (mean(mine), mean(&theirs));
    let cov: f64 = mine
        .iter()
        .zip(&theirs)
        .map(|(a, b)| (a - ma) * (b - mb))
        .sum();
    let va: f64 = mine.iter().map(|a| (a - ma) * (a - ma)).sum();
    let vb: f64 = theirs.iter().map(|b| (b - mb) * (b - mb)).sum();
    (va > 0.0 && vb > 0.0).then(|| cov / (va * vb).sqrt())
}

#[test]
fn spearman_rho_ranks_the_other_jurors_sums() {
    // The case of issue 17. J2's ranks are 5, 6, 2, 7, 3.5, 3.5, 1; the others' rank sums
    // 13.5, 7, 10.5, 7, 3, 8, 7 rank as 7, 3, 6, 3, 1, 5, 3. Covariance −2, variances 55/2
    // and 26, so ρ = −2/√715 ≈ −0.0748 (the Pearson correlation with the raw sums was
    // +0.0237: the old figure had the wrong sign). J1: 3/4 / √(51/2 · 55/2) = 3/(2√2805);
    // J3: 21/2 / √(28 · 55/2) = 21/√3080.
    let m = matrix(
        &["A", "B", "C", "D", "E", "F", "G"],
        &[
            ("J1", "2 5 2 8 8 8 7"),
            ("J2", "4 2 8 1 7 7 10"),
            ("J3", "1 8 5 4 10 2 6"),
        ],
    );
    let a = stats_of(&m);
    let rho: Vec<Option<f64>> = a.jurors.iter().map(|j| j.spearman_rho).collect();
    assert_close(rho[0], 3.0 / (2.0 * 2805.0_f64.sqrt()), 1e-15);
    assert_close(rho[1], -2.0 / 715.0_f64.sqrt(), 1e-15);
    assert_close(rho[2], 21.0 / 3080.0_f64.sqrt(), 1e-15);
    assert!(a.jurors[1].disagrees && !a.jurors[0].disagrees && !a.jurors[2].disagrees);
    let scores: Vec<Vec<f64>> = [
        [2.0, 5.0, 2.0, 8.0, 8.0, 8.0, 7.0],
        [4.0, 2.0, 8.0, 1.0, 7.0, 7.0, 10.0],
        [1.0, 8.0, 5.0, 4.0, 10.0, 2.0, 6.0],
    ]
    .iter()
    .map(|row| row.to_vec())
    .collect();
    for (k, r) in rho.iter().enumerate() {
        assert_close(*r, reference_rho(&scores, k).unwrap(), 1e-12);
    }
}

proptest::proptest! {
    #[test]
    fn spearman_rho_matches_an_independent_implementation(
        grid in (2_usize..=5, 2_usize..=7).prop_flat_map(|(m, n)| {
            proptest::collection::vec(proptest::collection::vec(1_u8..=6, n), m)
        })
    ) {
        let entries: Vec<String> = (0..grid[0].len()).map(|e| format!("E{e}")).collect();
        let rows: Vec<(String, String)> = grid
            .iter()
            .enumerate()
            .map(|(j, row)| (format!("J{j}"), row.iter().map(u8::to_string).collect::<Vec<_>>().join(" ")))
            .collect();
        let entry_refs: Vec<&str> = entries.iter().map(String::as_str).collect();
        let row_refs: Vec<(&str, &str)> = rows.iter().map(|(j, r)| (j.as_str(), r.as_str())).collect();
        let a = stats_of(&matrix(&entry_refs, &row_refs));
        let scores: Vec<Vec<f64>> = grid.iter().map(|r| r.iter().map(|&v| f64::from(v)).collect()).collect();
        for (k, juror) in a.jurors.iter().enumerate() {
            match (juror.spearman_rho, reference_rho(&scores, k)) {
                (Some(x), Some(y)) => proptest::prop_assert!((x - y).abs() < 1e-12, "J{}: {} vs {}", k, x, y),
                (x, y) => proptest::prop_assert_eq!(x, y, "J{}", k),
            }
        }
    }
}

#[test]
fn identical_jurors_agree_fully_and_a_contrarian_is_flagged() {
    let same = matrix(
        &["A", "B", "C"],
        &[("J1", "9 7 5"), ("J2", "10 6 2"), ("J3", "8 7 6")],
    );
    let a = stats_of(&same);
    assert_eq!(a.kendall_w, Some(1.0));
    assert_eq!(a.p_value.map(|p| p < 0.1), Some(true));
    assert!(
        a.jurors
            .iter()
            .all(|j| j.spearman_rho == Some(1.0) && !j.disagrees)
    );

    let contrarian = matrix(
        &["A", "B", "C"],
        &[("J1", "9 7 5"), ("J2", "10 6 2"), ("J3", "5 7 9")],
    );
    let a = stats_of(&contrarian);
    assert_eq!(a.jurors[2].spearman_rho, Some(-1.0));
    assert!(a.jurors[2].disagrees);
    assert!(!a.jurors[0].disagrees);
}

#[test]
fn recusal_drops_the_entry_from_the_basis_when_that_keeps_more_scores() {
    let m = matrix(
        &["A", "B", "C", "D"],
        &[("J1", "9 8 7 6"), ("J2", "9 8 7 R"), ("J3", "9 7 8 6")],
    );
    let a = stats_of(&m);
    assert_eq!(a.basis.entries, ["A", "B", "C"]);
    assert_eq!(a.basis.excluded_entries, ["D"]);
    assert!(a.basis.excluded_jurors.is_empty());
    assert_eq!(a.df, Some(2));
    // Over A, B, C: R = 3, 7, 8; S = 9 + 1 + 4 = 14; W = 168 / (9·24) = 7/9.
    assert_close(a.kendall_w, 7.0 / 9.0, 1e-15);
    assert_eq!(a.jurors[1].entries_scored, 3);
}

#[test]
fn a_juror_who_scored_little_is_dropped_from_the_basis_instead() {
    let m = matrix(
        &["A", "B", "C", "D"],
        &[("J1", "9 8 7 6"), ("J2", "9 8 7 6"), ("J3", "- R 8 6")],
    );
    let a = stats_of(&m);
    assert_eq!(a.basis.jurors, ["J1", "J2"]);
    assert_eq!(a.basis.excluded_jurors, ["J3"]);
    assert_eq!(a.basis.entries.len(), 4);
    assert_eq!(a.kendall_w, Some(1.0));
    assert_eq!(a.jurors[2].spearman_rho, None);
    assert_eq!(a.jurors[0].spearman_rho, Some(1.0));
}

#[test]
fn jurors_who_tie_everything_leave_w_undefined() {
    let m = matrix(&["A", "B", "C"], &[("J1", "7 7 7"), ("J2", "5 5 5")]);
    let a = stats_of(&m);
    assert_eq!(
        (
            a.kendall_w,
            a.kendall_w_tie_corrected,
            a.chi2,
            a.df,
            a.p_value
        ),
        (None, None, None, None, None)
    );
    // One juror who ties everything is not enough to leave W undefined: R = 3, 4, 5 around
    // the mean 4, S = 2, W = 24 / (2² · 24) = 1/4.
    let one = matrix(&["A", "B", "C"], &[("J1", "7 7 7"), ("J2", "9 5 1")]);
    assert_eq!(stats_of(&one).kendall_w, Some(0.25));
    assert!(
        a.jurors
            .iter()
            .all(|j| j.spearman_rho.is_none() && !j.disagrees)
    );
}

#[test]
fn a_single_juror_has_no_agreement_statistics() {
    let m = matrix(&["A", "B"], &[("J1", "7 8")]);
    let a = stats_of(&m);
    assert_eq!((a.kendall_w, a.df, a.p_value), (None, None, None));
}
