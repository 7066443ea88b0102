//! A contest: its editable settings and its lifecycle.

use crate::error_code::ErrorCode;
use serde::{Deserialize, Serialize};

use crate::validation::{ValidationError, bounded_text};

/// Where a contest is in its life. Moves forward one step at a time; an admin may move back one step with a reason.
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
pub enum ContestStatus {
    /// Being prepared; nobody but the admin sees it.
    Draft,
    /// Groups may upload until the upload deadline.
    Open,
    /// Jurors score until the judging deadline.
    Judging,
    /// Ranking frozen, ties resolved, not yet public.
    Closed,
    /// Results are public.
    Published,
}

/// Why a requested status change is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    /// The target is not one step forward or back.
    #[error("a contest cannot move from {from} to {to}")]
    NotAdjacent {
        from: ContestStatus,
        to: ContestStatus,
    },
    /// Moving back needs a reason for the audit log.
    #[error("moving a contest back from {from} to {to} needs a reason")]
    ReasonRequired {
        from: ContestStatus,
        to: ContestStatus,
    },
    /// The contest already has that status.
    #[error("the contest is already {0}")]
    Unchanged(ContestStatus),
}

impl TransitionError {
    /// Stable kebab-case code.
    #[must_use]
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::NotAdjacent { .. } => ErrorCode::IllegalTransition,
            Self::ReasonRequired { .. } => ErrorCode::TransitionReasonRequired,
            Self::Unchanged(_) => ErrorCode::TransitionUnchanged,
        }
    }
}

impl ContestStatus {
    /// All statuses in lifecycle order.
    pub const ALL: [Self; 5] = [
        Self::Draft,
        Self::Open,
        Self::Judging,
        Self::Closed,
        Self::Published,
    ];

    fn position(self) -> usize {
        match self {
            Self::Draft => 0,
            Self::Open => 1,
            Self::Judging => 2,
            Self::Closed => 3,
            Self::Published => 4,
        }
    }

    /// The stored and wire name, e.g. `judging`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Open => "open",
            Self::Judging => "judging",
            Self::Closed => "closed",
            Self::Published => "published",
        }
    }

    /// Parses the stored name.
    ///
    /// # Errors
    /// `unknown-contest-status` for any other string.
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == raw)
            .ok_or_else(|| {
                ValidationError::new(
                    ErrorCode::UnknownContestStatus,
                    format!("unknown contest status '{raw}'"),
                )
            })
    }

    /// Checks a move to `to`: one step forward, or one step back with a non-empty reason.
    ///
    /// # Errors
    /// [`TransitionError`] for a move that skips steps, a backward move without reason, or no move at all.
    pub fn transition(self, to: Self, reason: Option<&str>) -> Result<Self, TransitionError> {
        let (from_pos, to_pos) = (self.position(), to.position());
        if from_pos == to_pos {
            return Err(TransitionError::Unchanged(self));
        }
        if to_pos == from_pos + 1 {
            return Ok(to);
        }
        if to_pos + 1 == from_pos {
            return match reason.map(str::trim) {
                Some(r) if !r.is_empty() => Ok(to),
                _ => Err(TransitionError::ReasonRequired { from: self, to }),
            };
        }
        Err(TransitionError::NotAdjacent { from: self, to })
    }

    /// Whether contest settings (rules, limits, rubric) may still be edited.
    #[must_use]
    pub fn settings_editable(self) -> bool {
        matches!(self, Self::Draft | Self::Open)
    }
}

impl std::fmt::Display for ContestStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A contest title: trimmed, 1–120 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContestTitle(String);

