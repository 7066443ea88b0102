//! Property tests of the ranking engine.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;

use proptest::prelude::*;

use super::{Cell, Exact, Method, RankOptions, Ranking, ScoreMatrix, TieRule, rank_matrix};

/// `grid[juror][entry]`: a whole mark 1..=10, or `None` for a recusal.
type Grid = Vec<Vec<Option<i64>>>;

fn grid() -> impl Strategy<Value = Grid> {
    (2_usize..=4, 2_usize..=6).prop_flat_map(|(jurors, entries)| {
        let cell = prop_oneof![9 => (1_i64..=10).prop_map(Some), 1 => Just(None)];
        prop::collection::vec(prop::collection::vec(cell, entries), jurors)
    })
}

fn build(
    grid: &Grid,
    juror: impl Fn(usize) -> String,
    entry: impl Fn(usize) -> String,
) -> ScoreMatrix {
    let n = grid[0].len();
    let mut m = ScoreMatrix::new(
        (0..grid.len()).map(&juror).collect(),
        (0..n).map(&entry).collect(),
    )
    .unwrap();
    for (j, row) in grid.iter().enumerate() {
        for (e, cell) in row.iter().enumerate() {
            let cell = cell.map_or(Cell::Recused, |v| Cell::Scored(Exact::from_integer(v)));
            m.set(&juror(j), &entry(e), cell).unwrap();
        }
    }
    m
}

fn plain(grid: &Grid) -> ScoreMatrix {
    build(grid, |j| format!("J{j}"), |e| format!("E{e}"))
}

fn rank(m: &ScoreMatrix, method: Method, tie_rule: TieRule) -> Ranking {
    rank_matrix(
        m,
        &RankOptions {
            method,
            tie_rule,
            ..RankOptions::default()
        },
    )
}

fn place_of(r: &Ranking, entry: &str) -> u32 {
    r.entries.iter().find(|e| e.entry == entry).unwrap().place
}

fn shuffled(n: usize) -> impl Strategy<Value = Vec<usize>> {
    Just((0..n).collect::<Vec<_>>()).prop_shuffle()
}

