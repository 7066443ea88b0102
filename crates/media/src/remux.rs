//! The fast path: a source that already fits is stream-copied, not re-encoded.

use std::path::Path;

use ffmpeg_next::{Rational, Rescale, codec, encoder, ffi, format};

use crate::guard::DemuxGuard;
use crate::mux::Mp4Output;
use crate::{Limits, MediaError, Probe, RenditionInfo};

/// Copies the video and audio streams of `input` into an MP4 at `output`, with
/// `moov` first and no metadata (no location, device or dates); the display
/// matrix is kept so players turn the picture upright. Other streams
/// (timecode, data) are dropped. Only for sources where
/// [`Probe::remux_eligible`] is true: the result is browser-safe, the first
/// playable rendition of the video (and the 720p one when
/// [`Probe::fast_path_eligible`]). Every packet is checked against `limits`.
///
/// # Errors
/// [`MediaError::NotRemuxable`] when the source is not eligible;
/// [`MediaError::TooLong`] or [`MediaError::TooManyFrames`] when its streams
/// break the limits; FFmpeg or I/O errors otherwise.
pub fn remux(
    input: &Path,
    probe: &Probe,
    output: &Path,
    limits: &Limits,
) -> Result<RenditionInfo, MediaError> {
    crate::init();
    let (Some(video), Some(audio)) = (&probe.video, &probe.audio) else {
        return Err(MediaError::NotRemuxable);
    };
    if !probe.remux_eligible() {
        return Err(MediaError::NotRemuxable);
    }
    let mut ictx = crate::open::open_input(input)?;
    let start_us = crate::probe::start_us(&ictx);
    let mut guard = DemuxGuard::new(limits, start_us);
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
        copy_display_matrix(&ist, &mut ost)?;
        map.push((index, ost.index(), ist.time_base()));
    }
    out.write_header()?;

    let mut video_end = 0i64;
    let mut video_tb = Rational(1, 1);
    for (stream, mut packet) in ictx.packets() {
        let Some(&(_, out_index, in_tb)) = map.iter().find(|(i, _, _)| *i == stream.index()) else {
            continue;
        };
        guard.check(&packet, in_tb, stream.index() == video.index)?;
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
    let (width, height) = video.display_size();
    Ok(RenditionInfo {
        width,
        height,
        duration_secs: video_end as f64 * f64::from(video_tb),
        bytes,
    })
}

/// Copies the stream's display matrix (rotation), which FFmpeg 5.1 keeps as
/// stream side data rather than in the codec parameters.
fn copy_display_matrix(
    ist: &format::stream::Stream,
    ost: &mut format::stream::StreamMut,
) -> Result<(), MediaError> {
    let Some(matrix) = ist
        .side_data()
        .find(|sd| sd.kind() == codec::packet::side_data::Type::DisplayMatrix)
    else {
        return Ok(());
    };
    let data = matrix.data();
    // SAFETY: allocates side data of `data.len()` bytes on the output stream and fills it.
    unsafe {
        let dst = ffi::av_stream_new_side_data(
            ost.as_mut_ptr(),
            ffi::AVPacketSideDataType::AV_PKT_DATA_DISPLAYMATRIX,
            data.len(),
        );
        if dst.is_null() {
            return Err(MediaError::Ffmpeg {
                context: "copying the display matrix",
                source: ffmpeg_next::Error::Bug,
            });
        }
        std::ptr::copy_nonoverlapping(data.as_ptr(), dst, data.len());
    }
    Ok(())
}
