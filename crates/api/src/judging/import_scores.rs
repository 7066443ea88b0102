use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, post, web};
use clipjury_domain::error_code::ErrorCode;
use clipjury_service::{Services, judging};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::Admin;
use crate::error::{ApiError, ErrorBody};

/// What an import wrote.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportSummaryDto {
    pub final_cards: usize,
    pub recusals: usize,
}

/// Import paper score sheets (CSV in the export's format: `juror,entry,<criterion keys…>`, optional `status`,
/// `private_comment`, `feedback`) into a contest that is judging. All or nothing; errors are listed per line.
#[utoipa::path(
    tag = "judging",
    params(("contest_id" = Uuid, Path)),
    request_body(content = String, content_type = "text/csv"),
    responses(
        (status = 200, body = ImportSummaryDto),
        (status = 400, body = ErrorBody, description = "`score-sheet-invalid`, with one line per error in the message"),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "`judging-not-open`"),
        (status = 415, body = ErrorBody, description = "`unsupported-media-type`: send `Content-Type: text/csv`"),
    )
)]
#[post("/api/contests/{contest_id}/scores/import")]
#[tracing::instrument(skip_all, fields(contest_id = %path))]
pub async fn import_scores(
    req: HttpRequest,
    admin: Admin,
    services: web::Data<Services>,
    path: web::Path<Uuid>,
    body: String,
) -> Result<web::Json<ImportSummaryDto>, ApiError> {
    let csv = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|m| m.trim().eq_ignore_ascii_case("text/csv"));
    if !csv {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::UnsupportedMediaType,
            "send the score sheet as text/csv",
        ));
    }
    let s = judging::import_scores(&services, &admin.0, path.into_inner(), &body).await?;
    Ok(web::Json(ImportSummaryDto {
        final_cards: s.final_cards,
        recusals: s.recusals,
    }))
}
