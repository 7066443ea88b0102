//! What the admin watches while judging runs: who has scored what, and every card in full.

use chrono::{DateTime, Utc};
use clipjury_db::repo;
use clipjury_domain::judging::ScoreStatus;
use clipjury_domain::participant::Role;
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;
use uuid::Uuid;

use clipjury_domain::judging::Exact;

use super::access::{Entry, load_entries};
use super::entries::EntryProgress;
use super::scoring::{parse_card, stored_scores};
use crate::api_schema::ExactNumber;
use crate::auth::AdminSession;
use crate::contests::{ContestView, owned_contest};
use crate::media_files::{MediaUrls, media_urls};
use crate::{ServiceError, Services};

// The API sends these views as they are, under the schema names its DTOs had.

/// A juror, for the admin.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = JurorInfoDto)]
pub struct JurorInfo {
    pub juror_id: Uuid,
    pub name: String,
}

/// An entry, for the admin.
// Group names always shown.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = EntryInfoDto)]
pub struct EntryInfo {
    pub entry_id: Uuid,
    pub number: usize,
    pub title: String,
    pub group_name: String,
    pub media: MediaUrls,
}

impl From<&Entry> for EntryInfo {
    fn from(e: &Entry) -> Self {
        Self {
            entry_id: e.submission.id,
            number: e.number,
            title: e.submission.title.clone(),
            group_name: e.group_name.clone(),
            media: media_urls(e.video_id, Some(&e.files)),
        }
    }
}

/// One juror × entry status.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = ProgressCellDto)]
pub struct ProgressCell {
    pub juror_id: Uuid,
    pub entry_id: Uuid,
    pub progress: EntryProgress,
}

/// Judging progress per juror × entry.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = ProgressViewDto)]
pub struct ProgressView {
    pub jurors: Vec<JurorInfo>,
    pub entries: Vec<EntryInfo>,
    pub cells: Vec<ProgressCell>,
}

/// Every juror × entry status.
///
/// # Errors
/// `contest-not-found` (404).
#[tracing::instrument(skip_all, fields(contest_id = %contest_id))]
pub async fn judging_progress(
    services: &Services,
    session: &AdminSession,
    contest_id: Uuid,
) -> Result<ProgressView, ServiceError> {
    owned_contest(&services.db, session, contest_id).await?;
    let entries = load_entries(&services.db, contest_id).await?;
    let jurors = repo::participants::list(&services.db, contest_id, Some(Role::Juror)).await?;
    let cards = repo::scores::list_for_contest(&services.db, contest_id).await?;
    let mut cells = Vec::new();
    for j in &jurors {
        for e in &entries {
            let card = cards
                .iter()
                .find(|c| c.juror_id == j.id && c.submission_id == e.submission.id);
            cells.push(ProgressCell {
                juror_id: j.id,
                entry_id: e.submission.id,
                progress: EntryProgress::of(card),
            });
        }
    }
    Ok(ProgressView {
        jurors: jurors
            .iter()
            .map(|j| JurorInfo {
                juror_id: j.id,
                name: j.name.clone(),
            })
            .collect(),
        entries: entries.iter().map(EntryInfo::from).collect(),
        cells,
    })
}

/// One juror's card for one entry, for the admin.
// With the private comment.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = AdminCardDto)]
pub struct AdminCard {
    pub juror_id: Uuid,
    pub entry_id: Uuid,
    pub progress: EntryProgress,
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

/// Every score card of the contest, for its admin.
///
/// # Errors
/// `contest-not-found` (404).
#[tracing::instrument(skip_all, fields(contest_id = %contest_id))]
pub async fn score_cards(
    services: &Services,
    session: &AdminSession,
    contest_id: Uuid,
) -> Result<Vec<AdminCard>, ServiceError> {
    let contest = ContestView::try_from(owned_contest(&services.db, session, contest_id).await?)?;
    let cards = repo::scores::list_for_contest(&services.db, contest_id).await?;
    let mut out = Vec::with_capacity(cards.len());
    for c in cards {
        let total = if c.status == ScoreStatus::Final {
            parse_card(&contest.rubric, &c.scores)?
                .weighted_score(&contest.rubric)
                .ok()
        } else {
            None
        };
        out.push(AdminCard {
            juror_id: c.juror_id,
            entry_id: c.submission_id,
            progress: EntryProgress::from_status(c.status),
            scores: stored_scores(&c.scores)?,
            total,
            private_comment: c.private_comment,
            feedback: c.feedback,
            recusal_reason: c.recusal_reason,
            version: c.version,
            submitted_at: c.submitted_at,
        });
    }
    Ok(out)
}
