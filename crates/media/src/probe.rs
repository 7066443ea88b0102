//! Reading what a file holds: container, duration, streams, orientation, HDR.

use std::path::Path;

use ffmpeg_next::{codec, ffi, format, media, util::color::TransferCharacteristic};

use crate::MediaError;
pub use crate::orientation::Orientation;

/// The colour transfer of the video, which decides whether it is tone-mapped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorTransfer {
    /// HDR hybrid log-gamma (`arib-std-b67`), as recent iPhones and Pixels record.
    Hlg,
    /// HDR perceptual quantizer (`smpte2084`, HDR10).
    Pq,
    /// Anything else: treated as SDR.
    Sdr,
}

/// The video stream that will be shown.
#[derive(Debug, Clone, PartialEq)]
pub struct VideoStream {
    /// Stream index in the container.
    pub index: usize,
    /// FFmpeg codec name, e.g. `h264`, `hevc`, `vp9`.
    pub codec: String,
    /// Stored width in pixels (before rotation).
    pub width: u32,
    /// Stored height in pixels (before rotation).
    pub height: u32,
    /// Pixel aspect ratio (1.0 for square pixels, as phones record).
    pub pixel_aspect: f64,
    /// Average frame rate, else the base rate; `None` when unknown.
    pub frame_rate: Option<f64>,
    /// FFmpeg pixel format name, e.g. `yuv420p`, `yuv420p10le`.
    pub pixel_format: String,
    /// How to turn the pixels for display.
    pub orientation: Orientation,
    /// Clockwise degrees from the display matrix: 0, 90, 180 or 270.
    pub rotation: i32,
    /// Colour transfer (HDR or not).
    pub transfer: ColorTransfer,
}

impl VideoStream {
    /// Width and height as displayed: pixel aspect and rotation applied.
    #[must_use]
    pub fn display_size(&self) -> (u32, u32) {
        let width = (f64::from(self.width) * self.pixel_aspect).round().max(1.0) as u32;
        if self.orientation.swaps_dimensions() {
            (self.height, width)
        } else {
            (width, self.height)
        }
    }

    /// True for HLG or PQ video.
    #[must_use]
    pub fn is_hdr(&self) -> bool {
        self.transfer != ColorTransfer::Sdr
    }
}

/// The audio stream that will be kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AudioStream {
    /// Stream index in the container.
    pub index: usize,
    /// FFmpeg codec name, e.g. `aac`, `opus`.
    pub codec: String,
    /// Channel count.
    pub channels: u16,
    /// Samples per second.
    pub sample_rate: u32,
}

/// What [`probe`] found in a file.
#[derive(Debug, Clone, PartialEq)]
pub struct Probe {
    /// FFmpeg demuxer name, e.g. `mov,mp4,m4a,3gp,3g2,mj2` or `matroska,webm`.
    pub format: String,
    /// Duration in seconds.
    pub duration_secs: f64,
    /// True when the container had no duration and packets were scanned for it.
    pub duration_from_scan: bool,
    /// The main video stream, if any (cover art does not count).
    pub video: Option<VideoStream>,
    /// The main audio stream, if any.
    pub audio: Option<AudioStream>,
    /// True for a picture rather than a video (a PNG, a single frame).
    pub still_image: bool,
    /// File size in bytes.
    pub size_bytes: u64,
}

impl Probe {
    /// True when the file can be stream-copied into the 720p rendition instead
    /// of re-encoded: H.264 yuv420p + AAC, long side ≤ 1280, ≤ 30 fps, no
    /// rotation, SDR, square pixels.
    #[must_use]
    pub fn fast_path_eligible(&self) -> bool {
        let (Some(v), Some(a)) = (&self.video, &self.audio) else {
            return false;
        };
        v.codec == "h264"
            && v.pixel_format == "yuv420p"
            && v.width.max(v.height) <= 1280
            && v.frame_rate
                .is_some_and(|r| r <= crate::filters::MAX_FPS + 0.05)
            && v.orientation == Orientation::Normal
            && v.transfer == ColorTransfer::Sdr
            && (v.pixel_aspect - 1.0).abs() < 0.01
            && a.codec == "aac"
            && !self.still_image
    }

