//! The form reader over actix-multipart: the regression suite of the parser it replaced (every cut of a body gives
//! the same parts, bytes that look like delimiters, malformed bodies refused with a reason) and the limits we put
//! around it (framing bytes, parts, skipped fields), with bodies that arrive one chunk per poll as from a network.

#![allow(clippy::unwrap_used)]

use std::pin::Pin;
use std::task::{Context, Poll};

use actix_web::http::header::{CONTENT_TYPE, HeaderMap, HeaderValue};
use bytes::Bytes;
use futures_util::{Stream, StreamExt as _};
use proptest::prelude::*;

use super::{Form, FormError, PartHead};

const B: &str = "XyZ-boundary-42";

/// A body as a browser or curl writes it: each part with its disposition (and a content type for files).
fn body(parts: &[(&str, Option<&str>, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, filename, data) in parts {
        out.extend_from_slice(
            format!("--{B}\r\nContent-Disposition: form-data; name=\"{name}\"").as_bytes(),
        );
        if let Some(f) = filename {
            out.extend_from_slice(
                format!("; filename=\"{f}\"\r\nContent-Type: video/mp4").as_bytes(),
            );
        }
        out.extend_from_slice(b"\r\n\r\n");
        out.extend_from_slice(data);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("--{B}--\r\n").as_bytes());
    out
}

fn headers() -> HeaderMap {
    let mut h = HeaderMap::new();
    h.insert(
        CONTENT_TYPE,
        HeaderValue::from_str(&format!("multipart/form-data; boundary={B}")).unwrap(),
    );
    h
}

/// Chunks that arrive one per poll, with a `Pending` in between, as from a network: the reader cannot see the
/// next chunk before it has dealt with this one.
struct Trickle {
    chunks: std::vec::IntoIter<Bytes>,
    wait: bool,
}

impl Trickle {
    fn new(body: &[u8], cuts: &[usize]) -> Self {
        let mut chunks = Vec::new();
        let mut from = 0;
        for to in cuts.iter().copied().chain([body.len()]) {
            chunks.push(Bytes::copy_from_slice(&body[from..to]));
            from = to;
        }
        Self {
            chunks: chunks.into_iter(),
            wait: false,
        }
    }

    fn sized(body: &[u8], size: usize) -> Self {
        let cuts: Vec<usize> = (size..body.len()).step_by(size).collect();
        Self::new(body, &cuts)
    }
}

impl Stream for Trickle {
    type Item = Result<Bytes, std::io::Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.wait {
            self.wait = false;
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        self.wait = true;
        Poll::Ready(self.chunks.next().map(Ok))
    }
}

type Parts = Vec<(PartHead, Vec<u8>)>;

async fn collect(mut form: Form) -> Result<Parts, FormError> {
    let mut parts = Vec::new();
    while let Some(head) = form.next_part().await? {
        let mut data = Vec::new();
        let mut piece = form.part_body();
        while let Some(bytes) = piece.next().await {
            data.extend_from_slice(&bytes?);
        }
        parts.push((head, data));
    }
    Ok(parts)
}

/// Feeds `body` cut at `cuts` (ascending offsets), one chunk per poll, and collects every part.
fn parse(body: &[u8], cuts: &[usize]) -> Result<Parts, FormError> {
    let form = Form::new(&headers(), Trickle::new(body, cuts));
    actix_web::rt::System::new().block_on(collect(form))
}

fn head(name: &str, filename: Option<&str>) -> PartHead {
    PartHead {
        name: name.into(),
        filename: filename.map(Into::into),
        content_type: filename.map(|_| "video/mp4".into()),
    }
}

/// Data that looks like delimiters without being one. (RFC 2046 forbids the delimiter itself inside a part, and
/// actix-multipart ends a part at `CRLF--boundary` whatever follows, and also at a bare `\r--boundary`; a file would
/// have to contain the client's random boundary for that to matter, so only a client can break its own upload.)
const TRICKY: &[u8] =
    b"a\r\n--XyZ-boundary-4\r\r\n-\r\n--XyZ\r--XyZ-boundary-4\n--XyZ-boundary-42\n\r\n--XyZ-boundary-4x\r";

#[test]
fn parts_come_out_with_their_heads_and_bytes() {
    let b = body(&[
        ("title", None, b"My film"),
        ("video", Some("phone clip.mp4"), TRICKY),
    ]);
    let parts = parse(&b, &[]).unwrap();
    assert_eq!(parts.len(), 2);
    assert_eq!(parts[0], (head("title", None), b"My film".to_vec()));
    assert_eq!(
        parts[1],
        (head("video", Some("phone clip.mp4")), TRICKY.to_vec())
    );
}

#[test]
fn every_cut_of_the_body_gives_the_same_parts() {
    let b = body(&[("note", None, b""), ("video", Some("v.mp4"), TRICKY)]);
    let whole = parse(&b, &[]).unwrap();
    for cut in 0..=b.len() {
        assert_eq!(parse(&b, &[cut]).unwrap(), whole, "cut at {cut}");
    }
    let bytewise: Vec<usize> = (1..b.len()).collect();
    assert_eq!(parse(&b, &bytewise).unwrap(), whole);
}

#[test]
fn a_preamble_and_an_epilogue_are_ignored() {
    let b = format!(
        "This is a preamble.\r\n--{B}\r\nContent-Disposition: form-data; name=\"video\"; filename=\"v.mp4\"\r\n\
         Content-Type: video/mp4\r\n\r\nDATA\r\n--{B}--\r\nan epilogue"
    );
    let parts = parse(b.as_bytes(), &[]).unwrap();
    assert_eq!(
        parts,
        vec![(head("video", Some("v.mp4")), b"DATA".to_vec())]
    );
}

#[test]
fn filenames_may_be_utf8_and_headers_any_case() {
    let b = format!(
        "--{B}\r\ncontent-disposition: form-data; name=\"video\"; filename=\"ភាពយន្ត.mp4\"\r\n\r\nx\r\n--{B}--"
    );
    let parts = parse(b.as_bytes(), &[]).unwrap();
    assert_eq!(parts[0].0.filename.as_deref(), Some("ភាពយន្ត.mp4"));
}

#[test]
fn a_body_cut_short_is_refused() {
    let b = body(&[("video", Some("v.mp4"), b"0123456789")]);
    for end in [b.len() - 3, b.len() - 10, 30] {
        assert!(parse(&b[..end], &[]).is_err(), "cut at {end} was accepted");
    }
    // Cut inside the file: the upload was interrupted (409 upload-interrupted, not 400).
    assert_eq!(parse(&b[..b.len() - 25], &[]), Err(FormError::Incomplete));
}

#[test]
fn malformed_bodies_are_refused_with_a_reason() {
    let no_disposition = format!("--{B}\r\nContent-Type: text/plain\r\n\r\nx\r\n--{B}--");
    let not_form_data =
        format!("--{B}\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nx\r\n--{B}--");
    for case in [&no_disposition, &not_form_data] {
        assert!(
            matches!(parse(case.as_bytes(), &[]), Err(FormError::Malformed(_))),
            "accepted: {case}"
        );
    }
    let long_head = format!("--{B}\r\nX-Long: {}\r\n", "a".repeat(20_000));
    let no_boundary = "x".repeat(70_000);
    for case in [&long_head, &no_boundary, &format!("--{B}junk\r\n\r\n")] {
        for cuts in [vec![], (1..case.len()).step_by(997).collect()] {
            assert!(
                parse(case.as_bytes(), &cuts).is_err(),
                "accepted: {}",
                &case[..60.min(case.len())]
            );
        }
    }
}

#[test]
fn a_header_block_dripping_in_byte_by_byte_is_cut_off() {
    // Each byte would make actix-multipart search the whole block again; past 4 MiB searched, the request ends.
    let b = format!(
        "--{B}\r\nContent-Disposition: form-data; name=\"v\"\r\nX-Pad: {}\r\n\r\nx\r\n--{B}--",
        "p".repeat(4000)
    );
    let cuts: Vec<usize> = (1..b.len()).collect();
    assert!(matches!(
        parse(b.as_bytes(), &cuts),
        Err(FormError::Malformed(_))
    ));
    // A browser's header block, even byte by byte, passes.
    let ok = body(&[(
        "video",
        Some("a rather long file name of a phone video, 2026-12-03 12.00.00.mp4"),
        b"x",
    )]);
    let cuts: Vec<usize> = (1..ok.len()).collect();
    assert_eq!(parse(&ok, &cuts).unwrap()[0].1, b"x");
}

#[actix_web::test]
async fn a_form_skips_other_fields_and_streams_the_wanted_one() {
    let b = body(&[
        ("title", None, b"skip me"),
        ("video", Some("v.mp4"), TRICKY),
        ("after", None, b"z"),
    ]);
    let mut form = Form::new(&headers(), Trickle::sized(&b, 7));
    let mut names = Vec::new();
    let mut video = Vec::new();
    while let Some(part) = form.next_part().await.unwrap() {
        if part.name == "video" {
            let mut data = form.part_body();
            while let Some(piece) = data.next().await {
                video.extend_from_slice(&piece.unwrap());
            }
        }
        names.push(part.name);
    }
    assert_eq!(names, ["title", "video", "after"]);
    assert_eq!(video, TRICKY);
}

#[actix_web::test]
async fn a_cut_off_part_body_ends_with_an_error_and_large_skipped_fields_are_refused() {
    let b = body(&[("video", Some("v.mp4"), &[1u8; 5000])]);
    let mut form = Form::new(&headers(), Trickle::sized(&b[..3000], 1000));
    form.next_part().await.unwrap();
    let results: Vec<_> = form.part_body().collect().await;
    assert_eq!(results.last(), Some(&Err(FormError::Incomplete)));

    let big = vec![b'a'; 1_100_000];
    let b = body(&[("notes", None, &big), ("video", Some("v.mp4"), b"x")]);
    let mut form = Form::new(&headers(), Trickle::sized(&b, 64 * 1024));
    assert_eq!(form.next_part().await.unwrap().unwrap().name, "notes");
    assert_eq!(form.next_part().await, Err(FormError::FieldsTooLarge));
}

#[test]
fn a_hundred_thousand_empty_parts_are_refused_after_the_sixteenth() {
    let names: Vec<String> = (0..100_000).map(|i| format!("p{i}")).collect();
    let parts: Vec<(&str, Option<&str>, &[u8])> =
        names.iter().map(|n| (n.as_str(), None, &b""[..])).collect();
    let b = body(&parts);
    assert_eq!(parse(&b, &[]), Err(FormError::TooManyParts));
}

/// CPU time of reading a form whose file part has `len` bytes, sent one byte per poll.
fn bytewise_seconds(len: usize) -> f64 {
    let data = vec![b'\r'; len];
    let b = body(&[("title", None, b"t"), ("video", Some("v.mp4"), &data)]);
    let cuts: Vec<usize> = (1..b.len()).collect();
    let started = std::time::Instant::now();
    let parts = parse(&b, &cuts).unwrap();
    assert_eq!(parts[1].1.len(), len);
    started.elapsed().as_secs_f64()
}

#[test]
fn one_byte_chunks_cost_time_in_proportion_to_the_body() {
    // CR bytes are where the reader stops to look for a delimiter: the worst content for it. Twice the body must
    // cost about twice the time (a quadratic reader would take four times); the best of three runs each, and a
    // wide margin, keep a busy machine from failing the test.
    let best = |len| {
        (0..3)
            .map(|_| bytewise_seconds(len))
            .fold(f64::MAX, f64::min)
    };
    let small = best(100_000);
    let large = best(200_000);
    assert!(
        large / small < 3.0,
        "100 kB: {small:.3} s, 200 kB: {large:.3} s"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Any parts, with bytes drawn mostly from the delimiter's own characters, cut anywhere, parse back whole.
    #[test]
    fn any_form_cut_anywhere_parses_back(
        datas in prop::collection::vec(
            prop::collection::vec(prop::sample::select(b"\r\n-XyZ-boundary-42a".to_vec()), 0..300), 1..4),
        cut_seeds in prop::collection::vec(any::<prop::sample::Index>(), 0..12),
    ) {
        let names: Vec<String> = (0..datas.len()).map(|i| format!("f{i}")).collect();
        let parts: Vec<(&str, Option<&str>, &[u8])> =
            names.iter().zip(&datas).map(|(n, d)| (n.as_str(), Some("v.mp4"), d.as_slice())).collect();
        let b = body(&parts);
        let mut cuts: Vec<usize> = cut_seeds.iter().map(|i| i.index(b.len() + 1)).collect();
        cuts.sort_unstable();
        let got = parse(&b, &cuts).unwrap();
        let expected: Parts = names.iter().zip(&datas).map(|(n, d)| (head(n, Some("v.mp4")), d.clone())).collect();
        prop_assert_eq!(got, expected);
    }

    /// Any bytes at all, with pieces of a form mixed in: no panic, and never more part data out than bytes in.
    #[test]
    fn any_bytes_are_refused_or_parsed_without_panicking(
        pieces in prop::collection::vec(prop_oneof![
            prop::collection::vec(any::<u8>(), 0..40),
            Just(format!("\r\n--{B}").into_bytes()),
            Just(format!("--{B}\r\nContent-Disposition: form-data; name=\"v\"\r\n\r\n").into_bytes()),
            Just(b"\r\n\r\n--".to_vec()),
        ], 0..30),
        cut_seeds in prop::collection::vec(any::<prop::sample::Index>(), 0..12),
    ) {
        let b: Vec<u8> = pieces.concat();
        let mut cuts: Vec<usize> = cut_seeds.iter().map(|i| i.index(b.len() + 1)).collect();
        cuts.sort_unstable();
        if let Ok(parts) = parse(&b, &cuts) {
            let out: usize = parts.iter().map(|(_, d)| d.len()).sum();
            prop_assert!(out <= b.len());
        }
    }
}
