//! clipjury's use cases. The API and the CLI call these; they speak domain types and [`ServiceError`].

pub mod auth;
pub mod contests;
pub mod health;
pub mod judging;
pub mod media_files;
pub mod metrics;
pub mod participants;
pub mod processing;
pub mod room;
pub mod submissions;
pub mod uploads;

mod api_schema;
mod audit;
mod config;
mod context;
mod error;

pub use config::{ContestDefaults, ServiceConfig, UploadRules};
pub use context::Services;
pub use error::ServiceError;
