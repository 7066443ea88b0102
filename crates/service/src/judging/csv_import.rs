//! Importing paper score sheets: the score sheet format of `clipjury_domain::judging` (the export's layout, or a
//! tally of overall scores when the rubric has one criterion), matched against the contest's jurors and entries.

use clipjury_domain::error_code::ErrorCode;
use clipjury_domain::judging::ScoreStatus;
use clipjury_domain::participant::Role;
use std::collections::HashSet;

use anyhow::Context as _;
use chrono::Utc;
use clipjury_db::DatabaseTransaction;
use clipjury_db::repo;
use clipjury_db::repo::participants::ParticipantRow;
use clipjury_db::repo::scores::ScoreRow;
use clipjury_domain::contest::ContestStatus;
use clipjury_domain::judging::{
    Rubric, ScoreCard, ScoreSheet, SheetCard, SheetError, SheetRow, check_columns,
    read_score_sheet, row_card,
};
use clipjury_domain::validation::ValidationError;
use uuid::Uuid;

use super::access::{Entry, load_entries, write_txn};
use crate::auth::AdminSession;
use crate::contests::{ContestView, owned_contest};
use crate::{ServiceError, Services, audit};

/// How many cards an import wrote.
#[derive(Debug, Clone, Copy)]
pub struct ImportSummary {
    pub final_cards: usize,
    pub recusals: usize,
}

/// A row's problem: its line and the message (which names the line).
type Problem = (u64, String);

fn invalid(mut problems: Vec<Problem>) -> ServiceError {
    problems.sort_by_key(|(line, _)| *line);
    let lines: Vec<String> = problems.into_iter().map(|(_, message)| message).collect();
    ServiceError::Validation(ValidationError::new(
        ErrorCode::ScoreSheetInvalid,
        format!(
            "the score sheet has errors, nothing was imported:\n{}",
            lines.join("\n")
        ),
    ))
}

fn problems_of<'e>(errors: impl IntoIterator<Item = &'e SheetError>) -> Vec<Problem> {
    errors
        .into_iter()
        .map(|e| (e.line(), e.to_string()))
        .collect()
}

/// A card the import will write.
struct Planned {
    juror_id: Uuid,
    entry_id: Uuid,
    card: SheetCard,
    private_comment: String,
    feedback: String,
}

/// Imports a score sheet into a contest that is judging. The sheet is the export's layout (`juror,entry,<criterion
/// keys…>`, optional `status` — `final` or empty, `recused`; `draft` and `not_started` rows are skipped —, `total`
/// (checked against the criteria), `title` (ignored), `private_comment`, `feedback`), or, for a rubric of one
/// criterion, a tally `juror,<entry 1>,…` of that criterion's scores. Jurors are matched by name, entries by group
/// name or "Entry N". All or nothing: any bad line refuses the whole file, listing every error by line.
///
/// # Errors
/// `contest-not-found` (404), `judging-not-open` (409), `score-sheet-invalid` (400).
#[tracing::instrument(skip_all, fields(contest_id = %contest_id))]
pub async fn import_scores(
    services: &Services,
    session: &AdminSession,
    contest_id: Uuid,
    text: &str,
) -> Result<ImportSummary, ServiceError> {
    let txn = write_txn(services).await?;
    let contest = ContestView::try_from(owned_contest(&txn, session, contest_id).await?)?;
    if contest.status != ContestStatus::Judging {
        return Err(ServiceError::conflict(
            ErrorCode::JudgingNotOpen,
            "score sheets are imported while the contest is judging",
        ));
    }
    let (sheet, problems) = read_score_sheet(text).map_err(|e| invalid(problems_of(e.errors())))?;
    let mut problems = problems_of(&problems);
    if let Err(e) = check_columns(&sheet, &contest.rubric) {
        problems.extend(problems_of(e.errors()));
        return Err(invalid(problems));
    }
    let people = People {
        entries: load_entries(&txn, contest_id).await?,
        jurors: repo::participants::list(&txn, contest_id, Some(Role::Juror)).await?,
    };
    let mut seen = HashSet::new();
    let mut planned = Vec::new();
    for row in sheet.rows() {
        match plan(&txn, &sheet, &contest.rubric, &people, row, &mut seen).await? {
            Ok(Some(p)) => planned.push(p),
            Ok(None) => {}
            Err(message) => problems.push((row.line, message)),
        }
    }
    if !problems.is_empty() {
        return Err(invalid(problems));
    }
    let summary = write(&txn, session, contest_id, planned).await?;
    txn.commit().await.context("commit")?;
    Ok(summary)
}

/// The contest's jurors and entries, which sheet rows name.
struct People {
    entries: Vec<Entry>,
    jurors: Vec<ParticipantRow>,
}

