//! sea-orm entities, one table a file. Only this crate and its callers in `service` see them.

pub mod admin;
pub mod audit_log;
pub mod contest;
pub mod invite;
pub mod job;
pub mod participant;
pub mod result;
pub mod score;
pub mod setting;
pub mod submission;
pub mod upload;
pub mod upload_part;
pub mod video;
