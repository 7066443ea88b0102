use clipjury_domain::error_code::ErrorCode;
use clipjury_domain::judging::ScoreStatus;
use clipjury_domain::participant::Role;

use anyhow::Context as _;
use chrono::{DateTime, Utc};
use clipjury_db::repo::participants::ParticipantRow;
use clipjury_db::repo::results::ResultRow;
use clipjury_db::{ConnectionTrait, repo};
use clipjury_domain::contest::ContestStatus;
use clipjury_domain::judging::{
    Cell, Method, RankOptions, Ranking, ScoreMatrix, TieDecision, rank_matrix,
};
use clipjury_domain::validation::ValidationError;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::access::{Entry, judging_error, load_entries, required_reason};
use super::progress::{EntryInfo, JurorInfo};
use super::scoring::parse_card;
use crate::auth::AdminSession;
use crate::contests::{ContestView, owned_contest};
use crate::{ServiceError, Services, audit};

/// A winner or honourable mention in a confirmed result.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ConfirmedPlace {
    /// 1–3 for winners; `None` for honourable mentions.
    pub place: Option<u32>,
    pub entry_id: Uuid,
    pub group_id: Uuid,
    pub title: String,
    pub group_name: String,
    pub key_message: String,
    pub video_id: Uuid,
}

/// The frozen result the admin confirmed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ConfirmedResult {
    pub method: Method,
    pub places: Vec<ConfirmedPlace>,
    pub honourable_mentions: Vec<ConfirmedPlace>,
    pub confirmed_at: DateTime<Utc>,
}

/// The ranking of a contest for its admin. Entry and juror labels in `ranking` are their ids.
#[derive(Debug, Clone)]
pub struct ResultsView {
    pub status: ContestStatus,
    pub ranking: Ranking,
    pub entries: Vec<EntryInfo>,
    pub jurors: Vec<JurorInfo>,
    /// Recorded decisions that no longer match a tie (scores changed since).
    pub stale_decisions: Vec<TieDecision>,
    pub confirmed: Option<ConfirmedResult>,
}

struct Computed {
    ranking: Ranking,
    entries: Vec<Entry>,
    jurors: Vec<ParticipantRow>,
    stored: Option<ResultRow>,
    decisions: Vec<TieDecision>,
    stale: Vec<TieDecision>,
}

async fn compute(
    db: &impl ConnectionTrait,
    contest: &ContestView,
) -> Result<Computed, ServiceError> {
    let entries = load_entries(db, contest.id).await?;
    let jurors = repo::participants::list(db, contest.id, Some(Role::Juror)).await?;
    let cards = repo::scores::list_for_contest(db, contest.id).await?;
    let unavailable = |e: clipjury_domain::judging::JudgingError| {
        ServiceError::conflict(
            ErrorCode::ResultsUnavailable,
            format!("no ranking yet: {e} (a ranking needs jurors and entries)"),
        )
    };
    let mut matrix = ScoreMatrix::new(
        jurors.iter().map(|j| j.id.to_string()).collect(),
        entries
            .iter()
            .map(|e| e.submission.id.to_string())
            .collect(),
    )
    .map_err(unavailable)?;
    for card in &cards {
        let cell = match card.status {
            ScoreStatus::Final => {
                let sc = parse_card(&contest.rubric, &card.scores)?;
                Cell::Scored(
                    sc.weighted_score(&contest.rubric)
                        .map_err(|e| judging_error(&e))?,
                )
            }
            ScoreStatus::Recused => Cell::Recused,
            ScoreStatus::Draft => continue,
        };
        // Cards of entries that lost their video, or of removed jurors, are not in the matrix.
        let _ = matrix.set(
            &card.juror_id.to_string(),
            &card.submission_id.to_string(),
            cell,
        );
    }
    let method = contest.ranking_method;
    let options = RankOptions {
        method,
        lower_is_better: false,
        tie_rule: contest.tie_rule.clone(),
        score_range: Some(contest.rubric.score_range()),
    };
    let mut ranking = rank_matrix(&matrix, &options);
    let stored = repo::results::find(db, contest.id).await?;
    let decisions: Vec<TieDecision> = match &stored {
        Some(r) => serde_json::from_value(r.tie_decisions.clone())
            .context("reading stored tie decisions")?,
        None => Vec::new(),
    };
    let mut stale = Vec::new();
    for d in &decisions {
        if ranking.apply_decision(d.clone()).is_err() {
            stale.push(d.clone());
        }
    }
    Ok(Computed {
        ranking,
        entries,
        jurors,
        stored,
        decisions,
        stale,
    })
}

