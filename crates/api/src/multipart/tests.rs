#![allow(clippy::unwrap_used)]

use bytes::Bytes;
use futures_util::{StreamExt as _, stream};
use proptest::prelude::*;

use super::parser::{Event, Parser, PartHead};
use super::{Form, FormError};

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

type Parts = Vec<(PartHead, Vec<u8>)>;

/// Feeds `body` cut at `cuts` (ascending offsets) and collects every part.
fn parse(body: &[u8], cuts: &[usize]) -> Result<Parts, FormError> {
    let mut parser = Parser::new(B);
    let mut parts: Parts = Vec::new();
    let mut in_body = false;
    let mut from = 0;
    for to in cuts.iter().copied().chain([body.len()]) {
        parser.push(Bytes::copy_from_slice(&body[from..to]));
        from = to;
        while let Some(event) = parser.next_event()? {
            match event {
                Event::Part(head) => {
                    assert!(!in_body, "a part began inside another");
                    in_body = true;
                    parts.push((head, Vec::new()));
                }
                Event::Data(d) => parts.last_mut().unwrap().1.extend_from_slice(&d),
                Event::PartEnd => in_body = false,
                Event::End => assert!(!in_body),
            }
        }
    }
    if parser.is_done() {
        Ok(parts)
    } else {
        Err(FormError::Incomplete)
    }
}

fn head(name: &str, filename: Option<&str>) -> PartHead {
    PartHead {
        name: name.into(),
        filename: filename.map(Into::into),
        content_type: filename.map(|_| "video/mp4".into()),
    }
}

/// Data that looks like delimiters without being one.
const TRICKY: &[u8] =
    b"a\r\n--XyZ-boundary-4\r\r\n-\r\n--XyZ\r--XyZ-boundary-42\n--XyZ-boundary-42x\r";

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
fn a_preamble_padding_and_epilogue_are_ignored() {
    let b = format!(
        "This is a preamble.\r\n--{B} \t\r\nContent-Disposition: form-data; name=\"video\"; filename=\"v.mp4\"\r\n\
         Content-Type: video/mp4\r\n\r\nDATA\r\n--{B}--  \r\nan epilogue"
    );
    let parts = parse(b.as_bytes(), &[]).unwrap();
    assert_eq!(
        parts,
        vec![(head("video", Some("v.mp4")), b"DATA".to_vec())]
    );
}

#[test]
fn filenames_may_be_utf8_or_extended_and_headers_any_case() {
    let b = format!(
        "--{B}\r\ncontent-disposition: form-data; name=\"video\"; filename=\"ភាពយន្ត.mp4\"\r\n\r\nx\r\n\
         --{B}\r\nContent-Disposition: form-data; name=\"video2\"; filename*=UTF-8''%E1%9E%80.mp4\r\n\r\ny\r\n--{B}--"
    );
    let parts = parse(b.as_bytes(), &[]).unwrap();
    assert_eq!(parts[0].0.filename.as_deref(), Some("ភាពយន្ត.mp4"));
    assert_eq!(parts[1].0.filename.as_deref(), Some("ក.mp4"));
}

#[test]
fn a_body_without_its_close_delimiter_is_incomplete() {
    let b = body(&[("video", Some("v.mp4"), b"0123456789")]);
    for end in [b.len() - 3, b.len() - 10, 30] {
        assert_eq!(
            parse(&b[..end], &[]),
            Err(FormError::Incomplete),
            "cut at {end}"
        );
    }
}

#[test]
fn malformed_bodies_are_refused_with_a_reason() {
    let garbage_after_boundary = format!("--{B}junk\r\n\r\n");
    let no_disposition = format!("--{B}\r\nContent-Type: text/plain\r\n\r\nx\r\n--{B}--");
    let not_form_data =
        format!("--{B}\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nx\r\n--{B}--");
    let long_head = format!("--{B}\r\nX-Long: {}\r\n", "a".repeat(20_000));
    let no_boundary = "x".repeat(70_000);
    let cases = [
        garbage_after_boundary.as_str(),
        no_disposition.as_str(),
        not_form_data.as_str(),
        long_head.as_str(),
        no_boundary.as_str(),
    ];
    for case in cases {
        assert!(
            matches!(parse(case.as_bytes(), &[]), Err(FormError::Malformed(_))),
            "accepted: {}",
            &case[..case.len().min(60)]
        );
    }
}

#[test]
fn a_part_body_is_handed_out_as_slices_of_the_chunks_it_arrived_in() {
    let mut parser = Parser::new(B);
    parser.push(Bytes::from(format!(
        "--{B}\r\nContent-Disposition: form-data; name=\"video\"\r\n\r\n"
    )));
    assert!(matches!(parser.next_event(), Ok(Some(Event::Part(_)))));
    let chunk = Bytes::from(vec![7u8; 100_000]);
    let range = chunk.as_ptr_range();
    parser.push(chunk);
    let Ok(Some(Event::Data(data))) = parser.next_event() else {
        panic!("no data")
    };
    assert_eq!(data.len(), 100_000);
    assert_eq!(data.as_ptr_range(), range, "the data was copied");
}

fn chunks(
    b: &[u8],
    size: usize,
) -> impl futures_util::Stream<Item = Result<Bytes, std::io::Error>> + Unpin {
    stream::iter(
        b.chunks(size)
            .map(|c| Ok(Bytes::copy_from_slice(c)))
            .collect::<Vec<_>>(),
    )
}

#[actix_web::test]
async fn a_form_skips_other_fields_and_streams_the_wanted_one() {
    let b = body(&[
        ("title", None, b"skip me"),
        ("video", Some("v.mp4"), TRICKY),
        ("after", None, b"z"),
    ]);
    let mut form = Form::new(chunks(&b, 7), B);
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
    let mut form = Form::new(chunks(&b[..3000], 1000), B);
    form.next_part().await.unwrap();
    let results: Vec<_> = form.part_body().collect().await;
    assert_eq!(results.last(), Some(&Err(FormError::Incomplete)));

    let big = vec![b'a'; 1_100_000];
    let b = body(&[("notes", None, &big), ("video", Some("v.mp4"), b"x")]);
    let mut form = Form::new(chunks(&b, 64 * 1024), B);
    assert_eq!(form.next_part().await.unwrap().unwrap().name, "notes");
    assert_eq!(form.next_part().await, Err(FormError::FieldsTooLarge));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

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

    /// Any bytes at all, with pieces of a form mixed in: no panic, the same outcome however they are cut, and never
    /// more part data out than bytes in.
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
        let kind = |r: Result<Parts, FormError>| r.map_err(|e| std::mem::discriminant(&e));
        let got = kind(parse(&b, &cuts));
        prop_assert_eq!(&got, &kind(parse(&b, &[])), "the cuts changed the outcome");
        if let Ok(parts) = got {
            let out: usize = parts.iter().map(|(_, d)| d.len()).sum();
            prop_assert!(out <= b.len());
        }
    }
}
