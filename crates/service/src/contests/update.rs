use anyhow::Context as _;
use chrono::{DateTime, Utc};
use clipjury_db::repo;
use clipjury_db::repo::contests::ContestChanges;
use clipjury_domain::contest::{
    ContestStatus, ContestTitle, KeyMessages, Locale, UploadLimits, parse_ranking_method,
};
use clipjury_domain::error_code::ErrorCode;
use clipjury_domain::validation::ValidationError;
use serde::{Deserialize, Deserializer};
use utoipa::ToSchema;
use uuid::Uuid;

use super::access::owned_contest;
use super::view::ContestView;
use crate::auth::AdminSession;
use crate::{ServiceError, Services, audit};

/// Fields to change; omitted fields stay. Send `null` for a deadline to clear it.
// `None` leaves a field as it is; for the deadlines, `Some(None)` (a `null` in the request) clears it.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = UpdateContestRequest)]
pub struct ContestPatch {
    pub title: Option<String>,
    pub brief: Option<String>,
    pub rules: Option<String>,
    pub key_messages: Option<Vec<String>>,
    pub max_duration_seconds: Option<u32>,
    pub duration_tolerance_seconds: Option<u32>,
    pub max_upload_bytes: Option<u64>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<DateTime<Utc>>)]
    pub upload_deadline: Option<Option<DateTime<Utc>>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<DateTime<Utc>>)]
    pub judging_deadline: Option<Option<DateTime<Utc>>>,
    pub ranking_method: Option<String>,
    pub anonymised: Option<bool>,
    pub default_locale: Option<String>,
}

/// Present-but-null means "clear"; absent means "leave as is".
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

impl ContestPatch {
    /// Whether the patch touches what groups and jurors relied on once the contest opened: upload limits, key
    /// messages, ranking method, anonymity. Those are frozen from `judging` on.
    fn touches_rules(&self) -> bool {
        self.key_messages.is_some()
            || self.max_duration_seconds.is_some()
            || self.duration_tolerance_seconds.is_some()
            || self.max_upload_bytes.is_some()
            || self.ranking_method.is_some()
            || self.anonymised.is_some()
    }
}

pub(crate) fn check_deadlines(
    upload: Option<DateTime<Utc>>,
    judging: Option<DateTime<Utc>>,
) -> Result<(), ValidationError> {
    match (upload, judging) {
        (Some(u), Some(j)) if j <= u => Err(ValidationError::new(
            ErrorCode::DeadlinesOutOfOrder,
            "the judging deadline must come after the upload deadline",
        )),
        _ => Ok(()),
    }
}

pub(crate) fn long_text(text: String, what: &str) -> Result<String, ValidationError> {
    if text.chars().count() > 20_000 {
        return Err(ValidationError::new(
            ErrorCode::TextTooLong,
            format!("the {what} must be at most 20000 characters"),
        ));
    }
    Ok(text.trim().to_owned())
}

/// Changes a contest's settings. Title, brief, rules and deadlines stay editable until it is published; limits,
/// key messages, ranking method and anonymity only while it is `draft` or `open`.
///
/// # Errors
/// `contest-not-found` (404), `contest-locked` (409), validation errors.
#[tracing::instrument(skip_all, fields(contest_id = %contest_id))]
pub async fn update_contest(
    services: &Services,
    session: &AdminSession,
    contest_id: Uuid,
    patch: ContestPatch,
) -> Result<ContestView, ServiceError> {
    let txn = clipjury_db::begin_write(&services.db)
        .await
        .context("begin")?;
    let row = owned_contest(&txn, session, contest_id).await?;
    let before = ContestView::try_from(row)?;
    if before.status == ContestStatus::Published {
        return Err(ServiceError::conflict(
            ErrorCode::ContestLocked,
            "a published contest cannot be edited; unpublish it first",
        ));
    }
    if patch.touches_rules() && !before.status.settings_editable() {
        return Err(ServiceError::conflict(
            ErrorCode::ContestLocked,
            "limits, key messages, ranking method and anonymity are fixed once judging starts",
        ));
    }
    let mut changes = ContestChanges::default();
    if let Some(t) = &patch.title {
        changes.title = Some(ContestTitle::parse(t)?.as_str().to_owned());
    }
    if let Some(b) = patch.brief {
        changes.brief = Some(long_text(b, "brief")?);
    }
    if let Some(r) = patch.rules {
        changes.rules = Some(long_text(r, "rules")?);
    }
    if let Some(k) = &patch.key_messages {
        changes.key_messages = Some(serde_json::json!(KeyMessages::parse(k)?.as_slice()));
    }
    let limits = UploadLimits::parse(
        patch
            .max_duration_seconds
            .unwrap_or(before.max_duration_seconds),
        patch
            .duration_tolerance_seconds
            .unwrap_or(before.duration_tolerance_seconds),
        patch.max_upload_bytes.unwrap_or(before.max_upload_bytes),
    )?;
    changes.max_duration_seconds =
        Some(i32::try_from(limits.max_duration_seconds).unwrap_or(i32::MAX));
    changes.duration_tolerance_seconds =
        Some(i32::try_from(limits.duration_tolerance_seconds).unwrap_or(i32::MAX));
    changes.max_upload_bytes = Some(i64::try_from(limits.max_upload_bytes).unwrap_or(i64::MAX));
    let upload_deadline = patch.upload_deadline.unwrap_or(before.upload_deadline);
    let judging_deadline = patch.judging_deadline.unwrap_or(before.judging_deadline);
    check_deadlines(upload_deadline, judging_deadline)?;
    changes.upload_deadline = Some(upload_deadline);
    changes.judging_deadline = Some(judging_deadline);
    if let Some(m) = &patch.ranking_method {
        changes.ranking_method = Some(parse_ranking_method(m)?);
    }
    changes.anonymised = patch.anonymised;
    if let Some(l) = &patch.default_locale {
        changes.default_locale = Some(Locale::parse(l)?);
    }
    let updated = repo::contests::update(&txn, contest_id, changes).await?;
    let after = ContestView::try_from(updated)?;
    let mut entry = audit::entry(session, Some(contest_id), "contest.update");
    entry.before = Some(snapshot(&before));
    entry.after = Some(snapshot(&after));
    repo::audit::append(&txn, entry).await?;
    txn.commit().await.context("commit")?;
    Ok(after)
}

/// The editable fields of a contest, for the audit log.
fn snapshot(c: &ContestView) -> serde_json::Value {
    serde_json::json!({
        "title": c.title, "brief": c.brief, "rules": c.rules, "key_messages": c.key_messages,
        "max_duration_seconds": c.max_duration_seconds, "duration_tolerance_seconds": c.duration_tolerance_seconds,
        "max_upload_bytes": c.max_upload_bytes, "upload_deadline": c.upload_deadline,
        "judging_deadline": c.judging_deadline, "ranking_method": c.ranking_method, "anonymised": c.anonymised,
        "default_locale": c.default_locale,
    })
}
