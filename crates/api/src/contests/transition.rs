use actix_web::{post, web};
use clipjury_service::{Services, contests};
use uuid::Uuid;

use super::dto::{ContestDto, TransitionRequest};
use crate::auth::Admin;
use crate::error::{ApiError, ErrorBody};

/// Move a contest one step forward (draft → open → judging → closed → published) or one step back with a reason.
#[utoipa::path(
    tag = "contests",
    params(("contest_id" = Uuid, Path)),
    request_body = TransitionRequest,
    responses(
        (status = 200, body = ContestDto),
        (status = 400, body = ErrorBody, description = "`transition-reason-required`"),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "`illegal-transition`, `transition-unchanged`; publishing: `unresolved-top3-tie`, `results-not-confirmed`, `results-unavailable`"),
    )
)]
#[post("/api/contests/{contest_id}/transitions")]
#[tracing::instrument(skip_all, fields(contest_id = %path))]
pub async fn transition_contest(
    admin: Admin,
    services: web::Data<Services>,
    path: web::Path<Uuid>,
    body: web::Json<TransitionRequest>,
) -> Result<web::Json<ContestDto>, ApiError> {
    let TransitionRequest { to, reason } = body.into_inner();
    let updated =
        contests::transition_contest(&services, &admin.0, path.into_inner(), to.into(), reason)
            .await?;
    Ok(web::Json(updated))
}