    /// True when a stream copy of the file (metadata stripped, `moov` first)
    /// plays in every browser, so it can be the first playable rendition while
    /// the others are encoded: H.264 8-bit 4:2:0 + AAC, at most 1920×1080 (either
    /// way up) and 60 fps, SDR, square pixels. Rotation is kept as the display
    /// matrix, which browsers apply. What Android phones write.
    #[must_use]
    pub fn remux_eligible(&self) -> bool {
        let (Some(v), Some(a)) = (&self.video, &self.audio) else {
            return false;
        };
        v.codec == "h264"
            && matches!(v.pixel_format.as_str(), "yuv420p" | "yuvj420p")
            && v.width.max(v.height) <= 1920
            && v.width.min(v.height) <= 1080
            && v.frame_rate.is_some_and(|r| r <= 60.5)
            && v.transfer == ColorTransfer::Sdr
            && (v.pixel_aspect - 1.0).abs() < 0.01
            && a.codec == "aac"
            && !self.still_image
    }
}

/// Opens `path` (through the demuxer whitelist, see [`crate::DEMUXER_WHITELIST`])
/// and describes its streams. The duration is the header's when it has one:
/// the renders check every packet against the limit, so a header that lies is
/// caught there.
///
/// # Errors
/// [`MediaError::Unreadable`] when the file is empty or not a readable media file
/// (truncated, random bytes), [`MediaError::StillImage`] for a picture,
/// [`MediaError::UnsupportedFormat`] for a container outside the whitelist,
/// [`MediaError::UnsupportedCodec`] when its video cannot be decoded,
/// [`MediaError::Io`] when the file cannot be opened at all.
pub fn probe(path: &Path) -> Result<Probe, MediaError> {
    crate::init();
    let size_bytes = std::fs::metadata(path)
        .map_err(MediaError::io("reading the upload's size"))?
        .len();
    if size_bytes == 0 {
        return Err(MediaError::Unreadable("the file is empty".into()));
    }
    let mut input = crate::open::open_input(path)?;
    let format_name = input.format().name().to_owned();
    let video = find_video(&input)?;
    let audio = find_audio(&input);

    let header_duration = input.duration();
    let mut frames = video.as_ref().map_or(0, |(_, frames)| *frames);
    let (duration_secs, duration_from_scan) = if header_duration > 0 {
        (header_duration as f64 / f64::from(ffi::AV_TIME_BASE), false)
    } else {
        let scan = scan_packets(&mut input, video.as_ref().map(|(v, _)| v.index));
        frames = scan.video_packets;
        (scan.duration_secs, true)
    };
    let image_format = format_name == "image2" || format_name.ends_with("_pipe");
    let still_image = video.is_some() && (image_format || frames == 1);
    Ok(Probe {
        format: format_name,
        duration_secs,
        duration_from_scan,
        video: video.map(|(v, _)| v),
        audio,
        still_image,
        size_bytes,
    })
}

/// The container's start time in microseconds (0 when unknown), subtracted
/// from every timestamp so outputs start at zero.
pub(crate) fn start_us(input: &format::context::Input) -> i64 {
    // SAFETY: plain field read on a live format context.
    match unsafe { (*input.as_ptr()).start_time } {
        ffi::AV_NOPTS_VALUE => 0,
        start => start,
    }
}

