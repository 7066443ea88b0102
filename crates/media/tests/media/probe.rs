use clipjury_media::{ColorTransfer, Orientation, Refusal, probe, validate};

use crate::helpers::{LIMITS, fixture};

/// Probe + validate, as the worker runs them: a refusal code, or None when accepted.
fn outcome(name: &str) -> Option<&'static str> {
    match probe(&fixture(name)) {
        Ok(p) => validate(&p, &LIMITS).err().map(|r| r.code),
        Err(e) => {
            assert!(
                e.is_client_error(),
                "{name}: {e} should be the file's fault"
            );
            Some(
                Refusal::from_error(&e)
                    .expect("client errors map to refusals")
                    .code,
            )
        }
    }
}

#[test]
fn every_fixture_is_accepted_or_refused_with_the_right_code() {
    let expected = [
        ("android-portrait.mp4", None),
        ("iphone-rotated.mov", None),
        ("hdr-hlg.mov", None),
        ("hdr-pq.mov", None),
        ("chrome-vp8.webm", None),
        ("chrome-vp9.webm", None),
        ("compliant-640x360.mp4", None),
        ("no-audio.mp4", None),
        ("audio-only.m4a", Some("no-video-stream")),
        ("png-renamed.mp4", Some("still-image")),
        ("truncated.mp4", Some("unreadable-file")),
        ("zero-bytes.mp4", Some("unreadable-file")),
        ("random-bytes.mp4", Some("unreadable-file")),
        ("too-long.mp4", Some("too-long")),
        ("too-short.mp4", Some("too-short")),
    ];
    for (name, code) in expected {
        assert_eq!(outcome(name), code, "{name}");
    }
}

#[test]
fn probe_describes_a_portrait_android_clip() {
    let p = probe(&fixture("android-portrait.mp4")).unwrap();
    assert!(p.format.contains("mp4"));
    assert!((p.duration_secs - 3.0).abs() < 0.1, "{}", p.duration_secs);
    assert!(!p.duration_from_scan && !p.still_image);
    let v = p.video.as_ref().unwrap();
    assert_eq!(
        (v.codec.as_str(), v.width, v.height, v.pixel_format.as_str()),
        ("h264", 1080, 1920, "yuv420p")
    );
    assert!((v.frame_rate.unwrap() - 30.0).abs() < 0.01);
    assert_eq!((v.rotation, v.transfer), (0, ColorTransfer::Sdr));
    let a = p.audio.as_ref().unwrap();
    assert_eq!(
        (a.codec.as_str(), a.channels, a.sample_rate),
        ("aac", 2, 48_000)
    );
    assert!(
        !p.fast_path_eligible(),
        "1080x1920 is above the 720p rendition"
    );
}

#[test]
fn probe_reads_rotation_from_the_display_matrix() {
    let p = probe(&fixture("iphone-rotated.mov")).unwrap();
    let v = p.video.unwrap();
    assert_eq!(v.codec, "hevc");
    assert_eq!((v.width, v.height), (1280, 720));
    assert_eq!((v.rotation, v.orientation), (90, Orientation::Rotate90));
    assert_eq!(v.display_size(), (720, 1280));
}

#[test]
fn probe_recognises_hlg_and_pq() {
    let hlg = probe(&fixture("hdr-hlg.mov")).unwrap().video.unwrap();
    let pq = probe(&fixture("hdr-pq.mov")).unwrap().video.unwrap();
    assert_eq!(
        (hlg.transfer, pq.transfer),
        (ColorTransfer::Hlg, ColorTransfer::Pq)
    );
    assert_eq!(hlg.pixel_format, "yuv420p10le");
}

#[test]
fn live_webm_duration_is_found_by_scanning_packets() {
    for name in ["chrome-vp8.webm", "chrome-vp9.webm"] {
        let p = probe(&fixture(name)).unwrap();
        assert!(
            p.duration_from_scan,
            "{name}: header should have no duration"
        );
        assert!(
            (p.duration_secs - 2.0).abs() < 0.15,
            "{name}: {}",
            p.duration_secs
        );
        assert_eq!(p.audio.unwrap().codec, "opus");
    }
}

#[test]
fn only_the_compliant_clip_takes_the_fast_path() {
    for (name, eligible) in [
        ("compliant-640x360.mp4", true),
        ("no-audio.mp4", false),
        ("iphone-rotated.mov", false),
        ("hdr-hlg.mov", false),
        ("chrome-vp9.webm", false),
    ] {
        assert_eq!(
            probe(&fixture(name)).unwrap().fast_path_eligible(),
            eligible,
            "{name}"
        );
    }
}

#[test]
fn unreadable_files_are_client_errors_not_panics() {
    for name in ["truncated.mp4", "zero-bytes.mp4", "random-bytes.mp4"] {
        let error = probe(&fixture(name)).unwrap_err();
        assert_eq!(error.code(), "unreadable-file", "{name}");
    }
    let missing = probe(std::path::Path::new("/nonexistent/clip.mp4")).unwrap_err();
    assert!(!missing.is_client_error(), "a missing upload is our fault");
}
