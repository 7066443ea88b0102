/// What the use cases need from configuration; the binary fills it from its settings.
#[derive(Debug, Clone)]
pub struct ServiceConfig {
    /// Base URL people open, used in invite links and QR codes, e.g. `https://clipjury.example.org`.
    pub public_url: String,
    /// Where the instance secret (session signing, invite sealing) comes from.
    pub secret: crate::auth::SecretSource,
    /// Lifetime of an admin session.
    pub admin_session_hours: u32,
    /// Lifetime of a group or juror session (they renew it by opening their invite link again).
    pub participant_session_hours: u32,
    /// How long a new invite link stays valid.
    pub invite_valid_days: u32,
    /// Login attempts allowed per minute, per client address and per account.
    pub login_attempts_per_minute: u32,
    /// Defaults for new contests.
    pub contest_defaults: ContestDefaults,
    /// Folder for media; readiness checks it is writable.
    pub media_dir: std::path::PathBuf,
    /// Resumable upload rules.
    pub uploads: UploadRules,
    /// Seconds a presigned storage URL for a video file stays valid; 0 serves files through the API instead.
    pub presign_seconds: u64,
    /// Delete a contest's uploaded originals once its results are published (renditions and posters stay).
    pub delete_originals_after_publish: bool,
}

/// How long partial uploads live and how much a group may store.
#[derive(Debug, Clone, Copy)]
pub struct UploadRules {
    /// An unfinished upload with no activity for this long is deleted.
    pub expiry_hours: u32,
    /// An upload started before the deadline may finish within this many minutes after it.
    pub deadline_grace_minutes: u32,
    /// Bytes one group may hold: unfinished uploads plus stored originals.
    pub group_quota_bytes: u64,
}

/// Values a new contest starts with.
#[derive(Debug, Clone, Copy)]
pub struct ContestDefaults {
    /// Longest video, seconds.
    pub max_duration_seconds: u32,
    /// Seconds tolerated beyond the maximum.
    pub duration_tolerance_seconds: u32,
    /// Largest upload, bytes.
    pub max_upload_bytes: u64,
}
