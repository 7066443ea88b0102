//! The font for text that FFmpeg draws into a video rather than a browser onto a screen (the `subtitles` filter
//! through libass, `drawtext`): without a Khmer font on the machine, Khmer comes out as empty boxes. Such text must
//! name [`KHMER_FONT_FAMILY`], which fontconfig resolves (libass: `force_style='FontName=Khmer OS'`);
//! `scripts/install-deps.sh` installs it from [`KHMER_FONT_PACKAGE`]. It has Latin letters too, so mixed titles
//! ("ICT ដើម្បីសមភាព") need no second font.

/// fontconfig family of the font for Khmer (and Latin) text drawn into videos.
pub const KHMER_FONT_FAMILY: &str = "Khmer OS";

/// The Debian package that installs [`KHMER_FONT_FAMILY`].
pub const KHMER_FONT_PACKAGE: &str = "fonts-khmeros";

#[cfg(test)]
#[allow(clippy::expect_used)]
mod tests {
    use super::*;
    use std::process::Command;

    fn run(program: &str, args: &[&str]) -> String {
        let out = Command::new(program)
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("{program} (package fontconfig) did not run: {e}"));
        assert!(out.status.success(), "{program} {args:?} failed: {out:?}");
        String::from_utf8(out.stdout).expect("utf-8 output")
    }

    /// Code points of an fc-query charset ("20-7e a0 1780-17dd").
    fn charset(ranges: &str) -> Vec<u32> {
        let hex = |s: &str| u32::from_str_radix(s, 16).expect("hex code point");
        ranges
            .split_whitespace()
            .flat_map(|r| match r.split_once('-') {
                Some((a, b)) => hex(a)..=hex(b),
                None => hex(r)..=hex(r),
            })
            .collect()
    }

    #[test]
    fn fontconfig_resolves_the_khmer_font_to_a_file_with_khmer_letters() {
        let found = run(
            "fc-match",
            &["--format=%{family[0]}\n%{file}", KHMER_FONT_FAMILY],
        );
        let (family, file) = found.split_once('\n').expect("family and file");
        // fc-match answers with its nearest font when the family is missing, e.g. DejaVu Sans.
        assert_eq!(
            family, KHMER_FONT_FAMILY,
            "fontconfig has no {KHMER_FONT_FAMILY} (it offered {file}): apt-get install {KHMER_FONT_PACKAGE}"
        );
        // What the file itself maps, read afresh rather than from fontconfig's cache.
        let covered = charset(&run("fc-query", &["--format=%{charset}", file]));
        let needed = (0x1780..=0x17A2) // consonants
            .chain(0x17B6..=0x17C5) // vowel signs
            .chain([0x17D2, 0x17D4]) // coeng (subscripts), khan (full stop)
            .chain(0x17E0..=0x17E9) // digits
            .chain(u32::from(b'A')..=u32::from(b'z'));
        let missing: Vec<String> = needed
            .filter(|c| !covered.contains(c))
            .map(|c| format!("U+{c:04X}"))
            .collect();
        assert!(missing.is_empty(), "{file} lacks {missing:?}");
    }

    #[test]
    fn the_charset_reader_reads_ranges_and_single_points() {
        assert_eq!(charset("20-22 a0\n"), vec![0x20, 0x21, 0x22, 0xa0]);
        assert!(charset("").is_empty());
    }
}
