use chrono::{DateTime, Utc};
use clipjury_domain::participant::Role;
use clipjury_service::participants::{InviteState, ParticipantView};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// An invitable role.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RoleDto {
    Group,
    Juror,
}

impl From<RoleDto> for Role {
    fn from(r: RoleDto) -> Self {
        match r {
            RoleDto::Group => Role::Group,
            RoleDto::Juror => Role::Juror,
        }
    }
}

impl From<Role> for RoleDto {
    /// Admins are never invited; the two invitable roles map one to one.
    fn from(r: Role) -> Self {
        if r == Role::Juror {
            RoleDto::Juror
        } else {
            RoleDto::Group
        }
    }
}

/// A new group or juror.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateParticipantRequest {
    pub role: RoleDto,
    pub name: String,
}

/// A new name.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RenameParticipantRequest {
    pub name: String,
}

/// Filter of the participant list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ParticipantFilter {
    /// Only groups or only jurors.
    pub role: Option<RoleDto>,
}

/// An invite link.
#[derive(Debug, Serialize, ToSchema)]
pub struct InviteDto {
    /// The link to send or print; opening it signs the person in.
    pub url: String,
    pub token: String,
    pub expires_at: DateTime<Utc>,
    /// `active` or `expired`.
    pub state: String,
    pub last_redeemed_at: Option<DateTime<Utc>>,
}

/// A group or juror.
#[derive(Debug, Serialize, ToSchema)]
pub struct ParticipantDto {
    pub id: Uuid,
    pub contest_id: Uuid,
    pub role: RoleDto,
    pub name: String,
    pub created_at: DateTime<Utc>,
    /// Absent after the invite was revoked.
    pub invite: Option<InviteDto>,
}

impl From<ParticipantView> for ParticipantDto {
    fn from(p: ParticipantView) -> Self {
        Self {
            id: p.id,
            contest_id: p.contest_id,
            role: if p.role == Role::Juror {
                RoleDto::Juror
            } else {
                RoleDto::Group
            },
            name: p.name,
            created_at: p.created_at,
            invite: p.invite.map(|i| InviteDto {
                url: i.url,
                token: i.token,
                expires_at: i.expires_at,
                state: match i.state {
                    InviteState::Active => "active",
                    InviteState::Expired => "expired",
                }
                .to_owned(),
                last_redeemed_at: i.last_redeemed_at,
            }),
        }
    }
}
