//! Checking a probed upload against the contest's rules.

use crate::{MediaError, Probe};

/// Shortest accepted video, in seconds.
pub const MIN_DURATION_SECS: f64 = 1.0;
/// Largest accepted long side (8K UHD).
pub const MAX_LONG_SIDE: u32 = 7680;
/// Largest accepted short side (8K UHD).
pub const MAX_SHORT_SIDE: u32 = 4320;
/// Highest accepted frame rate.
pub const MAX_FRAME_RATE: f64 = 120.0;

/// The contest's rules that depend on the media.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// Longest allowed video, in seconds.
    pub max_duration_secs: f64,
    /// Extra seconds accepted beyond the limit (phones stop a little late).
    pub tolerance_secs: f64,
}

/// Why an upload is not accepted: a stable kebab-case `code` the web app
/// translates, and a plain English `message`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Refusal {
    /// One of `unreadable-file`, `no-video-stream`, `unsupported-codec`,
    /// `still-image`, `too-short`, `too-long`, `resolution-too-high`,
    /// `frame-rate-too-high`.
    pub code: &'static str,
    /// What went wrong, for the group, in plain English.
    pub message: String,
}

impl Refusal {
    fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }

    /// The refusal for an error caused by the file itself (see
    /// [`MediaError::is_client_error`]); `None` for errors on our side.
    #[must_use]
    pub fn from_error(error: &MediaError) -> Option<Self> {
        match error {
            MediaError::Unreadable(_) => Some(damaged()),
            MediaError::NoVideoStream => Some(no_video()),
            MediaError::StillImage => Some(still_image()),
            MediaError::UnsupportedFormat(_) => Some(Self::new(
                "unsupported-format",
                "This file is not a video file a phone camera writes (MP4, MOV, 3GP or WebM). Please upload the video itself.",
            )),
            MediaError::TooLong {
                seen_secs,
                limit_secs,
            } => Some(too_long(*seen_secs, *limit_secs)),
            MediaError::TooManyFrames(_) => Some(too_fast()),
            MediaError::UnsupportedCodec(codec) => Some(Self::new(
                "unsupported-codec",
                format!(
                    "This video uses a format ({codec}) that cannot be played here. Please record with the phone's normal camera app."
                ),
            )),
            _ => None,
        }
    }
}

fn damaged() -> Refusal {
    Refusal::new(
        "unreadable-file",
        "This file could not be read as a video. It may be damaged or only partly uploaded. Please choose the video again.",
    )
}

fn too_short() -> Refusal {
    Refusal::new(
        "too-short",
        "This video is shorter than one second. Please upload the full video.",
    )
}

fn still_image() -> Refusal {
    Refusal::new(
        "still-image",
        "This file is a photo, not a video. Please upload a video.",
    )
}

fn too_fast() -> Refusal {
    Refusal::new(
        "frame-rate-too-high",
        "This video has more than 120 frames per second (slow motion). Please record at normal speed.",
    )
}

/// `limit_secs` is the contest's limit (the tolerance is not mentioned).
fn too_long(secs: f64, limit_secs: f64) -> Refusal {
    Refusal::new(
        "too-long",
        format!(
            "This video is {} long; the limit for this contest is {}. Please shorten it and upload it again.",
            seconds(secs),
            seconds(limit_secs)
        ),
    )
}

fn no_video() -> Refusal {
    Refusal::new(
        "no-video-stream",
        "This file has sound but no picture. Please upload a video.",
    )
}

/// Checks `probe` against `limits` and the platform's fixed bounds.
///
/// # Errors
/// The first [`Refusal`] that applies, checked in this order: no video, still
/// image, too short, too long, resolution above 8K, frame rate above 120 fps.
pub fn validate(probe: &Probe, limits: &Limits) -> Result<(), Refusal> {
    let video = probe.video.as_ref().ok_or_else(no_video)?;
    if probe.still_image {
        return Err(still_image());
    }
    if probe.duration_secs < MIN_DURATION_SECS {
        return Err(too_short());
    }
    if probe.duration_secs > limits.max_duration_secs + limits.tolerance_secs {
        return Err(too_long(probe.duration_secs, limits.max_duration_secs));
    }
    let (w, h) = (video.width, video.height);
    if w.max(h) > MAX_LONG_SIDE || w.min(h) > MAX_SHORT_SIDE {
        return Err(Refusal::new(
            "resolution-too-high",
            format!("This video is {w}×{h} pixels, more than 8K. Please record at 4K or lower."),
        ));
    }
    if video.frame_rate.is_some_and(|r| r > MAX_FRAME_RATE + 0.5) {
        return Err(too_fast());
    }
    Ok(())
}

