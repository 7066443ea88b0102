//! CSV: the admin's export of every score card and of the ranking, and the import of paper score sheets.

use std::collections::HashSet;
use std::str::FromStr as _;

use anyhow::Context as _;
use chrono::Utc;
use clipjury_db::repo;
use clipjury_db::repo::scores::{ScoreChanges, ScoreRow};
use clipjury_domain::contest::ContestStatus;
use clipjury_domain::judging::{CriterionKey, Exact, ScoreCard};
use clipjury_domain::validation::ValidationError;
use sea_orm::ActiveModelTrait as _;
use uuid::Uuid;

use super::access::{load_entries, write_txn};
use super::entries::EntryProgress;
use super::results::results;
use super::scoring::parse_card;
use crate::auth::Session;
use crate::contests::{ContestView, owned_contest};
use crate::{ServiceError, Services, audit};

fn to_csv(rows: Vec<Vec<String>>) -> Result<String, ServiceError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in rows {
        w.write_record(&r).context("writing CSV")?;
    }
    let bytes = w.into_inner().context("writing CSV")?;
    Ok(String::from_utf8(bytes).context("CSV is UTF-8")?)
}

/// Every juror × entry card: `juror,entry,title,status,<criterion keys…>,total,private_comment,feedback`. Entries
/// are named by their group, `total` is the weighted score of a final card.
///
/// # Errors
/// `contest-not-found` (404), `forbidden-role` (403).
#[tracing::instrument(skip_all, fields(contest_id = %contest_id))]
pub async fn export_scores(
    services: &Services,
    session: &Session,
    contest_id: Uuid,
) -> Result<String, ServiceError> {
    let contest = ContestView::try_from(owned_contest(&services.db, session, contest_id).await?)?;
    let entries = load_entries(&services.db, contest_id).await?;
    let jurors = repo::participants::list(&services.db, contest_id, Some("juror")).await?;
    let cards = repo::scores::list_for_contest(&services.db, contest_id).await?;
    let mut header = vec![
        "juror".into(),
        "entry".into(),
        "title".into(),
        "status".into(),
    ];
    header.extend(
        contest
            .rubric
            .criteria()
            .iter()
            .map(|c| c.key().to_string()),
    );
    header.extend(["total".into(), "private_comment".into(), "feedback".into()]);
    let mut rows = vec![header];
    for j in &jurors {
        for e in &entries {
            let card = cards
                .iter()
                .find(|c| c.juror_id == j.id && c.submission_id == e.submission.id);
            let mut row = vec![
                j.name.clone(),
                e.group_name.clone(),
                e.submission.title.clone(),
                EntryProgress::of(card).as_str().to_owned(),
            ];
            let parsed = match card {
                Some(c) => Some(parse_card(&contest.rubric, &c.scores)?),
                None => None,
            };
            for c in contest.rubric.criteria() {
                row.push(
                    parsed
                        .as_ref()
                        .and_then(|p| p.get(c.key()))
                        .map(ToString::to_string)
                        .unwrap_or_default(),
                );
            }
            let total = match (card, &parsed) {
                (Some(c), Some(p)) if c.status == "final" => p
                    .weighted_score(&contest.rubric)
                    .map(|t| t.to_string())
                    .unwrap_or_default(),
                _ => String::new(),
            };
            row.push(total);
            row.push(card.map(|c| c.private_comment.clone()).unwrap_or_default());
            row.push(card.map(|c| c.feedback.clone()).unwrap_or_default());
            rows.push(row);
        }
    }
    to_csv(rows)
}

