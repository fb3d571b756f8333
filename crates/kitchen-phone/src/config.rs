//! How the phone side is set up. Two parts:
//! - [`PhoneConfig`]: where Twilio reaches us and the AI's endpoint, voice and timing —
//!   fixed for the process, filled from flags, the environment and `.env` by the server's
//!   one loader;
//! - the shop's settings (name, greeting, phones, model, secrets …), owned by the settings
//!   service and followed through a `watch` subscription.
//!
//! [`CallConfig`] is the two together, with the public URL in effect (the tunnel's while it
//! is online, else `PUBLIC_BASE_URL`), taken once per use so a call sees one consistent
//! snapshot.

use kitchen_domain::{Secret, ShopSettings, VoiceEngine};
use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;
use voice_protocol::realtime::session::{ServerVad, TurnDetection};

/// Where Twilio reaches us and how calls are answered (not the shop's settings).
#[derive(Debug, Clone)]
pub struct PhoneConfig {
    /// Address of the public (Twilio) router.
    pub public_bind: IpAddr,
    /// Port of the public (Twilio) router (`PUBLIC_PORT`); 0 picks a free one.
    pub public_port: u16,
    /// What Twilio sees (`PUBLIC_BASE_URL`, e.g. `https://shop.example.com`): stream URLs and
    /// signature checks use it, never the local address. The app's own tunnel's URL wins
    /// while it is online.
    pub public_base_url: Option<String>,
    /// Twilio's REST API (`TWILIO_API_BASE`).
    pub twilio_api_base: String,
    /// Twilio Studio's REST API (`TWILIO_STUDIO_BASE`), where the fallback flow is kept.
    pub twilio_studio_base: String,
    /// Accept unsigned webhooks (`--insecure-dev`): for local experiments only.
    pub insecure_dev: bool,
    /// The Realtime endpoint (`OPENAI_REALTIME_URL`).
    pub openai_realtime_url: String,
    /// OpenAI's REST API (`OPENAI_API_BASE`): SIP call control (accept, reject, refer,
    /// hang up).
    pub openai_api_base: String,
    /// The GPT-Live WebSocket endpoint (`OPENAI_LIVE_URL`).
    pub openai_live_url: String,
    /// Twilio's Elastic SIP Trunking REST API (`TWILIO_TRUNKING_BASE`).
    pub twilio_trunking_base: String,
    /// The AI's voice (`OPENAI_VOICE`).
    pub openai_voice: String,
    /// The model that transcribes the caller for the call log.
    pub transcription_model: String,
    /// Voice activity detection tuned for phone lines.
    pub vad: VadConfig,
    /// Every timeout of the call path: the stream token, `start`, the AI connection, the
    /// call's length (tests shorten them).
    pub timeouts: crate::timeouts::CallTimeouts,
    /// How the live bridge paces the model's audio to Twilio (`LIVE_OUTPUT_PACING` =
    /// `realtime`|`off`, `LIVE_OUTPUT_LEAD_MS`).
    pub live_pacing: crate::live::LivePacing,
    /// GPT-Live's price per session minute, in paisa (`OPENAI_LIVE_PAISA_PER_MINUTE`):
    /// $0.05 at 280 rupees to the dollar is 1,400; silence is billed too.
    pub live_price_paisa_per_minute: u32,
}

/// GPT-Live's list price ($0.05 a minute) in paisa at 280 rupees to the dollar.
pub const LIVE_PAISA_PER_MINUTE: u32 = 1_400;

/// Server voice-activity detection settings.
#[derive(Debug, Clone, Copy)]
pub struct VadConfig {
    /// Speech probability threshold, 0–1 (higher ignores more line noise).
    pub threshold: f64,
    /// Audio kept before detected speech.
    pub prefix_padding_ms: u32,
    /// Silence that ends the caller's turn.
    pub silence_duration_ms: u32,
    /// Silence that ends the caller's turn while they dictate an address or a number
    /// ([`crate::session::Input::Dictation`]): callers pause between the parts of an address
    /// and between groups of digits, and must not be answered in those pauses.
    pub dictation_silence_duration_ms: u32,
    /// Silence after which the AI prompts the caller.
    pub idle_timeout_ms: u32,
}

