//! Every GPT-Live client event we can send validates against the client-events JSON Schema
//! of the `openai` SDK; the session config minus `audio.format` is a valid SIP accept body;
//! and sample server events, themselves checked against the server-events schema, parse
//! into the variants their types name. Schemas: kitchen-testkit's `fixtures/openai-live/`,
//! the project's one copy (see SOURCE.md there).
#![allow(clippy::unwrap_used)]

use serde_json::{Value, json};
use std::collections::BTreeMap;
use voice_protocol::live::{
    AudioFormat, AudioOutput, ClientEvent, CloseReason, Delegation, ResponsesDelegation,
    ServerEvent, SessionAudio, SessionConfig, Tool, ToolChoiceMode,
};

fn fixture(name: &str) -> Value {
    let path = format!(
        "{}/../kitchen-testkit/fixtures/openai-live/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap()
}

/// Validators for each event `type` of one schema file (root: `anyOf` of `$ref`s; each
/// definition pins `type` with `const`).
struct Schema {
    top: jsonschema::Validator,
    by_type: BTreeMap<String, jsonschema::Validator>,
}

impl Schema {
    fn load(file: &str) -> Schema {
        let schema = fixture(file);
        let mut by_type = BTreeMap::new();
        for alt in schema["anyOf"].as_array().unwrap() {
            let name = alt["$ref"].as_str().unwrap().trim_start_matches("#/$defs/");
            let def = &schema["$defs"][name];
            let event_type = def["properties"]["type"]["const"].as_str().unwrap();
            let one = json!({
                "$schema": "https://json-schema.org/draft/2020-12/schema",
                "$ref": format!("#/$defs/{name}"),
                "$defs": schema["$defs"],
            });
            by_type.insert(
                event_type.to_owned(),
                jsonschema::draft202012::new(&one).unwrap(),
            );
        }
        Schema {
            top: jsonschema::draft202012::new(&schema).unwrap(),
            by_type,
        }
    }

    fn errors(&self, instance: &Value) -> Vec<String> {
        let mut errors: Vec<String> = self
            .top
            .iter_errors(instance)
            .map(|e| e.to_string())
            .collect();
        match instance["type"].as_str().and_then(|t| self.by_type.get(t)) {
            Some(own) => errors.extend(
                own.iter_errors(instance)
                    .map(|e| format!("at {}: {e}", e.instance_path())),
            ),
            None => errors.push(format!("no definition for type {}", instance["type"])),
        }
        errors
    }
}

fn place_order_tool() -> Tool {
    voice_protocol::realtime::Tool::function(
        "place_order",
        "Place the caller's order once they confirmed every item.",
        json!({"type": "object",
               "properties": {"items": {"type": "array", "items": {"type": "object"}},
                              "customer_phone": {"type": "string"}},
               "required": ["items"]}),
    )
    .into()
}

/// The session object the bridge sends: µ-law 8 kHz, responses delegation with our tools.
fn bridge_session() -> SessionConfig {
    SessionConfig {
        model: "gpt-live-1.1".into(),
        instructions: Some("# Persona\nآپ میلٹ 8 پیزا کی فون میزبان ہیں۔\n# Interruption policy\nStop when the caller speaks.".into()),
        audio: Some(SessionAudio {
            format: Some(AudioFormat::TWILIO),
            output: Some(AudioOutput {
                voice: Some("marin".into()),
            }),
        }),
        delegation: Some(Delegation::Responses {
            responses: ResponsesDelegation {
                model: "gpt-5-mini".into(),
                instructions: Some("Menu: Chicken Tikka large Rs 2199.".into()),
                tools: vec![place_order_tool()],
                tool_choice: Some(ToolChoiceMode::Auto),
                parallel_tool_calls: Some(false),
                max_output_tokens: None,
            },
        }),
    }
}

fn every_client_event() -> Vec<ClientEvent> {
    vec![
        ClientEvent::session_start(bridge_session()),
        ClientEvent::SessionStart {
            event_id: Some("ev_start".into()),
            session: SessionConfig {
                model: "gpt-live-1".into(),
                instructions: None,
                audio: None,
                delegation: Some(Delegation::Client {}),
            },
        },
        ClientEvent::append_audio("//////////9/f39+fn59fQ=="),
        ClientEvent::instructions_append("Greet the caller in Urdu now."),
        ClientEvent::thinking_append("The kitchen is busy: 40 minutes."),
        ClientEvent::commentary_append("Tell the caller the order is placed."),
        ClientEvent::function_call_output("call_1", r#"{"ok":true,"order_number":17}"#),
        ClientEvent::response_create(),
        ClientEvent::session_close(),
    ]
}

#[test]
fn every_client_event_we_can_send_validates_against_the_live_schema() {
    let schema = Schema::load("client-events.schema.json");
    let events = every_client_event();
    let kinds: std::collections::BTreeSet<&str> =
        events.iter().map(ClientEvent::event_type).collect();
    assert_eq!(kinds.len(), 8, "each variant at least once: {kinds:?}");
    for event in &events {
        let value: Value = serde_json::from_str(&event.to_json().unwrap()).unwrap();
        let errors = schema.errors(&value);
        assert!(errors.is_empty(), "{value}: {errors:#?}");
        // What we send reads back as the same event (the fake server relies on it).
        assert_eq!(
            &serde_json::from_value::<ClientEvent>(value).unwrap(),
            event
        );
    }
}

#[test]
fn the_schema_catches_a_pcmu_format_without_its_rate() {
    let schema = Schema::load("client-events.schema.json");
    let mut start = serde_json::to_value(ClientEvent::session_start(bridge_session())).unwrap();
    start["session"]["audio"]["format"] = json!({"type": "audio/pcmu"});
    assert!(!schema.errors(&start).is_empty());
}

#[test]
fn the_bridge_session_without_its_audio_format_is_a_valid_sip_accept_body() {
    let accept = fixture("session-accept-params.schema.json");
    let validator = jsonschema::draft202012::new(&accept).unwrap();
    let body = json!({"session": bridge_session().for_sip_accept()});
    assert_eq!(body["session"]["type"], "live");
    assert_eq!(
        body["session"]["audio"],
        json!({"output": {"voice": "marin"}})
    );
    let errors: Vec<String> = validator
        .iter_errors(&body)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

fn session_resource() -> Value {
    json!({"id": "sess_1", "model": "gpt-live-1.1", "expires_at": 1_790_000_000,
           "status": "active", "audio": {"format": {"type": "audio/pcmu", "rate": 8000}}})
}

/// One sample of each server event we read, shaped after the server schema.
fn server_samples() -> Vec<Value> {
    vec![
        json!({"type": "session.started", "event_id": "e1", "session": session_resource()}),
        json!({"type": "session.output_audio.delta", "delta": "//79/A=="}),
        json!({"type": "session.input_transcript.delta", "event_id": "e2", "delta": "ایک",
               "start_ms": 100, "end_ms": 400}),
        json!({"type": "session.output_transcript.delta", "event_id": "e3", "delta": "جی",
               "start_ms": 500, "end_ms": 700}),
        json!({"type": "session.delegation.created", "event_id": "e4", "offset_ms": 900,
               "delegation": {"id": "del_1", "target": "responses", "type": "delegation",
                              "response_id": "resp_1"}}),
        json!({"type": "response.event", "event_id": "e5", "delegation_id": "del_1",
               "event": {"type": "response.output_item.done", "output_index": 0,
                         "sequence_number": 4,
                         "item": {"type": "function_call", "id": "fc_1", "call_id": "call_1",
                                  "name": "place_order", "arguments": "{\"items\":[]}",
                                  "status": "completed"}}}),
        json!({"type": "session.instructions.appended", "event_id": "e6", "start_ms": 0,
               "end_ms": 0, "client_event_id": "ev_greet"}),
        json!({"type": "session.usage.updated", "event_id": "e7", "usage": {"seconds": 15.2}}),
        json!({"type": "session.closed", "event_id": "e8", "reason": "close_requested",
               "session": session_resource(), "usage": {"seconds": 61.0}}),
        json!({"type": "error", "event_id": "e9",
               "error": {"type": "invalid_request_error", "code": "unknown_parameter",
                         "message": "Unknown parameter: 'session.foo'.",
                         "param": "session.foo"}}),
        json!({"type": "info", "event_id": "e10", "code": "permissions", "message": "ok"}),
        json!({"type": "transport.ringing", "event_id": "e11", "session_id": "sess_1"}),
    ]
}

#[test]
fn sample_server_events_match_the_schema_and_parse_into_their_variant() {
    let schema = Schema::load("server-events.schema.json");
    for sample in server_samples() {
        let errors = schema.errors(&sample);
        assert!(errors.is_empty(), "sample {sample}: {errors:#?}");
        let event = ServerEvent::parse(&sample.to_string()).unwrap();
        assert_eq!(event.event_type(), sample["type"], "{sample}");
        let unmodelled = sample["type"] == "transport.ringing";
        assert_eq!(
            matches!(event, ServerEvent::Other(_)),
            unmodelled,
            "{sample}"
        );
        // Typed events serialize back to a schema-valid event (the fake server emits them).
        let back = serde_json::to_value(&event).unwrap();
        let errors = schema.errors(&back);
        assert!(errors.is_empty(), "re-serialized {back}: {errors:#?}");
    }
}

#[test]
fn a_completed_function_call_is_read_from_its_envelope_and_nothing_else_is() {
    let samples = server_samples();
    let ServerEvent::ResponseEvent(envelope) = ServerEvent::parse(&samples[5].to_string()).unwrap()
    else {
        panic!("not a response.event");
    };
    let call = envelope.completed_function_call().unwrap();
    assert_eq!(
        (
            call.call_id.as_str(),
            call.name.as_str(),
            call.arguments.as_str()
        ),
        ("call_1", "place_order", r#"{"items":[]}"#)
    );
    for (path, value) in [
        ("/event/item/status", json!("in_progress")),
        ("/event/item/type", json!("message")),
        ("/event/type", json!("response.output_item.added")),
    ] {
        let mut changed = samples[5].clone();
        *changed.pointer_mut(path).unwrap() = value;
        let ServerEvent::ResponseEvent(envelope) = ServerEvent::from_value(changed).unwrap() else {
            panic!("not a response.event");
        };
        assert_eq!(envelope.completed_function_call(), None, "{path}");
    }
}

#[test]
fn close_reasons_and_usage_read_as_typed_values() {
    let closed = ServerEvent::parse(
        r#"{"type":"session.closed","event_id":"e","reason":"expired","usage":{"seconds":3600}}"#,
    )
    .unwrap();
    let ServerEvent::SessionClosed(closed) = closed else {
        panic!("not closed");
    };
    assert_eq!(closed.reason, CloseReason::Expired);
    assert_eq!(closed.usage.map(|u| u.seconds), Some(3600.0));
    let novel =
        ServerEvent::parse(r#"{"type":"session.closed","reason":"budget","usage":{"seconds":1}}"#)
            .unwrap();
    let ServerEvent::SessionClosed(novel) = novel else {
        panic!("not closed");
    };
    assert_eq!(novel.reason, CloseReason::Other("budget".into()));
}

#[test]
fn bad_frames_are_errors_not_panics() {
    assert!(ServerEvent::parse("not json").is_err());
    assert!(ServerEvent::parse(r#"{"delta":"x"}"#).is_err());
    assert!(ServerEvent::parse(r#"{"type":"session.usage.updated","usage":"x"}"#).is_err());
    assert!(ServerEvent::parse(r#"{"type":"session.output_audio.delta"}"#).is_err());
}
