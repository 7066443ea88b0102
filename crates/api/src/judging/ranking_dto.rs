//! The ranking as the admin's results screen reads it: the judging engine's [`Ranking`] with a schema. The JSON is
//! the engine's own, field for field (`ranking_dto_tests.rs` holds them to it, so a field added to the engine fails
//! there until it is added here). Entries and jurors are named by their ids (as strings).

use clipjury_domain::judging::{
    Agreement, Decider, EntryFlag, Exact, JurorAgreement, Method, MethodColumn, MethodPlace,
    RankedEntry, Ranking, ScoreRange, Spread, TieBreak, TieDecision, TieGroup,
};
use serde::Serialize;
use utoipa::ToSchema;

use super::exact::ExactNumber;

/// How the jurors' scores of an entry become the value entries are ordered by.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MethodDto {
    Mean,
    Median,
    Zscore,
    RankSum,
}

impl From<Method> for MethodDto {
    fn from(m: Method) -> Self {
        match m {
            Method::Mean => Self::Mean,
            Method::Median => Self::Median,
            Method::Zscore => Self::Zscore,
            Method::RankSum => Self::RankSum,
        }
    }
}

/// One step of a tie rule.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TieBreakDto {
    Median,
    FirstPlaces,
    Mean,
    RankSum,
    WorstScore,
    BestScore,
}

impl From<TieBreak> for TieBreakDto {
    fn from(t: TieBreak) -> Self {
        match t {
            TieBreak::Median => Self::Median,
            TieBreak::FirstPlaces => Self::FirstPlaces,
            TieBreak::Mean => Self::Mean,
            TieBreak::RankSum => Self::RankSum,
            TieBreak::WorstScore => Self::WorstScore,
            TieBreak::BestScore => Self::BestScore,
        }
    }
}

/// What separated an entry from entries with the same value: a tie-breaker (`{"tie_break": "median"}`) or the
/// admin's decision (`"admin"`).
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeciderDto {
    TieBreak(TieBreakDto),
    Admin,
}

impl From<Decider> for DeciderDto {
    fn from(d: Decider) -> Self {
        match d {
            Decider::TieBreak(t) => Self::TieBreak(t.into()),
            Decider::Admin => Self::Admin,
        }
    }
}

/// Something the admin should notice about an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EntryFlagDto {
    Tied,
    Recusal,
    MissingScores,
    Unscored,
    HighSpread,
    RankSumRescaled,
}

impl From<EntryFlag> for EntryFlagDto {
    fn from(f: EntryFlag) -> Self {
        match f {
            EntryFlag::Tied => Self::Tied,
            EntryFlag::Recusal => Self::Recusal,
            EntryFlag::MissingScores => Self::MissingScores,
            EntryFlag::Unscored => Self::Unscored,
            EntryFlag::HighSpread => Self::HighSpread,
            EntryFlag::RankSumRescaled => Self::RankSumRescaled,
        }
    }
}

/// How far apart the jurors' scores for one entry are.
#[derive(Debug, Serialize, ToSchema)]
pub struct SpreadDto {
    /// Highest minus lowest score.
    #[schema(value_type = ExactNumber)]
    pub range: Exact,
    /// Sample standard deviation; absent with fewer than two scores.
    pub sd: Option<f64>,
    /// `range` is at least the ranking's `high_spread_threshold`.
    pub high: bool,
}

impl From<Spread> for SpreadDto {
    fn from(s: Spread) -> Self {
        Self {
            range: s.range,
            sd: s.sd,
            high: s.high,
        }
    }
}

