use actix_web::{get, web};
use clipjury_service::{Services, participants};
use uuid::Uuid;

use super::dto::{ParticipantDto, ParticipantFilter};
use crate::auth::Admin;
use crate::error::{ApiError, ErrorBody};

/// Groups and jurors of a contest with their invite links.
#[utoipa::path(
    tag = "participants",
    params(("contest_id" = Uuid, Path), ParticipantFilter),
    responses((status = 200, body = Vec<ParticipantDto>), (status = 404, body = ErrorBody))
)]
#[get("/api/contests/{contest_id}/participants")]
pub async fn list_participants(
    admin: Admin,
    services: web::Data<Services>,
    path: web::Path<Uuid>,
    filter: web::Query<ParticipantFilter>,
) -> Result<web::Json<Vec<ParticipantDto>>, ApiError> {
    let list = participants::list_participants(
        &services,
        &admin.0,
        path.into_inner(),
        filter.role.map(Into::into),
    )
    .await?;
    Ok(web::Json(
        list.into_iter().map(ParticipantDto::from).collect(),
    ))
}
