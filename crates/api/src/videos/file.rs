use actix_web::http::header::{
    Charset, ContentDisposition, DispositionParam, DispositionType, ExtendedValue,
};
use actix_web::http::{Method, StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use clipjury_service::{Services, media_files};
use futures_util::TryStreamExt as _;
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use super::range::{RangeAnswer, answer};
use crate::auth::MaybeSession;
use crate::error::{ApiError, ErrorBody};

/// Query of a video file request.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FileQuery {
    /// `1`: send `Content-Disposition: attachment` with a readable file name (`1-group-title.mp4` for the first
    /// place), for saving a winner's video and uploading it to YouTube or Facebook. Jurors get the title only; the
    /// place shows for the admin, or for anyone once the results are published.
    pub download: Option<u8>,
}

/// A rendition (`720p.mp4`, `360p.mp4`) or poster (`poster-{1280,640,320}.{jpg,webp}`) of a video. Supports
/// `Range` (206, 416) and `If-Range`; files never change, so the ETag is strong. With S3 storage and
/// `storage.presign_seconds` set, answers 302 to a presigned bucket URL instead.
#[utoipa::path(
    get,
    path = "/api/videos/{video_id}/{file}",
    tag = "videos",
    params(("video_id" = Uuid, Path), ("file" = String, Path), FileQuery, ("Range" = Option<String>, Header), ("If-Range" = Option<String>, Header)),
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
    query: web::Query<FileQuery>,
) -> Result<HttpResponse, ApiError> {
    let (video_id, name) = path.into_inner();
    let file = media_files::open_video_file(&services, session.0.as_ref(), video_id, &name).await?;
    let attachment = match query.download {
        Some(1) => {
            Some(media_files::download_name(&services, session.0.as_ref(), video_id, &name).await?)
        }
        _ => None,
    };
    // The bucket answers Range requests itself; the signed URL is as private as the session that got it.
    // Downloads stay here: only this answer can name the file (Content-Disposition).
    if attachment.is_none()
        && let Some(url) = media_files::presigned_url(&services, &file).await?
    {
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
    if let Some(filename) = attachment {
        res.insert_header(attachment_header(filename));
    }
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

/// `attachment` with the name; a non-ASCII name (Khmer group names) goes in `filename*` as UTF-8, with an ASCII
/// fallback in `filename` for old clients.
fn attachment_header(filename: String) -> ContentDisposition {
    let fallback: String = filename
        .chars()
        .map(|c| if c.is_ascii() { c } else { '_' })
        .collect();
    let mut parameters = Vec::new();
    if fallback != filename {
        parameters.push(DispositionParam::FilenameExt(ExtendedValue {
            charset: Charset::Ext("UTF-8".to_owned()),
            language_tag: None,
            value: filename.into_bytes(),
        }));
    }
    parameters.insert(0, DispositionParam::Filename(fallback));
    ContentDisposition {
        disposition: DispositionType::Attachment,
        parameters,
    }
}

#[cfg(test)]
mod tests {
    use super::attachment_header;

    #[test]
    fn khmer_names_travel_as_utf8_with_an_ascii_fallback() {
        let ascii = attachment_header("1-lotus-video.mp4".into()).to_string();
        assert_eq!(ascii, "attachment; filename=\"1-lotus-video.mp4\"");
        let khmer = attachment_header("1-ក្រុម-video.mp4".into()).to_string();
        assert!(khmer.starts_with("attachment; filename=\"1-"), "{khmer}");
        assert!(khmer.contains("filename*=UTF-8''1%2D%E1%9E%80"), "{khmer}");
    }
}
