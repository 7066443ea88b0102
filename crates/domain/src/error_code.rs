//! Every error code clipjury answers with: one enum, so a code is written once, the OpenAPI document lists them all,
//! and the web app's dictionaries must translate each (a missing one fails the web build).

/// A stable, kebab-case error code (`contest-not-found`); its text for people is the web app's business.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    serde::Serialize,
    serde::Deserialize,
    strum::IntoStaticStr,
    strum::Display,
    strum::EnumString,
    strum::VariantArray,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum ErrorCode {
    AdminNotFound,
    AudienceTooLong,
    BodyTooLarge,
    ChecksumAlgorithmUnsupported,
    ChecksumInvalid,
    ChecksumMismatch,
    ConsentPhotoMissing,
    ConsentPhotoNotAnImage,
    ConsentPhotoTooLarge,
    ConsentRequired,
    ContestLocked,
    ContestNotClosed,
    ContestNotFound,
    ContestNotPublished,
    ContestTitleEmpty,
    ContestTitleTooLong,
    CriterionDuplicate,
    CriterionKeyInvalid,
    CriterionTextInvalid,
    CriterionUnknown,
    CriterionWeightNotPositive,
    CrossSiteRequest,
    DeadlinesOutOfOrder,
    DeferredLengthUnsupported,
    DescriptionTooLong,
    DurationToleranceOutOfRange,
    EmailInvalid,
    EmailTaken,
    EntryDuplicate,
    EntryNotFound,
    EntryUnknown,
    FollowUpGroupsRequired,
    ForbiddenRole,
    FormFieldsTooLarge,
    GroupNotInContest,
    HonourableMentionInvalid,
    IllegalTransition,
    InternalError,
    InvalidBody,
    InvalidHeader,
    InvalidMetadata,
    InvalidMultipart,
    InvalidQuery,
    InviteExpired,
    InviteInvalid,
    InviteRevoked,
    JudgingDeadlinePassed,
    JudgingNotOpen,
    JurorDuplicate,
    JurorNotFound,
    JurorUnknown,
    KeyMessageDuplicate,
    KeyMessageEmpty,
    KeyMessageTooLong,
    KeyMessagesTooMany,
    LabelEmpty,
    LoginFailed,
    MaxDurationOutOfRange,
    MaxUploadBytesOutOfRange,
    MethodNotAllowed,
    MetricsForbidden,
    NoEntries,
    NoJurors,
    NotAGroup,
    NotANumber,
    NotFound,
    OffsetMismatch,
    OriginalDeleted,
    ParticipantNameEmpty,
    ParticipantNameTaken,
    ParticipantNameTooLong,
    ParticipantNotFound,
    PasswordTooLong,
    PasswordTooShort,
    PhotoFieldMissing,
    PurposeTooLong,
    QuotaExceeded,
    RankingMethodUnknown,
    RateLimited,
    ReasonRequired,
    ResultsNotConfirmed,
    ResultsNotPublished,
    ResultsUnavailable,
    RouteNotFound,
    RubricEmpty,
    RubricInvalid,
    RubricTooLarge,
    ScaleMinNotBelowMax,
    ScaleStepMismatch,
    ScaleStepNotPositive,
    ScoreFinal,
    ScoreMissing,
    ScoreNotFinal,
    ScoreOffStep,
    ScoreOutOfRange,
    ScoreRecused,
    ScoreSheetInvalid,
    ScoresIncomplete,
    SessionExpired,
    SessionInvalid,
    SessionRevoked,
    SetupDone,
    SetupTokenInvalid,
    SignInRequired,
    StaleVersion,
    SubmissionMissing,
    SubmissionNotFound,
    SubmissionTitleEmpty,
    SubmissionTitleTooLong,
    TextTooLong,
    TieBreakDuplicate,
    TieBreakUnknown,
    TieDecisionMismatch,
    TieDecisionNotATie,
    TieDecisionReasonEmpty,
    TieRuleInvalid,
    TransitionReasonRequired,
    TransitionUnchanged,
    TusVersionUnsupported,
    UnknownContestStatus,
    UnknownLocale,
    UnknownParticipantRole,
    UnresolvedTop3Tie,
    UnsupportedMediaType,
    UploadComplete,
    UploadEmpty,
    UploadExceedsLength,
    UploadExpired,
    UploadInterrupted,
    UploadLengthRequired,
    UploadLocked,
    UploadNotFound,
    UploadOffsetRequired,
    UploadTooFragmented,
    UploadTooLarge,
    UploadsClosed,
    VideoFieldMissing,
    VideoFileNotFound,
    VideoNotFound,
    VideoNotLate,
}

impl ErrorCode {
    /// Every code, in alphabetical order.
    pub const ALL: &'static [ErrorCode] = <Self as strum::VariantArray>::VARIANTS;

    /// The code as it goes over the wire.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// Tests and callers that hold a code read from the wire compare it directly.
impl PartialEq<&str> for ErrorCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<ErrorCode> for &str {
    fn eq(&self, other: &ErrorCode) -> bool {
        *self == other.as_str()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_kebab_case_unique_and_sorted() {
        let names: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(names, sorted);
        for n in &names {
            assert!(
                n.split('-').all(|w| !w.is_empty()
                    && w.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())),
                "{n}"
            );
        }
    }

    #[test]
    #[allow(clippy::unwrap_used)]
    fn serde_and_display_agree_with_as_str() {
        for code in ErrorCode::ALL {
            assert_eq!(
                serde_json::to_value(code).unwrap(),
                serde_json::json!(code.as_str())
            );
            assert_eq!(code.to_string(), code.as_str());
            assert_eq!(code.as_str().parse::<ErrorCode>().unwrap(), *code);
        }
    }
}
