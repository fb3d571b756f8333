//! Every client event we can send validates against the OpenAI Realtime GA JSON Schema, beta
//! shapes do not, and our recorded server-event samples validate against the server schema.
//! Schemas and samples: kitchen-testkit's `fixtures/openai-realtime/`, the project's one
//! copy (see SOURCE.md there).
#![allow(clippy::unwrap_used)]

use serde_json::{Value, json};
use std::collections::BTreeMap;
use voice_protocol::realtime::{
    AudioInput, AudioOutput, ClientEvent, Eagerness, ForcedTool, Infinite, MaxOutputTokens,
    Modality, NoiseReduction, NoiseReductionKind, ResponseConfig, SemanticVad, ServerEvent,
    ServerVad, SessionAudio, SessionConfig, Tool, ToolChoice, ToolChoiceMode, Transcription,
    TurnDetection,
};

fn fixture(name: &str) -> String {
    let path = format!(
        "{}/../kitchen-testkit/fixtures/openai-realtime/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A schema file plus validators for its top-level union and for each event `type`.
struct Schema {
    top: jsonschema::Validator,
    by_type: BTreeMap<String, jsonschema::Validator>,
}

impl Schema {
    fn load(file: &str, def_prefix: &str) -> Schema {
        let schema: Value = serde_json::from_str(&fixture(file)).unwrap();
        let defs = schema["$defs"].as_object().unwrap();
        let mut by_type = BTreeMap::new();
        for (name, def) in defs {
            // Event definitions pin `type` to a one-value enum: that value names the event.
            let Some([Value::String(event_type)]) = def
                .pointer("/properties/type/enum")
                .and_then(Value::as_array)
                .map(Vec::as_slice)
            else {
                continue;
            };
            if !name.starts_with(def_prefix) {
                continue;
            }
            let one = json!({
                "$schema": "https://json-schema.org/draft/2020-12/schema",
                "$ref": format!("#/$defs/{name}"),
                "$defs": schema["$defs"],
            });
            by_type.insert(
                event_type.clone(),
                jsonschema::draft202012::new(&one).unwrap(),
            );
        }
        Schema {
            top: jsonschema::draft202012::new(&schema).unwrap(),
            by_type,
        }
    }

    /// Errors against both the union and the definition for the instance's own `type`.
    fn errors(&self, instance: &Value) -> Vec<String> {
        let mut errors: Vec<String> = self
            .top
            .iter_errors(instance)
            .map(|e| e.to_string())
            .collect();
        match instance["type"].as_str().and_then(|t| self.by_type.get(t)) {
            Some(own) => errors.extend(own.iter_errors(instance).map(|e| e.to_string())),
            None => errors.push(format!(
                "no schema definition for type {}",
                instance["type"]
            )),
        }
        errors
    }
}

fn client_schema() -> Schema {
    Schema::load("client-events.schema.json", "RealtimeClientEvent")
}

fn place_order_parameters() -> Value {
    json!({
        "type": "object",
        "properties": {
            "items": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "properties": {
                        "item_id": {"type": "string", "description": "Menu item id"},
                        "size": {"type": "string", "enum": ["small", "medium", "large"]},
                        "quantity": {"type": "integer", "minimum": 1, "maximum": 20}
                    },
                    "required": ["item_id", "quantity"]
                }
            },
            "delivery": {"type": "boolean"},
            "address": {"type": "string"}
        },
        "required": ["items", "delivery"]
    })
}

fn full_phone_session() -> SessionConfig {
    let mut session = SessionConfig::phone_call();
    session.instructions = Some("آپ میلٹ 8 پیزا کی فون میزبان ہیں۔ اردو میں بات کریں۔".into());
    session.audio = Some(SessionAudio {
        input: Some(AudioInput {
            format: Some(voice_protocol::realtime::AudioFormat::Pcmu),
            noise_reduction: Some(NoiseReduction {
                kind: NoiseReductionKind::NearField,
            }),
            transcription: Some(Transcription {
                model: Some("gpt-4o-transcribe".into()),
                language: Some("ur".into()),
                prompt: None,
            }),
            turn_detection: Some(TurnDetection::ServerVad(ServerVad {
                threshold: Some(0.5),
                prefix_padding_ms: Some(300),
                silence_duration_ms: Some(500),
                create_response: Some(true),
                interrupt_response: Some(true),
                idle_timeout_ms: Some(8000),
            })),
        }),
        output: Some(AudioOutput {
            format: Some(voice_protocol::realtime::AudioFormat::Pcmu),
            voice: Some("marin".into()),
            speed: Some(1.0),
        }),
    });
    session.tools = Some(vec![Tool::function(
        "place_order",
        "Place the caller's order once they have confirmed every item.",
        place_order_parameters(),
    )]);
    session.tool_choice = Some(ToolChoice::Mode(ToolChoiceMode::Auto));
    session.max_output_tokens = Some(MaxOutputTokens::Limit(1024));
    session
}

