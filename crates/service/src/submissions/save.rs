use anyhow::Context as _;
use chrono::Utc;
use clipjury_db::repo::submissions::{SubmissionChanges, SubmissionForm, SubmissionRow};
use clipjury_db::{ConnectionTrait, repo};
use clipjury_domain::error_code::ErrorCode;
use clipjury_domain::validation::ValidationError;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::access::{open_for_uploads, own_submission};
use super::view::{SubmissionView, to_view};
use crate::auth::{Actor as _, AdminSession, GroupSession};
use crate::contests::owned_contest;
use crate::{ServiceError, Services, audit};

/// The submission form.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = SubmissionRequest)]
pub struct SubmissionInput {
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// One of the contest's key messages, or the group's own words.
    pub key_message: String,
    #[serde(default)]
    pub purpose: String,
    #[serde(default)]
    pub audience: String,
    /// Must be true: the people filmed agreed to appear.
    pub consent_confirmed: bool,
}

fn text(
    raw: &str,
    max: usize,
    code_empty: Option<ErrorCode>,
    code_long: ErrorCode,
    label: &str,
) -> Result<String, ValidationError> {
    let t = raw.trim();
    if let Some(code) = code_empty.filter(|_| t.is_empty()) {
        return Err(ValidationError::new(code, format!("{label} is required")));
    }
    if t.chars().count() > max {
        return Err(ValidationError::new(
            code_long,
            format!("{label} must be at most {max} characters"),
        ));
    }
    Ok(t.to_owned())
}

/// Checks the form in the order a person reads it; the first problem is the answer.
/// The fields come back trimmed and within their limits, with consent confirmed.
fn validate(input: &SubmissionInput) -> Result<SubmissionForm, ValidationError> {
    let title = text(
        &input.title,
        120,
        Some(ErrorCode::SubmissionTitleEmpty),
        ErrorCode::SubmissionTitleTooLong,
        "The title",
    )?;
    let key_message = text(
        &input.key_message,
        200,
        Some(ErrorCode::KeyMessageEmpty),
        ErrorCode::KeyMessageTooLong,
        "The key message",
    )?;
    let description = text(
        &input.description,
        2000,
        None,
        ErrorCode::DescriptionTooLong,
        "The description",
    )?;
    let purpose = text(
        &input.purpose,
        1000,
        None,
        ErrorCode::PurposeTooLong,
        "The purpose",
    )?;
    let audience = text(
        &input.audience,
        1000,
        None,
        ErrorCode::AudienceTooLong,
        "The audience",
    )?;
    if !input.consent_confirmed {
        return Err(ValidationError::new(
            ErrorCode::ConsentRequired,
            "confirm that the people filmed agreed to appear",
        ));
    }
    Ok(SubmissionForm {
        title,
        description,
        key_message,
        purpose,
        audience,
        consent_confirmed: true,
    })
}

/// Creates or updates the group's submission form. Allowed while the contest takes uploads.
///
/// # Errors
/// `uploads-closed` (403), `consent-required`, `submission-title-empty`, … (400).
#[tracing::instrument(skip_all, fields(contest_id = %contest_id))]
pub async fn save_submission(
    services: &Services,
    session: &GroupSession,
    contest_id: Uuid,
    input: SubmissionInput,
) -> Result<SubmissionView, ServiceError> {
    let form = validate(&input)?;
    let txn = clipjury_db::begin_write(&services.db)
        .await
        .context("begin")?;
    let (contest, existing) = own_submission(&txn, session, contest_id).await?;
    open_for_uploads(&contest, Utc::now())?;
    let (row, action) = match existing {
        Some(row) => {
            let changes = SubmissionChanges {
                form: Some(form),
                ..SubmissionChanges::default()
            };
            let row = repo::submissions::update(&txn, row, changes).await?;
            (row, "submission.update")
        }
        None => {
            let id = Uuid::now_v7();
            let row =
                repo::submissions::insert(&txn, id, contest_id, session.subject(), form).await?;
            (row, "submission.create")
        }
    };
    let mut entry = audit::entry(session, Some(contest_id), action);
    entry.after = Some(
        serde_json::json!({ "submission_id": row.id, "title": row.title, "key_message": row.key_message }),
    );
    repo::audit::append(&txn, entry).await?;
    let view = load_view(&txn, row).await?;
    txn.commit().await.context("commit")?;
    Ok(view)
}

pub(crate) async fn load_view(
    db: &impl ConnectionTrait,
    row: SubmissionRow,
) -> Result<SubmissionView, ServiceError> {
    let current = match row.current_video_id {
        Some(id) => repo::videos::find(db, id).await?,
        None => None,
    };
    let latest = match row.latest_video_id {
        Some(id) => repo::videos::find(db, id).await?,
        None => None,
    };
    let pending = repo::uploads::pending_for_submission(db, row.id).await?;
    let judging_started_at = repo::contests::find(db, row.contest_id)
        .await?
        .and_then(|c| c.judging_started_at);
    Ok(to_view(row, current, latest, pending, judging_started_at))
}

/// The group's own submission, or `None` before the form was first saved.
///
/// # Errors
/// `contest-not-found` (404).
pub async fn get_own_submission(
    services: &Services,
    session: &GroupSession,
    contest_id: Uuid,
) -> Result<Option<SubmissionView>, ServiceError> {
    let (_, row) = own_submission(&services.db, session, contest_id).await?;
    match row {
        Some(row) => Ok(Some(load_view(&services.db, row).await?)),
        None => Ok(None),
    }
}

/// Every submission of a contest, for its admin.
///
/// # Errors
/// `contest-not-found` (404).
pub async fn list_submissions(
    services: &Services,
    session: &AdminSession,
    contest_id: Uuid,
) -> Result<Vec<SubmissionView>, ServiceError> {
    owned_contest(&services.db, session, contest_id).await?;
    let mut out = Vec::new();
    for row in repo::submissions::list(&services.db, contest_id).await? {
        out.push(load_view(&services.db, row).await?);
    }
    Ok(out)
}
