//! How the fake Realtime service answers client events: pure functions over a session's
//! [`State`], no I/O (the connection task in `realtime.rs` owns the socket).
//!
//! Rules copied from the real GA service: `session.update` → `session.updated` with the
//! merged effective config; `conversation.item.create` → `conversation.item.added` and
//! `.done`; `conversation.item.truncate` → `.truncated`, or `error`/`invalid_value` when
//! `audio_end_ms` exceeds the audio sent for that item; beta shapes → `error`
//! `beta_api_shape_disabled` and close code 4000; `input_audio_buffer.append` and
//! `response.cancel` → nothing.

use super::session::{ScriptStatus, State};
use super::{Behaviour, ClientEventCheck};
use crate::ids::openai_id;
use crate::short_json;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};

/// What the connection task does in answer to a client event.
#[derive(Debug)]
pub(crate) enum Reply {
    Send(Value),
    Drop,
    Close(u16, String),
}

/// The close code the GA service uses when it refuses the beta interface.
pub(crate) const BETA_CLOSE_CODE: u16 = 4000;

/// Keys that only the beta `session` object had (GA moved them under `audio.*` or renamed).
const BETA_SESSION_KEYS: &[&str] = &[
    "modalities",
    "input_audio_format",
    "output_audio_format",
    "input_audio_transcription",
    "turn_detection",
    "voice",
    "temperature",
    "max_response_output_tokens",
];

/// Keys that only the beta `response.create` options had.
const BETA_RESPONSE_KEYS: &[&str] = &[
    "modalities",
    "voice",
    "output_audio_format",
    "temperature",
    "max_response_output_tokens",
];

/// The session a new connection starts with (GA defaults, as `session.created` shows them).
pub(crate) fn initial_session(model: &str) -> Value {
    let expires_at = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() + 3600)
        .unwrap_or(0);
    json!({
        "type": "realtime", "object": "realtime.session", "id": openai_id("sess"),
        "model": model, "output_modalities": ["audio"], "instructions": "",
        "tools": [], "tool_choice": "auto", "max_output_tokens": "inf",
        "tracing": null, "truncation": "auto", "expires_at": expires_at,
        "audio": {
            "input": {
                "format": {"type": "audio/pcm", "rate": 24000},
                "turn_detection": {"type": "server_vad", "threshold": 0.5,
                    "prefix_padding_ms": 300, "silence_duration_ms": 200,
                    "idle_timeout_ms": null, "create_response": true,
                    "interrupt_response": true}
            },
            "output": {"format": {"type": "audio/pcm", "rate": 24000}, "voice": "alloy",
                       "speed": 1.0}
        }
    })
}

/// An `error` server event.
pub(crate) fn error_event(
    code: &str,
    message: &str,
    param: Option<&str>,
    client_event_id: Option<&str>,
) -> Value {
    json!({"type": "error", "error": {"type": "invalid_request_error", "code": code,
        "message": message, "param": param, "event_id": client_event_id}})
}

/// What the service answers a client that sent `OpenAI-Beta: realtime=v1`.
pub(crate) fn beta_header_replies() -> Vec<Reply> {
    let message = "The Realtime beta interface has been shut down. Remove the \
        'OpenAI-Beta: realtime=v1' header and use the GA interface.";
    vec![
        Reply::Send(error_event("beta_api_shape_disabled", message, None, None)),
        Reply::Close(BETA_CLOSE_CODE, "beta_api_shape_disabled".into()),
    ]
}

/// Records an event the fake is about to write, counting assistant audio per item.
pub(crate) fn note_sent(state: &mut State, event: &Value) {
    if event["type"] == "response.output_audio.delta" {
        let bytes = event["delta"]
            .as_str()
            .and_then(|d| STANDARD.decode(d).ok())
            .map_or(0, |b| b.len());
        let item = event["item_id"].as_str().unwrap_or_default().to_string();
        *state.audio_sent.entry(item).or_default() += bytes;
    }
    if event["type"] == "session.created" || event["type"] == "session.updated" {
        state.effective = event["session"].clone();
    }
    state.sent.push(event.clone());
}

