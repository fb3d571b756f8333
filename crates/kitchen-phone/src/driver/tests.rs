//! Whole calls through the driver with no TCP: both sockets are in-memory channels (the
//! manner of axum's `examples/testing-websockets`), the kitchen behind them is real (SQLite
//! in a temp folder, the order service, the call log), and time is tokio's paused clock,
//! so the 5 s start wait and the hour-long call limits take no real time.

mod harness;

use super::*;
use crate::outcome::Line;
use crate::registry::TokenError;
use crate::tools::ToolName;
use harness::{ACCOUNT, CALL_SID, CALLER, Harness, Peer, SID, b64, settle};
use kitchen_domain::CallOutcome;
use serde_json::{Value, json};

fn delta(item: &str, bytes: usize) -> Value {
    json!({"type": "response.output_audio.delta", "event_id": "e", "response_id": "r1",
        "item_id": item, "output_index": 0, "content_index": 0, "delta": b64(&vec![0x7f; bytes])})
}

fn response(kind: &str) -> Value {
    json!({"type": kind, "event_id": "e", "response": {"id": "r1", "object": "realtime.response",
        "status": "completed", "output": []}})
}

fn function_call(call_id: &str, tool: ToolName, args: Value) -> Value {
    json!({"type": "response.function_call_arguments.done", "event_id": "e", "response_id": "r1",
        "item_id": "fc1", "output_index": 0, "call_id": call_id, "name": tool.as_str(),
        "arguments": args.to_string()})
}

/// The server heard the caller start speaking (at the start of the call's audio, so every
/// caller frame counts towards the overlap whichever socket the driver reads first).
fn speech_started() -> Value {
    json!({"type": "input_audio_buffer.speech_started", "event_id": "e", "audio_start_ms": 0,
        "item_id": "caller-1"})
}

fn speech_stopped(audio_end_ms: u64) -> Value {
    json!({"type": "input_audio_buffer.speech_stopped", "event_id": "e",
        "audio_end_ms": audio_end_ms, "item_id": "caller-1"})
}

/// `n` 20 ms frames of caller audio, loud (µ-law 0x00) or silent (0xFF).
fn send_frames(phone: &Peer<Message>, n: usize, loud: bool) {
    let byte = if loud { 0x00 } else { 0xFF };
    for _ in 0..n {
        phone.send_json(media(&b64(&[byte; 160])));
    }
}

/// The AI's next message that is not caller audio.
async fn next_not_audio(ai: &mut Peer<RtMessage>) -> Value {
    loop {
        let m = ai.next_json().await;
        if m["type"] != "input_audio_buffer.append" {
            return m;
        }
    }
}

/// Everything already sent to the AI that is not caller audio.
fn sent_not_audio(ai: &mut Peer<RtMessage>) -> Vec<Value> {
    std::iter::from_fn(|| ai.try_next_json())
        .filter(|m| m["type"] != "input_audio_buffer.append")
        .collect()
}

fn mark_echo(name: &str) -> Value {
    json!({"event": "mark", "sequenceNumber": "9", "streamSid": SID, "mark": {"name": name}})
}

fn media(payload: &str) -> Value {
    json!({"event": "media", "sequenceNumber": "3", "streamSid": SID,
        "media": {"track": "inbound", "chunk": "1", "timestamp": "20", "payload": payload}})
}

/// Reads `n` messages from the phone side and returns them.
async fn phone_messages(phone: &mut Peer<Message>, n: usize) -> Vec<Value> {
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        out.push(phone.next_json().await);
    }
    out
}

