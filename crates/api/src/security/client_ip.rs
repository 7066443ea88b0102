//! The client's address. Behind a reverse proxy every request comes from the proxy, so rate limits keyed by the
//! peer address would put every visitor in one bucket. `X-Forwarded-For` is believed only when the peer is a
//! configured trusted proxy (`server.trusted_proxies`), and then read from the right: the first address that is not
//! itself a trusted proxy is the client (the left part of the header is whatever the client chose to send).

use std::net::IpAddr;

use actix_web::{HttpRequest, web};
use ipnet::IpNet;

/// Proxies whose `X-Forwarded-For` is believed: addresses or CIDR ranges.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// Parses `10.0.0.5`, `172.28.0.0/16`, `::1` and the like.
    ///
    /// # Errors
    /// The first entry that is neither an address nor a range.
    pub fn parse<S: AsRef<str>>(entries: &[S]) -> Result<Self, String> {
        entries
            .iter()
            .map(|e| {
                let e = e.as_ref().trim();
                e.parse::<IpNet>()
                    .or_else(|_| e.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| format!("not an IP address or CIDR range: {e:?}"))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Self)
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        self.0.iter().any(|net| net.contains(&ip))
    }

    /// The client behind `peer`, given the `X-Forwarded-For` values in order.
    #[must_use]
    pub fn resolve<'a>(
        &self,
        peer: IpAddr,
        forwarded_for: impl Iterator<Item = &'a str>,
    ) -> IpAddr {
        let peer = canonical(peer);
        if !self.trusts(peer) {
            return peer;
        }
        let hops: Vec<&str> = forwarded_for
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .collect();
        let mut client = peer;
        for hop in hops.into_iter().rev() {
            let Ok(ip) = hop.parse::<IpAddr>().map(canonical) else {
                break;
            };
            client = ip;
            if !self.trusts(ip) {
                break;
            }
        }
        client
    }
}

/// IPv4-mapped IPv6 addresses (`::ffff:10.0.0.1`) as IPv4.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 @ IpAddr::V4(_) => v4,
    }
}

/// The client's address for `req` (see the module documentation); `None` only without a peer address.
#[must_use]
pub fn client_ip(req: &HttpRequest) -> Option<IpAddr> {
    let peer = req.peer_addr()?.ip();
    let Some(trusted) = req.app_data::<web::Data<TrustedProxies>>() else {
        return Some(canonical(peer));
    };
    let values = req
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok());
    Some(trusted.resolve(peer, values))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn forwarded_for_is_believed_only_from_a_trusted_proxy_and_read_from_the_right() {
        let t = TrustedProxies::parse(&["172.28.0.0/16", "10.0.0.5"]).unwrap();
        // A direct client cannot choose its address.
        assert_eq!(
            t.resolve(ip("203.0.113.9"), ["1.2.3.4"].into_iter()),
            ip("203.0.113.9")
        );
        // Through the proxy: the rightmost address the proxy did not add itself.
        assert_eq!(
            t.resolve(ip("172.28.0.2"), ["6.6.6.6, 198.51.100.7"].into_iter()),
            ip("198.51.100.7")
        );
        // Two trusted hops.
        assert_eq!(
            t.resolve(ip("10.0.0.5"), ["198.51.100.7", "172.28.0.3"].into_iter()),
            ip("198.51.100.7")
        );
        // A proxy that sent no header: the proxy itself.
        assert_eq!(
            t.resolve(ip("172.28.0.2"), std::iter::empty()),
            ip("172.28.0.2")
        );
        // IPv4-mapped peers count as IPv4.
        assert_eq!(
            t.resolve(ip("::ffff:10.0.0.5"), ["198.51.100.7"].into_iter()),
            ip("198.51.100.7")
        );
        // Garbage stops the walk at the last trusted hop, never reaching a forged left part.
        assert_eq!(
            t.resolve(ip("10.0.0.5"), ["nonsense"].into_iter()),
            ip("10.0.0.5")
        );
        assert_eq!(
            t.resolve(
                ip("10.0.0.5"),
                ["6.6.6.6, nonsense, 172.28.0.3"].into_iter()
            ),
            ip("172.28.0.3")
        );
        assert!(TrustedProxies::parse(&["not-an-ip"]).is_err());
    }
}
