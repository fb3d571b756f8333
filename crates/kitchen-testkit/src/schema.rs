//! JSON Schema checks of OpenAI Realtime events, against the schemas extracted from the
//! public OpenAPI spec (`fixtures/openai-realtime/`, embedded at build time), and of
//! GPT-Live events, against the `openai` SDK's schemas (`fixtures/openai-live/`).
//!
//! Each schema file is one `anyOf` over every event of its direction, with all definitions
//! under `$defs`. Validating an event against that root only says "matched none of 46
//! alternatives", so we pick the one definition whose `type` enum names the event's `type`
//! and validate against it (a `$ref` into the same `$defs`): the errors then say which
//! field is wrong. An event whose `type` no definition names is a violation by itself
//! (that is how a beta-era name like `response.audio.delta` is caught).

use jsonschema::Validator;
use kitchen_demo::short_json;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

/// The client-event schema file (every event a client may send), verbatim.
pub const CLIENT_EVENTS_SCHEMA: &str =
    include_str!("../fixtures/openai-realtime/client-events.schema.json");

/// The server-event schema file (every event the API may send), verbatim.
pub const SERVER_EVENTS_SCHEMA: &str =
    include_str!("../fixtures/openai-realtime/server-events.schema.json");

/// One direction's schemas: a definition name per event type, validators compiled lazily.
struct EventSchemas {
    root: Value,
    def_by_type: HashMap<String, String>,
    compiled: Mutex<HashMap<String, Arc<Validator>>>,
}

impl EventSchemas {
    fn load(text: &str) -> Result<EventSchemas, String> {
        let root: Value =
            serde_json::from_str(text).map_err(|e| format!("schema is not JSON: {e}"))?;
        // Realtime's root is a `$ref` to an `anyOf` definition; GPT-Live's root is the
        // `anyOf` itself.
        let union = match root["$ref"]
            .as_str()
            .and_then(|r| r.strip_prefix("#/$defs/"))
        {
            Some(union_name) => &root["$defs"][union_name],
            None => &root,
        };
        let alternatives = union["anyOf"]
            .as_array()
            .ok_or("the root event union is not an `anyOf`")?;
        let mut def_by_type = HashMap::new();
        for alt in alternatives {
            let Some(name) = alt["$ref"]
                .as_str()
                .and_then(|r| r.strip_prefix("#/$defs/"))
            else {
                continue;
            };
            // A definition pins its `type` with a one-value `enum` (Realtime) or a `const`
            // (GPT-Live).
            let kind = &root["$defs"][name]["properties"]["type"];
            let types = kind["enum"].as_array().into_iter().flatten();
            for t in types.chain(kind.get("const")).filter_map(Value::as_str) {
                def_by_type.insert(t.to_string(), name.to_string());
            }
        }
        Ok(EventSchemas {
            root,
            def_by_type,
            compiled: Mutex::new(HashMap::new()),
        })
    }

    fn validator(&self, def: &str) -> Result<Arc<Validator>, String> {
        let mut compiled = self.compiled.lock().map_err(|_| "schema cache poisoned")?;
        if let Some(v) = compiled.get(def) {
            return Ok(v.clone());
        }
        let schema = json!({
            "$schema": self.root["$schema"],
            "$defs": self.root["$defs"],
            "$ref": format!("#/$defs/{def}"),
        });
        let validator = jsonschema::draft202012::new(&schema)
            .map_err(|e| format!("schema {def} does not compile: {e}"))?;
        let validator = Arc::new(validator);
        compiled.insert(def.to_string(), validator.clone());
        Ok(validator)
    }

    fn check(&self, event: &Value) -> Result<(), String> {
        let Some(kind) = event.get("type").and_then(Value::as_str) else {
            return Err(format!("event has no string `type`: {}", short_json(event)));
        };
        let Some(def) = self.def_by_type.get(kind) else {
            return Err(format!("`{kind}` is not an event type of this schema"));
        };
        let validator = self.validator(def)?;
        let errors: Vec<String> = validator
            .iter_errors(event)
            .map(|e| format!("at `{}`: {e}", e.instance_path()))
            .collect();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(format!("`{kind}` violates {def}: {}", errors.join("; ")))
        }
    }
}

