//! What the server needs to start. The `melt8` binary fills it from flags, the environment
//! and a `.env` file; the desktop shell and the tests fill it directly.

use crate::clock::BusinessDay;
use crate::secret::Secret;
use crate::secret_store::{FileSecretStore, SecretStore};
use chrono::FixedOffset;
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
    /// The shop is configured through the environment or flags (`SKIP_SETUP_WIZARD`): mark
    /// the first-run setup wizard done at start, so the dashboard does not open it.
    pub skip_setup_wizard: bool,
}

/// Where Twilio reaches us and how calls are answered.
#[derive(Debug, Clone)]
pub struct PhoneConfig {
    /// Address of the public (Twilio) router.
    pub public_bind: IpAddr,
    /// Port of the public (Twilio) router (`PUBLIC_PORT`); 0 picks a free one.
    pub public_port: u16,
    /// What Twilio sees (`PUBLIC_BASE_URL`, e.g. `https://shop.example.com`): stream URLs and
    /// signature checks use it, never the local address.
    pub public_base_url: Option<String>,
    /// Checks `X-Twilio-Signature` (`TWILIO_AUTH_TOKEN`), and authenticates REST calls.
    pub twilio_auth_token: Option<Secret>,
    /// The account (`TWILIO_ACCOUNT_SID`); taken from the webhook when not set.
    pub twilio_account_sid: Option<String>,
    /// Twilio's REST API (`TWILIO_API_BASE`).
    pub twilio_api_base: String,
    /// Accept unsigned webhooks (`--insecure-dev`): for local experiments only.
    pub insecure_dev: bool,
    /// The AI's key (`OPENAI_API_KEY`). Without one, calls go to the shop's phone.
    pub openai_api_key: Option<Secret>,
    /// The Realtime endpoint (`OPENAI_REALTIME_URL`).
    pub openai_realtime_url: String,
    /// The Realtime model (`OPENAI_REALTIME_MODEL`).
    pub openai_model: String,
    /// The AI's voice (`OPENAI_VOICE`).
    pub openai_voice: String,
    /// The model that transcribes the caller for the call log.
    pub transcription_model: String,
    /// Voice activity detection tuned for phone lines.
    pub vad: VadConfig,
    /// The shop's name, said in the greeting (`SHOP_NAME`).
    pub shop_name: String,
    /// A greeting to use instead of the default (`SHOP_GREETING`).
    pub greeting: Option<String>,
    /// Where callers go when they ask for a person or the AI cannot serve (`SHOP_PHONE`).
    pub shop_phone: Option<String>,
    /// The shop's own Twilio number, E.164 (`TWILIO_PHONE_NUMBER`): the number callers dial,
    /// whose voice URL "Connect my number" points at the tunnel.
    pub twilio_phone_number: Option<String>,
    /// The ngrok agent token (`NGROK_AUTHTOKEN`). With it the app opens its own tunnel.
    pub ngrok_authtoken: Option<Secret>,
    /// A reserved ngrok domain (`NGROK_DOMAIN`), e.g. `melt8-gulberg.ngrok.app`; without it
    /// ngrok picks a random address at each start.
    pub ngrok_domain: Option<String>,
    /// Minutes until delivery, told to callers (`ETA_MINUTES`).
    pub eta_minutes: u32,
    /// Every timeout of the call path: the stream token, `start`, the AI connection, the
    /// call's length (tests shorten them).
    pub timeouts: crate::calls::timeouts::CallTimeouts,
}

/// Server voice-activity detection settings.
#[derive(Debug, Clone, Copy)]
pub struct VadConfig {
    /// Speech probability threshold, 0–1 (higher ignores more line noise).
    pub threshold: f64,
    /// Audio kept before detected speech.
    pub prefix_padding_ms: u32,
    /// Silence that ends the caller's turn.
    pub silence_duration_ms: u32,
    /// Silence after which the AI prompts the caller.
    pub idle_timeout_ms: u32,
}

impl Default for VadConfig {
    fn default() -> Self {
        // A little more patient than the API's defaults: phone lines are noisy and callers
        // pause to think about the address.
        VadConfig {
            threshold: 0.6,
            prefix_padding_ms: 300,
            silence_duration_ms: 650,
            idle_timeout_ms: 9000,
        }
    }
}

/// The real services' addresses (every one can be overridden for tests and proxies).
pub const OPENAI_REALTIME_URL: &str = "wss://api.openai.com/v1/realtime";
/// A current, non-deprecated Realtime model.
pub const OPENAI_REALTIME_MODEL: &str = "gpt-realtime-2.1";
/// Twilio's REST API.
pub const TWILIO_API_BASE: &str = "https://api.twilio.com/2010-04-01";

impl PhoneConfig {
    /// Defaults: public router on 127.0.0.1:8081, real OpenAI and Twilio URLs, no secrets.
    pub fn new() -> Self {
        PhoneConfig {
            public_bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            public_port: 8081,
            public_base_url: None,
            twilio_auth_token: None,
            twilio_account_sid: None,
            twilio_api_base: TWILIO_API_BASE.to_string(),
            insecure_dev: false,
            openai_api_key: None,
            openai_realtime_url: OPENAI_REALTIME_URL.to_string(),
            openai_model: OPENAI_REALTIME_MODEL.to_string(),
            openai_voice: "marin".to_string(),
            transcription_model: "gpt-4o-mini-transcribe".to_string(),
            vad: VadConfig::default(),
            shop_name: "Melt 8 Pizza".to_string(),
            greeting: None,
            shop_phone: None,
            twilio_phone_number: None,
            ngrok_authtoken: None,
            ngrok_domain: None,
            eta_minutes: 35,
            timeouts: crate::calls::timeouts::CallTimeouts::default(),
        }
    }
}

impl Default for PhoneConfig {
    fn default() -> Self {
        PhoneConfig::new()
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
            skip_setup_wizard: false,
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
    fn phone_defaults_use_the_real_services_and_a_current_model() {
        let p = PhoneConfig::new();
        assert_eq!(p.openai_realtime_url, "wss://api.openai.com/v1/realtime");
        assert_eq!(p.twilio_api_base, "https://api.twilio.com/2010-04-01");
        assert!(
            !p.openai_model.is_empty()
                && p.openai_model != "gpt-realtime"
                && p.openai_model != "gpt-realtime-mini"
        );
        assert_eq!(p.public_port, 8081);
        assert!(p.openai_api_key.is_none() && p.twilio_auth_token.is_none());
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
