use actix_web::{post, web};
use clipjury_service::{Services, uploads};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::Admin;
use crate::error::{ApiError, ErrorBody};

/// What freeing a group's storage did.
#[derive(Debug, Serialize, ToSchema)]
pub struct UploadsResetDto {
    /// Unfinished uploads deleted.
    pub uploads: usize,
    /// Stored parts of originals deleted (every video's but the visible one).
    pub originals: usize,
    /// Bytes the group may upload now.
    pub remaining_bytes: u64,
}

/// Free a group's storage: deletes its unfinished uploads and the originals of every video but the one jurors and
/// the public see (renditions and posters stay). For a group stuck at its quota; logged in the audit.
#[utoipa::path(
    tag = "participants",
    params(("contest_id" = Uuid, Path), ("participant_id" = Uuid, Path)),
    responses(
        (status = 200, body = UploadsResetDto),
        (status = 400, body = ErrorBody, description = "`not-a-group`"),
        (status = 404, body = ErrorBody, description = "`contest-not-found`, `participant-not-found`"),
    )
)]
#[post("/api/contests/{contest_id}/participants/{participant_id}/uploads/reset")]
#[tracing::instrument(skip_all)]
pub async fn reset_uploads(
    admin: Admin,
    services: web::Data<Services>,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<web::Json<UploadsResetDto>, ApiError> {
    let (contest_id, participant_id) = path.into_inner();
    let r = uploads::reset_group_uploads(&services, &admin.0, contest_id, participant_id).await?;
    Ok(web::Json(UploadsResetDto {
        uploads: r.uploads,
        originals: r.originals,
        remaining_bytes: r.remaining_bytes,
    }))
}
