//! Video half of a transcode: one decoder → one filter graph with an output per
//! rendition → one libx264 encoder per rendition. The largest rendition is
//! scaled from the source; each smaller one from the largest's frames (an exact
//! 2:1 for 720p → 360p), so the source's pixels are read once.

use ffmpeg_next::{
    Dictionary, Packet, Rational, Rescale, codec, decoder, encoder, filter, format, frame, picture,
    threading,
    util::color::{Primaries, Range, Space, TransferCharacteristic},
};

use crate::MediaError;
use crate::filters::{self, MAX_FPS, Output};
use crate::mux::Mp4Output;
use crate::probe::VideoStream;

/// Decoder threads for `threads` (0: one per core, FFmpeg's choice).
pub(crate) fn threads(threads: usize) -> threading::Config {
    threading::Config {
        kind: threading::Type::Frame,
        count: threads,
        ..Default::default()
    }
}

struct Encoder {
    encoder: encoder::Video,
    out_index: usize,
}

pub(super) struct VideoPipe {
    decoder: decoder::Video,
    graph: Option<filter::Graph>,
    spec: String,
    encoders: Vec<Encoder>,
    in_tb: Rational,
    enc_tb: Rational,
    /// Source start, in `in_tb`, subtracted so the output starts at zero.
    start: i64,
    /// End of the last decoded frame, seconds from the start.
    pub(super) decoded_secs: f64,
    /// Frames decoded so far.
    pub(super) frames: u64,
    frame_secs: f64,
}

/// x264 threads for a rendition: the largest gets `threads`, smaller ones half (they have a quarter of the
/// pixels). 0 leaves the choice to x264 (1.5 × cores).
fn encoder_threads(threads: usize, index: usize) -> usize {
    if index == 0 || threads == 0 {
        threads
    } else {
        threads.div_ceil(2)
    }
}

impl VideoPipe {
    /// `sizes` are the renditions' sizes, largest first, one per output in `outs`.
    pub(super) fn new(
        input: &format::context::Input,
        video: &VideoStream,
        sizes: &[(u32, u32)],
        start_us: i64,
        outs: &mut [Mp4Output],
        thread_count: usize,
    ) -> Result<Self, MediaError> {
        let stream = input.stream(video.index).ok_or(MediaError::NoVideoStream)?;
        let in_tb = stream.time_base();
        let mut context = codec::Context::from_parameters(stream.parameters())
            .map_err(MediaError::ffmpeg("reading video parameters"))?;
        context.set_threading(threads(thread_count));
        crate::open::limit_decoder(&mut context);
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
        let mut encoders = Vec::new();
        for (i, (size, out)) in sizes.iter().zip(outs.iter_mut()).enumerate() {
            let encoder = open_encoder(*size, enc_tb, rate, encoder_threads(thread_count, i), out)?;
            encoders.push(encoder);
        }
        let first = sizes.first().copied().ok_or(MediaError::NoVideoStream)?;
        let mut spec = filters::video_chain(video, first, true, Output::Yuv420p);
        if sizes.len() == 1 {
            spec.push_str("[out0]");
        } else {
            spec.push_str(&format!(",split={}[out0]", sizes.len()));
            for i in 1..sizes.len() {
                spec.push_str(&format!("[t{i}]"));
            }
            for (i, (w, h)) in sizes.iter().enumerate().skip(1) {
                spec.push_str(&format!(
                    ";[t{i}]scale=w={w}:h={h}:flags=bicubic,setsar=1[out{i}]"
                ));
            }
        }
        let start = start_us.rescale(Rational(1, 1_000_000), in_tb);
        Ok(Self {
            decoder,
            graph: None,
            spec,
            encoders,
            in_tb,
            enc_tb,
            start,
            decoded_secs: 0.0,
            frames: 0,
            frame_secs: 1.0 / rate,
        })
    }

    /// Decodes one packet and pushes what comes out through filters and encoders.
    /// A packet the decoder rejects is skipped, as players do.
    pub(super) fn send(
        &mut self,
        packet: &Packet,
        outs: &mut [Mp4Output],
    ) -> Result<(), MediaError> {
        // Corrupt data, a frame over the pixel cap, a bad reference: skip the packet. A file of nothing
        // but such packets ends with no frame and is refused as unreadable.
        let _ = self.decoder.send_packet(packet);
        self.receive_frames(outs)
    }

