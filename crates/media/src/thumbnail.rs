//! Poster images: a representative frame, upright and in SDR, in three sizes
//! as JPEG and WebP.

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use ffmpeg_next::{Packet, Rational, codec, decoder, ffi, filter, format, frame};
use image::{ExtendedColorType, RgbImage, codecs::jpeg::JpegEncoder, codecs::webp::WebPEncoder};

use crate::filters::{self, Output, target_size};
use crate::{MediaError, Probe, VideoStream};

/// Long sides of the poster sizes, largest first. Never upscaled: a small
/// source gives smaller images.
pub const THUMBNAIL_SIZES: [u32; 3] = [1280, 640, 320];
/// How many frames are compared to pick the poster.
const CANDIDATES: u32 = 5;
/// Candidates are spread over at most this many first seconds.
const SPAN_SECS: f64 = 20.0;
/// A seek is cheaper than decoding forward past this many seconds.
const SEEK_GAP_SECS: f64 = 1.5;
const JPEG_QUALITY: u8 = 82;

/// Image encoding of a thumbnail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThumbnailFormat {
    /// Baseline JPEG, quality 82.
    Jpeg,
    /// Lossy WebP, quality 75, through FFmpeg's libwebp; lossless through
    /// `image` when FFmpeg was built without libwebp.
    Webp,
}

impl ThumbnailFormat {
    /// File extension without the dot.
    #[must_use]
    pub fn extension(self) -> &'static str {
        match self {
            Self::Jpeg => "jpg",
            Self::Webp => "webp",
        }
    }
}

/// One written poster image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Thumbnail {
    /// The size class: one of [`THUMBNAIL_SIZES`].
    pub long_side: u32,
    /// Encoding.
    pub format: ThumbnailFormat,
    /// Where it was written: `out_dir/poster-{long_side}.{jpg,webp}`.
    pub path: PathBuf,
    /// Actual width in pixels.
    pub width: u32,
    /// Actual height in pixels.
    pub height: u32,
}

/// Picks a poster frame from the first seconds of `input` (the one with the
/// most detail among a few evenly spread frames, skipping near-black and
/// near-uniform ones), turns it upright, tone-maps HDR, and writes it in every
/// [`THUMBNAIL_SIZES`] as JPEG and WebP into `out_dir`. Decodes only the few
/// frames needed, seeking between them.
///
/// # Errors
/// [`MediaError::NoVideoStream`] or [`MediaError::Unreadable`] for unusable
/// input, I/O or encoding errors on our side.
pub fn thumbnails(
    input: &Path,
    probe: &Probe,
    out_dir: &Path,
) -> Result<Vec<Thumbnail>, MediaError> {
    crate::init();
    let video = probe.video.as_ref().ok_or(MediaError::NoVideoStream)?;
    let poster = pick_poster(input, probe, video)?;
    std::fs::create_dir_all(out_dir).map_err(MediaError::io("creating the thumbnail folder"))?;
    let mut written = Vec::new();
    for long_side in THUMBNAIL_SIZES {
        let (width, height) = fit(poster.dimensions(), long_side);
        let resized;
        let image = if (width, height) == poster.dimensions() {
            &poster
        } else {
            resized = image::imageops::thumbnail(&poster, width, height);
            &resized
        };
        for format in [ThumbnailFormat::Jpeg, ThumbnailFormat::Webp] {
            let path = out_dir.join(format!("poster-{long_side}.{}", format.extension()));
            write_image(image, format, &path)?;
            written.push(Thumbnail {
                long_side,
                format,
                path,
                width,
                height,
            });
        }
    }
    Ok(written)
}

fn write_image(image: &RgbImage, format: ThumbnailFormat, path: &Path) -> Result<(), MediaError> {
    if format == ThumbnailFormat::Webp && crate::webp::write_lossy(image, path)? {
        return Ok(());
    }
    let file = File::create(path).map_err(MediaError::io("creating a thumbnail file"))?;
    let mut writer = BufWriter::new(file);
    match format {
        ThumbnailFormat::Jpeg => {
            JpegEncoder::new_with_quality(&mut writer, JPEG_QUALITY).encode_image(image)?;
        }
        ThumbnailFormat::Webp => {
            let (width, height) = image.dimensions();
            WebPEncoder::new_lossless(&mut writer).encode(
                image.as_raw(),
                width,
                height,
                ExtendedColorType::Rgb8,
            )?;
        }
    }
    Ok(())
}

/// Scaled size for a long side, aspect kept, never larger than the source.
fn fit((width, height): (u32, u32), long_side: u32) -> (u32, u32) {
    let scale = (f64::from(long_side) / f64::from(width.max(height).max(1))).min(1.0);
    let side = |v: u32| ((f64::from(v) * scale).round() as u32).max(1);
    (side(width), side(height))
}