impl ContestTitle {
    /// # Errors
    /// `contest-title-empty` or `contest-title-too-long`.
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        bounded_text(
            raw,
            120,
            ErrorCode::ContestTitleEmpty,
            ErrorCode::ContestTitleTooLong,
            "The title",
        )
        .map(Self)
    }

    /// The title text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A URL-friendly slug from the title: ASCII letters and digits joined by dashes, or `contest` when the title
    /// has none (a Khmer-only title, say). The caller appends a suffix to make it unique.
    #[must_use]
    pub fn slug_base(&self) -> String {
        let mut slug = String::new();
        for c in self.0.chars() {
            if c.is_ascii_alphanumeric() {
                slug.push(c.to_ascii_lowercase());
            } else if !slug.ends_with('-') && !slug.is_empty() {
                slug.push('-');
            }
        }
        let slug: String = slug.trim_end_matches('-').chars().take(48).collect();
        if slug.is_empty() {
            "contest".to_owned()
        } else {
            slug.trim_end_matches('-').to_owned()
        }
    }
}

/// The key messages groups choose from: up to 20, each 1–200 characters, no duplicates.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct KeyMessages(Vec<String>);

impl KeyMessages {
    /// # Errors
    /// `key-message-empty`, `key-message-too-long`, `key-messages-too-many` or `key-message-duplicate`.
    pub fn parse(raw: &[String]) -> Result<Self, ValidationError> {
        if raw.len() > 20 {
            return Err(ValidationError::new(
                ErrorCode::KeyMessagesTooMany,
                "at most 20 key messages",
            ));
        }
        let mut out: Vec<String> = Vec::with_capacity(raw.len());
        for m in raw {
            let m = bounded_text(
                m,
                200,
                ErrorCode::KeyMessageEmpty,
                ErrorCode::KeyMessageTooLong,
                "A key message",
            )?;
            if out.contains(&m) {
                return Err(ValidationError::new(
                    ErrorCode::KeyMessageDuplicate,
                    format!("'{m}' is listed twice"),
                ));
            }
            out.push(m);
        }
        Ok(Self(out))
    }

    /// The messages in order.
    #[must_use]
    pub fn as_slice(&self) -> &[String] {
        &self.0
    }
}

/// Languages the app speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
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
pub enum Locale {
    /// English.
    #[default]
    En,
    /// Khmer.
    Km,
}

impl Locale {
    /// # Errors
    /// `unknown-locale` for anything but `en` and `km`.
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        match raw {
            "en" => Ok(Self::En),
            "km" => Ok(Self::Km),
            _ => Err(ValidationError::new(
                ErrorCode::UnknownLocale,
                format!("unknown locale '{raw}' (use en or km)"),
            )),
        }
    }

    /// `en` or `km`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Km => "km",
        }
    }
}

/// Upload limits of a contest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UploadLimits {
    /// Longest accepted video, in seconds.
    pub max_duration_seconds: u32,
    /// Extra seconds tolerated beyond the maximum (phones rarely stop at exactly 60.0 s).
    pub duration_tolerance_seconds: u32,
    /// Largest accepted file, in bytes.
    pub max_upload_bytes: u64,
}

impl UploadLimits {
    /// # Errors
    /// `max-duration-out-of-range` (1 s – 1 h), `duration-tolerance-out-of-range` (0–60 s),
    /// `max-upload-bytes-out-of-range` (1 MB – 20 GB).
    pub fn parse(
        max_duration_seconds: u32,
        duration_tolerance_seconds: u32,
        max_upload_bytes: u64,
    ) -> Result<Self, ValidationError> {
        if !(1..=3600).contains(&max_duration_seconds) {
            return Err(ValidationError::new(
                ErrorCode::MaxDurationOutOfRange,
                "the maximum duration must be 1 to 3600 seconds",
            ));
        }
        if duration_tolerance_seconds > 60 {
            return Err(ValidationError::new(
                ErrorCode::DurationToleranceOutOfRange,
                "the duration tolerance must be 0 to 60 seconds",
            ));
        }
        if !(1_000_000..=20_000_000_000).contains(&max_upload_bytes) {
            return Err(ValidationError::new(
                ErrorCode::MaxUploadBytesOutOfRange,
                "the maximum upload size must be 1 MB to 20 GB",
            ));
        }
        Ok(Self {
            max_duration_seconds,
            duration_tolerance_seconds,
            max_upload_bytes,
        })
    }
}

