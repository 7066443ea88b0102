//! `multipart/form-data` request bodies (the video fallback, the consent photo) read with actix-multipart, part by
//! part, each part's body as a stream: nothing is held whole.
//!
//! actix-multipart is linear in the body size once a part's body is flowing, but it looks for the end of a part's
//! header block (and of the preamble) by searching its whole buffer again each time a chunk arrives, and does not
//! limit that buffer: a header block sent a byte at a time costs time quadratic in its length. So while no part
//! body is being read, the bytes searched again are counted (at each chunk, those that had arrived before it since
//! the wait began); past [`MAX_RESCANNED_BYTES`] the request ends. A browser's header block arrives in one or two
//! chunks and rescans nothing or a few kilobytes. With the cap on parts ([`MAX_PARTS`]) and on skipped fields
//! ([`MAX_SKIPPED_PART_BYTES`]), the work is linear in the body however it is chunked.

use clipjury_domain::error_code::ErrorCode;
#[cfg(test)]
mod tests;

use std::cell::Cell;
use std::fmt::Display;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use actix_multipart::{Field, Multipart, MultipartError};
use actix_web::error::PayloadError;
use actix_web::http::StatusCode;
use actix_web::http::header::HeaderMap;
use actix_web::{HttpMessage as _, HttpRequest, mime};
use bytes::Bytes;
use futures_util::{Stream, StreamExt as _};

use crate::error::ApiError;

/// The most data of parts the handler does not want (text fields before the file) that is read and dropped.
const MAX_SKIPPED_PART_BYTES: usize = 1024 * 1024;
/// The most bytes searched again while waiting for one part's header block (or the preamble's end).
const MAX_RESCANNED_BYTES: usize = 4 * 1024 * 1024;
/// The most parts a form may have.
const MAX_PARTS: usize = 16;

/// Why a form could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum FormError {
    #[error("send Content-Type: multipart/form-data with a boundary of 1 to 70 characters")]
    NotMultipart,
    #[error("the form is malformed: {0}")]
    Malformed(String),
    #[error("the form's other fields are larger than 1 MiB")]
    FieldsTooLarge,
    #[error("the form has more than {MAX_PARTS} parts")]
    TooManyParts,
    #[error("the body ended before the form did")]
    Incomplete,
    #[error("the upload was interrupted: {0}")]
    Interrupted(String),
}

impl From<FormError> for ApiError {
    fn from(e: FormError) -> Self {
        let (status, code) = match e {
            FormError::NotMultipart | FormError::Malformed(_) | FormError::TooManyParts => {
                (StatusCode::BAD_REQUEST, ErrorCode::InvalidMultipart)
            }
            FormError::FieldsTooLarge => {
                (StatusCode::PAYLOAD_TOO_LARGE, ErrorCode::FormFieldsTooLarge)
            }
            FormError::Incomplete | FormError::Interrupted(_) => {
                (StatusCode::CONFLICT, ErrorCode::UploadInterrupted)
            }
        };
        ApiError::new(status, code, e.to_string())
    }
}

impl From<MultipartError> for FormError {
    fn from(e: MultipartError) -> Self {
        match e {
            MultipartError::Incomplete => Self::Incomplete,
            MultipartError::Payload(PayloadError::Overflow) => Self::Malformed(
                "a part's header block or the preamble is too long, or sent in too many pieces"
                    .into(),
            ),
            MultipartError::Payload(p) => Self::Interrupted(p.to_string()),
            other => Self::Malformed(other.to_string()),
        }
    }
}

/// Checks that the request is `multipart/form-data` with a usable boundary.
///
/// # Errors
/// [`FormError::NotMultipart`] for another content type, or a boundary missing or longer than RFC 2046 allows.
pub(crate) fn check_content_type(req: &HttpRequest) -> Result<(), FormError> {
    let mime = req
        .mime_type()
        .ok()
        .flatten()
        .filter(|m| m.type_() == mime::MULTIPART && m.subtype() == mime::FORM_DATA)
        .ok_or(FormError::NotMultipart)?;
    mime.get_param(mime::BOUNDARY)
        .filter(|b| (1..=70).contains(&b.as_str().len()))
        .map(|_| ())
        .ok_or(FormError::NotMultipart)
}

/// What a part's header block says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PartHead {
    pub name: String,
    pub filename: Option<String>,
    pub content_type: Option<String>,
}

/// Shared between the form and its metered body stream.
#[derive(Default)]
struct Meter {
    /// A part's body is being read: the reader consumes what arrives.
    in_body: Cell<bool>,
    /// Bytes delivered since the wait for the next part began.
    waited: Cell<usize>,
    /// Bytes searched again during this wait.
    rescanned: Cell<usize>,
}

