//! Room mode (`clipjury serve --lan`): serve the phones of a workshop on the same Wi-Fi as the organiser's laptop.
//!
//! Finds the laptop's address on the local network (the interface of the default route, or one the organiser
//! names), listens on every interface, makes that address the public URL unless one is configured, and prints the
//! link to open with a QR code in the terminal.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use anyhow::Context as _;

use crate::config::Settings;

/// Where the room-mode address comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoomAddress {
    /// The address phones connect to.
    pub ip: IpAddr,
    /// The interface that has it (`None` when the organiser typed an address).
    pub interface: Option<String>,
}

/// Finds the address phones must use: `choice` is an interface name (`wlan0`) or an IP address; without it, the
/// IPv4 address of the interface the default route leaves through.
///
/// # Errors
/// When the named interface has no IPv4 address, or no default route (and no other usable interface) exists;
/// the message lists the interfaces there are.
pub fn find_address(choice: Option<&str>) -> anyhow::Result<RoomAddress> {
    if let Some(choice) = choice {
        if let Ok(ip) = choice.parse::<IpAddr>() {
            return Ok(RoomAddress {
                ip,
                interface: None,
            });
        }
        let interfaces = ipv4_interfaces()?;
        return interfaces
            .iter()
            .find(|(name, _)| name == choice)
            .map(|(name, ip)| RoomAddress {
                ip: IpAddr::V4(*ip),
                interface: Some(name.clone()),
            })
            .with_context(|| {
                format!(
                    "the interface {choice} has no IPv4 address; interfaces with one: {}",
                    describe(&interfaces)
                )
            });
    }
    let interfaces = ipv4_interfaces()?;
    let route = std::fs::read_to_string("/proc/net/route").ok();
    pick_default(route.as_deref(), &interfaces).with_context(|| {
        format!(
            "could not find this computer's address on the local network (is Wi-Fi connected?); name an interface or \
             address with --lan-interface (interfaces with an IPv4 address: {})",
            describe(&interfaces)
        )
    })
}

/// The address of the default route's interface; without a routing table (not Linux), the first interface that is
/// neither loopback nor link-local.
fn pick_default(route: Option<&str>, interfaces: &[(String, Ipv4Addr)]) -> Option<RoomAddress> {
    let usable = |ip: &Ipv4Addr| !ip.is_loopback() && !ip.is_link_local() && !ip.is_unspecified();
    let found = match route {
        Some(table) => default_route_interfaces(table)
            .into_iter()
            .find_map(|iface| {
                interfaces
                    .iter()
                    .find(|(name, ip)| *name == iface && usable(ip))
            }),
        None => interfaces.iter().find(|(_, ip)| usable(ip)),
    };
    found.map(|(name, ip)| RoomAddress {
        ip: IpAddr::V4(*ip),
        interface: Some(name.clone()),
    })
}

/// Interfaces that carry a default route in a Linux `/proc/net/route` table, lowest metric first.
fn default_route_interfaces(table: &str) -> Vec<String> {
    let mut routes: Vec<(u32, String)> = table
        .lines()
        .skip(1)
        .filter_map(|line| {
            let cols: Vec<&str> = line.split_whitespace().collect();
            // Iface Destination Gateway Flags RefCnt Use Metric Mask …; flag 0x1 = RTF_UP.
            let (iface, dest, flags, metric, mask) = (
                cols.first()?,
                cols.get(1)?,
                cols.get(3)?,
                cols.get(6)?,
                cols.get(7)?,
            );
            let up = u32::from_str_radix(flags, 16).ok()? & 1 == 1;
            (up && *dest == "00000000" && *mask == "00000000")
                .then(|| Some((metric.parse().ok()?, (*iface).to_owned())))
                .flatten()
        })
        .collect();
    routes.sort();
    routes.into_iter().map(|(_, iface)| iface).collect()
}

