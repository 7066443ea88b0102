use clipjury_domain::error_code::ErrorCode;
use clipjury_domain::judging::ScoreStatus;
use clipjury_domain::participant::Role;
use std::collections::BTreeMap;

use anyhow::Context as _;
use chrono::Utc;
use clipjury_db::repo::scores::ScoreRow;
use clipjury_db::{DbError, repo};
use clipjury_domain::judging::{CriterionKey, Exact, Rubric, ScoreCard};
use clipjury_domain::validation::ValidationError;

use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::access::{
    entry_submission, judging_error, juror_contest, require_scoring_open, required_reason,
};
use super::entries::{EntryProgress, OwnCard};
use crate::api_schema::ExactNumber;
use crate::auth::{AdminSession, JurorSession};
use crate::contests::owned_contest;
use crate::{ServiceError, Services, audit};

const MAX_COMMENT_CHARS: usize = 5000;

/// A juror's draft. Scores are on each criterion's scale; criteria left out are not scored yet.
// The API reads it as it is (schema `ScoreRequest`).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = ScoreRequest)]
pub struct ScoreInput {
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

/// A card's scores as the database keeps them (criterion key → score).
pub(crate) fn stored_scores(
    stored: &serde_json::Value,
) -> Result<BTreeMap<String, Exact>, ServiceError> {
    serde_json::from_value(stored.clone())
        .map_err(|e| ServiceError::Unexpected(anyhow::anyhow!("stored scores unreadable: {e}")))
}

pub(crate) fn parse_card(
    rubric: &Rubric,
    stored: &serde_json::Value,
) -> Result<ScoreCard, ServiceError> {
    card_from(rubric, stored_scores(stored)?)
}

fn card_from(rubric: &Rubric, raw: BTreeMap<String, Exact>) -> Result<ScoreCard, ServiceError> {
    let mut pairs = Vec::with_capacity(raw.len());
    for (k, v) in raw {
        pairs.push((CriterionKey::parse(&k).map_err(|e| judging_error(&e))?, v));
    }
    ScoreCard::parse(rubric, pairs).map_err(|e| judging_error(&e))
}

fn comment(text: &str, what: &str) -> Result<String, ServiceError> {
    if text.chars().count() > MAX_COMMENT_CHARS {
        return Err(ServiceError::Validation(ValidationError::new(
            ErrorCode::TextTooLong,
            format!("the {what} must be at most {MAX_COMMENT_CHARS} characters"),
        )));
    }
    Ok(text.trim().to_owned())
}

fn stale(current: i32) -> ServiceError {
    ServiceError::conflict(
        ErrorCode::StaleVersion,
        format!("the score card changed since you loaded it (now version {current}); reload it"),
    )
}

/// What the audit log keeps of a card.
fn snapshot(row: &ScoreRow) -> serde_json::Value {
    serde_json::json!({
        "status": row.status, "scores": row.scores, "private_comment": row.private_comment,
        "feedback": row.feedback, "recusal_reason": row.recusal_reason, "version": row.version,
    })
}

fn new_row(contest_id: Uuid, entry_id: Uuid, juror_id: Uuid) -> ScoreRow {
    let now = Utc::now();
    ScoreRow {
        id: Uuid::now_v7(),
        contest_id,
        submission_id: entry_id,
        juror_id,
        status: ScoreStatus::Draft,
        scores: serde_json::json!({}),
        private_comment: String::new(),
        feedback: String::new(),
        recusal_reason: None,
        version: 0,
        submitted_at: None,
        created_at: now,
        updated_at: now,
    }
}

/// Saves a juror's draft for an entry. Idempotent: repeating a write that already landed answers the stored card
/// even though its version moved on.
///
/// # Errors
/// `contest-not-found`, `entry-not-found` (404), `judging-not-open`,
/// `judging-deadline-passed`, `stale-version`, `score-final`, `score-recused` (409), score validation errors (400).
#[tracing::instrument(skip_all, fields(contest_id = %contest_id, entry_id = %entry_id))]
pub async fn save_score(
    services: &Services,
    session: &JurorSession,
    contest_id: Uuid,
    entry_id: Uuid,
    input: ScoreInput,
) -> Result<OwnCard, ServiceError> {
    let txn = super::access::write_txn(services).await?;
    let (contest, juror_id) = juror_contest(&txn, session, contest_id).await?;
    let entry = entry_submission(&txn, contest_id, entry_id).await?;
    require_scoring_open(&contest)?;
    let card = card_from(&contest.rubric, input.scores)?;
    let scores = serde_json::to_value(&card).context("serialising scores")?;
    let private_comment = comment(&input.private_comment, "private comment")?;
    let feedback = comment(&input.feedback, "feedback")?;

    let existing = repo::scores::find(&txn, entry.id, juror_id).await?;
    let before = existing.clone();
    let mut row = existing.unwrap_or_else(|| new_row(contest_id, entry_id, juror_id));
    let same =
        row.scores == scores && row.private_comment == private_comment && row.feedback == feedback;
    match row.status {
        ScoreStatus::Final if same => return OwnCard::try_from(row),
        ScoreStatus::Final => {
            return Err(ServiceError::conflict(
                ErrorCode::ScoreFinal,
                "you submitted this score; ask the admin to reopen it",
            ));
        }
        ScoreStatus::Recused => {
            return Err(ServiceError::conflict(
                ErrorCode::ScoreRecused,
                "you recused from this entry",
            ));
        }
        _ => {}
    }
    if same && before.is_some() {
        // A retried autosave, or nothing changed.
        return OwnCard::try_from(row);
    }
    if input.version != row.version {
        return Err(stale(row.version));
    }
    let expected = row.version;
    row.scores = scores;
    row.private_comment = private_comment;
    row.feedback = feedback;
    row.version += 1;
    row.updated_at = Utc::now();
    let saved = write(&txn, before.is_some(), row, expected).await?;
    let mut a = audit::entry(session, Some(contest_id), "score.save");
    a.before = before.as_ref().map(snapshot);
    a.after = Some(with_entry(snapshot(&saved), entry_id));
    repo::audit::append(&txn, a).await?;
    txn.commit().await.context("commit")?;
    OwnCard::try_from(saved)
}

fn with_entry(mut v: serde_json::Value, entry_id: Uuid) -> serde_json::Value {
    v["entry_id"] = serde_json::json!(entry_id);
    v
}

async fn write(
    txn: &clipjury_db::DatabaseTransaction,
    exists: bool,
    row: ScoreRow,
    expected: i32,
) -> Result<ScoreRow, ServiceError> {
    if exists {
        repo::scores::update_if_version(txn, row, expected)
            .await?
            .ok_or_else(|| stale(expected + 1))
    } else {
        match repo::scores::insert(txn, row).await {
            Ok(r) => Ok(r),
            Err(DbError::UniqueViolation(_)) => Err(stale(1)),
            Err(e) => Err(e.into()),
        }
    }
}

/// Submits a juror's draft as final; every criterion must be scored. Submitting a final card again answers it.
///
/// # Errors
/// As [`save_score`], and `scores-incomplete` (400), `score-missing` (409) when nothing was saved.
#[tracing::instrument(skip_all, fields(contest_id = %contest_id, entry_id = %entry_id))]
pub async fn submit_score(
    services: &Services,
    session: &JurorSession,
    contest_id: Uuid,
    entry_id: Uuid,
) -> Result<OwnCard, ServiceError> {
    let txn = super::access::write_txn(services).await?;
    let (contest, juror_id) = juror_contest(&txn, session, contest_id).await?;
    let entry = entry_submission(&txn, contest_id, entry_id).await?;
    require_scoring_open(&contest)?;
    let row = repo::scores::find(&txn, entry.id, juror_id)
        .await?
        .ok_or_else(|| {
            ServiceError::conflict(
                ErrorCode::ScoreMissing,
                "save your scores before submitting",
            )
        })?;
    match row.status {
        ScoreStatus::Final => return OwnCard::try_from(row),
        ScoreStatus::Recused => {
            return Err(ServiceError::conflict(
                ErrorCode::ScoreRecused,
                "you recused from this entry",
            ));
        }
        _ => {}
    }
    let card = parse_card(&contest.rubric, &row.scores)?;
    card.weighted_score(&contest.rubric)
        .map_err(|e| judging_error(&e))?;
    let before = row.clone();
    let expected = row.version;
    let mut row = row;
    row.status = ScoreStatus::Final;
    row.version += 1;
    row.submitted_at = Some(Utc::now());
    row.updated_at = Utc::now();
    let saved = write(&txn, true, row, expected).await?;
    let mut a = audit::entry(session, Some(contest_id), "score.submit");
    a.before = Some(snapshot(&before));
    a.after = Some(with_entry(snapshot(&saved), entry_id));
    repo::audit::append(&txn, a).await?;
    txn.commit().await.context("commit")?;
    OwnCard::try_from(saved)
}

/// A juror recuses from an entry (conflict of interest), with a reason. Their draft scores are dropped.
///
/// # Errors
/// As [`save_score`], and `reason-required` (400).
#[tracing::instrument(skip_all, fields(contest_id = %contest_id, entry_id = %entry_id))]
pub async fn recuse(
    services: &Services,
    session: &JurorSession,
    contest_id: Uuid,
    entry_id: Uuid,
    reason: &str,
) -> Result<OwnCard, ServiceError> {
    let reason = required_reason(reason)?;
    let txn = super::access::write_txn(services).await?;
    let (contest, juror_id) = juror_contest(&txn, session, contest_id).await?;
    let entry = entry_submission(&txn, contest_id, entry_id).await?;
    require_scoring_open(&contest)?;
    let existing = repo::scores::find(&txn, entry.id, juror_id).await?;
    let before = existing.clone();
    let mut row = existing.unwrap_or_else(|| new_row(contest_id, entry_id, juror_id));
    match row.status {
        ScoreStatus::Recused => return OwnCard::try_from(row),
        ScoreStatus::Final => {
            return Err(ServiceError::conflict(
                ErrorCode::ScoreFinal,
                "you submitted this score; ask the admin to reopen it",
            ));
        }
        _ => {}
    }
    let expected = row.version;
    row.status = ScoreStatus::Recused;
    row.scores = serde_json::json!({});
    row.recusal_reason = Some(reason.clone());
    row.version += 1;
    row.updated_at = Utc::now();
    let saved = write(&txn, before.is_some(), row, expected).await?;
    let mut a = audit::entry(session, Some(contest_id), "score.recuse");
    a.before = before.as_ref().map(snapshot);
    a.after = Some(with_entry(snapshot(&saved), entry_id));
    a.reason = Some(reason);
    repo::audit::append(&txn, a).await?;
    txn.commit().await.context("commit")?;
    OwnCard::try_from(saved)
}

/// The admin reopens a juror's final or recused card for an entry, with a reason; it becomes a draft again.
///
/// # Errors
/// `contest-not-found`, `entry-not-found`, `juror-not-found` (404), `judging-not-open`,
/// `score-not-final` (409), `reason-required` (400).
#[tracing::instrument(skip_all, fields(contest_id = %contest_id, entry_id = %entry_id))]
pub async fn reopen(
    services: &Services,
    session: &AdminSession,
    contest_id: Uuid,
    entry_id: Uuid,
    juror_id: Uuid,
    reason: &str,
) -> Result<EntryProgress, ServiceError> {
    let reason = required_reason(reason)?;
    let txn = super::access::write_txn(services).await?;
    let contest =
        crate::contests::ContestView::try_from(owned_contest(&txn, session, contest_id).await?)?;
    let entry = entry_submission(&txn, contest_id, entry_id).await?;
    if contest.status != clipjury_domain::contest::ContestStatus::Judging {
        return Err(ServiceError::conflict(
            ErrorCode::JudgingNotOpen,
            "scores can be reopened only while the contest is judging",
        ));
    }
    let juror = repo::participants::find(&txn, juror_id)
        .await?
        .filter(|p| p.contest_id == contest_id && p.role == Role::Juror)
        .ok_or_else(|| ServiceError::not_found(ErrorCode::JurorNotFound, "no such juror"))?;
    let row = repo::scores::find(&txn, entry.id, juror.id)
        .await?
        .filter(|r| r.status != ScoreStatus::Draft)
        .ok_or_else(|| {
            ServiceError::conflict(ErrorCode::ScoreNotFinal, "this juror's score is not final")
        })?;
    let before = row.clone();
    let expected = row.version;
    let mut row = row;
    row.status = ScoreStatus::Draft;
    row.recusal_reason = None;
    row.submitted_at = None;
    row.version += 1;
    row.updated_at = Utc::now();
    let saved = write(&txn, true, row, expected).await?;
    let mut a = audit::entry(session, Some(contest_id), "score.reopen");
    a.before = Some(snapshot(&before));
    a.after = Some(with_entry(snapshot(&saved), entry_id));
    a.reason = Some(reason);
    repo::audit::append(&txn, a).await?;
    txn.commit().await.context("commit")?;
    Ok(EntryProgress::from_status(saved.status))
}
