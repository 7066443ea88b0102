use chrono::{DateTime, Utc};
use clipjury_service::submissions::{SubmissionInput, SubmissionView, VideoView};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// The submission form.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubmissionRequest {
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

impl From<SubmissionRequest> for SubmissionInput {
    fn from(r: SubmissionRequest) -> Self {
        Self {
            title: r.title,
            description: r.description,
            key_message: r.key_message,
            purpose: r.purpose,
            audience: r.audience,
            consent_confirmed: r.consent_confirmed,
        }
    }
}

/// One uploaded video.
#[derive(Debug, Serialize, ToSchema)]
pub struct VideoDto {
    pub id: Uuid,
    /// `processing`, `ready` or `failed`.
    pub status: String,
    /// 0.0–1.0 while processing.
    pub progress: f32,
    pub failure_code: Option<String>,
    pub failure_message: Option<String>,
    pub source_bytes: u64,
    pub original_filename: Option<String>,
    /// Poster (640 px JPEG) as soon as the probe is done, before the transcode finishes.
    pub poster_url: Option<String>,
    /// 720p rendition, once stored.
    pub video_720p_url: Option<String>,
    /// 360p rendition (data saver), once stored.
    pub video_360p_url: Option<String>,
    /// The original stream-copied (metadata stripped, faststart): the first playable rendition of an H.264/AAC
    /// upload, stored while the 720p and 360p ones are encoded.
    pub video_original_url: Option<String>,
    /// A rendition is stored and the video plays; `status` stays `processing` until every rendition is.
    pub playable: bool,
    pub created_at: DateTime<Utc>,
}

impl From<VideoView> for VideoDto {
    fn from(v: VideoView) -> Self {
        let (poster_url, video_720p_url, video_360p_url, video_original_url) = (
            url(&v, "poster-640.jpg"),
            url(&v, "720p.mp4"),
            url(&v, "360p.mp4"),
            url(&v, "original.mp4"),
        );
        Self {
            id: v.id,
            status: v.status,
            progress: v.progress,
            failure_code: v.failure_code,
            failure_message: v.failure_message,
            source_bytes: v.source_bytes,
            original_filename: v.original_filename,
            poster_url,
            video_720p_url,
            video_360p_url,
            video_original_url,
            playable: v.playable,
            created_at: v.created_at,
        }
    }
}

fn url(v: &VideoView, name: &str) -> Option<String> {
    v.files
        .iter()
        .any(|f| f == name)
        .then(|| format!("/api/videos/{}/{name}", v.id))
}

/// Bytes of an unfinished upload that reached the server (advances with each tus PATCH of ≤ 5 MB from the web app).
#[derive(Debug, Serialize, ToSchema)]
pub struct UploadProgressDto {
    pub received_bytes: u64,
    pub total_bytes: u64,
}

/// A submission with its visible and newest videos.
#[derive(Debug, Serialize, ToSchema)]
pub struct SubmissionDto {
    pub id: Uuid,
    pub contest_id: Uuid,
    pub group_id: Uuid,
    pub title: String,
    pub description: String,
    pub key_message: String,
    pub purpose: String,
    pub audience: String,
    pub consent_confirmed: bool,
    /// A photo of the signed consent form was uploaded.
    pub has_consent_photo: bool,
    /// `draft`, `uploading`, `processing`, `ready` or `failed`.
    pub status: String,
    /// The newest ready video: what jurors and the public see.
    pub current_video: Option<VideoDto>,
    /// A newer video still processing or failed (or late); the current one stays visible meanwhile.
    pub latest_video: Option<VideoDto>,
    /// The newest video arrived after judging opened: jurors keep seeing the current one until an admin accepts it
    /// (`POST …/submissions/{id}/accept-video`).
    pub latest_video_late: bool,
    /// An unfinished upload to resume (`/api/uploads/{id}`).
    pub pending_upload_id: Option<String>,
    /// How far that unfinished upload got, for the admin's live board.
    pub upload_progress: Option<UploadProgressDto>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<SubmissionView> for SubmissionDto {
    fn from(s: SubmissionView) -> Self {
        Self {
            id: s.id,
            contest_id: s.contest_id,
            group_id: s.group_id,
            title: s.title,
            description: s.description,
            key_message: s.key_message,
            purpose: s.purpose,
            audience: s.audience,
            consent_confirmed: s.consent_confirmed,
            has_consent_photo: s.has_consent_photo,
            status: s.status.as_str().to_owned(),
            current_video: s.current_video.map(Into::into),
            latest_video: s.latest_video.map(Into::into),
            latest_video_late: s.latest_video_late,
            pending_upload_id: s.pending_upload_id,
            upload_progress: s.pending_upload_bytes.map(|(received_bytes, total_bytes)| {
                UploadProgressDto {
                    received_bytes,
                    total_bytes,
                }
            }),
            created_at: s.created_at,
            updated_at: s.updated_at,
        }
    }
}

/// Accepting a video that arrived after judging opened.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptVideoRequest {
    /// The late video (the submission's `latest_video`).
    pub video_id: Uuid,
    /// Why it may replace the video jurors were scoring; goes into the audit log.
    pub reason: String,
}
