use chrono::{DateTime, Utc};
use clipjury_db::repo::{invites::InviteRow, participants::ParticipantRow};
use clipjury_domain::participant::Role;
use uuid::Uuid;

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

pub(crate) fn to_view(
    public_url: &str,
    p: ParticipantRow,
    invite: Option<InviteRow>,
) -> ParticipantView {
    let role = if p.role == "juror" {
        Role::Juror
    } else {
        Role::Group
    };
    ParticipantView {
        id: p.id,
        contest_id: p.contest_id,
        role,
        name: p.name,
        created_at: p.created_at,
        invite: invite.map(|i| InviteView {
            url: invite_url(public_url, &i.token),
            state: if i.expires_at > Utc::now() {
                InviteState::Active
            } else {
                InviteState::Expired
            },
            token: i.token,
            expires_at: i.expires_at,
            last_redeemed_at: i.last_redeemed_at,
        }),
    }
}
