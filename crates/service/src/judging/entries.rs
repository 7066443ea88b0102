use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use clipjury_db::repo;
use clipjury_db::repo::scores::ScoreRow;
use clipjury_domain::judging::{Exact, Rubric, ScoreStatus};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::access::{Entry, find_entry, juror_contest, require_judging_started};
use super::scoring::stored_scores;
use crate::api_schema::ExactNumber;
use crate::auth::JurorSession;
use crate::media_files::{MediaUrls, media_urls};
use crate::{ServiceError, Services};

// The API sends `EntryProgress`, `OwnCard` and `EntryDetail` as they are, under the schema names its DTOs had.

/// A juror's progress on one entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = ProgressDto)]
pub enum EntryProgress {
    NotStarted,
    Draft,
    Final,
    Recused,
}

impl EntryProgress {
    /// The wire name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotStarted => "not_started",
            Self::Draft => "draft",
            Self::Final => "final",
            Self::Recused => "recused",
        }
    }

    pub(crate) fn from_status(status: ScoreStatus) -> Self {
        match status {
            ScoreStatus::Final => Self::Final,
            ScoreStatus::Recused => Self::Recused,
            ScoreStatus::Draft => Self::Draft,
        }
    }

    pub(crate) fn of(card: Option<&ScoreRow>) -> Self {
        card.map_or(Self::NotStarted, |c| Self::from_status(c.status))
    }
}

/// The calling juror's own score card for an entry.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = OwnScoreDto)]
pub struct OwnCard {
    pub progress: EntryProgress,
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

impl OwnCard {
    fn empty() -> Self {
        Self {
            progress: EntryProgress::NotStarted,
            scores: BTreeMap::new(),
            private_comment: String::new(),
            feedback: String::new(),
            recusal_reason: None,
            version: 0,
            submitted_at: None,
        }
    }
}

impl TryFrom<ScoreRow> for OwnCard {
    type Error = ServiceError;

    fn try_from(r: ScoreRow) -> Result<Self, ServiceError> {
        Ok(Self {
            progress: EntryProgress::from_status(r.status),
            scores: stored_scores(&r.scores)?,
            private_comment: r.private_comment,
            feedback: r.feedback,
            recusal_reason: r.recusal_reason,
            version: r.version,
            submitted_at: r.submitted_at,
        })
    }
}

/// One entry in a juror's list.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = JurorEntryDto)]
pub struct JurorEntry {
    pub entry_id: Uuid,
    /// Stable position; anonymised contests call the entry "Entry {number}".
    pub number: usize,
    /// "Entry N" when anonymised, else the group's name.
    pub label: String,
    pub title: String,
    /// Absent when the contest is anonymised.
    pub group_name: Option<String>,
    pub media: MediaUrls,
    pub progress: EntryProgress,
}

/// The calling juror's entries and progress (e.g. 4 of 6 final).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = JurorEntriesDto)]
pub struct JurorEntries {
    pub anonymised: bool,
    pub entries: Vec<JurorEntry>,
    pub total: usize,
    pub final_count: usize,
    pub draft_count: usize,
    pub recused_count: usize,
    pub not_started_count: usize,
}

/// The entries of the juror's contest with the juror's own progress on each.
///
/// # Errors
/// `contest-not-found` (404), `judging-not-open` (409).
#[tracing::instrument(skip_all, fields(contest_id = %contest_id))]
pub async fn list_entries(
    services: &Services,
    session: &JurorSession,
    contest_id: Uuid,
) -> Result<JurorEntries, ServiceError> {
    let (contest, juror_id) = juror_contest(&services.db, session, contest_id).await?;
    require_judging_started(&contest)?;
    let entries = super::access::load_entries(&services.db, contest_id).await?;
    let cards = repo::scores::list_for_juror(&services.db, contest_id, juror_id).await?;
    let list: Vec<JurorEntry> = entries
        .iter()
        .map(|e| JurorEntry {
            entry_id: e.submission.id,
            number: e.number,
            label: e.label(contest.anonymised),
            title: e.submission.title.clone(),
            group_name: (!contest.anonymised).then(|| e.group_name.clone()),
            media: media_urls(e.video_id, Some(&e.files)),
            progress: EntryProgress::of(cards.iter().find(|c| c.submission_id == e.submission.id)),
        })
        .collect();
    let count = |p: EntryProgress| list.iter().filter(|e| e.progress == p).count();
    Ok(JurorEntries {
        anonymised: contest.anonymised,
        total: list.len(),
        final_count: count(EntryProgress::Final),
        draft_count: count(EntryProgress::Draft),
        recused_count: count(EntryProgress::Recused),
        not_started_count: count(EntryProgress::NotStarted),
        entries: list,
    })
}

/// One entry as a juror sees it.
// With the juror's own card (`my_score`).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = EntryDetailDto)]
pub struct EntryDetail {
    pub entry_id: Uuid,
    pub number: usize,
    pub label: String,
    pub group_name: Option<String>,
    pub title: String,
    pub description: String,
    pub key_message: String,
    pub purpose: String,
    pub audience: String,
    pub media: MediaUrls,
    #[schema(schema_with = crate::api_schema::rubric)]
    pub rubric: Rubric,
    #[serde(rename = "my_score")]
    pub card: OwnCard,
}

fn detail(entry: Entry, anonymised: bool, rubric: Rubric, card: OwnCard) -> EntryDetail {
    EntryDetail {
        entry_id: entry.submission.id,
        number: entry.number,
        label: entry.label(anonymised),
        group_name: (!anonymised).then(|| entry.group_name.clone()),
        title: entry.submission.title,
        description: entry.submission.description,
        key_message: entry.submission.key_message,
        purpose: entry.submission.purpose,
        audience: entry.submission.audience,
        media: media_urls(entry.video_id, Some(&entry.files)),
        rubric,
        card,
    }
}

/// One entry with the calling juror's own card (never anyone else's).
///
/// # Errors
/// `contest-not-found`, `entry-not-found` (404), `judging-not-open` (409).
#[tracing::instrument(skip_all, fields(contest_id = %contest_id, entry_id = %entry_id))]
pub async fn entry_detail(
    services: &Services,
    session: &JurorSession,
    contest_id: Uuid,
    entry_id: Uuid,
) -> Result<EntryDetail, ServiceError> {
    let (contest, juror_id) = juror_contest(&services.db, session, contest_id).await?;
    require_judging_started(&contest)?;
    let entry = find_entry(&services.db, contest_id, entry_id).await?;
    let card = repo::scores::find(&services.db, entry_id, juror_id)
        .await?
        .map_or_else(|| Ok(OwnCard::empty()), OwnCard::try_from)?;
    Ok(detail(entry, contest.anonymised, contest.rubric, card))
}