/// Records one client text frame, checks it (with `check` too, when given), and says how to
/// answer it.
pub(crate) fn handle_client_text(
    state: &mut State,
    text: &str,
    behaviour: Behaviour,
    check: Option<ClientEventCheck>,
) -> Vec<Reply> {
    let arrived = std::time::Instant::now();
    let event: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            state
                .violations
                .push(format!("client frame is not JSON ({e}): {text:.200}"));
            return vec![Reply::Send(error_event(
                "invalid_json",
                "Invalid JSON",
                None,
                None,
            ))];
        }
    };
    state.received.push(event.clone());
    state.received_at.push(arrived);
    state.consumed.push(false);
    let checked = check.map_or(Ok(()), |check| check(&event));
    if let Err(e) = &checked {
        state.violations.push(e.clone());
    }
    let eid = event["event_id"].as_str();
    if let Some(why) = beta_shape(&event) {
        state
            .violations
            .push(format!("beta-shaped event ({why}): {}", short_json(&event)));
        let message = format!("Beta event shapes are no longer supported: {why}");
        return vec![
            Reply::Send(error_event("beta_api_shape_disabled", &message, None, eid)),
            Reply::Close(BETA_CLOSE_CODE, "beta_api_shape_disabled".into()),
        ];
    }
    let kind = event["type"].as_str().unwrap_or_default();
    if kind == "session.update" {
        state.session_updates += 1;
        if behaviour == Behaviour::CloseAfterSessionUpdate && state.session_updates == 1 {
            return vec![Reply::Drop];
        }
    }
    if let Err(e) = checked {
        return vec![Reply::Send(error_event("invalid_value", &e, None, eid))];
    }
    match kind {
        "session.update" => session_update(state, &event, eid),
        "input_audio_buffer.append" => {
            match STANDARD.decode(event["audio"].as_str().unwrap_or_default()) {
                Ok(bytes) => {
                    state.appended_bytes += bytes.len();
                    vec![]
                }
                Err(e) => {
                    state.violations.push(format!("`audio` is not base64: {e}"));
                    let msg = "Invalid 'audio'. Expected base64-encoded audio bytes.";
                    vec![Reply::Send(error_event(
                        "invalid_value",
                        msg,
                        Some("audio"),
                        eid,
                    ))]
                }
            }
        }
        "conversation.item.create" => {
            let mut item = event["item"].clone();
            if item.get("id").is_none() {
                item["id"] = json!(openai_id("item"));
            }
            item["object"] = json!("realtime.item");
            item["status"] = json!("completed");
            ["conversation.item.added", "conversation.item.done"]
                .iter()
                .map(|t| Reply::Send(json!({"type": t, "previous_item_id": null, "item": item})))
                .collect()
        }
        "conversation.item.truncate" => truncate(state, &event, eid),
        _ => vec![],
    }
}

fn session_update(state: &mut State, event: &Value, eid: Option<&str>) -> Vec<Reply> {
    let update = &event["session"];
    let audio_played = state.audio_sent.values().any(|&b| b > 0);
    let new_voice = &update["audio"]["output"]["voice"];
    if audio_played
        && !new_voice.is_null()
        && *new_voice != state.effective["audio"]["output"]["voice"]
    {
        let msg = "Cannot update a conversation's voice if assistant audio is present.";
        return vec![Reply::Send(error_event(
            "cannot_update_voice",
            msg,
            Some("session.audio.output.voice"),
            eid,
        ))];
    }
    let new_model = &update["model"];
    if !new_model.is_null() && *new_model != state.effective["model"] {
        let msg = "The model of a session cannot be changed.";
        return vec![Reply::Send(error_event(
            "invalid_value",
            msg,
            Some("session.model"),
            eid,
        ))];
    }
    merge(&mut state.effective, update);
    vec![Reply::Send(
        json!({"type": "session.updated", "session": state.effective}),
    )]
}