    pub(super) fn finish(&mut self, outs: &mut [Mp4Output]) -> Result<(), MediaError> {
        let _ = self.decoder.send_eof();
        self.receive_frames(outs)?;
        if let Some(mut source) = self.graph.as_mut().and_then(|g| g.get("in")) {
            source
                .source()
                .flush()
                .map_err(MediaError::ffmpeg("flushing the video filter"))?;
        }
        self.pull_filtered(outs)?;
        for i in 0..self.encoders.len() {
            self.encoders[i]
                .encoder
                .send_eof()
                .map_err(MediaError::ffmpeg("flushing the H.264 encoder"))?;
            self.write_packets(i, outs)?;
        }
        Ok(())
    }

    fn receive_frames(&mut self, outs: &mut [Mp4Output]) -> Result<(), MediaError> {
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
                self.graph = Some(build_graph(
                    &decoded,
                    self.in_tb,
                    &self.spec,
                    self.encoders.len(),
                )?);
            }
            if let Some(mut source) = self.graph.as_mut().and_then(|g| g.get("in")) {
                source
                    .source()
                    .add(&decoded)
                    .map_err(MediaError::ffmpeg("filtering video"))?;
            }
            self.pull_filtered(outs)?;
        }
        Ok(())
    }

    fn pull_filtered(&mut self, outs: &mut [Mp4Output]) -> Result<(), MediaError> {
        for i in 0..self.encoders.len() {
            let Some(mut sink) = self.graph.as_mut().and_then(|g| g.get(&format!("out{i}"))) else {
                continue;
            };
            let sink_tb = sink.sink().time_base();
            let mut filtered = frame::Video::empty();
            while sink.sink().frame(&mut filtered).is_ok() {
                let pts = filtered.pts().map(|p| p.rescale(sink_tb, self.enc_tb));
                filtered.set_pts(pts);
                filtered.set_kind(picture::Type::None);
                self.encoders[i]
                    .encoder
                    .send_frame(&filtered)
                    .map_err(MediaError::ffmpeg("encoding video"))?;
                self.write_packets(i, outs)?;
            }
        }
        Ok(())
    }

    fn write_packets(&mut self, i: usize, outs: &mut [Mp4Output]) -> Result<(), MediaError> {
        let (enc_tb, frame_secs) = (self.enc_tb, self.frame_secs);
        let Encoder { encoder, out_index } = &mut self.encoders[i];
        let out = &mut outs[i].context;
        let ost_tb = out.stream(*out_index).map_or(enc_tb, |s| s.time_base());
        let mut packet = Packet::empty();
        while encoder.receive_packet(&mut packet).is_ok() {
            packet.set_stream(*out_index);
            if packet.duration() == 0 {
                // Lets the muxer give the last frame its full length.
                packet.set_duration((frame_secs / f64::from(enc_tb)).round() as i64);
            }
            packet.rescale_ts(enc_tb, ost_tb);
            packet
                .write_interleaved(out)
                .map_err(MediaError::ffmpeg("writing video"))?;
        }
        Ok(())
    }

    /// Width and height of each rendition, in output order.
    pub(super) fn sizes(&self) -> Vec<(u32, u32)> {
        self.encoders
            .iter()
            .map(|e| (e.encoder.width(), e.encoder.height()))
            .collect()
    }
}

fn open_encoder(
    size: (u32, u32),
    enc_tb: Rational,
    rate: f64,
    threads: usize,
    out: &mut Mp4Output,
) -> Result<Encoder, MediaError> {
    let x264 = encoder::find_by_name("libx264").ok_or(MediaError::Ffmpeg {
        context: "libx264 is missing from this FFmpeg",
        source: ffmpeg_next::Error::EncoderNotFound,
    })?;
    let mut context = codec::Context::new_with_codec(x264);
    context.set_threading(crate::transcode::video::threads(threads));
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
    Ok(Encoder {
        out_index: ost.index(),
        encoder,
    })
}

/// The filter graph for `outputs` renditions, sized from the first decoded frame: a `in` source and sinks
/// `out0`, `out1`, …
fn build_graph(
    first: &frame::Video,
    time_base: Rational,
    spec: &str,
    outputs: usize,
) -> Result<filter::Graph, MediaError> {
    let sinks: Vec<String> = (0..outputs).map(|i| format!("out{i}")).collect();
    filters::video_graph_with_sinks(first, time_base, spec, &sinks)
}