#[tokio::test(start_paused = true)]
async fn a_whole_call_relays_audio_places_the_order_and_hangs_up_after_the_goodbye() {
    let h = Harness::new(|_| {}).await;
    let mut events = h.bus.subscribe();
    let (ai, mut ai_peer) = harness::socket::<RtMessage>();
    let token = h.ring(CALL_SID, Ok(ai));
    let (driver, mut phone) = h.answer();
    phone.send_json(json!({"event": "connected", "protocol": "Call", "version": "1.0.0"}));
    phone.send_json(harness::start(CALL_SID, &token));

    // Caller audio reaches the AI untouched (the pre-warmed socket is already open here).
    phone.send_json(media("AAAAAAAA"));
    let append = ai_peer.next_json().await;
    assert_eq!(append["type"], "input_audio_buffer.append");
    assert_eq!(append["audio"], "AAAAAAAA");

    // AI audio is cut into 160-byte frames, then marked.
    ai_peer.send_json(response("response.created"));
    ai_peer.send_json(delta("item-1", 800));
    let sent = phone_messages(&mut phone, 6).await;
    for frame in &sent[..5] {
        assert_eq!(frame["event"], "media");
        assert_eq!(frame["streamSid"], SID);
        assert_eq!(harness::unb64(&frame["media"]["payload"]).len(), 160);
    }
    assert_eq!(sent[5]["event"], "mark");
    let first_mark = sent[5]["mark"]["name"].as_str().unwrap().to_string();
    ai_peer.send_json(response("response.done"));

    // update_order prices the whole order into a quote; nothing reaches the board yet.
    let order = json!({"items": [{"item_id": "chicken-tikka", "size_id": "large", "quantity": 2}],
        "address": "House 12, Gulberg III", "customer_name": "Ali",
        "payment": {"method": "cash"}, "callback_confirmed": true});
    ai_peer.send_json(function_call("c-draft", ToolName::UpdateOrder, order));
    let output = ai_peer.next_json().await;
    let quote: Value = serde_json::from_str(output["item"]["output"].as_str().unwrap()).unwrap();
    assert_eq!(quote["missing"], json!([]), "{quote}");
    assert!(h.orders().await.is_empty(), "a draft is not an order");
    assert_eq!(ai_peer.next_json().await["type"], "response.create");

    // confirm_order: the order is committed before the AI hears its number.
    ai_peer.send_json(function_call(
        "c-place",
        ToolName::ConfirmOrder,
        json!({"quote_id": quote["quote_id"]}),
    ));
    let output = ai_peer.next_json().await;
    assert_eq!(output["type"], "conversation.item.create");
    assert_eq!(output["item"]["call_id"], "c-place");
    let placed: Value = serde_json::from_str(output["item"]["output"].as_str().unwrap()).unwrap();
    assert_eq!(placed["ok"], true, "{placed}");
    let orders = h.orders().await;
    assert_eq!(orders.len(), 1, "committed before the AI was told");
    assert_eq!(placed["order_number"], orders[0].number);
    assert_eq!(orders[0].call_sid.as_deref(), Some(CALL_SID));
    assert_eq!(
        orders[0].customer_phone.as_ref().map(ToString::to_string),
        Some(CALLER.to_string()),
        "the number comes from the call"
    );
    assert_eq!(ai_peer.next_json().await["type"], "response.create");

    // end_call while the goodbye plays: the call ends when Twilio echoes the last mark.
    ai_peer.send_json(response("response.created"));
    ai_peer.send_json(delta("bye", 320));
    ai_peer.send_json(function_call("c-end", ToolName::EndCall, json!({})));
    assert_eq!(ai_peer.next_json().await["item"]["call_id"], "c-end");
    ai_peer.send_json(response("response.done"));
    let bye = phone_messages(&mut phone, 4).await;
    assert_eq!(bye[2]["event"], "mark");
    assert_eq!(bye[3]["mark"]["name"], "goodbye");
    phone.send_json(mark_echo(&first_mark));
    phone.send_json(mark_echo(bye[2]["mark"]["name"].as_str().unwrap()));
    settle().await;
    assert!(
        !driver.is_finished(),
        "still waiting for the goodbye to play"
    );
    phone.send_json(mark_echo("goodbye"));

    assert_eq!(harness::finished(driver).await, CallEnd::Goodbye);
    assert_eq!(phone.close_code().await, Some(1000));
    assert!(ai_peer.closed().await, "the AI socket closes with the call");
    let log = harness::ended(&mut events, CALL_SID).await;
    assert_eq!(log.outcome, CallOutcome::Ordered);
    assert_eq!(log.order_id, Some(orders[0].id));
    assert_eq!(h.calls.active_calls(), 0);
}

