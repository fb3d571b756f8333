//! Which voice engine answers the shop's calls.

use serde::{Deserialize, Serialize};

/// The voice engine (`VOICE_ENGINE`): how a call's audio reaches an OpenAI model.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum VoiceEngine {
    /// Twilio Media Streams ⇄ this PC ⇄ the OpenAI Realtime API (the original engine).
    #[default]
    RealtimeBridge,
    /// Twilio Media Streams ⇄ this PC ⇄ OpenAI GPT-Live over WebSocket.
    LiveBridge,
    /// Twilio SIP trunk → GPT-Live directly; this PC runs only the tools (sideband).
    SipLive,
    /// Twilio SIP trunk → the Realtime API directly; this PC runs only the tools.
    SipRealtime,
}

impl VoiceEngine {
    /// Every engine, in the order the settings list them.
    pub const ALL: [VoiceEngine; 4] = [
        VoiceEngine::RealtimeBridge,
        VoiceEngine::LiveBridge,
        VoiceEngine::SipLive,
        VoiceEngine::SipRealtime,
    ];

    /// The kebab-case name (`live-bridge`), as in settings and `VOICE_ENGINE`.
    pub fn as_str(self) -> &'static str {
        match self {
            VoiceEngine::RealtimeBridge => "realtime-bridge",
            VoiceEngine::LiveBridge => "live-bridge",
            VoiceEngine::SipLive => "sip-live",
            VoiceEngine::SipRealtime => "sip-realtime",
        }
    }
}

impl std::str::FromStr for VoiceEngine {
    type Err = String;

    fn from_str(s: &str) -> Result<VoiceEngine, String> {
        VoiceEngine::ALL
            .into_iter()
            .find(|e| e.as_str() == s.trim())
            .ok_or_else(|| {
                format!(
                    "unknown voice engine `{s}` (one of: realtime-bridge, live-bridge, sip-live, sip-realtime)"
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_through_serde_and_from_str() {
        for e in VoiceEngine::ALL {
            let json = serde_json::to_string(&e).unwrap();
            assert_eq!(json, format!("\"{}\"", e.as_str()));
            assert_eq!(e.as_str().parse::<VoiceEngine>(), Ok(e));
        }
        assert!("live".parse::<VoiceEngine>().is_err());
    }
}
