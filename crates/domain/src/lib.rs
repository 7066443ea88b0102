//! clipjury's domain: contests, their lifecycle and rules, judging and ranking.
//!
//! Pure logic only: no IO, no async runtime, no database or HTTP types.

pub mod contest;
pub mod error_code;
pub mod ids;
pub mod judging;
pub mod participant;
pub mod validation;
