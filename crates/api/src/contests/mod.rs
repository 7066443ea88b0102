//! `/api/contests`: create, list, read, update, lifecycle, follow-up rounds and audit log.

pub(crate) mod audit;
pub(crate) mod create;
mod dto;
pub(crate) mod follow_up;
pub(crate) mod get;
pub(crate) mod list;
pub(crate) mod transition;
pub(crate) mod update;

pub use dto::{
    AuditEntryDto, ContestBriefDto, ContestDto, ContestResponse, ContestStatusDto,
    CreateContestRequest, FollowUpRequest, FollowUpResponse, TransitionRequest,
    UpdateContestRequest,
};

/// Registers the contest routes.
pub fn configure(cfg: &mut actix_web::web::ServiceConfig) {
    cfg.service(list::list_contests)
        .service(create::create_contest)
        .service(get::get_contest)
        .service(update::update_contest)
        .service(transition::transition_contest)
        .service(audit::audit_log)
        .service(follow_up::create_follow_up);
}
