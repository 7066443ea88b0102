use actix_web::{HttpResponse, post, web};
use clipjury_service::{Services, auth};

use super::session::{CookieSecure, MaybeSession, cleared_cookie};
use crate::error::{ApiError, ErrorBody};

/// Sign out: clears the session cookie. For an admin every session of the account ends, cookie or Bearer token,
/// on this and every other device; a group's or juror's logout clears this browser's cookie only (their invite
/// link is shared by the whole group).
#[utoipa::path(
    tag = "auth",
    responses((status = 204), (status = 500, body = ErrorBody))
)]
#[post("/api/auth/logout")]
#[tracing::instrument(skip_all)]
pub async fn logout(
    services: web::Data<Services>,
    secure: web::Data<CookieSecure>,
    // An expired or revoked session still gets its cookie cleared.
    session: Option<MaybeSession>,
) -> Result<HttpResponse, ApiError> {
    auth::logout(&services, session.and_then(|s| s.0).as_ref()).await?;
    Ok(HttpResponse::NoContent()
        .cookie(cleared_cookie(**secure))
        .finish())
}
