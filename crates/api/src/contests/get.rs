use actix_web::{get, web};
use clipjury_service::{Services, contests};
use uuid::Uuid;

use super::dto::ContestResponse;
use crate::auth::AnySession;
use crate::error::{ApiError, ErrorBody};

/// One contest: the full settings for its admin, the brief and rules for its groups and jurors.
#[utoipa::path(
    tag = "contests",
    params(("contest_id" = Uuid, Path)),
    responses((status = 200, body = ContestResponse), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody))
)]
#[get("/api/contests/{contest_id}")]
#[tracing::instrument(skip_all, fields(contest_id = %path))]
pub async fn get_contest(
    session: AnySession,
    services: web::Data<Services>,
    path: web::Path<Uuid>,
) -> Result<web::Json<ContestResponse>, ApiError> {
    let view = contests::get_contest(&services, &session.0, path.into_inner()).await?;
    Ok(web::Json(view))
}
