use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use clipjury_domain::judging::Exact;
use clipjury_service::judging::{
    ConfirmedPlace, ConfirmedResult, EntryDetail, EntryInfo, EntryProgress, GroupFeedback,
    JurorEntries, JurorEntry, JurorInfo, OwnCard, ProgressView, PublicResults, ResultsView,
    media_urls,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::exact::ExactNumber;
use super::ranking_dto::{RankingDto, TieDecisionDto};
use super::rubric_dto::RubricDto;

/// Replace the tie rule.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TieRuleRequest {
    /// Tie-breakers in order: `median`, `first_places`, `mean`, `rank_sum`, `worst_score`, `best_score`.
    pub tie_rule: Vec<String>,
}

/// A juror's progress on one entry.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProgressDto {
    NotStarted,
    Draft,
    Final,
    Recused,
}

impl From<EntryProgress> for ProgressDto {
    fn from(p: EntryProgress) -> Self {
        match p {
            EntryProgress::NotStarted => Self::NotStarted,
            EntryProgress::Draft => Self::Draft,
            EntryProgress::Final => Self::Final,
            EntryProgress::Recused => Self::Recused,
        }
    }
}

/// Where to fetch an entry's video and poster. A video plays as soon as one rendition is stored: players take
/// the first of these that is present (the others follow while it is processed).
#[derive(Debug, Serialize, ToSchema)]
pub struct MediaDto {
    pub video_id: Uuid,
    /// 720p rendition, once stored.
    pub video_720p_url: Option<String>,
    /// 360p rendition (data saver), once stored.
    pub video_360p_url: Option<String>,
    /// The stream-copied original: the first playable rendition of an H.264/AAC upload.
    pub video_original_url: Option<String>,
    pub poster_url: String,
}

impl MediaDto {
    /// `files`: the stored files; `None` for a complete video.
    fn of(video_id: Uuid, files: Option<&[String]>) -> Self {
        let urls = media_urls(video_id, files);
        Self {
            video_id,
            video_720p_url: urls.video_720p_url,
            video_360p_url: urls.video_360p_url,
            video_original_url: urls.video_original_url,
            poster_url: urls.poster_url,
        }
    }
}

/// One entry in a juror's list.
#[derive(Debug, Serialize, ToSchema)]
pub struct JurorEntryDto {
    pub entry_id: Uuid,
    /// Stable position; anonymised contests call the entry "Entry {number}".
    pub number: usize,
    /// "Entry N" when anonymised, else the group's name.
    pub label: String,
    pub title: String,
    /// Absent when the contest is anonymised.
    pub group_name: Option<String>,
    pub media: MediaDto,
    pub progress: ProgressDto,
}

impl From<JurorEntry> for JurorEntryDto {
    fn from(e: JurorEntry) -> Self {
        Self {
            entry_id: e.entry_id,
            number: e.number,
            label: e.label,
            title: e.title,
            group_name: e.group_name,
            media: MediaDto::of(e.video_id, Some(&e.files)),
            progress: e.progress.into(),
        }
    }
}

/// The calling juror's entries and progress (e.g. 4 of 6 final).
#[derive(Debug, Serialize, ToSchema)]
pub struct JurorEntriesDto {
    pub anonymised: bool,
    pub entries: Vec<JurorEntryDto>,
    pub total: usize,
    pub final_count: usize,
    pub draft_count: usize,
    pub recused_count: usize,
    pub not_started_count: usize,
}

impl From<JurorEntries> for JurorEntriesDto {
    fn from(e: JurorEntries) -> Self {
        Self {
            anonymised: e.anonymised,
            entries: e.entries.into_iter().map(Into::into).collect(),
            total: e.total,
            final_count: e.final_count,
            draft_count: e.draft_count,
            recused_count: e.recused_count,
            not_started_count: e.not_started_count,
        }
    }
}

/// The calling juror's own score card for an entry.
#[derive(Debug, Serialize, ToSchema)]
pub struct OwnScoreDto {
    pub progress: ProgressDto,
    /// Criterion key → score.
    #[schema(value_type = BTreeMap<String, ExactNumber>)]
    pub scores: BTreeMap<String, Exact>,
    pub private_comment: String,
    pub feedback: String,
    pub recusal_reason: Option<String>,
    /// Send it back with the next save; 0 before the first save.
    pub version: i32,
    pub submitted_at: Option<DateTime<Utc>>,
}

impl From<OwnCard> for OwnScoreDto {
    fn from(c: OwnCard) -> Self {
        Self {
            progress: c.progress.into(),
            scores: c.scores,
            private_comment: c.private_comment,
            feedback: c.feedback,
            recusal_reason: c.recusal_reason,
            version: c.version,
            submitted_at: c.submitted_at,
        }
    }
}

/// One entry as a juror sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct EntryDetailDto {
    pub entry_id: Uuid,
    pub number: usize,
    pub label: String,
    pub group_name: Option<String>,
    pub title: String,
    pub description: String,
    pub key_message: String,
    pub purpose: String,
    pub audience: String,
    pub media: MediaDto,
    pub rubric: RubricDto,
    pub my_score: OwnScoreDto,
}

