//! Contests: create, read, update, list, lifecycle transitions and the audit log.

mod access;
mod audit_log;
mod create;
mod read;
mod transition;
mod update;
mod view;

pub use access::owned_contest;
pub use audit_log::{AuditEntryView, audit_log};
pub use create::{NewContest, create_contest};
pub use read::{get_contest, list_contests, upload_limit};
pub use transition::transition_contest;
pub use update::{ContestPatch, update_contest};
pub use view::{ContestBrief, ContestView, ContestViewFor};
