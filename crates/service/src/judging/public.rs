use clipjury_db::repo;
use clipjury_domain::contest::ContestStatus;
use uuid::Uuid;

use super::access::{contest_not_found, group_contest};
use super::results::{ConfirmedPlace, confirmed_result};
use crate::auth::Session;
use crate::{ServiceError, Services};

/// What anybody may read about a published contest.
#[derive(Debug, Clone)]
pub struct PublicResults {
    pub title: String,
    pub slug: String,
    pub places: Vec<ConfirmedPlace>,
    pub honourable_mentions: Vec<ConfirmedPlace>,
}

/// The winners of a published contest; anything else is `contest-not-found`.
///
/// # Errors
/// `contest-not-found` (404).
#[tracing::instrument(skip_all)]
pub async fn public_results(
    services: &Services,
    slug: &str,
) -> Result<PublicResults, ServiceError> {
    let contest = repo::contests::find_by_slug(&services.db, slug)
        .await?
        .filter(|c| c.status == ContestStatus::Published.as_str())
        .ok_or_else(contest_not_found)?;
    let confirmed = confirmed_result(&services.db, contest.id)
        .await?
        .ok_or_else(contest_not_found)?;
    Ok(PublicResults {
        title: contest.title,
        slug: contest.slug,
        places: confirmed.places,
        honourable_mentions: confirmed.honourable_mentions,
    })
}

/// The jurors' feedback to a group, once results are published: no private comments, no juror names.
#[derive(Debug, Clone)]
pub struct GroupFeedback {
    pub place: Option<u32>,
    pub honourable_mention: bool,
    pub feedback: Vec<String>,
}

/// The calling group's feedback after publishing.
///
/// # Errors
/// `contest-not-found` (404), `forbidden-role` (403), `results-not-published` (409).
#[tracing::instrument(skip_all, fields(contest_id = %contest_id))]
pub async fn group_feedback(
    services: &Services,
    session: &Session,
    contest_id: Uuid,
) -> Result<GroupFeedback, ServiceError> {
    let (contest, group_id) = group_contest(&services.db, session, contest_id).await?;
    if contest.status != ContestStatus::Published.as_str() {
        return Err(ServiceError::conflict(
            "results-not-published",
            "feedback is shown once the results are published",
        ));
    }
    let confirmed = confirmed_result(&services.db, contest_id).await?;
    let place = confirmed
        .as_ref()
        .and_then(|c| c.places.iter().find(|p| p.group_id == group_id))
        .and_then(|p| p.place);
    let honourable_mention = confirmed
        .as_ref()
        .is_some_and(|c| c.honourable_mentions.iter().any(|p| p.group_id == group_id));
    let Some(sub) = repo::submissions::find_for_group(&services.db, contest_id, group_id).await?
    else {
        return Ok(GroupFeedback {
            place,
            honourable_mention,
            feedback: Vec::new(),
        });
    };
    let mut feedback: Vec<String> = repo::scores::list_for_submission(&services.db, sub.id)
        .await?
        .into_iter()
        .filter(|c| c.status == "final" && !c.feedback.is_empty())
        .map(|c| c.feedback)
        .collect();
    // Sorted, so the order does not tell which juror wrote what.
    feedback.sort();
    Ok(GroupFeedback {
        place,
        honourable_mention,
        feedback,
    })
}
