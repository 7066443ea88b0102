use anyhow::Context as _;
use clipjury_db::{ConnectionTrait, DbError, repo, repo::participants::ParticipantRow};
use clipjury_domain::contest::ContestStatus;
use clipjury_domain::error_code::ErrorCode;
use clipjury_domain::participant::{ParticipantName, Role};
use uuid::Uuid;

use super::invite::issue_invite;
use super::view::{ParticipantView, to_view};
use crate::auth::AdminSession;
use crate::contests::owned_contest;
use crate::{ServiceError, Services, audit};

fn name_taken(role: Role) -> ServiceError {
    ServiceError::conflict(
        ErrorCode::ParticipantNameTaken,
        format!(
            "this contest already has a {} with that name",
            role.as_str()
        ),
    )
}

/// A participant of a contest the session owns.
pub(crate) async fn owned_participant(
    db: &impl ConnectionTrait,
    session: &AdminSession,
    contest_id: Uuid,
    participant_id: Uuid,
) -> Result<ParticipantRow, ServiceError> {
    owned_contest(db, session, contest_id).await?;
    repo::participants::find(db, participant_id)
        .await?
        .filter(|p| p.contest_id == contest_id)
        .ok_or_else(|| {
            ServiceError::not_found(
                ErrorCode::ParticipantNotFound,
                "no such group or juror in this contest",
            )
        })
}

/// Adds a group or juror to a contest and issues its invite link.
///
/// # Errors
/// `contest-not-found` (404), `participant-name-taken` (409), validation errors.
#[tracing::instrument(skip_all, fields(contest_id = %contest_id))]
pub async fn add_participant(
    services: &Services,
    session: &AdminSession,
    contest_id: Uuid,
    role: Role,
    name: &str,
) -> Result<ParticipantView, ServiceError> {
    if role == Role::Admin {
        return Err(clipjury_domain::validation::ValidationError::new(
            ErrorCode::UnknownParticipantRole,
            "invite a group or a juror",
        )
        .into());
    }
    let name = ParticipantName::parse(name)?;
    let txn = clipjury_db::begin_write(&services.db)
        .await
        .context("begin")?;
    owned_contest(&txn, session, contest_id).await?;
    let row = repo::participants::insert(&txn, Uuid::now_v7(), contest_id, role, name.as_str())
        .await
        .map_err(|e| match e {
            DbError::UniqueViolation(_) => name_taken(role),
            other => other.into(),
        })?;
    let invite = issue_invite(&txn, services, row.id).await?;
    let mut entry = audit::entry(session, Some(contest_id), "participant.add");
    entry.after =
        Some(serde_json::json!({ "participant_id": row.id, "role": row.role, "name": row.name }));
    repo::audit::append(&txn, entry).await?;
    txn.commit().await.context("commit")?;
    Ok(to_view(services, row, Some(invite)))
}

/// Groups and jurors of a contest (optionally of one role) with their current invites.
///
/// # Errors
/// `contest-not-found` (404).
pub async fn list_participants(
    services: &Services,
    session: &AdminSession,
    contest_id: Uuid,
    role: Option<Role>,
) -> Result<Vec<ParticipantView>, ServiceError> {
    owned_contest(&services.db, session, contest_id).await?;
    let rows = repo::participants::list(&services.db, contest_id, role).await?;
    let mut out = Vec::with_capacity(rows.len());
    for p in rows {
        let invite = repo::invites::current(&services.db, p.id).await?;
        out.push(to_view(services, p, invite));
    }
    Ok(out)
}

/// Renames a group or juror.
///
/// # Errors
/// `participant-not-found` (404), `participant-name-taken` (409), validation errors.
pub async fn rename_participant(
    services: &Services,
    session: &AdminSession,
    contest_id: Uuid,
    participant_id: Uuid,
    name: &str,
) -> Result<ParticipantView, ServiceError> {
    let name = ParticipantName::parse(name)?;
    let txn = clipjury_db::begin_write(&services.db)
        .await
        .context("begin")?;
    let before = owned_participant(&txn, session, contest_id, participant_id).await?;
    let role = before.role;
    let row = repo::participants::rename(&txn, participant_id, name.as_str())
        .await
        .map_err(|e| match e {
            DbError::UniqueViolation(_) => name_taken(role),
            other => other.into(),
        })?;
    let mut entry = audit::entry(session, Some(contest_id), "participant.rename");
    entry.before =
        Some(serde_json::json!({ "participant_id": participant_id, "name": before.name }));
    entry.after = Some(serde_json::json!({ "participant_id": participant_id, "name": row.name }));
    repo::audit::append(&txn, entry).await?;
    let invite = repo::invites::current(&txn, participant_id).await?;
    txn.commit().await.context("commit")?;
    Ok(to_view(services, row, invite))
}

/// Removes a group or juror (its invite and sessions stop working). Only while the contest is a draft, so no
/// submission or score is ever orphaned.
///
/// # Errors
/// `participant-not-found` (404), `contest-locked` (409) once the contest has opened.
pub async fn remove_participant(
    services: &Services,
    session: &AdminSession,
    contest_id: Uuid,
    participant_id: Uuid,
) -> Result<(), ServiceError> {
    let txn = clipjury_db::begin_write(&services.db)
        .await
        .context("begin")?;
    let p = owned_participant(&txn, session, contest_id, participant_id).await?;
    let contest = owned_contest(&txn, session, contest_id).await?;
    if contest.status != ContestStatus::Draft {
        return Err(ServiceError::conflict(
            ErrorCode::ContestLocked,
            "groups and jurors can only be removed while the contest is a draft; revoke the invite instead",
        ));
    }
    repo::participants::delete(&txn, participant_id).await?;
    let mut entry = audit::entry(session, Some(contest_id), "participant.remove");
    entry.before =
        Some(serde_json::json!({ "participant_id": p.id, "role": p.role, "name": p.name }));
    repo::audit::append(&txn, entry).await?;
    txn.commit().await.context("commit")?;
    Ok(())
}
