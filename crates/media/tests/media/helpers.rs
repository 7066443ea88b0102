//! Fixture generation and ffprobe/ffmpeg CLI helpers used to check outputs
//! independently of the code under test.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use serde_json::Value;

/// Test contest limit: 5 s, no tolerance (too-long.mp4 is 15 s).
pub const LIMITS: clipjury_media::Limits = clipjury_media::Limits {
    max_duration_secs: 5.0,
    tolerance_secs: 0.0,
};

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Path of a generated clip; the clips are made once per test run (cached on disk).
pub fn fixture(name: &str) -> PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    let dir = DIR.get_or_init(|| {
        let root = workspace_root();
        let dir = root.join("target/fixtures");
        let status = Command::new("bash")
            .arg(root.join("tests/fixtures/make-clips.sh"))
            .arg(&dir)
            .status()
            .expect("run make-clips.sh");
        assert!(status.success(), "make-clips.sh failed");
        dir
    });
    dir.join(name)
}

/// A fresh empty folder for one test's outputs.
pub fn out_dir(test: &str) -> PathBuf {
    let dir = workspace_root().join("target/media-test-out").join(test);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create output dir");
    dir
}

/// `ffprobe -show_format -show_streams` as JSON.
pub fn ffprobe(path: &Path) -> Value {
    let output = Command::new("ffprobe")
        .args([
            "-v",
            "error",
            "-print_format",
            "json",
            "-show_format",
            "-show_streams",
        ])
        .arg(path)
        .output()
        .expect("run ffprobe");
    assert!(
        output.status.success(),
        "ffprobe failed on {}",
        path.display()
    );
    serde_json::from_slice(&output.stdout).expect("ffprobe JSON")
}

pub fn streams<'a>(info: &'a Value, kind: &str) -> Vec<&'a Value> {
    info["streams"]
        .as_array()
        .expect("streams")
        .iter()
        .filter(|s| s["codec_type"] == kind)
        .collect()
}

/// One decoded frame at `secs`, as packed pixels in `pix_fmt` (rgb24 or gray).
pub fn frame(path: &Path, secs: f64, pix_fmt: &str) -> Vec<u8> {
    let output = Command::new("ffmpeg")
        .args(["-v", "error", "-ss", &secs.to_string(), "-i"])
        .arg(path)
        .args([
            "-frames:v",
            "1",
            "-f",
            "rawvideo",
            "-pix_fmt",
            pix_fmt,
            "pipe:1",
        ])
        .output()
        .expect("run ffmpeg");
    assert!(
        output.status.success() && !output.stdout.is_empty(),
        "ffmpeg could not decode {}",
        path.display()
    );
    output.stdout
}

/// Asserts the red marker is in the displayed top-left corner and the green one
/// in the top-right: true only for the upright, unmirrored picture.
pub fn assert_upright(rgb: &[u8], width: u32, height: u32, what: &str) {
    let inset = width.min(height) / 10;
    let at = |x: u32, y: u32| {
        let i = ((y * width + x) * 3) as usize;
        [rgb[i], rgb[i + 1], rgb[i + 2]]
    };
    let top_left = at(inset, inset);
    let top_right = at(width - 1 - inset, inset);
    assert!(
        top_left[0] > 150 && top_left[1] < 100 && top_left[2] < 100,
        "{what}: top-left is {top_left:?}, not red"
    );
    assert!(
        top_right[1] > 150 && top_right[0] < 100 && top_right[2] < 100,
        "{what}: top-right is {top_right:?}, not green"
    );
}

/// Mean and standard deviation of 8-bit samples.
pub fn mean_sd(samples: &[u8]) -> (f64, f64) {
    let n = samples.len() as f64;
    let mean = samples.iter().map(|&v| f64::from(v)).sum::<f64>() / n;
    let var = samples
        .iter()
        .map(|&v| (f64::from(v) - mean).powi(2))
        .sum::<f64>()
        / n;
    (mean, var.sqrt())
}

/// Top-level MP4 box types in file order.
pub fn top_level_boxes(path: &Path) -> Vec<String> {
    let data = std::fs::read(path).expect("read mp4");
    let mut boxes = Vec::new();
    let mut at = 0usize;
    while at + 8 <= data.len() {
        let mut size = u32::from_be_bytes(data[at..at + 4].try_into().unwrap()) as usize;
        let kind = String::from_utf8_lossy(&data[at + 4..at + 8]).into_owned();
        if size == 1 {
            size = u64::from_be_bytes(data[at + 8..at + 16].try_into().unwrap()) as usize;
        } else if size == 0 {
            size = data.len() - at;
        }
        boxes.push(kind);
        if size < 8 {
            break;
        }
        at += size;
    }
    boxes
}

/// Asserts nothing identifying is left: no location, device, dates or other tags, no side data.
pub fn assert_no_metadata(info: &Value) {
    assert_no_tags(info);
    for stream in info["streams"].as_array().expect("streams") {
        assert!(
            stream.get("side_data_list").is_none(),
            "side data left in the output: {stream}"
        );
    }
}

/// Asserts no location, device, dates or other tags are left (side data such as the display matrix may stay).
pub fn assert_no_tags(info: &Value) {
    let allowed = ["major_brand", "minor_version", "compatible_brands"];
    if let Some(tags) = info["format"]["tags"].as_object() {
        for key in tags.keys() {
            assert!(
                allowed.contains(&key.as_str()),
                "format tag {key} left in the output: {tags:?}"
            );
        }
    }
    for stream in info["streams"].as_array().expect("streams") {
        if let Some(tags) = stream["tags"].as_object() {
            for key in tags.keys() {
                assert!(
                    ["language", "handler_name", "vendor_id"].contains(&key.as_str()),
                    "stream tag {key} left in the output: {tags:?}"
                );
            }
        }
    }
}

pub fn secs(value: &Value) -> f64 {
    value
        .as_str()
        .and_then(|s| s.parse().ok())
        .expect("a duration")
}
