//! Media pipeline for clipjury: probe an upload, validate it against the
//! contest's rules, transcode it into MP4 renditions (or remux when it already
//! fits), and make poster thumbnails.
//!
//! Everything here is synchronous and CPU-heavy: callers run it in
//! `spawn_blocking` behind a semaphore. This is the only crate linking FFmpeg
//! (through ffmpeg-next) and `image`.

mod error;
mod filters;
pub mod fonts;
mod guard;
mod mux;
mod open;
mod orientation;
mod probe;
mod remux;
mod thumbnail;
mod transcode;
mod validate;
mod webp;

use std::sync::Once;

pub use error::MediaError;
pub use filters::{MAX_FPS, target_size};
pub use guard::DemuxGuard;
pub use open::{DEMUXER_WHITELIST, MAX_PIXELS};
pub use probe::{AudioStream, ColorTransfer, Orientation, Probe, VideoStream, probe};
pub use remux::remux;
pub use thumbnail::{THUMBNAIL_SIZES, Thumbnail, ThumbnailFormat, thumbnails};
pub use transcode::{RenderOptions, RenditionInfo, RenditionSpec, transcode};
pub use validate::{Limits, Refusal, validate, validate_rendered};

/// Initialises FFmpeg once and silences its log (errors reach callers as
/// [`MediaError`] values; FFmpeg's own chatter on stderr helps nobody).
fn init() {
    static INIT: Once = Once::new();
    INIT.call_once(|| {
        // Registration is a no-op on FFmpeg ≥ 4; a failure here would surface
        // as an error on the first real call.
        let _ = ffmpeg_next::init();
        ffmpeg_next::util::log::set_level(ffmpeg_next::util::log::Level::Fatal);
    });
}
