use actix_web::{get, web};
use clipjury_service::{Services, judging};
use uuid::Uuid;

use super::dto::ProgressViewDto;
use crate::auth::Admin;
use crate::error::{ApiError, ErrorBody};

/// Judging progress: every juror × entry status.
#[utoipa::path(
    tag = "judging",
    params(("contest_id" = Uuid, Path)),
    responses((status = 200, body = ProgressViewDto), (status = 404, body = ErrorBody))
)]
#[get("/api/contests/{contest_id}/judging/progress")]
#[tracing::instrument(skip_all, fields(contest_id = %path))]
pub async fn judging_progress(
    admin: Admin,
    services: web::Data<Services>,
    path: web::Path<Uuid>,
) -> Result<web::Json<ProgressViewDto>, ApiError> {
    let p = judging::judging_progress(&services, &admin.0, path.into_inner()).await?;
    Ok(web::Json(p))
}
