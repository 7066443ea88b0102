//! Media pipeline tests on generated clips (tests/fixtures/make-clips.sh).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod helpers;
mod hostile;
mod probe;
mod thumbnails;
mod transcode;
