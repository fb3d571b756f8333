//! Which voice engine answers the shop's calls.

use serde::{Deserialize, Serialize};

/// How a call reaches the AI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum VoiceEngine {
    /// Twilio Media Streams through the shop PC to the OpenAI Realtime API (today's path).
    #[default]
    RealtimeBridge,
    /// Twilio Media Streams through the shop PC to GPT-Live.
    LiveBridge,
    /// Twilio SIP trunk straight to GPT-Live; the PC keeps only a control sideband.
    SipLive,
    /// Twilio SIP trunk straight to the Realtime API; the PC keeps only a control sideband.
    SipRealtime,
}

impl VoiceEngine {
    /// The settings' name (`realtime-bridge`, `sip-live`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            VoiceEngine::RealtimeBridge => "realtime-bridge",
            VoiceEngine::LiveBridge => "live-bridge",
            VoiceEngine::SipLive => "sip-live",
            VoiceEngine::SipRealtime => "sip-realtime",
        }
    }

    /// Whether calls arrive over SIP at OpenAI (no audio through the PC).
    pub fn is_sip(self) -> bool {
        matches!(self, VoiceEngine::SipLive | VoiceEngine::SipRealtime)
    }
}
