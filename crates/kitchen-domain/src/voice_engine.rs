//! Which voice engine answers the shop's calls, and the OpenAI project a SIP engine uses.
//!
//! - `realtime-bridge` (the default): Twilio Media Streams ⇄ the shop PC ⇄ the OpenAI
//!   Realtime API. The caller's audio crosses the shop's internet line both ways.
//! - `live-bridge`: Twilio Media Streams ⇄ the shop PC ⇄ GPT-Live over WebSocket.
//! - `sip-live`, `sip-realtime`: Twilio sends the call to OpenAI over SIP (an Elastic SIP
//!   trunk); the PC answers OpenAI's webhook, accepts the call and runs the tools over a
//!   sideband connection. No audio touches the PC.

use crate::settings::Problem;
use serde::{Deserialize, Serialize};

/// The engine that answers calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "kebab-case")]
pub enum VoiceEngine {
    /// Twilio Media Streams relayed by the PC to the OpenAI Realtime API.
    #[default]
    RealtimeBridge,
    /// Twilio Media Streams relayed by the PC to GPT-Live.
    LiveBridge,
    /// Twilio → GPT-Live over SIP; the PC runs the tools over a sideband.
    SipLive,
    /// Twilio → the Realtime API over SIP; the PC runs the tools over a sideband.
    SipRealtime,
}

impl VoiceEngine {
    /// Every engine, the default first.
    pub const ALL: [VoiceEngine; 4] = [
        VoiceEngine::RealtimeBridge,
        VoiceEngine::LiveBridge,
        VoiceEngine::SipLive,
        VoiceEngine::SipRealtime,
    ];

    /// Its name in settings, `VOICE_ENGINE` and `/health`.
    pub fn as_str(self) -> &'static str {
        match self {
            VoiceEngine::RealtimeBridge => "realtime-bridge",
            VoiceEngine::LiveBridge => "live-bridge",
            VoiceEngine::SipLive => "sip-live",
            VoiceEngine::SipRealtime => "sip-realtime",
        }
    }

    /// Whether calls reach OpenAI over SIP (the number sits on a SIP trunk; no audio on
    /// the PC) rather than through the PC's media-stream relay.
    pub fn is_sip(self) -> bool {
        matches!(self, VoiceEngine::SipLive | VoiceEngine::SipRealtime)
    }

    /// Whether the engine talks to GPT-Live (else the Realtime API).
    pub fn is_live(self) -> bool {
        matches!(self, VoiceEngine::LiveBridge | VoiceEngine::SipLive)
    }

    /// Parses an engine's name; anything else is a coded problem naming the four.
    pub fn parse(s: &str) -> Result<VoiceEngine, Problem> {
        let s = s.trim();
        VoiceEngine::ALL
            .into_iter()
            .find(|e| e.as_str() == s)
            .ok_or_else(|| {
                Problem::new(
                    "voice_engine",
                    "choose realtime-bridge, live-bridge, sip-live or sip-realtime",
                )
            })
    }
}

impl std::fmt::Display for VoiceEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An OpenAI project id (`proj_…`): the SIP address `sip:<id>@sip.api.openai.com` and the
/// project whose webhooks the shop receives.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ProjectId(String);

impl ProjectId {
    /// Checks a pasted project id.
    pub fn parse(s: &str) -> Result<ProjectId, Problem> {
        let s = s.trim();
        let rest = s.strip_prefix("proj_").unwrap_or_default();
        if (4..=64).contains(&rest.len()) && rest.chars().all(|c| c.is_ascii_alphanumeric()) {
            Ok(ProjectId(s.to_string()))
        } else {
            Err(Problem::new(
                "openai_project_format",
                "That is not an OpenAI project id: it starts with proj_ (OpenAI dashboard → \
                 Settings → Project → General).",
            ))
        }
    }

    /// The id.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engines_parse_by_name_and_say_which_are_sip() {
        for e in VoiceEngine::ALL {
            assert_eq!(VoiceEngine::parse(e.as_str()).unwrap(), e);
            let json = serde_json::to_string(&e).unwrap();
            assert_eq!(json, format!("\"{}\"", e.as_str()));
        }
        assert_eq!(VoiceEngine::default(), VoiceEngine::RealtimeBridge);
        assert!(VoiceEngine::SipLive.is_sip() && VoiceEngine::SipRealtime.is_sip());
        assert!(!VoiceEngine::LiveBridge.is_sip() && !VoiceEngine::RealtimeBridge.is_sip());
        assert!(VoiceEngine::LiveBridge.is_live() && !VoiceEngine::SipRealtime.is_live());
        assert_eq!(
            VoiceEngine::parse("gpt-live").unwrap_err().code,
            "voice_engine"
        );
    }

    #[test]
    fn project_ids_start_with_proj() {
        assert_eq!(
            ProjectId::parse(" proj_AbC123xyz ").unwrap().as_str(),
            "proj_AbC123xyz"
        );
        for bad in ["", "proj_", "proj_a b", "sk-123", "proj_ab"] {
            assert_eq!(
                ProjectId::parse(bad).unwrap_err().code,
                "openai_project_format",
                "{bad}"
            );
        }
    }
}
