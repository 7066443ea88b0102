use clipjury_db::repo;
use clipjury_domain::contest::ContestStatus;
use clipjury_domain::error_code::ErrorCode;
use clipjury_domain::judging::ScoreStatus;
use uuid::Uuid;

use super::access::{contest_not_found, group_contest};
use super::results::{ConfirmedPlace, confirmed_result};
use crate::auth::GroupSession;
use crate::{ServiceError, Services};

/// What anybody may read about a published contest.
#[derive(Debug, Clone)]
pub struct PublicResults {
    pub title: String,
    pub slug: String,
    /// `en` or `km`: the language the public page opens in.
    pub default_locale: String,
    pub places: Vec<ConfirmedPlace>,
    pub honourable_mentions: Vec<ConfirmedPlace>,
    /// The page's address under the public URL (in room mode the LAN address phones can open).
    pub share_url: String,
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
        .filter(|c| c.status == ContestStatus::Published)
        .ok_or_else(contest_not_found)?;
    let confirmed = confirmed_result(&services.db, contest.id)
        .await?
        .ok_or_else(contest_not_found)?;
    let share_url = format!(
        "{}/c/{}/results",
        services.config.public_url.trim_end_matches('/'),
        contest.slug
    );
    Ok(PublicResults {
        share_url,
        title: contest.title,
        slug: contest.slug,
        default_locale: contest.default_locale.as_str().to_owned(),
        places: confirmed.places,
        honourable_mentions: confirmed.honourable_mentions,
    })
}

/// Width and height in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Size {
    pub width: u32,
    pub height: u32,
}

/// What a link preview (Open Graph tags) shows of a published contest: its results and the sizes of the first
/// winner's 720p video and 1280 px poster, as the media worker recorded them.
#[derive(Debug, Clone)]
pub struct PublicPreview {
    pub results: PublicResults,
    pub video: Option<Size>,
    pub poster: Option<Size>,
}

/// The public results with the first winner's media sizes, for server-rendered preview tags.
///
/// # Errors
/// `contest-not-found` (404) for an unknown or unpublished contest.
#[tracing::instrument(skip_all)]
pub async fn public_preview(
    services: &Services,
    slug: &str,
) -> Result<PublicPreview, ServiceError> {
    let results = public_results(services, slug).await?;
    let media = match results.places.first() {
        Some(p) => repo::videos::find(&services.db, p.video_id)
            .await?
            .and_then(|v| v.media),
        None => None,
    };
    let size_of = |list: &str, name: &str| {
        let file = media.as_ref()?[list]
            .as_array()?
            .iter()
            .find(|f| f["name"] == name)?;
        Some(Size {
            width: u32::try_from(file["width"].as_u64()?).ok()?,
            height: u32::try_from(file["height"].as_u64()?).ok()?,
        })
    };
    Ok(PublicPreview {
        video: size_of("renditions", "720p.mp4"),
        poster: size_of("posters", "poster-1280.jpg"),
        results,
    })
}

/// A group's result and the jurors' feedback (no names, no private comments).
// Once results are published. The API sends it as it is.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
#[schema(as = FeedbackDto)]
pub struct GroupFeedback {
    pub place: Option<u32>,
    pub honourable_mention: bool,
    pub feedback: Vec<String>,
}

/// The calling group's feedback after publishing.
///
/// # Errors
/// `contest-not-found` (404), `results-not-published` (409).
#[tracing::instrument(skip_all, fields(contest_id = %contest_id))]
pub async fn group_feedback(
    services: &Services,
    session: &GroupSession,
    contest_id: Uuid,
) -> Result<GroupFeedback, ServiceError> {
    let (contest, group_id) = group_contest(&services.db, session, contest_id).await?;
    if contest.status != ContestStatus::Published {
        return Err(ServiceError::conflict(
            ErrorCode::ResultsNotPublished,
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
        .filter(|c| c.status == ScoreStatus::Final && !c.feedback.is_empty())
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
