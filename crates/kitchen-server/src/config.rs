//! What the server needs to start. Both binaries (`melt8 serve` and the desktop app) fill it
//! with the one loader, [`Config::load`] (flags, the environment, `.env`); the tests fill it
//! directly from [`Config::new`].
//!
//! The phone side's part ([`PhoneConfig`]) is kitchen-phone's; it is re-exported here so
//! `kitchen_server::config` names everything a configuration holds.

mod load;

pub use load::{ConfigError, Env, Flags};

use chrono::FixedOffset;
use kitchen_core::BusinessDay;
use kitchen_core::secret_store::{FileSecretStore, SecretStore};
use kitchen_domain::{Secret, SettingsLayer};
pub use kitchen_phone::config::{
    OPENAI_API_BASE, OPENAI_LIVE_URL, OPENAI_REALTIME_MODEL, OPENAI_REALTIME_URL, PhoneConfig,
    TWILIO_API_BASE, TWILIO_STUDIO_BASE, TWILIO_TRUNKING_BASE, VadConfig,
};
use std::net::{IpAddr, Ipv4Addr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// The folder name of the app's data inside the OS app-data folder. The desktop app uses
/// the same folder, so the headless server and the desktop app share one database.
pub const APP_ID: &str = "pk.melt8.kitchen";

/// Server configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// Folder holding the database (and later backups and settings).
    pub data_dir: PathBuf,
    /// Address of the kitchen router. 127.0.0.1 by default: only this PC. A kitchen tablet
    /// on the shop's Wi-Fi needs `0.0.0.0` or the PC's LAN address.
    pub bind: IpAddr,
    /// Port of the kitchen router; 0 picks a free one.
    pub port: u16,
    /// Names (besides its address) this PC has on the shop's network, served when `bind`
    /// lets tablets in (`KITCHEN_HOSTS`); any other `Host` gets 421.
    pub allowed_hosts: Vec<String>,
    /// Timeouts and connection caps of both routers.
    pub limits: ServerLimits,
    /// The staff login name (`CHEF_USERNAME`).
    pub chef_username: String,
    /// The staff password (`CHEF_PASSWORD`). `None`: use the stored one, or generate one at
    /// first start.
    pub chef_password: Option<Secret>,
    /// The shop's time zone and day start, for daily order numbers.
    pub business_day: BusinessDay,
    /// How long a database write waits for another writer before answering 503.
    pub busy_timeout: Duration,
    /// The phone side: Twilio, the AI, the shop's details.
    pub phone: PhoneConfig,
    /// The optional PostgreSQL sync (`DATABASE_URL`, `SHOP_ID`).
    pub sync: kitchen_sync::SyncConfig,
    /// A backup into `<data dir>/backups` at start and every 24 hours (tests turn it off).
    pub daily_backups: bool,
    /// Where the OpenAI key, Twilio auth token and ngrok token are kept (never in SQLite).
    /// [`Config::new`] puts a [`FileSecretStore`] in the data folder (`secrets.json`, mode
    /// 0600); the desktop shell passes the OS keychain with that file as its fallback.
    pub secret_store: Arc<dyn SecretStore>,
    /// The shop's settings given by the environment, `.env` and flags (`SHOP_NAME`,
    /// `OPENAI_API_KEY`, `SKIP_SETUP_WIZARD`, …), checked by the dashboard's rules. The
    /// settings the owner saves in the dashboard win over these, field by field.
    pub settings: SettingsLayer,
    /// Demo mode (`melt8 serve --demo`): besides the scripted fake AI, staff may leave a
    /// call card by hand (`POST /api/demo/call-cards`), as a call would, to try the board.
    pub demo: bool,
    /// The operating system's print spooler for `system` printers: `lp` and `lpstat`, or
    /// the programs named by `MELT8_LP_COMMAND` and `MELT8_LPSTAT_COMMAND`.
    pub spooler: kitchen_core::printing::transport::Spooler,
}

/// Timeouts and connection caps of the kitchen and public routers: a client that sends its
/// headers slowly, a request that never finishes or a flood of connections cannot hold the
/// server's sockets and memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServerLimits {
    /// How long a client may take to send a request's headers (from its first byte, or
    /// from the connection's start); slower connections are closed.
    pub header_read_timeout: Duration,
    /// How long an ordinary request may take, its body included (408 after). WebSocket
    /// upgrades (`/api/events`, `/media-stream`) are exempt: they live for hours.
    pub request_timeout: Duration,
    /// Connections the kitchen router holds at once (tablets, the board, the desktop
    /// window); more are closed at once.
    pub max_kitchen_connections: usize,
    /// Connections the public router holds at once (each call is one media stream plus
    /// a few webhooks); more are closed at once.
    pub max_public_connections: usize,
}

impl Default for ServerLimits {
    fn default() -> Self {
        ServerLimits {
            header_read_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            max_kitchen_connections: 256,
            max_public_connections: 512,
        }
    }
}

