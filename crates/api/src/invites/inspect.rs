use actix_web::{post, web};
use clipjury_service::{Services, participants};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::redeem::RedeemRequest;
use crate::error::{ApiError, ErrorBody};
use crate::participants::RoleDto;

/// Who an invite is for. Nothing is signed in.
#[derive(Debug, Serialize, ToSchema)]
pub struct InviteInfoResponse {
    pub role: RoleDto,
    pub participant_id: Uuid,
    pub name: String,
    pub contest_id: Uuid,
    pub contest_title: String,
    pub default_locale: String,
}

/// Look at an invite without redeeming it: the invite page shows who it is for and redeems only when the person
/// presses "join", so a link sent by someone else cannot silently replace the browser's session.
#[utoipa::path(
    tag = "invites",
    request_body = RedeemRequest,
    responses(
        (status = 200, body = InviteInfoResponse),
        (status = 404, body = ErrorBody, description = "`invite-invalid` (unknown or revoked)"),
        (status = 410, body = ErrorBody, description = "`invite-expired`"),
    )
)]
#[post("/api/invites/inspect")]
#[tracing::instrument(skip_all)]
pub async fn inspect_invite(
    services: web::Data<Services>,
    body: web::Json<RedeemRequest>,
) -> Result<web::Json<InviteInfoResponse>, ApiError> {
    let i = participants::inspect_invite(&services, body.token.trim()).await?;
    Ok(web::Json(InviteInfoResponse {
        role: RoleDto::from(i.role),
        participant_id: i.participant_id,
        name: i.name,
        contest_id: i.contest_id,
        contest_title: i.contest_title,
        default_locale: i.default_locale,
    }))
}
