//! The ranking of a contest: places, values, flags, all methods side by side, statistics.

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::ToPrimitive;
use serde::{Deserialize, Serialize};

use super::agreement::{Agreement, agreement};
use super::places::{Merit, Placement, place_entries};
use super::stats::{EntryStats, HIGH_SPREAD_FRACTION, Spread, entry_stats, orient};
use super::{Exact, Method, ScoreMatrix, ScoreRange, TieBreak, TieDecision, TieRule};

/// How to rank a score matrix.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RankOptions {
    /// The method that decides places.
    pub method: Method,
    /// Smaller scores are better (the input already holds ranks or "votes against"): mean,
    /// median and z-score then favour small values, and each juror's rank 1 goes to their
    /// smallest score.
    pub lower_is_better: bool,
    /// Tie-breakers tried on entries sharing a place.
    pub tie_rule: TieRule,
    /// Possible scores, for the high-spread flag; `None` uses the lowest and highest score
    /// found in the matrix.
    pub score_range: Option<ScoreRange>,
}

/// What settled an entry's place among entries with the same value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decider {
    /// A tie-breaker of the contest's tie rule.
    TieBreak(TieBreak),
    /// An admin decision (see [`Ranking::apply_decision`]).
    Admin,
}

/// Something the admin should notice about an entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryFlag {
    /// Still shares its place after the tie rule: needs an admin decision.
    Tied,
    /// At least one juror recused; the entry is compared over the jurors who scored it.
    Recusal,
    /// At least one juror has no score for it (neither scored nor recused).
    MissingScores,
    /// Nobody scored it: it has no value and comes last.
    Unscored,
    /// The jurors' scores are far apart (see [`HIGH_SPREAD_FRACTION`]).
    HighSpread,
    /// Its rank sum was rescaled to the full jury (rank_sum method with recusal or missing).
    RankSumRescaled,
}

/// One entry's line in the ranking.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RankedEntry {
    /// The entry's label.
    pub entry: String,
    /// Competition place: 1, 2, 2, 4 …
    pub place: u32,
    /// The method's value (for rank_sum the rescaled rank sum); `None` when nobody scored it.
    pub value: Option<f64>,
    /// The same value exactly; `None` for zscore, which needs square roots.
    pub exact_value: Option<Exact>,
    /// Still shares its place after the tie rule and admin decisions.
    pub tied: bool,
    /// Had the same value as another entry before tie-breaking.
    pub tied_on_value: bool,
    /// What separated it from entries with the same value.
    pub decided_by: Option<Decider>,
    /// Jurors who scored it.
    pub jurors_scored: usize,
    /// Jurors who recused from it.
    pub jurors_recused: usize,
    /// Jurors without a score for it.
    pub jurors_missing: usize,
    /// Jurors whose best score it got (shared or not).
    pub first_places: usize,
    /// Mean of its scores.
    pub mean: Option<Exact>,
    /// Median of its scores.
    pub median: Option<Exact>,
    /// How far apart its scores are.
    pub spread: Option<Spread>,
    /// Things to notice.
    pub flags: Vec<EntryFlag>,
}

/// One method's result, for comparing methods side by side.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MethodColumn {
    /// The method.
    pub method: Method,
    /// Entries in that method's place order.
    pub entries: Vec<MethodPlace>,
}

/// An entry's value and place under one method (tie rule applied, no admin decisions).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MethodPlace {
    /// The entry's label.
    pub entry: String,
    /// The method's value.
    pub value: Option<f64>,
    /// Competition place.
    pub place: u32,
    /// Shares its place after the tie rule.
    pub tied: bool,
}

/// Entries still sharing a place after the tie rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TieGroup {
    /// The shared place.
    pub place: u32,
    /// The tied entries.
    pub entries: Vec<String>,
    /// The shared place is 1, 2 or 3: publishing must wait for an admin decision.
    pub touches_top3: bool,
}

