use chrono::{DateTime, Utc};
use clipjury_service::judging::{
    ConfirmedPlace, ConfirmedResult, PublicResults, ResultsView, media_urls,
};
// The service's views the API sends, and the score input it reads, as they are, under these schema names.
pub use clipjury_service::judging::{
    AdminCard as AdminCardDto, EntryDetail as EntryDetailDto, EntryInfo as EntryInfoDto,
    GroupFeedback as FeedbackDto, JurorEntries as JurorEntriesDto, JurorInfo as JurorInfoDto,
    MediaUrls as MediaDto, OwnCard as OwnScoreDto, ProgressCell as ProgressCellDto,
    ProgressView as ProgressViewDto, ScoreInput as ScoreRequest,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::ranking_dto::{RankingDto, TieDecisionDto};

/// Replace the tie rule.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TieRuleRequest {
    /// Tie-breakers in order: `median`, `first_places`, `mean`, `rank_sum`, `worst_score`, `best_score`.
    pub tie_rule: Vec<String>,
}

/// A reason for the log.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReasonRequest {
    pub reason: String,
}

/// A place in a confirmed result.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlaceDto {
    /// 1–3; absent for honourable mentions.
    pub place: Option<u32>,
    pub entry_id: Uuid,
    pub title: String,
    pub group_name: String,
    pub key_message: String,
    pub media: MediaDto,
}

impl From<ConfirmedPlace> for PlaceDto {
    fn from(p: ConfirmedPlace) -> Self {
        Self {
            place: p.place,
            entry_id: p.entry_id,
            title: p.title,
            group_name: p.group_name,
            key_message: p.key_message,
            media: media_urls(p.video_id, None),
        }
    }
}

/// The frozen result.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConfirmedDto {
    pub method: String,
    pub places: Vec<PlaceDto>,
    pub honourable_mentions: Vec<PlaceDto>,
    pub confirmed_at: DateTime<Utc>,
}

impl From<ConfirmedResult> for ConfirmedDto {
    fn from(c: ConfirmedResult) -> Self {
        Self {
            method: c.method.as_str().to_owned(),
            places: c.places.into_iter().map(Into::into).collect(),
            honourable_mentions: c.honourable_mentions.into_iter().map(Into::into).collect(),
            confirmed_at: c.confirmed_at,
        }
    }
}

/// The ranking for the admin. In `ranking`, entries and jurors are named by their ids (see `entries`, `jurors`).
#[derive(Debug, Serialize, ToSchema)]
pub struct ResultsDto {
    pub status: crate::contests::ContestStatusDto,
    pub ranking: RankingDto,
    /// No tie touches places 1–3.
    pub can_publish: bool,
    /// Entries with a high spread.
    pub high_spread: Vec<Uuid>,
    /// Entries some juror recused from.
    pub recused: Vec<Uuid>,
    /// Jurors whose order goes against the others' (Spearman rho < 0).
    pub disagreeing_jurors: Vec<Uuid>,
    pub entries: Vec<EntryInfoDto>,
    pub jurors: Vec<JurorInfoDto>,
    /// Recorded tie decisions that no longer match a tie.
    pub stale_decisions: Vec<TieDecisionDto>,
    pub confirmed: Option<ConfirmedDto>,
}

fn ids<'a>(labels: impl Iterator<Item = &'a String>) -> Vec<Uuid> {
    labels.filter_map(|l| Uuid::parse_str(l).ok()).collect()
}

impl From<ResultsView> for ResultsDto {
    fn from(r: ResultsView) -> Self {
        use clipjury_domain::judging::EntryFlag;
        let flagged = |flag: EntryFlag| {
            ids(r
                .ranking
                .entries
                .iter()
                .filter(|e| e.flags.contains(&flag))
                .map(|e| &e.entry))
        };
        Self {
            status: r.status.into(),
            can_publish: r.ranking.can_publish(),
            high_spread: flagged(EntryFlag::HighSpread),
            recused: flagged(EntryFlag::Recusal),
            disagreeing_jurors: ids(r
                .ranking
                .statistics
                .jurors
                .iter()
                .filter(|j| j.disagrees)
                .map(|j| &j.juror)),
            ranking: r.ranking.into(),
            entries: r.entries,
            jurors: r.jurors,
            stale_decisions: r.stale_decisions.into_iter().map(Into::into).collect(),
            confirmed: r.confirmed.map(Into::into),
        }
    }
}

/// An admin's order for a tie, best first, with the reason.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TieDecisionRequest {
    pub order: Vec<Uuid>,
    pub reason: String,
}

/// Confirm places 1–3, optionally naming honourable mentions.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfirmRequest {
    #[serde(default)]
    pub honourable_mentions: Vec<Uuid>,
}

/// The public results of a published contest.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicResultsDto {
    pub title: String,
    pub slug: String,
    /// `en` or `km`: the language the page opens in unless the reader chose one.
    pub default_locale: String,
    pub winners: Vec<PlaceDto>,
    pub honourable_mentions: Vec<PlaceDto>,
    /// The page's address to share, built from `server.public_url`.
    pub share_url: String,
}

impl From<PublicResults> for PublicResultsDto {
    fn from(p: PublicResults) -> Self {
        Self {
            share_url: p.share_url,
            title: p.title,
            slug: p.slug,
            default_locale: p.default_locale,
            winners: p.places.into_iter().map(Into::into).collect(),
            honourable_mentions: p.honourable_mentions.into_iter().map(Into::into).collect(),
        }
    }
}
