//! The multipart/form-data body format (RFC 7578 over RFC 2046 §5.1) as a state machine that is fed chunks and
//! hands out events. A part's body comes out as slices of the chunks it arrived in: the parser searches each chunk
//! once for the delimiter and copies nothing but the few bytes that may begin a delimiter at a chunk's end, and a
//! part's header block.

use actix_web::http::header::{ContentDisposition, DispositionType, HeaderValue};
use bytes::{Buf as _, Bytes, BytesMut};
use memchr::memmem::Finder;

use super::FormError;

/// The most a part's header block may take (name, filename, content type and a few more).
const MAX_HEAD_BYTES: usize = 16 * 1024;
/// The most text ignored before the first boundary, or as padding after a boundary.
const MAX_SKIPPED_BYTES: usize = 64 * 1024;
const MAX_HEADERS: usize = 32;

/// What a part's header block says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PartHead {
    pub name: String,
    pub filename: Option<String>,
    pub content_type: Option<String>,
}

#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Event {
    /// A part begins.
    Part(PartHead),
    /// Bytes of the current part's body, in order.
    Data(Bytes),
    /// The current part's body is complete (its closing delimiter arrived).
    PartEnd,
    /// The close delimiter: no more parts.
    End,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Text before the first boundary, which is ignored.
    Preamble {
        skipped: usize,
    },
    /// Right after a delimiter: `--` (the close delimiter) or optional padding, then CRLF.
    Delimited,
    Head,
    Body,
    /// A part's body just ended; [`Event::PartEnd`] is due.
    PartEnded,
    Done,
}

pub(crate) struct Parser {
    /// `CRLF -- boundary`: what ends a part's body.
    delimiter: Finder<'static>,
    /// Input not consumed yet.
    buf: Bytes,
    state: State,
}

impl Parser {
    pub(crate) fn new(boundary: &str) -> Self {
        Self {
            delimiter: Finder::new(format!("\r\n--{boundary}").as_bytes()).into_owned(),
            // The first boundary may open the body without a line break before it: reading the body as if it
            // followed one makes that boundary a delimiter like every other.
            buf: Bytes::from_static(b"\r\n"),
            state: State::Preamble { skipped: 0 },
        }
    }

    /// Adds the next chunk of the body. Unconsumed bytes (a possible delimiter start, a header block cut in two)
    /// are joined with it by copying; otherwise the chunk is kept as it is. After the close delimiter, chunks are
    /// dropped.
    pub(crate) fn push(&mut self, chunk: Bytes) {
        if self.state == State::Done {
            // The epilogue is ignored.
        } else if self.buf.is_empty() {
            self.buf = chunk;
        } else if !chunk.is_empty() {
            let mut joined = BytesMut::with_capacity(self.buf.len() + chunk.len());
            joined.extend_from_slice(&self.buf);
            joined.extend_from_slice(&chunk);
            self.buf = joined.freeze();
        }
    }

    /// The next event, or `None` when it needs more input.
    pub(crate) fn next_event(&mut self) -> Result<Option<Event>, FormError> {
        loop {
            match self.state {
                State::Done => return Ok(None),
                State::Preamble { skipped } => {
                    let (text, found) = self.scan();
                    let skipped = skipped + text.len();
                    if skipped > MAX_SKIPPED_BYTES {
                        return Err(FormError::Malformed(
                            "the body does not start with its boundary",
                        ));
                    }
                    if !found {
                        self.state = State::Preamble { skipped };
                        return Ok(None);
                    }
                    self.state = State::Delimited;
                }
                State::Body => {
                    let (data, found) = self.scan();
                    if found {
                        self.state = State::PartEnded;
                    }
                    if !data.is_empty() {
                        return Ok(Some(Event::Data(data)));
                    }
                    if !found {
                        return Ok(None);
                    }
                }
                State::PartEnded => {
                    self.state = State::Delimited;
                    return Ok(Some(Event::PartEnd));
                }
                State::Delimited => match self.after_delimiter()? {
                    Some(state) => {
                        self.state = state;
                        if state == State::Done {
                            return Ok(Some(Event::End));
                        }
                    }
                    None => return Ok(None),
                },
                State::Head => return self.head(),
            }
        }
    }

