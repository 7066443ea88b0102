use actix_web::http::{Method, StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use clipjury_service::{Services, media_files};
use futures_util::TryStreamExt as _;
use uuid::Uuid;

use super::range::{RangeAnswer, answer};
use crate::auth::MaybeSession;
use crate::error::{ApiError, ErrorBody};

/// A rendition (`720p.mp4`, `360p.mp4`) or poster (`poster-{1280,640,320}.{jpg,webp}`) of a video. Supports
/// `Range` (206, 416) and `If-Range`; files never change, so the ETag is strong. With S3 storage and
/// `storage.presign_seconds` set, answers 302 to a presigned bucket URL instead.
#[utoipa::path(
    get,
    path = "/api/videos/{video_id}/{file}",
    tag = "videos",
    params(("video_id" = Uuid, Path), ("file" = String, Path), ("Range" = Option<String>, Header), ("If-Range" = Option<String>, Header)),
    responses(
        (status = 200, description = "the whole file"),
        (status = 206, description = "the requested range; `Content-Range` says which"),
        (status = 302, description = "with S3 storage and presigned delivery on: the file's presigned URL in `Location`"),
        (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "no such file, or not visible to this session"),
        (status = 416, description = "range not satisfiable; `Content-Range: bytes */size`"),
    )
)]
pub async fn video_file(
    req: HttpRequest,
    session: MaybeSession,
    services: web::Data<Services>,
    path: web::Path<(Uuid, String)>,
) -> Result<HttpResponse, ApiError> {
    let (video_id, name) = path.into_inner();
    let file = media_files::open_video_file(&services, session.0.as_ref(), video_id, &name).await?;
    if let Some(url) = media_files::presigned_url(&services, &file).await? {
        // The bucket answers Range requests itself; the signed URL is as private as the session that got it.
        return Ok(HttpResponse::Found()
            .insert_header((header::LOCATION, url))
            .insert_header((header::CACHE_CONTROL, "private, no-store"))
            .finish());
    }
    let if_range_ok = req
        .headers()
        .get(header::IF_RANGE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|v| v == file.etag);
    let range_header = req
        .headers()
        .get(header::RANGE)
        .and_then(|v| v.to_str().ok())
        .filter(|_| if_range_ok);
    let mut res = HttpResponse::Ok();
    res.insert_header((header::CONTENT_TYPE, file.content_type))
        .insert_header((header::ACCEPT_RANGES, "bytes"))
        .insert_header((header::ETAG, file.etag.clone()))
        .insert_header((header::CACHE_CONTROL, "private, max-age=86400"));
    let range = match answer(range_header, file.size) {
        RangeAnswer::Full => 0..file.size,
        RangeAnswer::Partial(r) => {
            res.status(StatusCode::PARTIAL_CONTENT);
            res.insert_header((
                header::CONTENT_RANGE,
                format!("bytes {}-{}/{}", r.start, r.end - 1, file.size),
            ));
            r
        }
        RangeAnswer::Unsatisfiable => {
            return Ok(HttpResponse::RangeNotSatisfiable()
                .insert_header((header::CONTENT_RANGE, format!("bytes */{}", file.size)))
                .finish());
        }
    };
    let len = range.end - range.start;
    if req.method() == Method::HEAD || len == 0 {
        res.insert_header((header::CONTENT_LENGTH, len));
        return Ok(res.finish());
    }
    let body = services
        .storage()
        .read_range_stream(&file.key, range)
        .await
        .map_err(clipjury_service::ServiceError::from)?;
    let body = body.map_err(|e| {
        tracing::error!(error = ?e, "reading a video file failed mid-response");
        actix_web::error::ErrorInternalServerError("storage")
    });
    Ok(res.no_chunking(len).streaming(body))
}