#[tokio::test(start_paused = true)]
async fn caller_audio_sent_while_the_ai_connects_is_kept_and_forwarded_in_order() {
    let h = Harness::new(|_| {}).await;
    let (ai, mut ai_peer) = harness::socket::<RtMessage>();
    let (open_ai, opened) = tokio::sync::oneshot::channel();
    let token = h.ring_with(CALL_SID, async move {
        let _ = opened.await;
        Ok(ai)
    });
    let (_driver, phone) = h.answer();
    phone.send_json(harness::start(CALL_SID, &token));
    for payload in ["AAAA", "BBBB", "CCCC"] {
        phone.send_json(media(payload));
    }
    settle().await; // the driver has read them all, with no AI socket to send them to
    open_ai.send(()).unwrap();
    for payload in ["AAAA", "BBBB", "CCCC"] {
        assert_eq!(ai_peer.next_json().await["audio"], payload);
    }
}

#[tokio::test(start_paused = true)]
async fn barge_in_clears_the_phone_and_truncates_the_ai_at_what_the_caller_heard() {
    let h = Harness::new(|_| {}).await;
    let (mut phone, mut ai_peer, _driver) = h.answered_call().await;
    ai_peer.send_json(delta("item-1", 1600)); // 200 ms
    let first = phone_messages(&mut phone, 11).await;
    ai_peer.send_json(delta("item-1", 1600));
    let second = phone_messages(&mut phone, 11).await;
    assert_eq!(second[10]["event"], "mark");
    phone.send_json(mark_echo(first[10]["mark"]["name"].as_str().unwrap()));

    ai_peer.send_json(speech_started());
    send_frames(&phone, 35, true); // 700 ms of speech: an interruption
    let clear = phone.next_json().await;
    assert_eq!(clear, json!({"event": "clear", "streamSid": SID}));
    let truncate = next_not_audio(&mut ai_peer).await;
    assert_eq!(truncate["type"], "conversation.item.truncate");
    assert_eq!(truncate["item_id"], "item-1");
    assert_eq!(truncate["content_index"], 0);
    assert_eq!(
        truncate["audio_end_ms"], 200,
        "what played, not what was sent"
    );
}

#[tokio::test(start_paused = true)]
async fn barge_in_before_anything_played_clears_without_truncating() {
    let h = Harness::new(|_| {}).await;
    let (mut phone, mut ai_peer, _driver) = h.answered_call().await;
    ai_peer.send_json(delta("item-1", 800));
    phone_messages(&mut phone, 6).await;
    ai_peer.send_json(speech_started());
    send_frames(&phone, 35, true);
    assert_eq!(phone.next_json().await["event"], "clear");
    // Only caller audio reaches the AI, up to the next frame: no truncate came before it.
    phone.send_json(media("DDDD"));
    loop {
        let next = ai_peer.next_json().await;
        assert_eq!(next["type"], "input_audio_buffer.append", "{next}");
        if next["audio"] == "DDDD" {
            break;
        }
    }
}

#[tokio::test(start_paused = true)]
async fn a_short_ji_over_the_ai_is_ignored_and_a_real_interruption_stops_it_at_700_ms() {
    let h = Harness::new(|_| {}).await;
    let (mut phone, mut ai_peer, _driver) = h.answered_call().await;
    ai_peer.send_json(json!({"type": "response.created", "event_id": "e",
        "response": {"id": "resp-9", "object": "realtime.response", "status": "in_progress", "output": []}}));
    ai_peer.send_json(delta("item-1", 16_000)); // a 2 s read-back
    phone_messages(&mut phone, 101).await;

    // «جی»: 300 ms of speech and the end-of-turn silence, then the server's stop
    // (start 0 + padding 300 + 300 ms + silence 650).
    ai_peer.send_json(speech_started());
    settle().await;
    send_frames(&phone, 15, true);
    send_frames(&phone, 33, false);
    settle().await;
    ai_peer.send_json(speech_stopped(1250));
    settle().await;
    assert_eq!(phone.try_next_json(), None, "no clear");
    assert_eq!(
        sent_not_audio(&mut ai_peer),
        Vec::<Value>::new(),
        "no truncate, no cancel, no answer"
    );

    // A real interruption (from where the caller's audio is now, 960 ms): nothing happens
    // for 34 frames (680 ms)…
    ai_peer.send_json(
        json!({"type": "input_audio_buffer.speech_started", "event_id": "e",
        "audio_start_ms": 960, "item_id": "caller-2"}),
    );
    settle().await;
    send_frames(&phone, 34, true);
    settle().await;
    assert_eq!(phone.try_next_json(), None);
    assert_eq!(sent_not_audio(&mut ai_peer), Vec::<Value>::new());
    // …and the 35th stops the AI in the same step, with no time passing.
    let t0 = tokio::time::Instant::now();
    send_frames(&phone, 1, true);
    assert_eq!(
        phone.next_json().await,
        json!({"event": "clear", "streamSid": SID})
    );
    assert_eq!(
        next_not_audio(&mut ai_peer).await,
        json!({"type": "response.cancel", "response_id": "resp-9"})
    );
    assert_eq!(
        t0.elapsed(),
        Duration::ZERO,
        "no delay beyond the speech itself"
    );
    // The caller's turn is answered when it ends, after the cancelled response is done.
    ai_peer.send_json(json!({"type": "response.done", "event_id": "e",
        "response": {"id": "resp-9", "object": "realtime.response", "status": "cancelled", "output": []}}));
    ai_peer.send_json(speech_stopped(4000));
    assert_eq!(
        next_not_audio(&mut ai_peer).await,
        json!({"type": "response.create"})
    );
}

