//! Filter graph descriptions shared by transcoding and thumbnails: rotation,
//! scaling, HDR tone-mapping, frame-rate cap and pixel format.

use ffmpeg_next::{Rational, ffi, filter, frame};

use crate::MediaError;
use crate::probe::{ColorTransfer, Orientation, VideoStream};

/// Highest frame rate of a rendition; lower source rates are kept.
pub const MAX_FPS: f64 = 30.0;

/// Output size for a rendition whose long side is `long_side`: aspect kept, even
/// dimensions (H.264 4:2:0 needs them), never larger than the source.
#[must_use]
pub fn target_size((width, height): (u32, u32), long_side: u32) -> (u32, u32) {
    let long = width.max(height).max(1);
    let scale = (f64::from(long_side) / f64::from(long)).min(1.0);
    let even = |v: u32| {
        let scaled = (f64::from(v) * scale).round() as u32;
        // Round to even without exceeding the scaled size, never below 2.
        (scaled & !1).max(2)
    };
    (even(width), even(height))
}

/// What a video chain produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Output {
    /// 8-bit 4:2:0 BT.709 for the H.264 encoder.
    Yuv420p,
    /// Packed RGB for thumbnails.
    Rgb24,
}

/// Builds the filter description turning decoded frames of `video` into
/// upright frames of `width`×`height` (display orientation).
pub(crate) fn video_chain(
    video: &VideoStream,
    (width, height): (u32, u32),
    cap_fps: bool,
    out: Output,
) -> String {
    let mut steps: Vec<String> = Vec::new();
    if cap_fps && video.frame_rate.is_some_and(|r| r > MAX_FPS + 0.05) {
        // First, so dropped frames cost nothing further down.
        steps.push(format!("fps={MAX_FPS}"));
    }
    // Scale while still in stored orientation, before the costly steps.
    let (sw, sh) = if video.orientation.swaps_dimensions() {
        (height, width)
    } else {
        (width, height)
    };
    match video.transfer {
        ColorTransfer::Sdr => {
            steps.push(format!("scale=w={sw}:h={sh}:flags=bicubic:out_range=tv"));
            steps.push("format=yuv420p".into());
        }
        ColorTransfer::Hlg | ColorTransfer::Pq => {
            let tin = if video.transfer == ColorTransfer::Hlg {
                "arib-std-b67"
            } else {
                "smpte2084"
            };
            steps.push(format!("scale=w={sw}:h={sh}:flags=bicubic"));
            steps.push(format!(
                "zscale=tin={tin}:min=2020_ncl:pin=2020:rin=limited:t=linear:npl=100"
            ));
            steps.push("format=gbrpf32le".into());
            steps.push("zscale=p=709".into());
            steps.push("tonemap=tonemap=hable:desat=0".into());
            steps.push("zscale=t=709:m=709:r=limited".into());
            steps.push("format=yuv420p".into());
        }
    }
    // Turn the small 8-bit frames last: cheapest place to do it.
    if let Some(turn) = orientation_filter(video.orientation) {
        steps.push(turn.into());
    }
    steps.push("setsar=1".into());
    if out == Output::Rgb24 {
        steps.push("format=rgb24".into());
    }
    steps.join(",")
}

fn orientation_filter(orientation: Orientation) -> Option<&'static str> {
    match orientation {
        Orientation::Normal => None,
        Orientation::Rotate90 => Some("transpose=clock"),
        Orientation::Rotate180 => Some("hflip,vflip"),
        Orientation::Rotate270 => Some("transpose=cclock"),
        Orientation::FlipHorizontal => Some("hflip"),
        Orientation::FlipVertical => Some("vflip"),
        Orientation::Transpose => Some("transpose=cclock_flip"),
        Orientation::AntiTranspose => Some("transpose=clock_flip"),
    }
}

/// Audio chain for the AAC encoder: 48 kHz stereo float planar.
pub(crate) const AUDIO_CHAIN: &str =
    "aresample=48000,aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo";

/// A configured video graph with a `in` buffer source and an `out` sink,
/// sized from the first decoded frame.
pub(crate) fn video_graph(
    first: &frame::Video,
    time_base: Rational,
    chain: &str,
) -> Result<filter::Graph, MediaError> {
    video_graph_with_sinks(first, time_base, chain, &["out".to_owned()])
}

