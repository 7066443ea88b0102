//! `/api/invites/inspect` (who an invite link is for) and `/api/invites/redeem` (open it: a session for its contest
//! and role).

pub(crate) mod inspect;
pub(crate) mod redeem;

pub use inspect::InviteInfoResponse;
pub use redeem::{RedeemRequest, RedeemResponse};

/// Registers the invite routes.
pub fn configure(cfg: &mut actix_web::web::ServiceConfig) {
    cfg.service(inspect::inspect_invite)
        .service(redeem::redeem_invite);
}
