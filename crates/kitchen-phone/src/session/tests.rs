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

fn speech_stopped(audio_end_ms: u64) -> Input {
    rt(
        json!({"type": "input_audio_buffer.speech_stopped", "event_id": "e", "audio_end_ms": audio_end_ms, "item_id": "caller-1"}),
    )
}

/// `ms` of loud caller audio (µ-law 0x00 is the loudest sample) in one media message.
fn loud(ms: usize) -> Input {
    media(&b64(&vec![0x00; ms * 8]))
}

/// Caller speech over the AI that lasts long enough to interrupt it: what the session does.
fn interruption(s: &mut CallSession) -> Vec<Action> {
    let mut acts = s.handle(speech_started());
    acts.extend(s.handle(loud(700)));
    acts
}

/// The Realtime events among the actions, caller audio left out.
fn sent_to_ai(actions: &[Action]) -> Vec<Value> {
    realtime(actions)
        .into_iter()
        .filter(|e| e["type"] != "input_audio_buffer.append")
        .collect()
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
    let acts = interruption(&mut s);
    assert_eq!(twilio(&acts), [json!({"event": "clear", "streamSid": SID})]);
    assert_eq!(
        sent_to_ai(&acts),
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
    let acts = interruption(&mut s);
    assert_eq!(twilio(&acts).len(), 1, "clear");
    assert!(
        sent_to_ai(&acts).is_empty(),
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
    let ev = sent_to_ai(&interruption(&mut s));
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
    let ev = sent_to_ai(&interruption(&mut s));
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
    // The server does not answer by itself: the session asks for the prompt.
    let ev = realtime(&s.handle(timeout()));
    assert_eq!(ev.len(), 1, "{ev:?}");
    assert_eq!(ev[0]["type"], "response.create");
    let prompt = ev[0]["response"]["instructions"].as_str().unwrap();
    assert!(prompt.contains("still there"), "{prompt}");
    assert!(!prompt.contains("goodbye"), "{prompt}");
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
    let ev = realtime(&s.handle(timeout()));
    let prompt = ev[0]["response"]["instructions"].as_str().unwrap();
    assert!(
        !prompt.contains("goodbye"),
        "a prompt again, not the goodbye: {prompt}"
    );
}

#[test]
fn long_calls_wrap_up_before_the_session_cap_and_stop_at_the_hard_limit() {
    let limits = CallLimits {
        wrap_up_after_ms: 1000,
        hard_stop_after_ms: 2000,
        ..CallLimits::default()
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
    s.handle(response("response.created"));
    s.handle(delta("i", 1600));
    all.extend(interruption(&mut s));
    all.extend(s.handle(response("response.done")));
    all.extend(s.handle(speech_stopped(5000)));
    all.extend(s.handle(Input::Dictation(true)));
    all.extend(s.handle(Input::ToolFinished {
        call_id: "c".into(),
        output: "{}".into(),
    }));
    let kinds: Vec<&str> = all
        .iter()
        .filter_map(|a| match a {
            Action::Realtime(e) => Some(e.event_type()),
            _ => None,
        })
        .collect();
    for kind in ["response.cancel", "session.update", "response.create"] {
        assert!(kinds.contains(&kind), "{kind} in {kinds:?}");
    }
    for a in &all {
        if let Action::Realtime(e) = a {
            assert!(matches!(
                **e,
                ClientEvent::InputAudioBufferAppend { .. }
                    | ClientEvent::ConversationItemTruncate { .. }
                    | ClientEvent::ConversationItemCreate { .. }
                    | ClientEvent::ResponseCreate { .. }
                    | ClientEvent::ResponseCancel { .. }
                    | ClientEvent::SessionUpdate { .. }
            ));
        }
    }
}

/// A session whose AI is making response `r1` and has `ms` of audio on the phone, none of
/// it played yet.
fn ai_reading_back(ms: usize) -> CallSession {
    let mut s = session();
    s.handle(response("response.created"));
    s.handle(delta("item-1", ms * 8));
    s
}

/// Feeds caller audio in 20 ms frames (as Twilio sends it); returns every action.
fn frames(s: &mut CallSession, ms: usize, loud: bool) -> Vec<Action> {
    let byte = if loud { 0x00 } else { 0xFF };
    let mut acts = Vec::new();
    for _ in 0..ms / 20 {
        acts.extend(s.handle(media(&b64(&[byte; 160]))));
    }
    acts
}

#[test]
fn a_short_ji_over_the_read_back_is_not_cleared_cancelled_or_answered() {
    let mut s = ai_reading_back(2000);
    let mut acts = s.handle(speech_started()); // audio_start_ms 1000 (with the padding)
    acts.extend(frames(&mut s, 300, true)); // «جی»
    acts.extend(frames(&mut s, 660, false)); // the end-of-turn silence
    // The server's end: start + padding 300 + speech 300 + silence 650.
    acts.extend(s.handle(speech_stopped(2250)));
    assert!(twilio(&acts).is_empty(), "no clear: {:?}", twilio(&acts));
    assert!(
        sent_to_ai(&acts).is_empty(),
        "no truncate, cancel or response: {:?}",
        sent_to_ai(&acts)
    );
    // The read-back goes on: more of it reaches the phone.
    let more = twilio(&s.handle(delta("item-1", 320)));
    assert_eq!(more.len(), 3, "two frames and a mark: {more:?}");
    // And when it is done, nothing answers the «جی».
    assert!(sent_to_ai(&s.handle(response("response.done"))).is_empty());
}

#[test]
fn speech_over_the_ai_barges_in_the_moment_it_has_lasted_the_backchannel_limit() {
    let mut s = ai_reading_back(2000);
    assert!(
        s.handle(speech_started()).is_empty(),
        "not yet: it may be a «جی»"
    );
    let before = frames(&mut s, 680, true);
    assert!(twilio(&before).is_empty(), "34 frames: still a backchannel");
    assert!(sent_to_ai(&before).is_empty());
    // The 35th frame makes 700 ms of speech: the same step clears and cancels.
    let acts = frames(&mut s, 20, true);
    assert_eq!(twilio(&acts), [json!({"event": "clear", "streamSid": SID})]);
    assert_eq!(
        sent_to_ai(&acts),
        [json!({"type": "response.cancel", "response_id": "r1"})],
        "nothing played, so no truncate"
    );
    // The cancelled response ends; the caller's turn is answered when their speech stops.
    assert!(sent_to_ai(&s.handle(response("response.done"))).is_empty());
    assert_eq!(
        sent_to_ai(&s.handle(speech_stopped(3000))),
        [json!({"type": "response.create"})]
    );
}

#[test]
fn speech_sent_before_the_server_reported_it_counts_towards_the_limit() {
    let mut s = ai_reading_back(2000);
    // The server reports speech a little after it began (its `audio_start_ms` is earlier).
    frames(&mut s, 500, true);
    let acts = s.handle(rt(
        json!({"type": "input_audio_buffer.speech_started", "event_id": "e", "audio_start_ms": 0, "item_id": "caller-1"}),
    ));
    assert!(twilio(&acts).is_empty(), "500 ms so far");
    assert!(
        twilio(&frames(&mut s, 180, true)).is_empty(),
        "680 ms so far"
    );
    assert_eq!(
        twilio(&frames(&mut s, 20, true)).len(),
        1,
        "clear at 700 ms"
    );
}

#[test]
fn quiet_long_speech_over_the_ai_barges_in_when_the_server_says_how_long_it_was() {
    let mut s = ai_reading_back(2000);
    s.handle(response("response.done")); // made, still playing
    s.handle(speech_started());
    assert!(twilio(&frames(&mut s, 2000, false)).is_empty());
    // start 1000 + padding 300 + 1000 ms of speech + silence 650.
    let acts = s.handle(speech_stopped(2950));
    assert_eq!(twilio(&acts), [json!({"event": "clear", "streamSid": SID})]);
    assert_eq!(sent_to_ai(&acts), [json!({"type": "response.create"})]);
}

#[test]
fn a_short_reply_after_the_ai_finished_speaking_is_answered() {
    let mut s = session();
    s.handle(response("response.created"));
    let sent = twilio(&s.handle(delta("item-1", 320)));
    s.handle(response("response.done"));
    s.handle(speech_started()); // «جی» as the question's last words play
    frames(&mut s, 300, true);
    s.handle(mark_echo(
        sent.last().unwrap()["mark"]["name"].as_str().unwrap(),
    ));
    assert_eq!(
        sent_to_ai(&s.handle(speech_stopped(2250))),
        [json!({"type": "response.create"})],
        "the AI has finished: «جی» answers its question"
    );
}

#[test]
fn a_turn_that_ends_while_a_response_is_being_made_is_answered_after_it() {
    let mut s = session();
    s.handle(speech_started()); // the AI is quiet: a turn
    s.handle(response("response.created")); // e.g. a tool's result being spoken
    assert!(sent_to_ai(&s.handle(speech_stopped(3000))).is_empty());
    assert_eq!(
        sent_to_ai(&s.handle(response("response.done"))),
        [json!({"type": "response.create"})]
    );
    assert!(
        sent_to_ai(&s.handle(response("response.done"))).is_empty(),
        "once"
    );
}

fn idle_timeout() -> Input {
    rt(
        json!({"type": "input_audio_buffer.timeout_triggered", "event_id": "e", "audio_start_ms": 0, "audio_end_ms": 9000, "item_id": "i"}),
    )
}

fn instructions(acts: &[Action]) -> Vec<String> {
    realtime(acts)
        .iter()
        .filter(|e| e["type"] == "response.create")
        .map(|e| {
            e["response"]["instructions"]
                .as_str()
                .unwrap_or("")
                .to_string()
        })
        .collect()
}

#[test]
fn a_hold_pauses_the_idle_prompts_and_checks_in_once_when_it_runs_out() {
    let mut s = session();
    s.handle(Input::Tick { elapsed_ms: 10_000 });
    let acts = s.handle(function_call("h1", "hold", json!({"seconds": 30})));
    let ev = realtime(&acts);
    assert_eq!(ev[0]["item"]["call_id"], "h1");
    let output: Value = serde_json::from_str(ev[0]["item"]["output"].as_str().unwrap()).unwrap();
    assert_eq!(output["hold_seconds"], 30);
    assert!(output["next"].as_str().unwrap().contains("جی، آرام سے"));
    assert_eq!(
        ev[1],
        json!({"type": "response.create"}),
        "the AI acknowledges"
    );
    assert!(s.on_hold());
    // Far more idle timeouts than the goodbye needs: the call stays up, silently.
    for _ in 0..5 {
        assert!(s.handle(idle_timeout()).is_empty());
    }
    assert!(s.handle(Input::Tick { elapsed_ms: 39_999 }).is_empty());
    let check = instructions(&s.handle(Input::Tick { elapsed_ms: 40_000 }));
    assert_eq!(check.len(), 1);
    assert!(check[0].contains("asked you to wait"), "{}", check[0]);
    assert!(!check[0].contains(ToolName::EndCall.as_str()));
    assert!(!s.on_hold());
    assert!(
        s.handle(Input::Tick { elapsed_ms: 41_000 }).is_empty(),
        "once"
    );
    // Then normal idle handling: a prompt, then the goodbye.
    assert!(!instructions(&s.handle(idle_timeout()))[0].contains("goodbye"));
    assert!(instructions(&s.handle(idle_timeout()))[0].contains("goodbye"));
}

#[test]
fn the_callers_speech_ends_a_hold_at_once() {
    let mut s = session();
    s.handle(function_call("h1", "hold", json!({"seconds": 60})));
    s.handle(speech_started()); // the AI is quiet: the caller is back
    assert!(!s.on_hold());
    assert!(
        instructions(&s.handle(Input::Tick { elapsed_ms: 61_000 })).is_empty(),
        "no check-in"
    );
    assert_eq!(
        instructions(&s.handle(idle_timeout())).len(),
        1,
        "prompted again"
    );
}

#[test]
fn a_ji_over_the_ais_acknowledgement_does_not_end_the_hold() {
    let mut s = session();
    s.handle(function_call("h1", "hold", json!({"seconds": 60})));
    s.handle(response("response.created"));
    s.handle(delta("ack", 800)); // «جی، آرام سے»
    s.handle(speech_started());
    frames(&mut s, 200, true);
    s.handle(speech_stopped(2150));
    assert!(s.on_hold());
}

#[test]
fn a_hold_is_clamped_to_two_minutes() {
    let mut s = session();
    let acts = s.handle(function_call("h1", "hold", json!({"seconds": 900})));
    let output: Value =
        serde_json::from_str(realtime(&acts)[0]["item"]["output"].as_str().unwrap()).unwrap();
    assert_eq!(output["hold_seconds"], 120);
    assert!(
        s.handle(Input::Tick {
            elapsed_ms: 119_000
        })
        .is_empty()
    );
    assert_eq!(
        instructions(&s.handle(Input::Tick {
            elapsed_ms: 120_000
        }))
        .len(),
        1
    );
}

#[test]
fn dictation_sends_the_longer_silence_once_and_restores_the_normal_one_once() {
    let mut s = session();
    let on = realtime(&s.handle(Input::Dictation(true)));
    assert_eq!(
        on,
        [
            json!({"type": "session.update", "session": {"type": "realtime", "audio": {"input": {
            "turn_detection": {"type": "server_vad", "threshold": 0.6, "prefix_padding_ms": 300,
                "silence_duration_ms": 1200, "create_response": false,
                "interrupt_response": false, "idle_timeout_ms": 9000}}}}})
        ]
    );
    assert!(
        s.handle(Input::Dictation(true)).is_empty(),
        "only on change"
    );
    let off = realtime(&s.handle(Input::Dictation(false)));
    assert_eq!(off.len(), 1);
    assert_eq!(
        off[0]["session"]["audio"]["input"]["turn_detection"]["silence_duration_ms"],
        650
    );
    assert!(s.handle(Input::Dictation(false)).is_empty());
}

#[test]
fn dictation_asked_before_the_ai_is_ready_is_sent_once_it_is() {
    let mut s = CallSession::new(SID, true, CallLimits::default());
    assert!(s.handle(Input::Dictation(true)).is_empty());
    let ev = realtime(&s.handle(Input::RealtimeReady));
    assert_eq!(
        ev[0]["session"]["audio"]["input"]["turn_detection"]["silence_duration_ms"],
        1200
    );
}

#[test]
fn while_dictating_the_servers_measure_of_an_overlap_allows_for_the_longer_silence() {
    let mut s = ai_reading_back(2000);
    s.handle(response("response.done"));
    s.handle(Input::Dictation(true));
    s.handle(speech_started());
    frames(&mut s, 1500, false);
    // start 1000 + padding 300 + 300 ms of speech + the dictation silence 1200: short.
    let acts = s.handle(speech_stopped(2800));
    assert!(twilio(&acts).is_empty(), "{:?}", twilio(&acts));
}
