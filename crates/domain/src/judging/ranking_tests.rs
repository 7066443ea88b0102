#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::super::test_support::{assert_close, ex, matrix};
use super::super::{Cell, TieRule};
use super::*;

const ENTRIES: [&str; 4] = ["A", "B", "C", "D"];

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

/// (entry, place) in place order.
fn places(r: &Ranking) -> Vec<(&str, u32)> {
    r.entries
        .iter()
        .map(|e| (e.entry.as_str(), e.place))
        .collect()
}

fn entry<'r>(r: &'r Ranking, label: &str) -> &'r RankedEntry {
    r.entries.iter().find(|e| e.entry == label).unwrap()
}

fn full() -> ScoreMatrix {
    matrix(
        &ENTRIES,
        &[("J1", "8 6 9 5"), ("J2", "7 7 8 4"), ("J3", "9 5 6 6")],
    )
}

#[test]
fn mean_ranks_by_the_exact_average() {
    let r = rank(&full(), Method::Mean, TieRule::none());
    assert_eq!(places(&r), [("A", 1), ("C", 2), ("B", 3), ("D", 4)]);
    assert_eq!(entry(&r, "C").exact_value, Some(ex("23/3")));
    assert_close(entry(&r, "C").value, 23.0 / 3.0, 1e-15);
}

#[test]
fn median_ranks_by_the_middle_score_and_shares_equal_places() {
    // Medians: A 8, B 6, C 8, D 5.
    let r = rank(&full(), Method::Median, TieRule::none());
    assert_eq!(places(&r), [("A", 1), ("C", 1), ("B", 3), ("D", 4)]);
    assert!(entry(&r, "A").tied && entry(&r, "C").tied && r.tie_touches_top3);
    assert_eq!(
        r.ties,
        [TieGroup {
            place: 1,
            entries: vec!["A".into(), "C".into()],
            touches_top3: true
        }]
    );
}

#[test]
fn rank_sum_adds_average_ranks_and_lower_wins() {
    // J1 ranks C A B D; J2 ranks C, then A = B (2.5 each), D; J3 ranks A, C = D (2.5), B.
    // Sums: A 2 + 2.5 + 1 = 5.5, B 3 + 2.5 + 4 = 9.5, C 1 + 1 + 2.5 = 4.5, D 4 + 4 + 2.5 = 10.5.
    let r = rank(&full(), Method::RankSum, TieRule::none());
    assert_eq!(places(&r), [("C", 1), ("A", 2), ("B", 3), ("D", 4)]);
    let sums: Vec<_> = r
        .entries
        .iter()
        .map(|e| e.exact_value.clone().unwrap())
        .collect();
    assert_eq!(sums, [ex("4.5"), ex("5.5"), ex("9.5"), ex("10.5")]);
    assert!(!r.rank_sum_rescaled);
}

#[test]
fn zscore_standardises_each_juror_with_the_sample_sd() {
    // J1: mean 7, sample sd √(10/3); J2 and J3: mean 6.5, sample sd √3.
    let (s1, s3) = ((10.0_f64 / 3.0).sqrt(), 3.0_f64.sqrt());
    let a = (1.0 / s1 + 0.5 / s3 + 2.5 / s3) / 3.0;
    let b = (-1.0 / s1 + 0.5 / s3 - 1.5 / s3) / 3.0;
    let c = (2.0 / s1 + 1.5 / s3 - 0.5 / s3) / 3.0;
    let d = (-2.0 / s1 - 2.5 / s3 - 0.5 / s3) / 3.0;
    let r = rank(&full(), Method::Zscore, TieRule::none());
    assert_eq!(places(&r), [("A", 1), ("C", 2), ("B", 3), ("D", 4)]);
    for (label, expected) in [("A", a), ("B", b), ("C", c), ("D", d)] {
        assert_close(entry(&r, label).value, expected, 1e-12);
        assert_eq!(entry(&r, label).exact_value, None);
    }
}

#[test]
fn zscore_ties_are_exact() {
    // J1 scores A, B, C 1, 2, 4; J2 scores D, B, C 3, 6, 12 (three times as much, so the
    // same standard scores). A, seen only by J1, and D, seen only by J2, have the same
    // z-score −4/3·√(3/7) exactly: a real tie, decided by the tie rule and never by rounding.
    let m = matrix(&ENTRIES, &[("J1", "1 2 4 R"), ("J2", "R 6 12 3")]);
    let r = rank(&m, Method::Zscore, TieRule::none());
    assert_eq!(places(&r), [("C", 1), ("B", 2), ("A", 3), ("D", 3)]);
    assert!(entry(&r, "A").tied && entry(&r, "D").tied);
    let broken = rank(
        &m,
        Method::Zscore,
        TieRule::new(vec![TieBreak::BestScore]).unwrap(),
    );
    assert_eq!(places(&broken)[2..], [("D", 3), ("A", 4)]);
    assert_eq!(
        entry(&broken, "D").decided_by,
        Some(Decider::TieBreak(TieBreak::BestScore))
    );
}

