//! `/api/contests/{id}/participants`: groups and jurors, their invite links and QR codes.

pub(crate) mod create;
pub(crate) mod delete;
mod dto;
pub(crate) mod invite;
pub(crate) mod list;
pub(crate) mod qr;
pub(crate) mod rename;
pub(crate) mod reset_uploads;

pub use dto::{
    CreateParticipantRequest, InviteDto, ParticipantDto, RenameParticipantRequest, RoleDto,
};

/// Registers the participant routes.
pub fn configure(cfg: &mut actix_web::web::ServiceConfig) {
    cfg.service(list::list_participants)
        .service(create::add_participant)
        .service(rename::rename_participant)
        .service(delete::remove_participant)
        .service(invite::regenerate_invite)
        .service(invite::revoke_invite)
        .service(qr::invite_qr_svg)
        .service(qr::invite_qr_png)
        .service(reset_uploads::reset_uploads);
}
