//! The optional photo of a signed consent form: stored privately, readable by the group and the contest's admin.

use clipjury_domain::error_code::ErrorCode;
use std::fmt::Display;

use bytes::Bytes;
use chrono::Utc;
use clipjury_db::repo;
use clipjury_db::repo::submissions::{SubmissionChanges, SubmissionRow};
use clipjury_domain::validation::ValidationError;
use futures_util::stream::{self, BoxStream};
use futures_util::{Stream, StreamExt as _, TryStreamExt as _};
use uuid::Uuid;

use super::access::{open_for_uploads, own_submission};
use super::save::load_view;
use super::view::SubmissionView;
use crate::auth::{AdminSession, GroupSession};
use crate::contests::owned_contest;
use crate::uploads::{Durability, OnInterrupt, Sink, interrupted, stream_to_storage};
use crate::{ServiceError, Services, audit};

/// Largest consent photo accepted.
pub const MAX_CONSENT_PHOTO_BYTES: u64 = 10 * 1024 * 1024;

/// The image type from the file's first bytes; the name a client sends is not trusted.
fn sniff(head: &[u8]) -> Option<(&'static str, &'static str)> {
    match head {
        [0xFF, 0xD8, 0xFF, ..] => Some(("image/jpeg", "jpg")),
        [0x89, b'P', b'N', b'G', ..] => Some(("image/png", "png")),
        [
            b'R',
            b'I',
            b'F',
            b'F',
            _,
            _,
            _,
            _,
            b'W',
            b'E',
            b'B',
            b'P',
            ..,
        ] => Some(("image/webp", "webp")),
        [
            _,
            _,
            _,
            _,
            b'f',
            b't',
            b'y',
            b'p',
            b'h',
            b'e',
            b'i',
            b'c' | b'x',
            ..,
        ]
        | [
            _,
            _,
            _,
            _,
            b'f',
            b't',
            b'y',
            b'p',
            b'm',
            b'i',
            b'f',
            b'1',
            ..,
        ] => Some(("image/heic", "heic")),
        _ => None,
    }
}

fn content_type_of(key: &str) -> &'static str {
    match key.rsplit('.').next() {
        Some("jpg") => "image/jpeg",
        Some("png") => "image/png",
        Some("webp") => "image/webp",
        _ => "image/heic",
    }
}

/// Stores (or replaces) the consent-form photo of the group's submission.
///
/// # Errors
/// `submission-missing` (409), `uploads-closed` (403), `consent-photo-not-an-image` (400),
/// `consent-photo-too-large` (413).
pub async fn save_consent_photo<S, E>(
    services: &Services,
    session: &GroupSession,
    contest_id: Uuid,
    body: S,
) -> Result<SubmissionView, ServiceError>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
    E: Display,
{
    let (contest, submission) = own_submission(&services.db, session, contest_id).await?;
    let submission = submission.ok_or_else(|| {
        ServiceError::conflict(
            ErrorCode::SubmissionMissing,
            "save the submission form first",
        )
    })?;
    open_for_uploads(&contest, Utc::now())?;
    let (ext, body) = image_body(body).await?;
    let key = format!("consent/{}/{}.{ext}", submission.id, Uuid::now_v7());
    let too_large = || ServiceError::TooLarge {
        code: ErrorCode::ConsentPhotoTooLarge,
        message: "the photo must be at most 10 MB".into(),
    };
    let sink = Sink {
        key: &key,
        max: MAX_CONSENT_PHOTO_BYTES,
        too_large: &too_large,
        checksum: None,
        on_interrupt: OnInterrupt::Fail,
        durability: Durability::Now,
    };
    stream_to_storage(&services.storage, &sink, body, async || Ok(())).await?;
    replace_photo(services, session, submission, key).await
}