/// What one row asks for: a card to write, nothing (a draft row), or the row's problem.
async fn plan(
    txn: &DatabaseTransaction,
    sheet: &ScoreSheet,
    rubric: &Rubric,
    people: &People,
    row: &SheetRow,
    seen: &mut HashSet<(Uuid, Uuid)>,
) -> Result<Result<Option<Planned>, String>, ServiceError> {
    let card = row_card(sheet, rubric, row);
    if let Ok(None) = card {
        return Ok(Ok(None));
    }
    let (juror, entry) = match people.named_by(row, seen) {
        Ok(pair) => pair,
        Err(message) => return Ok(Err(message)),
    };
    let card = match card {
        Ok(Some(card)) => card,
        Ok(None) => return Ok(Ok(None)),
        Err(e) => return Ok(Err(e.to_string())),
    };
    if let Some(message) = already_scored(txn, row, juror.id, entry.submission.id).await? {
        return Ok(Err(message));
    }
    Ok(Ok(Some(Planned {
        juror_id: juror.id,
        entry_id: entry.submission.id,
        card,
        private_comment: row.private_comment.clone(),
        feedback: row.feedback.clone(),
    })))
}

impl People {
    /// The juror and the entry a row names, once each pair (`seen` holds the pairs of the rows before).
    fn named_by(
        &self,
        row: &SheetRow,
        seen: &mut HashSet<(Uuid, Uuid)>,
    ) -> Result<(&ParticipantRow, &Entry), String> {
        let (line, juror_name, entry_name) = (row.line, &row.juror, &row.entry);
        let Some(juror) = self.jurors.iter().find(|j| j.name == *juror_name) else {
            return Err(format!(
                "line {line}: no juror `{juror_name}` in this contest"
            ));
        };
        let Some(entry) = self
            .entries
            .iter()
            .find(|e| e.group_name == *entry_name || format!("Entry {}", e.number) == *entry_name)
        else {
            return Err(format!(
                "line {line}: no entry `{entry_name}` in this contest"
            ));
        };
        if !seen.insert((juror.id, entry.submission.id)) {
            return Err(format!(
                "line {line}: juror `{juror_name}` and entry `{entry_name}` appear twice"
            ));
        }
        Ok((juror, entry))
    }
}

/// The row's problem when the juror already has a final or recused card for the entry (an import replaces drafts).
async fn already_scored(
    txn: &DatabaseTransaction,
    row: &SheetRow,
    juror_id: Uuid,
    entry_id: Uuid,
) -> Result<Option<String>, ServiceError> {
    Ok(repo::scores::find(txn, entry_id, juror_id)
        .await?
        .filter(|existing| existing.status != ScoreStatus::Draft)
        .map(|existing| {
            format!(
                "line {}: juror `{}` already has a {} card for `{}`; reopen it first",
                row.line,
                row.juror,
                existing.status.as_str(),
                row.entry
            )
        }))
}

/// Writes the planned cards (over drafts) with an audit entry each.
async fn write(
    txn: &DatabaseTransaction,
    session: &AdminSession,
    contest_id: Uuid,
    planned: Vec<Planned>,
) -> Result<ImportSummary, ServiceError> {
    let mut summary = ImportSummary {
        final_cards: 0,
        recusals: 0,
    };
    for p in planned {
        let before = repo::scores::find(txn, p.entry_id, p.juror_id).await?;
        let row = card_row(contest_id, p, before.as_ref())?;
        let saved = if before.is_some() {
            repo::scores::overwrite(txn, row).await?
        } else {
            repo::scores::insert(txn, row).await?
        };
        if saved.status == ScoreStatus::Recused {
            summary.recusals += 1;
        } else {
            summary.final_cards += 1;
        }
        let mut a = audit::entry(session, Some(contest_id), "score.import");
        a.before = before.map(|b| serde_json::json!({"status": b.status, "scores": b.scores}));
        a.after = Some(serde_json::json!({
            "entry_id": saved.submission_id, "juror_id": saved.juror_id, "status": saved.status,
            "scores": saved.scores,
        }));
        repo::audit::append(txn, a).await?;
    }
    Ok(summary)
}

/// The card's row: final or recused, over the draft `before` when there is one.
fn card_row(
    contest_id: Uuid,
    p: Planned,
    before: Option<&ScoreRow>,
) -> Result<ScoreRow, ServiceError> {
    let (recused, scores) = match p.card {
        SheetCard::Final(card) => (false, card),
        SheetCard::Recused => (true, ScoreCard::default()),
    };
    let now = Utc::now();
    Ok(ScoreRow {
        id: before.map_or_else(Uuid::now_v7, |b| b.id),
        contest_id,
        submission_id: p.entry_id,
        juror_id: p.juror_id,
        status: if recused {
            ScoreStatus::Recused
        } else {
            ScoreStatus::Final
        },
        scores: serde_json::to_value(&scores).context("scores")?,
        private_comment: p.private_comment,
        feedback: p.feedback,
        recusal_reason: recused.then(|| "imported from a score sheet".to_owned()),
        version: before.map_or(1, |b| b.version + 1),
        submitted_at: (!recused).then_some(now),
        created_at: before.map_or(now, |b| b.created_at),
        updated_at: now,
    })
}