impl VadConfig {
    /// `audio.input.turn_detection` for this call: server VAD with these settings and the
    /// end-of-turn silence of normal talk or of dictation.
    ///
    /// The server neither answers nor interrupts by itself (`create_response` and
    /// `interrupt_response` off): the relay decides, because a short «جی» while the AI
    /// reads back must neither cancel the read-back nor be answered
    /// ([`crate::session`]'s turn rules). VAD events are still sent.
    pub fn turn_detection(&self, dictation: bool) -> TurnDetection {
        TurnDetection::ServerVad(ServerVad {
            threshold: Some(self.threshold),
            prefix_padding_ms: Some(self.prefix_padding_ms),
            silence_duration_ms: Some(self.silence_ms(dictation)),
            create_response: Some(false),
            interrupt_response: Some(false),
            idle_timeout_ms: Some(self.idle_timeout_ms),
        })
    }

    /// The end-of-turn silence, while dictating or not.
    pub fn silence_ms(&self, dictation: bool) -> u32 {
        if dictation {
            self.dictation_silence_duration_ms
        } else {
            self.silence_duration_ms
        }
    }
}

impl Default for VadConfig {
    fn default() -> Self {
        // A little more patient than the API's defaults: phone lines are noisy and callers
        // pause to think about the address.
        VadConfig {
            threshold: 0.6,
            prefix_padding_ms: 300,
            silence_duration_ms: 650,
            dictation_silence_duration_ms: 1200,
            idle_timeout_ms: 9000,
        }
    }
}

/// How long the one-time stream token of a call stays valid (the webhook answers, then
/// Twilio opens the media stream).
pub const TOKEN_TTL: std::time::Duration = std::time::Duration::from_secs(60);

/// The real services' addresses (every one can be overridden for tests and proxies).
pub const OPENAI_REALTIME_URL: &str = "wss://api.openai.com/v1/realtime";
/// A current, non-deprecated Realtime model (the settings' default).
pub const OPENAI_REALTIME_MODEL: &str = kitchen_domain::settings::defaults::OPENAI_MODEL;
/// Twilio's REST API.
pub const TWILIO_API_BASE: &str = "https://api.twilio.com/2010-04-01";
/// Twilio Studio's REST API (v2).
pub const TWILIO_STUDIO_BASE: &str = "https://studio.twilio.com/v2";
/// OpenAI's REST API.
pub const OPENAI_API_BASE: &str = "https://api.openai.com/v1";
/// The GPT-Live WebSocket endpoint (no query parameters: the model goes in `session.start`).
pub const OPENAI_LIVE_URL: &str = "wss://api.openai.com/v1/live/sessions";
/// Twilio's Elastic SIP Trunking REST API.
pub const TWILIO_TRUNKING_BASE: &str = "https://trunking.twilio.com/v1";

impl PhoneConfig {
    /// Defaults: public router on 127.0.0.1:8081, the real OpenAI and Twilio URLs.
    pub fn new() -> Self {
        PhoneConfig {
            public_bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            public_port: 8081,
            public_base_url: None,
            twilio_api_base: TWILIO_API_BASE.to_string(),
            twilio_studio_base: TWILIO_STUDIO_BASE.to_string(),
            insecure_dev: false,
            openai_realtime_url: OPENAI_REALTIME_URL.to_string(),
            openai_api_base: OPENAI_API_BASE.to_string(),
            openai_live_url: OPENAI_LIVE_URL.to_string(),
            twilio_trunking_base: TWILIO_TRUNKING_BASE.to_string(),
            openai_voice: "marin".to_string(),
            transcription_model: "gpt-4o-mini-transcribe".to_string(),
            vad: VadConfig::default(),
            timeouts: crate::timeouts::CallTimeouts::default(),
            live_pacing: crate::live::LivePacing::default(),
            live_price_paisa_per_minute: LIVE_PAISA_PER_MINUTE,
        }
    }
}

