use clipjury_domain::error_code::ErrorCode;
use std::io::Cursor;

use anyhow::Context as _;
use clipjury_db::repo;
use qrcode::QrCode;
use uuid::Uuid;

use super::manage::owned_participant;
use super::view::invite_url;
use crate::auth::AdminSession;
use crate::{ServiceError, Services};

/// Image format of a QR code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QrFormat {
    /// Scalable, for printing.
    Svg,
    /// Bitmap, for chat apps.
    Png,
}

/// The QR code of a participant's current invite link.
///
/// # Errors
/// `participant-not-found` (404), `invite-revoked` (404) when no invite is open.
pub async fn invite_qr(
    services: &Services,
    session: &AdminSession,
    contest_id: Uuid,
    participant_id: Uuid,
    format: QrFormat,
) -> Result<Vec<u8>, ServiceError> {
    owned_participant(&services.db, session, contest_id, participant_id).await?;
    let invite = repo::invites::current(&services.db, participant_id)
        .await?
        .ok_or_else(|| {
            ServiceError::not_found(
                ErrorCode::InviteRevoked,
                "this invite was revoked; issue a new one",
            )
        })?;
    let token = services.open_invite_token(&invite).ok_or_else(|| {
        ServiceError::not_found(
            ErrorCode::InviteRevoked,
            "this invite can no longer be shown; issue a new one",
        )
    })?;
    let url = invite_url(&services.config.public_url, &token);
    let code = QrCode::new(url.as_bytes()).context("encoding the invite link as a QR code")?;
    Ok(match format {
        QrFormat::Svg => code
            .render::<qrcode::render::svg::Color<'_>>()
            .min_dimensions(256, 256)
            .quiet_zone(true)
            .build()
            .into_bytes(),
        QrFormat::Png => {
            let img = code
                .render::<image::Luma<u8>>()
                .min_dimensions(512, 512)
                .quiet_zone(true)
                .build();
            let mut out = Cursor::new(Vec::new());
            img.write_to(&mut out, image::ImageFormat::Png)
                .context("encoding the QR code as PNG")?;
            out.into_inner()
        }
    })
}
