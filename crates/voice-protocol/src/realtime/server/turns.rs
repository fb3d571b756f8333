//! Server events within a conversation turn: the model's audio and transcript, function
//! calls, the caller's speech boundaries and transcription, and conversation items.

use crate::realtime::RealtimeError;
use crate::twilio::media::frames::PAYLOAD_BASE64;
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// `response.output_audio.delta`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutputAudioDelta {
    /// The server's id for this event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_id: Option<String>,
    /// The response.
    #[serde(default)]
    pub response_id: String,
    /// The assistant item: the one to truncate on barge-in.
    pub item_id: String,
    /// Index of the item in the response.
    #[serde(default)]
    pub output_index: u32,
    /// Index of the content part in the item.
    #[serde(default)]
    pub content_index: u32,
    /// Base64 audio in the session's output format (µ-law for us).
    pub delta: String,
}

impl OutputAudioDelta {
    /// The delta's audio bytes.
    pub fn audio(&self) -> Result<Vec<u8>, RealtimeError> {
        Ok(PAYLOAD_BASE64.decode(self.delta.trim())?)
    }
}

/// `response.output_audio.done`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutputAudioDone {
    /// The server's id for this event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_id: Option<String>,
    /// The response.
    #[serde(default)]
    pub response_id: String,
    /// The assistant item.
    #[serde(default)]
    pub item_id: String,
    /// Index of the item in the response.
    #[serde(default)]
    pub output_index: u32,
    /// Index of the content part in the item.
    #[serde(default)]
    pub content_index: u32,
}

/// `response.output_audio_transcript.delta`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TranscriptDelta {
    /// The server's id for this event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_id: Option<String>,
    /// The response.
    #[serde(default)]
    pub response_id: String,
    /// The assistant item.
    #[serde(default)]
    pub item_id: String,
    /// Index of the item in the response.
    #[serde(default)]
    pub output_index: u32,
    /// Index of the content part in the item.
    #[serde(default)]
    pub content_index: u32,
    /// The next piece of text.
    #[serde(default)]
    pub delta: String,
}

/// `response.output_audio_transcript.done`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TranscriptDone {
    /// The server's id for this event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_id: Option<String>,
    /// The response.
    #[serde(default)]
    pub response_id: String,
    /// The assistant item.
    #[serde(default)]
    pub item_id: String,
    /// Index of the item in the response.
    #[serde(default)]
    pub output_index: u32,
    /// Index of the content part in the item.
    #[serde(default)]
    pub content_index: u32,
    /// Everything the model said in this part.
    #[serde(default)]
    pub transcript: String,
}

/// `response.function_call_arguments.done`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FunctionCallArgumentsDone {
    /// The server's id for this event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_id: Option<String>,
    /// Echo this in the `function_call_output` item.
    pub call_id: String,
    /// The function (empty if the server left it out; the `function_call` item has it too).
    #[serde(default)]
    pub name: String,
    /// The arguments, a JSON object as a string: the truth about what the caller ordered.
    pub arguments: String,
    /// The `function_call` item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_id: Option<String>,
    /// The response.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_id: Option<String>,
    /// Index of the item in the response.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_index: Option<u32>,
}

/// `input_audio_buffer.speech_started`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpeechStarted {
    /// The server's id for this event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_id: Option<String>,
    /// Where speech began in the input audio, ms since the session started.
    #[serde(default)]
    pub audio_start_ms: u64,
    /// The user item that will hold this speech.
    #[serde(default)]
    pub item_id: String,
}

/// `input_audio_buffer.speech_stopped`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpeechStopped {
    /// The server's id for this event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_id: Option<String>,
    /// Where speech ended in the input audio, ms since the session started.
    #[serde(default)]
    pub audio_end_ms: u64,
    /// The user item.
    #[serde(default)]
    pub item_id: String,
}

/// `input_audio_buffer.committed`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputAudioCommitted {
    /// The server's id for this event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_id: Option<String>,
    /// The user item created.
    #[serde(default)]
    pub item_id: String,
    /// The item before it.
    #[serde(default)]
    pub previous_item_id: Option<String>,
}

/// `input_audio_buffer.timeout_triggered`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputAudioTimeoutTriggered {
    /// The server's id for this event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_id: Option<String>,
    /// Start of the silent stretch, ms.
    #[serde(default)]
    pub audio_start_ms: u64,
    /// End of the silent stretch, ms.
    #[serde(default)]
    pub audio_end_ms: u64,
    /// The (empty) user item created for it.
    #[serde(default)]
    pub item_id: String,
}

/// `conversation.item.input_audio_transcription.completed`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct InputAudioTranscriptionCompleted {
    /// The server's id for this event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_id: Option<String>,
    /// The user item transcribed.
    #[serde(default)]
    pub item_id: String,
    /// The content part.
    #[serde(default)]
    pub content_index: u32,
    /// What the caller said (advisory).
    #[serde(default)]
    pub transcript: String,
    /// Transcription usage, kept as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<Value>,
}

/// `conversation.item.added` / `conversation.item.done`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConversationItemEvent {
    /// The server's id for this event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_id: Option<String>,
    /// The item before it.
    #[serde(default)]
    pub previous_item_id: Option<String>,
    /// The item, kept as JSON.
    #[serde(default)]
    pub item: Value,
}

impl ConversationItemEvent {
    /// The item's `id`, if it has one.
    pub fn item_id(&self) -> Option<&str> {
        self.item.get("id").and_then(Value::as_str)
    }
}
