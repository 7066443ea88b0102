//! Video half of a transcode: decode → filter graph → libx264.

use ffmpeg_next::{
    Dictionary, Packet, Rational, Rescale, codec, decoder, encoder, filter, format, frame, picture,
    threading,
    util::color::{Primaries, Range, Space, TransferCharacteristic},
};

use crate::MediaError;
use crate::filters::{self, MAX_FPS, Output};
use crate::probe::VideoStream;

pub(super) struct VideoPipe {
    decoder: decoder::Video,
    graph: Option<filter::Graph>,
    chain: String,
    encoder: encoder::Video,
    in_tb: Rational,
    enc_tb: Rational,
    /// Source start, in `in_tb`, subtracted so the output starts at zero.
    start: i64,
    pub(super) out_index: usize,
    /// End of the last decoded frame, seconds from the start.
    pub(super) decoded_secs: f64,
    /// Frames decoded so far.
    pub(super) frames: u64,
    frame_secs: f64,
}

pub(crate) fn threads() -> threading::Config {
    // Count 0 lets libavcodec and libx264 use every available core.
    threading::Config {
        kind: threading::Type::Frame,
        ..Default::default()
    }
}

impl VideoPipe {
    pub(super) fn new(
        input: &format::context::Input,
        video: &VideoStream,
        size: (u32, u32),
        start_us: i64,
        out: &mut crate::mux::Mp4Output,
    ) -> Result<Self, MediaError> {
        let stream = input.stream(video.index).ok_or(MediaError::NoVideoStream)?;
        let in_tb = stream.time_base();
        let mut context = codec::Context::from_parameters(stream.parameters())
            .map_err(MediaError::ffmpeg("reading video parameters"))?;
        context.set_threading(threads());
        let decoder = context
            .decoder()
            .video()
            .map_err(|_| MediaError::UnsupportedCodec(video.codec.clone()))?;

        let rate = video.frame_rate.unwrap_or(MAX_FPS).min(MAX_FPS);
        let capped = video.frame_rate.is_some_and(|r| r > MAX_FPS + 0.05);
        let enc_tb = if capped {
            Rational(1, MAX_FPS as i32)
        } else {
            in_tb
        };
        let x264 = encoder::find_by_name("libx264").ok_or(MediaError::Ffmpeg {
            context: "libx264 is missing from this FFmpeg",
            source: ffmpeg_next::Error::EncoderNotFound,
        })?;
        let mut context = codec::Context::new_with_codec(x264);
        context.set_threading(threads());
        let mut enc = context
            .encoder()
            .video()
            .map_err(MediaError::ffmpeg("creating the H.264 encoder"))?;
        enc.set_width(size.0);
        enc.set_height(size.1);
        enc.set_format(format::Pixel::YUV420P);
        enc.set_time_base(enc_tb);
        enc.set_frame_rate(Some(Rational((rate * 1000.0).round() as i32, 1000)));
        enc.set_aspect_ratio(Rational(1, 1));
        enc.set_colorspace(Space::BT709);
        enc.set_color_range(Range::MPEG);
        enc.set_color_primaries(Primaries::BT709);
        enc.set_color_transfer_characteristic(TransferCharacteristic::BT709);
        if out.needs_global_header() {
            enc.set_flags(codec::Flags::GLOBAL_HEADER);
        }
        let mut options = Dictionary::new();
        options.set("preset", "veryfast");
        options.set("crf", "23");
        options.set("profile", "high");
        let encoder = enc
            .open_as_with(x264, options)
            .map_err(MediaError::ffmpeg("opening the H.264 encoder"))?;
        let mut ost = out
            .context
            .add_stream(x264)
            .map_err(MediaError::ffmpeg("adding the video stream"))?;
        ost.set_parameters(&encoder);
        ost.set_time_base(enc_tb);
        let out_index = ost.index();

        let chain = filters::video_chain(video, size, true, Output::Yuv420p);
        let start = start_us.rescale(Rational(1, 1_000_000), in_tb);
        Ok(Self {
            decoder,
            graph: None,
            chain,
            encoder,
            in_tb,
            enc_tb,
            start,
            out_index,
            decoded_secs: 0.0,
            frames: 0,
            frame_secs: 1.0 / rate,
        })
    }