#[test]
fn recusal_compares_over_present_jurors_and_rescales_rank_sums() {
    let m = matrix(
        &ENTRIES,
        &[("J1", "8 6 9 5"), ("J2", "R 7 8 4"), ("J3", "9 5 6 6")],
    );
    let mean = rank(&m, Method::Mean, TieRule::none());
    assert_eq!(entry(&mean, "A").exact_value, Some(ex("8.5")));
    assert_eq!(places(&mean)[0], ("A", 1));
    assert_eq!(entry(&mean, "A").jurors_recused, 1);
    assert_eq!(entry(&mean, "A").flags, [EntryFlag::Recusal]);
    assert!(mean.recusals && !mean.rank_sum_rescaled);

    // J2 ranks only B, C, D (k = 3 of n = 4): C 1, B 2, D 3, put on the common scale × 5/4:
    // 5/4, 5/2, 15/4. A's 2 + 1 = 3 from two jurors becomes 3 × 3/2 = 4.5; C gets
    // 1 + 5/4 + 2.5 = 4.75, B 3 + 5/2 + 4 = 9.5, D 4 + 15/4 + 2.5 = 10.25. (Without the common
    // scale C would have 1 + 1 + 2.5 = 4.5 and tie A.)
    let sums = rank(&m, Method::RankSum, TieRule::default());
    let values: Vec<_> = sums
        .entries
        .iter()
        .map(|e| (e.entry.as_str(), e.exact_value.clone().unwrap()))
        .collect();
    assert_eq!(
        values,
        [
            ("A", ex("4.5")),
            ("C", ex("19/4")),
            ("B", ex("9.5")),
            ("D", ex("41/4"))
        ]
    );
    assert!(!entry(&sums, "A").tied_on_value && entry(&sums, "A").decided_by.is_none());
    assert_eq!(
        entry(&sums, "A").flags,
        [EntryFlag::Recusal, EntryFlag::RankSumRescaled]
    );
    assert!(
        !entry(&sums, "C")
            .flags
            .contains(&EntryFlag::RankSumRescaled)
    );
    assert!(sums.rank_sum_rescaled);
}

#[test]
fn competition_places_skip_after_shared_places() {
    let m = matrix(
        &["A", "B", "C", "D", "E"],
        &[("J1", "7 9 8 8 5"), ("J2", "7 9 8 8 5")],
    );
    let r = rank(&m, Method::Mean, TieRule::default());
    assert_eq!(
        places(&r),
        [("B", 1), ("C", 2), ("D", 2), ("A", 4), ("E", 5)]
    );
    assert!(r.tie_touches_top3);
}

#[test]
fn lower_is_better_favours_small_values_and_ranks_ascending() {
    let m = matrix(
        &["A", "B", "C"],
        &[("J1", "1 2 3"), ("J2", "2 1 3"), ("J3", "1 3 2")],
    );
    for method in Method::ALL {
        let options = RankOptions {
            method,
            lower_is_better: true,
            ..RankOptions::default()
        };
        let r = rank_matrix(&m, &options);
        assert_eq!(places(&r), [("A", 1), ("B", 2), ("C", 3)], "{method}");
    }
    let options = RankOptions {
        lower_is_better: true,
        ..RankOptions::default()
    };
    assert_eq!(
        entry(&rank_matrix(&m, &options), "A").exact_value,
        Some(ex("4/3"))
    );
    let options = RankOptions {
        method: Method::RankSum,
        lower_is_better: true,
        ..options
    };
    let r = rank_matrix(&m, &options);
    // The input already holds ranks, so the rank sums are the column sums: 4, 6, 8.
    let sums: Vec<_> = r
        .entries
        .iter()
        .map(|e| e.exact_value.clone().unwrap())
        .collect();
    assert_eq!(sums, [ex("4"), ex("6"), ex("8")]);
    assert_eq!(entry(&r, "A").first_places, 2);
}

#[test]
fn tie_break_median_prefers_the_better_median() {
    // Mean 7 each; medians A 6, B 7.
    let m = matrix(&["A", "B"], &[("J1", "6 7"), ("J2", "6 7"), ("J3", "9 7")]);
    let r = rank(
        &m,
        Method::Mean,
        TieRule::new(vec![TieBreak::Median]).unwrap(),
    );
    assert_eq!(places(&r), [("B", 1), ("A", 2)]);
    assert_eq!(
        entry(&r, "B").decided_by,
        Some(Decider::TieBreak(TieBreak::Median))
    );
    let lower = RankOptions {
        lower_is_better: true,
        tie_rule: r.tie_rule.clone(),
        ..RankOptions::default()
    };
    assert_eq!(places(&rank_matrix(&m, &lower)), [("A", 1), ("B", 2)]);
}

