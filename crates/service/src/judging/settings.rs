use anyhow::Context as _;
use clipjury_db::repo;
use clipjury_db::repo::contests::ContestChanges;
use clipjury_domain::error_code::ErrorCode;
use clipjury_domain::judging::{JudgingError, Rubric, TieRule};
use clipjury_domain::validation::ValidationError;
use uuid::Uuid;

use crate::auth::AdminSession;
use crate::contests::{ContestView, owned_contest};
use crate::{ServiceError, Services, audit};

fn locked() -> ServiceError {
    ServiceError::conflict(
        ErrorCode::ContestLocked,
        "the rubric and tie rule are fixed once judging starts",
    )
}

/// The error for a rubric the domain refuses (build it with [`Rubric::new`] and its parts): `rubric-invalid` (400).
#[must_use]
pub fn rubric_invalid(e: &JudgingError) -> ServiceError {
    ServiceError::Validation(ValidationError::new(
        ErrorCode::RubricInvalid,
        format!("the rubric is not valid: {e}"),
    ))
}

/// Replaces a contest's rubric. Only while the contest is `draft` or `open` and no juror has scored yet.
///
/// # Errors
/// `contest-not-found` (404), `contest-locked` (409).
#[tracing::instrument(skip_all, fields(contest_id = %contest_id))]
pub async fn set_rubric(
    services: &Services,
    session: &AdminSession,
    contest_id: Uuid,
    rubric: Rubric,
) -> Result<ContestView, ServiceError> {
    let value = serde_json::to_value(&rubric).context("serialising a rubric")?;
    let changes = ContestChanges {
        rubric: Some(value),
        ..ContestChanges::default()
    };
    save(
        services,
        session,
        contest_id,
        "contest.rubric",
        true,
        changes,
    )
    .await
}

/// Replaces a contest's tie rule (a list of tie-breaker names). Only while the contest is `draft` or `open`.
///
/// # Errors
/// `contest-not-found` (404), `contest-locked` (409), `tie-rule-invalid` (400).
#[tracing::instrument(skip_all, fields(contest_id = %contest_id))]
pub async fn set_tie_rule(
    services: &Services,
    session: &AdminSession,
    contest_id: Uuid,
    tie_rule: Vec<String>,
) -> Result<ContestView, ServiceError> {
    let rule: TieRule = serde_json::from_value(serde_json::json!(tie_rule)).map_err(|e| {
        ServiceError::Validation(ValidationError::new(
            ErrorCode::TieRuleInvalid,
            format!("the tie rule is not valid: {e}"),
        ))
    })?;
    let value = serde_json::to_value(&rule).context("serialising a tie rule")?;
    let changes = ContestChanges {
        tie_rule: Some(value),
        ..ContestChanges::default()
    };
    save(
        services,
        session,
        contest_id,
        "contest.tie_rule",
        false,
        changes,
    )
    .await
}

async fn save(
    services: &Services,
    session: &AdminSession,
    contest_id: Uuid,
    action: &'static str,
    refuse_with_scores: bool,
    changes: ContestChanges,
) -> Result<ContestView, ServiceError> {
    let txn = super::access::write_txn(services).await?;
    let row = owned_contest(&txn, session, contest_id).await?;
    let before = ContestView::try_from(row.clone())?;
    if !before.status.settings_editable() {
        return Err(locked());
    }
    // A contest moved back from judging keeps its score cards; they must still fit the rubric.
    if refuse_with_scores
        && !repo::scores::list_for_contest(&txn, contest_id)
            .await?
            .is_empty()
    {
        return Err(ServiceError::conflict(
            ErrorCode::ContestLocked,
            "jurors have already scored with this rubric",
        ));
    }
    let updated = repo::contests::update(&txn, row.id, changes).await?;
    let after = ContestView::try_from(updated.clone())?;
    let mut entry = audit::entry(session, Some(contest_id), action);
    entry.before =
        Some(serde_json::json!({ "rubric": before_json(&before), "tie_rule": before.tie_rule }));
    entry.after =
        Some(serde_json::json!({ "rubric": updated.rubric, "tie_rule": updated.tie_rule }));
    repo::audit::append(&txn, entry).await?;
    txn.commit().await.context("commit")?;
    Ok(after)
}

fn before_json(c: &ContestView) -> serde_json::Value {
    serde_json::to_value(&c.rubric).unwrap_or(serde_json::Value::Null)
}
