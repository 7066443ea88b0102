//! Re-encoding a source into an MP4 rendition (H.264 + AAC, faststart).

mod audio;
mod video;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use ffmpeg_next::Packet;

use crate::MediaError;
use crate::filters::target_size;
use crate::guard::DemuxGuard;
use crate::mux::Mp4Output;
use crate::probe::Probe;
use crate::validate::Limits;

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

/// How a render runs: the contest's limits (checked while demuxing) and the
/// thread budget.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RenderOptions {
    /// Demuxing stops with [`MediaError::TooLong`] past limit + tolerance, and
    /// silence is never padded beyond it.
    pub limits: Limits,
    /// Decoder and encoder threads for the largest rendition (smaller ones get
    /// half); 0 lets FFmpeg and x264 pick from the core count.
    pub threads: usize,
}

/// Re-encodes `input` into one MP4 per target from a single decode: H.264
/// (libx264 veryfast, CRF 23, yuv420p, BT.709, at most 30 fps) + AAC 128 kb/s
/// stereo (encoded once, muxed into every target), `moov` first, rotation
/// applied to the pixels, HDR tone-mapped to SDR, no metadata. A source
/// without audio gets a silent stereo track of the same length.
///
/// `on_progress` receives 0..=1 from decoded video timestamps, non-decreasing,
/// ending at 1.0. When `cancel` becomes true the work stops at the next packet.
/// Each output appears only when all are complete.
///
/// # Errors
/// [`MediaError::Cancelled`] when cancelled; [`MediaError::TooLong`] or
/// [`MediaError::TooManyFrames`] when the streams break the limits;
/// [`MediaError::NoVideoStream`], [`MediaError::UnsupportedCodec`] or
/// [`MediaError::Unreadable`] for unusable input (client errors); other
/// variants for failures on our side.
pub fn transcode(
    input: &Path,
    probe: &Probe,
    targets: &[(RenditionSpec, PathBuf)],
    options: &RenderOptions,
    on_progress: &mut dyn FnMut(f32),
    cancel: &AtomicBool,
) -> Result<Vec<RenditionInfo>, MediaError> {
    crate::init();
    let video_info = probe.video.as_ref().ok_or(MediaError::NoVideoStream)?;
    if targets.is_empty() {
        return Ok(Vec::new());
    }
    // Largest first: the others are scaled from its frames.
    let mut order: Vec<usize> = (0..targets.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(targets[i].0.long_side));
    let sizes: Vec<(u32, u32)> = order
        .iter()
        .map(|&i| target_size(video_info.display_size(), targets[i].0.long_side))
        .collect();

    let mut ictx = crate::open::open_input(input)?;
    let start_us = crate::probe::start_us(&ictx);
    let mut guard = DemuxGuard::new(&options.limits, start_us);
    let mut outs = order
        .iter()
        .map(|&i| Mp4Output::create(&targets[i].1))
        .collect::<Result<Vec<_>, _>>()?;
    let global_header = outs.iter().any(Mp4Output::needs_global_header);
    let mut video = video::VideoPipe::new(
        &ictx,
        video_info,
        &sizes,
        start_us,
        &mut outs,
        options.threads,
    )?;
    let mut audio = audio::AudioPipe::new(
        &ictx,
        probe.audio.as_ref(),
        start_us,
        global_header,
        guard.stop_secs(),
    )?;
    let audio_indexes = outs
        .iter_mut()
        .map(|out| audio.add_stream(out))
        .collect::<Result<Vec<_>, _>>()?;
    for out in &mut outs {
        out.write_header()?;
    }
    let audio_source = audio.source_index();

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
        let is_video = stream.index() == video_info.index;
        if !is_video && Some(stream.index()) != audio_source {
            continue;
        }
        guard.check(&packet, stream.time_base(), is_video)?;
        if is_video {
            video.send(&packet, &mut outs)?;
            report(video.decoded_secs, on_progress);
            audio.silence_until(video.decoded_secs, &mut emit(&mut outs, &audio_indexes))?;
        } else {
            audio.send(&packet, &mut emit(&mut outs, &audio_indexes))?;
        }
    }
    if cancel.load(Ordering::Relaxed) {
        return Err(MediaError::Cancelled);
    }
    video.finish(&mut outs)?;
    if video.frames == 0 {
        return Err(MediaError::Unreadable(
            "no video frame could be decoded".into(),
        ));
    }
    audio.finish(video.decoded_secs, &mut emit(&mut outs, &audio_indexes))?;
    let duration_secs = video.decoded_secs.min(guard.stop_secs());
    let sizes = video.sizes();
    let mut written = Vec::with_capacity(outs.len());
    for (out, (width, height)) in outs.into_iter().zip(sizes) {
        written.push(RenditionInfo {
            width,
            height,
            duration_secs,
            bytes: out.finish()?,
        });
    }
    // Back in the caller's order.
    let mut infos = vec![None; targets.len()];
    for (info, &i) in written.into_iter().zip(&order) {
        infos[i] = Some(info);
    }
    on_progress(1.0);
    Ok(infos.into_iter().flatten().collect())
}

/// Writes one encoded audio packet (time base 1/48000) into every output.
fn emit<'a>(
    outs: &'a mut [Mp4Output],
    indexes: &'a [usize],
) -> impl FnMut(&Packet) -> Result<(), MediaError> + 'a {
    move |packet: &Packet| {
        for (out, &index) in outs.iter_mut().zip(indexes) {
            let ost_tb = out
                .context
                .stream(index)
                .map_or(audio::TIME_BASE, |s| s.time_base());
            let mut copy = packet.clone();
            copy.set_stream(index);
            copy.rescale_ts(audio::TIME_BASE, ost_tb);
            copy.write_interleaved(&mut out.context)
                .map_err(MediaError::ffmpeg("writing audio"))?;
        }
        Ok(())
    }
}
