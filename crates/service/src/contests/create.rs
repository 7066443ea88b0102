use anyhow::Context as _;
use chrono::{DateTime, Utc};
use clipjury_db::{DbError, repo};
use clipjury_domain::contest::{
    ContestStatus, ContestTitle, KeyMessages, Locale, UploadLimits, parse_ranking_method,
};
use clipjury_domain::judging::{Rubric, TieRule};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::update::{check_deadlines, long_text};
use super::view::ContestView;
use crate::auth::AdminSession;
use crate::{ServiceError, Services, audit};

/// A new contest. Only the title is required; the rest takes the instance defaults.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = CreateContestRequest)]
pub struct NewContest {
    pub title: String,
    pub brief: Option<String>,
    pub rules: Option<String>,
    pub key_messages: Option<Vec<String>>,
    pub max_duration_seconds: Option<u32>,
    pub duration_tolerance_seconds: Option<u32>,
    pub max_upload_bytes: Option<u64>,
    pub upload_deadline: Option<DateTime<Utc>>,
    pub judging_deadline: Option<DateTime<Utc>>,
    /// `mean` (default), `median`, `zscore` or `rank_sum`.
    pub ranking_method: Option<String>,
    pub anonymised: Option<bool>,
    /// `en` or `km`.
    pub default_locale: Option<String>,
}

/// Creates a contest in `draft`, owned by the calling admin.
///
/// # Errors
/// Validation errors for bad fields.
#[tracing::instrument(skip_all)]
pub async fn create_contest(
    services: &Services,
    session: &AdminSession,
    new: NewContest,
) -> Result<ContestView, ServiceError> {
    let admin_id = session.admin_id();
    let d = services.config.contest_defaults;
    let title = ContestTitle::parse(&new.title)?;
    let key_messages = KeyMessages::parse(&new.key_messages.unwrap_or_default())?;
    let limits = UploadLimits::parse(
        new.max_duration_seconds.unwrap_or(d.max_duration_seconds),
        new.duration_tolerance_seconds
            .unwrap_or(d.duration_tolerance_seconds),
        new.max_upload_bytes.unwrap_or(d.max_upload_bytes),
    )?;
    check_deadlines(new.upload_deadline, new.judging_deadline)?;
    let ranking_method = new
        .ranking_method
        .as_deref()
        .map(parse_ranking_method)
        .transpose()?
        .unwrap_or_default();
    let locale = Locale::parse(new.default_locale.as_deref().unwrap_or("en"))?;
    let brief = long_text(new.brief.unwrap_or_default(), "brief")?;
    let rules = long_text(new.rules.unwrap_or_default(), "rules")?;

    let rubric_json = serde_json::to_value(Rubric::default_for_new_contest())
        .context("serialising the default rubric")?;
    let tie_rule_json =
        serde_json::to_value(TieRule::default()).context("serialising the default tie rule")?;
    let id = Uuid::now_v7();
    let mut attempt = 0;
    loop {
        attempt += 1;
        let slug = format!(
            "{}-{}",
            title.slug_base(),
            crate::auth::random_token(4)
                .to_lowercase()
                .replace(['-', '_'], "x")
        );
        let row = repo::contests::NewContest {
            id,
            slug,
            owner_id: admin_id,
            title: title.as_str().to_owned(),
            brief: brief.clone(),
            rules: rules.clone(),
            key_messages: serde_json::json!(key_messages.as_slice()),
            max_duration_seconds: i32::try_from(limits.max_duration_seconds).unwrap_or(i32::MAX),
            duration_tolerance_seconds: i32::try_from(limits.duration_tolerance_seconds)
                .unwrap_or(i32::MAX),
            max_upload_bytes: i64::try_from(limits.max_upload_bytes).unwrap_or(i64::MAX),
            upload_deadline: new.upload_deadline,
            judging_deadline: new.judging_deadline,
            ranking_method,
            anonymised: new.anonymised.unwrap_or(false),
            default_locale: locale,
            status: ContestStatus::Draft,
            rubric: rubric_json.clone(),
            tie_rule: tie_rule_json.clone(),
        };
        let txn = clipjury_db::begin_write(&services.db)
            .await
            .context("begin")?;
        match repo::contests::insert(&txn, row).await {
            Ok(created) => {
                let mut entry = audit::entry(session, Some(id), "contest.create");
                entry.after =
                    Some(serde_json::json!({ "title": created.title, "status": created.status }));
                repo::audit::append(&txn, entry).await?;
                txn.commit().await.context("commit")?;
                return Ok(ContestView::try_from(created)?);
            }
            Err(DbError::UniqueViolation(_)) if attempt < 5 => continue,
            Err(e) => return Err(e.into()),
        }
    }
}