/// A configured video graph with a `in` buffer source and one buffer sink per
/// name in `sinks` (the labels `chain` ends its outputs with), sized from the
/// first decoded frame.
pub(crate) fn video_graph_with_sinks(
    first: &frame::Video,
    time_base: Rational,
    chain: &str,
    sinks: &[String],
) -> Result<filter::Graph, MediaError> {
    let sar = first.aspect_ratio();
    let sar = if sar.numerator() > 0 && sar.denominator() > 0 {
        sar
    } else {
        Rational(1, 1)
    };
    let pix_fmt = ffi::AVPixelFormat::from(first.format()) as i32;
    let args = format!(
        "video_size={}x{}:pix_fmt={pix_fmt}:time_base={}/{}:pixel_aspect={}/{}",
        first.width(),
        first.height(),
        time_base.numerator(),
        time_base.denominator(),
        sar.numerator(),
        sar.denominator()
    );
    build(&args, "buffer", "buffersink", chain, sinks)
}

/// An audio graph from a decoded stream's parameters to [`AUDIO_CHAIN`].
pub(crate) fn audio_graph(args: &str) -> Result<filter::Graph, MediaError> {
    build(
        args,
        "abuffer",
        "abuffersink",
        AUDIO_CHAIN,
        &["out".to_owned()],
    )
}

fn build(
    args: &str,
    source: &str,
    sink: &str,
    chain: &str,
    sinks: &[String],
) -> Result<filter::Graph, MediaError> {
    let err = MediaError::ffmpeg("building the filter graph");
    let missing = || MediaError::Ffmpeg {
        context: "a filter is missing from this FFmpeg",
        source: ffmpeg_next::Error::FilterNotFound,
    };
    let mut graph = filter::Graph::new();
    graph
        .add(&filter::find(source).ok_or_else(missing)?, "in", args)
        .map_err(MediaError::ffmpeg("adding the filter source"))?;
    let sink_filter = filter::find(sink).ok_or_else(missing)?;
    for name in sinks {
        graph
            .add(&sink_filter, name, "")
            .map_err(MediaError::ffmpeg("adding the filter sink"))?;
    }
    let mut parser = graph
        .output("in", 0)
        .map_err(MediaError::ffmpeg("parsing the filter chain"))?;
    for name in sinks {
        parser = parser
            .input(name, 0)
            .map_err(MediaError::ffmpeg("parsing the filter chain"))?;
    }
    parser
        .parse(chain)
        .map_err(MediaError::ffmpeg("parsing the filter chain"))?;
    graph.validate().map_err(err)?;
    Ok(graph)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn video(orientation: Orientation, transfer: ColorTransfer, fps: f64) -> VideoStream {
        VideoStream {
            index: 0,
            codec: "h264".into(),
            width: 1920,
            height: 1080,
            pixel_aspect: 1.0,
            frame_rate: Some(fps),
            pixel_format: "yuv420p".into(),
            orientation,
            rotation: orientation.rotation_degrees(),
            transfer,
        }
    }

    #[test]
    fn portrait_stays_portrait_with_even_sides_and_no_upscaling() {
        assert_eq!(target_size((1080, 1920), 1280), (720, 1280));
        assert_eq!(target_size((1080, 1920), 640), (360, 640));
        assert_eq!(target_size((640, 360), 1280), (640, 360));
        assert_eq!(target_size((1081, 1921), 1280), (720, 1280));
        assert_eq!(target_size((853, 480), 640), (640, 360));
        assert_eq!(target_size((1, 1), 640), (2, 2));
    }

    #[test]
    fn rotated_hdr_high_rate_video_gets_every_step_in_order() {
        let chain = video_chain(
            &video(Orientation::Rotate90, ColorTransfer::Hlg, 60.0),
            (720, 1280),
            true,
            Output::Yuv420p,
        );
        assert!(chain.starts_with("fps=30,scale=w=1280:h=720"), "{chain}");
        assert!(chain.contains("tin=arib-std-b67"), "{chain}");
        assert!(
            chain.find("tonemap").unwrap() < chain.find("transpose=clock").unwrap(),
            "{chain}"
        );
    }

    #[test]
    fn sdr_thirty_fps_video_is_only_scaled() {
        let chain = video_chain(
            &video(Orientation::Normal, ColorTransfer::Sdr, 29.97),
            (1280, 720),
            true,
            Output::Rgb24,
        );
        assert!(!chain.contains("fps="), "{chain}");
        assert!(!chain.contains("zscale"), "{chain}");
        assert!(chain.ends_with("format=rgb24"), "{chain}");
    }
}
