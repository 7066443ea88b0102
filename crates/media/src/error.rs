//! The crate's error type.

use std::io;

/// Why a media operation failed.
///
/// [`MediaError::is_client_error`] separates bad input (the group should pick or
/// record another file) from our own failures (retry, then alert).
#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    /// The file is empty, truncated, random bytes, or in no format FFmpeg reads.
    #[error("the file is not a video that can be read: {0}")]
    Unreadable(String),
    /// The file holds no video stream (audio only, or only cover art).
    #[error("the file has no video stream")]
    NoVideoStream,
    /// The file is a picture (PNG, JPEG, GIF), whatever its name says.
    #[error("the file is a picture, not a video")]
    StillImage,
    /// The file is in a format outside the demuxer whitelist (a playlist, a
    /// concat script, a container phones do not write).
    #[error("the file format {0} is not accepted")]
    UnsupportedFormat(String),
    /// Timestamps run past the contest's limit plus tolerance, whatever the
    /// header said. Found while demuxing, so the work stops there.
    #[error("the video runs past the {limit_secs} s limit (at least {seen_secs} s)")]
    TooLong {
        /// Where the stream got to when it was stopped.
        seen_secs: f64,
        /// The contest's limit, without the tolerance.
        limit_secs: f64,
    },
    /// More frames than the highest accepted frame rate allows for the limit.
    #[error("the video has more frames than {0} fps allows")]
    TooManyFrames(u32),
    /// The video uses a codec this build cannot decode.
    #[error("the video codec {0} is not supported")]
    UnsupportedCodec(String),
    /// [`crate::remux`] was called for a source that needs re-encoding.
    #[error("the source cannot be stream-copied; it must be transcoded")]
    NotRemuxable,
    /// The caller set the cancel flag.
    #[error("processing was cancelled")]
    Cancelled,
    /// An FFmpeg call failed on input that probed fine: our side.
    #[error("{context}: {source}")]
    Ffmpeg {
        /// What we were doing.
        context: &'static str,
        /// FFmpeg's error.
        #[source]
        source: ffmpeg_next::Error,
    },
    /// A file system operation failed.
    #[error("{context}: {source}")]
    Io {
        /// What we were doing.
        context: &'static str,
        /// The I/O error.
        #[source]
        source: io::Error,
    },
    /// Encoding a thumbnail failed.
    #[error("encoding a thumbnail failed: {0}")]
    Image(#[from] image::ImageError),
}

impl MediaError {
    /// True when the input file is the cause, false when we are.
    #[must_use]
    pub fn is_client_error(&self) -> bool {
        matches!(
            self,
            Self::Unreadable(_)
                | Self::NoVideoStream
                | Self::UnsupportedCodec(_)
                | Self::StillImage
                | Self::UnsupportedFormat(_)
                | Self::TooLong { .. }
                | Self::TooManyFrames(_)
        )
    }

    /// A stable kebab-case code for logs and API error bodies.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unreadable(_) => "unreadable-file",
            Self::NoVideoStream => "no-video-stream",
            Self::UnsupportedCodec(_) => "unsupported-codec",
            Self::StillImage => "still-image",
            Self::UnsupportedFormat(_) => "unsupported-format",
            Self::TooLong { .. } => "too-long",
            Self::TooManyFrames(_) => "frame-rate-too-high",
            Self::Cancelled => "processing-cancelled",
            Self::NotRemuxable | Self::Ffmpeg { .. } | Self::Io { .. } | Self::Image(_) => {
                "media-internal-error"
            }
        }
    }

    pub(crate) fn ffmpeg(context: &'static str) -> impl FnOnce(ffmpeg_next::Error) -> Self {
        move |source| Self::Ffmpeg { context, source }
    }

    pub(crate) fn io(context: &'static str) -> impl FnOnce(io::Error) -> Self {
        move |source| Self::Io { context, source }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn errors_cross_threads() {
        fn send_sync<T: Send + Sync + 'static>() {}
        send_sync::<MediaError>();
        send_sync::<crate::Probe>();
    }

    #[test]
    fn bad_input_is_a_client_error_and_ours_is_not() {
        assert!(MediaError::Unreadable("x".into()).is_client_error());
        assert!(MediaError::NoVideoStream.is_client_error());
        assert!(!MediaError::Cancelled.is_client_error());
        let ours = MediaError::Ffmpeg {
            context: "encode",
            source: ffmpeg_next::Error::Bug,
        };
        assert!(!ours.is_client_error());
        assert_eq!(ours.code(), "media-internal-error");
        assert_eq!(
            MediaError::Unreadable(String::new()).code(),
            "unreadable-file"
        );
    }
}