/// One instance of every client event variant, with realistic values.
fn every_client_event() -> Vec<ClientEvent> {
    let mut semantic = SessionConfig::phone_call();
    if let Some(input) = semantic.audio.as_mut().and_then(|a| a.input.as_mut()) {
        input.turn_detection = Some(TurnDetection::SemanticVad(SemanticVad {
            eagerness: Some(Eagerness::Low),
            create_response: Some(true),
            interrupt_response: Some(true),
        }));
    }
    semantic.tool_choice = Some(ToolChoice::Forced(ForcedTool::Function {
        name: "place_order".into(),
    }));
    semantic.max_output_tokens = Some(MaxOutputTokens::Unlimited(Infinite::Inf));

    let goodbye = ResponseConfig {
        instructions: Some("Read the order back, give the total, and say goodbye.".into()),
        output_modalities: Some(vec![Modality::Audio]),
        tool_choice: Some(ToolChoice::Mode(ToolChoiceMode::None)),
        max_output_tokens: Some(MaxOutputTokens::Limit(400)),
        metadata: Some(BTreeMap::from([(
            "purpose".to_owned(),
            "goodbye".to_owned(),
        )])),
    };

    vec![
        ClientEvent::session_update(full_phone_session()).with_event_id("ev_session_1"),
        ClientEvent::session_update(semantic),
        ClientEvent::append_audio("//////////9/f39+fn59fQ=="),
        ClientEvent::truncate("item_C9H0aLm7", 1_240).with_event_id("ev_truncate_7"),
        ClientEvent::function_call_output("call_Xy12", r#"{"order_id":42,"total_rs":1850}"#),
        ClientEvent::system_message("The caller is a returning customer named Ali."),
        ClientEvent::user_message("ایک لارج ٹکا پیزا"),
        ClientEvent::response_create(None),
        ClientEvent::response_create(Some(goodbye)),
        ClientEvent::response_cancel(None),
        ClientEvent::response_cancel(Some("resp_C9H0aLk2".into())),
    ]
}

#[test]
fn every_client_event_we_can_send_validates_against_the_ga_schema() {
    let schema = client_schema();
    let events = every_client_event();
    let types: std::collections::BTreeSet<&str> =
        events.iter().map(ClientEvent::event_type).collect();
    assert_eq!(
        types.len(),
        6,
        "one instance of each of the six variants: {types:?}"
    );
    for event in &events {
        let instance: Value = serde_json::from_str(&event.to_json().unwrap()).unwrap();
        let errors = schema.errors(&instance);
        assert!(errors.is_empty(), "{instance:#}\n{errors:#?}");
    }
}

#[test]
fn the_session_update_carries_the_documented_ga_fields() {
    let event = ClientEvent::session_update(full_phone_session());
    let wire: Value = serde_json::from_str(&event.to_json().unwrap()).unwrap();
    let session = &wire["session"];
    assert_eq!(session["type"], "realtime");
    assert_eq!(session["audio"]["input"]["format"]["type"], "audio/pcmu");
    assert_eq!(session["audio"]["output"]["format"]["type"], "audio/pcmu");
    assert_eq!(
        session["audio"]["input"]["turn_detection"]["idle_timeout_ms"],
        8000
    );
    assert_eq!(session["tools"][0]["parameters"], place_order_parameters());
    // No beta-era keys anywhere.
    let text = wire.to_string();
    for beta in [
        "input_audio_format",
        "output_audio_format",
        "\"modalities\"",
        "temperature",
    ] {
        assert!(!text.contains(beta), "{beta} in {text}");
    }
}

#[test]
fn beta_shaped_client_events_fail_validation() {
    let schema = client_schema();
    let beta = [
        json!({"type": "session.update", "session": {"input_audio_format": "g711_ulaw"}}),
        json!({"type": "session.update", "session": {
            "modalities": ["audio", "text"], "voice": "alloy",
            "input_audio_format": "g711_ulaw", "output_audio_format": "g711_ulaw"}}),
        json!({"type": "response.audio.delta", "response_id": "r", "item_id": "i",
               "output_index": 0, "content_index": 0, "delta": "AA=="}),
    ];
    for instance in beta {
        assert!(!schema.errors(&instance).is_empty(), "{instance}");
    }
}

#[test]
fn dropping_a_required_field_from_a_valid_event_fails_validation() {
    let schema = client_schema();
    let mut session: Value =
        serde_json::to_value(ClientEvent::session_update(full_phone_session())).unwrap();
    assert!(schema.errors(&session).is_empty());
    session["session"].as_object_mut().unwrap().remove("type");
    assert!(!schema.errors(&session).is_empty());

    let mut truncate: Value = serde_json::to_value(ClientEvent::truncate("item_1", 20)).unwrap();
    truncate.as_object_mut().unwrap().remove("audio_end_ms");
    assert!(!schema.errors(&truncate).is_empty());
}

#[test]
fn recorded_server_samples_validate_and_parse_into_their_variants() {
    let schema = Schema::load("server-events.schema.json", "RealtimeServerEvent");
    let samples = fixture("server-events.samples.jsonl");
    let mut count = 0;
    for line in samples.lines().filter(|l| !l.trim().is_empty()) {
        let instance: Value = serde_json::from_str(line).unwrap();
        let errors = schema.errors(&instance);
        assert!(errors.is_empty(), "{line}\n{errors:#?}");
        let event = ServerEvent::parse(line).unwrap();
        assert_eq!(event.event_type(), instance["type"]);
        count += 1;
    }
    assert_eq!(count, 20);
}

#[test]
fn events_our_types_emit_for_a_fake_server_validate_too() {
    let schema = Schema::load("server-events.schema.json", "RealtimeServerEvent");
    for line in fixture("server-events.samples.jsonl").lines() {
        let event = ServerEvent::parse(line).unwrap();
        let emitted = serde_json::to_value(&event).unwrap();
        let errors = schema.errors(&emitted);
        assert!(errors.is_empty(), "{emitted:#}\n{errors:#?}");
    }
}

#[test]
fn a_beta_server_event_fails_the_server_schema() {
    let schema = Schema::load("server-events.schema.json", "RealtimeServerEvent");
    let beta = json!({"type": "response.audio.delta", "event_id": "e", "response_id": "r",
                      "item_id": "i", "output_index": 0, "content_index": 0, "delta": "AA=="});
    assert!(!schema.errors(&beta).is_empty());
    let missing = json!({"type": "response.output_audio.delta", "event_id": "e", "delta": "AA=="});
    assert!(!schema.errors(&missing).is_empty());
}