/// The video stream, and its frame count from the header (0 when unknown).
fn find_video(input: &format::context::Input) -> Result<Option<(VideoStream, i64)>, MediaError> {
    let best = input.streams().best(media::Type::Video).map(|s| s.index());
    let is_picture = |s: &format::stream::Stream| {
        s.parameters().medium() == media::Type::Video
            && !s
                .disposition()
                .contains(format::stream::Disposition::ATTACHED_PIC)
    };
    let stream = best
        .and_then(|i| input.stream(i))
        .filter(is_picture)
        .or_else(|| input.streams().find(is_picture));
    let Some(stream) = stream else {
        return Ok(None);
    };

    let codec_name = stream.parameters().id().name().to_owned();
    // Opened only to read its parameters: no pixel cap here, so a picture above 8K is refused by `validate` with
    // its own code rather than as an unknown codec. The decoders that decode are capped.
    let decoder = codec::Context::from_parameters(stream.parameters())
        .and_then(|c| c.decoder().video())
        .map_err(|_| MediaError::UnsupportedCodec(codec_name.clone()))?;
    let sar = decoder.aspect_ratio();
    let pixel_aspect = if sar.numerator() > 0 && sar.denominator() > 0 {
        f64::from(sar)
    } else {
        1.0
    };
    let rate = [stream.avg_frame_rate(), stream.rate()]
        .into_iter()
        .find(|r| r.numerator() > 0 && r.denominator() > 0)
        .map(f64::from);
    let orientation = stream
        .side_data()
        .find(|sd| sd.kind() == codec::packet::side_data::Type::DisplayMatrix)
        .and_then(|sd| display_matrix(sd.data()))
        .map_or(Orientation::Normal, |m| {
            Orientation::from_display_matrix(&m)
        });
    let transfer = match decoder.color_transfer_characteristic() {
        TransferCharacteristic::ARIB_STD_B67 => ColorTransfer::Hlg,
        TransferCharacteristic::SMPTE2084 => ColorTransfer::Pq,
        _ => ColorTransfer::Sdr,
    };
    let video = VideoStream {
        index: stream.index(),
        codec: codec_name,
        width: decoder.width(),
        height: decoder.height(),
        pixel_aspect,
        frame_rate: rate,
        pixel_format: decoder
            .format()
            .descriptor()
            .map_or("unknown", |d| d.name())
            .to_owned(),
        orientation,
        rotation: orientation.rotation_degrees(),
        transfer,
    };
    Ok(Some((video, stream.frames())))
}

fn find_audio(input: &format::context::Input) -> Option<AudioStream> {
    let stream = input.streams().best(media::Type::Audio)?;
    let decoder =
        codec::Context::from_parameters(stream.parameters()).and_then(|c| c.decoder().audio());
    let (channels, sample_rate) = decoder.map_or((0, 0), |d| (d.channels(), d.rate()));
    Some(AudioStream {
        index: stream.index(),
        codec: stream.parameters().id().name().to_owned(),
        channels,
        sample_rate,
    })
}

fn display_matrix(data: &[u8]) -> Option<[i32; 9]> {
    let mut m = [0i32; 9];
    for (value, bytes) in m.iter_mut().zip(data.get(..36)?.chunks_exact(4)) {
        *value = i32::from_ne_bytes(bytes.try_into().ok()?);
    }
    Some(m)
}

struct Scan {
    duration_secs: f64,
    video_packets: i64,
}

/// Reads every packet (no decoding) to find where the streams end, for
/// containers written live without a duration (Chrome's MediaRecorder WebM).
fn scan_packets(input: &mut format::context::Input, video_index: Option<usize>) -> Scan {
    let mut first = f64::INFINITY;
    let mut last = f64::NEG_INFINITY;
    let mut video_packets = 0;
    for (stream, packet) in input.packets() {
        if Some(stream.index()) == video_index {
            video_packets += 1;
        }
        let Some(pts) = packet.pts().or(packet.dts()) else {
            continue;
        };
        let tb = f64::from(stream.time_base());
        first = first.min(pts as f64 * tb);
        last = last.max((pts + packet.duration().max(0)) as f64 * tb);
    }
    let duration_secs = if last > first { last - first } else { 0.0 };
    Scan {
        duration_secs,
        video_packets,
    }
}
