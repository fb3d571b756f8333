//! GPT-Live SIP checks against the `openai` SDK's schemas (`fixtures/openai-live/`, the
//! project's one copy): every client event a sideband sends
//! ([`check_client_event`], installed into kitchen-demo's
//! [`FakeLiveSideband`](kitchen_demo::openai_sip::live_sideband::FakeLiveSideband)) and
//! every accept body ([`accept_body_violations`]).
//!
//! The client-events schema is an `anyOf` of `$ref`s whose definitions pin `type` with
//! `const`: an event is validated against the one definition its `type` names, so errors
//! say which field is wrong; an unknown `type` is a violation by itself.

pub use kitchen_demo::openai_sip::live_sideband::{
    FakeLiveSideband, LiveAttach, LiveSidebandScript, LiveStep, function_output, outputs_of,
};

use jsonschema::Validator;
use kitchen_demo::short_json;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::LazyLock;

/// The client-event schema file, verbatim.
pub const CLIENT_EVENTS_SCHEMA: &str =
    include_str!("../fixtures/openai-live/client-events.schema.json");

/// The accept body schema file (`SessionAcceptParams`), verbatim.
pub const ACCEPT_SCHEMA: &str =
    include_str!("../fixtures/openai-live/session-accept-params.schema.json");

static CLIENT: LazyLock<Result<HashMap<String, Validator>, String>> = LazyLock::new(|| {
    let root: Value = serde_json::from_str(CLIENT_EVENTS_SCHEMA).map_err(|e| e.to_string())?;
    let mut by_type = HashMap::new();
    for alt in root["anyOf"].as_array().ok_or("the root is not an anyOf")? {
        let Some(name) = alt["$ref"]
            .as_str()
            .and_then(|r| r.strip_prefix("#/$defs/"))
        else {
            continue;
        };
        let Some(kind) = root["$defs"][name]["properties"]["type"]["const"].as_str() else {
            continue;
        };
        let one = json!({"$schema": root["$schema"], "$defs": root["$defs"],
            "$ref": format!("#/$defs/{name}")});
        let v = jsonschema::draft202012::new(&one).map_err(|e| format!("{name}: {e}"))?;
        by_type.insert(kind.to_string(), v);
    }
    Ok(by_type)
});

static ACCEPT: LazyLock<Result<Validator, String>> = LazyLock::new(|| {
    let root: Value = serde_json::from_str(ACCEPT_SCHEMA).map_err(|e| e.to_string())?;
    jsonschema::draft202012::new(&root).map_err(|e| e.to_string())
});

/// Checks one GPT-Live client event against the SDK's schema.
pub fn check_client_event(event: &Value) -> Result<(), String> {
    let by_type = CLIENT.as_ref().map_err(Clone::clone)?;
    let kind = event["type"].as_str().unwrap_or_default();
    let Some(v) = by_type.get(kind) else {
        return Err(format!(
            "unknown GPT-Live client event type `{kind}`: {}",
            short_json(event)
        ));
    };
    let errors: Vec<String> = v
        .iter_errors(event)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{kind}: {} ({})",
            errors.join("; "),
            short_json(event)
        ))
    }
}

/// What is wrong with a `/live/sessions/{id}/accept` body (empty: valid), including an
/// `audio.format`, which SIP never takes.
pub fn accept_body_violations(body: &Value) -> Vec<String> {
    let v = match ACCEPT.as_ref() {
        Ok(v) => v,
        Err(e) => return vec![format!("the accept schema does not compile: {e}")],
    };
    let mut out: Vec<String> = v
        .iter_errors(body)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    if body["session"]["audio"].get("format").is_some() {
        out.push("audio.format in a SIP accept body".into());
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_checks_catch_a_wrong_event_and_a_bad_accept_body() {
        let ok = json!({"type": "response.item.create",
            "item": {"type": "function_call_output", "call_id": "call_1", "output": "{}"}});
        check_client_event(&ok).unwrap();
        assert!(check_client_event(&json!({"type": "response.item.create"})).is_err());
        assert!(check_client_event(&json!({"type": "conversation.item.create"})).is_err());
        check_client_event(&json!({"type": "response.create"})).unwrap();
        let good = json!({"session": {"type": "live", "model": "gpt-live-1.1"}});
        assert!(
            accept_body_violations(&good).is_empty(),
            "{:?}",
            accept_body_violations(&good)
        );
        assert!(!accept_body_violations(&json!({"session": {"type": "realtime"}})).is_empty());
        let with_format = json!({"session": {"type": "live", "model": "gpt-live-1.1",
            "audio": {"format": {"type": "audio/pcmu", "rate": 8000}}}});
        assert!(!accept_body_violations(&with_format).is_empty());
    }
}
