//! Every relay rule, without a socket.

use super::*;
use crate::tools::ToolName;
use base64::Engine;
use serde_json::{Value, json};
use voice_protocol::realtime::ClientEvent;

const SID: &str = "MZ00000000000000000000000000000001";

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn rt(v: Value) -> Input {
    Input::Realtime(ServerEvent::from_value(v).unwrap())
}

fn tw(v: Value) -> Input {
    Input::Twilio(InboundMessage::from_value(v).unwrap())
}

fn delta(item: &str, bytes: usize) -> Input {
    rt(
        json!({"type": "response.output_audio.delta", "event_id": "e", "response_id": "r1", "item_id": item,
              "output_index": 0, "content_index": 0, "delta": b64(&vec![0x7f; bytes])}),
    )
}

fn media(payload: &str) -> Input {
    tw(
        json!({"event": "media", "sequenceNumber": "3", "streamSid": SID,
              "media": {"track": "inbound", "chunk": "1", "timestamp": "20", "payload": payload}}),
    )
}

fn mark_echo(name: &str) -> Input {
    tw(json!({"event": "mark", "sequenceNumber": "9", "streamSid": SID, "mark": {"name": name}}))
}

fn speech_started() -> Input {
    rt(
        json!({"type": "input_audio_buffer.speech_started", "event_id": "e", "audio_start_ms": 1000, "item_id": "caller-1"}),
    )
}

fn response(kind: &str) -> Input {
    rt(
        json!({"type": kind, "event_id": "e", "response": {"id": "r1", "object": "realtime.response", "status": "completed", "output": []}}),
    )
}

fn function_call(call_id: &str, name: &str, args: Value) -> Input {
    rt(
        json!({"type": "response.function_call_arguments.done", "event_id": "e", "response_id": "r1", "item_id": "fc1",
              "output_index": 0, "call_id": call_id, "name": name, "arguments": args.to_string()}),
    )
}

fn session() -> CallSession {
    let mut s = CallSession::new(SID, true, CallLimits::default());
    s.handle(Input::RealtimeReady);
    s
}

/// The Twilio messages among the actions, as JSON.
fn twilio(actions: &[Action]) -> Vec<Value> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::Twilio(m) => Some(serde_json::from_str(&m.to_json().unwrap()).unwrap()),
            _ => None,
        })
        .collect()
}

fn realtime(actions: &[Action]) -> Vec<Value> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::Realtime(e) => Some(serde_json::from_str(&e.to_json().unwrap()).unwrap()),
            _ => None,
        })
        .collect()
}

#[test]
fn caller_audio_passes_through_untouched() {
    let mut s = session();
    let acts = s.handle(media("//79/w=="));
    let ev = realtime(&acts);
    assert_eq!(
        ev,
        [json!({"type": "input_audio_buffer.append", "audio": "//79/w=="})]
    );
}

#[test]
fn caller_audio_before_the_ai_is_ready_is_buffered_not_lost() {
    let mut s = CallSession::new(SID, true, CallLimits::default());
    assert!(s.handle(media("AAAA")).is_empty());
    assert!(s.handle(media("BBBB")).is_empty());
    let ev = realtime(&s.handle(Input::RealtimeReady));
    let audio: Vec<&str> = ev.iter().map(|e| e["audio"].as_str().unwrap()).collect();
    assert_eq!(audio, ["AAAA", "BBBB"], "in order, none dropped");
}

#[test]
fn ai_audio_is_cut_into_160_byte_frames_followed_by_a_mark() {
    let mut s = session();
    let msgs = twilio(&s.handle(delta("item-1", 400)));
    assert_eq!(msgs.len(), 3, "{msgs:?}");
    for m in &msgs[..2] {
        assert_eq!(m["event"], "media");
        assert_eq!(m["streamSid"], SID);
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(m["media"]["payload"].as_str().unwrap())
            .unwrap();
        assert_eq!(bytes.len(), 160);
    }
    assert_eq!(msgs[2]["event"], "mark");
    // The 80-byte remainder waits for more audio, then goes out padded at the end.
    let msgs = twilio(&s.handle(rt(
        json!({"type": "response.output_audio.done", "event_id": "e", "response_id": "r1",
        "item_id": "item-1", "output_index": 0, "content_index": 0}),
    )));
    assert_eq!(msgs.len(), 2);
    let tail = base64::engine::general_purpose::STANDARD
        .decode(msgs[0]["media"]["payload"].as_str().unwrap())
        .unwrap();
    assert_eq!(tail.len(), 160);
}

