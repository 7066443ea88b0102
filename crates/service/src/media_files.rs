//! Who may fetch a processed file of a video (renditions and posters), and where it is stored.

use clipjury_db::repo;
use clipjury_db::repo::contests::ContestRow;
use clipjury_db::repo::submissions::SubmissionRow;
use clipjury_domain::contest::ContestStatus;
use clipjury_domain::error_code::ErrorCode;
use uuid::Uuid;

use crate::auth::Session;
use crate::{ServiceError, Services};

/// A processed file ready to stream.
#[derive(Debug, Clone)]
pub struct VideoFile {
    pub key: String,
    pub content_type: &'static str,
    pub size: u64,
    /// Strong validator: a video id's files never change.
    pub etag: String,
}

fn content_type(name: &str) -> Option<&'static str> {
    match name {
        "720p.mp4" | "360p.mp4" | "original.mp4" => Some("video/mp4"),
        _ => {
            let (stem, ext) = name.rsplit_once('.')?;
            let size = stem.strip_prefix("poster-")?;
            if !["1280", "640", "320"].contains(&size) {
                return None;
            }
            match ext {
                "jpg" => Some("image/jpeg"),
                "webp" => Some("image/webp"),
                _ => None,
            }
        }
    }
}

/// How a caller stands to a video: the one place media access looks at the session's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Viewer {
    /// The admin who owns the video's contest.
    Owner,
    /// The group whose submission it is.
    OwnGroup,
    /// A juror, of the video's contest or of another.
    Juror { of_contest: bool },
    /// Anyone else, signed in or not.
    Other,
}

impl Viewer {
    fn of(session: Option<&Session>, contest: &ContestRow, submission: &SubmissionRow) -> Self {
        match session {
            Some(Session::Admin(a)) if a.admin_id() == contest.owner_id => Self::Owner,
            Some(Session::Group(g)) if g.participant_id() == submission.group_id => Self::OwnGroup,
            Some(Session::Juror(j)) => Self::Juror {
                of_contest: j.contest_id() == contest.id,
            },
            _ => Self::Other,
        }
    }
}

/// Opens `name` (`720p.mp4`, `360p.mp4`, `original.mp4`, `poster-{1280,640,320}.{jpg,webp}`) of a video for
/// `session`:
/// a group its own videos; a juror the visible video of entries in the contest they judge, once judging started;
/// the admin everything in their contests; anybody, signed in or not, the videos of a published contest's
/// confirmed winners and honourable mentions. Anything else, and files that do not exist yet, get 404.
///
/// # Errors
/// `sign-in-required` (401) without a session for a non-public video; `video-file-not-found` (404).
pub async fn open_video_file(
    services: &Services,
    session: Option<&Session>,
    video_id: Uuid,
    name: &str,
) -> Result<VideoFile, ServiceError> {
    let not_found = || ServiceError::not_found(ErrorCode::VideoFileNotFound, "no such video file");
    let content_type = content_type(name).ok_or_else(not_found)?;
    let video = repo::videos::find(&services.db, video_id)
        .await?
        .ok_or_else(not_found)?;
    let submission = repo::submissions::find(&services.db, video.submission_id)
        .await?
        .ok_or_else(not_found)?;
    let contest = repo::contests::find(&services.db, submission.contest_id)
        .await?
        .ok_or_else(not_found)?;
    let allowed = match Viewer::of(session, &contest, &submission) {
        Viewer::Owner | Viewer::OwnGroup => true,
        Viewer::Juror { of_contest: true } => {
            submission.current_video_id == Some(video_id)
                && matches!(contest.status.as_str(), "judging" | "closed" | "published")
        }
        _ => false,
    };
    let allowed = allowed || is_public_winner(services, &contest, video_id).await?;
    if !allowed && session.is_none() {
        return Err(ServiceError::unauthenticated(
            ErrorCode::SignInRequired,
            "please sign in or open your invite link",
        ));
    }
    if !allowed {
        return Err(not_found());
    }
    let key = format!("videos/{video_id}/{name}");
    let size = match services.storage.size(&key).await {
        Ok(size) => size,
        Err(clipjury_storage::StorageError::NotFound(_)) => return Err(not_found()),
        Err(e) => return Err(e.into()),
    };
    Ok(VideoFile {
        key,
        content_type,
        size,
        etag: format!("\"{video_id}-{name}\""),
    })
}

/// Whether the video belongs to a confirmed winner or honourable mention of a published contest.
async fn is_public_winner(
    services: &Services,
    contest: &ContestRow,
    video_id: Uuid,
) -> Result<bool, ServiceError> {
    if contest.status != ContestStatus::Published {
        return Ok(false);
    }
    Ok(crate::judging::confirmed_result(&services.db, contest.id)
        .await?
        .is_some_and(|r| {
            r.places
                .iter()
                .chain(&r.honourable_mentions)
                .any(|p| p.video_id == video_id)
        }))
}