#[tokio::test(start_paused = true)]
async fn dictation_switched_on_a_live_call_sends_one_session_update_each_way() {
    let h = Harness::new(|_| {}).await;
    let (phone, mut ai_peer, driver) = h.answered_call().await;
    assert!(h.calls.set_dictation(CALL_SID, true));
    let on = next_not_audio(&mut ai_peer).await;
    assert_eq!(on["type"], "session.update");
    assert_eq!(on["session"]["type"], "realtime");
    let vad = &on["session"]["audio"]["input"]["turn_detection"];
    assert_eq!(vad["silence_duration_ms"], 1200);
    assert_eq!(
        (&vad["create_response"], &vad["interrupt_response"]),
        (&json!(false), &json!(false))
    );
    assert!(h.calls.set_dictation(CALL_SID, true), "the same again");
    settle().await;
    assert_eq!(
        sent_not_audio(&mut ai_peer),
        Vec::<Value>::new(),
        "sent only on change"
    );
    assert!(h.calls.set_dictation(CALL_SID, false));
    let off = next_not_audio(&mut ai_peer).await;
    assert_eq!(
        off["session"]["audio"]["input"]["turn_detection"]["silence_duration_ms"],
        650
    );
    assert!(!h.calls.set_dictation("CA-not-a-live-call", true));
    phone.send_json(
        json!({"event": "stop", "sequenceNumber": "5", "streamSid": SID,
        "stop": {"accountSid": ACCOUNT, "callSid": CALL_SID}}),
    );
    harness::finished(driver).await;
    assert!(!h.calls.set_dictation(CALL_SID, true), "gone with the call");
}

#[tokio::test(start_paused = true)]
async fn a_hold_keeps_a_silent_caller_past_the_idle_goodbye_and_checks_in_when_it_runs_out() {
    let h = Harness::new(|_| {}).await;
    let (_phone, mut ai_peer, driver) = h.answered_call().await;
    ai_peer.send_json(function_call(
        "c-hold",
        ToolName::Hold,
        json!({"seconds": 20}),
    ));
    let output = next_not_audio(&mut ai_peer).await;
    assert_eq!(output["item"]["call_id"], "c-hold");
    assert_eq!(
        next_not_audio(&mut ai_peer).await,
        json!({"type": "response.create"})
    );
    let held = tokio::time::Instant::now();
    for _ in 0..4 {
        ai_peer.send_json(
            json!({"type": "input_audio_buffer.timeout_triggered", "event_id": "e",
            "audio_start_ms": 0, "audio_end_ms": 9000, "item_id": "i"}),
        );
    }
    let check_in = next_not_audio(&mut ai_peer).await;
    let waited = held.elapsed();
    assert_eq!(check_in["type"], "response.create");
    let said = check_in["response"]["instructions"].as_str().unwrap();
    assert!(said.contains("asked you to wait"), "{said}");
    assert!(
        (Duration::from_secs(19)..=Duration::from_secs(21)).contains(&waited),
        "checked in after {waited:?}"
    );
    assert!(
        !driver.is_finished(),
        "four idle timeouts, and still on the line"
    );
}

