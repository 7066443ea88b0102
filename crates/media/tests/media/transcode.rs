use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use clipjury_media::{
    MediaError, RenderOptions, RenditionInfo, RenditionSpec, probe, remux, transcode,
};

use crate::helpers::*;

pub const OPTIONS: RenderOptions = RenderOptions {
    limits: LIMITS,
    threads: 0,
};

/// One rendition of a fixture.
fn run(name: &str, spec: RenditionSpec, test: &str) -> (RenditionInfo, PathBuf) {
    let input = fixture(name);
    let p = probe(&input).unwrap();
    let output = out_dir(test).join(format!("{}.mp4", spec.long_side));
    let never = AtomicBool::new(false);
    let mut info = transcode(
        &input,
        &p,
        &[(spec, output.clone())],
        &OPTIONS,
        &mut |_| {},
        &never,
    )
    .unwrap();
    (info.remove(0), output)
}

/// Both renditions of a fixture from one decode, in the order asked (360p first on purpose).
fn run_both(name: &str, test: &str) -> Vec<(RenditionInfo, PathBuf)> {
    let input = fixture(name);
    let p = probe(&input).unwrap();
    let dir = out_dir(test);
    let targets = [
        (RenditionSpec::SD, dir.join("360p.mp4")),
        (RenditionSpec::HD, dir.join("720p.mp4")),
    ];
    let never = AtomicBool::new(false);
    let infos = transcode(&input, &p, &targets, &OPTIONS, &mut |_| {}, &never).unwrap();
    infos
        .into_iter()
        .zip(targets.into_iter().map(|(_, path)| path))
        .collect()
}

fn check_mp4_basics(output: &Path, info: &RenditionInfo) -> serde_json::Value {
    let json = ffprobe(output);
    let video = streams(&json, "video");
    let audio = streams(&json, "audio");
    assert_eq!(video.len(), 1);
    assert_eq!(audio.len(), 1, "every rendition has one audio track");
    assert_eq!(video[0]["codec_name"], "h264");
    assert_eq!(video[0]["pix_fmt"], "yuv420p");
    assert_eq!(
        (
            video[0]["width"].as_u64().unwrap(),
            video[0]["height"].as_u64().unwrap()
        ),
        (u64::from(info.width), u64::from(info.height))
    );
    assert_eq!(audio[0]["codec_name"], "aac");
    assert_eq!(audio[0]["channels"], 2);
    assert_eq!(std::fs::metadata(output).unwrap().len(), info.bytes);
    let boxes = top_level_boxes(output);
    let moov = boxes.iter().position(|b| b == "moov").expect("moov");
    let mdat = boxes.iter().position(|b| b == "mdat").expect("mdat");
    assert!(moov < mdat, "faststart: moov must precede mdat: {boxes:?}");
    assert_no_metadata(&json);
    json
}

#[test]
fn android_portrait_becomes_720x1280_and_360x640_without_metadata_from_one_decode() {
    for ((info, output), size) in run_both("android-portrait.mp4", "android")
        .into_iter()
        .zip([(360, 640), (720, 1280)])
    {
        assert_eq!((info.width, info.height), size);
        assert!(
            (info.duration_secs - 3.0).abs() < 0.1,
            "{}",
            info.duration_secs
        );
        let json = check_mp4_basics(&output, &info);
        let video = streams(&json, "video")[0].clone();
        assert_eq!(video["color_transfer"], "bt709");
        assert_eq!(video["r_frame_rate"], "30/1");
        assert_upright(&frame(&output, 1.0, "rgb24"), size.0, size.1, "android");
    }
}

#[test]
fn rotated_iphone_video_is_turned_upright_in_the_pixels_of_both_renditions() {
    for ((info, output), size) in run_both("iphone-rotated.mov", "iphone")
        .into_iter()
        .zip([(360, 640), (720, 1280)])
    {
        assert_eq!((info.width, info.height), size, "portrait stays portrait");
        check_mp4_basics(&output, &info);
        assert_upright(&frame(&output, 1.0, "rgb24"), size.0, size.1, "iphone");
    }
}

#[test]
fn hdr_is_tone_mapped_to_bt709_sdr() {
    for name in ["hdr-hlg.mov", "hdr-pq.mov"] {
        let (info, output) = run(name, RenditionSpec::SD, name);
        assert_eq!((info.width, info.height), (640, 360));
        let json = check_mp4_basics(&output, &info);
        let video = streams(&json, "video")[0].clone();
        assert_eq!(video["color_transfer"], "bt709", "{name}");
        assert_eq!(video["color_primaries"], "bt709", "{name}");
        assert_eq!(video["color_space"], "bt709", "{name}");
        assert_eq!(
            video["r_frame_rate"], "30/1",
            "{name}: 60 fps source capped at 30"
        );
        let (mean, sd) = mean_sd(&frame(&output, 1.0, "gray"));
        assert!((40.0..200.0).contains(&mean), "{name}: mean luma {mean}");
        assert!(sd > 25.0, "{name}: washed out, luma sd {sd}");
        assert_upright(&frame(&output, 1.0, "rgb24"), 640, 360, name);
    }
}