/// Checks what a render actually found in the file against what its header
/// promised: a file cut short (its index intact, most of its data missing) is
/// damaged, not a shorter video.
///
/// # Errors
/// `too-short` when less than a second could be decoded, `unreadable-file`
/// when less than half of the declared duration could.
pub fn validate_rendered(probe: &Probe, rendered_secs: f64) -> Result<(), Refusal> {
    if rendered_secs < MIN_DURATION_SECS {
        return Err(too_short());
    }
    if rendered_secs < probe.duration_secs * 0.5 {
        return Err(damaged());
    }
    Ok(())
}

fn seconds(secs: f64) -> String {
    let whole = secs.round() as u64;
    match (whole / 60, whole % 60) {
        (0, s) => format!("{s} seconds"),
        (m, 0) => format!("{m} min"),
        (m, s) => format!("{m} min {s} s"),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::{ColorTransfer, Orientation, VideoStream};

    fn probe(width: u32, height: u32, fps: f64, secs: f64) -> Probe {
        Probe {
            format: "mov,mp4,m4a,3gp,3g2,mj2".into(),
            duration_secs: secs,
            duration_from_scan: false,
            video: Some(VideoStream {
                index: 0,
                codec: "h264".into(),
                width,
                height,
                pixel_aspect: 1.0,
                frame_rate: Some(fps),
                pixel_format: "yuv420p".into(),
                orientation: Orientation::Normal,
                rotation: 0,
                transfer: ColorTransfer::Sdr,
            }),
            audio: None,
            still_image: false,
            size_bytes: 1,
        }
    }

    const LIMITS: Limits = Limits {
        max_duration_secs: 60.0,
        tolerance_secs: 2.0,
    };

    fn code(p: &Probe) -> Option<&'static str> {
        validate(p, &LIMITS).err().map(|r| r.code)
    }

    #[test]
    fn a_normal_phone_video_passes() {
        assert_eq!(code(&probe(1080, 1920, 30.0, 59.0)), None);
        assert_eq!(code(&probe(3840, 2160, 120.0, 61.9)), None);
    }

    #[test]
    fn each_rule_has_its_own_code() {
        assert_eq!(code(&probe(1080, 1920, 30.0, 62.5)), Some("too-long"));
        assert_eq!(code(&probe(1080, 1920, 30.0, 0.4)), Some("too-short"));
        assert_eq!(
            code(&probe(8192, 4320, 30.0, 10.0)),
            Some("resolution-too-high")
        );
        assert_eq!(
            code(&probe(4320, 7681, 30.0, 10.0)),
            Some("resolution-too-high")
        );
        assert_eq!(
            code(&probe(1920, 1080, 240.0, 10.0)),
            Some("frame-rate-too-high")
        );
        let mut still = probe(320, 180, 1.0, 0.0);
        still.still_image = true;
        assert_eq!(code(&still), Some("still-image"));
        let mut audio_only = probe(1, 1, 1.0, 10.0);
        audio_only.video = None;
        assert_eq!(code(&audio_only), Some("no-video-stream"));
    }

    #[test]
    fn a_render_much_shorter_than_the_header_is_a_damaged_file() {
        let p = probe(1080, 1920, 30.0, 30.0);
        assert_eq!(validate_rendered(&p, 29.9), Ok(()));
        assert_eq!(
            validate_rendered(&p, 9.0).unwrap_err().code,
            "unreadable-file"
        );
        assert_eq!(validate_rendered(&p, 0.4).unwrap_err().code, "too-short");
    }

    #[test]
    fn messages_speak_plainly() {
        let refusal = validate(&probe(1080, 1920, 30.0, 75.0), &LIMITS).unwrap_err();
        assert_eq!(
            refusal.message,
            "This video is 1 min 15 s long; the limit for this contest is 1 min. Please shorten it and upload it again."
        );
        assert_eq!(
            Refusal::from_error(&MediaError::Unreadable("x".into()))
                .unwrap()
                .code,
            "unreadable-file"
        );
        assert!(Refusal::from_error(&MediaError::Cancelled).is_none());
    }
}
