//! Bounds on what a demux loop accepts, checked packet by packet so a file
//! whose header lies (30 s declared, a frame at 10⁶ s; a "30 fps" stream with
//! thousands of frames a second) stops the work as soon as it shows, before
//! any decoding, encoding or padding time is spent on it.

use ffmpeg_next::{Packet, Rational};

use crate::MediaError;
use crate::validate::{Limits, MAX_FRAME_RATE};

/// Packets per second allowed on a non-video stream (AAC writes ~47, Opus 50).
const OTHER_PACKETS_PER_SEC: f64 = 500.0;
/// Slack over the highest frame rate before a stream counts as too dense.
const FRAME_SLACK: f64 = 1.25;

/// Checks every demuxed packet against the contest's duration limit.
#[derive(Debug, Clone)]
pub struct DemuxGuard {
    /// The contest's limit without tolerance (named in the refusal).
    max_secs: f64,
    /// Past this, the work stops: limit + tolerance.
    stop_secs: f64,
    /// The container's start, in seconds.
    start_secs: f64,
    max_video_packets: u64,
    max_other_packets: u64,
    video_packets: u64,
    other_packets: u64,
    /// Latest timestamp seen, in seconds from the start.
    pub(crate) seen_secs: f64,
}

impl DemuxGuard {
    /// A guard for `limits`, for an input whose container starts at `start_us`.
    #[must_use]
    pub fn new(limits: &Limits, start_us: i64) -> Self {
        let stop_secs = limits.max_duration_secs + limits.tolerance_secs;
        let span = stop_secs.max(1.0);
        Self {
            max_secs: limits.max_duration_secs,
            stop_secs,
            start_secs: start_us as f64 / 1e6,
            max_video_packets: (span * MAX_FRAME_RATE * FRAME_SLACK).ceil() as u64 + 60,
            max_other_packets: (span * OTHER_PACKETS_PER_SEC).ceil() as u64 + 200,
            video_packets: 0,
            other_packets: 0,
            seen_secs: 0.0,
        }
    }

    /// Accepts one packet of a stream in use.
    ///
    /// # Errors
    /// [`MediaError::TooLong`] when its timestamp is past limit + tolerance,
    /// [`MediaError::TooManyFrames`] when the stream holds more packets than the
    /// highest frame rate allows over the limit.
    pub fn check(
        &mut self,
        packet: &Packet,
        time_base: Rational,
        video: bool,
    ) -> Result<(), MediaError> {
        if video {
            self.video_packets += 1;
            if self.video_packets > self.max_video_packets {
                return Err(MediaError::TooManyFrames(MAX_FRAME_RATE as u32));
            }
        } else {
            self.other_packets += 1;
            if self.other_packets > self.max_other_packets {
                return Err(MediaError::TooManyFrames(MAX_FRAME_RATE as u32));
            }
        }
        let Some(ts) = packet.pts().or(packet.dts()) else {
            return Ok(());
        };
        let secs = ts as f64 * f64::from(time_base) - self.start_secs;
        if secs.is_finite() {
            self.seen_secs = self.seen_secs.max(secs);
        }
        if !secs.is_finite() || secs > self.stop_secs {
            return Err(MediaError::TooLong {
                seen_secs: if secs.is_finite() { secs } else { f64::MAX },
                limit_secs: self.max_secs,
            });
        }
        Ok(())
    }

    /// The longest output a pipe may write (limit + tolerance), in seconds.
    #[must_use]
    pub fn stop_secs(&self) -> f64 {
        self.stop_secs
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn packet(pts: i64) -> Packet {
        let mut p = Packet::empty();
        p.set_pts(Some(pts));
        p
    }

    const LIMITS: Limits = Limits {
        max_duration_secs: 60.0,
        tolerance_secs: 5.0,
    };

    #[test]
    fn a_timestamp_past_the_limit_stops_at_once_whatever_came_before() {
        let mut guard = DemuxGuard::new(&LIMITS, 0);
        let tb = Rational(1, 1000);
        for ms in (0..64_000).step_by(33) {
            guard.check(&packet(ms), tb, true).unwrap();
        }
        let err = guard.check(&packet(1_000_000_000), tb, true).unwrap_err();
        assert!(matches!(err, MediaError::TooLong { limit_secs, .. } if limit_secs == 60.0));
        assert_eq!(err.code(), "too-long");
    }

    #[test]
    fn timestamps_count_from_the_container_start() {
        let mut guard = DemuxGuard::new(&LIMITS, 3_600_000_000);
        guard
            .check(&packet(3_650_000), Rational(1, 1000), true)
            .unwrap();
    }

    #[test]
    fn thousands_of_frames_a_second_are_refused() {
        let mut guard = DemuxGuard::new(&LIMITS, 0);
        let tb = Rational(1, 1_000_000);
        let err = (0..20_000)
            .map(|i| guard.check(&packet(i * 100), tb, true))
            .find(Result::is_err)
            .unwrap()
            .unwrap_err();
        assert_eq!(err.code(), "frame-rate-too-high");
    }
}
