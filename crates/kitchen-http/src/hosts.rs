//! The names the kitchen router answers to: its defence against DNS rebinding.
//!
//! A page on another site can point its own name at this PC (`rebind.attacker.example` →
//! 127.0.0.1) and read the answers, because the browser thinks it is talking to the
//! attacker's site. The browser still sends the attacker's name in `Host`, so the kitchen
//! router answers only the names it serves — the loopback names, and, when a tablet on the
//! shop's Wi-Fi may reach it (`KITCHEN_BIND` other than loopback), the PC's address on the
//! shop's network and the names the owner lists (`KITCHEN_HOSTS`) — and 421 to any other.
//! `/api/events` checks a browser's `Origin` against the same list.
//!
//! The port is not compared: a name is what a rebinding attack forges, and the dashboard's
//! development server (`vite dev`) forwards requests with its own port.

use std::net::IpAddr;
use std::sync::Arc;

/// The `Host` names the kitchen router serves. Cheap to clone.
#[derive(Debug, Clone)]
pub struct AllowedHosts {
    /// Exact names or addresses (lowercase, no port, IPv6 without brackets).
    names: Arc<[String]>,
    /// Bound to every address (`0.0.0.0` or `::`): any address literal on the shop's own
    /// network is one of this PC's (an address literal cannot be rebound: the browser's
    /// site is then that address itself).
    any_lan_address: bool,
}

impl Default for AllowedHosts {
    /// Loopback only, as the kitchen router is bound by default.
    fn default() -> Self {
        AllowedHosts::for_bind(IpAddr::from([127, 0, 0, 1]), &[])
    }
}

impl AllowedHosts {
    /// The names a kitchen router bound to `bind` serves: the loopback names always; the
    /// bound address when it is a LAN address; any LAN address when it is bound to all
    /// addresses; plus `extra` names (a name the shop gave this PC on its network) when
    /// LAN access is on. A loopback-bound router ignores `extra`: nobody else can reach it.
    pub fn for_bind(bind: IpAddr, extra: &[String]) -> Self {
        let mut names: Vec<String> = ["localhost", "127.0.0.1", "::1"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let lan = !bind.is_loopback();
        if lan && !bind.is_unspecified() {
            names.push(bind.to_string());
        }
        if lan {
            names.extend(extra.iter().map(|n| normalise(n)).filter(|n| !n.is_empty()));
        }
        AllowedHosts {
            names: names.into(),
            any_lan_address: bind.is_unspecified(),
        }
    }

    /// Whether a `Host` header value (`name`, `name:port`, `[v6]:port`) is one of ours.
    pub fn allows_host(&self, host: &str) -> bool {
        let name = normalise(host);
        if name.is_empty() {
            return false;
        }
        if self.names.contains(&name) {
            return true;
        }
        match name.parse::<IpAddr>() {
            Ok(ip) if ip.is_loopback() => true,
            Ok(ip) => self.any_lan_address && is_lan_address(ip),
            Err(_) => false,
        }
    }

    /// Whether a browser's `Origin` (`http://name:port`) is a page this server serves; the
    /// desktop window's `tauri://` pages are ours too.
    pub fn allows_origin(&self, origin: &str) -> bool {
        if origin.starts_with("tauri://") {
            return true;
        }
        match origin.split_once("://") {
            Some(("http" | "https", rest)) => self.allows_host(rest),
            _ => false,
        }
    }

    /// The exact names on the list (for the start-up log line).
    pub fn names(&self) -> &[String] {
        &self.names
    }
}

/// `Name:8080` → `name`; `[::1]:8080` → `::1`; a trailing dot and any path dropped.
fn normalise(host: &str) -> String {
    let host = host.trim();
    let host = host.split(['/', '?', '#']).next().unwrap_or_default();
    let name = if let Some(rest) = host.strip_prefix('[') {
        rest.split_once(']').map_or("", |(v6, _)| v6)
    } else if host.matches(':').count() == 1 {
        host.split_once(':').map_or(host, |(name, _)| name)
    } else {
        // No port, or a bare IPv6 address.
        host
    };
    name.trim_end_matches('.').to_ascii_lowercase()
}

/// An address on a shop's own network: private IPv4 ranges, link-local, the carrier-grade
/// NAT range some VPNs use (100.64/10), IPv6 unique-local and link-local.
fn is_lan_address(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            v4.is_private() || v4.is_link_local() || (a == 100 && (64..128).contains(&b))
        }
        IpAddr::V6(v6) => {
            let first = v6.segments()[0];
            (first & 0xfe00) == 0xfc00 || (first & 0xffc0) == 0xfe80
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_names_pass_with_or_without_a_port() {
        let hosts = AllowedHosts::default();
        for h in [
            "localhost",
            "LOCALHOST:8080",
            "127.0.0.1",
            "127.0.0.1:9",
            "[::1]",
            "[::1]:8080",
            "localhost.",
        ] {
            assert!(hosts.allows_host(h), "{h}");
        }
        for h in [
            "",
            "rebind.attacker.example:8080",
            "localhost.attacker.example",
            "127.0.0.1.nip.io",
            "192.168.1.20:8080",
            "[fe80::1]",
        ] {
            assert!(!hosts.allows_host(h), "{h}");
        }
    }

    #[test]
    fn a_lan_bound_router_serves_its_address_and_the_listed_names() {
        let hosts = AllowedHosts::for_bind("192.168.1.20".parse().unwrap(), &["Kitchen-PC".into()]);
        assert!(hosts.allows_host("192.168.1.20:8080"));
        assert!(hosts.allows_host("kitchen-pc:8080"));
        assert!(
            !hosts.allows_host("192.168.1.21:8080"),
            "another LAN address"
        );
        assert!(!hosts.allows_host("attacker.example"));
        let all = AllowedHosts::for_bind("0.0.0.0".parse().unwrap(), &[]);
        for h in [
            "10.0.0.5:8080",
            "172.20.1.1",
            "[fd12::1]:8080",
            "100.100.1.2",
        ] {
            assert!(all.allows_host(h), "{h}");
        }
        for h in ["8.8.8.8", "attacker.example", "[2001:db8::1]"] {
            assert!(!all.allows_host(h), "{h}");
        }
        let local = AllowedHosts::for_bind("127.0.0.1".parse().unwrap(), &["kitchen-pc".into()]);
        assert!(
            !local.allows_host("kitchen-pc"),
            "no LAN access: no LAN names"
        );
    }

    #[test]
    fn origins_are_checked_against_the_same_names() {
        let hosts = AllowedHosts::default();
        assert!(hosts.allows_origin("http://127.0.0.1:5173"));
        assert!(hosts.allows_origin("http://localhost:8080"));
        assert!(hosts.allows_origin("tauri://localhost"));
        assert!(!hosts.allows_origin("http://rebind.attacker.example:8080"));
        assert!(!hosts.allows_origin("null"));
        assert!(!hosts.allows_origin("file://"));
    }
}
