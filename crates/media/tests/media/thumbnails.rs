use std::time::Instant;

use clipjury_media::{ThumbnailFormat, probe, thumbnails};

use crate::helpers::*;

fn poster_rgb(path: &std::path::Path) -> (Vec<u8>, u32, u32) {
    let image = image::open(path).unwrap().to_rgb8();
    let (w, h) = image.dimensions();
    (image.into_raw(), w, h)
}

#[test]
fn portrait_poster_comes_in_three_sizes_as_jpeg_and_webp() {
    let input = fixture("android-portrait.mp4");
    let p = probe(&input).unwrap();
    let dir = out_dir("thumbs-android");
    let started = Instant::now();
    let thumbs = thumbnails(&input, &p, &dir).unwrap();
    eprintln!("android thumbnails took {:?}", started.elapsed());
    assert_eq!(thumbs.len(), 6);
    for (long_side, size) in [(1280, (720, 1280)), (640, (360, 640)), (320, (180, 320))] {
        for format in [ThumbnailFormat::Jpeg, ThumbnailFormat::Webp] {
            let t = thumbs
                .iter()
                .find(|t| t.long_side == long_side && t.format == format)
                .unwrap();
            assert_eq!((t.width, t.height), size);
            let (rgb, w, h) = poster_rgb(&t.path);
            assert_eq!((w, h), size);
            assert_upright(&rgb, w, h, &t.path.display().to_string());
            if format == ThumbnailFormat::Webp {
                let bytes = std::fs::read(&t.path).unwrap();
                assert_eq!(
                    &bytes[12..16],
                    b"VP8 ",
                    "lossy WebP, not the far larger lossless"
                );
            }
        }
    }
    let (rgb, _, _) = poster_rgb(&thumbs[0].path);
    let (mean, _) = mean_sd(&rgb);
    assert!(
        mean > 40.0,
        "poster should skip the black fade-in: mean {mean}"
    );
}

#[test]
fn rotated_and_hdr_posters_are_upright_and_sdr() {
    for (name, size) in [
        ("iphone-rotated.mov", (720, 1280)),
        ("hdr-hlg.mov", (1280, 720)),
        ("hdr-pq.mov", (1280, 720)),
        ("chrome-vp8.webm", (640, 360)),
    ] {
        let input = fixture(name);
        let p = probe(&input).unwrap();
        let thumbs = thumbnails(&input, &p, &out_dir(&format!("thumbs-{name}"))).unwrap();
        let (rgb, w, h) = poster_rgb(&thumbs[0].path);
        assert_eq!((w, h), size, "{name}");
        assert_upright(&rgb, w, h, name);
        let (mean, sd) = mean_sd(&rgb);
        assert!(
            (40.0..210.0).contains(&mean) && sd > 25.0,
            "{name}: mean {mean} sd {sd}"
        );
    }
}
