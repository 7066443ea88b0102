use actix_web::{put, web};
use clipjury_domain::judging::Rubric;
use clipjury_service::{Services, judging};
use uuid::Uuid;

use super::rubric_dto::RubricDto;
use crate::auth::Admin;
use crate::contests::ContestDto;
use crate::error::{ApiError, ErrorBody};

/// Replace the contest's rubric (until judging opens).
#[utoipa::path(
    tag = "judging",
    params(("contest_id" = Uuid, Path)),
    request_body = RubricDto,
    responses(
        (status = 200, body = ContestDto),
        (status = 400, body = ErrorBody, description = "`rubric-invalid`, `invalid-body`"),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "`contest-locked`"),
    )
)]
#[put("/api/contests/{contest_id}/rubric")]
#[tracing::instrument(skip_all, fields(contest_id = %path))]
pub async fn set_rubric(
    admin: Admin,
    services: web::Data<Services>,
    path: web::Path<Uuid>,
    body: web::Json<RubricDto>,
) -> Result<web::Json<ContestDto>, ApiError> {
    let rubric = Rubric::try_from(body.into_inner()).map_err(|e| judging::rubric_invalid(&e))?;
    let c = judging::set_rubric(&services, &admin.0, path.into_inner(), rubric).await?;
    Ok(web::Json(c))
}
