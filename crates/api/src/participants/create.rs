use actix_web::{HttpResponse, post, web};
use clipjury_service::{Services, participants};
use uuid::Uuid;

use super::dto::{CreateParticipantRequest, ParticipantDto};
use crate::auth::Admin;
use crate::error::{ApiError, ErrorBody};

/// Add a group or juror; the response carries its invite link.
#[utoipa::path(
    tag = "participants",
    params(("contest_id" = Uuid, Path)),
    request_body = CreateParticipantRequest,
    responses(
        (status = 201, body = ParticipantDto),
        (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "`participant-name-taken`"),
    )
)]
#[post("/api/contests/{contest_id}/participants")]
pub async fn add_participant(
    admin: Admin,
    services: web::Data<Services>,
    path: web::Path<Uuid>,
    body: web::Json<CreateParticipantRequest>,
) -> Result<HttpResponse, ApiError> {
    let CreateParticipantRequest { role, name } = body.into_inner();
    let p =
        participants::add_participant(&services, &admin.0, path.into_inner(), role.into(), &name)
            .await?;
    Ok(HttpResponse::Created().json(ParticipantDto::from(p)))
}
