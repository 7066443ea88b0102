//! Groups and jurors: the people an admin invites into one contest.

use crate::error_code::ErrorCode;
use serde::{Deserialize, Serialize};

use crate::validation::{ValidationError, bounded_text};

/// What a session may do. Admins have accounts; groups and jurors join one contest by invite.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "sea-orm",
    derive(sea_orm::DeriveActiveEnum, sea_orm::EnumIter)
)]
#[cfg_attr(
    feature = "sea-orm",
    sea_orm(
        rs_type = "String",
        db_type = "String(sea_orm::sea_query::StringLen::None)",
        rename_all = "snake_case"
    )
)]
pub enum Role {
    /// Runs contests.
    Admin,
    /// Scores the entries of one contest.
    Juror,
    /// Uploads one entry to one contest.
    Group,
}

impl Role {
    /// `admin`, `juror` or `group`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Juror => "juror",
            Self::Group => "group",
        }
    }

    /// Parses an invitable role (juror or group).
    ///
    /// # Errors
    /// `unknown-participant-role` for anything else, including `admin`.
    pub fn parse_participant(raw: &str) -> Result<Self, ValidationError> {
        match raw {
            "juror" => Ok(Self::Juror),
            "group" => Ok(Self::Group),
            _ => Err(ValidationError::new(
                ErrorCode::UnknownParticipantRole,
                format!("'{raw}' is not juror or group"),
            )),
        }
    }
}

/// A group's or juror's display name: trimmed, 1–80 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParticipantName(String);

impl ParticipantName {
    /// # Errors
    /// `participant-name-empty` or `participant-name-too-long`.
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        bounded_text(
            raw,
            80,
            ErrorCode::ParticipantNameEmpty,
            ErrorCode::ParticipantNameTooLong,
            "The name",
        )
        .map(Self)
    }

    /// The name.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An admin's e-mail address, lower-cased. Only the shape is checked; nothing is sent to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminEmail(String);

impl AdminEmail {
    /// # Errors
    /// `email-invalid` when it is not `local@domain` of sane length.
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let e = raw.trim().to_lowercase();
        let valid = e.len() <= 254
            && e.split_once('@').is_some_and(|(l, d)| {
                !l.is_empty() && d.contains('.') && !d.starts_with('.') && !d.ends_with('.')
            })
            && !e.chars().any(char::is_whitespace)
            && e.matches('@').count() == 1;
        if valid {
            Ok(Self(e))
        } else {
            Err(ValidationError::new(
                ErrorCode::EmailInvalid,
                "that is not an e-mail address",
            ))
        }
    }

    /// The address.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An admin password: 10–1024 characters. Length is the rule that matters (NIST SP 800-63B); no composition rules.
#[derive(Clone)]
pub struct AdminPassword(String);

impl AdminPassword {
    /// # Errors
    /// `password-too-short` or `password-too-long`.
    pub fn parse(raw: String) -> Result<Self, ValidationError> {
        let n = raw.chars().count();
        if n < 10 {
            return Err(ValidationError::new(
                ErrorCode::PasswordTooShort,
                "the password must have at least 10 characters",
            ));
        }
        if n > 1024 {
            return Err(ValidationError::new(
                ErrorCode::PasswordTooLong,
                "the password must have at most 1024 characters",
            ));
        }
        Ok(Self(raw))
    }

    /// The secret text, for hashing only.
    #[must_use]
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for AdminPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AdminPassword(***)")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            AdminEmail::parse(" Ada@Example.ORG ").unwrap().as_str(),
            "ada@example.org"
        );
        for bad in [
            "",
            "ada",
            "ada@",
            "@x.org",
            "a@b",
            "a b@x.org",
            "a@@x.org",
            "a@x.",
        ] {
            assert!(AdminEmail::parse(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn passwords_need_ten_characters_and_hide_in_debug() {
        assert_eq!(
            AdminPassword::parse("short".into()).unwrap_err().code,
            "password-too-short"
        );
        let p = AdminPassword::parse("a long enough one".into()).unwrap();
        assert_eq!(format!("{p:?}"), "AdminPassword(***)");
    }

    #[test]
    fn only_juror_and_group_are_invitable() {
        assert_eq!(Role::parse_participant("juror").unwrap(), Role::Juror);
        assert!(Role::parse_participant("admin").is_err());
    }
}
