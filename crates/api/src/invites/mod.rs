//! `/api/invites/redeem`: open an invite link, get a session for its contest and role.

pub(crate) mod redeem;

pub use redeem::{RedeemRequest, RedeemResponse};

/// Registers the invite routes.
pub fn configure(cfg: &mut actix_web::web::ServiceConfig) {
    cfg.service(redeem::redeem_invite);
}
