use actix_web::{HttpResponse, post, web};

use super::session::{CookieSecure, cleared_cookie};

/// Sign out: clears the session cookie. Tokens are short-lived; a Bearer token simply expires.
#[utoipa::path(tag = "auth", responses((status = 204)))]
#[post("/api/auth/logout")]
pub async fn logout(secure: web::Data<CookieSecure>) -> HttpResponse {
    HttpResponse::NoContent()
        .cookie(cleared_cookie(**secure))
        .finish()
}