static CLIENT: LazyLock<Result<EventSchemas, String>> =
    LazyLock::new(|| EventSchemas::load(CLIENT_EVENTS_SCHEMA));
static SERVER: LazyLock<Result<EventSchemas, String>> =
    LazyLock::new(|| EventSchemas::load(SERVER_EVENTS_SCHEMA));

/// The GPT-Live client-event schema file (the `openai` SDK's, see
/// `fixtures/openai-live/SOURCE.md`), verbatim.
pub const LIVE_CLIENT_EVENTS_SCHEMA: &str =
    include_str!("../fixtures/openai-live/client-events.schema.json");

/// The GPT-Live server-event schema file, verbatim.
pub const LIVE_SERVER_EVENTS_SCHEMA: &str =
    include_str!("../fixtures/openai-live/server-events.schema.json");

static LIVE_CLIENT: LazyLock<Result<EventSchemas, String>> =
    LazyLock::new(|| EventSchemas::load(LIVE_CLIENT_EVENTS_SCHEMA));
static LIVE_SERVER: LazyLock<Result<EventSchemas, String>> =
    LazyLock::new(|| EventSchemas::load(LIVE_SERVER_EVENTS_SCHEMA));

/// Checks one event a client sent to a GPT-Live session; `Err` says what is wrong.
pub fn check_live_client_event(event: &Value) -> Result<(), String> {
    LIVE_CLIENT.as_ref().map_err(Clone::clone)?.check(event)
}

/// Checks one event a GPT-Live session (or a fake of it) sent; `Err` says what is wrong.
pub fn check_live_server_event(event: &Value) -> Result<(), String> {
    LIVE_SERVER.as_ref().map_err(Clone::clone)?.check(event)
}

/// Checks one event a client sent to the Realtime API; `Err` says what is wrong.
pub fn check_client_event(event: &Value) -> Result<(), String> {
    CLIENT.as_ref().map_err(Clone::clone)?.check(event)
}

/// Checks one event the Realtime API (or a fake of it) sent; `Err` says what is wrong.
pub fn check_server_event(event: &Value) -> Result<(), String> {
    SERVER.as_ref().map_err(Clone::clone)?.check(event)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ga_session_update_passes_and_a_beta_one_fails() {
        let ga = json!({"type": "session.update", "session": {"type": "realtime",
            "audio": {"input": {"format": {"type": "audio/pcmu"}}}}});
        assert_eq!(check_client_event(&ga), Ok(()));
        let beta =
            json!({"type": "session.update", "session": {"input_audio_format": "g711_ulaw"}});
        assert!(check_client_event(&beta).is_err());
    }

    #[test]
    fn a_live_pcmu_format_needs_its_rate_and_an_unknown_live_event_is_refused() {
        let start = |format: Value| {
            json!({"type": "session.start", "session": {"model": "gpt-live-1.1",
                "audio": {"format": format}}})
        };
        assert_eq!(
            check_live_client_event(&start(json!({"type": "audio/pcmu", "rate": 8000}))),
            Ok(())
        );
        assert!(check_live_client_event(&start(json!({"type": "audio/pcmu"}))).is_err());
        let realtime_name = json!({"type": "input_audio_buffer.append", "audio": ""});
        assert!(check_live_client_event(&realtime_name).is_err());
        let closed = json!({"type": "session.closed", "event_id": "e", "reason": "bored",
            "session": {"id": "s", "model": "m", "expires_at": 1, "status": "active"},
            "usage": {"seconds": 1}});
        assert!(check_live_server_event(&closed).is_err());
    }

    #[test]
    fn a_beta_server_event_name_is_unknown() {
        let beta = json!({"type": "response.audio.delta", "event_id": "e", "delta": ""});
        let err = check_server_event(&beta).unwrap_err();
        assert!(err.contains("not an event type"), "{err}");
    }
}
