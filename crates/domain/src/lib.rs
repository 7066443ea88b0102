//! clipjury's domain: contests, their lifecycle and rules, judging and ranking.
//!
//! Pure logic only: no IO, no async runtime, no database or HTTP types. With the `sea-orm` feature (the db crate's)
//! the stored enums also derive sea-orm's `DeriveActiveEnum`, so entities hold them as they are.

pub mod contest;
pub mod error_code;
pub mod judging;
pub mod participant;
pub mod validation;
pub mod video;
