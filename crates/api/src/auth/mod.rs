//! `/api/auth`: login, logout, who am I, and the first admin's set-up.

mod dto;
pub(crate) mod login;
pub(crate) mod logout;
pub(crate) mod me;
mod session;
pub(crate) mod setup;

pub use dto::{LoginRequest, SessionResponse, SetupRequest};
pub use session::{
    Admin, AnySession, ContestGroup, CookieSecure, GroupMember, Juror, MaybeSession,
    SESSION_COOKIE, cleared_cookie, session_cookie,
};

/// Registers the auth routes.
pub fn configure(cfg: &mut actix_web::web::ServiceConfig) {
    cfg.service(login::login)
        .service(logout::logout)
        .service(me::me)
        .service(setup::setup);
}
