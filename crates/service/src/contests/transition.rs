use anyhow::Context as _;
use chrono::Utc;
use clipjury_db::repo;
use clipjury_db::repo::contests::ContestChanges;
use clipjury_domain::contest::ContestStatus;
use uuid::Uuid;

use super::access::owned_contest;
use super::view::ContestView;
use crate::auth::AdminSession;
use crate::{ServiceError, Services, audit};

/// Moves a contest one step forward, or one step back with a reason; logs who, when, from, to and why. Publishing
/// needs a confirmed result and no tie touching the top 3; moving back from `closed` to `judging` withdraws the
/// confirmation.
///
/// # Errors
/// `contest-not-found` (404), `illegal-transition`, `transition-unchanged`,
/// `unresolved-top3-tie`, `results-not-confirmed`, `results-unavailable` (409), `transition-reason-required` (400).
#[tracing::instrument(skip_all, fields(contest_id = %contest_id, to = %to))]
pub async fn transition_contest(
    services: &Services,
    session: &AdminSession,
    contest_id: Uuid,
    to: ContestStatus,
    reason: Option<String>,
) -> Result<ContestView, ServiceError> {
    let txn = clipjury_db::begin_write(&services.db)
        .await
        .context("begin")?;
    let row = owned_contest(&txn, session, contest_id).await?;
    let from = ContestView::try_from(row.clone())?.status;
    let reason = reason
        .map(|r| r.trim().to_owned())
        .filter(|r| !r.is_empty());
    from.transition(to, reason.as_deref())
        .map_err(|e| match e {
            clipjury_domain::contest::TransitionError::ReasonRequired { .. } => {
                ServiceError::Validation(clipjury_domain::validation::ValidationError::new(
                    e.code(),
                    e.to_string(),
                ))
            }
            _ => ServiceError::conflict(e.code(), e.to_string()),
        })?;
    let view = ContestView::try_from(row.clone())?;
    if to == ContestStatus::Published {
        crate::judging::check_publishable(&txn, &view).await?;
    }
    if from == ContestStatus::Closed && to == ContestStatus::Judging {
        crate::judging::withdraw_confirmation(&txn, contest_id).await?;
    }
    let mut changes = ContestChanges {
        status: Some(to),
        ..ContestChanges::default()
    };
    if from == ContestStatus::Open && to == ContestStatus::Judging {
        // The videos jurors score are frozen from now on (see `submissions::accept_late_video`).
        changes.judging_started_at = Some(Some(Utc::now()));
    }
    if from == ContestStatus::Judging && to == ContestStatus::Open {
        changes.judging_started_at = Some(None);
        crate::submissions::release_late_videos(&txn, contest_id).await?;
    }
    let updated = repo::contests::update(&txn, row.id, changes).await?;
    let mut entry = audit::entry(session, Some(contest_id), "contest.transition");
    entry.before = Some(serde_json::json!({ "status": from.as_str() }));
    entry.after = Some(serde_json::json!({ "status": to.as_str() }));
    entry.reason = reason;
    repo::audit::append(&txn, entry).await?;
    txn.commit().await.context("commit")?;
    tracing::info!(from = %from, "contest status changed");
    if to == ContestStatus::Published && services.config.delete_originals_after_publish {
        // After the commit: the results are published whatever the store says; a failure is logged, and the parts
        // not yet deleted keep their rows, so nothing is left unaccounted for.
        if let Err(e) = crate::uploads::delete_originals(services, contest_id).await {
            tracing::error!(error = ?e, "deleting originals after publishing failed");
        }
    }
    Ok(ContestView::try_from(updated)?)
}
