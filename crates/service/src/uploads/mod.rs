//! Resumable uploads (the tus 1.0 model): create with a declared length, append at the current offset, read the
//! offset back after any failure, terminate, expire. Parts stream to storage as they arrive; a part cut short by a
//! dropped connection is kept, so no received byte is lost.

mod append;
mod checksum;
mod cleanup;
mod complete;
mod create;
mod quota;
mod recover;
mod retention;
mod source;
mod status;
mod stream;
mod terminate;
mod whole;

pub use append::{AppendOutcome, MAX_PARTS, MAX_SMALL_PARTS, append};
pub use checksum::{Checksum, ChecksumAlgorithm};
pub use cleanup::delete_expired;
pub use create::{NewUpload, create_upload};
pub use quota::{FREE_AFTER, UploadsReset, free_superseded_originals, reset_group_uploads};
pub use retention::delete_originals;
pub use source::{Original, original_of_submission, source_stream};
pub use status::{UploadView, upload_status};
pub(crate) use stream::{Durability, OnInterrupt, Sink, interrupted, stream_to_storage};
pub use terminate::terminate;
pub use whole::upload_whole;

/// Job kind that processes an uploaded video (consumed by the media workers).
pub const PROCESS_VIDEO_JOB: &str = "process_video";

pub(crate) fn part_key(upload_id: &str, start: i64, lock_id: &str) -> String {
    format!("uploads/{upload_id}/{start:020}-{lock_id}")
}