#[test]
fn tie_break_first_places_counts_jurors_who_put_the_entry_top() {
    // A 9 7 5 and B 8 7 6: mean 7, median 7. Tops: J1 → A, J2 → C, J3 → C.
    let m = matrix(
        &["A", "B", "C"],
        &[("J1", "9 8 1"), ("J2", "7 7 8"), ("J3", "5 6 7")],
    );
    let r = rank(&m, Method::Mean, TieRule::default());
    assert_eq!(places(&r), [("A", 1), ("B", 2), ("C", 3)]);
    assert_eq!(entry(&r, "A").first_places, 1);
    assert_eq!(
        entry(&r, "A").decided_by,
        Some(Decider::TieBreak(TieBreak::FirstPlaces))
    );
    let without = rank(
        &m,
        Method::Mean,
        TieRule::new(vec![TieBreak::Median]).unwrap(),
    );
    assert_eq!(places(&without)[..2], [("A", 1), ("B", 1)]);
}

#[test]
fn tie_break_mean_settles_a_median_tie() {
    // Medians 8 each; means A 25/3, B 7.
    let m = matrix(&["A", "B"], &[("J1", "9 8"), ("J2", "8 8"), ("J3", "8 5")]);
    let r = rank(
        &m,
        Method::Median,
        TieRule::new(vec![TieBreak::Mean]).unwrap(),
    );
    assert_eq!(places(&r), [("A", 1), ("B", 2)]);
    assert_eq!(
        entry(&r, "A").decided_by,
        Some(Decider::TieBreak(TieBreak::Mean))
    );
}

#[test]
fn tie_break_rank_sum_worst_and_best_score() {
    // Means A 7, B 7, C 20/3. Rank sums A 1 + 3 + 3 = 7, B 2 + 1 + 2 = 5.
    let m = matrix(
        &["A", "B", "C"],
        &[("J1", "10 7 6"), ("J2", "5 7 6"), ("J3", "6 7 8")],
    );
    let by = |step| rank(&m, Method::Mean, TieRule::new(vec![step]).unwrap());
    assert_eq!(
        places(&by(TieBreak::RankSum)),
        [("B", 1), ("A", 2), ("C", 3)]
    );
    // Worst scores A 5, B 7; best scores A 10, B 7.
    assert_eq!(
        places(&by(TieBreak::WorstScore)),
        [("B", 1), ("A", 2), ("C", 3)]
    );
    assert_eq!(
        places(&by(TieBreak::BestScore)),
        [("A", 1), ("B", 2), ("C", 3)]
    );
}

#[test]
fn ties_left_after_the_chain_stay_tied_and_are_reported() {
    let m = matrix(
        &["A", "B", "C", "D"],
        &[("J1", "9 6 8 8"), ("J2", "9 6 8 8")],
    );
    let r = rank(&m, Method::Mean, TieRule::default());
    assert_eq!(places(&r), [("A", 1), ("C", 2), ("D", 2), ("B", 4)]);
    assert_eq!(entry(&r, "C").decided_by, None);
    assert!(entry(&r, "C").flags.contains(&EntryFlag::Tied));
    assert_eq!(r.ties.len(), 1);
    assert!(r.tie_touches_top3 && !r.can_publish());
}

#[test]
fn high_spread_is_flagged_against_the_contest_scale() {
    let m = matrix(&["A", "B"], &[("J1", "5 6"), ("J2", "8 8")]);
    let one_to_ten = ScoreRange::new(ex("1"), ex("10")).unwrap();
    let options = RankOptions {
        score_range: Some(one_to_ten),
        ..RankOptions::default()
    };
    let r = rank_matrix(&m, &options);
    assert_eq!(r.high_spread_threshold, Some(ex("2.7")));
    assert!(entry(&r, "A").flags.contains(&EntryFlag::HighSpread));
    assert!(!entry(&r, "B").flags.contains(&EntryFlag::HighSpread));
    assert_eq!(entry(&r, "A").spread.as_ref().unwrap().range, ex("3"));
}

#[test]
fn entries_nobody_scored_come_last_without_a_value() {
    let mut m = matrix(&["A", "B", "C"], &[("J1", "8 - 6"), ("J2", "7 - 9")]);
    m.set("J1", "B", Cell::Recused).unwrap();
    for method in Method::ALL {
        let r = rank(&m, method, TieRule::default());
        let b = entry(&r, "B");
        assert_eq!((b.place, b.value, b.tied), (3, None, false), "{method}");
        assert!(
            b.flags.contains(&EntryFlag::Unscored) && b.flags.contains(&EntryFlag::MissingScores)
        );
    }
}

#[test]
fn all_methods_are_listed_side_by_side() {
    let r = rank(&full(), Method::Mean, TieRule::none());
    let order: Vec<_> = r.methods.iter().map(|c| c.method).collect();
    assert_eq!(order, Method::ALL);
    let rank_sum = &r.methods[3];
    assert_eq!(rank_sum.entries[0].entry, "C");
    assert_eq!(rank_sum.entries[0].value, Some(4.5));
    let median = &r.methods[1];
    assert!(median.entries[0].tied && median.entries[1].tied);
}
