//! The live bridge's rules without sockets: pass-through audio, pacing, barge-in, the tool
//! loop, usage and how the call ends.

use super::*;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::json;

const SID: &str = "MZ0123";

fn session(pacing: LivePacing) -> LiveSession {
    LiveSession::new(
        SID,
        true,
        CallLimits::default(),
        pacing,
        "Greet the caller.",
    )
}

fn live(v: serde_json::Value) -> LiveInput {
    LiveInput::Live(ServerEvent::from_value(v).unwrap())
}

fn started(s: &mut LiveSession) -> Vec<LiveAction> {
    s.handle(live(json!({"type": "session.started", "event_id": "e",
        "session": {"id": "sess", "model": "gpt-live-1.1", "expires_at": 0, "status": "active"}})))
}

fn audio(ms: usize) -> LiveInput {
    live(
        json!({"type": "session.output_audio.delta", "delta": STANDARD.encode(vec![0x55u8; ms * 8])}),
    )
}

fn caller_says(text: &str) -> LiveInput {
    live(
        json!({"type": "session.input_transcript.delta", "event_id": "e", "delta": text,
        "start_ms": 0, "end_ms": 0}),
    )
}

fn call(call_id: &str, name: &str, args: serde_json::Value) -> LiveInput {
    live(
        json!({"type": "response.event", "event_id": "e", "delegation_id": "d",
        "event": {"type": "response.output_item.done",
                  "item": {"type": "function_call", "call_id": call_id, "name": name,
                           "arguments": args.to_string(), "status": "completed"}}}),
    )
}

fn media_frames(actions: &[LiveAction]) -> usize {
    actions
        .iter()
        .filter(|a| matches!(a, LiveAction::Twilio(OutboundMessage::Media { .. })))
        .count()
}

fn live_types(actions: &[LiveAction]) -> Vec<&'static str> {
    actions
        .iter()
        .filter_map(|a| match a {
            LiveAction::Live(e) => Some(e.event_type()),
            _ => None,
        })
        .collect()
}

fn twilio_media(payload: &str) -> LiveInput {
    LiveInput::Twilio(
        InboundMessage::parse(&format!(
            r#"{{"event":"media","sequenceNumber":"3","streamSid":"{SID}","media":{{"track":"inbound","chunk":"1","timestamp":"5","payload":"{payload}"}}}}"#
        ))
        .unwrap(),
    )
}

#[test]
fn caller_audio_waits_for_session_started_then_follows_the_greeting_unchanged() {
    let mut s = session(LivePacing::default());
    assert!(s.handle(twilio_media("//79/A==")).is_empty());
    let out = started(&mut s);
    assert_eq!(
        live_types(&out),
        ["session.instructions.append", "session.input_audio.append"]
    );
    let LiveAction::Live(append) = &out[1] else {
        panic!("{out:?}");
    };
    assert_eq!(**append, ClientEvent::append_audio("//79/A=="));
    assert_eq!(
        live_types(&s.handle(twilio_media("AAAA"))),
        ["session.input_audio.append"]
    );
}

#[test]
fn paced_audio_goes_out_at_real_time_plus_the_lead() {
    let mut s = session(LivePacing {
        realtime: true,
        lead_ms: 100,
    });
    started(&mut s);
    // A one-second burst: only the lead (and the frame being played) goes out at once.
    let first = media_frames(&s.handle(audio(1000)));
    assert_eq!(first, 6, "100 ms lead = 5 frames ahead of the one playing");
    let mut sent = first;
    for t in (20..=1000).step_by(20) {
        let n = media_frames(&s.handle(LiveInput::Tick { elapsed_ms: t }));
        assert!(n <= 1, "at most one frame per 20 ms tick, got {n} at {t}");
        sent += n;
    }
    assert_eq!(sent, 50, "every frame went out within the second");
}

#[test]
fn without_pacing_each_delta_goes_out_at_once() {
    let mut s = session(LivePacing {
        realtime: false,
        lead_ms: 0,
    });
    started(&mut s);
    assert_eq!(media_frames(&s.handle(audio(1000))), 50);
}

#[test]
fn caller_speech_over_queued_audio_clears_twilio_and_drops_the_queue() {
    let mut s = session(LivePacing::default());
    started(&mut s);
    s.handle(audio(2000));
    let out = s.handle(caller_says("رکیں"));
    assert!(
        out.iter()
            .any(|a| matches!(a, LiveAction::Twilio(OutboundMessage::Clear { .. }))),
        "{out:?}"
    );
    assert_eq!(s.clears(), 1);
    // Nothing of the dropped speech is sent later.
    assert_eq!(
        media_frames(&s.handle(LiveInput::Tick { elapsed_ms: 1000 })),
        0
    );
}

