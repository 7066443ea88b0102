//! Defences every response and request pass through: security headers ([`headers`]), the same-origin rule for
//! cookie-authenticated writes ([`csrf`]) and the client address behind trusted proxies ([`client_ip`]).

pub mod client_ip;
pub mod csrf;
pub mod headers;

pub use client_ip::{TrustedProxies, client_ip};
pub use csrf::same_origin_writes;
pub use headers::{SecurityHeaders, security_headers};
