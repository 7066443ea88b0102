use actix_web::{get, web};
use clipjury_service::{Services, judging};
use uuid::Uuid;

use super::dto::EntryDetailDto;
use crate::auth::Juror;
use crate::error::{ApiError, ErrorBody};

/// One entry with the calling juror's own score card.
#[utoipa::path(
    tag = "judging",
    params(("contest_id" = Uuid, Path), ("entry_id" = Uuid, Path)),
    responses(
        (status = 200, body = EntryDetailDto),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "`judging-not-open`"),
    )
)]
#[get("/api/contests/{contest_id}/entries/{entry_id}")]
#[tracing::instrument(skip_all, fields(contest_id = %path.0, entry_id = %path.1))]
pub async fn get_entry(
    juror: Juror,
    services: web::Data<Services>,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<web::Json<EntryDetailDto>, ApiError> {
    let (contest_id, entry_id) = path.into_inner();
    let d = judging::entry_detail(&services, &juror.0, contest_id, entry_id).await?;
    Ok(web::Json(d))
}
