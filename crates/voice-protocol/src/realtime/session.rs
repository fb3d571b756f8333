//! The GA session and response configuration we send in `session.update` and
//! `response.create`.
//!
//! GA shape only: `session.type` is always present (`realtime`), and audio format, voice,
//! turn detection and transcription live under `audio.input` / `audio.output`. There is no
//! `input_audio_format`, no `temperature`. Every other field is optional and skipped when
//! `None`, because `session.update` is a partial update: only present fields change.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// The `session` object of `session.update`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SessionConfig {
    /// Always `realtime` (required by the GA API).
    #[serde(rename = "type")]
    pub kind: SessionKind,
    /// The model; normally chosen in the URL and fixed once audio has played.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// The system prompt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instructions: Option<String>,
    /// `["audio"]` for a phone call (audio comes with a transcript).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_modalities: Option<Vec<Modality>>,
    /// Audio formats, voice, turn detection, transcription.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio: Option<SessionAudio>,
    /// Functions the model may call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tools: Option<Vec<Tool>>,
    /// How the model chooses tools.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool_choice: Option<ToolChoice>,
    /// Cap on tokens in one response.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_output_tokens: Option<MaxOutputTokens>,
}

impl SessionConfig {
    /// A phone-call session: audio out, and µ-law (`audio/pcmu`) both ways, so Twilio's
    /// bytes pass through untouched. Everything else is left unset.
    pub fn phone_call() -> SessionConfig {
        SessionConfig {
            output_modalities: Some(vec![Modality::Audio]),
            audio: Some(SessionAudio {
                input: Some(AudioInput {
                    format: Some(AudioFormat::Pcmu),
                    ..AudioInput::default()
                }),
                output: Some(AudioOutput {
                    format: Some(AudioFormat::Pcmu),
                    ..AudioOutput::default()
                }),
            }),
            ..SessionConfig::default()
        }
    }
}

/// The session type; the Realtime API takes `realtime` (transcription sessions are not ours).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum SessionKind {
    /// A speech-to-speech session.
    #[default]
    #[serde(rename = "realtime")]
    Realtime,
}

/// An output modality.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Modality {
    /// Speech (with a transcript).
    Audio,
    /// Text only.
    Text,
}

/// `session.audio`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SessionAudio {
    /// What the caller sends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<AudioInput>,
    /// What the model speaks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<AudioOutput>,
}

/// `session.audio.input`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AudioInput {
    /// Input audio format.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<AudioFormat>,
    /// Noise filtering before VAD and the model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub noise_reduction: Option<NoiseReduction>,
    /// Advisory transcription of the caller (a separate model).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transcription: Option<Transcription>,
    /// How the server decides the caller finished a turn.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub turn_detection: Option<TurnDetection>,
}

/// `session.audio.output`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AudioOutput {
    /// Output audio format.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<AudioFormat>,
    /// A built-in voice (`marin`, `cedar`, …); fixed once the model has spoken.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voice: Option<String>,
    /// Speaking rate, 0.25 to 1.5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speed: Option<f64>,
}

/// An audio format, tagged on `type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum AudioFormat {
    /// G.711 µ-law, 8 kHz: Twilio's format.
    #[serde(rename = "audio/pcmu")]
    Pcmu,
    /// G.711 A-law, 8 kHz.
    #[serde(rename = "audio/pcma")]
    Pcma,
    /// 16-bit PCM; only 24 kHz is supported.
    #[serde(rename = "audio/pcm")]
    Pcm {
        /// Always 24000.
        rate: u32,
    },
}

/// `audio.input.noise_reduction`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoiseReduction {
    /// Which filter.
    #[serde(rename = "type")]
    pub kind: NoiseReductionKind,
}

/// Noise filter for a microphone close to the mouth (a phone) or far from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoiseReductionKind {
    /// Headsets and phones.
    NearField,
    /// Laptop or room microphones.
    FarField,
}

/// `audio.input.transcription`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transcription {
    /// Transcription model, e.g. `gpt-4o-transcribe`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// ISO-639-1 language hint, e.g. `ur`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Vocabulary hint (menu item names).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt: Option<String>,
}

/// `audio.input.turn_detection`, tagged on `type`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TurnDetection {
    /// Volume-based voice activity detection.
    ServerVad(ServerVad),
    /// A model estimates whether the caller has finished.
    SemanticVad(SemanticVad),
}

/// Settings of `server_vad`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ServerVad {
    /// Activation threshold, 0.0 to 1.0 (default 0.5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<f64>,
    /// Audio kept before detected speech, ms (default 300).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix_padding_ms: Option<u32>,
    /// Silence that ends a turn, ms (default 500).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub silence_duration_ms: Option<u32>,
    /// Respond automatically when the caller stops.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_response: Option<bool>,
    /// Cancel the model's response when the caller starts speaking (barge-in).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interrupt_response: Option<bool>,
    /// Prompt a silent caller after this long, 5000 to 30000 ms (`server_vad` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idle_timeout_ms: Option<u32>,
}