#[test]
fn barge_in_clears_the_line_and_truncates_at_what_the_caller_heard() {
    let mut s = session();
    let first = twilio(&s.handle(delta("item-1", 1600))); // 200 ms
    let mark1 = first.last().unwrap()["mark"]["name"]
        .as_str()
        .unwrap()
        .to_string();
    s.handle(delta("item-1", 1600)); // another 200 ms, not yet played
    s.handle(mark_echo(&mark1)); // the first 200 ms played
    let acts = s.handle(speech_started());
    assert_eq!(twilio(&acts), [json!({"event": "clear", "streamSid": SID})]);
    assert_eq!(
        realtime(&acts),
        [
            json!({"type": "conversation.item.truncate", "item_id": "item-1", "content_index": 0, "audio_end_ms": 200})
        ]
    );
    // After the barge-in nothing is in flight: speaking again does not clear again.
    assert!(s.handle(speech_started()).is_empty());
}

#[test]
fn barge_in_before_any_audio_played_clears_but_does_not_truncate() {
    let mut s = session();
    s.handle(delta("item-1", 800));
    let acts = s.handle(speech_started());
    assert_eq!(twilio(&acts).len(), 1, "clear");
    assert!(
        realtime(&acts).is_empty(),
        "the API rejects a truncate at 0 ms"
    );
}

#[test]
fn speech_after_the_ai_finished_playing_needs_no_barge_in() {
    let mut s = session();
    let msgs = twilio(&s.handle(delta("item-1", 320)));
    s.handle(mark_echo(
        msgs.last().unwrap()["mark"]["name"].as_str().unwrap(),
    ));
    assert!(
        s.handle(speech_started()).is_empty(),
        "no clear, no truncate once everything played"
    );
}

#[test]
fn truncate_never_exceeds_the_audio_sent() {
    let mut s = session();
    let msgs = twilio(&s.handle(delta("item-1", 160)));
    let m = msgs.last().unwrap()["mark"]["name"]
        .as_str()
        .unwrap()
        .to_string();
    s.handle(delta("item-1", 160));
    s.handle(mark_echo(&m));
    let ev = realtime(&s.handle(speech_started()));
    assert_eq!(ev[0]["audio_end_ms"], 20);
}

#[test]
fn a_new_ai_item_starts_counting_from_zero() {
    let mut s = session();
    let a = twilio(&s.handle(delta("item-1", 1600)));
    s.handle(mark_echo(
        a.last().unwrap()["mark"]["name"].as_str().unwrap(),
    ));
    let b = twilio(&s.handle(delta("item-2", 800)));
    s.handle(mark_echo(
        b.last().unwrap()["mark"]["name"].as_str().unwrap(),
    ));
    s.handle(delta("item-2", 800));
    let ev = realtime(&s.handle(speech_started()));
    assert_eq!(ev[0]["item_id"], "item-2");
    assert_eq!(ev[0]["audio_end_ms"], 100);
}

