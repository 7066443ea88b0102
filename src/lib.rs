//! The `clipjury` package: composition root. Configuration, start-up and the command-line entry points.

pub mod backup;
pub mod cli;
pub mod commands;
pub mod config;
mod link_preview;
pub mod room;
pub mod startup;
pub mod storage;
pub mod telemetry;
mod web_app;
mod web_assets;