/// Reads the body until its first bytes tell the image type; returns the type's file extension and the whole body
/// again.
async fn image_body<S, E>(
    mut body: S,
) -> Result<(&'static str, impl Stream<Item = Result<Bytes, E>> + Unpin), ServiceError>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
    E: Display,
{
    let mut head = Vec::new();
    let mut read = Vec::new();
    while head.len() < 12 {
        match body.next().await {
            Some(Ok(chunk)) => {
                head.extend_from_slice(&chunk[..chunk.len().min(12 - head.len())]);
                read.push(Ok(chunk));
            }
            Some(Err(e)) => return Err(interrupted(e)),
            None => break,
        }
    }
    let (_, ext) = sniff(&head).ok_or_else(|| {
        ValidationError::new(
            ErrorCode::ConsentPhotoNotAnImage,
            "send a photo (JPEG, PNG, WebP or HEIC)",
        )
    })?;
    Ok((ext, stream::iter(read).chain(body)))
}

/// Points the submission at its new photo, deletes the one it replaces, and records the change.
async fn replace_photo(
    services: &Services,
    session: &GroupSession,
    submission: SubmissionRow,
    key: String,
) -> Result<SubmissionView, ServiceError> {
    let previous = submission.consent_photo_key.clone();
    let contest_id = submission.contest_id;
    let changes = SubmissionChanges {
        consent_photo_key: Some(key),
        ..SubmissionChanges::default()
    };
    let row = repo::submissions::update(&services.db, submission, changes).await?;
    if let Some(old) = previous {
        services.storage.delete(&old).await?;
    }
    let mut entry = audit::entry(session, Some(contest_id), "submission.consent_photo");
    entry.after = Some(serde_json::json!({ "submission_id": row.id }));
    repo::audit::append(&services.db, entry).await?;
    load_view(&services.db, row).await
}

/// A stored consent photo, to stream.
pub struct ConsentPhoto {
    pub content_type: &'static str,
    pub length: u64,
    pub body: BoxStream<'static, Result<Bytes, ServiceError>>,
}

/// The consent photo of the group's own submission.
///
/// # Errors
/// `consent-photo-missing`, `contest-not-found` (404).
pub async fn own_consent_photo(
    services: &Services,
    session: &GroupSession,
    contest_id: Uuid,
) -> Result<ConsentPhoto, ServiceError> {
    let submission = own_submission(&services.db, session, contest_id).await?.1;
    open_photo(services, submission).await
}

/// The consent photo of any submission in the admin's contest.
///
/// # Errors
/// `consent-photo-missing`, `contest-not-found` (404).
pub async fn consent_photo(
    services: &Services,
    session: &AdminSession,
    contest_id: Uuid,
    submission_id: Uuid,
) -> Result<ConsentPhoto, ServiceError> {
    owned_contest(&services.db, session, contest_id).await?;
    let submission = repo::submissions::find(&services.db, submission_id)
        .await?
        .filter(|s| s.contest_id == contest_id);
    open_photo(services, submission).await
}

async fn open_photo(
    services: &Services,
    submission: Option<SubmissionRow>,
) -> Result<ConsentPhoto, ServiceError> {
    let missing = || {
        ServiceError::not_found(
            ErrorCode::ConsentPhotoMissing,
            "no consent photo was uploaded",
        )
    };
    let key = submission
        .and_then(|s| s.consent_photo_key)
        .ok_or_else(missing)?;
    let length = services.storage.size(&key).await?;
    let body = services
        .storage
        .read(&key)
        .await?
        .map_err(ServiceError::from)
        .boxed();
    Ok(ConsentPhoto {
        content_type: content_type_of(&key),
        length,
        body,
    })
}

#[cfg(test)]
mod tests {
    use super::sniff;

    #[test]
    fn image_types_are_recognised_by_their_first_bytes() {
        assert_eq!(
            sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0, 0, 0, 0, 0, 0, 0]).map(|t| t.1),
            Some("jpg")
        );
        assert_eq!(
            sniff(b"\x89PNG\r\n\x1a\n\0\0\0\0").map(|t| t.1),
            Some("png")
        );
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 ").map(|t| t.1), Some("webp"));
        assert_eq!(sniff(b"\0\0\0\x18ftypheic").map(|t| t.1), Some("heic"));
        assert_eq!(sniff(b"\0\0\0\x18ftypisom"), None, "an MP4 is not a photo");
        assert_eq!(sniff(b"%PDF-1.4\n"), None);
    }
}
