//! Contests: create, read, update, list, lifecycle transitions, follow-up rounds and the audit log.

mod access;
mod audit_log;
mod create;
mod follow_up;
mod read;
mod transition;
mod update;
mod view;

pub use access::{owned_contest, refuse_role};
pub use audit_log::{AuditEntryView, audit_log};
pub use create::{NewContest, create_contest};
pub use follow_up::{FollowUp, create_follow_up};
pub use read::{get_contest, list_contests, upload_limit};
pub use transition::transition_contest;
pub use update::{ContestPatch, update_contest};
pub use view::{ContestBrief, ContestView, ContestViewFor};