/// The full result of ranking a score matrix.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ranking {
    /// The method that decided places.
    pub method: Method,
    /// Whether smaller scores were better.
    pub lower_is_better: bool,
    /// The tie-breakers applied.
    pub tie_rule: TieRule,
    /// Juror labels in input order.
    pub jurors: Vec<String>,
    /// Entries in place order.
    pub entries: Vec<RankedEntry>,
    /// Ties left after the tie rule and admin decisions, best place first.
    pub ties: Vec<TieGroup>,
    /// A remaining tie shares place 1, 2 or 3: the top 3 must not be published yet.
    pub tie_touches_top3: bool,
    /// Some juror recused from some entry.
    pub recusals: bool,
    /// Rank sums were rescaled for absent jurors (rank_sum method only): some juror scored
    /// fewer than all entries, so their ranks were put on the common scale and some entry's
    /// sum was scaled up to the whole jury.
    pub rank_sum_rescaled: bool,
    /// The score range used for the high-spread flag; `None` when none is known.
    pub score_range: Option<ScoreRange>,
    /// Spreads at or above this are flagged high; `None` when no score range is known.
    pub high_spread_threshold: Option<Exact>,
    /// Admin decisions applied, in order.
    pub admin_decisions: Vec<TieDecision>,
    /// Every method's places, for comparison.
    pub methods: Vec<MethodColumn>,
    /// How much the jurors agree.
    pub statistics: Agreement,
}

impl Ranking {
    /// Whether the top 3 may be published: no remaining tie shares place 1, 2 or 3.
    #[must_use]
    pub fn can_publish(&self) -> bool {
        !self.tie_touches_top3
    }
}

/// Ranks every entry of `matrix` with `options`. Never fails: entries nobody scored come last
/// without a value, and statistics that the data cannot support are `None`.
#[must_use]
pub fn rank_matrix(matrix: &ScoreMatrix, options: &RankOptions) -> Ranking {
    let goods = orient(matrix, options.lower_is_better);
    let range = options
        .score_range
        .clone()
        .or_else(|| matrix.observed_range());
    let stats = entry_stats(matrix, &goods, range.as_ref());
    let sign = if options.lower_is_better { -1 } else { 1 };
    let chain = options.tie_rule.steps();
    let placements: Vec<(Method, Placement)> = Method::ALL
        .into_iter()
        .map(|m| (m, place_by(m, &stats, chain)))
        .collect();
    let methods = placements
        .iter()
        .map(|(method, p)| MethodColumn {
            method: *method,
            entries: in_place_order(p)
                .map(|e| MethodPlace {
                    entry: matrix.entries()[e].clone(),
                    value: reported(*method, &stats[e], sign).map(|v| v.1),
                    place: p.place[e],
                    tied: p.tied[e],
                })
                .collect(),
        })
        .collect();
    let chosen = placements
        .into_iter()
        .find(|(m, _)| *m == options.method)
        .map(|(_, p)| p)
        .unwrap_or_else(|| place_by(options.method, &stats, chain));
    let rescaled = |s: &EntryStats| {
        options.method == Method::RankSum && s.scored > 0 && s.scored < goods.len()
    };
    let entries: Vec<RankedEntry> = in_place_order(&chosen)
        .map(|e| {
            let s = &stats[e];
            let value = reported(options.method, s, sign);
            let flags = [
                (chosen.tied[e], EntryFlag::Tied),
                (s.recused > 0, EntryFlag::Recusal),
                (s.missing > 0, EntryFlag::MissingScores),
                (s.scored == 0, EntryFlag::Unscored),
                (
                    s.spread.as_ref().is_some_and(|sp| sp.high),
                    EntryFlag::HighSpread,
                ),
                (rescaled(s), EntryFlag::RankSumRescaled),
            ];
            RankedEntry {
                entry: matrix.entries()[e].clone(),
                place: chosen.place[e],
                value: value.as_ref().map(|v| v.1),
                exact_value: value.and_then(|v| v.0),
                tied: chosen.tied[e],
                tied_on_value: chosen.tied_on_value[e],
                decided_by: chosen.decided_by[e].map(Decider::TieBreak),
                jurors_scored: s.scored,
                jurors_recused: s.recused,
                jurors_missing: s.missing,
                first_places: s.first_places,
                mean: s.mean.as_ref().map(|m| unorient(m, sign)),
                median: s.median.as_ref().map(|m| unorient(m, sign)),
                spread: s.spread.clone(),
                flags: flags
                    .into_iter()
                    .filter(|(on, _)| *on)
                    .map(|(_, f)| f)
                    .collect(),
            }
        })
        .collect();
    let mut ranking = Ranking {
        method: options.method,
        lower_is_better: options.lower_is_better,
        tie_rule: options.tie_rule.clone(),
        jurors: matrix.jurors().to_vec(),
        ties: Vec::new(),
        tie_touches_top3: false,
        recusals: stats.iter().any(|s| s.recused > 0),
        rank_sum_rescaled: stats.iter().any(rescaled),
        high_spread_threshold: range.as_ref().map(|r| {
            let (num, den) = HIGH_SPREAD_FRACTION;
            let width = r.max().rational() - r.min().rational();
            Exact::from_rational(width * BigRational::new(num.into(), den.into()))
        }),
        score_range: range,
        admin_decisions: Vec::new(),
        methods,
        statistics: agreement(matrix, &goods),
        entries,
    };
    ranking.refresh_ties();
    ranking
}

