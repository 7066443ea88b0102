//! `multipart/form-data` request bodies read as a sequence of parts whose bodies stream: nothing is held whole, and
//! a part's bytes come out as slices of the chunks they arrived in.
//!
//! Used instead of actix-multipart, whose field reader restarts its search at every CR byte (one byte in 256 of
//! video data) and copies every byte into a buffer of its own: a quarter of the server's CPU time in a 1 GiB
//! multipart upload, measured with perf (docs/benchmarks.md).

mod parser;
#[cfg(test)]
mod tests;

use std::fmt::Display;
use std::future::poll_fn;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use actix_web::http::StatusCode;
use actix_web::{HttpMessage as _, HttpRequest, mime};
use bytes::Bytes;
use futures_util::Stream;

pub(crate) use parser::PartHead;
use parser::{Event, Parser};

use crate::error::ApiError;

/// The most data of parts the handler does not want (text fields before the file) that is read and dropped.
const MAX_SKIPPED_PART_BYTES: usize = 1024 * 1024;

/// Why a form could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum FormError {
    #[error("send Content-Type: multipart/form-data with a boundary of 1 to 70 characters")]
    NotMultipart,
    #[error("the form is malformed: {0}")]
    Malformed(&'static str),
    #[error("the form's other fields are larger than 1 MiB")]
    FieldsTooLarge,
    #[error("the body ended before the form did")]
    Incomplete,
    #[error("the upload was interrupted: {0}")]
    Interrupted(String),
}

impl From<FormError> for ApiError {
    fn from(e: FormError) -> Self {
        let (status, code) = match e {
            FormError::NotMultipart | FormError::Malformed(_) => {
                (StatusCode::BAD_REQUEST, "invalid-multipart")
            }
            FormError::FieldsTooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "form-fields-too-large"),
            FormError::Incomplete | FormError::Interrupted(_) => {
                (StatusCode::CONFLICT, "upload-interrupted")
            }
        };
        ApiError::new(status, code, e.to_string())
    }
}

/// The boundary named by the request's `Content-Type: multipart/form-data; boundary=…`.
///
/// # Errors
/// [`FormError::NotMultipart`] for another content type, or a boundary missing or longer than RFC 2046 allows.
pub(crate) fn boundary(req: &HttpRequest) -> Result<String, FormError> {
    let mime = req
        .mime_type()
        .ok()
        .flatten()
        .filter(|m| m.type_() == mime::MULTIPART && m.subtype() == mime::FORM_DATA)
        .ok_or(FormError::NotMultipart)?;
    mime.get_param(mime::BOUNDARY)
        .map(|b| b.as_str().to_owned())
        .filter(|b| (1..=70).contains(&b.len()))
        .ok_or(FormError::NotMultipart)
}

/// A form being read from a request body.
pub(crate) struct Form<S> {
    body: S,
    parser: Parser,
    body_ended: bool,
    /// The close delimiter has been read.
    finished: bool,
    /// A part that began while the previous part's body was being read.
    next_head: Option<PartHead>,
    skipped: usize,
}

impl<S, E> Form<S>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
    E: Display,
{
    pub(crate) fn new(body: S, boundary: &str) -> Self {
        Self {
            body,
            parser: Parser::new(boundary),
            body_ended: false,
            finished: false,
            next_head: None,
            skipped: 0,
        }
    }

    fn poll_event(&mut self, cx: &mut Context<'_>) -> Poll<Result<Event, FormError>> {
        loop {
            if self.finished {
                return Poll::Ready(Ok(Event::End));
            }
            if let Some(event) = self.parser.next_event()? {
                self.finished = event == Event::End;
                return Poll::Ready(Ok(event));
            }
            if self.body_ended {
                return Poll::Ready(Err(FormError::Incomplete));
            }
            match ready!(Pin::new(&mut self.body).poll_next(cx)) {
                Some(Ok(chunk)) => self.parser.push(chunk),
                Some(Err(e)) => return Poll::Ready(Err(FormError::Interrupted(e.to_string()))),
                None => self.body_ended = true,
            }
        }
    }

    /// The next part's head, after skipping what is left of the current part; `None` after the last part.
    ///
    /// # Errors
    /// A malformed, cut-off or interrupted body; [`FormError::FieldsTooLarge`] when the skipped parts pass 1 MiB.
    pub(crate) async fn next_part(&mut self) -> Result<Option<PartHead>, FormError> {
        if let Some(head) = self.next_head.take() {
            return Ok(Some(head));
        }
        loop {
            match poll_fn(|cx| self.poll_event(cx)).await? {
                Event::Part(head) => return Ok(Some(head)),
                Event::Data(data) => {
                    self.skipped += data.len();
                    if self.skipped > MAX_SKIPPED_PART_BYTES {
                        return Err(FormError::FieldsTooLarge);
                    }
                }
                Event::PartEnd => {}
                Event::End => return Ok(None),
            }
        }
    }

    /// The body of the part [`Form::next_part`] returned last, as a stream that ends with the part; a body that
    /// ends before the part does ends the stream with an error.
    pub(crate) fn part_body(&mut self) -> PartBody<'_, S> {
        PartBody {
            form: self,
            done: false,
        }
    }
}

/// The bytes of one part.
pub(crate) struct PartBody<'a, S> {
    form: &'a mut Form<S>,
    done: bool,
}

impl<S, E> Stream for PartBody<'_, S>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
    E: Display,
{
    type Item = Result<Bytes, FormError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.done {
            return Poll::Ready(None);
        }
        let event = ready!(this.form.poll_event(cx));
        Poll::Ready(match event {
            Ok(Event::Data(data)) => Some(Ok(data)),
            Ok(Event::Part(head)) => {
                // The grammar puts PartEnd first; kept for the next call of next_part all the same.
                this.form.next_head = Some(head);
                this.done = true;
                None
            }
            Ok(Event::PartEnd | Event::End) => {
                this.done = true;
                None
            }
            Err(e) => {
                this.done = true;
                Some(Err(e))
            }
        })
    }
}
