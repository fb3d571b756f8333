//! Events we send to the Realtime API, tagged on `type`, GA names only.
//!
//! Each may carry a client-chosen `event_id`, which the server echoes in an `error` about that
//! event. `Deserialize` is derived too, so a fake Realtime server in tests can read them.

use super::session::{ResponseConfig, SessionConfig};
use serde::{Deserialize, Serialize};

/// A client event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum ClientEvent {
    /// Change the session configuration (only present fields change).
    #[serde(rename = "session.update")]
    SessionUpdate {
        /// Optional id echoed in errors.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        event_id: Option<String>,
        /// The configuration.
        session: SessionConfig,
    },
    /// Caller audio, base64 in the session's input format. The server sends no ack.
    #[serde(rename = "input_audio_buffer.append")]
    InputAudioBufferAppend {
        /// Optional id echoed in errors.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        event_id: Option<String>,
        /// Base64 audio.
        audio: String,
    },
    /// Cut an assistant audio item to what the caller actually heard. `audio_end_ms` must not
    /// exceed the audio sent, and the API rejects a truncate when nothing played.
    #[serde(rename = "conversation.item.truncate")]
    ConversationItemTruncate {
        /// Optional id echoed in errors.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        event_id: Option<String>,
        /// The assistant item.
        item_id: String,
        /// The content part, 0 for audio.
        content_index: u32,
        /// Milliseconds heard.
        audio_end_ms: u64,
    },
    /// Add an item: a function result or an injected message.
    #[serde(rename = "conversation.item.create")]
    ConversationItemCreate {
        /// Optional id echoed in errors.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        event_id: Option<String>,
        /// Insert after this item instead of at the end.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        previous_item_id: Option<String>,
        /// The item.
        item: ConversationItem,
    },
    /// Ask for a response (needed after a function output).
    #[serde(rename = "response.create")]
    ResponseCreate {
        /// Optional id echoed in errors.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        event_id: Option<String>,
        /// Overrides for this response.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        response: Option<ResponseConfig>,
    },
    /// Cancel a response in progress (the current one when no id is given).
    #[serde(rename = "response.cancel")]
    ResponseCancel {
        /// Optional id echoed in errors.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        event_id: Option<String>,
        /// Which response.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        response_id: Option<String>,
    },
}

impl ClientEvent {
    /// `session.update` with this configuration.
    pub fn session_update(session: SessionConfig) -> ClientEvent {
        ClientEvent::SessionUpdate {
            event_id: None,
            session,
        }
    }

    /// `input_audio_buffer.append` with base64 audio (Twilio's payload passes as is).
    pub fn append_audio(audio_base64: impl Into<String>) -> ClientEvent {
        ClientEvent::InputAudioBufferAppend {
            event_id: None,
            audio: audio_base64.into(),
        }
    }

    /// `conversation.item.truncate` of an assistant item's audio (content 0).
    pub fn truncate(item_id: impl Into<String>, audio_end_ms: u64) -> ClientEvent {
        ClientEvent::ConversationItemTruncate {
            event_id: None,
            item_id: item_id.into(),
            content_index: 0,
            audio_end_ms,
        }
    }

    /// `conversation.item.create` with a function's result (`output` is free text, often
    /// JSON).
    pub fn function_call_output(
        call_id: impl Into<String>,
        output: impl Into<String>,
    ) -> ClientEvent {
        ClientEvent::create_item(ConversationItem::FunctionCallOutput {
            call_id: call_id.into(),
            output: output.into(),
        })
    }

    /// `conversation.item.create` with a system message (context mid-call).
    pub fn system_message(text: impl Into<String>) -> ClientEvent {
        ClientEvent::create_item(ConversationItem::text(MessageRole::System, text))
    }

    /// `conversation.item.create` with a user message in text.
    pub fn user_message(text: impl Into<String>) -> ClientEvent {
        ClientEvent::create_item(ConversationItem::text(MessageRole::User, text))
    }

    fn create_item(item: ConversationItem) -> ClientEvent {
        ClientEvent::ConversationItemCreate {
            event_id: None,
            previous_item_id: None,
            item,
        }
    }

    /// `response.create`, with overrides or none.
    pub fn response_create(response: Option<ResponseConfig>) -> ClientEvent {
        ClientEvent::ResponseCreate {
            event_id: None,
            response,
        }
    }

    /// `response.cancel`, of one response or the current one.
    pub fn response_cancel(response_id: Option<String>) -> ClientEvent {
        ClientEvent::ResponseCancel {
            event_id: None,
            response_id,
        }
    }

    /// The same event carrying `event_id`.
    pub fn with_event_id(mut self, id: impl Into<String>) -> ClientEvent {
        let slot = match &mut self {
            ClientEvent::SessionUpdate { event_id, .. }
            | ClientEvent::InputAudioBufferAppend { event_id, .. }
            | ClientEvent::ConversationItemTruncate { event_id, .. }
            | ClientEvent::ConversationItemCreate { event_id, .. }
            | ClientEvent::ResponseCreate { event_id, .. }
            | ClientEvent::ResponseCancel { event_id, .. } => event_id,
        };
        *slot = Some(id.into());
        self
    }

    /// The event's `event_id`, if set.
    pub fn event_id(&self) -> Option<&str> {
        match self {
            ClientEvent::SessionUpdate { event_id, .. }
            | ClientEvent::InputAudioBufferAppend { event_id, .. }
            | ClientEvent::ConversationItemTruncate { event_id, .. }
            | ClientEvent::ConversationItemCreate { event_id, .. }
            | ClientEvent::ResponseCreate { event_id, .. }
            | ClientEvent::ResponseCancel { event_id, .. } => event_id.as_deref(),
        }
    }

