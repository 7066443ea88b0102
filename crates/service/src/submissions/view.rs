use chrono::{DateTime, Utc};
use clipjury_db::repo::submissions::SubmissionRow;
use clipjury_db::repo::videos::VideoRow;
use clipjury_domain::video::VideoStatus;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

// The API sends these views as they are, under the schema names its DTOs had.

/// Where a submission stands, from the group's point of view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SubmissionStatus {
    /// Form saved, no video yet.
    Draft,
    /// A video is being uploaded.
    Uploading,
    /// The newest video is being processed.
    Processing,
    /// The newest video is ready.
    Ready,
    /// The newest video could not be processed (see its failure code); an earlier ready video stays visible.
    Failed,
}

/// One uploaded video.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = VideoDto)]
pub struct VideoView {
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

impl From<VideoRow> for VideoView {
    fn from(v: VideoRow) -> Self {
        let playable = v.status == VideoStatus::Ready
            || v.media
                .as_ref()
                .is_some_and(|m| m.get("playable_at").is_some());
        // Each file the media document lists is served under `/api/videos/{id}/`.
        let files = crate::media_files::stored_files(v.media.as_ref());
        let url = |name: &str| {
            files
                .iter()
                .any(|f| f == name)
                .then(|| format!("/api/videos/{}/{name}", v.id))
        };
        Self {
            id: v.id,
            status: v.status.as_str().to_owned(),
            progress: v.progress,
            failure_code: v.failure_code,
            failure_message: v.failure_message,
            source_bytes: u64::try_from(v.source_bytes).unwrap_or(0),
            original_filename: v.original_filename,
            poster_url: url("poster-640.jpg"),
            video_720p_url: url("720p.mp4"),
            video_360p_url: url("360p.mp4"),
            video_original_url: url("original.mp4"),
            playable,
            created_at: v.created_at,
        }
    }
}

/// Bytes of an unfinished upload that reached the server (advances with each tus PATCH of ≤ 5 MB from the web app).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[schema(as = UploadProgressDto)]
pub struct UploadProgress {
    pub received_bytes: u64,
    pub total_bytes: u64,
}

/// A submission with its visible and newest videos.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = SubmissionDto)]
pub struct SubmissionView {
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
    #[schema(value_type = String)]
    pub status: SubmissionStatus,
    /// The newest ready video: what jurors and the public see.
    pub current_video: Option<VideoView>,
    /// A newer video still processing or failed (or late); the current one stays visible meanwhile.
    pub latest_video: Option<VideoView>,
    /// The newest video arrived after judging opened: jurors keep seeing the current one until an admin accepts it
    /// (`POST …/submissions/{id}/accept-video`).
    pub latest_video_late: bool,
    /// An unfinished upload to resume (`/api/uploads/{id}`).
    pub pending_upload_id: Option<String>,
    /// How far that unfinished upload got, for the admin's live board.
    pub upload_progress: Option<UploadProgress>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

pub(crate) fn to_view(
    row: SubmissionRow,
    current: Option<VideoRow>,
    latest: Option<VideoRow>,
    pending_upload: Option<clipjury_db::repo::uploads::UploadRow>,
    judging_started_at: Option<DateTime<Utc>>,
) -> SubmissionView {
    let upload_progress = pending_upload.as_ref().map(|u| UploadProgress {
        received_bytes: u64::try_from(u.upload_offset).unwrap_or(0),
        total_bytes: u64::try_from(u.length).unwrap_or(0),
    });
    let pending_upload_id = pending_upload.map(|u| u.id);
    let status = match (&latest, &pending_upload_id) {
        (_, Some(_)) => SubmissionStatus::Uploading,
        (None, None) => SubmissionStatus::Draft,
        (Some(v), None) => match v.status {
            VideoStatus::Ready => SubmissionStatus::Ready,
            VideoStatus::Failed => SubmissionStatus::Failed,
            VideoStatus::Processing => SubmissionStatus::Processing,
        },
    };
    let latest = latest.filter(|l| current.as_ref().is_none_or(|c| c.id != l.id));
    let latest_video_late = latest
        .as_ref()
        .is_some_and(|l| super::is_late(judging_started_at, l.created_at));
    SubmissionView {
        id: row.id,
        contest_id: row.contest_id,
        group_id: row.group_id,
        title: row.title,
        description: row.description,
        key_message: row.key_message,
        purpose: row.purpose,
        audience: row.audience,
        consent_confirmed: row.consent_confirmed,
        has_consent_photo: row.consent_photo_key.is_some(),
        status,
        current_video: current.map(Into::into),
        latest_video: latest.map(Into::into),
        latest_video_late,
        pending_upload_id,
        upload_progress,
        created_at: row.created_at,
        updated_at: row.updated_at,
    }
}
