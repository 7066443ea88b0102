use chrono::{DateTime, Utc};
use clipjury_db::repo::submissions::SubmissionRow;
use clipjury_db::repo::videos::VideoRow;
use clipjury_domain::video::VideoStatus;
use uuid::Uuid;

/// Where a submission stands, from the group's point of view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

impl SubmissionStatus {
    /// The wire name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Uploading => "uploading",
            Self::Processing => "processing",
            Self::Ready => "ready",
            Self::Failed => "failed",
        }
    }
}

/// One uploaded video of a submission.
#[derive(Debug, Clone)]
pub struct VideoView {
    pub id: Uuid,
    pub status: String,
    pub progress: f32,
    pub failure_code: Option<String>,
    pub failure_message: Option<String>,
    pub source_bytes: u64,
    pub original_filename: Option<String>,
    /// Names of the stored files (`poster-640.jpg`, `original.mp4`, `720p.mp4`, …), served under
    /// `/api/videos/{id}/`.
    pub files: Vec<String>,
    /// A rendition is stored: the video plays, though other renditions may still be on their way
    /// (`status` is then still `processing`).
    pub playable: bool,
    pub created_at: DateTime<Utc>,
}

impl From<VideoRow> for VideoView {
    fn from(v: VideoRow) -> Self {
        let playable = v.status == VideoStatus::Ready
            || v.media
                .as_ref()
                .is_some_and(|m| m.get("playable_at").is_some());
        Self {
            id: v.id,
            status: v.status.as_str().to_owned(),
            progress: v.progress,
            failure_code: v.failure_code,
            failure_message: v.failure_message,
            source_bytes: u64::try_from(v.source_bytes).unwrap_or(0),
            original_filename: v.original_filename,
            files: crate::media_files::stored_files(v.media.as_ref()),
            playable,
            created_at: v.created_at,
        }
    }
}

/// A submission with its visible and newest videos.
#[derive(Debug, Clone)]
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
    pub status: SubmissionStatus,
    /// The newest ready video: what jurors and the public see.
    pub current_video: Option<VideoView>,
    /// The newest uploaded video, when it differs from the current one (processing or failed, or late).
    pub latest_video: Option<VideoView>,
    /// The newest video arrived after judging opened: jurors keep seeing the current one until the admin accepts it.
    pub latest_video_late: bool,
    /// Upload URL id of an unfinished upload, so a reloaded page can resume it.
    pub pending_upload_id: Option<String>,
    /// Bytes received and expected of that unfinished upload (the admin's live board).
    pub pending_upload_bytes: Option<(u64, u64)>,
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
    let pending_upload_bytes = pending_upload.as_ref().map(|u| {
        (
            u64::try_from(u.upload_offset).unwrap_or(0),
            u64::try_from(u.length).unwrap_or(0),
        )
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
        pending_upload_bytes,
        created_at: row.created_at,
        updated_at: row.updated_at,
    }
}
