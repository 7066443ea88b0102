//! Groups and jurors of a contest, their invite links and QR codes, and redeeming an invite.

mod invite;
mod manage;
mod qr;
mod redeem;
mod view;

pub use invite::{regenerate_invite, revoke_invite};
pub use manage::{add_participant, list_participants, remove_participant, rename_participant};
pub use qr::{QrFormat, invite_qr};
pub use redeem::{InviteInfo, Redeemed, inspect_invite, redeem_invite};
pub use view::{InviteState, InviteView, ParticipantView};

pub(crate) use invite::{issue_invite, seal_plain_invites, token_hash};
pub(crate) use manage::owned_participant;
pub(crate) use view::to_view;
