//! How the phone side is set up: where Twilio reaches us, the AI's endpoint, model and
//! voice, the shop's details said on calls, and the secrets calls need. Filled from flags,
//! the environment and `.env` by the server's loader, then overlaid with the settings
//! stored from the dashboard ([`PhoneConfig::with_stored`]).

use kitchen_core::settings::StoredSettings;
use kitchen_domain::Secret;
use std::net::{IpAddr, Ipv4Addr};

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
    /// How long the one-time stream token of a call stays valid (60 s; tests shorten it).
    pub stream_token_ttl: std::time::Duration,
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

/// How long the one-time stream token of a call stays valid (the webhook answers, then
/// Twilio opens the media stream).
pub const TOKEN_TTL: std::time::Duration = std::time::Duration::from_secs(60);

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
            stream_token_ttl: TOKEN_TTL,
        }
    }
}

impl PhoneConfig {
    /// This configuration with the settings stored from the dashboard laid over it: each
    /// stored value wins over the environment variable or flag it overrides.
    pub fn with_stored(&self, stored: &StoredSettings) -> PhoneConfig {
        let mut cfg = self.clone();
        if let Some(v) = &stored.shop_name {
            cfg.shop_name = v.clone();
        }
        if let Some(v) = &stored.greeting {
            cfg.greeting = Some(v.clone());
        }
        if let Some(v) = stored.eta_minutes {
            cfg.eta_minutes = v;
        }
        if let Some(v) = &stored.shop_phone {
            cfg.shop_phone = Some(v.clone());
        }
        if let Some(v) = &stored.openai_api_key {
            cfg.openai_api_key = Some(v.clone());
        }
        if let Some(v) = &stored.twilio_auth_token {
            cfg.twilio_auth_token = Some(v.clone());
        }
        if let Some(v) = &stored.twilio_account_sid {
            cfg.twilio_account_sid = Some(v.clone());
        }
        if let Some(v) = &stored.twilio_phone_number {
            cfg.twilio_phone_number = Some(v.clone());
        }
        if let Some(v) = &stored.openai_model {
            cfg.openai_model = v.clone();
        }
        if let Some(v) = &stored.ngrok_domain {
            cfg.ngrok_domain = Some(v.clone());
        }
        if let Some(v) = &stored.ngrok_authtoken {
            cfg.ngrok_authtoken = Some(v.clone());
        }
        cfg
    }
}

impl Default for PhoneConfig {
    fn default() -> Self {
        PhoneConfig::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
