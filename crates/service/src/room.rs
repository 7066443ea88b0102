//! What the admin console shows about the address phones use (room mode).

use std::net::IpAddr;

use clipjury_db::repo;

use crate::auth::AdminSession;
use crate::{ServiceError, Services};

/// The public URL every invite link, QR code and share link is built from, and whether phones can open it.
#[derive(Debug, Clone)]
pub struct RoomStatus {
    /// `server.public_url` (in room mode the laptop's LAN address).
    pub public_url: String,
    /// The URL's host is a loopback address (`127.0.0.1`, `localhost`, `[::1]`): only this computer can open it.
    pub loopback: bool,
    /// Groups and jurors in the admin's contests: with a loopback URL, none of them can open their invite.
    pub participants: u64,
}

/// The public URL for the signed-in admin, with the loopback check.
///
/// # Errors
/// [`ServiceError::Unexpected`] on database failure.
pub async fn room_status(
    services: &Services,
    session: &AdminSession,
) -> Result<RoomStatus, ServiceError> {
    let admin_id = session.admin_id();
    let public_url = services.config.public_url.clone();
    Ok(RoomStatus {
        loopback: is_loopback_url(&public_url),
        participants: repo::participants::count_for_owner(&services.db, admin_id).await?,
        public_url,
    })
}

/// The host of `url` is `localhost` or a loopback address.
#[must_use]
pub fn is_loopback_url(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if let Some(v6) = host_port.strip_prefix('[') {
        v6.split(']').next().unwrap_or_default()
    } else {
        host_port.split(':').next().unwrap_or_default()
    };
    let host = host.to_ascii_lowercase();
    host == "localhost"
        || host.ends_with(".localhost")
        || host
            .parse::<IpAddr>()
            .is_ok_and(|ip| ip.is_loopback() || ip.is_unspecified())
}

#[cfg(test)]
mod tests {
    use super::is_loopback_url;

    #[test]
    fn loopback_hosts_are_recognised_and_lan_hosts_are_not() {
        for url in [
            "http://127.0.0.1:8080",
            "http://localhost:8080/",
            "http://LOCALHOST",
            "http://127.0.1.1:80/x",
            "http://[::1]:8080",
            "http://0.0.0.0:8080",
            "http://app.localhost:8080",
        ] {
            assert!(is_loopback_url(url), "{url}");
        }
        for url in [
            "http://192.168.1.5:8080",
            "https://contest.example.org",
            "http://workshop.lan:8080",
            "http://[fd00::5]:8080",
            "http://user@10.0.0.2:8080/path",
        ] {
            assert!(!is_loopback_url(url), "{url}");
        }
    }
}