fn confirmed_of(stored: Option<&ResultRow>) -> Result<Option<ConfirmedResult>, ServiceError> {
    match stored.and_then(|r| r.confirmed.clone()) {
        Some(v) => Ok(Some(
            serde_json::from_value(v).context("reading the confirmed result")?,
        )),
        None => Ok(None),
    }
}

fn view(contest: &ContestView, c: Computed) -> Result<ResultsView, ServiceError> {
    let confirmed = confirmed_of(c.stored.as_ref())?;
    Ok(ResultsView {
        status: contest.status,
        ranking: c.ranking,
        entries: c.entries.iter().map(EntryInfo::from).collect(),
        jurors: c
            .jurors
            .iter()
            .map(|j| JurorInfo {
                juror_id: j.id,
                name: j.name.clone(),
            })
            .collect(),
        stale_decisions: c.stale,
        confirmed,
    })
}

/// The ranking with all methods, ties, statistics and flags, from the final scores so far.
///
/// # Errors
/// `contest-not-found` (404), `results-unavailable` (409) without jurors or entries.
#[tracing::instrument(skip_all, fields(contest_id = %contest_id))]
pub async fn results(
    services: &Services,
    session: &AdminSession,
    contest_id: Uuid,
) -> Result<ResultsView, ServiceError> {
    let contest = ContestView::try_from(owned_contest(&services.db, session, contest_id).await?)?;
    let c = compute(&services.db, &contest).await?;
    view(&contest, c)
}

fn empty_row(contest_id: Uuid) -> ResultRow {
    ResultRow {
        contest_id,
        tie_decisions: serde_json::json!([]),
        confirmed: None,
        confirmed_at: None,
        confirmed_by: None,
        updated_at: Utc::now(),
    }
}

/// Records the admin's order for a tie the tie rule left, with a reason; any confirmation is withdrawn.
///
/// # Errors
/// `contest-not-found` (404), `contest-locked` (409) unless judging or closed,
/// `reason-required`, `tie-decision-*` (400).
#[tracing::instrument(skip_all, fields(contest_id = %contest_id))]
pub async fn decide_tie(
    services: &Services,
    session: &AdminSession,
    contest_id: Uuid,
    order: Vec<Uuid>,
    reason: &str,
) -> Result<ResultsView, ServiceError> {
    let reason = required_reason(reason)?;
    let txn = super::access::write_txn(services).await?;
    let contest = ContestView::try_from(owned_contest(&txn, session, contest_id).await?)?;
    if !matches!(
        contest.status,
        ContestStatus::Judging | ContestStatus::Closed
    ) {
        return Err(ServiceError::conflict(
            ErrorCode::ContestLocked,
            "ties are decided while the contest is judging or closed",
        ));
    }
    let mut c = compute(&txn, &contest).await?;
    let decision = TieDecision {
        order: order.iter().map(Uuid::to_string).collect(),
        reason: reason.clone(),
    };
    let ties_before = serde_json::to_value(&c.ranking.ties).context("ties")?;
    c.ranking
        .apply_decision(decision.clone())
        .map_err(|e| judging_error(&e))?;
    let mut row = c.stored.clone().unwrap_or_else(|| empty_row(contest_id));
    let mut decisions = c.decisions.clone();
    decisions.push(decision.clone());
    row.tie_decisions = serde_json::to_value(&decisions).context("decisions")?;
    row.confirmed = None;
    row.confirmed_at = None;
    row.confirmed_by = None;
    row.updated_at = Utc::now();
    c.stored = Some(repo::results::save(&txn, row).await?);
    let mut a = audit::entry(session, Some(contest_id), "results.tie_decision");
    a.before = Some(serde_json::json!({ "ties": ties_before }));
    a.after = Some(serde_json::json!({ "order": decision.order }));
    a.reason = Some(reason);
    repo::audit::append(&txn, a).await?;
    txn.commit().await.context("commit")?;
    view(&contest, c)
}

fn unresolved() -> ServiceError {
    ServiceError::conflict(
        ErrorCode::UnresolvedTop3Tie,
        "a tie touches places 1–3; decide it before confirming or publishing",
    )
}