#[test]
fn caller_speech_between_two_real_time_deltas_still_clears() {
    // GPT-Live paced like speech: one 20 ms delta a tick, so the queue is empty between
    // them. A caller talking over the model in that gap must still clear the phone.
    let mut s = session(LivePacing {
        realtime: true,
        lead_ms: 0,
    });
    started(&mut s);
    for t in (0..200).step_by(20) {
        s.handle(LiveInput::Tick { elapsed_ms: t });
        assert_eq!(media_frames(&s.handle(audio(20))), 1, "at {t}");
    }
    // The tick after the last frame: nothing queued, the frame just played out.
    s.handle(LiveInput::Tick { elapsed_ms: 220 });
    let out = s.handle(caller_says("سنیں"));
    assert!(
        out.iter()
            .any(|a| matches!(a, LiveAction::Twilio(OutboundMessage::Clear { .. }))),
        "{out:?}"
    );
    assert_eq!(s.clears(), 1);
}

#[test]
fn caller_speech_after_the_audio_played_clears_nothing() {
    let mut s = session(LivePacing::default());
    started(&mut s);
    s.handle(audio(100));
    s.handle(LiveInput::Tick { elapsed_ms: 500 });
    let out = s.handle(caller_says("جی"));
    assert!(
        !out.iter().any(|a| matches!(a, LiveAction::Twilio(_))),
        "{out:?}"
    );
    assert_eq!(s.clears(), 0);
}

#[test]
fn several_calls_get_one_response_create_after_all_their_results() {
    let mut s = session(LivePacing::default());
    started(&mut s);
    let a = s.handle(call("c1", "update_order", json!({"items": []})));
    let b = s.handle(call("c2", "lookup_orders", json!({})));
    assert!(matches!(a[..], [LiveAction::RunTool { .. }]), "{a:?}");
    assert!(matches!(b[..], [LiveAction::RunTool { .. }]), "{b:?}");
    assert!(s.handle(response_end()).is_empty());
    let first = s.handle(LiveInput::ToolFinished {
        call_id: "c2".into(),
        output: "{}".into(),
    });
    assert_eq!(live_types(&first), ["response.item.create"]);
    let second = s.handle(LiveInput::ToolFinished {
        call_id: "c1".into(),
        output: "{}".into(),
    });
    assert_eq!(
        live_types(&second),
        ["response.item.create", "response.create"]
    );
    // A repeated envelope for a call already run is not run again.
    assert!(s.handle(call("c1", "update_order", json!({}))).is_empty());
}

fn response_end() -> LiveInput {
    live(
        json!({"type": "response.event", "event_id": "e", "delegation_id": "d",
        "event": {"type": "response.completed",
                  "response": {"id": "resp", "status": "completed", "output": []}}}),
    )
}

#[test]
fn a_call_answered_at_once_waits_for_the_backend_response_to_end_before_continuing_it() {
    let mut s = session(LivePacing::default());
    started(&mut s);
    // `hold` is answered at once, but the same backend response still has a call to send.
    let held = s.handle(call("c1", "hold", json!({"seconds": 5})));
    assert_eq!(
        live_types(&held),
        ["response.item.create"],
        "no response.create yet"
    );
    let order = s.handle(call("c2", "update_order", json!({"items": []})));
    assert!(
        matches!(order[..], [LiveAction::RunTool { .. }]),
        "{order:?}"
    );
    assert!(s.handle(response_end()).is_empty(), "c2 is still running");
    let done = s.handle(LiveInput::ToolFinished {
        call_id: "c2".into(),
        output: "{}".into(),
    });
    assert_eq!(
        live_types(&done),
        ["response.item.create", "response.create"]
    );
}

#[test]
fn without_the_backend_responses_end_the_results_go_on_after_a_second() {
    let mut s = session(LivePacing::default());
    started(&mut s);
    s.handle(LiveInput::Tick { elapsed_ms: 100 });
    assert_eq!(
        live_types(&s.handle(call("c1", "hold", json!({"seconds": 5})))),
        ["response.item.create"]
    );
    assert!(live_types(&s.handle(LiveInput::Tick { elapsed_ms: 900 })).is_empty());
    assert_eq!(
        live_types(&s.handle(LiveInput::Tick { elapsed_ms: 1100 })),
        ["response.create"]
    );
    assert!(
        live_types(&s.handle(LiveInput::Tick { elapsed_ms: 2200 })).is_empty(),
        "once"
    );
}

#[test]
fn an_unknown_tool_is_answered_with_an_error_and_the_backend_continues() {
    let mut s = session(LivePacing::default());
    started(&mut s);
    let out = s.handle(call("c9", "order_pizza", json!({})));
    assert_eq!(live_types(&out), ["response.item.create"]);
    assert_eq!(live_types(&s.handle(response_end())), ["response.create"]);
}