    /// Decodes one packet and pushes what comes out through filter and encoder.
    /// Corrupt packets are skipped, as players do.
    pub(super) fn send(
        &mut self,
        packet: &Packet,
        out: &mut format::context::Output,
    ) -> Result<(), MediaError> {
        match self.decoder.send_packet(packet) {
            Ok(()) | Err(ffmpeg_next::Error::InvalidData) => {}
            Err(e) => return Err(MediaError::ffmpeg("decoding video")(e)),
        }
        self.receive_frames(out)
    }

    pub(super) fn finish(&mut self, out: &mut format::context::Output) -> Result<(), MediaError> {
        self.decoder
            .send_eof()
            .map_err(MediaError::ffmpeg("flushing the video decoder"))?;
        self.receive_frames(out)?;
        if let Some(mut source) = self.graph.as_mut().and_then(|g| g.get("in")) {
            source
                .source()
                .flush()
                .map_err(MediaError::ffmpeg("flushing the video filter"))?;
        }
        self.pull_filtered(out)?;
        self.encoder
            .send_eof()
            .map_err(MediaError::ffmpeg("flushing the H.264 encoder"))?;
        self.write_packets(out)
    }

    fn receive_frames(&mut self, out: &mut format::context::Output) -> Result<(), MediaError> {
        let mut decoded = frame::Video::empty();
        while self.decoder.receive_frame(&mut decoded).is_ok() {
            let Some(pts) = decoded
                .timestamp()
                .map(|t| t - self.start)
                .filter(|t| *t >= 0)
            else {
                continue;
            };
            decoded.set_pts(Some(pts));
            self.frames += 1;
            self.decoded_secs = self
                .decoded_secs
                .max(pts as f64 * f64::from(self.in_tb) + self.frame_secs);
            if self.graph.is_none() {
                self.graph = Some(filters::video_graph(&decoded, self.in_tb, &self.chain)?);
            }
            if let Some(mut source) = self.graph.as_mut().and_then(|g| g.get("in")) {
                source
                    .source()
                    .add(&decoded)
                    .map_err(MediaError::ffmpeg("filtering video"))?;
            }
            self.pull_filtered(out)?;
        }
        Ok(())
    }

    fn pull_filtered(&mut self, out: &mut format::context::Output) -> Result<(), MediaError> {
        let Some(mut sink) = self.graph.as_mut().and_then(|g| g.get("out")) else {
            return Ok(());
        };
        let sink_tb = sink.sink().time_base();
        let mut filtered = frame::Video::empty();
        while sink.sink().frame(&mut filtered).is_ok() {
            let pts = filtered.pts().map(|p| p.rescale(sink_tb, self.enc_tb));
            filtered.set_pts(pts);
            filtered.set_kind(picture::Type::None);
            self.encoder
                .send_frame(&filtered)
                .map_err(MediaError::ffmpeg("encoding video"))?;
            self.write_packets(out)?;
        }
        Ok(())
    }

    fn write_packets(&mut self, out: &mut format::context::Output) -> Result<(), MediaError> {
        let ost_tb = out
            .stream(self.out_index)
            .map_or(self.enc_tb, |s| s.time_base());
        let mut packet = Packet::empty();
        while self.encoder.receive_packet(&mut packet).is_ok() {
            packet.set_stream(self.out_index);
            if packet.duration() == 0 {
                // Lets the muxer give the last frame its full length.
                packet.set_duration((self.frame_secs / f64::from(self.enc_tb)).round() as i64);
            }
            packet.rescale_ts(self.enc_tb, ost_tb);
            packet
                .write_interleaved(out)
                .map_err(MediaError::ffmpeg("writing video"))?;
        }
        Ok(())
    }

    pub(super) fn size(&self) -> (u32, u32) {
        (self.encoder.width(), self.encoder.height())
    }
}
