use chrono::{DateTime, Utc};
use clipjury_db::repo::{invites::InviteRow, participants::ParticipantRow};
use clipjury_domain::participant::Role;
use uuid::Uuid;

use crate::Services;

/// A group or juror, with its current invite.
#[derive(Debug, Clone)]
pub struct ParticipantView {
    pub id: Uuid,
    pub contest_id: Uuid,
    pub role: Role,
    pub name: String,
    pub created_at: DateTime<Utc>,
    /// `None` after the invite was revoked (regenerate to issue a new one).
    pub invite: Option<InviteView>,
}

/// Whether an invite can still be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InviteState {
    /// Usable.
    Active,
    /// Past its expiry.
    Expired,
}

/// An invite link as the admin sees it.
#[derive(Debug, Clone)]
pub struct InviteView {
    pub url: String,
    pub token: String,
    pub expires_at: DateTime<Utc>,
    pub state: InviteState,
    pub last_redeemed_at: Option<DateTime<Utc>>,
}

pub(crate) fn invite_url(public_url: &str, token: &str) -> String {
    format!("{}/i/{token}", public_url.trim_end_matches('/'))
}

/// The participant as the admin sees it. An invite whose sealed token this instance cannot open (the instance
/// secret changed) is shown as absent: the admin regenerates it.
pub(crate) fn to_view(
    services: &Services,
    p: ParticipantRow,
    invite: Option<InviteRow>,
) -> ParticipantView {
    let public_url = &services.config.public_url;
    let role = p.role;
    ParticipantView {
        id: p.id,
        contest_id: p.contest_id,
        role,
        name: p.name,
        created_at: p.created_at,
        invite: invite.and_then(|i| {
            let token = services.open_invite_token(&i)?;
            Some(InviteView {
                url: invite_url(public_url, &token),
                state: if i.expires_at > Utc::now() {
                    InviteState::Active
                } else {
                    InviteState::Expired
                },
                token,
                expires_at: i.expires_at,
                last_redeemed_at: i.last_redeemed_at,
            })
        }),
    }
}