fn truncate(state: &mut State, event: &Value, eid: Option<&str>) -> Vec<Reply> {
    let item_id = event["item_id"].as_str().unwrap_or_default();
    let end_ms = event["audio_end_ms"].as_i64().unwrap_or_default();
    let Some(&sent) = state.audio_sent.get(item_id) else {
        let msg = format!("Item with item_id '{item_id}' not found or has no audio content.");
        return vec![Reply::Send(error_event(
            "invalid_value",
            &msg,
            Some("item_id"),
            eid,
        ))];
    };
    let sent_ms = (sent / 8) as i64;
    if end_ms < 0 || end_ms > sent_ms {
        let msg = format!("Audio content of {sent_ms}ms is already shorter than {end_ms}ms");
        return vec![Reply::Send(error_event(
            "invalid_value",
            &msg,
            Some("audio_end_ms"),
            eid,
        ))];
    }
    vec![Reply::Send(
        json!({"type": "conversation.item.truncated", "item_id": item_id,
        "content_index": event["content_index"], "audio_end_ms": end_ms}),
    )]
}

/// Why `event` looks like the shut-down beta interface, if it does.
pub(crate) fn beta_shape(event: &Value) -> Option<String> {
    let kind = event["type"].as_str().unwrap_or_default();
    if kind == "transcription_session.update" {
        return Some("`transcription_session.update` is a beta event".into());
    }
    let (obj, keys, what) = match kind {
        "session.update" => (&event["session"], BETA_SESSION_KEYS, "session"),
        "response.create" => (&event["response"], BETA_RESPONSE_KEYS, "response"),
        _ => return None,
    };
    if kind == "session.update" && obj.is_object() && obj.get("type").is_none() {
        return Some("`session.type` is missing".into());
    }
    keys.iter()
        .find(|k| obj.get(**k).is_some())
        .map(|k| format!("`{what}.{k}` is a beta field"))
}

/// Partial update: objects merge key by key, anything else replaces; `null` clears a key
/// (kept as `null` where the GA schema allows it).
fn merge(dst: &mut Value, src: &Value) {
    let (Some(dst), Some(src)) = (dst.as_object_mut(), src.as_object()) else {
        return;
    };
    for (k, v) in src {
        match v {
            Value::Null if k == "turn_detection" || k == "tracing" => {
                dst.insert(k.clone(), Value::Null);
            }
            Value::Null => {
                dst.remove(k);
            }
            Value::Object(_) if dst.get(k).is_some_and(Value::is_object) => {
                if let Some(d) = dst.get_mut(k) {
                    merge(d, v);
                }
            }
            _ => {
                dst.insert(k.clone(), v.clone());
            }
        }
    }
}

/// Marks the script's end in the state.
pub(crate) fn script_ended(state: &mut State, result: Result<(), String>) {
    state.script = match result {
        Ok(()) => ScriptStatus::Done,
        Err(e) => ScriptStatus::Failed(e),
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_keeps_untouched_fields_and_replaces_arrays() {
        let mut dst = json!({"a": {"b": 1, "c": 2}, "tools": [1, 2], "x": 1});
        merge(&mut dst, &json!({"a": {"b": 9}, "tools": [], "x": null}));
        assert_eq!(dst, json!({"a": {"b": 9, "c": 2}, "tools": []}));
    }

    #[test]
    fn a_session_without_type_is_beta_shaped() {
        let e = json!({"type": "session.update", "session": {"instructions": "x"}});
        assert!(beta_shape(&e).is_some());
        let ga = json!({"type": "session.update", "session": {"type": "realtime"}});
        assert_eq!(beta_shape(&ga), None);
    }
}
