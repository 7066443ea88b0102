//! `Range: bytes=…` for one range (RFC 9110 §14). Several ranges are answered with the whole file, which the RFC
//! allows; players only ever ask for one.

use std::ops::Range;

/// What to send for a Range header and a file of `len` bytes.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum RangeAnswer {
    /// 200 with the whole file.
    Full,
    /// 206 with these bytes.
    Partial(Range<u64>),
    /// 416.
    Unsatisfiable,
}

pub(crate) fn answer(header: Option<&str>, len: u64) -> RangeAnswer {
    let Some(spec) = header.and_then(|h| h.trim().strip_prefix("bytes=")) else {
        return RangeAnswer::Full;
    };
    if spec.contains(',') {
        return RangeAnswer::Full;
    }
    let Some((start, end)) = spec.trim().split_once('-') else {
        return RangeAnswer::Full;
    };
    let parse = |s: &str| s.trim().parse::<u64>().ok();
    match (start.trim().is_empty(), end.trim().is_empty()) {
        (true, false) => match parse(end) {
            Some(0) => RangeAnswer::Unsatisfiable,
            Some(_) if len == 0 => RangeAnswer::Unsatisfiable,
            Some(n) => RangeAnswer::Partial(len.saturating_sub(n)..len),
            None => RangeAnswer::Full,
        },
        (false, _) => {
            let Some(first) = parse(start) else {
                return RangeAnswer::Full;
            };
            let last = if end.trim().is_empty() {
                Some(len.saturating_sub(1))
            } else {
                parse(end)
            };
            match last {
                None => RangeAnswer::Full,
                Some(_) if first >= len => RangeAnswer::Unsatisfiable,
                Some(last) if last < first => RangeAnswer::Full,
                Some(last) => RangeAnswer::Partial(first..last.min(len - 1) + 1),
            }
        }
        (true, true) => RangeAnswer::Full,
    }
}

#[cfg(test)]
mod tests {
    use super::{RangeAnswer::*, answer};

    #[test]
    fn single_ranges_suffixes_and_bad_ones() {
        assert_eq!(answer(None, 100), Full);
        assert_eq!(answer(Some("bytes=0-0"), 100), Partial(0..1));
        assert_eq!(answer(Some("bytes=10-19"), 100), Partial(10..20));
        assert_eq!(answer(Some("bytes=90-"), 100), Partial(90..100));
        assert_eq!(answer(Some("bytes=90-500"), 100), Partial(90..100));
        assert_eq!(answer(Some("bytes=-10"), 100), Partial(90..100));
        assert_eq!(answer(Some("bytes=-500"), 100), Partial(0..100));
        assert_eq!(answer(Some("bytes=100-"), 100), Unsatisfiable);
        assert_eq!(answer(Some("bytes=-0"), 100), Unsatisfiable);
        assert_eq!(answer(Some("bytes=0-1,5-6"), 100), Full);
        assert_eq!(answer(Some("items=0-1"), 100), Full);
        assert_eq!(answer(Some("bytes=5-2"), 100), Full);
    }
}
