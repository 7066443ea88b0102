use chrono::{DateTime, Utc};
use clipjury_service::auth::Session;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// Admin login.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

/// First admin set-up with the one-time token printed at start.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetupRequest {
    pub token: String,
    pub email: String,
    pub password: String,
}

/// The current session. The token is also set as an HttpOnly cookie; scripts may send it as `Authorization: Bearer`.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionResponse {
    /// `admin`, `juror` or `group`.
    pub role: String,
    /// Admin id or participant id.
    pub subject_id: Uuid,
    /// The contest of a juror or group session.
    pub contest_id: Option<Uuid>,
    /// Present only right after login, for scripts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<DateTime<Utc>>,
}

impl SessionResponse {
    pub(crate) fn of(session: &Session) -> Self {
        Self {
            role: session.role().as_str().to_owned(),
            subject_id: session.subject(),
            contest_id: session.contest_id(),
            token: None,
            expires_at: None,
        }
    }
}