#[tokio::test(start_paused = true)]
async fn when_the_ai_socket_drops_mid_call_the_caller_is_moved_on_and_the_call_logged_failed() {
    let h = Harness::with_shop_phone("+924235761234").await;
    let mut events = h.bus.subscribe();
    let (mut phone, ai_peer, driver) = h.answered_call().await;
    drop(ai_peer);
    let end = harness::finished(driver).await;
    assert_eq!(
        end,
        CallEnd::AiFailed {
            reason: "the AI connection dropped".into()
        }
    );
    assert_eq!(end.line(), Line::Fallback);
    assert!(
        h.calls.fallback_twiml().contains("<Dial"),
        "the fallback dials the shop"
    );
    assert_eq!(phone.close_code().await, Some(1000));
    let log = harness::ended(&mut events, CALL_SID).await;
    assert_eq!(log.outcome, CallOutcome::Failed);
    assert_eq!(
        log.outcome_reason.as_deref(),
        Some("the AI connection dropped")
    );
}

#[tokio::test(start_paused = true)]
async fn an_ai_close_frame_is_the_reason_given() {
    let h = Harness::new(|_| {}).await;
    let (_phone, ai_peer, driver) = h.answered_call().await;
    ai_peer.send(RtMessage::Close(Some(
        tokio_tungstenite::tungstenite::protocol::CloseFrame {
            code: 4000u16.into(),
            reason: "beta_api_shape_disabled".into(),
        },
    )));
    assert_eq!(
        harness::finished(driver).await,
        CallEnd::AiFailed {
            reason: "the AI closed the connection (4000 beta_api_shape_disabled)".into()
        }
    );
}

#[tokio::test(start_paused = true)]
async fn when_the_ai_cannot_be_reached_the_caller_is_moved_on() {
    let h = Harness::new(|_| {}).await;
    let mut events = h.bus.subscribe();
    let token = h.ring(CALL_SID, Err(crate::realtime::ConnectError::Refused(503)));
    let (driver, mut phone) = h.answer();
    phone.send_json(harness::start(CALL_SID, &token));
    let reason = "OpenAI refused the connection (HTTP 503)".to_string();
    assert_eq!(
        harness::finished(driver).await,
        CallEnd::AiFailed {
            reason: reason.clone()
        }
    );
    assert_eq!(phone.close_code().await, Some(1000));
    let log = harness::ended(&mut events, CALL_SID).await;
    assert_eq!(
        (log.outcome, log.outcome_reason),
        (CallOutcome::Failed, Some(reason))
    );
}

#[tokio::test(start_paused = true)]
async fn the_caller_hanging_up_closes_the_ai_socket_and_logs_the_call_abandoned() {
    let h = Harness::new(|_| {}).await;
    let mut events = h.bus.subscribe();
    let (phone, mut ai_peer, driver) = h.answered_call().await;
    phone.send_json(
        json!({"event": "stop", "sequenceNumber": "5", "streamSid": SID,
        "stop": {"accountSid": ACCOUNT, "callSid": CALL_SID}}),
    );
    assert_eq!(harness::finished(driver).await, CallEnd::CallerHungUp);
    assert!(ai_peer.closed().await);
    let log = harness::ended(&mut events, CALL_SID).await;
    assert_eq!(
        (log.outcome, log.outcome_reason),
        (CallOutcome::Abandoned, None)
    );
}

