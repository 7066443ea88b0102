//! The fast path: a source that already fits is stream-copied, not re-encoded.

use std::path::Path;

use ffmpeg_next::{Rational, Rescale, codec, encoder};

use crate::mux::Mp4Output;
use crate::{MediaError, Probe, RenditionInfo};

/// Copies the video and audio streams of `input` into an MP4 at `output`, with
/// `moov` first and no metadata (no location, device or dates). Other streams
/// (timecode, data) are dropped. Only for sources where
/// [`Probe::fast_path_eligible`] is true; the result then serves as the 720p
/// rendition (and as the 360p one when the source is no larger than that).
///
/// # Errors
/// [`MediaError::NotRemuxable`] when the source is not eligible; FFmpeg or I/O
/// errors otherwise.
pub fn remux(input: &Path, probe: &Probe, output: &Path) -> Result<RenditionInfo, MediaError> {
    crate::init();
    let (Some(video), Some(audio)) = (&probe.video, &probe.audio) else {
        return Err(MediaError::NotRemuxable);
    };
    if !probe.fast_path_eligible() {
        return Err(MediaError::NotRemuxable);
    }
    let mut ictx = crate::probe::open_input(input)?;
    let start_us = crate::probe::start_us(&ictx);
    let mut out = Mp4Output::create(output)?;
    // (input index, output index, input time base)
    let mut map = Vec::new();
    for index in [video.index, audio.index] {
        let ist = ictx.stream(index).ok_or(MediaError::NoVideoStream)?;
        let mut ost = out
            .context
            .add_stream(encoder::find(codec::Id::None))
            .map_err(MediaError::ffmpeg("adding a copied stream"))?;
        ost.set_parameters(ist.parameters());
        // SAFETY: plain field write on the new stream's parameters; a zero tag
        // lets the MP4 muxer choose its own (the source's may be MOV-only).
        unsafe { (*ost.parameters().as_mut_ptr()).codec_tag = 0 };
        map.push((index, ost.index(), ist.time_base()));
    }
    out.write_header()?;

    let mut video_end = 0i64;
    let mut video_tb = Rational(1, 1);
    for (stream, mut packet) in ictx.packets() {
        let Some(&(_, out_index, in_tb)) = map.iter().find(|(i, _, _)| *i == stream.index()) else {
            continue;
        };
        let out_tb = out
            .context
            .stream(out_index)
            .map_or(in_tb, |s| s.time_base());
        let shift = start_us.rescale(Rational(1, 1_000_000), in_tb);
        packet.set_pts(packet.pts().map(|t| t - shift));
        packet.set_dts(packet.dts().map(|t| t - shift));
        if stream.index() == video.index {
            video_tb = in_tb;
            if let Some(pts) = packet.pts() {
                video_end = video_end.max(pts + packet.duration().max(0));
            }
        }
        packet.rescale_ts(in_tb, out_tb);
        packet.set_position(-1);
        packet.set_stream(out_index);
        packet
            .write_interleaved(&mut out.context)
            .map_err(MediaError::ffmpeg("writing a copied packet"))?;
    }
    let bytes = out.finish()?;
    Ok(RenditionInfo {
        width: video.width,
        height: video.height,
        duration_secs: video_end as f64 * f64::from(video_tb),
        bytes,
    })
}