/// Freezes places 1–3 (and the honourable mentions chosen) as the contest's result. The contest must be `closed`.
///
/// # Errors
/// `contest-not-found` (404), `contest-not-closed`, `unresolved-top3-tie` (409),
/// `honourable-mention-invalid` (400).
#[tracing::instrument(skip_all, fields(contest_id = %contest_id))]
pub async fn confirm_results(
    services: &Services,
    session: &AdminSession,
    contest_id: Uuid,
    honourable_mentions: Vec<Uuid>,
) -> Result<ConfirmedResult, ServiceError> {
    let txn = super::access::write_txn(services).await?;
    let contest = ContestView::try_from(owned_contest(&txn, session, contest_id).await?)?;
    if contest.status != ContestStatus::Closed {
        return Err(ServiceError::conflict(
            ErrorCode::ContestNotClosed,
            "close judging before confirming the results",
        ));
    }
    let c = compute(&txn, &contest).await?;
    if !c.ranking.can_publish() {
        return Err(unresolved());
    }
    let place_of = |e: &Entry, place: Option<u32>| ConfirmedPlace {
        place,
        entry_id: e.submission.id,
        group_id: e.submission.group_id,
        title: e.submission.title.clone(),
        group_name: e.group_name.clone(),
        key_message: e.submission.key_message.clone(),
        video_id: e.video_id,
    };
    let find = |id: &str| c.entries.iter().find(|e| e.submission.id.to_string() == id);
    let places: Vec<ConfirmedPlace> = c
        .ranking
        .entries
        .iter()
        .filter(|r| r.place <= 3 && r.value.is_some())
        .filter_map(|r| find(&r.entry).map(|e| place_of(e, Some(r.place))))
        .collect();
    let mut mentions = Vec::new();
    for id in honourable_mentions {
        let bad = || {
            ServiceError::Validation(ValidationError::new(
                ErrorCode::HonourableMentionInvalid,
                format!("{id} is not an entry outside the top 3"),
            ))
        };
        let e = find(&id.to_string()).ok_or_else(bad)?;
        if places.iter().any(|p| p.entry_id == id)
            || mentions.iter().any(|m: &ConfirmedPlace| m.entry_id == id)
        {
            return Err(bad());
        }
        mentions.push(place_of(e, None));
    }
    let confirmed = ConfirmedResult {
        method: contest.ranking_method,
        places,
        honourable_mentions: mentions,
        confirmed_at: Utc::now(),
    };
    let mut row = c.stored.clone().unwrap_or_else(|| empty_row(contest_id));
    let before = row.confirmed.clone();
    row.confirmed = Some(serde_json::to_value(&confirmed).context("confirmed")?);
    row.confirmed_at = Some(confirmed.confirmed_at);
    row.confirmed_by = Some(session.admin_id());
    row.updated_at = Utc::now();
    let saved = repo::results::save(&txn, row).await?;
    let mut a = audit::entry(session, Some(contest_id), "results.confirm");
    a.before = before;
    a.after = saved.confirmed.clone();
    repo::audit::append(&txn, a).await?;
    txn.commit().await.context("commit")?;
    Ok(confirmed)
}

/// Refuses publishing while a tie touches the top 3 or the result is not confirmed. Runs inside the transition's
/// transaction.
///
/// # Errors
/// `unresolved-top3-tie`, `results-not-confirmed` (409).
pub async fn check_publishable(
    db: &impl ConnectionTrait,
    contest: &ContestView,
) -> Result<(), ServiceError> {
    let c = compute(db, contest).await?;
    if !c.ranking.can_publish() {
        return Err(unresolved());
    }
    if confirmed_of(c.stored.as_ref())?.is_none() {
        return Err(ServiceError::conflict(
            ErrorCode::ResultsNotConfirmed,
            "confirm places 1–3 before publishing",
        ));
    }
    Ok(())
}

/// Withdraws a confirmation (the contest went back to judging).
pub(crate) async fn withdraw_confirmation(
    db: &impl ConnectionTrait,
    contest_id: Uuid,
) -> Result<(), ServiceError> {
    if let Some(mut row) = repo::results::find(db, contest_id).await? {
        row.confirmed = None;
        row.confirmed_at = None;
        row.confirmed_by = None;
        row.updated_at = Utc::now();
        repo::results::save(db, row).await?;
    }
    Ok(())
}

pub(crate) async fn confirmed_result(
    db: &impl ConnectionTrait,
    contest_id: Uuid,
) -> Result<Option<ConfirmedResult>, ServiceError> {
    let row = repo::results::find(db, contest_id).await?;
    confirmed_of(row.as_ref())
}