#[test]
fn live_webm_from_chrome_transcodes_with_its_scanned_duration() {
    let (info, output) = run("chrome-vp9.webm", RenditionSpec::SD, "webm");
    assert_eq!((info.width, info.height), (640, 360));
    assert!(
        (info.duration_secs - 2.0).abs() < 0.15,
        "{}",
        info.duration_secs
    );
    let json = check_mp4_basics(&output, &info);
    assert!((secs(&json["format"]["duration"]) - 2.0).abs() < 0.15);
}

#[test]
fn silent_video_gets_a_silent_stereo_track_of_the_same_length() {
    let (info, output) = run("no-audio.mp4", RenditionSpec::SD, "no-audio");
    let json = check_mp4_basics(&output, &info);
    let audio = streams(&json, "audio")[0].clone();
    let video = streams(&json, "video")[0].clone();
    assert!(
        (secs(&audio["duration"]) - secs(&video["duration"])).abs() < 0.1,
        "{audio} vs {video}"
    );
}

#[test]
fn progress_rises_monotonically_to_one() {
    let input = fixture("compliant-640x360.mp4");
    let p = probe(&input).unwrap();
    let output = out_dir("progress").join("out.mp4");
    let mut seen = Vec::new();
    transcode(
        &input,
        &p,
        &[(RenditionSpec::SD, output)],
        &OPTIONS,
        &mut |f| seen.push(f),
        &AtomicBool::new(false),
    )
    .unwrap();
    assert!(seen.len() > 5, "{seen:?}");
    assert!(seen.windows(2).all(|w| w[0] <= w[1]), "{seen:?}");
    assert!(seen.iter().all(|f| (0.0..=1.0).contains(f)));
    assert_eq!(seen.last().copied(), Some(1.0));
}

#[test]
fn cancelling_stops_early_and_leaves_no_file() {
    let input = fixture("android-portrait.mp4");
    let p = probe(&input).unwrap();
    let dir = out_dir("cancel");
    let output = dir.join("out.mp4");
    let cancel = AtomicBool::new(false);
    let mut calls = 0;
    let result = transcode(
        &input,
        &p,
        &[
            (RenditionSpec::HD, output),
            (RenditionSpec::SD, dir.join("sd.mp4")),
        ],
        &OPTIONS,
        &mut |_| {
            calls += 1;
            cancel.store(true, Ordering::Relaxed);
        },
        &cancel,
    );
    assert!(matches!(result, Err(MediaError::Cancelled)), "{result:?}");
    assert_eq!(result.unwrap_err().code(), "processing-cancelled");
    assert!(calls < 5);
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        0,
        "no partial output left"
    );
}

#[test]
fn compliant_clip_is_stream_copied_not_re_encoded() {
    let input = fixture("compliant-640x360.mp4");
    let p = probe(&input).unwrap();
    assert!(p.fast_path_eligible());
    let output = out_dir("remux").join("out.mp4");
    let info = remux(&input, &p, &output, &LIMITS).unwrap();
    assert_eq!((info.width, info.height), (640, 360));
    assert!(
        (info.duration_secs - 3.0).abs() < 0.1,
        "{}",
        info.duration_secs
    );
    check_mp4_basics(&output, &info);
    // A copy carries the very same video packets.
    let hash = |path: &Path| {
        let out = std::process::Command::new("ffmpeg")
            .args(["-v", "error", "-i"])
            .arg(path)
            .args([
                "-map", "0:v:0", "-c", "copy", "-f", "hash", "-hash", "md5", "-",
            ])
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    assert_eq!(hash(&input), hash(&output));
}

#[test]
fn remux_refuses_a_source_that_needs_re_encoding() {
    let input = fixture("iphone-rotated.mov");
    let p = probe(&input).unwrap();
    let output = out_dir("remux-refused").join("out.mp4");
    assert!(matches!(
        remux(&input, &p, &output, &LIMITS),
        Err(MediaError::NotRemuxable)
    ));
}

#[test]
fn audio_only_input_is_a_client_error_for_every_step() {
    let input = fixture("audio-only.m4a");
    let p = probe(&input).unwrap();
    let dir = out_dir("audio-only");
    let never = AtomicBool::new(false);
    let error = transcode(
        &input,
        &p,
        &[(RenditionSpec::SD, dir.join("out.mp4"))],
        &OPTIONS,
        &mut |_| {},
        &never,
    )
    .unwrap_err();
    assert!(
        error.is_client_error() && error.code() == "no-video-stream",
        "{error}"
    );
    let error = clipjury_media::thumbnails(&input, &p, &dir).unwrap_err();
    assert_eq!(error.code(), "no-video-stream");
}