/// Normalises `PUBLIC_BASE_URL`: the seed allowed a bare domain (`shop.example.com`), which
/// means HTTPS; a trailing slash is dropped.
pub fn normalise_public_base_url(s: &str) -> Result<String, String> {
    let t = s.trim().trim_end_matches('/');
    let with_scheme = if t.contains("://") {
        t.to_string()
    } else {
        format!("https://{t}")
    };
    let (scheme, rest) = with_scheme.split_once("://").unwrap_or(("", ""));
    if !matches!(scheme, "https" | "http") || rest.is_empty() || rest.contains(char::is_whitespace)
    {
        return Err(format!(
            "PUBLIC_BASE_URL `{t}` must look like https://shop.example.com"
        ));
    }
    Ok(with_scheme)
}

impl Config {
    /// Defaults for a data folder: 127.0.0.1:8080, user `chef`, the machine's UTC offset,
    /// business day from 05:00.
    pub fn new(data_dir: impl Into<PathBuf>) -> Self {
        let data_dir: PathBuf = data_dir.into();
        Config {
            secret_store: Arc::new(FileSecretStore::in_dir(&data_dir)),
            data_dir,
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 8080,
            allowed_hosts: Vec::new(),
            limits: ServerLimits::default(),
            chef_username: "chef".to_string(),
            chef_password: None,
            business_day: BusinessDay {
                utc_offset: local_offset(),
                starts_at_hour: 5,
            },
            busy_timeout: Duration::from_secs(5),
            phone: PhoneConfig::new(),
            sync: kitchen_sync::SyncConfig::default(),
            daily_backups: true,
            settings: SettingsLayer::default(),
            demo: false,
            spooler: kitchen_core::printing::transport::Spooler::from_env(),
        }
    }

    /// The database file inside the data folder.
    pub fn database_path(&self) -> PathBuf {
        self.data_dir.join(kitchen_store::DB_FILE_NAME)
    }
}

/// The OS app-data folder for this app (`~/.local/share/pk.melt8.kitchen` on Linux,
/// `%APPDATA%\pk.melt8.kitchen` on Windows), or `./melt8-data` if the OS has none.
pub fn default_data_dir() -> PathBuf {
    dirs::data_dir().map_or_else(|| Path::new("melt8-data").to_path_buf(), |d| d.join(APP_ID))
}

/// This machine's current UTC offset.
pub fn local_offset() -> FixedOffset {
    *chrono::Local::now().offset()
}

/// Parses `+05:00`, `+0500`, `5`, `-03:30` or `UTC` into an offset.
pub fn parse_utc_offset(s: &str) -> Result<FixedOffset, String> {
    let t = s.trim();
    if t.eq_ignore_ascii_case("utc") || t.eq_ignore_ascii_case("z") {
        return FixedOffset::east_opt(0).ok_or_else(|| "bad offset".into());
    }
    let (sign, rest) = match t.as_bytes().first() {
        Some(b'-') => (-1, &t[1..]),
        Some(b'+') => (1, &t[1..]),
        _ => (1, t),
    };
    let (h, m) = match rest.split_once(':') {
        Some((h, m)) => (h, m),
        None if rest.len() == 4 => rest.split_at(2),
        None => (rest, "0"),
    };
    let bad = || format!("`{t}` is not a UTC offset; write it like +05:00 (Pakistan)");
    let h: i32 = h.parse().map_err(|_| bad())?;
    let m: i32 = m.parse().map_err(|_| bad())?;
    if !(0..=14).contains(&h) || !(0..60).contains(&m) {
        return Err(bad());
    }
    FixedOffset::east_opt(sign * (h * 3600 + m * 60)).ok_or_else(bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_offsets_as_people_write_them() {
        for (s, secs) in [
            ("+05:00", 18000),
            ("+0500", 18000),
            ("5", 18000),
            ("-03:30", -12600),
            ("UTC", 0),
        ] {
            assert_eq!(parse_utc_offset(s).unwrap().local_minus_utc(), secs, "{s}");
        }
        for s in ["PKT", "+25:00", "+05:99", ""] {
            assert!(parse_utc_offset(s).unwrap_err().contains("+05:00"), "{s}");
        }
    }

    #[test]
    fn public_base_url_accepts_the_seeds_bare_domain() {
        assert_eq!(
            normalise_public_base_url("shop.example.com/").unwrap(),
            "https://shop.example.com"
        );
        assert_eq!(
            normalise_public_base_url("http://127.0.0.1:8081").unwrap(),
            "http://127.0.0.1:8081"
        );
        assert!(normalise_public_base_url("ftp://x").is_err());
        assert!(normalise_public_base_url("   ").is_err());
    }

    #[test]
    fn defaults_are_local_only_and_have_no_password() {
        let c = Config::new("/tmp/x");
        assert_eq!(c.bind.to_string(), "127.0.0.1");
        assert_eq!(c.port, 8080);
        assert_eq!(c.chef_username, "chef");
        assert!(c.chef_password.is_none());
        assert_eq!(c.database_path(), Path::new("/tmp/x/melt8.db"));
    }
}