proptest! {
    #[test]
    fn renaming_and_reordering_jurors_or_entries_keeps_places(
        (g, juror_order, entry_order) in grid().prop_flat_map(|g| {
            let (m, n) = (g.len(), g[0].len());
            (Just(g), shuffled(m), shuffled(n))
        })
    ) {
        // Juror and entry i of the new matrix are juror_order[i] and entry_order[i] of the old,
        // under new names.
        let moved: Grid = juror_order
            .iter()
            .map(|&j| entry_order.iter().map(|&e| g[j][e]).collect())
            .collect();
        let renamed = build(&moved, |j| format!("juror {}", juror_order[j]), |e| format!("entry-{}", entry_order[e]));
        for method in Method::ALL {
            let before = rank(&plain(&g), method, TieRule::default());
            let after = rank(&renamed, method, TieRule::default());
            for e in 0..g[0].len() {
                prop_assert_eq!(place_of(&before, &format!("E{e}")), place_of(&after, &format!("entry-{e}")), "{}", method);
            }
            let w = |r: &Ranking| (r.statistics.kendall_w, r.statistics.kendall_w_tie_corrected);
            prop_assert_eq!(w(&before), w(&after));
        }
    }

    #[test]
    fn raising_a_score_never_lowers_that_entrys_place(
        (g, juror, entry, raise) in grid().prop_flat_map(|g| {
            let (m, n) = (g.len(), g[0].len());
            (Just(g), 0..m, 0..n, 1_i64..=9)
        })
    ) {
        let Some(old) = g[juror][entry] else { return Ok(()) };
        let mut raised = g.clone();
        raised[juror][entry] = Some((old + raise).min(10));
        let label = format!("E{entry}");
        for method in [Method::Mean, Method::Median, Method::RankSum] {
            for rule in [TieRule::default(), TieRule::none()] {
                let before = place_of(&rank(&plain(&g), method, rule.clone()), &label);
                let after = place_of(&rank(&plain(&raised), method, rule), &label);
                prop_assert!(after <= before, "{}: place {} became {}", method, before, after);
            }
        }
    }

    #[test]
    fn shifting_one_jurors_scores_keeps_zscore_and_rank_sum_results(
        (g, juror, shift_quarters) in grid().prop_flat_map(|g| {
            let m = g.len();
            (Just(g), 0..m, -40_i64..=40)
        })
    ) {
        let shift = Exact::from_ratio(shift_quarters, 4).unwrap();
        let mut shifted = plain(&g);
        for (e, score) in g[juror].iter().enumerate() {
            if let Some(v) = score {
                let moved = Exact::from_rational(Exact::from_integer(*v).rational() + shift.rational());
                shifted.set(&format!("J{juror}"), &format!("E{e}"), Cell::Scored(moved)).unwrap();
            }
        }
        for method in [Method::Zscore, Method::RankSum] {
            let before = rank(&plain(&g), method, TieRule::none());
            let after = rank(&shifted, method, TieRule::none());
            let lines = |r: &Ranking| r.entries.iter().map(|e| (e.entry.clone(), e.place, e.value, e.exact_value.clone())).collect::<Vec<_>>();
            prop_assert_eq!(lines(&before), lines(&after), "{}", method);
        }
    }

    #[test]
    fn agreement_statistics_stay_in_range(g in grid()) {
        let s = rank(&plain(&g), Method::Mean, TieRule::default()).statistics;
        for w in [s.kendall_w, s.kendall_w_tie_corrected].into_iter().flatten() {
            prop_assert!((0.0..=1.0).contains(&w), "W = {}", w);
        }
        if let Some(p) = s.p_value {
            prop_assert!((0.0..=1.0).contains(&p), "p = {}", p);
        }
        for rho in s.jurors.iter().filter_map(|j| j.spearman_rho) {
            prop_assert!((-1.0..=1.0).contains(&rho), "rho = {}", rho);
        }
    }

    #[test]
    fn jurors_who_all_rank_alike_without_ties_give_w_of_one(
        (order, jurors) in (2_usize..=8).prop_flat_map(|n| (shuffled(n), prop::collection::vec((1_i64..=3, 0_i64..=20), 2..=5)))
    ) {
        // Juror j gives the entry at position p of `order` the score offset_j + step_j · (n − p):
        // different scales, same strict order.
        let n = order.len();
        let g: Grid = jurors
            .iter()
            .map(|&(step, offset)| {
                (0..n).map(|e| {
                    let p = order.iter().position(|&x| x == e).unwrap();
                    Some(offset + step * i64::try_from(n - p).unwrap())
                }).collect()
            })
            .collect();
        let s = rank(&plain(&g), Method::Mean, TieRule::default()).statistics;
        prop_assert_eq!(s.kendall_w, Some(1.0));
        prop_assert_eq!(s.kendall_w_tie_corrected, Some(1.0));
        prop_assert!(s.jurors.iter().all(|j| j.spearman_rho == Some(1.0)));
        let expected_df = u32::try_from(n - 1).unwrap();
        prop_assert_eq!(s.df, Some(expected_df));
    }

    #[test]
    fn places_are_competition_ranks(g in grid()) {
        for method in Method::ALL {
            let r = rank(&plain(&g), method, TieRule::default());
            let mut counts: HashMap<u32, u32> = HashMap::new();
            for e in &r.entries {
                *counts.entry(e.place).or_default() += 1;
            }
            // A place is one more than the number of entries before its group: 1, 2, 2, 4.
            for (i, e) in r.entries.iter().enumerate() {
                let first = r.entries.iter().position(|x| x.place == e.place).unwrap();
                prop_assert_eq!(usize::try_from(e.place).unwrap(), first + 1);
                prop_assert!(r.entries[first..=i].iter().all(|x| x.place == e.place));
                prop_assert_eq!(e.tied, counts[&e.place] > 1);
            }
        }
    }
}
