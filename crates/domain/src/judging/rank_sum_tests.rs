//! Rank sums with recusals are fair: when jurors score at random, every entry expects the same
//! rank sum, m(n + 1)/2 for m jurors and n entries, whoever recused from what. Checked exactly:
//! the expectation is the average over every outcome of every juror, enumerated.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::Zero;
use proptest::prelude::*;

use super::stats::{orient, rank_sums};
use super::{Cell, Exact, ScoreMatrix};

/// Every score list a juror can give `k` entries, each equally likely: all orders of k distinct
/// scores, or (`ties`) every list of scores from {1, 2}. Both are exchangeable: reordering the
/// entries maps the set of outcomes onto itself.
fn outcomes(k: usize, ties: bool) -> Vec<Vec<i64>> {
    if ties {
        return (0..1_u32 << k)
            .map(|bits| (0..k).map(|i| 1 + i64::from((bits >> i) & 1)).collect())
            .collect();
    }
    let mut all = vec![Vec::new()];
    for score in 1..=i64::try_from(k).unwrap() {
        // Insert the next score at every position of every shorter order.
        all = all
            .iter()
            .flat_map(|order: &Vec<i64>| {
                (0..=order.len()).map(move |at| {
                    let mut longer = order.clone();
                    longer.insert(at, score);
                    longer
                })
            })
            .collect();
    }
    all
}

/// The exact average rank sum of each entry over every combination of the jurors' outcomes.
fn expected_rank_sums(present: &[Vec<bool>], ties: bool) -> Vec<BigRational> {
    let n = present[0].len();
    let jurors: Vec<String> = (0..present.len()).map(|j| format!("J{j}")).collect();
    let entries: Vec<String> = (0..n).map(|e| format!("E{e}")).collect();
    let choices: Vec<Vec<Vec<i64>>> = present
        .iter()
        .map(|row| outcomes(row.iter().filter(|&&p| p).count(), ties))
        .collect();
    let mut totals = vec![BigRational::zero(); n];
    let mut count = 0_u64;
    let mut pick = vec![0_usize; present.len()];
    loop {
        let mut m = ScoreMatrix::new(jurors.clone(), entries.clone()).unwrap();
        for (j, row) in present.iter().enumerate() {
            let mut scores = choices[j][pick[j]].iter();
            for (e, &here) in row.iter().enumerate() {
                let cell = if here {
                    Cell::Scored(Exact::from_integer(*scores.next().unwrap()))
                } else {
                    Cell::Recused
                };
                m.set(&jurors[j], &entries[e], cell).unwrap();
            }
        }
        // The rank sums behind `rank_matrix`'s rank_sum values (see ranking_tests), without
        // the other methods and statistics, which would make this many times slower.
        for (total, sum) in totals.iter_mut().zip(rank_sums(&orient(&m, false))) {
            *total += sum.unwrap();
        }
        count += 1;
        // Next combination, as an odometer over the jurors' outcome lists.
        let Some(j) = (0..pick.len()).find(|&j| pick[j] + 1 < choices[j].len()) else {
            break;
        };
        pick[j] += 1;
        pick[..j].iter_mut().for_each(|p| *p = 0);
    }
    totals
        .into_iter()
        .map(|t| t / BigInt::from(count))
        .collect()
}

#[test]
fn outcomes_are_every_order_or_every_binary_list() {
    assert_eq!(outcomes(3, false).len(), 6);
    let mut orders = outcomes(3, false);
    orders.sort();
    orders.dedup();
    assert_eq!(orders.len(), 6);
    assert!(orders.iter().all(|o| {
        let mut s = o.clone();
        s.sort_unstable();
        s == [1, 2, 3]
    }));
    assert_eq!(outcomes(2, true), [[1, 1], [2, 1], [1, 2], [2, 2]]);
    assert_eq!(outcomes(0, false), [Vec::<i64>::new()]);
}

#[test]
fn a_recusal_no_longer_costs_half_a_rank() {
    // Three jurors, four entries, the third juror recused from the last one. Ranking only
    // three entries, that juror's expected rank is 2 instead of 2.5: on the old formula (raw
    // ranks, sum × 3/2 for the recused entry) the others expected 2.5 + 2.5 + 2 = 7 and the
    // recused entry (2.5 + 2.5) × 3/2 = 7.5, half a rank worse. On the common scale all 7.5.
    let present = vec![vec![true; 4], vec![true; 4], vec![true, true, true, false]];
    let expected = BigRational::new(BigInt::from(15), BigInt::from(2));
    assert_eq!(expected_rank_sums(&present, false), vec![expected; 4]);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn every_entry_expects_the_same_rank_sum_whatever_the_recusals(
        (present, ties) in (2_usize..=3, 2_usize..=4).prop_flat_map(|(m, n)| {
            let cell = prop_oneof![3 => Just(true), 1 => Just(false)];
            (prop::collection::vec(prop::collection::vec(cell, n), m), any::<bool>())
        })
    ) {
        let n = present[0].len();
        prop_assume!((0..n).all(|e| present.iter().any(|row| row[e])));
        let m = present.len();
        let fair = BigRational::new(BigInt::from(m * (n + 1)), BigInt::from(2));
        let expected = expected_rank_sums(&present, ties);
        prop_assert!(expected.iter().all(|x| *x == fair), "{:?}: {:?}, not {} each", present, expected, fair);
    }
}