impl Meter {
    fn start_wait(&self) {
        self.in_body.set(false);
        self.waited.set(0);
        self.rescanned.set(0);
    }
}

/// The request body, refusing to go on once [`MAX_RESCANNED_BYTES`] were searched again in one wait.
struct Metered<S> {
    body: S,
    meter: Rc<Meter>,
}

impl<S, E> Stream for Metered<S>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
    E: Display,
{
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        match Pin::new(&mut this.body).poll_next(cx) {
            Poll::Ready(Some(Ok(chunk))) => {
                let m = &this.meter;
                if !m.in_body.get() {
                    let rescanned = m.rescanned.get() + m.waited.get();
                    m.rescanned.set(rescanned);
                    m.waited.set(m.waited.get() + chunk.len());
                    if rescanned > MAX_RESCANNED_BYTES {
                        return Poll::Ready(Some(Err(PayloadError::Overflow)));
                    }
                }
                Poll::Ready(Some(Ok(chunk)))
            }
            Poll::Ready(Some(Err(e))) => Poll::Ready(Some(Err(PayloadError::Io(
                std::io::Error::other(e.to_string()),
            )))),
            Poll::Ready(None) => Poll::Ready(None),
            Poll::Pending => Poll::Pending,
        }
    }
}

/// A form being read from a request body.
pub(crate) struct Form {
    parts: Multipart,
    meter: Rc<Meter>,
    current: Option<Field>,
    seen: usize,
    skipped: usize,
}

impl Form {
    /// Reads the form in `body`, framed as `headers` (the request's) say.
    pub(crate) fn new<S, E>(headers: &HeaderMap, body: S) -> Self
    where
        S: Stream<Item = Result<Bytes, E>> + Unpin + 'static,
        E: Display,
    {
        let meter = Rc::new(Meter::default());
        let metered = Metered {
            body,
            meter: Rc::clone(&meter),
        };
        Self {
            parts: Multipart::new(headers, metered),
            meter,
            current: None,
            seen: 0,
            skipped: 0,
        }
    }

    /// The next part's head, after reading and dropping what is left of the current part; `None` after the last.
    ///
    /// # Errors
    /// A malformed, cut-off or interrupted body; [`FormError::FieldsTooLarge`] when the skipped parts pass 1 MiB;
    /// [`FormError::TooManyParts`].
    pub(crate) async fn next_part(&mut self) -> Result<Option<PartHead>, FormError> {
        if let Some(mut field) = self.current.take() {
            self.meter.in_body.set(true);
            while let Some(chunk) = field.next().await {
                self.skipped += chunk?.len();
                if self.skipped > MAX_SKIPPED_PART_BYTES {
                    return Err(FormError::FieldsTooLarge);
                }
            }
        }
        self.meter.start_wait();
        let Some(field) = self.parts.next().await.transpose()? else {
            return Ok(None);
        };
        self.seen += 1;
        if self.seen > MAX_PARTS {
            return Err(FormError::TooManyParts);
        }
        let disposition = field.content_disposition();
        let head = PartHead {
            name: field.name().unwrap_or_default().to_owned(),
            filename: disposition
                .and_then(|d| d.get_filename())
                .map(str::to_owned),
            content_type: field.content_type().map(ToString::to_string),
        };
        self.current = Some(field);
        Ok(Some(head))
    }

    /// The body of the part [`Form::next_part`] returned last, as a stream that ends with the part; a body that
    /// ends before the part does ends the stream with an error.
    pub(crate) fn part_body(&mut self) -> PartBody<'_> {
        self.meter.in_body.set(true);
        PartBody { form: self }
    }
}

/// The bytes of one part.
pub(crate) struct PartBody<'a> {
    form: &'a mut Form,
}

impl Stream for PartBody<'_> {
    type Item = Result<Bytes, FormError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        let Some(field) = this.form.current.as_mut() else {
            return Poll::Ready(None);
        };
        match Pin::new(field).poll_next(cx) {
            Poll::Ready(Some(Ok(chunk))) => Poll::Ready(Some(Ok(chunk))),
            Poll::Ready(Some(Err(e))) => {
                this.form.current = None;
                Poll::Ready(Some(Err(e.into())))
            }
            Poll::Ready(None) => {
                this.form.current = None;
                this.form.meter.start_wait();
                Poll::Ready(None)
            }
            Poll::Pending => Poll::Pending,
        }
    }
}