impl Ranking {
    /// Recomputes `ties` and `tie_touches_top3` from the entries' `tied` flags and places.
    pub(crate) fn refresh_ties(&mut self) {
        let mut ties: Vec<TieGroup> = Vec::new();
        for entry in self.entries.iter().filter(|e| e.tied) {
            match ties.last_mut() {
                Some(group) if group.place == entry.place => {
                    group.entries.push(entry.entry.clone())
                }
                _ => ties.push(TieGroup {
                    place: entry.place,
                    entries: vec![entry.entry.clone()],
                    touches_top3: entry.place <= 3,
                }),
            }
        }
        self.tie_touches_top3 = ties.iter().any(|t| t.touches_top3);
        self.ties = ties;
    }
}

fn in_place_order(p: &Placement) -> impl Iterator<Item = usize> + '_ {
    p.groups.iter().flatten().copied()
}

fn place_by(method: Method, stats: &[EntryStats], chain: &[TieBreak]) -> Placement {
    let exact = |v: &Option<BigRational>| v.clone().map(Merit::Exact);
    let primary: Vec<Option<Merit>> = stats
        .iter()
        .map(|s| match method {
            Method::Mean => exact(&s.mean),
            Method::Median => exact(&s.median),
            Method::Zscore => s.zscore.clone().map(Merit::ZScore),
            Method::RankSum => exact(&s.rank_sum.as_ref().map(|r| -r)),
        })
        .collect();
    let key = |step: TieBreak, e: usize| -> Option<Merit> {
        let s = &stats[e];
        match step {
            TieBreak::Median => exact(&s.median),
            TieBreak::FirstPlaces => (s.scored > 0)
                .then(|| Merit::Exact(BigRational::from_integer(BigInt::from(s.first_places)))),
            TieBreak::Mean => exact(&s.mean),
            TieBreak::RankSum => exact(&s.rank_sum.as_ref().map(|r| -r)),
            TieBreak::WorstScore => exact(&s.worst),
            TieBreak::BestScore => exact(&s.best),
        }
    };
    place_entries(&primary, chain, &key)
}

fn unorient(value: &BigRational, sign: i64) -> Exact {
    Exact::from_rational(value * BigInt::from(sign))
}

/// The method's value in the input's own direction: (exact when possible, as f64).
fn reported(method: Method, s: &EntryStats, sign: i64) -> Option<(Option<Exact>, f64)> {
    let exact = |v: &Option<BigRational>, sign: i64| {
        v.as_ref().map(|v| {
            let value = unorient(v, sign);
            let float = value.rational().to_f64().unwrap_or(f64::NAN);
            (Some(value), float)
        })
    };
    match method {
        Method::Mean => exact(&s.mean, sign),
        Method::Median => exact(&s.median, sign),
        // `+ 0.0` turns a negated zero into a plain 0 for display.
        Method::Zscore => s
            .zscore
            .as_ref()
            .map(|z| (None, z.value * sign as f64 + 0.0)),
        Method::RankSum => exact(&s.rank_sum, 1),
    }
}

#[cfg(test)]
#[path = "ranking_tests.rs"]
mod tests;