/// Parses a ranking method name (`mean`, `median`, `zscore`, `rank_sum`) an admin gives.
///
/// # Errors
/// `ranking-method-unknown` for any other name.
pub fn parse_ranking_method(raw: &str) -> Result<crate::judging::Method, ValidationError> {
    raw.parse::<crate::judging::Method>().map_err(|_| {
        ValidationError::new(
            ErrorCode::RankingMethodUnknown,
            format!("unknown ranking method '{raw}' (use mean, median, zscore or rank_sum)"),
        )
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use ContestStatus::*;

    #[test]
    fn every_forward_step_is_allowed_without_reason() {
        for pair in ContestStatus::ALL.windows(2) {
            assert_eq!(pair[0].transition(pair[1], None), Ok(pair[1]));
        }
    }

    #[test]
    fn backward_step_needs_a_reason() {
        assert_eq!(
            Judging.transition(Open, None),
            Err(TransitionError::ReasonRequired {
                from: Judging,
                to: Open
            })
        );
        assert_eq!(
            Judging.transition(Open, Some("  ")).unwrap_err().code(),
            "transition-reason-required"
        );
        assert_eq!(
            Published.transition(Closed, Some("typo in a name")),
            Ok(Closed)
        );
    }

    #[test]
    fn skipping_steps_is_refused_both_ways() {
        assert_eq!(
            Draft.transition(Judging, None).unwrap_err().code(),
            "illegal-transition"
        );
        assert_eq!(
            Published.transition(Open, Some("why")).unwrap_err().code(),
            "illegal-transition"
        );
        assert_eq!(
            Open.transition(Open, None).unwrap_err().code(),
            "transition-unchanged"
        );
    }

    #[test]
    fn status_names_round_trip() {
        for s in ContestStatus::ALL {
            assert_eq!(ContestStatus::parse(s.as_str()).unwrap(), s);
        }
        assert!(ContestStatus::parse("archived").is_err());
    }

    #[test]
    fn title_is_trimmed_and_bounded() {
        assert_eq!(
            ContestTitle::parse("  Gender & ICT  ").unwrap().as_str(),
            "Gender & ICT"
        );
        assert_eq!(
            ContestTitle::parse(" ").unwrap_err().code,
            "contest-title-empty"
        );
        assert_eq!(
            ContestTitle::parse(&"x".repeat(121)).unwrap_err().code,
            "contest-title-too-long"
        );
    }

    #[test]
    fn slug_keeps_ascii_words_and_falls_back_for_khmer() {
        assert_eq!(
            ContestTitle::parse("Use ICT: Gender Equality!")
                .unwrap()
                .slug_base(),
            "use-ict-gender-equality"
        );
        assert_eq!(
            ContestTitle::parse("សមភាពយេនឌ័រ").unwrap().slug_base(),
            "contest"
        );
    }

    #[test]
    fn key_messages_refuse_duplicates_and_empties() {
        let ok = KeyMessages::parse(&["A".into(), " B ".into()]).unwrap();
        assert_eq!(ok.as_slice(), ["A", "B"]);
        assert_eq!(
            KeyMessages::parse(&["A".into(), "A ".into()])
                .unwrap_err()
                .code,
            "key-message-duplicate"
        );
        assert_eq!(
            KeyMessages::parse(&["".into()]).unwrap_err().code,
            "key-message-empty"
        );
    }

    #[test]
    fn limits_are_range_checked() {
        assert!(UploadLimits::parse(60, 5, 500_000_000).is_ok());
        assert_eq!(
            UploadLimits::parse(0, 5, 500_000_000).unwrap_err().code,
            "max-duration-out-of-range"
        );
        assert_eq!(
            UploadLimits::parse(60, 61, 500_000_000).unwrap_err().code,
            "duration-tolerance-out-of-range"
        );
        assert_eq!(
            UploadLimits::parse(60, 5, 10).unwrap_err().code,
            "max-upload-bytes-out-of-range"
        );
    }
}