impl From<EntryDetail> for EntryDetailDto {
    fn from(d: EntryDetail) -> Self {
        Self {
            entry_id: d.entry_id,
            number: d.number,
            label: d.label,
            group_name: d.group_name,
            title: d.title,
            description: d.description,
            key_message: d.key_message,
            purpose: d.purpose,
            audience: d.audience,
            media: MediaDto::of(d.video_id, Some(&d.files)),
            rubric: (&d.rubric).into(),
            my_score: d.card.into(),
        }
    }
}

/// A juror's draft. Scores are on each criterion's scale; criteria left out are not scored yet.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScoreRequest {
    #[serde(default)]
    #[schema(value_type = BTreeMap<String, ExactNumber>)]
    pub scores: BTreeMap<String, Exact>,
    /// For the contest's admins only.
    #[serde(default)]
    pub private_comment: String,
    /// For the group, shown after publishing without your name.
    #[serde(default)]
    pub feedback: String,
    /// The version you last read (0 before the first save).
    pub version: i32,
}

/// A reason for the log.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReasonRequest {
    pub reason: String,
}

/// A juror, for the admin.
#[derive(Debug, Serialize, ToSchema)]
pub struct JurorInfoDto {
    pub juror_id: Uuid,
    pub name: String,
}

impl From<JurorInfo> for JurorInfoDto {
    fn from(j: JurorInfo) -> Self {
        Self {
            juror_id: j.juror_id,
            name: j.name,
        }
    }
}

/// An entry, for the admin.
#[derive(Debug, Serialize, ToSchema)]
pub struct EntryInfoDto {
    pub entry_id: Uuid,
    pub number: usize,
    pub title: String,
    pub group_name: String,
    pub media: MediaDto,
}

impl From<EntryInfo> for EntryInfoDto {
    fn from(e: EntryInfo) -> Self {
        Self {
            entry_id: e.entry_id,
            number: e.number,
            title: e.title,
            group_name: e.group_name,
            media: MediaDto::of(e.video_id, Some(&e.files)),
        }
    }
}

/// One juror × entry status.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProgressCellDto {
    pub juror_id: Uuid,
    pub entry_id: Uuid,
    pub progress: ProgressDto,
}

/// Judging progress per juror × entry.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProgressViewDto {
    pub jurors: Vec<JurorInfoDto>,
    pub entries: Vec<EntryInfoDto>,
    pub cells: Vec<ProgressCellDto>,
}

impl From<ProgressView> for ProgressViewDto {
    fn from(p: ProgressView) -> Self {
        Self {
            jurors: p.jurors.into_iter().map(Into::into).collect(),
            entries: p.entries.into_iter().map(Into::into).collect(),
            cells: p
                .cells
                .into_iter()
                .map(|c| ProgressCellDto {
                    juror_id: c.juror_id,
                    entry_id: c.entry_id,
                    progress: c.progress.into(),
                })
                .collect(),
        }
    }
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
            media: MediaDto::of(p.video_id, None),
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
            entries: r.entries.into_iter().map(Into::into).collect(),
            jurors: r.jurors.into_iter().map(Into::into).collect(),
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

/// A group's result and the jurors' feedback (no names, no private comments).
#[derive(Debug, Serialize, ToSchema)]
pub struct FeedbackDto {
    pub place: Option<u32>,
    pub honourable_mention: bool,
    pub feedback: Vec<String>,
}

impl From<GroupFeedback> for FeedbackDto {
    fn from(f: GroupFeedback) -> Self {
        Self {
            place: f.place,
            honourable_mention: f.honourable_mention,
            feedback: f.feedback,
        }
    }
}

/// One juror's card for one entry, for the admin.
#[derive(Debug, Serialize, ToSchema)]
pub struct AdminCardDto {
    pub juror_id: Uuid,
    pub entry_id: Uuid,
    pub progress: ProgressDto,
    /// Criterion key → score.
    #[schema(value_type = BTreeMap<String, ExactNumber>)]
    pub scores: BTreeMap<String, Exact>,
    /// Weighted score of a final card.
    #[schema(value_type = Option<ExactNumber>)]
    pub total: Option<Exact>,
    pub private_comment: String,
    pub feedback: String,
    pub recusal_reason: Option<String>,
    pub version: i32,
    pub submitted_at: Option<DateTime<Utc>>,
}

impl From<clipjury_service::judging::AdminCard> for AdminCardDto {
    fn from(c: clipjury_service::judging::AdminCard) -> Self {
        Self {
            juror_id: c.juror_id,
            entry_id: c.entry_id,
            progress: c.progress.into(),
            scores: c.scores,
            total: c.total,
            private_comment: c.private_comment,
            feedback: c.feedback,
            recusal_reason: c.recusal_reason,
            version: c.version,
            submitted_at: c.submitted_at,
        }
    }
}
