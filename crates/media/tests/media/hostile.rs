//! The sandbox inside the media crate: whitelisted demuxers, the duration checked while demuxing (whatever the
//! header says), silence padding bounded, the display matrix kept by the stream copy.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use clipjury_media::{MediaError, RenditionSpec, probe, remux, transcode};

use crate::helpers::*;
use crate::transcode::OPTIONS;

/// A file of the hostile corpus (tests/fixtures/make-hostile.sh, cached under target/hostile).
fn hostile(name: &str) -> PathBuf {
    static DIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    let dir = DIR.get_or_init(|| {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let dir = root.join("target/hostile");
        let status = std::process::Command::new("bash")
            .arg(root.join("tests/fixtures/make-hostile.sh"))
            .arg(&dir)
            .status()
            .expect("run make-hostile.sh");
        assert!(status.success(), "make-hostile.sh failed");
        dir
    });
    dir.join(name)
}

fn render_error(name: &str) -> MediaError {
    let input = hostile(name);
    let p = probe(&input).unwrap();
    let dir = out_dir(&format!("hostile-{name}"));
    let never = AtomicBool::new(false);
    let err = transcode(
        &input,
        &p,
        &[(RenditionSpec::SD, dir.join("360p.mp4"))],
        &OPTIONS,
        &mut |_| {},
        &never,
    )
    .unwrap_err();
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        0,
        "{name}: output left"
    );
    err
}

#[test]
fn a_header_that_lies_about_the_duration_is_caught_while_demuxing() {
    for name in [
        "lie-header.webm",
        "gap-lying.webm",
        "gap-lying-silent.webm",
        "lie-header-hevc.mov",
    ] {
        let p = probe(&hostile(name)).unwrap();
        assert!(
            p.duration_secs <= 3.0,
            "{name}: the header should claim ≤ 3 s"
        );
        let err = render_error(name);
        assert!(
            matches!(err, MediaError::TooLong { limit_secs, .. } if limit_secs == 5.0),
            "{name}: {err:?}"
        );
    }
    let input = hostile("lie-header.mp4");
    let p = probe(&input).unwrap();
    assert!(p.remux_eligible());
    let err = remux(&input, &p, &out_dir("lie-remux").join("o.mp4"), &LIMITS).unwrap_err();
    assert_eq!(err.code(), "too-long");
}

#[test]
fn playlists_scripts_and_other_containers_never_reach_their_demuxer() {
    for (name, code) in [
        ("hls.mp4", "unsupported-format"),
        ("hls-remote.mp4", "unsupported-format"),
        ("ffconcat.mp4", "unsupported-format"),
        ("mpegts.mp4", "unsupported-format"),
        ("avi.mp4", "unsupported-format"),
        ("polyglot-gif.mp4", "still-image"),
    ] {
        let err = probe(&hostile(name)).unwrap_err();
        assert!(err.is_client_error(), "{name}: {err}");
        assert_eq!(err.code(), code, "{name}: {err}");
    }
}

#[test]
fn a_decoder_bomb_decodes_no_frame_instead_of_allocating_it() {
    let err = render_error("bomb-mjpeg.mov");
    assert_eq!(err.code(), "unreadable-file", "{err:?}");
}

#[test]
fn the_stream_copy_keeps_the_display_matrix_and_no_metadata() {
    let input = fixture("android-rotated.mp4");
    let p = probe(&input).unwrap();
    assert!(p.remux_eligible() && !p.fast_path_eligible(), "{p:?}");
    let output = out_dir("remux-rotated").join("original.mp4");
    let info = remux(&input, &p, &output, &LIMITS).unwrap();
    assert_eq!((info.width, info.height), (360, 640), "display size");
    let json = ffprobe(&output);
    assert_no_tags(&json);
    let matrix = &streams(&json, "video")[0]["side_data_list"][0];
    assert_eq!(matrix["rotation"], -90, "{json}");
    // ffmpeg turns the picture by the matrix when it decodes: upright only if the matrix survived.
    assert_upright(&frame(&output, 1.0, "rgb24"), 360, 640, "stream copy");
}