/// Every interface that is up with an IPv4 address, in the system's order.
fn ipv4_interfaces() -> anyhow::Result<Vec<(String, Ipv4Addr)>> {
    use nix::net::if_::InterfaceFlags;
    let addrs = nix::ifaddrs::getifaddrs().context("listing the network interfaces")?;
    Ok(addrs
        .filter(|a| a.flags.contains(InterfaceFlags::IFF_UP))
        .filter_map(|a| {
            let ip = a.address?.as_sockaddr_in()?.ip();
            Some((a.interface_name, ip))
        })
        .collect())
}

fn describe(interfaces: &[(String, Ipv4Addr)]) -> String {
    if interfaces.is_empty() {
        return "none".into();
    }
    interfaces
        .iter()
        .map(|(name, ip)| format!("{name} {ip}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Room-mode settings: listen on every interface (same port) unless `--listen` was given, and make
/// `http://ADDRESS:PORT` the public URL unless `server.public_url` is configured. Returns the public URL.
///
/// # Errors
/// When `server.listen` is not an address with a port.
pub fn apply(
    settings: &mut Settings,
    address: &RoomAddress,
    listen_given: bool,
) -> anyhow::Result<String> {
    let listen: SocketAddr = settings.server.listen.parse().with_context(|| {
        format!(
            "server.listen {:?} is not an address with a port",
            settings.server.listen
        )
    })?;
    if !listen_given {
        settings.server.listen =
            SocketAddr::new(IpAddr::V4(Ipv4Addr::UNSPECIFIED), listen.port()).to_string();
    }
    if settings.server.public_url.is_none() {
        settings.server.public_url = Some(format!(
            "http://{}",
            SocketAddr::new(address.ip, listen.port())
        ));
    }
    Ok(settings.public_url())
}

/// `url` as a QR code of Unicode half blocks, two modules per character, light modules drawn, for a terminal
/// with a dark background (phone cameras read the inverted code).
///
/// # Errors
/// When the URL is too long for a QR code.
pub fn terminal_qr(url: &str) -> anyhow::Result<String> {
    use qrcode::render::unicode::Dense1x2;
    let code = qrcode::QrCode::new(url.as_bytes()).context("encoding the link as a QR code")?;
    Ok(code
        .render::<Dense1x2>()
        .dark_color(Dense1x2::Light)
        .light_color(Dense1x2::Dark)
        .quiet_zone(true)
        .build())
}

/// What the terminal shows in room mode: the address, a warning when phones cannot reach it, the link and its QR code.
///
/// # Errors
/// When the link cannot be encoded.
pub fn banner(
    public_url: &str,
    address: &RoomAddress,
    what: &str,
    link: &str,
) -> anyhow::Result<String> {
    let via = address
        .interface
        .as_deref()
        .map_or_else(String::new, |i| format!(" (interface {i})"));
    let mut out = format!("\nRoom mode: phones on this network open {public_url}{via}\n");
    if clipjury_service::room::is_loopback_url(public_url) {
        out.push_str("Warning: that is a loopback address; phones cannot open these links.\n");
    }
    out.push_str(&format!(
        "\n{what}:\n\n    {link}\n\n{}\n",
        terminal_qr(link)?
    ));
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const ROUTE: &str =
        "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
docker0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0
eth0\t00000000\t0101A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0
wlan0\t00000000\t0100A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0
wlan0\t0000A8C0\t00000000\t0001\t0\t0\t600\t00FFFFFF\t0\t0\t0
";

    fn ifaces() -> Vec<(String, Ipv4Addr)> {
        vec![
            ("lo".into(), Ipv4Addr::LOCALHOST),
            ("docker0".into(), Ipv4Addr::new(172, 17, 0, 1)),
            ("wlan0".into(), Ipv4Addr::new(192, 168, 0, 23)),
            ("eth0".into(), Ipv4Addr::new(192, 168, 1, 5)),
        ]
    }

    #[test]
    fn the_default_route_with_the_lowest_metric_wins() {
        assert_eq!(default_route_interfaces(ROUTE), ["eth0", "wlan0"]);
        let a = pick_default(Some(ROUTE), &ifaces()).unwrap();
        assert_eq!(a.ip, IpAddr::V4(Ipv4Addr::new(192, 168, 1, 5)));
        assert_eq!(a.interface.as_deref(), Some("eth0"));
    }

    #[test]
    fn a_default_route_interface_without_an_address_falls_to_the_next_one() {
        let only_wifi: Vec<_> = ifaces().into_iter().filter(|(n, _)| n != "eth0").collect();
        let a = pick_default(Some(ROUTE), &only_wifi).unwrap();
        assert_eq!(a.interface.as_deref(), Some("wlan0"));
    }

    #[test]
    fn no_default_route_means_no_guess_on_linux() {
        let header_only = ROUTE.lines().next().unwrap();
        assert_eq!(pick_default(Some(header_only), &ifaces()), None);
        // Without a routing table: the first interface that is not loopback.
        let a = pick_default(None, &ifaces()).unwrap();
        assert_eq!(a.interface.as_deref(), Some("docker0"));
    }

    #[test]
    fn a_typed_address_is_used_as_is_and_an_unknown_interface_is_refused() {
        let a = find_address(Some("10.0.0.7")).unwrap();
        assert_eq!(a.ip, IpAddr::V4(Ipv4Addr::new(10, 0, 0, 7)));
        let err = find_address(Some("no-such-iface0"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("no-such-iface0") && err.contains("lo 127.0.0.1"),
            "{err}"
        );
        assert_eq!(
            find_address(Some("lo")).unwrap().ip,
            IpAddr::V4(Ipv4Addr::LOCALHOST)
        );
    }

    #[test]
    fn room_mode_listens_everywhere_and_keeps_a_configured_public_url() {
        let addr = RoomAddress {
            ip: IpAddr::V4(Ipv4Addr::new(192, 168, 1, 5)),
            interface: Some("wlan0".into()),
        };
        let mut s = Settings::default();
        assert_eq!(
            apply(&mut s, &addr, false).unwrap(),
            "http://192.168.1.5:8080"
        );
        assert_eq!(s.server.listen, "0.0.0.0:8080");

        let mut s = Settings::default();
        s.server.listen = "127.0.0.1:9000".into();
        s.server.public_url = Some("https://contest.example.org".into());
        assert_eq!(
            apply(&mut s, &addr, true).unwrap(),
            "https://contest.example.org"
        );
        assert_eq!(
            s.server.listen, "127.0.0.1:9000",
            "an explicit --listen wins"
        );

        let v6 = RoomAddress {
            ip: "fd00::5".parse().unwrap(),
            interface: None,
        };
        let mut s = Settings::default();
        assert_eq!(apply(&mut s, &v6, false).unwrap(), "http://[fd00::5]:8080");
        s.server.listen = "localhost".into();
        assert!(apply(&mut s, &v6, false).is_err());
    }

    #[test]
    fn the_terminal_qr_code_is_half_blocks_with_a_quiet_zone() {
        let qr = terminal_qr("http://192.168.1.5:8080/admin").unwrap();
        let lines: Vec<&str> = qr.lines().collect();
        assert!(lines.len() >= 14, "{qr}");
        assert!(
            lines
                .iter()
                .all(|l| l.chars().count() == lines[0].chars().count())
        );
        assert!(qr.contains('▀') || qr.contains('▄'));
        let banner = banner(
            "http://127.0.0.1:8080",
            &RoomAddress {
                ip: IpAddr::V4(Ipv4Addr::LOCALHOST),
                interface: Some("lo".into()),
            },
            "Sign in",
            "http://127.0.0.1:8080/login",
        )
        .unwrap();
        assert!(
            banner.contains("phones cannot open these links"),
            "{banner}"
        );
    }
}
