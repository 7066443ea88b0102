//! CSV exports for the admin: every score card (the score sheet layout `clipjury rank` and the import read) and the
//! ranking. Both go through the domain's writer, which neutralises text cells against formula injection.

use clipjury_db::repo;
use clipjury_domain::judging::{
    CsvCell, Exact, SheetRow, SheetStatus, write_csv, write_score_sheet,
};
use clipjury_domain::participant::Role;
use uuid::Uuid;

use super::access::load_entries;
use super::entries::EntryProgress;
use super::results::results;
use super::scoring::parse_card;
use crate::auth::AdminSession;
use crate::contests::{ContestView, owned_contest};
use crate::{ServiceError, Services};

fn sheet_status(progress: EntryProgress) -> SheetStatus {
    match progress {
        EntryProgress::NotStarted => SheetStatus::NotStarted,
        EntryProgress::Draft => SheetStatus::Draft,
        EntryProgress::Final => SheetStatus::Final,
        EntryProgress::Recused => SheetStatus::Recused,
    }
}

/// Every juror × entry card: `juror,entry,title,status,<criterion keys…>,total,private_comment,feedback`. Entries
/// are named by their group, `total` is the weighted score of a final card. The import and `clipjury rank` read it.
///
/// # Errors
/// `contest-not-found` (404).
#[tracing::instrument(skip_all, fields(contest_id = %contest_id))]
pub async fn export_scores(
    services: &Services,
    session: &AdminSession,
    contest_id: Uuid,
) -> Result<String, ServiceError> {
    let contest = ContestView::try_from(owned_contest(&services.db, session, contest_id).await?)?;
    let rubric = &contest.rubric;
    let entries = load_entries(&services.db, contest_id).await?;
    let jurors = repo::participants::list(&services.db, contest_id, Some(Role::Juror)).await?;
    let cards = repo::scores::list_for_contest(&services.db, contest_id).await?;
    let criteria: Vec<String> = rubric
        .criteria()
        .iter()
        .map(|c| c.key().to_string())
        .collect();
    let mut rows = Vec::with_capacity(jurors.len() * entries.len());
    for j in &jurors {
        for e in &entries {
            let card = cards
                .iter()
                .find(|c| c.juror_id == j.id && c.submission_id == e.submission.id);
            let parsed = card.map(|c| parse_card(rubric, &c.scores)).transpose()?;
            let status = sheet_status(EntryProgress::of(card));
            let total = match &parsed {
                Some(p) if status == SheetStatus::Final => p.weighted_score(rubric).ok(),
                _ => None,
            };
            rows.push(SheetRow {
                line: 0,
                juror: j.name.clone(),
                entry: e.group_name.clone(),
                title: e.submission.title.clone(),
                status,
                scores: rubric
                    .criteria()
                    .iter()
                    .map(|c| parsed.as_ref().and_then(|p| p.get(c.key())).cloned())
                    .collect(),
                total,
                private_comment: card.map(|c| c.private_comment.clone()).unwrap_or_default(),
                feedback: card.map(|c| c.feedback.clone()).unwrap_or_default(),
            });
        }
    }
    Ok(write_score_sheet(&criteria, &rows))
}

/// The ranking in place order: `place,entry,title,value_<method>,tied,decided_by,jurors_scored,jurors_recused,mean,median,
/// spread,flags`, entries named by their group.
///
/// # Errors
/// As [`results`].
#[tracing::instrument(skip_all, fields(contest_id = %contest_id))]
pub async fn export_results(
    services: &Services,
    session: &AdminSession,
    contest_id: Uuid,
) -> Result<String, ServiceError> {
    let view = results(services, session, contest_id).await?;
    let method = format!("value_{}", view.ranking.method.as_str());
    let header = [
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
    ];
    let mut rows = vec![header.iter().map(|h| CsvCell::text(*h)).collect::<Vec<_>>()];
    let exact = |x: Option<&Exact>| x.map_or_else(|| CsvCell::text(""), CsvCell::number);
    for r in &view.ranking.entries {
        let info = view
            .entries
            .iter()
            .find(|e| e.entry_id.to_string() == r.entry);
        rows.push(vec![
            CsvCell::number(r.place),
            CsvCell::text(info.map(|i| i.group_name.clone()).unwrap_or_default()),
            CsvCell::text(info.map(|i| i.title.clone()).unwrap_or_default()),
            match (&r.exact_value, r.value) {
                (Some(x), _) => CsvCell::number(x),
                (None, Some(f)) => CsvCell::number(format!("{f:.6}")),
                (None, None) => CsvCell::text(""),
            },
            CsvCell::text(r.tied.to_string()),
            CsvCell::text(r.decided_by.map(|d| serde_name(&d)).unwrap_or_default()),
            CsvCell::number(r.jurors_scored),
            CsvCell::number(r.jurors_recused),
            exact(r.mean.as_ref()),
            exact(r.median.as_ref()),
            exact(r.spread.as_ref().map(|s| &s.range)),
            CsvCell::text(r.flags.iter().map(serde_name).collect::<Vec<_>>().join(" ")),
        ]);
    }
    Ok(write_csv(rows))
}

/// The serde name of a small enum value, for a CSV cell.
fn serde_name<T: serde::Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}
