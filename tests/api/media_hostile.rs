//! The hostile media corpus (`tests/fixtures/make-hostile.sh`) through the real path: tus upload → durable job →
//! worker → sandboxed `clipjury-media` child. Each file must end as a refusal with one of the codes named here, or as
//! a correct transcode, within its time budget; the server stays up; no temporary folder, part file or stored object
//! of a refused video is left over.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app, test_worker_settings};

/// How one file must end.
enum Want {
    /// Ready, with renditions that are H.264 MP4 no longer than the limit.
    Ready,
    /// Failed with one of these codes.
    Refused(&'static [&'static str]),
    /// Either, when both are right for the file (a cut that may keep enough of the video, or not).
    Either(&'static [&'static str]),
}
use Want::{Either, Ready, Refused};

const TOO_LONG: &[&str] = &["too-long"];
const UNREADABLE: &[&str] = &["unreadable-file"];
const NOT_A_VIDEO_CONTAINER: &[&str] = &["unsupported-format"];

const CASES: [(&str, Want); 38] = [
    ("lie-header.mp4", Refused(TOO_LONG)),
    ("lie-header.webm", Refused(TOO_LONG)),
    ("lie-header-hevc.mov", Refused(TOO_LONG)),
    ("gap-honest.webm", Refused(TOO_LONG)),
    ("gap-lying.webm", Refused(TOO_LONG)),
    ("gap-lying-silent.webm", Refused(TOO_LONG)),
    ("gap-small.mkv", Ready),
    ("8k.mp4", Ready),
    ("over-8k.mp4", Refused(&["resolution-too-high"])),
    ("one-by-one.webm", Ready),
    ("fps-240.mp4", Refused(&["frame-rate-too-high"])),
    ("dense-timestamps.mkv", Refused(&["frame-rate-too-high"])),
    ("bomb-mjpeg.mov", Refused(UNREADABLE)),
    (
        "bomb-mjpeg-declared.mov",
        Refused(&["resolution-too-high", "unreadable-file"]),
    ),
    ("truncated-1.mp4", Refused(UNREADABLE)),
    (
        "truncated-10.mp4",
        Refused(&["unreadable-file", "too-short"]),
    ),
    (
        "truncated-50.mp4",
        Either(&["unreadable-file", "too-short"]),
    ),
    ("truncated-90.mp4", Ready),
    ("truncated-99.mp4", Ready),
    ("moov-missing.mp4", Refused(UNREADABLE)),
    ("nested-atoms.mp4", Either(UNREADABLE)),
    ("tiny-atoms.mp4", Ready),
    ("atom-past-eof.mp4", Ready),
    ("stco-zero.mp4", Refused(UNREADABLE)),
    ("metadata-100mb.mp4", Ready),
    ("many-streams.mkv", Refused(UNREADABLE)),
    ("hls.mp4", Refused(NOT_A_VIDEO_CONTAINER)),
    ("hls-remote.mp4", Refused(NOT_A_VIDEO_CONTAINER)),
    ("ffconcat.mp4", Refused(NOT_A_VIDEO_CONTAINER)),
    ("mpegts.mp4", Refused(NOT_A_VIDEO_CONTAINER)),
    ("avi.mp4", Refused(NOT_A_VIDEO_CONTAINER)),
    ("svg.mp4", Refused(&["still-image", "unsupported-format"])),
    ("polyglot-html-tail.mp4", Ready),
    (
        "polyglot-html-head.mp4",
        Refused(&["unreadable-file", "unsupported-format"]),
    ),
    ("polyglot-gif.mp4", Refused(&["still-image"])),
    ("polyglot-zip-tail.mp4", Ready),
    ("matroska-h264.mkv", Ready),
    ("feature-phone.3gp", Ready),
];

/// Longest a file may take from upload complete to its outcome, in a debug build on 2 shared cores.
const BUDGET: Duration = Duration::from_secs(30);

/// The corpus, made once per checkout (cached under target/hostile).
fn corpus(name: &str) -> PathBuf {
    static DIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    let dir = DIR.get_or_init(|| {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let dir = root.join("target/hostile");
        let status = std::process::Command::new("bash")
            .arg(root.join("tests/fixtures/make-hostile.sh"))
            .arg(&dir)
            .status()
            .unwrap();
        assert!(status.success(), "make-hostile.sh failed");
        dir
    });
    dir.join(name)
}

/// Uploads a file through tus in 16 MB PATCHes (read piece by piece: the 100 MB one is mostly a hole).
async fn upload(app: &TestApp, group: &str, path: &Path) {
    use std::io::Read as _;
    let len = std::fs::metadata(path).unwrap().len() as usize;
    let loc = app.create_upload(group, len).await;
    let mut file = std::fs::File::open(path).unwrap();
    let mut offset = 0;
    let mut chunk = vec![0u8; 16 << 20];
    while offset < len {
        let n = file.read(&mut chunk).unwrap();
        let r = app.patch_upload(group, &loc, offset, &chunk[..n]).await;
        assert_eq!(r.status(), StatusCode::NO_CONTENT, "{}", path.display());
        offset += n;
    }
}