#[tokio::test(start_paused = true)]
async fn a_media_stream_that_closes_or_breaks_ends_the_call_abandoned() {
    let h = Harness::new(|_| {}).await;
    let mut events = h.bus.subscribe();

    let (phone, _ai_peer, driver) = h.answered_call_as("CA-closed").await;
    drop(phone); // Twilio closed the stream without a `stop`.
    assert_eq!(harness::finished(driver).await, CallEnd::CallerHungUp);

    let (phone, _ai_peer, driver) = h.answered_call_as("CA-read").await;
    phone.break_reads();
    assert_eq!(harness::finished(driver).await, CallEnd::TwilioLost);

    let (mut phone, ai_peer, driver) = h.answered_call_as("CA-write").await;
    phone.fail_next_sends();
    ai_peer.send_json(delta("item-1", 160));
    assert_eq!(harness::finished(driver).await, CallEnd::TwilioLost);

    for sid in ["CA-closed", "CA-read", "CA-write"] {
        let log = harness::ended(&mut events, sid).await;
        assert_eq!(
            (log.outcome, log.outcome_reason),
            (CallOutcome::Abandoned, None)
        );
    }
    assert_eq!(h.calls.active_calls(), 0);
}

#[tokio::test(start_paused = true)]
async fn asking_for_a_person_hands_the_call_to_the_shop_phone() {
    let h = Harness::with_shop_phone("+924235761234").await;
    let mut events = h.bus.subscribe();
    let (_phone, mut ai_peer, driver) = h.answered_call().await;
    ai_peer.send_json(function_call("c-t", ToolName::TransferToHuman, json!({})));
    let output = ai_peer.next_json().await;
    assert!(
        output["item"]["output"]
            .as_str()
            .unwrap()
            .contains("\"ok\":true")
    );
    let end = harness::finished(driver).await;
    assert_eq!(
        (end.clone(), end.line()),
        (CallEnd::Transfer, Line::Transfer)
    );
    let log = harness::ended(&mut events, CALL_SID).await;
    assert_eq!(log.outcome, CallOutcome::Transferred);
}

#[tokio::test(start_paused = true)]
async fn the_server_shutting_down_moves_the_caller_on() {
    let h = Harness::new(|_| {}).await;
    let (_phone, _ai_peer, driver) = h.answered_call().await;
    h.calls.inner.shutdown.cancel();
    assert_eq!(
        harness::finished(driver).await,
        CallEnd::AiFailed {
            reason: "the kitchen server is shutting down".into()
        }
    );
}

#[tokio::test(start_paused = true)]
async fn a_stream_that_never_sends_start_is_closed_after_exactly_five_seconds() {
    let h = Harness::new(|_| {}).await;
    let (ai, ai_peer) = harness::socket::<RtMessage>();
    let _token = h.ring(CALL_SID, Ok(ai));
    let t0 = tokio::time::Instant::now();
    let (driver, mut phone) = h.answer();
    phone.send_json(json!({"event": "connected", "protocol": "Call", "version": "1.0.0"}));
    assert_eq!(harness::finished(driver).await, CallEnd::NoStart);
    assert_eq!(t0.elapsed(), Duration::from_secs(5), "not a moment before");
    assert_eq!(phone.close_code().await, Some(1008));
    assert_eq!(
        h.registry.waiting(),
        1,
        "the call still waits for its stream"
    );
    drop(ai_peer);
}

#[tokio::test(start_paused = true)]
async fn the_start_wait_follows_the_configured_timeout() {
    let h = Harness::new(|c| c.timeouts.start = Duration::from_millis(250)).await;
    let t0 = tokio::time::Instant::now();
    let (driver, _phone) = h.answer();
    assert_eq!(harness::finished(driver).await, CallEnd::NoStart);
    assert_eq!(t0.elapsed(), Duration::from_millis(250));
}

#[tokio::test(start_paused = true)]
async fn a_wrong_token_is_refused_and_leaves_the_call_waiting_for_the_right_one() {
    let h = Harness::new(|_| {}).await;
    let (ai, mut ai_peer) = harness::socket::<RtMessage>();
    let token = h.ring(CALL_SID, Ok(ai));
    for (forged, why) in [
        ("not-the-token", TokenError::WrongToken),
        ("", TokenError::WrongToken),
    ] {
        let (driver, mut phone) = h.answer();
        phone.send_json(harness::start(CALL_SID, forged));
        assert_eq!(harness::finished(driver).await, CallEnd::Refused(why));
        assert_eq!(phone.close_code().await, Some(1008));
    }
    assert_eq!(h.registry.waiting(), 1);
    let (driver, phone) = h.answer();
    phone.send_json(harness::start(CALL_SID, &token));
    phone.send_json(media("EEEE"));
    assert_eq!(ai_peer.next_json().await["audio"], "EEEE");
    let (reused, mut again) = h.answer();
    again.send_json(harness::start(CALL_SID, &token));
    assert_eq!(
        harness::finished(reused).await,
        CallEnd::Refused(TokenError::UnknownCall)
    );
    assert_eq!(
        again.close_code().await,
        Some(1008),
        "a used token is refused"
    );
    settle().await;
    assert!(!driver.is_finished(), "the real call goes on");
}

