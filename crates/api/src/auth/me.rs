use actix_web::{get, web};

use super::dto::SessionResponse;
use super::session::AnySession;
use crate::error::{ApiError, ErrorBody};

/// The current session.
#[utoipa::path(tag = "auth", responses((status = 200, body = SessionResponse), (status = 401, body = ErrorBody)))]
#[get("/api/auth/me")]
pub async fn me(session: AnySession) -> Result<web::Json<SessionResponse>, ApiError> {
    Ok(web::Json(SessionResponse::of(&session.0)))
}