    /// The wire `type`.
    pub fn event_type(&self) -> &'static str {
        match self {
            ClientEvent::SessionUpdate { .. } => "session.update",
            ClientEvent::InputAudioBufferAppend { .. } => "input_audio_buffer.append",
            ClientEvent::ConversationItemTruncate { .. } => "conversation.item.truncate",
            ClientEvent::ConversationItemCreate { .. } => "conversation.item.create",
            ClientEvent::ResponseCreate { .. } => "response.create",
            ClientEvent::ResponseCancel { .. } => "response.cancel",
        }
    }

    /// The JSON text frame. Fails only if serde_json does: every map key here is a string.
    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        // Caller audio, 50 times a second per call: Twilio's base64 goes in as it is.
        if let ClientEvent::InputAudioBufferAppend {
            event_id: None,
            audio,
        } = self
            && crate::json_plain(audio)
        {
            const HEAD: &str = r#"{"type":"input_audio_buffer.append","audio":""#;
            let mut json = String::with_capacity(HEAD.len() + audio.len() + 2);
            json.push_str(HEAD);
            json.push_str(audio);
            json.push_str("\"}");
            return Ok(json);
        }
        serde_json::to_string(self)
    }
}

/// An item we add to the conversation, tagged on `type`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ConversationItem {
    /// The result of a function the model called.
    FunctionCallOutput {
        /// The `call_id` from `response.function_call_arguments.done`.
        call_id: String,
        /// The result, free text (we send JSON).
        output: String,
    },
    /// A message in text.
    Message {
        /// Who says it.
        role: MessageRole,
        /// The content parts.
        content: Vec<InputContent>,
    },
}

impl ConversationItem {
    /// A one-part text message.
    pub fn text(role: MessageRole, text: impl Into<String>) -> ConversationItem {
        ConversationItem::Message {
            role,
            content: vec![InputContent::InputText { text: text.into() }],
        }
    }
}

/// The sender of a message we inject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MessageRole {
    /// Context or instructions for the model.
    System,
    /// As if the caller said it.
    User,
}

/// A content part of a message we inject, tagged on `type`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum InputContent {
    /// Text.
    InputText {
        /// The text.
        text: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn wire(event: &ClientEvent) -> Value {
        serde_json::from_str(&event.to_json().unwrap()).unwrap()
    }

    #[test]
    fn hand_built_append_json_is_what_serde_writes_and_odd_audio_is_escaped() {
        let ev = ClientEvent::append_audio("/38AEA==");
        assert_eq!(ev.to_json().unwrap(), serde_json::to_string(&ev).unwrap());
        // Twilio's payload is not trusted to be base64: a quote must not break the JSON.
        let odd = ClientEvent::append_audio("ab\",\"type\":\"x");
        let back: serde_json::Value = serde_json::from_str(&odd.to_json().unwrap()).unwrap();
        assert_eq!(back["type"], "input_audio_buffer.append");
        assert_eq!(back["audio"], "ab\",\"type\":\"x");
    }

    #[test]
    fn audio_append_and_truncate_have_the_ga_shape() {
        assert_eq!(
            wire(&ClientEvent::append_audio("/38A")),
            json!({"type": "input_audio_buffer.append", "audio": "/38A"})
        );
        assert_eq!(
            wire(&ClientEvent::truncate("item_1", 1500)),
            json!({"type": "conversation.item.truncate", "item_id": "item_1",
                   "content_index": 0, "audio_end_ms": 1500})
        );
    }

    #[test]
    fn items_are_function_outputs_or_text_messages() {
        assert_eq!(
            wire(&ClientEvent::function_call_output(
                "call_1",
                r#"{"ok":true}"#
            )),
            json!({"type": "conversation.item.create", "item": {
                "type": "function_call_output", "call_id": "call_1", "output": "{\"ok\":true}"}})
        );
        assert_eq!(
            wire(&ClientEvent::system_message(
                "Kitchen closes in 10 minutes."
            )),
            json!({"type": "conversation.item.create", "item": {
                "type": "message", "role": "system",
                "content": [{"type": "input_text", "text": "Kitchen closes in 10 minutes."}]}})
        );
    }

    #[test]
    fn optional_fields_are_omitted_and_event_ids_are_kept() {
        assert_eq!(
            wire(&ClientEvent::response_create(None)),
            json!({"type": "response.create"})
        );
        let cancel = ClientEvent::response_cancel(Some("resp_1".into())).with_event_id("ev_9");
        assert_eq!(cancel.event_id(), Some("ev_9"));
        assert_eq!(
            wire(&cancel),
            json!({"type": "response.cancel", "event_id": "ev_9", "response_id": "resp_1"})
        );
    }

    #[test]
    fn every_event_reads_back_as_a_fake_server_would() {
        for event in [
            ClientEvent::session_update(SessionConfig::phone_call()),
            ClientEvent::append_audio("AA=="),
            ClientEvent::truncate("item_1", 20),
            ClientEvent::user_message("hi").with_event_id("e1"),
            ClientEvent::response_create(Some(ResponseConfig::default())),
            ClientEvent::response_cancel(None),
        ] {
            let text = event.to_json().unwrap();
            assert_eq!(wire(&event)["type"], event.event_type());
            assert_eq!(serde_json::from_str::<ClientEvent>(&text).unwrap(), event);
        }
    }

    #[test]
    fn beta_event_names_are_not_client_events() {
        let beta = r#"{"type":"session.update","session":{"input_audio_format":"g711_ulaw"}}"#;
        assert!(serde_json::from_str::<ClientEvent>(beta).is_err());
        let unknown = r#"{"type":"response.audio.delta","delta":"AA=="}"#;
        assert!(serde_json::from_str::<ClientEvent>(unknown).is_err());
    }
}