    /// Whether the close delimiter has arrived.
    #[cfg(test)]
    pub(crate) fn is_done(&self) -> bool {
        self.state == State::Done
    }

    /// Splits off the bytes before the next delimiter (consuming the delimiter too), or, when no delimiter is in
    /// the input, every byte that cannot begin one. Returns the bytes and whether a delimiter was found.
    fn scan(&mut self) -> (Bytes, bool) {
        let needle = self.delimiter.needle();
        if let Some(at) = self.delimiter.find(&self.buf) {
            let before = self.buf.split_to(at);
            self.buf.advance(needle.len());
            (before, true)
        } else {
            let keep = partial_delimiter(&self.buf, needle);
            (self.buf.split_to(self.buf.len() - keep), false)
        }
    }

    /// After a delimiter: `--` closes the form; otherwise linear white space may pad the line before its CRLF.
    fn after_delimiter(&mut self) -> Result<Option<State>, FormError> {
        if self.buf.len() < 2 {
            return Ok(None);
        }
        if self.buf.starts_with(b"--") {
            self.buf.clear();
            return Ok(Some(State::Done));
        }
        let padding = self
            .buf
            .iter()
            .position(|b| *b != b' ' && *b != b'\t')
            .unwrap_or(self.buf.len());
        if padding > MAX_SKIPPED_BYTES {
            return Err(FormError::Malformed("a boundary line does not end"));
        }
        let line_end = &self.buf[padding..];
        if line_end.len() < 2 {
            return Ok(None);
        }
        if !line_end.starts_with(b"\r\n") {
            return Err(FormError::Malformed(
                "a boundary is followed by text on its line",
            ));
        }
        self.buf.advance(padding + 2);
        Ok(Some(State::Head))
    }

    fn head(&mut self) -> Result<Option<Event>, FormError> {
        let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
        match httparse::parse_headers(&self.buf, &mut headers) {
            Ok(httparse::Status::Complete((len, _))) if len > MAX_HEAD_BYTES => Err(
                FormError::Malformed("a part's headers are longer than 16 KiB"),
            ),
            Ok(httparse::Status::Complete((len, parsed))) => {
                let head = part_head(parsed)?;
                self.buf.advance(len);
                self.state = State::Body;
                Ok(Some(Event::Part(head)))
            }
            Ok(httparse::Status::Partial) if self.buf.len() > MAX_HEAD_BYTES => Err(
                FormError::Malformed("a part's headers are longer than 16 KiB"),
            ),
            Ok(httparse::Status::Partial) => Ok(None),
            Err(_) => Err(FormError::Malformed("a part's headers cannot be read")),
        }
    }
}

/// How many bytes at the end of `buf` begin `needle` (which starts with CR): the start of a delimiter whose rest
/// is still to come. `buf` holds no whole `needle`.
fn partial_delimiter(buf: &[u8], needle: &[u8]) -> usize {
    let tail = &buf[buf.len().saturating_sub(needle.len() - 1)..];
    let mut from = 0;
    while let Some(i) = memchr::memchr(b'\r', &tail[from..]) {
        let candidate = &tail[from + i..];
        if needle.starts_with(candidate) {
            return candidate.len();
        }
        from += i + 1;
    }
    0
}

/// A form-data part must name itself in `Content-Disposition: form-data; name="…"`.
fn part_head(headers: &[httparse::Header<'_>]) -> Result<PartHead, FormError> {
    let value = |name: &str| {
        headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| h.value)
    };
    let disposition = value("content-disposition")
        .and_then(|v| HeaderValue::from_bytes(v).ok())
        .and_then(|v| ContentDisposition::from_raw(&v).ok())
        .filter(|d| d.disposition == DispositionType::FormData);
    let Some(disposition) = disposition else {
        return Err(FormError::Malformed(
            "each part needs Content-Disposition: form-data with a name",
        ));
    };
    let name = disposition
        .get_name()
        .ok_or(FormError::Malformed("a part has no name"))?
        .to_owned();
    let filename = disposition.get_filename().map(str::to_owned).or_else(|| {
        disposition
            .get_filename_ext()
            .map(|ext| String::from_utf8_lossy(&ext.value).into_owned())
    });
    let content_type = value("content-type").map(|v| String::from_utf8_lossy(v).trim().to_owned());
    Ok(PartHead {
        name,
        filename,
        content_type,
    })
}