/// The ranking in place order: `place,entry,title,value_<method>,tied,decided_by,jurors_scored,jurors_recused,mean,median,
/// spread,flags`, entries named by their group.
///
/// # Errors
/// As [`results`].
#[tracing::instrument(skip_all, fields(contest_id = %contest_id))]
pub async fn export_results(
    services: &Services,
    session: &Session,
    contest_id: Uuid,
) -> Result<String, ServiceError> {
    let view = results(services, session, contest_id).await?;
    let method = format!("value_{}", view.ranking.method.as_str());
    let mut rows = vec![
        [
            "place",
            "entry",
            "title",
            &method,
            "tied",
            "decided_by",
            "jurors_scored",
            "jurors_recused",
            "mean",
            "median",
            "spread",
            "flags",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect::<Vec<_>>(),
    ];
    for r in &view.ranking.entries {
        let info = view
            .entries
            .iter()
            .find(|e| e.entry_id.to_string() == r.entry);
        let exact = |x: &Option<Exact>| x.as_ref().map(ToString::to_string).unwrap_or_default();
        rows.push(vec![
            r.place.to_string(),
            info.map(|i| i.group_name.clone()).unwrap_or_default(),
            info.map(|i| i.title.clone()).unwrap_or_default(),
            match (&r.exact_value, r.value) {
                (Some(x), _) => x.to_string(),
                (None, Some(f)) => format!("{f:.6}"),
                (None, None) => String::new(),
            },
            r.tied.to_string(),
            r.decided_by.map(|d| serde_name(&d)).unwrap_or_default(),
            r.jurors_scored.to_string(),
            r.jurors_recused.to_string(),
            exact(&r.mean),
            exact(&r.median),
            r.spread
                .as_ref()
                .map(|s| s.range.to_string())
                .unwrap_or_default(),
            r.flags.iter().map(serde_name).collect::<Vec<_>>().join(" "),
        ]);
    }
    to_csv(rows)
}

/// The serde name of a small enum value, for a CSV cell.
fn serde_name<T: serde::Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

/// How many cards an import wrote.
#[derive(Debug, Clone, Copy)]
pub struct ImportSummary {
    pub final_cards: usize,
    pub recusals: usize,
}

fn invalid(errors: &[String]) -> ServiceError {
    ServiceError::Validation(ValidationError::new(
        "score-sheet-invalid",
        format!(
            "the score sheet has errors, nothing was imported:\n{}",
            errors.join("\n")
        ),
    ))
}

/// Imports paper score sheets in the export's format (`juror,entry,<criterion keys…>`, optional `status`
/// (`final` or `recused`; other statuses are skipped), `private_comment`, `feedback`; other columns ignored) into a
/// contest that is judging. Jurors are matched by name, entries by group name or "Entry N". All or nothing: any
/// bad line refuses the whole file, listing every error by line.
///
/// # Errors
/// `contest-not-found` (404), `forbidden-role` (403), `judging-not-open` (409), `score-sheet-invalid` (400).
#[tracing::instrument(skip_all, fields(contest_id = %contest_id))]
pub async fn import_scores(
    services: &Services,
    session: &Session,
    contest_id: Uuid,
    text: &str,
) -> Result<ImportSummary, ServiceError> {
    let txn = write_txn(services).await?;
    let contest = ContestView::try_from(owned_contest(&txn, session, contest_id).await?)?;
    if contest.status != ContestStatus::Judging {
        return Err(ServiceError::conflict(
            "judging-not-open",
            "score sheets are imported while the contest is judging",
        ));
    }
    let entries = load_entries(&txn, contest_id).await?;
    let jurors = repo::participants::list(&txn, contest_id, Some("juror")).await?;
    let text = text.trim_start_matches('\u{feff}');
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| invalid(&[format!("line 1: {e}")]))?
        .iter()
        .map(str::to_owned)
        .collect();
    let col = |name: &str| header.iter().position(|h| h == name);
    let (Some(juror_col), Some(entry_col)) = (col("juror"), col("entry")) else {
        return Err(invalid(&[
            "line 1: the header needs `juror` and `entry` columns".into(),
        ]));
    };
    let criteria: Vec<(usize, CriterionKey)> = contest
        .rubric
        .criteria()
        .iter()
        .filter_map(|c| col(c.key().as_str()).map(|i| (i, c.key().clone())))
        .collect();
    let (status_col, private_col, feedback_col) =
        (col("status"), col("private_comment"), col("feedback"));

    let mut errors = Vec::new();
    let mut seen = HashSet::new();
    let mut planned: Vec<(Uuid, Uuid, bool, ScoreCard, String, String)> = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                errors.push(format!("line {line}: {e}"));
                continue;
            }
        };
        let cell = |c: usize| record.get(c).unwrap_or("").to_owned();
        if record.iter().all(str::is_empty) {
            continue;
        }
        let status = status_col.map_or_else(|| "final".to_owned(), &cell);
        let recused = match status.as_str() {
            "final" | "" => false,
            "recused" => true,
            _ => continue,
        };
        let (juror_name, entry_name) = (cell(juror_col), cell(entry_col));
        let Some(juror) = jurors.iter().find(|j| j.name == juror_name) else {
            errors.push(format!(
                "line {line}: no juror `{juror_name}` in this contest"
            ));
            continue;
        };
        let Some(entry) = entries
            .iter()
            .find(|e| e.group_name == entry_name || format!("Entry {}", e.number) == entry_name)
        else {
            errors.push(format!(
                "line {line}: no entry `{entry_name}` in this contest"
            ));
            continue;
        };
        if !seen.insert((juror.id, entry.submission.id)) {
            errors.push(format!(
                "line {line}: juror `{juror_name}` and entry `{entry_name}` appear twice"
            ));
            continue;
        }
        let mut scores = Vec::new();
        let mut bad = false;
        if !recused {
            for (c, key) in &criteria {
                let raw = cell(*c);
                if raw.is_empty() {
                    continue;
                }
                match Exact::from_str(&raw) {
                    Ok(x) => scores.push((key.clone(), x)),
                    Err(e) => {
                        errors.push(format!("line {line}, column `{key}`: {e}"));
                        bad = true;
                    }
                }
            }
        }
        if bad {
            continue;
        }
        let card = match ScoreCard::parse(&contest.rubric, scores) {
            Ok(c) => c,
            Err(e) => {
                errors.push(format!("line {line}: {e}"));
                continue;
            }
        };
        if !recused && let Err(e) = card.weighted_score(&contest.rubric) {
            errors.push(format!("line {line}: {e}"));
            continue;
        }
        if let Some(existing) = repo::scores::find(&txn, entry.submission.id, juror.id).await?
            && existing.status != "draft"
        {
            errors.push(format!(
                "line {line}: juror `{juror_name}` already has a {} card for `{entry_name}`; reopen it first",
                existing.status
            ));
            continue;
        }
        let text_of = |c: Option<usize>| c.map(&cell).unwrap_or_default();
        planned.push((
            juror.id,
            entry.submission.id,
            recused,
            card,
            text_of(private_col),
            text_of(feedback_col),
        ));
    }
    if !errors.is_empty() {
        return Err(invalid(&errors));
    }
    let mut summary = ImportSummary {
        final_cards: 0,
        recusals: 0,
    };
    for (juror_id, entry_id, recused, card, private_comment, feedback) in planned {
        let before = repo::scores::find(&txn, entry_id, juror_id).await?;
        let now = Utc::now();
        let row = ScoreRow {
            id: before.as_ref().map_or_else(Uuid::now_v7, |b| b.id),
            contest_id,
            submission_id: entry_id,
            juror_id,
            status: if recused { "recused" } else { "final" }.into(),
            scores: serde_json::to_value(&card).context("scores")?,
            private_comment,
            feedback,
            recusal_reason: recused.then(|| "imported from a score sheet".to_owned()),
            version: before.as_ref().map_or(1, |b| b.version + 1),
            submitted_at: (!recused).then_some(now),
            created_at: before.as_ref().map_or(now, |b| b.created_at),
            updated_at: now,
        };
        let saved = if before.is_some() {
            ScoreChanges::from(row)
                .reset_all()
                .update(&txn)
                .await
                .context("updating a card")?
        } else {
            repo::scores::insert(&txn, ScoreChanges::from(row).reset_all()).await?
        };
        if recused {
            summary.recusals += 1;
        } else {
            summary.final_cards += 1;
        }
        let mut a = audit::entry(session, Some(contest_id), "score.import");
        a.before = before.map(|b| serde_json::json!({"status": b.status, "scores": b.scores}));
        a.after = Some(serde_json::json!({
            "entry_id": entry_id, "juror_id": juror_id, "status": saved.status, "scores": saved.scores,
        }));
        repo::audit::append(&txn, a).await?;
    }
    txn.commit().await.context("commit")?;
    Ok(summary)
}
