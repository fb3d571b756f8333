//! The incoming-SIP-call webhook bodies we read (and the fakes send) against the schemas
//! generated from the `openai` package (kitchen-testkit's `fixtures/openai-live/`, see SOURCE.md there).
#![allow(clippy::unwrap_used)]

use serde_json::{Value, json};
use voice_protocol::webhooks::{WebhookEvent, caller_number};

fn schema(file: &str) -> jsonschema::Validator {
    let path = format!(
        "{}/../kitchen-testkit/fixtures/openai-live/{file}",
        env!("CARGO_MANIFEST_DIR")
    );
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    jsonschema::draft202012::new(&schema).unwrap()
}

fn vector_bodies() -> Vec<Value> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../kitchen-testkit/fixtures/openai-live/webhook-vectors.json"
    );
    let all: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    all["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| serde_json::from_str(v["body"].as_str().unwrap()).unwrap())
        .collect()
}

#[test]
fn sample_bodies_match_their_schemas_and_parse_with_the_callers_number() {
    let live = schema("webhook-live-transport-incoming.schema.json");
    let realtime = schema("webhook-realtime-call-incoming.schema.json");
    let mut seen = (0, 0);
    for body in vector_bodies() {
        let text = serde_json::to_vec(&body).unwrap();
        match WebhookEvent::parse(&text).unwrap() {
            event @ WebhookEvent::LiveIncoming { .. } => {
                assert!(live.is_valid(&body), "{body}");
                assert!(!realtime.is_valid(&body));
                assert_eq!(
                    caller_number(event.sip_headers()).as_deref(),
                    Some("+923001234567")
                );
                seen.0 += 1;
            }
            event @ WebhookEvent::RealtimeIncoming { .. } => {
                assert!(realtime.is_valid(&body), "{body}");
                assert_eq!(
                    caller_number(event.sip_headers()).as_deref(),
                    Some("+923001234567")
                );
                seen.1 += 1;
            }
            WebhookEvent::Other => panic!("unexpected sample {body}"),
        }
    }
    assert!(seen.0 > 0 && seen.1 > 0, "both types sampled: {seen:?}");
}

#[test]
fn a_live_body_without_session_id_fails_the_schema_and_our_parser() {
    let live = schema("webhook-live-transport-incoming.schema.json");
    let body = json!({"id":"evt_1","type":"live.transport.incoming","created_at":1,
        "data":{"type":"sip","sip_headers":[]}});
    assert!(!live.is_valid(&body));
    assert!(WebhookEvent::parse(&serde_json::to_vec(&body).unwrap()).is_err());
}