#[tokio::test(start_paused = true)]
async fn a_call_at_the_shops_minute_cap_is_wrapped_up_and_hung_up_after_the_grace_without_a_shop_phone()
 {
    let h = Harness::new(|_| {}).await;
    let (_phone, mut ai_peer, driver) = h.answered_call().await;
    let t0 = tokio::time::Instant::now();
    let wrap_up = ai_peer.next_json().await;
    assert_eq!(wrap_up["type"], "response.create");
    let instructions = wrap_up["response"]["instructions"].as_str().unwrap();
    assert!(
        instructions.contains("time limit") && instructions.contains("goodbye"),
        "{instructions}"
    );
    let elapsed = t0.elapsed();
    assert!(
        (Duration::from_secs(15 * 60 - 1)..=Duration::from_secs(15 * 60)).contains(&elapsed),
        "{elapsed:?}"
    );
    // The AI never finishes: the grace ends the call regardless.
    harness::finished(driver).await;
    let elapsed = t0.elapsed();
    assert!(
        (Duration::from_secs(15 * 60 + 19)..=Duration::from_secs(15 * 60 + 21)).contains(&elapsed),
        "{elapsed:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_long_call_is_asked_to_wrap_up_at_55_minutes_and_hung_up_at_58() {
    // The shop's own cap on a call's length at its highest: the session's wrap-up comes first.
    let shop = kitchen_domain::ShopSettings {
        max_call_minutes: 55,
        ..kitchen_domain::ShopSettings::default()
    };
    let h = Harness::with_settings(|_| {}, shop).await;
    let (_phone, mut ai_peer, driver) = h.answered_call().await;
    let t0 = tokio::time::Instant::now();
    let wrap_up = ai_peer.next_json().await;
    assert_eq!(wrap_up["type"], "response.create");
    let elapsed = t0.elapsed();
    assert!(
        (Duration::from_secs(55 * 60 - 1)..=Duration::from_secs(55 * 60)).contains(&elapsed),
        "{elapsed:?}"
    );
    assert_eq!(harness::finished(driver).await, CallEnd::Goodbye);
    let elapsed = t0.elapsed();
    assert!(
        (Duration::from_secs(58 * 60 - 1)..=Duration::from_secs(58 * 60)).contains(&elapsed),
        "{elapsed:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn shortened_call_limits_come_from_the_timeouts() {
    let h = Harness::new(|c| {
        c.timeouts.wrap_up_after = Duration::from_secs(3);
        c.timeouts.hard_stop_after = Duration::from_secs(4);
    })
    .await;
    let (_phone, mut ai_peer, driver) = h.answered_call().await;
    let t0 = tokio::time::Instant::now();
    assert_eq!(ai_peer.next_json().await["type"], "response.create");
    assert_eq!(harness::finished(driver).await, CallEnd::Goodbye);
    assert!(t0.elapsed() <= Duration::from_secs(4), "{:?}", t0.elapsed());
}

#[tokio::test(start_paused = true)]
async fn bad_frames_from_either_side_do_not_end_the_call() {
    let h = Harness::new(|_| {}).await;
    let (phone, mut ai_peer, driver) = h.answered_call().await;
    phone.send_text("{not json");
    phone.send(Message::Binary(vec![0xff; 100].into()));
    phone.send_text(&format!(
        r#"{{"event":"media","pad":"{}"}}"#,
        "x".repeat(20_000)
    ));
    phone.send_json(json!({"event": "from-the-future"}));
    ai_peer.send_text("{not json");
    ai_peer.send_json(json!({"type": "response.from_the_future", "event_id": "x"}));
    phone.send_json(media("FFFF"));
    assert_eq!(ai_peer.next_json().await["audio"], "FFFF");
    assert!(!driver.is_finished());
}
