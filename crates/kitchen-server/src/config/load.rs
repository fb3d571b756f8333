//! The one configuration loader both binaries use (`melt8 serve` and the desktop app), so
//! they agree on every value: a flag wins over the process environment, which wins over a
//! `.env` file in the current folder, which wins over the default. Every problem is reported
//! at once, naming the variable and the flag. Booleans accept `true/false`, `1/0`,
//! `yes/no`, `on/off`.
//!
//! The shop's settings from here ([`Config::settings`]) are checked by the same rules as the
//! dashboard's; values the owner saves in the dashboard win over them.

use super::{
    Config, PhoneConfig, default_data_dir, local_offset, normalise_public_base_url,
    parse_utc_offset,
};
use kitchen_domain::Secret;
use kitchen_domain::settings::env::{self as settings_env, parse_number};
use std::collections::HashMap;
use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

/// The flags of `melt8 serve` (the desktop app has none): each overrides its variable.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct Flags {
    /// Data folder holding the database [env: MELT8_DATA_DIR] [default: the OS app-data
    /// folder, e.g. ~/.local/share/pk.melt8.kitchen]
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Port of the kitchen router (dashboard and API); 0 picks a free one [env:
    /// KITCHEN_PORT] [default: 8080]
    #[arg(long, short, value_name = "PORT")]
    pub port: Option<String>,
    /// Address to listen on. 127.0.0.1 keeps the kitchen on this PC; 0.0.0.0 lets a tablet
    /// on the shop's Wi-Fi reach it [env: KITCHEN_BIND] [default: 127.0.0.1]
    #[arg(long, value_name = "IP")]
    pub bind: Option<String>,
    /// Names this PC has on the shop's network that tablets may use to open the kitchen
    /// (comma-separated, e.g. kitchen-pc.local), besides its address; only with LAN access
    /// (--bind other than 127.0.0.1). Any other name is refused (421) [env: KITCHEN_HOSTS]
    #[arg(long, value_name = "NAMES")]
    pub hosts: Option<String>,
    /// Staff login name [env: CHEF_USERNAME] [default: chef]
    #[arg(long, value_name = "NAME")]
    pub chef_username: Option<String>,
    /// The shop's UTC offset, e.g. +05:00 for Pakistan [env: SHOP_UTC_OFFSET] [default:
    /// this computer's]
    #[arg(long, value_name = "OFFSET", allow_hyphen_values = true)]
    pub utc_offset: Option<String>,
    /// Local hour (0-23) at which a new business day, and so order #1, begins [env:
    /// BUSINESS_DAY_STARTS_AT] [default: 5]
    #[arg(long, value_name = "HOUR")]
    pub day_starts_at: Option<String>,
    /// How long (ms) a write waits for a locked database before answering 503 [env:
    /// SQLITE_BUSY_TIMEOUT_MS] [default: 5000]
    #[arg(long, value_name = "MS")]
    pub busy_timeout_ms: Option<String>,
    /// Port of the public router that Twilio reaches (through the tunnel or your HTTPS
    /// proxy) [env: PUBLIC_PORT] [default: 8081]
    #[arg(long, value_name = "PORT")]
    pub public_port: Option<String>,
    /// Address of the public router [env: PUBLIC_BIND] [default: 127.0.0.1]
    #[arg(long, value_name = "IP")]
    pub public_bind: Option<String>,
    /// The HTTPS address Twilio uses to reach the public router, e.g.
    /// https://shop.example.com (stream URLs and signature checks use it) [env:
    /// PUBLIC_BASE_URL]
    #[arg(long, value_name = "URL")]
    pub public_base_url: Option<String>,
    /// Accept unsigned Twilio webhooks when TWILIO_AUTH_TOKEN is not set. Local experiments
    /// only.
    #[arg(long)]
    pub insecure_dev: bool,
    /// Your Twilio account (taken from each webhook when not set) [env: TWILIO_ACCOUNT_SID]
    #[arg(long, value_name = "SID")]
    pub twilio_account_sid: Option<String>,
    /// Twilio's REST API base URL [env: TWILIO_API_BASE] [default:
    /// https://api.twilio.com/2010-04-01]
    #[arg(long, value_name = "URL")]
    pub twilio_api_base: Option<String>,
    /// Twilio Studio's REST API base URL, where the fallback flow is kept [env:
    /// TWILIO_STUDIO_BASE] [default: https://studio.twilio.com/v2]
    #[arg(long, value_name = "URL")]
    pub twilio_studio_base: Option<String>,
    /// The OpenAI Realtime endpoint [env: OPENAI_REALTIME_URL] [default:
    /// wss://api.openai.com/v1/realtime]
    #[arg(long, value_name = "URL")]
    pub openai_realtime_url: Option<String>,
    /// OpenAI's REST API, for SIP call control [env: OPENAI_API_BASE] [default:
    /// https://api.openai.com/v1]
    #[arg(long, value_name = "URL")]
    pub openai_api_base: Option<String>,
    /// The GPT-Live endpoint [env: OPENAI_LIVE_URL] [default:
    /// wss://api.openai.com/v1/live/sessions]
    #[arg(long, value_name = "URL")]
    pub openai_live_url: Option<String>,
    /// Twilio's Elastic SIP Trunking REST API [env: TWILIO_TRUNKING_BASE] [default:
    /// https://trunking.twilio.com/v1]
    #[arg(long, value_name = "URL")]
    pub twilio_trunking_base: Option<String>,
    /// The engine that answers calls: realtime-bridge, live-bridge, sip-live or
    /// sip-realtime [env: VOICE_ENGINE] [default: realtime-bridge]
    #[arg(long, value_name = "ENGINE")]
    pub voice_engine: Option<String>,
    /// The Realtime model (the -mini variant is cheaper) [env: OPENAI_REALTIME_MODEL]
    /// [default: gpt-realtime-2.1]
    #[arg(long, value_name = "MODEL")]
    pub openai_model: Option<String>,
    /// The AI's voice [env: OPENAI_VOICE] [default: marin]
    #[arg(long, value_name = "VOICE")]
    pub openai_voice: Option<String>,
    /// The shop's name, said in the greeting [env: SHOP_NAME] [default: Melt 8 Pizza]
    #[arg(long, value_name = "NAME")]
    pub shop_name: Option<String>,
    /// A greeting instead of the default one [env: SHOP_GREETING]
    #[arg(long, value_name = "TEXT")]
    pub shop_greeting: Option<String>,
    /// The shop's phone: callers who ask for a person, or whom the AI cannot serve, go here
    /// [env: SHOP_PHONE]
    #[arg(long, value_name = "PHONE")]
    pub shop_phone: Option<String>,
    /// The shop's Twilio number, the one callers dial (e.g. +924235550123) [env:
    /// TWILIO_PHONE_NUMBER]
    #[arg(long, value_name = "PHONE")]
    pub twilio_phone_number: Option<String>,
    /// A reserved ngrok domain for the tunnel, e.g. melt8-gulberg.ngrok.app [env:
    /// NGROK_DOMAIN]
    #[arg(long, value_name = "DOMAIN")]
    pub ngrok_domain: Option<String>,
    /// The shop is configured through the environment or flags: the first-run setup wizard
    /// counts as done, so the dashboard opens on the board [env: SKIP_SETUP_WIZARD]
    #[arg(long)]
    pub skip_setup_wizard: bool,
    /// Minutes until delivery, told to callers [env: ETA_MINUTES] [default: 35]
    #[arg(long, value_name = "MINUTES")]
    pub eta_minutes: Option<String>,
    /// PostgreSQL to sync orders to, e.g. postgres://user:password@host:5432/db
    /// (?sslmode=require for TLS). Without it orders stay on this PC only. Prefer the
    /// variable: a flag shows in `ps` [env: DATABASE_URL]
    #[arg(long, value_name = "URL")]
    pub database_url: Option<String>,
    /// This shop's id in a shared PostgreSQL database [env: SHOP_ID] [default: generated at
    /// first start]
    #[arg(long, value_name = "ID")]
    pub shop_id: Option<String>,
}

