use actix_web::{patch, web};
use clipjury_service::{Services, contests};
use uuid::Uuid;

use super::dto::{ContestDto, UpdateContestRequest};
use crate::auth::Admin;
use crate::error::{ApiError, ErrorBody};

/// Change a contest's settings.
#[utoipa::path(
    tag = "contests",
    params(("contest_id" = Uuid, Path)),
    request_body = UpdateContestRequest,
    responses(
        (status = 200, body = ContestDto),
        (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "`contest-locked`"),
    )
)]
#[patch("/api/contests/{contest_id}")]
#[tracing::instrument(skip_all, fields(contest_id = %path))]
pub async fn update_contest(
    admin: Admin,
    services: web::Data<Services>,
    path: web::Path<Uuid>,
    body: web::Json<UpdateContestRequest>,
) -> Result<web::Json<ContestDto>, ApiError> {
    let updated =
        contests::update_contest(&services, &admin.0, path.into_inner(), body.into_inner()).await?;
    Ok(web::Json(updated))
}
