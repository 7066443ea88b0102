use actix_web::{HttpResponse, get, web};
use clipjury_service::{Services, judging};
use uuid::Uuid;

use super::export_scores::csv_response;
use crate::auth::Admin;
use crate::error::{ApiError, ErrorBody};

/// The ranking as CSV, in place order: `place,entry,title,value_<method>,tied,decided_by,jurors_scored,jurors_recused,
/// mean,median,spread,flags`.
#[utoipa::path(
    tag = "judging",
    params(("contest_id" = Uuid, Path)),
    responses(
        (status = 200, content_type = "text/csv", body = String),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "`results-unavailable`"),
    )
)]
#[get("/api/contests/{contest_id}/results.csv")]
#[tracing::instrument(skip_all, fields(contest_id = %path))]
pub async fn export_results(
    admin: Admin,
    services: web::Data<Services>,
    path: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let csv = judging::export_results(&services, &admin.0, path.into_inner()).await?;
    Ok(csv_response(csv, "results.csv"))
}
