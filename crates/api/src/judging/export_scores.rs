use actix_web::http::header;
use actix_web::{HttpResponse, get, web};
use clipjury_service::{Services, judging};
use uuid::Uuid;

use crate::auth::Admin;
use crate::error::{ApiError, ErrorBody};

/// Every juror × entry score card as CSV: `juror,entry,title,status,<criteria…>,total,private_comment,feedback`.
#[utoipa::path(
    tag = "judging",
    params(("contest_id" = Uuid, Path)),
    responses(
        (status = 200, content_type = "text/csv", body = String),
        (status = 404, body = ErrorBody),
    )
)]
#[get("/api/contests/{contest_id}/scores.csv")]
#[tracing::instrument(skip_all, fields(contest_id = %path))]
pub async fn export_scores(
    admin: Admin,
    services: web::Data<Services>,
    path: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let csv = judging::export_scores(&services, &admin.0, path.into_inner()).await?;
    Ok(csv_response(csv, "scores.csv"))
}

pub(crate) fn csv_response(csv: String, filename: &str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{filename}\""),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(csv)
}
