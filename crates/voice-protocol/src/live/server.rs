//! Events a GPT-Live session sends us, tagged on `type`.
//!
//! [`ServerEvent::parse`] never panics: bad JSON, a missing `type` and a malformed known event
//! are errors; a type we do not model is [`ServerEvent::Other`], never an error. Fields the
//! server might leave out are `Option` or default. Serializes back to the wire shape, so a
//! fake GPT-Live server can emit typed events.

use super::LiveError;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

/// A server event.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type")]
pub enum ServerEvent {
    /// The session runs; its resolved configuration. Send audio only after this.
    #[serde(rename = "session.started")]
    SessionStarted(SessionStarted),
    /// A `session.update` took effect.
    #[serde(rename = "session.updated")]
    SessionUpdated(SessionStarted),
    /// A chunk of the model's speech, base64 in the session format.
    #[serde(rename = "session.output_audio.delta")]
    OutputAudioDelta(OutputAudioDelta),
    /// Part of the transcript of what the caller says (no "done" event; concatenate).
    #[serde(rename = "session.input_transcript.delta")]
    InputTranscriptDelta(TranscriptDelta),
    /// Part of the transcript of what the model says.
    #[serde(rename = "session.output_transcript.delta")]
    OutputTranscriptDelta(TranscriptDelta),
    /// The voice model handed a task to the backend (metadata only, no task text).
    #[serde(rename = "session.delegation.created")]
    DelegationCreated(DelegationCreated),
    /// A nested Responses streaming event from the backend (tool calls live here).
    #[serde(rename = "response.event")]
    ResponseEvent(ResponseEnvelope),
    /// A `session.instructions.append` was injected (not necessarily spoken).
    #[serde(rename = "session.instructions.appended")]
    InstructionsAppended(AppendedEvent),
    /// Cumulative billable seconds so far (never sum these).
    #[serde(rename = "session.usage.updated")]
    UsageUpdated(UsageUpdated),
    /// The session is over, with the reason and final usage.
    #[serde(rename = "session.closed")]
    SessionClosed(SessionClosed),
    /// Something went wrong; the session may stay open.
    #[serde(rename = "error")]
    Error(ErrorEvent),
    /// An informational notice.
    #[serde(rename = "info")]
    Info(InfoEvent),
    /// A type this crate does not model, kept whole.
    #[serde(untagged)]
    Other(OtherEvent),
}

impl ServerEvent {
    /// Parses one text frame. Never panics; unknown types give [`Self::Other`].
    pub fn parse(text: &str) -> Result<ServerEvent, LiveError> {
        // Fast path for the model's audio: no JSON tree for the hottest event.
        #[derive(Deserialize)]
        struct Tag<'a> {
            #[serde(borrow, rename = "type")]
            kind: Option<std::borrow::Cow<'a, str>>,
        }
        if let Ok(Tag { kind: Some(kind) }) = serde_json::from_str::<Tag<'_>>(text)
            && kind == "session.output_audio.delta"
            && let Ok(delta) = serde_json::from_str(text)
        {
            return Ok(ServerEvent::OutputAudioDelta(delta));
        }
        let value: Value = serde_json::from_str(text).map_err(LiveError::NotJson)?;
        ServerEvent::from_value(value)
    }

    /// Reads an already parsed JSON value, with the same rules as [`Self::parse`].
    pub fn from_value(value: Value) -> Result<ServerEvent, LiveError> {
        let Some(event_type) = value.get("type").and_then(Value::as_str) else {
            return Err(LiveError::MissingType);
        };
        let event_type = event_type.to_owned();
        fn body<T: serde::de::DeserializeOwned>(kind: &str, value: Value) -> Result<T, LiveError> {
            serde_json::from_value(value).map_err(|source| LiveError::Malformed {
                event_type: kind.to_owned(),
                source,
            })
        }
        let t = event_type.as_str();
        Ok(match t {
            "session.started" => ServerEvent::SessionStarted(body(t, value)?),
            "session.updated" => ServerEvent::SessionUpdated(body(t, value)?),
            "session.output_audio.delta" => ServerEvent::OutputAudioDelta(body(t, value)?),
            "session.input_transcript.delta" => ServerEvent::InputTranscriptDelta(body(t, value)?),
            "session.output_transcript.delta" => {
                ServerEvent::OutputTranscriptDelta(body(t, value)?)
            }
            "session.delegation.created" => ServerEvent::DelegationCreated(body(t, value)?),
            "response.event" => ServerEvent::ResponseEvent(body(t, value)?),
            "session.instructions.appended" => ServerEvent::InstructionsAppended(body(t, value)?),
            "session.usage.updated" => ServerEvent::UsageUpdated(body(t, value)?),
            "session.closed" => ServerEvent::SessionClosed(body(t, value)?),
            "error" => ServerEvent::Error(body(t, value)?),
            "info" => ServerEvent::Info(body(t, value)?),
            _ => ServerEvent::Other(OtherEvent {
                event_type,
                raw: value,
            }),
        })
    }

    /// The wire `type` (for an unmodelled event, the type as received).
    pub fn event_type(&self) -> &str {
        match self {
            ServerEvent::SessionStarted(_) => "session.started",
            ServerEvent::SessionUpdated(_) => "session.updated",
            ServerEvent::OutputAudioDelta(_) => "session.output_audio.delta",
            ServerEvent::InputTranscriptDelta(_) => "session.input_transcript.delta",
            ServerEvent::OutputTranscriptDelta(_) => "session.output_transcript.delta",
            ServerEvent::DelegationCreated(_) => "session.delegation.created",
            ServerEvent::ResponseEvent(_) => "response.event",
            ServerEvent::InstructionsAppended(_) => "session.instructions.appended",
            ServerEvent::UsageUpdated(_) => "session.usage.updated",
            ServerEvent::SessionClosed(_) => "session.closed",
            ServerEvent::Error(_) => "error",
            ServerEvent::Info(_) => "info",
            ServerEvent::Other(other) => &other.event_type,
        }
    }
}