#[test]
fn end_call_hangs_up_once_the_goodbye_has_played_and_the_model_is_quiet() {
    let mut s = session(LivePacing::default());
    started(&mut s);
    s.handle(audio(400));
    let out = s.handle(call("c1", "end_call", json!({"outcome": "ordered"})));
    assert!(
        out.iter()
            .any(|a| matches!(a, LiveAction::Reported(CallOutcome::Ordered)))
    );
    assert_eq!(live_types(&out), ["response.item.create"]);
    assert_eq!(live_types(&s.handle(response_end())), ["response.create"]);
    // Ticked every 20 ms, as the driver does while pacing.
    let mut early = Vec::new();
    for t in (20..END_QUIET_MS).step_by(20) {
        early.extend(s.handle(LiveInput::Tick { elapsed_ms: t }));
    }
    assert_eq!(
        media_frames(&early),
        20 - 9,
        "the goodbye's audio still goes out"
    );
    assert!(!early.iter().any(|a| matches!(a, LiveAction::End(_))));
    let late = s.handle(LiveInput::Tick {
        elapsed_ms: END_QUIET_MS + 20,
    });
    assert!(
        late.iter()
            .any(|a| matches!(a, LiveAction::End(Ending::Hangup))),
        "{late:?}"
    );
    assert!(s.is_over());
}

#[test]
fn a_transfer_ends_the_call_towards_the_shop() {
    let mut s = session(LivePacing::default());
    started(&mut s);
    let out = s.handle(call(
        "c1",
        "transfer_to_human",
        json!({"reason": "complaint"}),
    ));
    assert!(out.iter().any(|a| matches!(
        a,
        LiveAction::NeedsPerson {
            transferring: true,
            ..
        }
    )));
    let out = s.handle(LiveInput::Tick {
        elapsed_ms: END_QUIET_MS,
    });
    assert!(
        out.iter()
            .any(|a| matches!(a, LiveAction::End(Ending::Transfer))),
        "{out:?}"
    );
}

#[test]
fn the_call_cap_asks_for_a_goodbye_then_hands_the_call_on() {
    let limits = CallLimits {
        call_cap_ms: Some(10_000),
        cap_grace_ms: 5_000,
        ..CallLimits::default()
    };
    let mut s = LiveSession::new(SID, true, limits, LivePacing::default(), "Greet.");
    started(&mut s);
    let out = s.handle(LiveInput::Tick { elapsed_ms: 10_000 });
    assert_eq!(live_types(&out), ["session.instructions.append"]);
    // Silence after the cap does not end the call before the model spoke or the grace ran.
    assert!(s.handle(LiveInput::Tick { elapsed_ms: 12_000 }).is_empty());
    let out = s.handle(LiveInput::Tick { elapsed_ms: 15_000 });
    assert!(
        out.iter()
            .any(|a| matches!(a, LiveAction::End(Ending::Transfer))),
        "{out:?}"
    );
}

#[test]
fn cumulative_usage_is_logged_by_its_growth_only() {
    let mut s = session(LivePacing::default());
    started(&mut s);
    let usage = |secs: f64| {
        live(json!({"type": "session.usage.updated", "event_id": "e",
        "usage": {"seconds": secs}}))
    };
    let added = |out: Vec<LiveAction>| -> Vec<f64> {
        out.into_iter()
            .filter_map(|a| match a {
                LiveAction::Usage { added, .. } => Some(added),
                _ => None,
            })
            .collect()
    };
    assert_eq!(added(s.handle(usage(15.0))), [15.0]);
    assert_eq!(added(s.handle(usage(15.0))), Vec::<f64>::new());
    assert_eq!(added(s.handle(usage(30.0))), [15.0]);
}

#[test]
fn transcripts_become_one_line_per_speaker_turn() {
    let mut s = session(LivePacing::default());
    started(&mut s);
    let say = |t: &str| {
        live(
            json!({"type": "session.output_transcript.delta", "event_id": "e",
        "delta": t, "start_ms": 0, "end_ms": 0}),
        )
    };
    s.handle(say("السلام "));
    s.handle(say("علیکم"));
    let out = s.handle(caller_says("ایک "));
    assert!(
        out.iter()
            .any(|a| matches!(a, LiveAction::Transcript(Speaker::Ai, t) if t == "السلام علیکم"))
    );
    s.handle(caller_says("پیزا"));
    let out = s.handle(say("جی"));
    assert!(
        out.iter()
            .any(|a| matches!(a, LiveAction::Transcript(Speaker::Caller, t) if t == "ایک پیزا"))
    );
}

#[test]
fn an_unrequested_session_close_moves_the_caller_on() {
    let mut s = session(LivePacing::default());
    started(&mut s);
    let out = s.handle(live(
        json!({"type": "session.closed", "event_id": "e", "reason": "expired",
        "usage": {"seconds": 3600}}),
    ));
    assert!(
        out.iter().any(|a| matches!(a, LiveAction::Fallback { .. })),
        "{out:?}"
    );
    assert!(out.iter().any(|a| matches!(a, LiveAction::Usage { .. })));
}
