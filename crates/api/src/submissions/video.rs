use actix_web::http::StatusCode;
use actix_web::{HttpRequest, post, web};
use clipjury_domain::error_code::ErrorCode;
use clipjury_service::{Services, uploads};
use uuid::Uuid;

use super::dto::SubmissionDto;
use crate::auth::GroupMember;
use crate::error::{ApiError, ErrorBody};
use crate::multipart::{self, Form};

/// Upload a whole video in one `multipart/form-data` request (field `video`): the fallback for small files and
/// scripts. Same limits and result as a resumable upload; an interrupted request keeps nothing.
#[utoipa::path(
    tag = "submissions",
    params(("contest_id" = Uuid, Path)),
    request_body(content_type = "multipart/form-data", content = Vec<u8>, description = "field `video`: the file"),
    responses(
        (status = 200, body = SubmissionDto),
        (status = 400, body = ErrorBody, description = "`invalid-multipart`, `video-field-missing`, `upload-empty`"),
        (status = 403, body = ErrorBody, description = "`uploads-closed`"),
        (status = 409, body = ErrorBody, description = "`submission-missing`, `upload-interrupted`"),
        (status = 413, body = ErrorBody, description = "`upload-too-large`, `form-fields-too-large`"),
    )
)]
#[post("/api/contests/{contest_id}/submission/video")]
#[tracing::instrument(skip_all)]
pub async fn upload_video(
    req: HttpRequest,
    group: GroupMember,
    services: web::Data<Services>,
    path: web::Path<Uuid>,
    body: web::Payload,
) -> Result<web::Json<SubmissionDto>, ApiError> {
    let contest_id = path.into_inner();
    multipart::check_content_type(&req)?;
    // Refuse an obviously oversized request before reading it.
    let declared = req
        .headers()
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let limit = clipjury_service::contests::upload_limit(&services, contest_id).await?;
    if declared.is_some_and(|d| d > limit + 1024 * 1024) {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::UploadTooLarge,
            format!("this contest accepts at most {} MB", limit / 1_000_000),
        ));
    }
    let mut form = Form::new(req.headers(), body);
    while let Some(part) = form.next_part().await? {
        if part.name != "video" {
            continue;
        }
        let saved = uploads::upload_whole(
            &services,
            &group.0,
            contest_id,
            part.filename,
            part.content_type,
            declared,
            form.part_body(),
        )
        .await?;
        return Ok(web::Json(saved));
    }
    Err(ApiError::new(
        StatusCode::BAD_REQUEST,
        ErrorCode::VideoFieldMissing,
        "send the file in a form field named 'video'",
    ))
}