/// What one use of the phone side sees: the process's [`PhoneConfig`], the shop's
/// settings in effect, and the public URL in effect. Reads through to the
/// [`PhoneConfig`]'s fields (`cfg.twilio_api_base`); the settings' values come as the
/// plain text the call path uses.
#[derive(Debug, Clone)]
pub struct CallConfig {
    /// The process's part.
    pub base: PhoneConfig,
    /// The shop's settings in effect.
    pub settings: Arc<ShopSettings>,
    /// Where Twilio reaches us now: the tunnel's URL while it is online, else
    /// `PUBLIC_BASE_URL`.
    pub public_base_url: Option<String>,
    /// The shop's name, said in the greeting.
    pub shop_name: String,
    /// A greeting instead of the default.
    pub greeting: Option<String>,
    /// Where callers go when they ask for a person or the AI cannot serve (E.164).
    pub shop_phone: Option<String>,
    /// The shop's own Twilio number (E.164).
    pub twilio_phone_number: Option<String>,
    /// The Twilio account; taken from the webhook when not set.
    pub twilio_account_sid: Option<String>,
    /// Checks `X-Twilio-Signature`, and authenticates REST calls.
    pub twilio_auth_token: Option<Secret>,
    /// The AI's key. Without one, calls go to the shop's phone.
    pub openai_api_key: Option<Secret>,
    /// The Realtime model.
    pub openai_model: String,
    /// The engine that answers calls.
    pub voice_engine: VoiceEngine,
    /// The OpenAI project that takes SIP calls (`proj_…`).
    pub openai_project_id: Option<String>,
    /// Checks the signatures of OpenAI's webhooks (SIP engines).
    pub openai_webhook_secret: Option<Secret>,
    /// The GPT-Live model.
    pub openai_live_model: String,
    /// The Responses model GPT-Live delegates the tools to.
    pub openai_live_backend_model: String,
    /// Minutes until delivery, told to callers.
    pub eta_minutes: u32,
    /// The ngrok agent token.
    pub ngrok_authtoken: Option<Secret>,
    /// A reserved ngrok domain.
    pub ngrok_domain: Option<String>,
}

impl CallConfig {
    /// The process's configuration, the settings in effect and the tunnel's URL (if online).
    pub fn new(base: &PhoneConfig, settings: Arc<ShopSettings>, tunnel_url: Option<&str>) -> Self {
        let s = &settings;
        let text = |v: Option<&str>| v.map(str::to_string);
        CallConfig {
            public_base_url: tunnel_url
                .map(|u| u.trim_end_matches('/').to_string())
                .or_else(|| base.public_base_url.clone()),
            shop_name: s.shop_name.to_string(),
            greeting: text(s.greeting.as_ref().map(|g| g.as_str())),
            shop_phone: text(s.shop_phone.as_ref().map(|p| p.as_str())),
            twilio_phone_number: text(s.twilio_phone_number.as_ref().map(|p| p.as_str())),
            twilio_account_sid: text(s.twilio_account_sid.as_ref().map(|v| v.as_str())),
            twilio_auth_token: s.twilio_auth_token.clone(),
            openai_api_key: s.openai_api_key.clone(),
            openai_model: s.openai_model.to_string(),
            voice_engine: s.voice_engine,
            openai_project_id: text(s.openai_project_id.as_ref().map(|p| p.as_str())),
            openai_webhook_secret: s.openai_webhook_secret.clone(),
            openai_live_model: s.openai_live_model.to_string(),
            openai_live_backend_model: s.openai_live_backend_model.to_string(),
            eta_minutes: s.eta_minutes.get(),
            ngrok_authtoken: s.ngrok_authtoken.clone(),
            ngrok_domain: text(s.ngrok_domain.as_ref().map(|d| d.as_str())),
            base: base.clone(),
            settings,
        }
    }
}

impl std::ops::Deref for CallConfig {
    type Target = PhoneConfig;

    fn deref(&self) -> &PhoneConfig {
        &self.base
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
        assert_eq!(p.twilio_studio_base, "https://studio.twilio.com/v2");
        assert_eq!(p.openai_api_base, "https://api.openai.com/v1");
        assert_eq!(p.openai_live_url, "wss://api.openai.com/v1/live/sessions");
        assert_eq!(p.twilio_trunking_base, "https://trunking.twilio.com/v1");
        assert!(
            OPENAI_REALTIME_MODEL != "gpt-realtime" && OPENAI_REALTIME_MODEL != "gpt-realtime-mini"
        );
        assert_eq!(
            OPENAI_REALTIME_MODEL,
            kitchen_domain::settings::defaults::OPENAI_MODEL
        );
        assert_eq!(p.public_port, 8081);
    }

    #[test]
    fn the_tunnels_url_wins_over_the_configured_public_address() {
        let base = PhoneConfig {
            public_base_url: Some("https://shop.example.com".into()),
            ..PhoneConfig::new()
        };
        let settings = Arc::new(ShopSettings::default());
        let cfg = CallConfig::new(&base, settings.clone(), None);
        assert_eq!(
            cfg.public_base_url.as_deref(),
            Some("https://shop.example.com")
        );
        assert_eq!(cfg.shop_name, "Melt 8 Pizza");
        assert_eq!(
            cfg.twilio_api_base, TWILIO_API_BASE,
            "reads through to the base"
        );
        let online = CallConfig::new(&base, settings, Some("https://a.ngrok.app/"));
        assert_eq!(
            online.public_base_url.as_deref(),
            Some("https://a.ngrok.app")
        );
    }
}
