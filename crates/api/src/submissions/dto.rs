use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

// The service's views and input are the wire types, under these schema names.
pub use clipjury_service::submissions::{
    SubmissionInput as SubmissionRequest, SubmissionView as SubmissionDto, VideoView as VideoDto,
};

/// Accepting a video that arrived after judging opened.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptVideoRequest {
    /// The late video (the submission's `latest_video`).
    pub video_id: Uuid,
    /// Why it may replace the video jurors were scoring; goes into the audit log.
    pub reason: String,
}