/// Reads through [`ServerEvent::from_value`], so unknown types never fail.
impl<'de> Deserialize<'de> for ServerEvent {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        ServerEvent::from_value(value).map_err(serde::de::Error::custom)
    }
}

/// `session.started` / `session.updated`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionStarted {
    /// Server event id.
    #[serde(default)]
    pub event_id: String,
    /// The session.
    pub session: SessionResource,
}

/// A session as the server reports it: id, expiry and the resolved configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionResource {
    /// Server-assigned session id.
    #[serde(default)]
    pub id: String,
    /// The voice model.
    #[serde(default)]
    pub model: String,
    /// When the session expires, unix seconds (the maximum length is undocumented).
    #[serde(default)]
    pub expires_at: i64,
    /// `active`.
    #[serde(default)]
    pub status: String,
    /// The rest of the resolved configuration (instructions, audio, delegation, …).
    #[serde(flatten)]
    pub config: Map<String, Value>,
}

/// `session.output_audio.delta`: no item id, no timestamps on the primary socket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutputAudioDelta {
    /// Base64 audio in the session format.
    pub delta: String,
}

/// `session.input_transcript.delta` / `session.output_transcript.delta`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TranscriptDelta {
    /// Server event id.
    #[serde(default)]
    pub event_id: String,
    /// The text fragment.
    pub delta: String,
    /// Start on the session timeline, ms.
    #[serde(default)]
    pub start_ms: i64,
    /// End on the session timeline, ms.
    #[serde(default)]
    pub end_ms: i64,
}

/// `session.delegation.created`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DelegationCreated {
    /// Server event id.
    #[serde(default)]
    pub event_id: String,
    /// Which delegation.
    pub delegation: DelegationInfo,
    /// Where on the session timeline the work was delegated.
    #[serde(default)]
    pub offset_ms: i64,
}

/// `delegation` of [`DelegationCreated`]: metadata only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DelegationInfo {
    /// The delegation id.
    pub id: String,
    /// `client`, `responses` or `decisions`.
    #[serde(default)]
    pub target: String,
    /// Always `delegation`.
    #[serde(rename = "type", default = "delegation_kind")]
    pub kind: String,
    /// The backend response, for `responses`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_id: Option<String>,
}

fn delegation_kind() -> String {
    "delegation".to_owned()
}

