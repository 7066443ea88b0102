use actix_web::{patch, web};
use clipjury_service::{Services, participants};
use uuid::Uuid;

use super::dto::{ParticipantDto, RenameParticipantRequest};
use crate::auth::Admin;
use crate::error::{ApiError, ErrorBody};

/// Rename a group or juror.
#[utoipa::path(
    tag = "participants",
    params(("contest_id" = Uuid, Path), ("participant_id" = Uuid, Path)),
    request_body = RenameParticipantRequest,
    responses((status = 200, body = ParticipantDto), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody))
)]
#[patch("/api/contests/{contest_id}/participants/{participant_id}")]
pub async fn rename_participant(
    admin: Admin,
    services: web::Data<Services>,
    path: web::Path<(Uuid, Uuid)>,
    body: web::Json<RenameParticipantRequest>,
) -> Result<web::Json<ParticipantDto>, ApiError> {
    let (contest_id, participant_id) = path.into_inner();
    let p = participants::rename_participant(
        &services,
        &admin.0,
        contest_id,
        participant_id,
        &body.name,
    )
    .await?;
    Ok(web::Json(p.into()))
}