#[test]
fn order_tools_go_to_the_driver_and_their_result_resumes_the_ai() {
    let mut s = session();
    for tool in [ToolName::UpdateOrder, ToolName::ConfirmOrder] {
        let acts = s.handle(function_call("call-0", tool.as_str(), json!({"items": []})));
        assert!(
            matches!(&acts[..], [Action::RunTool { call_id, tool: t, arguments }]
                if call_id == "call-0" && *t == tool && arguments == r#"{"items":[]}"#),
            "{acts:?}"
        );
    }
    let acts = s.handle(function_call(
        "call-1",
        ToolName::ConfirmOrder.as_str(),
        json!({"quote_id": "Q1"}),
    ));
    assert!(
        matches!(&acts[..], [Action::RunTool { call_id, tool: ToolName::ConfirmOrder, .. }] if call_id == "call-1")
    );
    let ev = realtime(&s.handle(Input::ToolFinished {
        call_id: "call-1".into(),
        output: r#"{"ok":true}"#.into(),
    }));
    assert_eq!(ev[0]["type"], "conversation.item.create");
    assert_eq!(ev[0]["item"]["type"], "function_call_output");
    assert_eq!(ev[0]["item"]["call_id"], "call-1");
    assert_eq!(ev[1]["type"], "response.create");
}

#[test]
fn an_unknown_tool_is_answered_with_an_error_and_the_ai_carries_on() {
    let mut s = session();
    let acts = s.handle(function_call("call-x", "order_pizza", json!({})));
    assert!(!acts.iter().any(|a| matches!(a, Action::RunTool { .. })));
    let ev = realtime(&acts);
    assert_eq!(ev.len(), 2, "{ev:?}");
    assert_eq!(ev[0]["item"]["call_id"], "call-x");
    let output: Value = serde_json::from_str(ev[0]["item"]["output"].as_str().unwrap()).unwrap();
    assert_eq!(
        output,
        json!({"ok": false, "error": "there is no tool called `order_pizza`"})
    );
    assert_eq!(ev[1]["type"], "response.create");
    assert!(!s.is_over());
}

#[test]
fn end_call_hangs_up_only_after_the_goodbye_has_played() {
    let mut s = session();
    s.handle(response("response.created"));
    s.handle(delta("bye-item", 1600));
    let acts = s.handle(function_call("c9", ToolName::EndCall.as_str(), json!({})));
    assert_eq!(realtime(&acts)[0]["item"]["call_id"], "c9");
    assert!(!acts.iter().any(|a| matches!(a, Action::End(_))));
    let acts = s.handle(response("response.done"));
    let marks = twilio(&acts);
    let goodbye = marks.last().unwrap()["mark"]["name"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        !acts.iter().any(|a| matches!(a, Action::End(_))),
        "still playing"
    );
    assert!(s.handle(mark_echo("a1")).is_empty());
    let acts = s.handle(mark_echo(&goodbye));
    assert!(matches!(acts[..], [Action::End(Ending::Hangup)]));
    assert!(s.is_over());
}

#[test]
fn end_call_with_nothing_playing_ends_at_once() {
    let mut s = session();
    let acts = s.handle(function_call("c9", ToolName::EndCall.as_str(), json!({})));
    assert!(
        acts.iter()
            .any(|a| matches!(a, Action::End(Ending::Hangup)))
    );
}

#[test]
fn end_call_reports_its_outcome_and_a_bad_one_is_warned_about_but_still_ends_the_call() {
    use kitchen_domain::CallOutcome;
    let mut s = session();
    let acts = s.handle(function_call(
        "c9",
        ToolName::EndCall.as_str(),
        json!({"outcome": "complaint"}),
    ));
    assert!(matches!(acts[0], Action::Reported(CallOutcome::Complaint)));
    assert!(!acts.iter().any(|a| matches!(a, Action::Warn(_))));
    for bad in [json!({}), json!({"outcome": "angry"})] {
        let mut s = session();
        let acts = s.handle(function_call("c9", ToolName::EndCall.as_str(), bad.clone()));
        assert!(
            matches!(&acts[0], Action::Warn(w) if w.contains("without a valid outcome")),
            "{bad}"
        );
        assert!(matches!(acts[1], Action::Reported(CallOutcome::Enquiry)));
        assert_eq!(realtime(&acts)[0]["item"]["output"], r#"{"ok":true}"#);
        assert!(
            acts.iter()
                .any(|a| matches!(a, Action::End(Ending::Hangup))),
            "{bad} still ends the call"
        );
    }
}

#[test]
fn transfer_goes_to_the_shop_phone_after_speaking_or_becomes_a_call_back_without_one() {
    let mut s = session();
    s.handle(response("response.created"));
    s.handle(delta("x", 160));
    let acts = s.handle(function_call(
        "t1",
        ToolName::TransferToHuman.as_str(),
        json!({"reason": "complaint", "summary": "cold pizza"}),
    ));
    assert!(
        matches!(&acts[0], Action::NeedsPerson { reason: Some(r), summary: Some(m), transferring: true }
            if r == "complaint" && m == "cold pizza"),
        "{acts:?}"
    );
    let acts = s.handle(response("response.done"));
    let name = twilio(&acts).last().unwrap()["mark"]["name"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(matches!(
        s.handle(mark_echo(&name))[..],
        [Action::End(Ending::Transfer)]
    ));

    let mut s = CallSession::new(SID, false, CallLimits::default());
    let acts = s.handle(function_call(
        "t1",
        ToolName::TransferToHuman.as_str(),
        json!({}),
    ));
    assert!(
        matches!(
            &acts[0],
            Action::NeedsPerson {
                reason: None,
                summary: None,
                transferring: false
            }
        ),
        "{acts:?}"
    );
    let ev = realtime(&acts);
    let output = ev[0]["item"]["output"].as_str().unwrap();
    assert!(output.contains("call-back card"), "{output}");
    assert_eq!(ev[1]["type"], "response.create");
    assert!(!s.is_over(), "the AI says goodbye first");
}

#[test]
fn keypad_presses_go_to_the_driver_and_a_typed_number_reaches_the_ai() {
    let mut s = session();
    let acts = s.handle(Input::Twilio(
        InboundMessage::parse(
            r#"{"event":"dtmf","sequenceNumber":"5","streamSid":"MZ1","dtmf":{"track":"inbound_track","digit":"7"}}"#,
        )
        .unwrap(),
    ));
    assert!(
        matches!(&acts[..], [Action::Keypad(k)] if k == "7"),
        "{acts:?}"
    );
    let ev = realtime(&s.handle(Input::Keypad {
        text: "[keypad] 0 3 2 1".into(),
    }));
    assert_eq!(ev[0]["type"], "conversation.item.create");
    assert_eq!(ev[0]["item"]["role"], "user");
    assert_eq!(ev[1]["type"], "response.create");
    // While the AI speaks, the note waits for its turn: no second response.
    s.handle(response("response.created"));
    let ev = realtime(&s.handle(Input::Keypad {
        text: "[keypad] again".into(),
    }));
    assert_eq!(ev.len(), 1, "{ev:?}");
}

#[test]
fn losing_the_ai_moves_the_caller_on() {
    let mut s = session();
    let acts = s.handle(Input::RealtimeLost {
        reason: "socket closed".into(),
    });
    assert!(matches!(&acts[..], [Action::Fallback { reason }] if reason == "socket closed"));
    assert!(s.handle(media("AAAA")).is_empty(), "nothing after the end");
}

#[test]
fn twilio_stop_ends_the_session() {
    let mut s = session();
    let acts = s.handle(tw(
        json!({"event": "stop", "sequenceNumber": "5", "streamSid": SID,
        "stop": {"accountSid": "AC1", "callSid": "CA1"}}),
    ));
    assert!(matches!(acts[..], [Action::Stopped]));
    assert!(s.is_over());
}

#[test]
fn a_silent_caller_is_prompted_then_told_goodbye() {
    let mut s = session();
    let timeout = || {
        rt(
            json!({"type": "input_audio_buffer.timeout_triggered", "event_id": "e", "audio_start_ms": 0, "audio_end_ms": 8000, "item_id": "i"}),
        )
    };
    assert!(
        s.handle(timeout()).is_empty(),
        "the AI prompts by itself the first time"
    );
    let ev = realtime(&s.handle(timeout()));
    assert_eq!(ev[0]["type"], "response.create");
    let instructions = ev[0]["response"]["instructions"].as_str().unwrap();
    assert!(instructions.contains("goodbye"), "{instructions}");
    assert!(
        instructions.ends_with(&format!("Then call {}.", ToolName::EndCall)),
        "{instructions}"
    );
    s.handle(response("response.created"));
    s.handle(delta("bye", 320));
    let acts = s.handle(response("response.done"));
    assert!(twilio(&acts).iter().any(|m| m["mark"]["name"] == "goodbye"));
}

#[test]
fn speaking_resets_the_idle_count() {
    let mut s = session();
    let timeout = || {
        rt(
            json!({"type": "input_audio_buffer.timeout_triggered", "event_id": "e", "audio_start_ms": 0, "audio_end_ms": 8000, "item_id": "i"}),
        )
    };
    s.handle(timeout());
    s.handle(speech_started());
    assert!(s.handle(timeout()).is_empty());
}

#[test]
fn long_calls_wrap_up_before_the_session_cap_and_stop_at_the_hard_limit() {
    let limits = CallLimits {
        wrap_up_after_ms: 1000,
        hard_stop_after_ms: 2000,
        idle_prompts_before_goodbye: 2,
    };
    let mut s = CallSession::new(SID, true, limits);
    assert!(s.handle(Input::Tick { elapsed_ms: 999 }).is_empty());
    let ev = realtime(&s.handle(Input::Tick { elapsed_ms: 1000 }));
    assert_eq!(ev[0]["type"], "response.create");
    let instructions = ev[0]["response"]["instructions"].as_str().unwrap();
    assert!(
        instructions.ends_with(&format!("then call {}.", ToolName::EndCall)),
        "{instructions}"
    );
    assert!(
        s.handle(Input::Tick { elapsed_ms: 1500 }).is_empty(),
        "asked once"
    );
    assert!(matches!(
        s.handle(Input::Tick { elapsed_ms: 2000 })[..],
        [Action::End(Ending::Hangup)]
    ));
}

#[test]
fn transcripts_and_usage_go_to_the_call_log() {
    let mut s = session();
    let acts = s.handle(rt(
        json!({"type": "conversation.item.input_audio_transcription.completed", "event_id": "e",
        "item_id": "i", "content_index": 0, "transcript": "do large chicken tikka"}),
    ));
    assert!(
        matches!(&acts[..], [Action::Transcript(Speaker::Caller, t)] if t == "do large chicken tikka")
    );
    let acts = s.handle(rt(json!({"type": "response.done", "event_id": "e", "response": {"id": "r", "object": "realtime.response",
        "status": "completed", "output": [], "usage": {"total_tokens": 30, "input_tokens": 20, "output_tokens": 10}}})));
    assert!(matches!(&acts[..], [Action::Usage(u)] if u.total_tokens == 30));
}

#[test]
fn bad_ai_audio_and_unknown_events_are_warnings_not_failures() {
    let mut s = session();
    let acts = s.handle(rt(json!({"type": "response.output_audio.delta", "event_id": "e", "response_id": "r", "item_id": "i",
        "output_index": 0, "content_index": 0, "delta": "***not base64***"})));
    assert!(matches!(&acts[..], [Action::Warn(_)]));
    assert!(
        s.handle(rt(json!({"type": "some.future.event", "x": 1})))
            .is_empty()
    );
    assert!(matches!(
        s.handle(tw(json!({"event": "future", "streamSid": SID})))[..],
        [Action::Warn(_)]
    ));
    assert!(!s.is_over());
}

#[test]
fn every_realtime_event_the_session_sends_has_a_known_type() {
    let mut s = session();
    let mut all = Vec::new();
    all.extend(s.handle(media("AAAA")));
    s.handle(delta("i", 1600));
    all.extend(s.handle(speech_started()));
    all.extend(s.handle(Input::ToolFinished {
        call_id: "c".into(),
        output: "{}".into(),
    }));
    for a in &all {
        if let Action::Realtime(e) = a {
            assert!(matches!(
                **e,
                ClientEvent::InputAudioBufferAppend { .. }
                    | ClientEvent::ConversationItemTruncate { .. }
                    | ClientEvent::ConversationItemCreate { .. }
                    | ClientEvent::ResponseCreate { .. }
            ));
        }
    }
}
