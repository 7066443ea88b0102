//! A group's submission: its form (title, key message, purpose, audience, consent) and its videos.

mod access;
mod consent;
mod late;
mod save;
mod view;

pub(crate) use access::{may_continue_upload, open_for_uploads, own_submission};
pub use consent::{
    ConsentPhoto, MAX_CONSENT_PHOTO_BYTES, consent_photo, own_consent_photo, save_consent_photo,
};
pub use late::accept_late_video;
pub(crate) use late::{is_late, release_late_videos, showing};
pub use save::{SubmissionInput, get_own_submission, list_submissions, save_submission};
pub use view::{SubmissionStatus, SubmissionView, UploadProgress, VideoView};
