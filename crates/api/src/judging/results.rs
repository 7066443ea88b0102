use actix_web::{get, web};
use clipjury_service::{Services, judging};
use uuid::Uuid;

use super::dto::ResultsDto;
use crate::auth::Admin;
use crate::error::{ApiError, ErrorBody};

/// The ranking from the final scores so far: the contest's method and the others side by side, places, ties,
/// statistics and flags.
#[utoipa::path(
    tag = "judging",
    params(("contest_id" = Uuid, Path)),
    responses(
        (status = 200, body = ResultsDto),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "`results-unavailable` without jurors or entries"),
    )
)]
#[get("/api/contests/{contest_id}/results")]
#[tracing::instrument(skip_all, fields(contest_id = %path))]
pub async fn results(
    admin: Admin,
    services: web::Data<Services>,
    path: web::Path<Uuid>,
) -> Result<web::Json<ResultsDto>, ApiError> {
    let r = judging::results(&services, &admin.0, path.into_inner()).await?;
    Ok(web::Json(r.into()))
}