/// One entry's line in the ranking.
#[derive(Debug, Serialize, ToSchema)]
pub struct RankedEntryDto {
    /// The entry's id.
    pub entry: String,
    /// Competition place: 1, 2, 2, 4 …
    pub place: u32,
    /// The method's value (for rank_sum the rescaled rank sum); absent when nobody scored the entry.
    pub value: Option<f64>,
    /// The same value exactly; absent for zscore, which needs square roots.
    #[schema(value_type = Option<ExactNumber>)]
    pub exact_value: Option<Exact>,
    /// Still shares its place after the tie rule and the admin's decisions.
    pub tied: bool,
    /// Had the same value as another entry before tie-breaking.
    pub tied_on_value: bool,
    pub decided_by: Option<DeciderDto>,
    pub jurors_scored: usize,
    pub jurors_recused: usize,
    /// Jurors with neither a score nor a recusal for it.
    pub jurors_missing: usize,
    /// Jurors who gave it their best score (shared or not).
    pub first_places: usize,
    #[schema(value_type = Option<ExactNumber>)]
    pub mean: Option<Exact>,
    #[schema(value_type = Option<ExactNumber>)]
    pub median: Option<Exact>,
    pub spread: Option<SpreadDto>,
    pub flags: Vec<EntryFlagDto>,
}

impl From<RankedEntry> for RankedEntryDto {
    fn from(e: RankedEntry) -> Self {
        Self {
            entry: e.entry,
            place: e.place,
            value: e.value,
            exact_value: e.exact_value,
            tied: e.tied,
            tied_on_value: e.tied_on_value,
            decided_by: e.decided_by.map(Into::into),
            jurors_scored: e.jurors_scored,
            jurors_recused: e.jurors_recused,
            jurors_missing: e.jurors_missing,
            first_places: e.first_places,
            mean: e.mean,
            median: e.median,
            spread: e.spread.map(Into::into),
            flags: e.flags.into_iter().map(Into::into).collect(),
        }
    }
}

/// An entry's value and place under one method (tie rule applied, no admin decisions).
#[derive(Debug, Serialize, ToSchema)]
pub struct MethodPlaceDto {
    pub entry: String,
    pub value: Option<f64>,
    pub place: u32,
    pub tied: bool,
}

/// One method's places, for comparing methods side by side.
#[derive(Debug, Serialize, ToSchema)]
pub struct MethodColumnDto {
    pub method: MethodDto,
    pub entries: Vec<MethodPlaceDto>,
}

impl From<MethodColumn> for MethodColumnDto {
    fn from(c: MethodColumn) -> Self {
        let place = |p: MethodPlace| MethodPlaceDto {
            entry: p.entry,
            value: p.value,
            place: p.place,
            tied: p.tied,
        };
        Self {
            method: c.method.into(),
            entries: c.entries.into_iter().map(place).collect(),
        }
    }
}

/// Entries still sharing a place after the tie rule.
#[derive(Debug, Serialize, ToSchema)]
pub struct TieGroupDto {
    pub place: u32,
    pub entries: Vec<String>,
    /// The shared place is 1, 2 or 3: publishing waits for the admin's decision.
    pub touches_top3: bool,
}

impl From<TieGroup> for TieGroupDto {
    fn from(t: TieGroup) -> Self {
        Self {
            place: t.place,
            entries: t.entries,
            touches_top3: t.touches_top3,
        }
    }
}

/// The admin's order for a tie, best first, with the reason.
#[derive(Debug, Serialize, ToSchema)]
pub struct TieDecisionDto {
    pub order: Vec<String>,
    pub reason: String,
}

impl From<TieDecision> for TieDecisionDto {
    fn from(d: TieDecision) -> Self {
        Self {
            order: d.order,
            reason: d.reason,
        }
    }
}

/// The lowest and highest overall score a juror can give.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScoreRangeDto {
    #[schema(value_type = ExactNumber)]
    pub min: Exact,
    #[schema(value_type = ExactNumber)]
    pub max: Exact,
}

impl From<ScoreRange> for ScoreRangeDto {
    fn from(r: ScoreRange) -> Self {
        Self {
            min: r.min().clone(),
            max: r.max().clone(),
        }
    }
}

/// The jurors and entries the agreement statistics were computed over (they need complete rankings).
#[derive(Debug, Serialize, ToSchema)]
pub struct AgreementBasisDto {
    pub jurors: Vec<String>,
    pub entries: Vec<String>,
    pub excluded_jurors: Vec<String>,
    pub excluded_entries: Vec<String>,
}