/// The environment: the process's variables over those of a `.env` file.
#[derive(Debug, Clone, Default)]
pub struct Env {
    vars: HashMap<String, String>,
}

impl Env {
    /// The process environment over `.env` in the current folder (if there is one).
    pub fn from_process() -> Result<Env, String> {
        let mut vars: HashMap<String, String> = HashMap::new();
        match dotenvy::dotenv_iter() {
            Ok(iter) => {
                for item in iter {
                    let (k, v) = item.map_err(|e| {
                        format!("could not read the .env file: {e}. Fix the line it names, or remove the file.")
                    })?;
                    vars.insert(k, v);
                }
            }
            Err(e) if e.not_found() => {}
            Err(e) => {
                return Err(format!(
                    "could not read the .env file: {e}. Fix the line it names, or remove the file."
                ));
            }
        }
        vars.extend(std::env::vars());
        Ok(Env { vars })
    }

    /// Exactly these variables (tests).
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Env {
        Env {
            vars: pairs
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }

    /// A variable's value; an empty one counts as unset.
    pub fn get(&self, name: &str) -> Option<String> {
        self.vars
            .get(name)
            .filter(|v| !v.trim().is_empty())
            .cloned()
    }
}

/// Why the configuration could not be loaded: every problem, one per line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the configuration has {} problem(s):\n  {}", .0.len(), .0.join("\n  "))]
pub struct ConfigError(pub Vec<String>);

/// One value: the flag's if given, else the variable's.
struct Source<'a> {
    env: &'a Env,
    problems: Vec<String>,
}

