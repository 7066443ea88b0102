use actix_web::{get, web};
use clipjury_service::{Services, judging};
use uuid::Uuid;

use super::dto::JurorEntriesDto;
use crate::auth::Juror;
use crate::error::{ApiError, ErrorBody};

/// The entries to judge, with the calling juror's own progress.
#[utoipa::path(
    tag = "judging",
    params(("contest_id" = Uuid, Path)),
    responses(
        (status = 200, body = JurorEntriesDto),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "`judging-not-open`"),
    )
)]
#[get("/api/contests/{contest_id}/entries")]
#[tracing::instrument(skip_all, fields(contest_id = %path))]
pub async fn list_entries(
    juror: Juror,
    services: web::Data<Services>,
    path: web::Path<Uuid>,
) -> Result<web::Json<JurorEntriesDto>, ApiError> {
    let list = judging::list_entries(&services, &juror.0, path.into_inner()).await?;
    Ok(web::Json(list))
}