/// One juror's agreement with the rest of the jury.
#[derive(Debug, Serialize, ToSchema)]
pub struct JurorAgreementDto {
    pub juror: String,
    /// Spearman's ρ between the juror's ranks and the ranks of the others' rank sums; absent outside the basis.
    pub spearman_rho: Option<f64>,
    /// ρ < 0: the juror tends to order the entries the opposite way from the others.
    pub disagrees: bool,
    pub entries_scored: usize,
}

/// How much the jurors agree; an absent value is undefined for this data.
#[derive(Debug, Serialize, ToSchema)]
pub struct AgreementDto {
    /// Kendall's W without tie correction.
    pub kendall_w: Option<f64>,
    pub kendall_w_tie_corrected: Option<f64>,
    /// Friedman's χ² (from the tie-corrected W).
    pub chi2: Option<f64>,
    pub df: Option<u32>,
    pub p_value: Option<f64>,
    pub basis: AgreementBasisDto,
    pub jurors: Vec<JurorAgreementDto>,
}

impl From<Agreement> for AgreementDto {
    fn from(a: Agreement) -> Self {
        let juror = |j: JurorAgreement| JurorAgreementDto {
            juror: j.juror,
            spearman_rho: j.spearman_rho,
            disagrees: j.disagrees,
            entries_scored: j.entries_scored,
        };
        Self {
            kendall_w: a.kendall_w,
            kendall_w_tie_corrected: a.kendall_w_tie_corrected,
            chi2: a.chi2,
            df: a.df,
            p_value: a.p_value,
            basis: AgreementBasisDto {
                jurors: a.basis.jurors,
                entries: a.basis.entries,
                excluded_jurors: a.basis.excluded_jurors,
                excluded_entries: a.basis.excluded_entries,
            },
            jurors: a.jurors.into_iter().map(juror).collect(),
        }
    }
}

/// A contest's ranking: places, values, flags, every method side by side, and the jury's agreement.
#[derive(Debug, Serialize, ToSchema)]
pub struct RankingDto {
    /// The method that decided places.
    pub method: MethodDto,
    pub lower_is_better: bool,
    /// The tie-breakers applied, in order.
    pub tie_rule: Vec<TieBreakDto>,
    pub jurors: Vec<String>,
    /// Entries in place order.
    pub entries: Vec<RankedEntryDto>,
    /// Ties left after the tie rule and the admin's decisions, best place first.
    pub ties: Vec<TieGroupDto>,
    /// A remaining tie shares place 1, 2 or 3: the top 3 cannot be published yet.
    pub tie_touches_top3: bool,
    /// Some juror recused from some entry.
    pub recusals: bool,
    /// Rank sums were put on the common scale for jurors who did not score every entry.
    pub rank_sum_rescaled: bool,
    pub score_range: Option<ScoreRangeDto>,
    /// Spreads at or above this are flagged high.
    #[schema(value_type = Option<ExactNumber>)]
    pub high_spread_threshold: Option<Exact>,
    /// The admin's decisions applied, in order.
    pub admin_decisions: Vec<TieDecisionDto>,
    /// Every method's places, for comparison.
    pub methods: Vec<MethodColumnDto>,
    pub statistics: AgreementDto,
}

impl From<Ranking> for RankingDto {
    fn from(r: Ranking) -> Self {
        Self {
            method: r.method.into(),
            lower_is_better: r.lower_is_better,
            tie_rule: r.tie_rule.steps().iter().copied().map(Into::into).collect(),
            jurors: r.jurors,
            entries: r.entries.into_iter().map(Into::into).collect(),
            ties: r.ties.into_iter().map(Into::into).collect(),
            tie_touches_top3: r.tie_touches_top3,
            recusals: r.recusals,
            rank_sum_rescaled: r.rank_sum_rescaled,
            score_range: r.score_range.map(Into::into),
            high_spread_threshold: r.high_spread_threshold,
            admin_decisions: r.admin_decisions.into_iter().map(Into::into).collect(),
            methods: r.methods.into_iter().map(Into::into).collect(),
            statistics: r.statistics.into(),
        }
    }
}
