//! The GPT-Live session configuration: the `session` object of `session.start` (primary
//! WebSocket) and of a SIP accept call.
//!
//! The server rejects unknown fields, so every optional field is left out when unset.
//! Immutable after start: model, instructions, audio, the delegation mode.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The `session` object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionConfig {
    /// The voice model, e.g. `gpt-live-1.1`.
    pub model: String,
    /// The voice ("frontend") prompt: persona, backchannel and interruption policies, when
    /// to delegate. Business rules belong in the backend's instructions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instructions: Option<String>,
    /// Audio format and voice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio: Option<SessionAudio>,
    /// Who runs delegated tasks (our function tools).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delegation: Option<Delegation>,
}

impl SessionConfig {
    /// The same configuration as the `session` of `POST /v1/live/sessions/{id}/accept`:
    /// SIP negotiates its own codec, so `audio.format` goes, and the body names `type: live`.
    pub fn for_sip_accept(mut self) -> AcceptSession {
        if let Some(audio) = &mut self.audio {
            audio.format = None;
        }
        AcceptSession {
            kind: SessionKind::Live,
            config: self,
        }
    }
}

/// The `session` object of a SIP accept call: a [`SessionConfig`] plus `type`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AcceptSession {
    /// Always `live`.
    #[serde(rename = "type")]
    pub kind: SessionKind,
    /// The configuration, without `audio.format`.
    #[serde(flatten)]
    pub config: SessionConfig,
}

/// `session.type` of an accept body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SessionKind {
    /// A GPT-Live session.
    Live,
}

/// `session.audio`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionAudio {
    /// One format for both directions; primary WebSocket only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<AudioFormat>,
    /// The voice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<AudioOutput>,
}

/// `session.audio.format`. Unlike Realtime's, GPT-Live's µ-law object requires `rate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum AudioFormat {
    /// G.711 µ-law, 8 kHz: Twilio's Media Streams bytes as they are.
    #[serde(rename = "audio/pcmu")]
    Pcmu {
        /// Always 8000.
        rate: u32,
    },
    /// G.711 A-law, 8 kHz.
    #[serde(rename = "audio/pcma")]
    Pcma {
        /// Always 8000.
        rate: u32,
    },
    /// Raw PCM16LE mono, 16 or 24 kHz.
    #[serde(rename = "audio/pcm")]
    Pcm {
        /// 16000 or 24000.
        rate: u32,
    },
}

impl AudioFormat {
    /// µ-law at 8 kHz, Twilio's format.
    pub const TWILIO: AudioFormat = AudioFormat::Pcmu { rate: 8000 };
}

/// `session.audio.output`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AudioOutput {
    /// A built-in voice name (default `marin`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voice: Option<String>,
}

/// `session.delegation`: who handles the tasks the voice model delegates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum Delegation {
    /// Our application gets only a delegation id, no task text (unused by the bridge).
    #[serde(rename = "client")]
    Client {},
    /// A Responses model runs our function tools; calls reach us as `response.event`s.
    #[serde(rename = "responses")]
    Responses {
        /// The backend settings.
        responses: ResponsesDelegation,
    },
}

/// `session.delegation.responses`: the backend model, its prompt and our tools.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResponsesDelegation {
    /// The backend model, e.g. `gpt-5-mini`.
    pub model: String,
    /// The backend prompt: menu and order rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instructions: Option<String>,
    /// Our function tools.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tools: Vec<Tool>,
    /// `auto`, `none` or `required`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool_choice: Option<ToolChoiceMode>,
    /// Whether one backend turn may call several tools at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parallel_tool_calls: Option<bool>,
    /// Cap on the backend's output per response.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_output_tokens: Option<u32>,
}

/// A backend tool.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum Tool {
    /// A function we run.
    #[serde(rename = "function")]
    Function(FunctionTool),
}

/// `{type:"function", name, description, parameters, strict}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FunctionTool {
    /// The name the backend calls it by.
    pub name: String,
    /// When and how to call it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// JSON Schema of the arguments object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameters: Option<Value>,
    /// Strict schema adherence. Sent explicitly: the Responses API defaults it to true,
    /// which demands every property be required.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strict: Option<bool>,
}

/// Converts a Realtime function tool (our one definition of the phone tools).
impl From<crate::realtime::Tool> for Tool {
    fn from(tool: crate::realtime::Tool) -> Tool {
        let crate::realtime::Tool::Function(f) = tool;
        Tool::Function(FunctionTool {
            name: f.name,
            description: f.description,
            parameters: Some(f.parameters),
            strict: Some(false),
        })
    }
}

/// `tool_choice` modes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ToolChoiceMode {
    /// The backend decides.
    Auto,
    /// No tools.
    None,
    /// Must call a tool.
    Required,
}