fn pick_poster(input: &Path, probe: &Probe, video: &VideoStream) -> Result<RgbImage, MediaError> {
    let mut ictx = crate::open::open_input(input)?;
    let start_us = crate::probe::start_us(&ictx);
    let stream = ictx.stream(video.index).ok_or(MediaError::NoVideoStream)?;
    let tb = stream.time_base();
    let mut context = codec::Context::from_parameters(stream.parameters())
        .map_err(MediaError::ffmpeg("reading video parameters"))?;
    context.set_threading(crate::transcode::threads(0));
    crate::open::limit_decoder(&mut context);
    let mut decoder = context
        .decoder()
        .video()
        .map_err(|_| MediaError::UnsupportedCodec(video.codec.clone()))?;
    let chain = filters::video_chain(
        video,
        target_size(video.display_size(), THUMBNAIL_SIZES[0]),
        false,
        Output::Rgb24,
    );
    let mut graph: Option<filter::Graph> = None;

    let span = probe.duration_secs.clamp(0.0, SPAN_SECS);
    let mut best: Option<(f64, RgbImage)> = None;
    let mut position = f64::NEG_INFINITY;
    for i in 1..=CANDIDATES {
        let target = span * f64::from(i) / f64::from(CANDIDATES + 1);
        if target > position + SEEK_GAP_SECS || target < position {
            let ts = start_us + (target * 1e6) as i64;
            if ictx.seek(ts, ..ts).is_ok() {
                decoder.flush();
            }
        }
        let Some(frame) = frame_at(&mut ictx, &mut decoder, video.index, tb, start_us, target)?
        else {
            break;
        };
        position = frame.1;
        let graph = match &mut graph {
            Some(g) => g,
            None => graph.insert(filters::video_graph(&frame.0, tb, &chain)?),
        };
        let Some(image) = to_rgb(graph, &frame.0)? else {
            continue;
        };
        let score = score(&image);
        if best.as_ref().is_none_or(|(s, _)| score > *s) {
            best = Some((score, image));
        }
    }
    best.map(|(_, image)| image)
        .ok_or_else(|| MediaError::Unreadable("no video frame could be decoded".into()))
}

/// Decodes forward to the first frame at or after `target` seconds; at the end
/// of the stream, the last frame. Returns the frame and its time.
fn frame_at(
    ictx: &mut format::context::Input,
    decoder: &mut decoder::Video,
    index: usize,
    tb: Rational,
    start_us: i64,
    target: f64,
) -> Result<Option<(frame::Video, f64)>, MediaError> {
    let start = start_us as f64 / f64::from(ffi::AV_TIME_BASE);
    let mut last: Option<(frame::Video, f64)> = None;
    let mut packet = Packet::empty();
    let mut at_end = false;
    loop {
        let mut decoded = frame::Video::empty();
        while decoder.receive_frame(&mut decoded).is_ok() {
            let secs = decoded
                .timestamp()
                .map_or(0.0, |t| t as f64 * f64::from(tb) - start);
            let reached = secs + 1e-3 >= target;
            last = Some((std::mem::replace(&mut decoded, frame::Video::empty()), secs));
            if reached {
                return Ok(last);
            }
        }
        if at_end {
            return Ok(last);
        }
        match packet.read(ictx) {
            // A packet the decoder rejects (corrupt, over the pixel cap) is skipped.
            Ok(()) if packet.stream() == index => {
                let _ = decoder.send_packet(&packet);
            }
            Ok(()) => {}
            Err(_) => {
                at_end = true;
                let _ = decoder.send_eof();
            }
        }
    }
}

fn to_rgb(graph: &mut filter::Graph, frame: &frame::Video) -> Result<Option<RgbImage>, MediaError> {
    if let Some(mut source) = graph.get("in") {
        source
            .source()
            .add(frame)
            .map_err(MediaError::ffmpeg("converting a poster frame"))?;
    }
    let Some(mut sink) = graph.get("out") else {
        return Ok(None);
    };
    let mut rgb = frame::Video::empty();
    if sink.sink().frame(&mut rgb).is_err() {
        return Ok(None);
    }
    let (width, height) = (rgb.width(), rgb.height());
    let (stride, row) = (rgb.stride(0), width as usize * 3);
    let data = rgb.data(0);
    let mut pixels = Vec::with_capacity(row * height as usize);
    for y in 0..height as usize {
        pixels.extend_from_slice(data.get(y * stride..y * stride + row).unwrap_or_default());
    }
    Ok(RgbImage::from_raw(width, height, pixels))
}

/// Higher is a better poster: luma spread (detail), with near-black,
/// near-white and near-uniform frames pushed below every acceptable one.
fn score(image: &RgbImage) -> f64 {
    let (mut sum, mut sum_sq, mut n) = (0.0, 0.0, 0.0);
    for pixel in image.pixels().step_by(7) {
        let [r, g, b] = pixel.0.map(f64::from);
        let y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
        sum += y;
        sum_sq += y * y;
        n += 1.0;
    }
    if n == 0.0 {
        return f64::NEG_INFINITY;
    }
    let mean = sum / n;
    let sd = (sum_sq / n - mean * mean).max(0.0).sqrt();
    let acceptable = (28.0..=235.0).contains(&mean) && sd >= 12.0;
    if acceptable { sd } else { sd - 1000.0 }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn black_and_flat_frames_score_below_a_busy_one() {
        let black = RgbImage::new(64, 36);
        let flat = RgbImage::from_pixel(64, 36, image::Rgb([120, 120, 120]));
        let busy = RgbImage::from_fn(64, 36, |x, y| {
            if (x / 4 + y / 4) % 2 == 0 {
                image::Rgb([200; 3])
            } else {
                image::Rgb([40; 3])
            }
        });
        assert!(score(&busy) > score(&flat));
        assert!(score(&busy) > score(&black));
    }

    #[test]
    fn sizes_keep_portrait_and_never_upscale() {
        assert_eq!(fit((720, 1280), 640), (360, 640));
        assert_eq!(fit((640, 360), 1280), (640, 360));
    }
}
