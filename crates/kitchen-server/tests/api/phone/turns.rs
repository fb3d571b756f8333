//! Turn-taking through real sockets: a caller on `hold` is not hung up on for silence and
//! is checked on once; a short «جی» over the AI's read-back neither clears the phone nor
//! cancels the AI, while longer speech interrupts it; dictation lengthens the end-of-turn
//! silence with one `session.update` each way. Every client event is schema-checked.

use super::*;
use base64::Engine;
use kitchen_testkit::Step;
use kitchen_testkit::audio::ms_of;

/// Waits (polling) until `cond` holds; panics with `what` after `within`.
async fn until(what: &str, within: Duration, mut cond: impl FnMut() -> bool) -> Instant {
    let deadline = Instant::now() + within;
    loop {
        if cond() {
            return Instant::now();
        }
        assert!(Instant::now() < deadline, "no {what} within {within:?}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// The `response.create` events our server sent, each with its instructions (`""` for none).
fn responses_asked(session: &kitchen_testkit::realtime::FakeSession) -> Vec<String> {
    session
        .received()
        .iter()
        .filter(|e| e["type"] == "response.create")
        .map(|e| {
            e["response"]["instructions"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        })
        .collect()
}

fn count(session: &kitchen_testkit::realtime::FakeSession, kind: &str) -> usize {
    session
        .received()
        .iter()
        .filter(|e| e["type"] == kind)
        .count()
}

#[tokio::test]
async fn a_hold_keeps_a_silent_caller_past_the_idle_goodbye_and_checks_in_once() {
    let script = Script::new(vec![
        Step::wait_for("session.update"),
        Step::wait_for("response.create"), // the greeting
        Step::say("السلام علیکم! میلٹ 8، جی فرمائیے؟", 800),
        Step::call("hold", json!({"seconds": 5})),
        Step::say("جی، آرام سے", 800),
        // Three idle timeouts: without the hold the second would bring the goodbye.
        Step::IdleTimeout,
        Step::IdleTimeout,
        Step::IdleTimeout,
        Step::wait_for("response.create"), // the check-in, once the hold ran out
        Step::say("جی، آپ لائن پر ہیں؟", 800),
        Step::IdleTimeout,
        Step::wait_for("response.create"), // an idle prompt again
        Step::IdleTimeout,
        Step::wait_for("response.create"), // the goodbye
        Step::say("اللہ حافظ", 800),
        Step::call_and_forget("end_call", json!({"outcome": "enquiry"})),
    ]);
    let p = phone_with(FakeRealtime::start_scripted(script).await.unwrap(), |_| {}).await;
    let call = p.caller.place_call(CALLER, "+15005550006").await.unwrap();
    let stream = p.caller.connect_stream(&call).await.unwrap();
    let session = p.rt.next_session(WAIT).await.unwrap();

    let held = until("hold answer", WAIT, || {
        session
            .received()
            .iter()
            .any(|e| e["item"]["type"] == "function_call_output")
    })
    .await;
    let checked = until("check-in", Duration::from_secs(15), || {
        responses_asked(&session)
            .iter()
            .any(|i| i.contains("asked you to wait"))
    })
    .await;
    let waited = checked - held;
    assert!(
        waited >= Duration::from_secs(4),
        "the 5 s hold was kept: checked in after {waited:?}"
    );

    session
        .script_finished(Duration::from_secs(30))
        .await
        .unwrap();
    let hangup = p
        .rest
        .wait_for_call_update(&call.call_sid, WAIT)
        .await
        .unwrap();
    assert_eq!(hangup.field("Status"), Some("completed"));
    stream.wait_closed(WAIT).await.unwrap();

    let asked = responses_asked(&session);
    assert_eq!(asked.len(), 5, "{asked:#?}");
    assert_eq!(
        asked[1], "",
        "the hold is acknowledged in the AI's own words"
    );
    assert!(asked[2].contains("asked you to wait"), "{}", asked[2]);
    assert_eq!(
        asked
            .iter()
            .filter(|i| i.contains("asked you to wait"))
            .count(),
        1,
        "one check-in"
    );
    assert!(asked[3].contains("still there"), "{}", asked[3]);
    assert!(asked[4].contains("goodbye"), "{}", asked[4]);
    assert!(
        !asked[..4].iter().any(|i| i.contains("goodbye")),
        "no goodbye before the check-in and the prompt after it: {asked:#?}"
    );
    let output: Value = serde_json::from_str(&function_output(&session, "hold")).unwrap();
    assert_eq!(output["hold_seconds"], 5);
    let hold = session.received()[0]["session"]["tools"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "hold")
        .cloned()
        .expect("hold is offered");
    let seconds = &hold["parameters"]["properties"]["seconds"];
    assert_eq!(
        (&seconds["minimum"], &seconds["maximum"]),
        (&json!(5), &json!(120))
    );
    let log = wait_for_call_end(&p.app, &call.call_sid).await;
    assert_eq!(log["outcome"], "enquiry");
    assert!(
        p.rt.schema_violations().is_empty(),
        "{:?}",
        p.rt.schema_violations()
    );
}

#[tokio::test]
async fn a_short_ji_over_the_read_back_sends_no_clear_and_no_cancel_but_long_speech_does() {
    let p = phone(Behaviour::Accept).await;
    let (_call, stream, session) = answered(&p, &p.caller).await;
    session.wait_for("response.create", WAIT).await.unwrap(); // the greeting
    // A 4 s read-back whose response is still being made.
    session
        .speak_unfinished("resp-1", "item-1", &tone(32_000, 300.0), 1600)
        .unwrap();
    stream.wait_for_audio(3200, WAIT).await.unwrap();

    // «جی»: 300 ms of speech, then the end-of-turn silence (650 ms here).
    let onset = ms_of(session.appended_audio_bytes());
    session
        .speech_started(onset.saturating_sub(300), "caller-ji")
        .unwrap();
    stream.send_audio(&tone(2400, 440.0), false).await.unwrap();
    stream.send_audio(&[0xFF; 5200], false).await.unwrap();
    until("the «جی» and its silence", WAIT, || {
        ms_of(session.appended_audio_bytes()) >= onset + 950
    })
    .await;
    session
        .speech_stopped(onset + 300 + 300 + 650, "caller-ji")
        .unwrap();
    // The server reads the AI's socket in order: once this later audio reaches the phone,
    // the «جی» has been dealt with.
    let more = base64::engine::general_purpose::STANDARD.encode(tone(800, 300.0));
    session
        .send(
            json!({"type": "response.output_audio.delta", "response_id": "resp-1",
            "item_id": "item-1", "output_index": 0, "content_index": 0, "delta": more}),
        )
        .unwrap();
    stream.wait_for_audio(32_800, WAIT).await.unwrap();
    assert!(
        !stream.received().iter().any(|(_, e)| e["event"] == "clear"),
        "the read-back was not cut"
    );
    assert_eq!(count(&session, "response.cancel"), 0);
    assert_eq!(count(&session, "conversation.item.truncate"), 0);
    assert_eq!(
        count(&session, "response.create"),
        1,
        "the «جی» is not answered"
    );

    // A real interruption: two seconds of speech, paced as a phone sends it.
    let onset = ms_of(session.appended_audio_bytes());
    session
        .speech_started(onset.saturating_sub(300), "caller-no")
        .unwrap();
    let before = session.appended_audio_bytes();
    let stream = Arc::new(stream);
    let talker = {
        let stream = stream.clone();
        tokio::spawn(async move { stream.send_audio(&tone(16_000, 440.0), true).await })
    };
    stream.wait_for_event("clear", WAIT).await.unwrap();
    let spoken = ms_of(session.appended_audio_bytes() - before);
    assert!(
        spoken < 1_900,
        "the AI stopped while the caller was still talking ({spoken} ms in)"
    );
    let cancel = session.wait_for("response.cancel", WAIT).await.unwrap();
    assert_eq!(cancel["response_id"], "resp-1");
    let truncate = session
        .wait_for("conversation.item.truncate", WAIT)
        .await
        .unwrap();
    assert_eq!(truncate["item_id"], "item-1");
    let heard = truncate["audio_end_ms"].as_u64().unwrap();
    assert!(heard * 8 <= session.audio_sent_for("item-1") as u64);
    session.finish_response("resp-1", "cancelled").unwrap();
    talker.await.unwrap().unwrap();
    // The interruption is a turn: answered when it ends.
    session
        .speech_stopped(onset + 300 + 2000 + 650, "caller-no")
        .unwrap();
    let answer = session.wait_for("response.create", WAIT).await.unwrap();
    assert_eq!(answer, json!({"type": "response.create"}));
    assert!(
        p.rt.schema_violations().is_empty(),
        "{:?}",
        p.rt.schema_violations()
    );
    assert!(stream.violations().is_empty(), "{:?}", stream.violations());
}

#[tokio::test]
async fn dictation_sends_one_session_update_each_way_and_the_service_takes_it() {
    let p = phone(Behaviour::Accept).await;
    let (call, _stream, session) = answered(&p, &p.caller).await;
    let first = &session.received()[0];
    let vad = &first["session"]["audio"]["input"]["turn_detection"];
    assert_eq!(
        (&vad["create_response"], &vad["interrupt_response"]),
        (&json!(false), &json!(false)),
        "the relay, not the server, takes and interrupts turns"
    );
    assert_eq!(vad["silence_duration_ms"], 650);

    let calls = &p.app.state.calls;
    // The AI's socket opens while the webhook answers (pre-warm), so the session can exist
    // a moment before the relay has taken the stream's `start` and registered the call.
    let deadline = tokio::time::Instant::now() + WAIT;
    while !calls.set_dictation(&call.call_sid, true) {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the call never took dictation"
        );
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    let on = session.wait_for("session.update", WAIT).await.unwrap();
    assert_eq!(on["session"]["type"], "realtime");
    let vad = &on["session"]["audio"]["input"]["turn_detection"];
    assert_eq!(vad["type"], "server_vad");
    assert_eq!(vad["silence_duration_ms"], 1200);
    assert_eq!(vad["create_response"], false);
    until("session.updated", WAIT, || {
        session.effective_session()["audio"]["input"]["turn_detection"]["silence_duration_ms"]
            == 1200
    })
    .await;
    assert!(
        calls.set_dictation(&call.call_sid, true),
        "again: no change"
    );
    assert!(calls.set_dictation(&call.call_sid, false));
    let off = session.wait_for("session.update", WAIT).await.unwrap();
    assert_eq!(
        off["session"]["audio"]["input"]["turn_detection"]["silence_duration_ms"],
        650
    );
    assert_eq!(count(&session, "session.update"), 3, "set up, on, off");
    assert!(!calls.set_dictation("CA-no-such-call", true));
    assert!(
        p.rt.schema_violations().is_empty(),
        "{:?}",
        p.rt.schema_violations()
    );
}

#[tokio::test]
async fn a_scripted_ji_during_the_read_back_goes_unanswered_and_the_callers_yes_is_answered() {
    let script = Script::new(vec![
        Step::wait_for("session.update"),
        Step::wait_for("response.create"), // the greeting
        Step::say(
            "آپ کا آرڈر: دو large chicken tikka… کیا یہ درست ہے؟",
            16_000,
        ),
        Step::CallerSpeaks { speech_ms: 300 }, // «جی» while it plays
        Step::Sleep(2_500),                    // the read-back has played
        Step::CallerSpeaks { speech_ms: 900 }, // «جی ہاں، ٹھیک ہے»
        Step::wait_for("response.create"),
        Step::say("شکریہ! اللہ حافظ", 800),
        Step::call_and_forget("end_call", json!({"outcome": "enquiry"})),
    ]);
    let p = phone_with(FakeRealtime::start_scripted(script).await.unwrap(), |_| {}).await;
    let call = p.caller.place_call(CALLER, "+15005550006").await.unwrap();
    let stream = p.caller.connect_stream(&call).await.unwrap();
    let session = p.rt.next_session(WAIT).await.unwrap();
    let speech_started = |n: usize| {
        let session = session.clone();
        move || {
            session
                .sent()
                .iter()
                .filter(|e| e["type"] == "input_audio_buffer.speech_started")
                .count()
                >= n
        }
    };

    until("the «جی»", WAIT, speech_started(1)).await;
    stream.send_audio(&tone(2400, 440.0), false).await.unwrap();
    stream.send_audio(&[0xFF; 5600], false).await.unwrap();
    until("the yes", WAIT, speech_started(2)).await;
    stream.send_audio(&tone(7200, 440.0), false).await.unwrap();
    stream.send_audio(&[0xFF; 5600], false).await.unwrap();

    session
        .script_finished(Duration::from_secs(30))
        .await
        .unwrap();
    stream.wait_closed(WAIT).await.unwrap();
    assert_eq!(
        responses_asked(&session).len(),
        2,
        "the greeting and the answer to «جی ہاں»; none for the «جی»"
    );
    assert!(
        !stream.received().iter().any(|(_, e)| e["event"] == "clear"),
        "the read-back was never cut"
    );
    assert!(
        p.rt.schema_violations().is_empty(),
        "{:?}",
        p.rt.schema_violations()
    );
}
