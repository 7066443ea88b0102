use actix_web::{HttpResponse, post, web};
use clipjury_service::{Services, auth};

use super::dto::{SessionResponse, SetupRequest};
use super::session::{CookieSecure, session_cookie};
use crate::error::{ApiError, ErrorBody};

/// Create the first admin with the one-time set-up token that `clipjury serve` printed, and sign in.
#[utoipa::path(
    tag = "auth",
    request_body = SetupRequest,
    responses(
        (status = 201, body = SessionResponse),
        (status = 400, body = ErrorBody, description = "bad e-mail or password"),
        (status = 403, body = ErrorBody, description = "`setup-token-invalid`"),
        (status = 409, body = ErrorBody, description = "`setup-done`"),
    )
)]
#[post("/api/auth/setup")]
#[tracing::instrument(skip_all)]
pub async fn setup(
    services: web::Data<Services>,
    secure: web::Data<CookieSecure>,
    body: web::Json<SetupRequest>,
) -> Result<HttpResponse, ApiError> {
    let SetupRequest {
        token,
        email,
        password,
    } = body.into_inner();
    let issued = auth::setup_first_admin(&services, &token, &email, password).await?;
    let mut body = SessionResponse::of(&issued.session);
    body.token = Some(issued.token.clone());
    body.expires_at = Some(issued.expires_at);
    Ok(HttpResponse::Created()
        .cookie(session_cookie(&issued, **secure))
        .json(body))
}
