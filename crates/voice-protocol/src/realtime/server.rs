//! Events the Realtime API sends us, tagged on `type`, GA names only.
//!
//! [`ServerEvent::parse`] never panics: bad JSON, a missing `type` and a malformed known event
//! are errors; a type we do not model is [`ServerEvent::Unknown`] (logged at debug, never
//! fatal). Fields the server might leave out are `Option` or default, so a payload that
//! drifts a little from the spec still parses. Serializes back to the wire shape, so a fake
//! Realtime server in tests can emit typed events.

pub mod status;
pub mod turns;

pub use status::{
    CachedTokenDetails, ErrorDetails, ErrorEvent, RateLimit, RateLimitsUpdated, ResponseEvent,
    ResponseInfo, ResponseStatus, SessionEvent, StatusDetails, TokenDetails, Usage,
};
pub use turns::{
    ConversationItemEvent, FunctionCallArgumentsDone, InputAudioCommitted,
    InputAudioTimeoutTriggered, InputAudioTranscriptionCompleted, OutputAudioDelta,
    OutputAudioDone, SpeechStarted, SpeechStopped, TranscriptDelta, TranscriptDone,
};

use super::RealtimeError;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

/// A server event.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type")]
pub enum ServerEvent {
    /// The session exists; its full effective configuration.
    #[serde(rename = "session.created")]
    SessionCreated(SessionEvent),
    /// A `session.update` took effect; the full effective configuration.
    #[serde(rename = "session.updated")]
    SessionUpdated(SessionEvent),
    /// A response started.
    #[serde(rename = "response.created")]
    ResponseCreated(ResponseEvent),
    /// A response ended: completed, cancelled, failed or incomplete, with token usage.
    #[serde(rename = "response.done")]
    ResponseDone(ResponseEvent),
    /// A chunk of the model's speech, to forward to Twilio.
    #[serde(rename = "response.output_audio.delta")]
    OutputAudioDelta(OutputAudioDelta),
    /// The model finished speaking one content part.
    #[serde(rename = "response.output_audio.done")]
    OutputAudioDone(OutputAudioDone),
    /// Part of the transcript of what the model says.
    #[serde(rename = "response.output_audio_transcript.delta")]
    OutputAudioTranscriptDelta(TranscriptDelta),
    /// The full transcript of what the model said in one content part.
    #[serde(rename = "response.output_audio_transcript.done")]
    OutputAudioTranscriptDone(TranscriptDone),
    /// The model called a function; run it and send its output.
    #[serde(rename = "response.function_call_arguments.done")]
    FunctionCallArgumentsDone(FunctionCallArgumentsDone),
    /// The caller started speaking: barge-in.
    #[serde(rename = "input_audio_buffer.speech_started")]
    SpeechStarted(SpeechStarted),
    /// The caller stopped speaking.
    #[serde(rename = "input_audio_buffer.speech_stopped")]
    SpeechStopped(SpeechStopped),
    /// The caller's audio became a conversation item.
    #[serde(rename = "input_audio_buffer.committed")]
    InputAudioCommitted(InputAudioCommitted),
    /// The caller stayed silent past `idle_timeout_ms`.
    #[serde(rename = "input_audio_buffer.timeout_triggered")]
    InputAudioTimeoutTriggered(InputAudioTimeoutTriggered),
    /// What the caller said, per the advisory transcription model.
    #[serde(rename = "conversation.item.input_audio_transcription.completed")]
    InputAudioTranscriptionCompleted(InputAudioTranscriptionCompleted),
    /// An item joined the conversation (GA successor of `conversation.item.created`).
    #[serde(rename = "conversation.item.added")]
    ConversationItemAdded(ConversationItemEvent),
    /// An item is complete.
    #[serde(rename = "conversation.item.done")]
    ConversationItemDone(ConversationItemEvent),
    /// Something went wrong; most errors leave the session open.
    #[serde(rename = "error")]
    Error(ErrorEvent),
    /// Current rate limits.
    #[serde(rename = "rate_limits.updated")]
    RateLimitsUpdated(RateLimitsUpdated),
    /// A type this crate does not model.
    #[serde(untagged)]
    Unknown(UnknownServerEvent),
}

