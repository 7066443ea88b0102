use actix_web::{HttpResponse, post, web};
use clipjury_service::{Services, participants};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::{CookieSecure, session_cookie};
use crate::error::{ApiError, ErrorBody};
use crate::participants::RoleDto;

/// The token from an invite link (`/i/{token}`).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RedeemRequest {
    pub token: String,
}

/// Who the invite was for; the session cookie is set.
#[derive(Debug, Serialize, ToSchema)]
pub struct RedeemResponse {
    pub role: RoleDto,
    pub participant_id: Uuid,
    pub name: String,
    pub contest_id: Uuid,
    pub contest_title: String,
    pub default_locale: String,
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

/// Redeem an invite: sets a session cookie scoped to the invite's contest and role.
#[utoipa::path(
    tag = "invites",
    request_body = RedeemRequest,
    responses(
        (status = 200, body = RedeemResponse),
        (status = 404, body = ErrorBody, description = "`invite-invalid` (unknown or revoked)"),
        (status = 410, body = ErrorBody, description = "`invite-expired`"),
    )
)]
#[post("/api/invites/redeem")]
#[tracing::instrument(skip_all)]
pub async fn redeem_invite(
    services: web::Data<Services>,
    secure: web::Data<CookieSecure>,
    body: web::Json<RedeemRequest>,
) -> Result<HttpResponse, ApiError> {
    let r = participants::redeem_invite(&services, body.token.trim()).await?;
    let cookie = session_cookie(&r.session, **secure);
    Ok(HttpResponse::Ok().cookie(cookie).json(RedeemResponse {
        role: RoleDto::from(r.role),
        participant_id: r.participant_id,
        name: r.name,
        contest_id: r.contest_id,
        contest_title: r.contest_title,
        default_locale: r.default_locale,
        expires_at: r.session.expires_at,
    }))
}