/// `response.event`: one nested Responses streaming event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResponseEnvelope {
    /// Server event id.
    #[serde(default)]
    pub event_id: String,
    /// The delegation the stream belongs to.
    #[serde(default)]
    pub delegation_id: Option<String>,
    /// The nested event (`response.output_item.done`, `response.completed`, …).
    pub event: Value,
}

/// A function call the backend finished: run it and answer with `call_id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionCall {
    /// Answer with this id.
    pub call_id: String,
    /// The tool.
    pub name: String,
    /// The arguments, a JSON string as the backend wrote it.
    pub arguments: String,
}

impl ResponseEnvelope {
    /// The function call this envelope completes, if it is a `response.output_item.done`
    /// whose item is a `function_call` with status `completed` and a call id and name.
    /// Lifecycle snapshots (`response.completed`, …) carry empty outputs and give `None`.
    pub fn completed_function_call(&self) -> Option<FunctionCall> {
        if self.event.get("type").and_then(Value::as_str) != Some("response.output_item.done") {
            return None;
        }
        let item = self.event.get("item")?;
        let field = |k: &str| item.get(k).and_then(Value::as_str);
        if field("type") != Some("function_call") || field("status") != Some("completed") {
            return None;
        }
        Some(FunctionCall {
            call_id: field("call_id").filter(|s| !s.is_empty())?.to_owned(),
            name: field("name").filter(|s| !s.is_empty())?.to_owned(),
            arguments: field("arguments").unwrap_or("{}").to_owned(),
        })
    }

    /// The nested event's `type`, if any.
    pub fn nested_type(&self) -> Option<&str> {
        self.event.get("type").and_then(Value::as_str)
    }
}

/// `session.instructions.appended` (and its thinking/commentary siblings).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppendedEvent {
    /// Server event id.
    #[serde(default)]
    pub event_id: String,
    /// The append this acknowledges.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_event_id: Option<String>,
    /// Start on the session timeline, ms.
    #[serde(default)]
    pub start_ms: i64,
    /// End on the session timeline, ms.
    #[serde(default)]
    pub end_ms: i64,
}

/// `session.usage.updated`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UsageUpdated {
    /// Server event id.
    #[serde(default)]
    pub event_id: String,
    /// Cumulative usage.
    pub usage: SessionUsage,
}

/// Cumulative billable duration: the latest value replaces the earlier ones.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SessionUsage {
    /// Billable seconds since the session started.
    pub seconds: f64,
}

/// `session.closed`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionClosed {
    /// Server event id.
    #[serde(default)]
    pub event_id: String,
    /// Why it closed.
    pub reason: CloseReason,
    /// The final session snapshot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<SessionResource>,
    /// Final usage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<SessionUsage>,
}

/// Why a session closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CloseReason {
    /// We sent `session.close`.
    CloseRequested,
    /// The session hit its duration limit.
    Expired,
    /// Safety moderation ended it.
    Content,
    /// The far end hung up (SIP).
    RemoteHangup,
    /// The transport dropped.
    ConnectionLost,
    /// A reason this crate does not know.
    #[serde(untagged)]
    Other(String),
}

/// `error`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorEvent {
    /// Server event id.
    #[serde(default)]
    pub event_id: String,
    /// What went wrong.
    pub error: ErrorDetails,
}

/// `error.error`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorDetails {
    /// e.g. `invalid_request_error`.
    #[serde(rename = "type", default)]
    pub kind: String,
    /// e.g. `unknown_parameter`.
    #[serde(default)]
    pub code: String,
    /// Human-readable text.
    #[serde(default)]
    pub message: String,
    /// The offending parameter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub param: Option<String>,
    /// The client event that caused it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_event_id: Option<String>,
}

/// `info`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InfoEvent {
    /// Server event id.
    #[serde(default)]
    pub event_id: String,
    /// A short code.
    #[serde(default)]
    pub code: String,
    /// The notice.
    #[serde(default)]
    pub message: String,
}

/// A server event this crate does not model, kept whole.
#[derive(Debug, Clone, PartialEq)]
pub struct OtherEvent {
    /// The `type` as received.
    pub event_type: String,
    /// The whole event.
    pub raw: Value,
}

/// Serializes as the raw event it was read from.
impl Serialize for OtherEvent {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.raw.serialize(serializer)
    }
}