impl ServerEvent {
    /// Parses one text frame. Never panics; unknown types give [`Self::Unknown`].
    pub fn parse(text: &str) -> Result<ServerEvent, RealtimeError> {
        // Fast path for the AI's audio (ten deltas a second per call): the type is read
        // without a JSON tree and the delta straight from the text. Anything odd takes the
        // general path below, which gives the precise error.
        #[derive(Deserialize)]
        struct Tag<'a> {
            #[serde(borrow, rename = "type")]
            kind: Option<std::borrow::Cow<'a, str>>,
        }
        if let Ok(Tag { kind: Some(kind) }) = serde_json::from_str::<Tag<'_>>(text)
            && kind == "response.output_audio.delta"
            && let Ok(delta) = serde_json::from_str(text)
        {
            return Ok(ServerEvent::OutputAudioDelta(delta));
        }
        let value: Value = serde_json::from_str(text).map_err(RealtimeError::NotJson)?;
        ServerEvent::from_value(value)
    }

    /// Reads an already parsed JSON value, with the same rules as [`Self::parse`].
    pub fn from_value(value: Value) -> Result<ServerEvent, RealtimeError> {
        let Some(event_type) = value.get("type").and_then(Value::as_str) else {
            return Err(RealtimeError::MissingType);
        };
        let event_type = event_type.to_owned();
        // Each body deserializes from the whole object; serde ignores the `type` key.
        fn body<T: serde::de::DeserializeOwned>(
            kind: &str,
            value: Value,
        ) -> Result<T, RealtimeError> {
            serde_json::from_value(value).map_err(|source| RealtimeError::Malformed {
                event_type: kind.to_owned(),
                source,
            })
        }
        let t = event_type.as_str();
        Ok(match t {
            "session.created" => ServerEvent::SessionCreated(body(t, value)?),
            "session.updated" => ServerEvent::SessionUpdated(body(t, value)?),
            "response.created" => ServerEvent::ResponseCreated(body(t, value)?),
            "response.done" => ServerEvent::ResponseDone(body(t, value)?),
            "response.output_audio.delta" => ServerEvent::OutputAudioDelta(body(t, value)?),
            "response.output_audio.done" => ServerEvent::OutputAudioDone(body(t, value)?),
            "response.output_audio_transcript.delta" => {
                ServerEvent::OutputAudioTranscriptDelta(body(t, value)?)
            }
            "response.output_audio_transcript.done" => {
                ServerEvent::OutputAudioTranscriptDone(body(t, value)?)
            }
            "response.function_call_arguments.done" => {
                ServerEvent::FunctionCallArgumentsDone(body(t, value)?)
            }
            "input_audio_buffer.speech_started" => ServerEvent::SpeechStarted(body(t, value)?),
            "input_audio_buffer.speech_stopped" => ServerEvent::SpeechStopped(body(t, value)?),
            "input_audio_buffer.committed" => ServerEvent::InputAudioCommitted(body(t, value)?),
            "input_audio_buffer.timeout_triggered" => {
                ServerEvent::InputAudioTimeoutTriggered(body(t, value)?)
            }
            "conversation.item.input_audio_transcription.completed" => {
                ServerEvent::InputAudioTranscriptionCompleted(body(t, value)?)
            }
            "conversation.item.added" => ServerEvent::ConversationItemAdded(body(t, value)?),
            "conversation.item.done" => ServerEvent::ConversationItemDone(body(t, value)?),
            "error" => ServerEvent::Error(body(t, value)?),
            "rate_limits.updated" => ServerEvent::RateLimitsUpdated(body(t, value)?),
            _ => ServerEvent::Unknown(UnknownServerEvent {
                event_type,
                raw: value,
            }),
        })
    }

    /// The wire `type` (for an unknown event, the type as received).
    pub fn event_type(&self) -> &str {
        match self {
            ServerEvent::SessionCreated(_) => "session.created",
            ServerEvent::SessionUpdated(_) => "session.updated",
            ServerEvent::ResponseCreated(_) => "response.created",
            ServerEvent::ResponseDone(_) => "response.done",
            ServerEvent::OutputAudioDelta(_) => "response.output_audio.delta",
            ServerEvent::OutputAudioDone(_) => "response.output_audio.done",
            ServerEvent::OutputAudioTranscriptDelta(_) => "response.output_audio_transcript.delta",
            ServerEvent::OutputAudioTranscriptDone(_) => "response.output_audio_transcript.done",
            ServerEvent::FunctionCallArgumentsDone(_) => "response.function_call_arguments.done",
            ServerEvent::SpeechStarted(_) => "input_audio_buffer.speech_started",
            ServerEvent::SpeechStopped(_) => "input_audio_buffer.speech_stopped",
            ServerEvent::InputAudioCommitted(_) => "input_audio_buffer.committed",
            ServerEvent::InputAudioTimeoutTriggered(_) => "input_audio_buffer.timeout_triggered",
            ServerEvent::InputAudioTranscriptionCompleted(_) => {
                "conversation.item.input_audio_transcription.completed"
            }
            ServerEvent::ConversationItemAdded(_) => "conversation.item.added",
            ServerEvent::ConversationItemDone(_) => "conversation.item.done",
            ServerEvent::Error(_) => "error",
            ServerEvent::RateLimitsUpdated(_) => "rate_limits.updated",
            ServerEvent::Unknown(unknown) => &unknown.event_type,
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

/// A server event this crate does not model, kept whole.
#[derive(Debug, Clone, PartialEq)]
pub struct UnknownServerEvent {
    /// The `type` as received.
    pub event_type: String,
    /// The whole event.
    pub raw: Value,
}

/// Serializes as the raw event it was read from.
impl Serialize for UnknownServerEvent {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.raw.serialize(serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The project's one copy of the fixtures is the test kit's (see SOURCE.md there).
    const SAMPLES: &str = include_str!(
        "../../../kitchen-testkit/fixtures/openai-realtime/server-events.samples.jsonl"
    );

    fn samples() -> impl Iterator<Item = (&'static str, Value)> {
        SAMPLES
            .lines()
            .filter(|line| !line.trim().is_empty())
            .map(|line| (line, serde_json::from_str(line).unwrap()))
    }

    fn sample(event_type: &str) -> ServerEvent {
        let (line, _) = samples()
            .find(|(_, v)| v["type"] == event_type)
            .unwrap_or_else(|| panic!("no sample of {event_type}"));
        ServerEvent::parse(line).unwrap()
    }

    #[test]
    fn every_recorded_sample_parses_into_the_variant_its_type_names() {
        let mut modelled = 0;
        for (line, value) in samples() {
            let event = ServerEvent::parse(line).unwrap();
            assert_eq!(event.event_type(), value["type"], "{line}");
            // `response.output_item.added` is the one sample type we choose not to model.
            let expect_unknown = value["type"] == "response.output_item.added";
            assert_eq!(
                matches!(event, ServerEvent::Unknown(_)),
                expect_unknown,
                "{line}"
            );
            modelled += usize::from(!expect_unknown);
        }
        // Every modelled type has at least one sample (response.done has two).
        assert_eq!(modelled, 19);
    }

    #[test]
    fn an_audio_delta_carries_the_item_to_truncate_and_its_audio() {
        let ServerEvent::OutputAudioDelta(delta) = sample("response.output_audio.delta") else {
            panic!("delta")
        };
        assert_eq!(delta.item_id, "item_C9H0aLm7");
        assert_eq!(delta.response_id, "resp_C9H0aLk2");
        assert_eq!(delta.audio().unwrap().len(), 13);
    }

    #[test]
    fn a_function_call_gives_call_id_name_and_json_arguments() {
        let ServerEvent::FunctionCallArgumentsDone(call) =
            sample("response.function_call_arguments.done")
        else {
            panic!("call")
        };
        assert_eq!(
            (call.call_id.as_str(), call.name.as_str()),
            ("call_Xy12", "place_order")
        );
        let args: Value = serde_json::from_str(&call.arguments).unwrap();
        assert_eq!(args["items"][0]["size"], "large");
        assert_eq!(call.item_id.as_deref(), Some("item_C9H0bQ3"));
    }

    #[test]
    fn response_done_reports_status_reason_and_usage() {
        let done: Vec<ResponseInfo> = samples()
            .filter(|(_, v)| v["type"] == "response.done")
            .map(|(line, _)| match ServerEvent::parse(line).unwrap() {
                ServerEvent::ResponseDone(e) => e.response,
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(done[0].status, Some(ResponseStatus::Completed));
        let usage = done[0].usage.as_ref().unwrap();
        assert_eq!((usage.input_tokens, usage.output_tokens), (1410, 433));
        assert_eq!(
            usage.output_token_details.as_ref().unwrap().audio_tokens,
            341
        );
        assert_eq!(done[1].status, Some(ResponseStatus::Cancelled));
        let details = done[1].status_details.as_ref().unwrap();
        assert_eq!(details.reason.as_deref(), Some("turn_detected"));
    }

    #[test]
    fn speech_started_and_errors_keep_their_fields() {
        let ServerEvent::SpeechStarted(s) = sample("input_audio_buffer.speech_started") else {
            panic!("speech")
        };
        assert_eq!(s.audio_start_ms, 1240);
        let ServerEvent::Error(e) = sample("error") else {
            panic!("error")
        };
        assert_eq!(e.error.event_id.as_deref(), Some("ev_truncate_7"));
        assert_eq!(e.error.param.as_deref(), Some("audio_end_ms"));
        assert!(!e.error.is_beta_shape_disabled());
        let beta = r#"{"type":"error","event_id":"e","error":{"type":"invalid_request_error","code":"beta_api_shape_disabled","message":"The beta interface is shut down"}}"#;
        let ServerEvent::Error(e) = ServerEvent::parse(beta).unwrap() else {
            panic!("error")
        };
        assert!(e.error.is_beta_shape_disabled());
    }

    #[test]
    fn unknown_and_beta_types_are_kept_not_rejected() {
        for t in [
            "response.audio.delta",
            "conversation.item.created",
            "brand.new",
        ] {
            let event = ServerEvent::parse(&format!(r#"{{"type":"{t}","delta":"AA=="}}"#)).unwrap();
            let ServerEvent::Unknown(unknown) = &event else {
                panic!("{t}")
            };
            assert_eq!(unknown.event_type, t);
            assert_eq!(event.event_type(), t);
            assert_eq!(unknown.raw["delta"], "AA==");
        }
    }

    #[test]
    fn a_slightly_different_payload_still_parses() {
        let sparse = r#"{"type":"response.output_audio.delta","item_id":"i","delta":"/w"}"#;
        let ServerEvent::OutputAudioDelta(d) = ServerEvent::parse(sparse).unwrap() else {
            panic!("delta")
        };
        assert_eq!(
            (d.output_index, d.content_index, d.audio().unwrap()),
            (0, 0, vec![0xFF])
        );
        let extra = r#"{"type":"response.done","response":{"id":"r","status":"paused","new":1}}"#;
        let ServerEvent::ResponseDone(r) = ServerEvent::parse(extra).unwrap() else {
            panic!("done")
        };
        assert_eq!(r.response.status, Some(ResponseStatus::Other));
        let nameless =
            r#"{"type":"response.function_call_arguments.done","call_id":"c","arguments":"{}"}"#;
        assert!(matches!(
            ServerEvent::parse(nameless).unwrap(),
            ServerEvent::FunctionCallArgumentsDone(f) if f.name.is_empty()
        ));
    }

    #[test]
    fn a_known_event_missing_what_we_need_is_a_malformed_error() {
        for bad in [
            r#"{"type":"response.output_audio.delta","item_id":"i"}"#,
            r#"{"type":"input_audio_buffer.speech_started","audio_start_ms":"soon"}"#,
            r#"{"type":"response.function_call_arguments.done","call_id":"c"}"#,
            r#"{"type":"error"}"#,
        ] {
            assert!(
                matches!(
                    ServerEvent::parse(bad),
                    Err(RealtimeError::Malformed { .. })
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn garbage_never_panics_and_is_an_error() {
        let deep = "{\"type\":".repeat(50_000);
        for bad in [
            "",
            "null",
            "[]",
            "\"error\"",
            "{\"type\":5}",
            "{}",
            "\u{0}",
            deep.as_str(),
        ] {
            assert!(ServerEvent::parse(bad).is_err(), "{bad:?}");
        }
        assert!(matches!(
            ServerEvent::parse("{}"),
            Err(RealtimeError::MissingType)
        ));
        let (line, _) = samples().next().unwrap();
        for end in 0..line.len() {
            if line.is_char_boundary(end) {
                let _ = ServerEvent::parse(&line[..end]);
            }
        }
    }

    #[test]
    fn events_serialize_back_and_parse_to_the_same_event() {
        for (line, value) in samples() {
            let event = ServerEvent::parse(line).unwrap();
            let text = serde_json::to_string(&event).unwrap();
            let again: Value = serde_json::from_str(&text).unwrap();
            assert_eq!(again["type"], value["type"]);
            assert_eq!(
                serde_json::from_str::<ServerEvent>(&text).unwrap(),
                event,
                "{line}"
            );
        }
    }
}