/// A file name for saving `name` of a video, for uploading it elsewhere (YouTube, Facebook): `{place}-{group}-{title}`
/// for a confirmed winner, `{group}-{title}` otherwise; other files than the 720p rendition get their own name
/// appended (`…-360p.mp4`, `…-poster-1280.jpg`). A name never tells more than the caller may know: a juror's names
/// carry the title only (no group: the contest may be anonymised), and the place appears for the admin, or for
/// anyone once the results are published (a group must not learn its place from a file name before that). Call
/// after [`open_video_file`] allowed the file.
///
/// # Errors
/// `video-file-not-found` (404) when the video is gone.
pub async fn download_name(
    services: &Services,
    session: Option<&Session>,
    video_id: Uuid,
    name: &str,
) -> Result<String, ServiceError> {
    let not_found = || ServiceError::not_found(ErrorCode::VideoFileNotFound, "no such video file");
    let video = repo::videos::find(&services.db, video_id)
        .await?
        .ok_or_else(not_found)?;
    let submission = repo::submissions::find(&services.db, video.submission_id)
        .await?
        .ok_or_else(not_found)?;
    let contest = repo::contests::find(&services.db, submission.contest_id)
        .await?
        .ok_or_else(not_found)?;
    let viewer = Viewer::of(session, &contest, &submission);
    let admin = viewer == Viewer::Owner;
    let juror = matches!(viewer, Viewer::Juror { .. });
    let group = if juror {
        String::new()
    } else {
        repo::participants::find(&services.db, submission.group_id)
            .await?
            .map(|g| g.name)
            .unwrap_or_default()
    };
    let place = if admin || contest.status == ContestStatus::Published {
        crate::judging::confirmed_result(&services.db, submission.contest_id)
            .await?
            .and_then(|r| r.places.into_iter().find(|p| p.video_id == video_id))
            .and_then(|p| p.place)
    } else {
        None
    };
    let mut parts: Vec<String> = place.map(|p| p.to_string()).into_iter().collect();
    parts.extend([slug(&group), slug(&submission.title)]);
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name, "bin"));
    if name != "720p.mp4" {
        parts.push(stem.to_owned());
    }
    let base = parts
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    Ok(format!(
        "{}.{ext}",
        if base.is_empty() { "video" } else { &base }
    ))
}

/// Lower-case words joined by `-`, at most 60 characters; letters of any script (Khmer included) are kept, spaces,
/// ASCII punctuation (`/`, `:`, `"` …) and control characters become separators.
fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        // Khmer vowel signs and the coeng are not alphanumeric in Rust's tables but belong to the word.
        let keep = c.is_alphanumeric() || (!c.is_ascii() && !c.is_whitespace() && !c.is_control());
        if keep {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
        if out.chars().count() >= 60 {
            break;
        }
    }
    out.trim_end_matches('-').to_owned()
}

#[cfg(test)]
mod tests {
    use super::{content_type, slug};

    #[test]
    fn download_names_keep_letters_of_any_script() {
        assert_eq!(slug("Lotus Group"), "lotus-group");
        assert_eq!(
            slug("  Respect / women: equally!  "),
            "respect-women-equally"
        );
        assert_eq!(slug("ក្រុម ផ្កាឈូក"), "ក្រុម-ផ្កាឈូក");
        assert_eq!(slug("\"<>|?*"), "");
        assert_eq!(slug(&"a".repeat(100)).len(), 60);
    }

    #[test]
    fn only_known_file_names_are_served() {
        assert_eq!(content_type("720p.mp4"), Some("video/mp4"));
        assert_eq!(content_type("original.mp4"), Some("video/mp4"));
        assert_eq!(content_type("poster-640.webp"), Some("image/webp"));
        assert_eq!(content_type("poster-320.jpg"), Some("image/jpeg"));
        for bad in [
            "source",
            "poster-999.jpg",
            "../x.mp4",
            "poster-640.png",
            "1080p.mp4",
        ] {
            assert_eq!(content_type(bad), None, "{bad}");
        }
    }
}

/// Where to fetch an entry's video and poster. A video plays as soon as one rendition is stored: players take
/// the first of these that is present (the others follow while it is processed).
// Built by `media_urls`; the API sends it as it is.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[schema(as = MediaDto)]
pub struct MediaUrls {
    pub video_id: Uuid,
    /// 720p rendition, once stored.
    pub video_720p_url: Option<String>,
    /// 360p rendition (data saver), once stored.
    pub video_360p_url: Option<String>,
    /// The stream-copied original: the first playable rendition of an H.264/AAC upload.
    pub video_original_url: Option<String>,
    pub poster_url: String,
}

/// Rendition and poster names a video's media document lists (its `renditions` and `posters` arrays).
#[must_use]
pub fn stored_files(media: Option<&serde_json::Value>) -> Vec<String> {
    let Some(m) = media else { return Vec::new() };
    ["posters", "renditions"]
        .iter()
        .filter_map(|k| m[*k].as_array())
        .flatten()
        .filter_map(|f| f["name"].as_str().map(str::to_owned))
        .collect()
}

/// The URLs of a visible video's files: each rendition that is stored (`files` lists the stored names; `None`
/// means a complete video: both renditions), and the poster.
#[must_use]
pub fn media_urls(video_id: Uuid, files: Option<&[String]>) -> MediaUrls {
    let url = |name: &str| {
        files
            .is_none_or(|f| f.iter().any(|n| n == name))
            .then(|| format!("/api/videos/{video_id}/{name}"))
    };
    MediaUrls {
        video_id,
        video_720p_url: url("720p.mp4"),
        video_360p_url: url("360p.mp4"),
        video_original_url: files.and_then(|_| url("original.mp4")),
        poster_url: format!("/api/videos/{video_id}/poster-640.jpg"),
    }
}

/// A presigned URL for a file the caller may already read ([`open_video_file`] checked that), when the store is
/// S3 and `presign_seconds` is set; `None` means: stream it through the API.
///
/// # Errors
/// [`ServiceError::Unexpected`] when signing fails.
pub async fn presigned_url(
    services: &Services,
    file: &VideoFile,
) -> Result<Option<String>, ServiceError> {
    let seconds = services.config.presign_seconds;
    if seconds == 0 {
        return Ok(None);
    }
    Ok(services
        .storage
        .presigned_get(&file.key, std::time::Duration::from_secs(seconds))
        .await?)
}
