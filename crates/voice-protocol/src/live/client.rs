//! Events we send on a GPT-Live session, tagged on `type`.
//!
//! `session.start` goes first; nothing else is sent before `session.started`. Each event may
//! carry an `event_id`, echoed by the server as `client_event_id`. `Deserialize` is derived
//! too, so a fake GPT-Live server can read them.

use super::session::SessionConfig;
use serde::{Deserialize, Serialize};

/// A client event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum ClientEvent {
    /// Start the session (first message only).
    #[serde(rename = "session.start")]
    SessionStart {
        /// Optional id echoed as `client_event_id`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        event_id: Option<String>,
        /// The configuration.
        session: SessionConfig,
    },
    /// Caller audio, base64 in the session format. No acknowledgement, no commit.
    #[serde(rename = "session.input_audio.append")]
    InputAudioAppend {
        /// Optional id echoed as `client_event_id`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        event_id: Option<String>,
        /// Base64 audio.
        audio: String,
    },
    /// App-authored behaviour for the voice model (≤ 500 tokens), e.g. "greet the caller".
    #[serde(rename = "session.instructions.append")]
    InstructionsAppend {
        /// Optional id echoed as `client_event_id`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        event_id: Option<String>,
        /// The instruction.
        content: String,
        /// A client delegation it belongs to; `null` (sent explicitly) for none.
        #[serde(default)]
        delegation_id: Option<String>,
    },
    /// Silent context for the voice model (≤ 500 tokens).
    #[serde(rename = "session.thinking.append")]
    ThinkingAppend {
        /// Optional id echoed as `client_event_id`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        event_id: Option<String>,
        /// The context.
        content: String,
        /// A client delegation it belongs to; `null` for none.
        #[serde(default)]
        delegation_id: Option<String>,
    },
    /// Context the voice model should say aloud, in its own words (≤ 500 tokens).
    #[serde(rename = "session.commentary.append")]
    CommentaryAppend {
        /// Optional id echoed as `client_event_id`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        event_id: Option<String>,
        /// What to convey.
        content: String,
        /// A client delegation it belongs to; `null` for none.
        #[serde(default)]
        delegation_id: Option<String>,
    },
    /// An input item for the Responses backend: our function results.
    #[serde(rename = "response.item.create")]
    ResponseItemCreate {
        /// Optional id echoed as `client_event_id`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        event_id: Option<String>,
        /// The item.
        item: ResponseItem,
    },
    /// Continue the backend once every outstanding tool result is in.
    #[serde(rename = "response.create")]
    ResponseCreate {
        /// Optional id echoed as `client_event_id`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        event_id: Option<String>,
    },
    /// End the session; the server answers `session.closed`.
    #[serde(rename = "session.close")]
    SessionClose {
        /// Optional id echoed as `client_event_id`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        event_id: Option<String>,
    },
}

/// A Responses input item we add.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum ResponseItem {
    /// The result of one function call.
    #[serde(rename = "function_call_output")]
    FunctionCallOutput {
        /// The call it answers.
        call_id: String,
        /// The result, a string (our tools answer JSON text).
        output: String,
    },
}

impl ClientEvent {
    /// `session.start` with this configuration.
    pub fn session_start(session: SessionConfig) -> ClientEvent {
        ClientEvent::SessionStart {
            event_id: None,
            session,
        }
    }

    /// `session.input_audio.append` (Twilio's base64 payload passes as it is).
    pub fn append_audio(audio_base64: impl Into<String>) -> ClientEvent {
        ClientEvent::InputAudioAppend {
            event_id: None,
            audio: audio_base64.into(),
        }
    }

    /// `session.instructions.append` outside any delegation.
    pub fn instructions_append(content: impl Into<String>) -> ClientEvent {
        ClientEvent::InstructionsAppend {
            event_id: None,
            content: content.into(),
            delegation_id: None,
        }
    }

    /// `session.thinking.append` outside any delegation.
    pub fn thinking_append(content: impl Into<String>) -> ClientEvent {
        ClientEvent::ThinkingAppend {
            event_id: None,
            content: content.into(),
            delegation_id: None,
        }
    }

    /// `session.commentary.append` outside any delegation.
    pub fn commentary_append(content: impl Into<String>) -> ClientEvent {
        ClientEvent::CommentaryAppend {
            event_id: None,
            content: content.into(),
            delegation_id: None,
        }
    }

    /// `response.item.create` with one function's result.
    pub fn function_call_output(
        call_id: impl Into<String>,
        output: impl Into<String>,
    ) -> ClientEvent {
        ClientEvent::ResponseItemCreate {
            event_id: None,
            item: ResponseItem::FunctionCallOutput {
                call_id: call_id.into(),
                output: output.into(),
            },
        }
    }

    /// `response.create`.
    pub fn response_create() -> ClientEvent {
        ClientEvent::ResponseCreate { event_id: None }
    }

    /// `session.close`.
    pub fn session_close() -> ClientEvent {
        ClientEvent::SessionClose { event_id: None }
    }

    /// The wire `type`.
    pub fn event_type(&self) -> &'static str {
        match self {
            ClientEvent::SessionStart { .. } => "session.start",
            ClientEvent::InputAudioAppend { .. } => "session.input_audio.append",
            ClientEvent::InstructionsAppend { .. } => "session.instructions.append",
            ClientEvent::ThinkingAppend { .. } => "session.thinking.append",
            ClientEvent::CommentaryAppend { .. } => "session.commentary.append",
            ClientEvent::ResponseItemCreate { .. } => "response.item.create",
            ClientEvent::ResponseCreate { .. } => "response.create",
            ClientEvent::SessionClose { .. } => "session.close",
        }
    }

    /// The JSON text frame. Fails only if serde_json does: every map key here is a string.
    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        // Caller audio, 50 times a second per call: Twilio's base64 goes in as it is.
        if let ClientEvent::InputAudioAppend {
            event_id: None,
            audio,
        } = self
            && crate::json_plain(audio)
        {
            return Ok(append_audio_json(audio));
        }
        serde_json::to_string(self)
    }
}

/// `{"type":"session.input_audio.append","audio":"…"}` built by hand; `audio` must pass
/// [`crate::json_plain`].
fn append_audio_json(audio: &str) -> String {
    const HEAD: &str = r#"{"type":"session.input_audio.append","audio":""#;
    let mut json = String::with_capacity(HEAD.len() + audio.len() + 2);
    json.push_str(HEAD);
    json.push_str(audio);
    json.push_str("\"}");
    json
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    #[test]
    fn the_hand_built_audio_frame_equals_serdes() {
        let event = ClientEvent::append_audio("//79/A==");
        let fast: Value = serde_json::from_str(&event.to_json().unwrap()).unwrap();
        assert_eq!(fast, serde_json::to_value(&event).unwrap());
    }

    #[test]
    fn an_append_without_delegation_sends_an_explicit_null() {
        let v = serde_json::to_value(ClientEvent::instructions_append("Greet")).unwrap();
        assert_eq!(
            v,
            json!({"type": "session.instructions.append", "content": "Greet", "delegation_id": null})
        );
    }

    #[test]
    fn a_function_result_is_a_function_call_output_item() {
        let v = serde_json::to_value(ClientEvent::function_call_output("c1", "{}")).unwrap();
        assert_eq!(
            v,
            json!({"type": "response.item.create",
                   "item": {"type": "function_call_output", "call_id": "c1", "output": "{}"}})
        );
    }
}
