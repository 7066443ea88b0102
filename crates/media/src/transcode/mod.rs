//! Re-encoding a source into an MP4 rendition (H.264 + AAC, faststart).

mod audio;
mod video;

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::MediaError;
use crate::filters::target_size;
use crate::mux::Mp4Output;
use crate::probe::Probe;

pub(crate) use video::threads;

/// Which rendition to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RenditionSpec {
    /// Long side in pixels: 1280 (720p) or 640 (360p). Never upscaled.
    pub long_side: u32,
}

impl RenditionSpec {
    /// 720p: long side 1280.
    pub const HD: Self = Self { long_side: 1280 };
    /// 360p, the data-saver rendition: long side 640.
    pub const SD: Self = Self { long_side: 640 };
}

/// What was written.
#[derive(Debug, Clone, PartialEq)]
pub struct RenditionInfo {
    /// Output width in pixels (display orientation).
    pub width: u32,
    /// Output height in pixels.
    pub height: u32,
    /// Duration in seconds.
    pub duration_secs: f64,
    /// File size in bytes.
    pub bytes: u64,
}

/// Re-encodes `input` into an MP4 at `output`: H.264 (libx264 veryfast, CRF 23,
/// yuv420p, BT.709, at most 30 fps) + AAC 128 kb/s stereo, `moov` first,
/// rotation applied to the pixels, HDR tone-mapped to SDR, no metadata. A
/// source without audio gets a silent stereo track of the same length.
///
/// `on_progress` receives 0..=1 from decoded video timestamps, non-decreasing,
/// ending at 1.0. When `cancel` becomes true the work stops at the next packet.
/// The output appears only when complete.
///
/// # Errors
/// [`MediaError::Cancelled`] when cancelled, [`MediaError::NoVideoStream`] or
/// [`MediaError::UnsupportedCodec`] for unusable input (client errors), other
/// variants for failures on our side.
pub fn transcode(
    input: &Path,
    probe: &Probe,
    spec: &RenditionSpec,
    output: &Path,
    on_progress: &mut dyn FnMut(f32),
    cancel: &AtomicBool,
) -> Result<RenditionInfo, MediaError> {
    crate::init();
    let video_info = probe.video.as_ref().ok_or(MediaError::NoVideoStream)?;
    let mut ictx = crate::probe::open_input(input)?;
    let start_us = crate::probe::start_us(&ictx);
    let size = target_size(video_info.display_size(), spec.long_side);

    let mut out = Mp4Output::create(output)?;
    let mut video = video::VideoPipe::new(&ictx, video_info, size, start_us, &mut out)?;
    let mut audio = audio::AudioPipe::new(&ictx, probe.audio.as_ref(), start_us, &mut out)?;
    let audio_source = audio.source_index();
    out.write_header()?;

    let duration = probe.duration_secs.max(0.001);
    let mut reported = 0.0_f32;
    let mut report = |secs: f64, on_progress: &mut dyn FnMut(f32)| {
        let fraction = ((secs / duration).clamp(0.0, 1.0) as f32).min(0.99);
        if fraction >= reported + 0.01 {
            reported = fraction;
            on_progress(fraction);
        }
    };
    for (stream, packet) in ictx.packets() {
        if cancel.load(Ordering::Relaxed) {
            return Err(MediaError::Cancelled);
        }
        if stream.index() == video_info.index {
            video.send(&packet, &mut out.context)?;
            report(video.decoded_secs, on_progress);
            audio.silence_until(video.decoded_secs, &mut out.context)?;
        } else if Some(stream.index()) == audio_source {
            audio.send(&packet, &mut out.context)?;
        }
    }
    if cancel.load(Ordering::Relaxed) {
        return Err(MediaError::Cancelled);
    }
    video.finish(&mut out.context)?;
    if video.frames == 0 {
        return Err(MediaError::Unreadable(
            "no video frame could be decoded".into(),
        ));
    }
    audio.finish(video.decoded_secs, &mut out.context)?;
    let (width, height) = video.size();
    let duration_secs = video.decoded_secs;
    let bytes = out.finish()?;
    on_progress(1.0);
    Ok(RenditionInfo {
        width,
        height,
        duration_secs,
        bytes,
    })
}
