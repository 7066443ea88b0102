use actix_web::{HttpResponse, delete, web};
use clipjury_service::{Services, participants};
use uuid::Uuid;

use crate::auth::Admin;
use crate::error::{ApiError, ErrorBody};

/// Remove a group or juror (draft contests only; afterwards revoke the invite instead).
#[utoipa::path(
    tag = "participants",
    params(("contest_id" = Uuid, Path), ("participant_id" = Uuid, Path)),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "`contest-locked`"))
)]
#[delete("/api/contests/{contest_id}/participants/{participant_id}")]
pub async fn remove_participant(
    admin: Admin,
    services: web::Data<Services>,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (contest_id, participant_id) = path.into_inner();
    participants::remove_participant(&services, &admin.0, contest_id, participant_id).await?;
    Ok(HttpResponse::NoContent().finish())
}
