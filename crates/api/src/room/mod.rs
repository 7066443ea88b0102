//! `/api/room`: the address phones must use, for the admin console (room mode and its loopback warning).

use actix_web::{get, web};
use clipjury_service::{Services, room};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::Admin;
use crate::error::{ApiError, ErrorBody};

/// The base of every invite link, QR code and share link, and whether phones can open it.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoomDto {
    /// `server.public_url`: in room mode (`clipjury serve --lan`) the laptop's address on the local network.
    pub public_url: String,
    /// The public URL is a loopback address (`127.0.0.1`, `localhost`): only this computer can open its links.
    pub loopback: bool,
    /// Groups and jurors in the admin's contests.
    pub participants: u64,
}

/// The public URL links are built from, with the loopback check.
#[utoipa::path(tag = "room", responses((status = 200, body = RoomDto), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
#[get("/api/room")]
#[tracing::instrument(skip_all)]
pub async fn room_status(
    admin: Admin,
    services: web::Data<Services>,
) -> Result<web::Json<RoomDto>, ApiError> {
    let r = room::room_status(&services, &admin.0).await?;
    Ok(web::Json(RoomDto {
        public_url: r.public_url,
        loopback: r.loopback,
        participants: r.participants,
    }))
}

/// Registers the room route.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(room_status);
}