impl Source<'_> {
    fn raw(&self, flag: &Option<String>, var: &str) -> Option<String> {
        flag.clone()
            .filter(|v| !v.trim().is_empty())
            .or_else(|| self.env.get(var))
    }

    /// The value of `--flag` or `VAR`, parsed; a problem names both.
    fn parse<T>(
        &mut self,
        (flag, value): (&str, &Option<String>),
        var: &str,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<T> {
        let v = self.raw(value, var)?;
        match parse(v.trim()) {
            Ok(v) => Some(v),
            Err(e) => {
                self.problems.push(format!("{var} ({flag}): {e}"));
                None
            }
        }
    }
}

fn port(v: &str) -> Result<u16, String> {
    v.parse()
        .map_err(|_| format!("`{v}` is not a port number (0 to 65535)"))
}

fn ip(v: &str) -> Result<IpAddr, String> {
    v.parse()
        .map_err(|_| format!("`{v}` is not an IP address such as 127.0.0.1 or 0.0.0.0"))
}

impl Config {
    /// Loads the configuration from `flags` (none for the desktop app) and `env`.
    pub fn load(flags: &Flags, env: &Env) -> Result<Config, ConfigError> {
        let mut s = Source {
            env,
            problems: Vec::new(),
        };
        let data_dir = flags
            .data_dir
            .clone()
            .or_else(|| env.get("MELT8_DATA_DIR").map(PathBuf::from))
            .unwrap_or_else(default_data_dir);
        let mut c = Config::new(&data_dir);
        if let Some(v) = s.parse(("--port", &flags.port), "KITCHEN_PORT", port) {
            c.port = v;
        }
        if let Some(v) = s.parse(("--bind", &flags.bind), "KITCHEN_BIND", ip) {
            c.bind = v;
        }
        if let Some(v) = s.raw(&flags.hosts, "KITCHEN_HOSTS") {
            c.allowed_hosts = v
                .split(',')
                .map(|n| n.trim().to_string())
                .filter(|n| !n.is_empty())
                .collect();
        }
        if let Some(v) = s.raw(&flags.chef_username, "CHEF_USERNAME") {
            c.chef_username = v.trim().to_string();
        }
        // Never a flag: it would show in `ps`.
        c.chef_password = env.get("CHEF_PASSWORD").map(Secret::new);
        c.business_day.utc_offset = s
            .parse(
                ("--utc-offset", &flags.utc_offset),
                "SHOP_UTC_OFFSET",
                parse_utc_offset,
            )
            .unwrap_or_else(local_offset);
        if let Some(h) = s.parse(
            ("--day-starts-at", &flags.day_starts_at),
            "BUSINESS_DAY_STARTS_AT",
            |v| match parse_number(v) {
                Ok(h) if h <= 23 => Ok(h),
                _ => Err(format!("`{v}` is not an hour from 0 to 23")),
            },
        ) {
            c.business_day.starts_at_hour = h;
        }
        if let Some(ms) = s.parse(
            ("--busy-timeout-ms", &flags.busy_timeout_ms),
            "SQLITE_BUSY_TIMEOUT_MS",
            |v| {
                v.parse::<u64>()
                    .map_err(|_| format!("`{v}` is not a number of milliseconds"))
            },
        ) {
            c.busy_timeout = Duration::from_millis(ms);
        }
        let phone: &mut PhoneConfig = &mut c.phone;
        if let Some(v) = s.parse(("--public-port", &flags.public_port), "PUBLIC_PORT", port) {
            phone.public_port = v;
        }
        if let Some(v) = s.parse(("--public-bind", &flags.public_bind), "PUBLIC_BIND", ip) {
            phone.public_bind = v;
        }
        phone.public_base_url = s.parse(
            ("--public-base-url", &flags.public_base_url),
            "PUBLIC_BASE_URL",
            normalise_public_base_url,
        );
        phone.insecure_dev = flags.insecure_dev;
        if let Some(v) = s.raw(&flags.twilio_api_base, "TWILIO_API_BASE") {
            phone.twilio_api_base = v.trim().trim_end_matches('/').to_string();
        }
        if let Some(v) = s.raw(&flags.twilio_studio_base, "TWILIO_STUDIO_BASE") {
            phone.twilio_studio_base = v.trim().trim_end_matches('/').to_string();
        }
        if let Some(v) = s.raw(&flags.openai_realtime_url, "OPENAI_REALTIME_URL") {
            phone.openai_realtime_url = v.trim().to_string();
        }
        if let Some(v) = s.raw(&flags.openai_api_base, "OPENAI_API_BASE") {
            phone.openai_api_base = v.trim().trim_end_matches('/').to_string();
        }
        if let Some(v) = s.raw(&flags.openai_live_url, "OPENAI_LIVE_URL") {
            phone.openai_live_url = v.trim().to_string();
        }
        if let Some(v) = s.raw(&flags.twilio_trunking_base, "TWILIO_TRUNKING_BASE") {
            phone.twilio_trunking_base = v.trim().trim_end_matches('/').to_string();
        }
        if let Some(v) = s.raw(&flags.openai_voice, "OPENAI_VOICE") {
            phone.openai_voice = v.trim().to_string();
        }
        // How the live bridge paces GPT-Live's audio and prices its minutes (environment
        // only): LIVE_OUTPUT_PACING (realtime | off), LIVE_OUTPUT_LEAD_MS (how far ahead of
        // playback the model's audio is sent), OPENAI_LIVE_PAISA_PER_MINUTE (the session
        // price the call log's cost uses). The engine and the GPT-Live models are shop
        // settings (VOICE_ENGINE, OPENAI_LIVE_MODEL, OPENAI_LIVE_BACKEND_MODEL).
        let none = None;
        if let Some(v) = s.parse(
            ("LIVE_OUTPUT_PACING", &none),
            "LIVE_OUTPUT_PACING",
            |v| match v.trim() {
                "realtime" => Ok(true),
                "off" => Ok(false),
                other => Err(format!("`{other}` is not `realtime` or `off`")),
            },
        ) {
            phone.live_pacing.realtime = v;
        }
        if let Some(v) = s.parse(("LIVE_OUTPUT_LEAD_MS", &none), "LIVE_OUTPUT_LEAD_MS", |v| {
            v.trim()
                .parse::<u64>()
                .ok()
                .filter(|ms| *ms <= 5_000)
                .ok_or_else(|| format!("`{v}` is not a number of milliseconds from 0 to 5000"))
        }) {
            phone.live_pacing.lead_ms = v;
        }
        if let Some(v) = s.parse(
            ("OPENAI_LIVE_PAISA_PER_MINUTE", &none),
            "OPENAI_LIVE_PAISA_PER_MINUTE",
            |v| {
                v.trim()
                    .parse::<u32>()
                    .map_err(|_| format!("`{v}` is not a whole number of paisa"))
            },
        ) {
            phone.live_price_paisa_per_minute = v;
        }
        let database_url = s.raw(&flags.database_url, "DATABASE_URL");
        c.sync.database_url = database_url.map(kitchen_sync::DatabaseUrl::new);
        c.sync.shop_id = s.parse(
            ("--shop-id", &flags.shop_id),
            "SHOP_ID",
            kitchen_sync::shop::validate_shop_id,
        );

        // The shop's settings: flags over variables, checked by the dashboard's rules.
        let skip = flags.skip_setup_wizard;
        let by_flag: [(&str, &Option<String>); 9] = [
            (settings_env::vars::VOICE_ENGINE, &flags.voice_engine),
            (settings_env::vars::SHOP_NAME, &flags.shop_name),
            (settings_env::vars::SHOP_GREETING, &flags.shop_greeting),
            (settings_env::vars::ETA_MINUTES, &flags.eta_minutes),
            (settings_env::vars::SHOP_PHONE, &flags.shop_phone),
            (
                settings_env::vars::TWILIO_ACCOUNT_SID,
                &flags.twilio_account_sid,
            ),
            (
                settings_env::vars::TWILIO_PHONE_NUMBER,
                &flags.twilio_phone_number,
            ),
            (
                settings_env::vars::OPENAI_REALTIME_MODEL,
                &flags.openai_model,
            ),
            (settings_env::vars::NGROK_DOMAIN, &flags.ngrok_domain),
        ];
        let lookup = |var: &str| {
            if var == settings_env::vars::SKIP_SETUP_WIZARD && skip {
                return Some("true".to_string());
            }
            by_flag
                .iter()
                .find(|(v, _)| *v == var)
                .and_then(|(_, f)| (*f).clone())
                .filter(|v| !v.trim().is_empty())
                .or_else(|| env.get(var))
        };
        match settings_env::layer(lookup) {
            Ok(layer) => c.settings = layer,
            Err(errors) => s.problems.extend(errors.into_iter().map(|e| {
                let flag = by_flag
                    .iter()
                    .find(|(v, _)| *v == e.field)
                    .map(|(v, _)| format!(" (--{})", flag_name(v)))
                    .unwrap_or_default();
                format!("{}{flag}: {}", e.field, e.message)
            })),
        }
        if s.problems.is_empty() {
            Ok(c)
        } else {
            Err(ConfigError(s.problems))
        }
    }
}

/// The flag that overrides a settings variable.
fn flag_name(var: &str) -> String {
    match var {
        "SHOP_GREETING" => "shop-greeting".into(),
        "OPENAI_REALTIME_MODEL" => "openai-model".into(),
        v => v.to_ascii_lowercase().replace('_', "-"),
    }
}
