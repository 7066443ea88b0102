use actix_web::{HttpResponse, delete, post, web};
use clipjury_service::{Services, participants};
use uuid::Uuid;

use super::dto::ParticipantDto;
use crate::auth::Admin;
use crate::error::{ApiError, ErrorBody};

/// Issue a new invite link; the old link and the sessions opened with it stop working.
#[utoipa::path(
    tag = "participants",
    params(("contest_id" = Uuid, Path), ("participant_id" = Uuid, Path)),
    responses((status = 200, body = ParticipantDto), (status = 404, body = ErrorBody))
)]
#[post("/api/contests/{contest_id}/participants/{participant_id}/invite")]
pub async fn regenerate_invite(
    admin: Admin,
    services: web::Data<Services>,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<web::Json<ParticipantDto>, ApiError> {
    let (contest_id, participant_id) = path.into_inner();
    let p =
        participants::regenerate_invite(&services, &admin.0, contest_id, participant_id).await?;
    Ok(web::Json(p.into()))
}

/// Revoke the invite link and end the sessions opened with it.
#[utoipa::path(
    tag = "participants",
    params(("contest_id" = Uuid, Path), ("participant_id" = Uuid, Path)),
    responses((status = 204), (status = 404, body = ErrorBody))
)]
#[delete("/api/contests/{contest_id}/participants/{participant_id}/invite")]
pub async fn revoke_invite(
    admin: Admin,
    services: web::Data<Services>,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (contest_id, participant_id) = path.into_inner();
    participants::revoke_invite(&services, &admin.0, contest_id, participant_id).await?;
    Ok(HttpResponse::NoContent().finish())
}