async fn fetch(app: &TestApp, token: &str, url: &str) -> (StatusCode, Vec<u8>) {
    let r = reqwest::Client::new()
        .get(app.url(url))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    (r.status(), r.bytes().await.unwrap().to_vec())
}

/// The problem with a ready video's renditions, if any: both stored, H.264 + AAC MP4s within the limit, nothing of
/// the upload's other bytes (scripts of a polyglot) copied into them.
async fn check_renditions(app: &TestApp, group: &str, video: &Value, out: &Path) -> Option<String> {
    for key in ["video_720p_url", "video_360p_url"] {
        let Some(url) = video[key].as_str() else {
            return Some(format!("no {key}: {video}"));
        };
        let (status, bytes) = fetch(app, group, url).await;
        if status != StatusCode::OK || bytes.windows(7).any(|w| w == b"<script") {
            return Some(format!("{key}: {status}, {} bytes", bytes.len()));
        }
        let path = out.join("rendition.mp4");
        std::fs::write(&path, &bytes).unwrap();
        let probe = std::process::Command::new("ffprobe")
            .args([
                "-v",
                "error",
                "-show_entries",
                "format=duration:stream=codec_name",
                "-of",
                "json",
            ])
            .arg(&path)
            .output()
            .unwrap();
        let json: Value = serde_json::from_slice(&probe.stdout).unwrap_or(Value::Null);
        let codecs: Vec<&str> = json["streams"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|s| s["codec_name"].as_str())
            .collect();
        let secs: f64 = json["format"]["duration"]
            .as_str()
            .and_then(|d| d.parse().ok())
            .unwrap_or(-1.0);
        if codecs != ["h264", "aac"] || !(0.5..=5.5).contains(&secs) {
            return Some(format!("{key}: {codecs:?}, {secs} s"));
        }
    }
    None
}

#[tokio::test]
async fn every_hostile_file_ends_refused_with_a_code_or_transcoded_within_its_budget_and_leaves_nothing()
 {
    let temp = tempfile::tempdir().unwrap();
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let body =
        json!({"title": "Hostile", "max_duration_seconds": 5, "duration_tolerance_seconds": 0});
    let cid = app
        .call("POST", "/api/contests", Some(&admin), Some(body))
        .await
        .body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.transition(&admin, &cid, "open", None).await;
    let settings = clipjury_worker::WorkerSettings {
        temp_dir: temp.path().to_path_buf(),
        ..test_worker_settings()
    };
    let mut failures = Vec::new();
    let mut refused_videos = Vec::new();
    for (i, (file, want)) in CASES.iter().enumerate() {
        let group = app.another_group(&admin, &cid, &format!("Group {i}")).await;
        upload(&app, &group, &corpus(file)).await;
        let started = Instant::now();
        clipjury_worker::run_until_idle(app.services.clone(), settings.clone()).await;
        let took = started.elapsed();
        eprintln!("{file}: {took:.2?}");
        if took > BUDGET {
            failures.push(format!("{file}: took {took:?}"));
        }
        let s = app.own_submission(&group, &cid).await;
        let latest = s["latest_video"].clone();
        let code = latest["failure_code"].as_str().unwrap_or("");
        let outcome = match (s["status"].as_str(), want) {
            (Some("ready"), Ready | Either(_)) => {
                check_renditions(&app, &group, &s["current_video"], temp.path()).await
            }
            (Some("failed"), Refused(codes) | Either(codes)) if codes.contains(&code) => {
                if !latest["failure_message"].is_string() || !s["current_video"].is_null() {
                    Some(format!("refused without a message, or still visible: {s}"))
                } else {
                    refused_videos.push(latest["id"].as_str().unwrap().to_owned());
                    None
                }
            }
            _ => Some(format!("ended as {} {code}", s["status"])),
        };
        if let Some(problem) = outcome {
            failures.push(format!("{file}: {problem}"));
        }
        let _ = std::fs::remove_file(temp.path().join("rendition.mp4"));
    }

    // The server is up and answers.
    let health = reqwest::get(app.url("/healthz")).await.unwrap();
    assert_eq!(health.status(), StatusCode::OK);
    // No job folder or partial file is left behind, in the temp folder or the media folder.
    let left: Vec<_> = std::fs::read_dir(temp.path())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    assert!(left.is_empty(), "left in the temp folder: {left:?}");
    let mut partials = Vec::new();
    let mut stack = vec![app.settings.media.dir.clone()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if e.file_type().unwrap().is_dir() {
                stack.push(e.path());
            } else if name.ends_with(".part") || name.starts_with(".tmp") {
                partials.push(e.path());
            }
        }
    }
    assert!(partials.is_empty(), "partial files: {partials:?}");
    // Nothing of a refused video stays in storage.
    for id in &refused_videos {
        for name in [
            "720p.mp4",
            "360p.mp4",
            "original.mp4",
            "poster-1280.jpg",
            "poster-640.jpg",
            "poster-320.jpg",
            "poster-1280.webp",
            "poster-640.webp",
            "poster-320.webp",
        ] {
            let key = format!("videos/{id}/{name}");
            assert!(
                app.services.storage().size(&key).await.is_err(),
                "{key} is left over"
            );
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
