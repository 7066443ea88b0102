use actix_web::{HttpRequest, HttpResponse, post, web};
use clipjury_service::{Services, auth};

use super::dto::{LoginRequest, SessionResponse};
use super::session::{CookieSecure, session_cookie};
use crate::error::{ApiError, ErrorBody};

/// Sign an admin in. Sets the session cookie and returns the token for scripts.
#[utoipa::path(
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, body = SessionResponse),
        (status = 401, body = ErrorBody, description = "`login-failed`"),
        (status = 429, body = ErrorBody, description = "`rate-limited`; see Retry-After"),
    )
)]
#[post("/api/auth/login")]
#[tracing::instrument(skip_all)]
pub async fn login(
    req: HttpRequest,
    services: web::Data<Services>,
    secure: web::Data<CookieSecure>,
    body: web::Json<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let ip =
        crate::security::client_ip(&req).map_or_else(|| "unknown".to_owned(), |a| a.to_string());
    let LoginRequest { email, password } = body.into_inner();
    let issued = auth::login(&services, &ip, &email, password).await?;
    let mut body = SessionResponse::of(&issued.session);
    body.token = Some(issued.token.clone());
    body.expires_at = Some(issued.expires_at);
    Ok(HttpResponse::Ok()
        .cookie(session_cookie(&issued, **secure))
        .json(body))
}
