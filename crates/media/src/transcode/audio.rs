//! Audio half of a transcode: the source's audio re-encoded to AAC 128 kb/s
//! stereo 48 kHz, or, for a silent source, a silent AAC track of the same
//! length (so every rendition has audio: players, concatenation and social
//! uploads then behave the same for every entry). Audio that cannot be
//! decoded is treated like no audio.

use ffmpeg_next::{
    ChannelLayout, Packet, Rational, Rescale, codec, decoder, encoder, filter, format,
    format::Sample, format::sample::Type as SampleType, frame,
};

use crate::MediaError;
use crate::filters;
use crate::probe::AudioStream;

const RATE: i32 = 48_000;
const BIT_RATE: usize = 128_000;

enum Source {
    Decoded {
        index: usize,
        decoder: decoder::Audio,
        graph: Option<filter::Graph>,
        in_tb: Rational,
        start: i64,
    },
    Silence {
        next_pts: i64,
    },
}

pub(super) struct AudioPipe {
    source: Source,
    encoder: encoder::Audio,
    codec: ffmpeg_next::Codec,
    /// Silence is never padded past this many seconds (the validated limit plus tolerance).
    max_secs: f64,
}

/// Where encoded AAC packets go (time base 1/48000): every rendition gets the same audio.
pub(super) type Emit<'a> = dyn FnMut(&Packet) -> Result<(), MediaError> + 'a;

impl AudioPipe {
    pub(super) fn new(
        input: &format::context::Input,
        audio: Option<&AudioStream>,
        start_us: i64,
        global_header: bool,
        max_secs: f64,
    ) -> Result<Self, MediaError> {
        let stream = audio.and_then(|a| input.stream(a.index));
        let decoder = stream.as_ref().and_then(|s| {
            let opened = codec::Context::from_parameters(s.parameters()).and_then(|mut c| {
                crate::open::limit_decoder(&mut c);
                c.decoder().audio()
            });
            // Sound we cannot decode is replaced by silence rather than
            // refusing a video the jury can still watch.
            opened
                .inspect_err(
                    |e| tracing::warn!(error = %e, "audio cannot be decoded, using silence"),
                )
                .ok()
        });
        let source = match (stream, decoder) {
            (Some(stream), Some(decoder)) => {
                let in_tb = stream.time_base();
                Source::Decoded {
                    index: stream.index(),
                    decoder,
                    graph: None,
                    in_tb,
                    start: start_us.rescale(Rational(1, 1_000_000), in_tb),
                }
            }
            _ => Source::Silence { next_pts: 0 },
        };
        let aac = encoder::find(codec::Id::AAC).ok_or(MediaError::Ffmpeg {
            context: "the AAC encoder is missing",
            source: ffmpeg_next::Error::EncoderNotFound,
        })?;
        let mut enc = codec::Context::new_with_codec(aac)
            .encoder()
            .audio()
            .map_err(MediaError::ffmpeg("creating the AAC encoder"))?;
        enc.set_rate(RATE);
        enc.set_channel_layout(ChannelLayout::STEREO);
        enc.set_channels(2);
        enc.set_format(Sample::F32(SampleType::Planar));
        enc.set_bit_rate(BIT_RATE);
        enc.set_time_base(Rational(1, RATE));
        if global_header {
            enc.set_flags(codec::Flags::GLOBAL_HEADER);
        }
        let encoder = enc
            .open_as(aac)
            .map_err(MediaError::ffmpeg("opening the AAC encoder"))?;
        Ok(Self {
            source,
            encoder,
            codec: aac,
            max_secs,
        })
    }

    /// Adds this pipe's AAC stream to an output; returns its index there.
    pub(super) fn add_stream(&self, out: &mut crate::mux::Mp4Output) -> Result<usize, MediaError> {
        let mut ost = out
            .context
            .add_stream(self.codec)
            .map_err(MediaError::ffmpeg("adding the audio stream"))?;
        ost.set_parameters(&self.encoder);
        ost.set_time_base(Rational(1, RATE));
        Ok(ost.index())
    }

    /// The source stream this pipe decodes, if any.
    pub(super) fn source_index(&self) -> Option<usize> {
        match self.source {
            Source::Decoded { index, .. } => Some(index),
            Source::Silence { .. } => None,
        }
    }

    pub(super) fn send(&mut self, packet: &Packet, out: &mut Emit<'_>) -> Result<(), MediaError> {
        if let Source::Decoded { decoder, .. } = &mut self.source {
            match decoder.send_packet(packet) {
                Ok(()) | Err(ffmpeg_next::Error::InvalidData) => {}
                Err(e) => return Err(MediaError::ffmpeg("decoding audio")(e)),
            }
        }
        self.receive_frames(out)
    }