/// Settings of `semantic_vad` (which has no idle timeout).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SemanticVad {
    /// How eager the model is to take its turn.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eagerness: Option<Eagerness>,
    /// Respond automatically when the caller stops.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_response: Option<bool>,
    /// Cancel the model's response when the caller starts speaking.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interrupt_response: Option<bool>,
}

/// `semantic_vad` eagerness.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Eagerness {
    /// Waits longest.
    Low,
    /// Balanced.
    Medium,
    /// Answers soonest.
    High,
    /// The server's choice (medium).
    Auto,
}

/// A tool the model may call, tagged on `type`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Tool {
    /// A function we run (e.g. `place_order`).
    Function(FunctionTool),
}

impl Tool {
    /// A function tool; `parameters` is a JSON Schema object.
    pub fn function(
        name: impl Into<String>,
        description: impl Into<String>,
        parameters: Value,
    ) -> Tool {
        Tool::Function(FunctionTool {
            name: name.into(),
            description: Some(description.into()),
            parameters,
        })
    }
}

/// A function tool's declaration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FunctionTool {
    /// The name the model calls it by.
    pub name: String,
    /// When and how to call it: the model reads this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// JSON Schema of the arguments object.
    pub parameters: Value,
}

/// `tool_choice`: a mode string, or one forced function.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ToolChoice {
    /// `auto`, `none` or `required`.
    Mode(ToolChoiceMode),
    /// `{"type":"function","name":…}`.
    Forced(ForcedTool),
}

/// A `tool_choice` mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ToolChoiceMode {
    /// The model decides.
    Auto,
    /// No tools.
    None,
    /// Some tool must be called.
    Required,
}

/// A tool the model must call, tagged on `type`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ForcedTool {
    /// A function, by name.
    Function {
        /// The function's name.
        name: String,
    },
}

/// `max_output_tokens`: a number (1 to 4096) or `"inf"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum MaxOutputTokens {
    /// At most this many tokens.
    Limit(u32),
    /// The model's maximum.
    Unlimited(Infinite),
}

/// The literal `"inf"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Infinite {
    /// `"inf"`.
    #[serde(rename = "inf")]
    Inf,
}

/// The `response` object of `response.create`: overrides for this response only.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ResponseConfig {
    /// Instructions for this response (e.g. "say goodbye and read back the order").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instructions: Option<String>,
    /// Output modalities for this response.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_modalities: Option<Vec<Modality>>,
    /// Tool choice for this response.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool_choice: Option<ToolChoice>,
    /// Token cap for this response.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_output_tokens: Option<MaxOutputTokens>,
    /// Up to 16 string pairs, echoed in `response.created`/`response.done`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<BTreeMap<String, String>>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_phone_call_session_uses_pcmu_both_ways_and_always_has_a_type() {
        let session = serde_json::to_value(SessionConfig::phone_call()).unwrap();
        assert_eq!(
            session,
            json!({
                "type": "realtime",
                "output_modalities": ["audio"],
                "audio": {
                    "input": {"format": {"type": "audio/pcmu"}},
                    "output": {"format": {"type": "audio/pcmu"}}
                }
            })
        );
    }

    #[test]
    fn turn_detection_is_tagged_and_unset_fields_are_omitted() {
        let server = TurnDetection::ServerVad(ServerVad {
            idle_timeout_ms: Some(8000),
            ..ServerVad::default()
        });
        assert_eq!(
            serde_json::to_value(server).unwrap(),
            json!({"type": "server_vad", "idle_timeout_ms": 8000})
        );
        let semantic = TurnDetection::SemanticVad(SemanticVad {
            eagerness: Some(Eagerness::High),
            ..SemanticVad::default()
        });
        assert_eq!(
            serde_json::to_value(semantic).unwrap(),
            json!({"type": "semantic_vad", "eagerness": "high"})
        );
    }

    #[test]
    fn tool_choice_and_token_caps_take_both_wire_forms() {
        let auto = ToolChoice::Mode(ToolChoiceMode::Auto);
        assert_eq!(serde_json::to_value(auto).unwrap(), json!("auto"));
        let forced = ToolChoice::Forced(ForcedTool::Function {
            name: "place_order".into(),
        });
        assert_eq!(
            serde_json::to_value(forced).unwrap(),
            json!({"type": "function", "name": "place_order"})
        );
        assert_eq!(
            serde_json::to_value(MaxOutputTokens::Limit(1024)).unwrap(),
            json!(1024)
        );
        let inf = MaxOutputTokens::Unlimited(Infinite::Inf);
        assert_eq!(serde_json::to_value(inf).unwrap(), json!("inf"));
        let back: MaxOutputTokens = serde_json::from_value(json!("inf")).unwrap();
        assert_eq!(back, inf);
    }

    #[test]
    fn the_pcm_format_carries_its_rate() {
        let pcm = AudioFormat::Pcm { rate: 24_000 };
        assert_eq!(
            serde_json::to_value(pcm).unwrap(),
            json!({"type": "audio/pcm", "rate": 24000})
        );
    }
}
