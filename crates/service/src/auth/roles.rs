//! One type per role. A use case for one role takes that role's session, so the type proves who is calling and the
//! use case does not match on [`Session`](super::Session) again. Only [`authenticate`](super::authenticate) (and login and invite
//! redemption, which issue them) makes these: the fields are private to this crate.

use clipjury_domain::participant::Role;
use uuid::Uuid;

/// A verified admin session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AdminSession {
    admin_id: Uuid,
}

impl AdminSession {
    pub(crate) fn new(admin_id: Uuid) -> Self {
        Self { admin_id }
    }

    /// The admin account.
    #[must_use]
    pub fn admin_id(&self) -> Uuid {
        self.admin_id
    }
}

/// A verified session of a juror of one contest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JurorSession {
    participant_id: Uuid,
    contest_id: Uuid,
}

/// A verified session of a group of one contest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GroupSession {
    participant_id: Uuid,
    contest_id: Uuid,
}

macro_rules! participant_session {
    ($name:ident) => {
        impl $name {
            pub(crate) fn new(participant_id: Uuid, contest_id: Uuid) -> Self {
                Self {
                    participant_id,
                    contest_id,
                }
            }

            /// The participant (juror or group).
            #[must_use]
            pub fn participant_id(&self) -> Uuid {
                self.participant_id
            }

            /// The one contest this session belongs to.
            #[must_use]
            pub fn contest_id(&self) -> Uuid {
                self.contest_id
            }
        }
    };
}
participant_session!(JurorSession);
participant_session!(GroupSession);

/// Whoever acts in a use case, as the audit log records them.
pub(crate) trait Actor {
    fn role(&self) -> Role;
    /// The admin id or participant id.
    fn subject(&self) -> Uuid;
}

impl Actor for AdminSession {
    fn role(&self) -> Role {
        Role::Admin
    }
    fn subject(&self) -> Uuid {
        self.admin_id
    }
}

impl Actor for JurorSession {
    fn role(&self) -> Role {
        Role::Juror
    }
    fn subject(&self) -> Uuid {
        self.participant_id
    }
}

impl Actor for GroupSession {
    fn role(&self) -> Role {
        Role::Group
    }
    fn subject(&self) -> Uuid {
        self.participant_id
    }
}
