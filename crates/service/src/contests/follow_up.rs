use anyhow::Context as _;
use clipjury_db::repo::contests::{ContestRow, NewContest};
use clipjury_db::repo::participants::ParticipantRow;
use clipjury_db::{DatabaseTransaction, DbError, TransactionTrait, repo};
use clipjury_domain::contest::{ContestStatus, ContestTitle};
use clipjury_domain::error_code::ErrorCode;
use clipjury_domain::participant::Role;
use clipjury_domain::validation::ValidationError;
use uuid::Uuid;

use super::access::owned_contest;
use super::view::ContestView;
use crate::auth::AdminSession;
use crate::participants::{ParticipantView, issue_invite, to_view};
use crate::{ServiceError, Services, audit};

/// A follow-up contest and its participants with their fresh invites.
#[derive(Debug, Clone)]
pub struct FollowUp {
    pub contest: ContestView,
    pub participants: Vec<ParticipantView>,
}

/// Starts a follow-up round from a published contest: a new `draft` contest with the same brief, rules, key
/// messages, limits, rubric, tie rule and settings (no deadlines), the same jurors and the picked groups, each keeping
/// its name and getting a new invite.
///
/// # Errors
/// `contest-not-found` (404), `contest-not-published` (409),
/// `follow-up-groups-required`, `group-not-in-contest` (400), title validation errors.
#[tracing::instrument(skip_all, fields(contest_id = %source_id))]
pub async fn create_follow_up(
    services: &Services,
    session: &AdminSession,
    source_id: Uuid,
    group_ids: Vec<Uuid>,
    title: Option<String>,
) -> Result<FollowUp, ServiceError> {
    let txn = clipjury_db::begin_write(&services.db)
        .await
        .context("begin")?;
    let source_row = owned_contest(&txn, session, source_id).await?;
    let source = ContestView::try_from(source_row.clone())?;
    if source.status != ContestStatus::Published {
        return Err(ServiceError::conflict(
            ErrorCode::ContestNotPublished,
            "a follow-up round starts from a published contest",
        ));
    }
    let all = repo::participants::list(&txn, source_id, None).await?;
    let groups = picked_groups(&all, &group_ids)?;
    let title = follow_up_title(title, &source.title)?;
    let created = insert_contest(&txn, source_row, &title).await?;
    let jurors = all.iter().filter(|p| p.role == Role::Juror);
    let mut participants = Vec::new();
    for p in jurors.chain(groups) {
        let row =
            repo::participants::insert(&txn, Uuid::now_v7(), created.id, p.role, &p.name).await?;
        let invite = issue_invite(&txn, services, row.id).await?;
        participants.push(to_view(services, row, Some(invite)));
    }
    record(&txn, session, source_id, &created, &participants).await?;
    txn.commit().await.context("commit")?;
    Ok(FollowUp {
        contest: ContestView::try_from(created)?,
        participants,
    })
}

/// The picked groups of the source contest, each once, in the order picked.
fn picked_groups<'a>(
    all: &'a [ParticipantRow],
    group_ids: &[Uuid],
) -> Result<Vec<&'a ParticipantRow>, ServiceError> {
    if group_ids.is_empty() {
        return Err(ValidationError::new(
            ErrorCode::FollowUpGroupsRequired,
            "pick the groups to invite to the follow-up round",
        )
        .into());
    }
    let mut groups: Vec<&ParticipantRow> = Vec::new();
    for id in group_ids {
        let g = all
            .iter()
            .find(|p| p.id == *id && p.role == Role::Group)
            .ok_or_else(|| {
                ValidationError::new(
                    ErrorCode::GroupNotInContest,
                    format!("{id} is not a group of this contest"),
                )
            })?;
        if !groups.iter().any(|x| x.id == g.id) {
            groups.push(g);
        }
    }
    Ok(groups)
}

/// The title asked for, or the source's with "(follow-up)" (its own when that would be too long).
fn follow_up_title(title: Option<String>, source: &str) -> Result<ContestTitle, ServiceError> {
    Ok(match title {
        Some(t) => ContestTitle::parse(&t)?,
        None => ContestTitle::parse(&format!("{source} (follow-up)"))
            .or_else(|_| ContestTitle::parse(source))?,
    })
}

/// Inserts the follow-up contest: a `draft` copy of the source under the new title, without deadlines, with a
/// fresh slug (drawn again on the rare clash).
async fn insert_contest(
    txn: &DatabaseTransaction,
    source: ContestRow,
    title: &ContestTitle,
) -> Result<ContestRow, ServiceError> {
    let template = NewContest {
        id: Uuid::now_v7(),
        title: title.as_str().to_owned(),
        upload_deadline: None,
        judging_deadline: None,
        status: ContestStatus::Draft,
        ..NewContest::from(source)
    };
    let mut attempt = 0;
    loop {
        attempt += 1;
        let mut row = template.clone();
        row.slug = format!(
            "{}-{}",
            title.slug_base(),
            crate::auth::random_token(4)
                .to_lowercase()
                .replace(['-', '_'], "x")
        );
        // A savepoint, so a slug clash does not abort the whole transaction on PostgreSQL.
        let sp = txn.begin().await.context("savepoint")?;
        match repo::contests::insert(&sp, row).await {
            Ok(c) => {
                sp.commit().await.context("release savepoint")?;
                return Ok(c);
            }
            Err(DbError::UniqueViolation(_)) if attempt < 5 => {
                sp.rollback().await.context("rollback savepoint")?;
            }
            Err(e) => return Err(e.into()),
        }
    }
}

/// Records the follow-up in the audit logs of both contests.
async fn record(
    txn: &DatabaseTransaction,
    session: &AdminSession,
    source_id: Uuid,
    created: &ContestRow,
    participants: &[ParticipantView],
) -> Result<(), ServiceError> {
    let names = |role: &str| -> Vec<String> {
        participants
            .iter()
            .filter(|p| p.role.as_str() == role)
            .map(|p| p.name.clone())
            .collect()
    };
    let mut entry = audit::entry(session, Some(created.id), "contest.follow_up");
    entry.after = Some(serde_json::json!({
        "from_contest_id": source_id, "title": created.title,
        "groups": names("group"), "jurors": names("juror"),
    }));
    repo::audit::append(txn, entry).await?;
    let mut entry = audit::entry(session, Some(source_id), "contest.follow_up");
    entry.after =
        Some(serde_json::json!({ "follow_up_contest_id": created.id, "groups": names("group") }));
    repo::audit::append(txn, entry).await?;
    Ok(())
}
