use actix_web::{get, web};
use clipjury_service::{Services, judging};

use super::dto::PublicResultsDto;
use crate::error::{ApiError, ErrorBody};

/// The winners of a published contest; anyone may read it.
#[utoipa::path(
    tag = "judging",
    params(("slug" = String, Path)),
    responses((status = 200, body = PublicResultsDto), (status = 404, body = ErrorBody, description = "unknown or not published"))
)]
#[get("/api/public/contests/{slug}/results")]
#[tracing::instrument(skip_all)]
pub async fn public_results(
    services: web::Data<Services>,
    path: web::Path<String>,
) -> Result<web::Json<PublicResultsDto>, ApiError> {
    let r = judging::public_results(&services, &path.into_inner()).await?;
    Ok(web::Json(r.into()))
}