    /// For a silent source, writes silence up to `secs`, never past the validated limit.
    pub(super) fn silence_until(
        &mut self,
        secs: f64,
        out: &mut Emit<'_>,
    ) -> Result<(), MediaError> {
        let Source::Silence { next_pts } = &mut self.source else {
            return Ok(());
        };
        let frame_size = self.encoder.frame_size().max(1) as usize;
        let end = (secs.min(self.max_secs).max(0.0) * f64::from(RATE)).ceil() as i64;
        while *next_pts < end {
            let mut silence = frame::Audio::new(
                Sample::F32(SampleType::Planar),
                frame_size,
                ChannelLayout::STEREO,
            );
            silence.set_rate(RATE as u32);
            for plane in 0..silence.planes() {
                silence.data_mut(plane).fill(0);
            }
            silence.set_pts(Some(*next_pts));
            *next_pts += frame_size as i64;
            self.encoder
                .send_frame(&silence)
                .map_err(MediaError::ffmpeg("encoding silence"))?;
            write_packets(&mut self.encoder, out)?;
        }
        Ok(())
    }

    pub(super) fn finish(&mut self, video_secs: f64, out: &mut Emit<'_>) -> Result<(), MediaError> {
        if let Source::Decoded { decoder, .. } = &mut self.source {
            decoder
                .send_eof()
                .map_err(MediaError::ffmpeg("flushing the audio decoder"))?;
            self.receive_frames(out)?;
            if let Source::Decoded {
                graph: Some(graph), ..
            } = &mut self.source
                && let Some(mut source) = graph.get("in")
            {
                source
                    .source()
                    .flush()
                    .map_err(MediaError::ffmpeg("flushing the audio filter"))?;
            }
            self.pull_filtered(out)?;
        } else {
            self.silence_until(video_secs, out)?;
        }
        self.encoder
            .send_eof()
            .map_err(MediaError::ffmpeg("flushing the AAC encoder"))?;
        write_packets(&mut self.encoder, out)
    }

    fn receive_frames(&mut self, out: &mut Emit<'_>) -> Result<(), MediaError> {
        let Source::Decoded {
            decoder,
            graph,
            in_tb,
            start,
            ..
        } = &mut self.source
        else {
            return Ok(());
        };
        let mut decoded = frame::Audio::empty();
        while decoder.receive_frame(&mut decoded).is_ok() {
            let pts = decoded.timestamp().map(|t| t - *start);
            decoded.set_pts(pts);
            if graph.is_none() {
                let layout = if decoded.channel_layout().bits() == 0 {
                    ChannelLayout::default(i32::from(decoded.channels()))
                } else {
                    decoded.channel_layout()
                };
                let args = format!(
                    "time_base={}/{}:sample_rate={}:sample_fmt={}:channel_layout=0x{:x}",
                    in_tb.numerator(),
                    in_tb.denominator(),
                    decoded.rate(),
                    decoded.format().name(),
                    layout.bits()
                );
                let mut built = filters::audio_graph(&args)?;
                if let Some(mut sink) = built.get("out") {
                    sink.sink().set_frame_size(self.encoder.frame_size());
                }
                *graph = Some(built);
            }
            if let Some(mut source) = graph.as_mut().and_then(|g| g.get("in")) {
                source
                    .source()
                    .add(&decoded)
                    .map_err(MediaError::ffmpeg("filtering audio"))?;
            }
            pull(graph, &mut self.encoder, out)?;
        }
        Ok(())
    }

    fn pull_filtered(&mut self, out: &mut Emit<'_>) -> Result<(), MediaError> {
        if let Source::Decoded { graph, .. } = &mut self.source {
            pull(graph, &mut self.encoder, out)?;
        }
        Ok(())
    }
}

fn pull(
    graph: &mut Option<filter::Graph>,
    encoder: &mut encoder::Audio,
    out: &mut Emit<'_>,
) -> Result<(), MediaError> {
    let Some(mut sink) = graph.as_mut().and_then(|g| g.get("out")) else {
        return Ok(());
    };
    let sink_tb = sink.sink().time_base();
    let mut filtered = frame::Audio::empty();
    while sink.sink().frame(&mut filtered).is_ok() {
        let pts = filtered
            .pts()
            .map(|p| p.rescale(sink_tb, Rational(1, RATE)));
        filtered.set_pts(pts);
        encoder
            .send_frame(&filtered)
            .map_err(MediaError::ffmpeg("encoding audio"))?;
        write_packets(encoder, out)?;
    }
    Ok(())
}

fn write_packets(encoder: &mut encoder::Audio, out: &mut Emit<'_>) -> Result<(), MediaError> {
    let mut packet = Packet::empty();
    while encoder.receive_packet(&mut packet).is_ok() {
        out(&packet)?;
    }
    Ok(())
}

/// Time base of the encoded audio packets.
pub(super) const TIME_BASE: Rational = Rational(1, RATE);
