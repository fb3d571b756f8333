//! The live-bridge engine (`VOICE_ENGINE=live-bridge`) end to end: the fake Twilio caller
//! and the schema-checking fake GPT-Live talk to the real server through real sockets.

use super::*;
use base64::Engine as _;
use kitchen_domain::VoiceEngine;
use kitchen_domain::settings::{ItemCount, Minutes};
use kitchen_testkit::live::{FakeLive, LiveScript, LiveStep, OutputPace};

struct LivePhone {
    app: TestApp,
    live: FakeLive,
    rest: FakeTwilioRest,
    caller: FakeCaller,
}

async fn live_phone(script: LiveScript) -> LivePhone {
    live_phone_with(script, |_| {}).await
}

async fn live_phone_with(
    script: LiveScript,
    tweak: impl FnOnce(&mut kitchen_server::Config),
) -> LivePhone {
    let live = FakeLive::start(script).await.unwrap();
    let url = live.url();
    live_phone_at(live, url, tweak).await
}

/// A shop on the live bridge whose GPT-Live URL is `url` (`live` or somewhere else).
async fn live_phone_at(
    live: FakeLive,
    url: String,
    tweak: impl FnOnce(&mut kitchen_server::Config),
) -> LivePhone {
    let rt = FakeRealtime::start(Behaviour::Accept).await.unwrap();
    let Phone {
        app, rest, caller, ..
    } = phone_with(rt, |c| {
        c.settings.voice_engine = Some(VoiceEngine::LiveBridge);
        c.phone.openai_live_url = url;
        tweak(c);
    })
    .await;
    LivePhone {
        app,
        live,
        rest,
        caller,
    }
}

const SHOP: &str = "+924235761234";
const OTHER: &str = "+923331112222";

/// The webhook's answer is the shop-phone TwiML: a `<Dial>` to the shop and no stream.
fn assert_sent_to_shop(call: &kitchen_testkit::twilio_caller::CallStart) {
    assert_eq!(call.status, 200, "{}", call.twiml);
    assert_eq!(call.stream_url, None, "no AI stream: {}", call.twiml);
    assert_eq!(call.dial.as_deref(), Some(SHOP), "{}", call.twiml);
    assert!(call.parameter("token").is_none());
}

/// The bridge sent `session.close` on `session` (waited for).
async fn wait_for_session_close(session: &kitchen_testkit::live::FakeLiveSession) {
    session
        .wait_until("session.close", WAIT, |s| {
            s.received_types()
                .contains(&"session.close".to_string())
                .then_some(())
        })
        .await
        .unwrap();
}

/// The `session.instructions.append` whose content contains `needle`, waited for.
async fn wait_for_append(session: &kitchen_testkit::live::FakeLiveSession, needle: &str) -> Value {
    session
        .wait_until(
            &format!("an instructions append with «{needle}»"),
            WAIT,
            |s| {
                s.received().into_iter().find(|e| {
                    e["type"] == "session.instructions.append"
                        && e["content"].as_str().is_some_and(|c| c.contains(needle))
                })
            },
        )
        .await
        .unwrap()
}

/// The output of the bridge's `function_call_output` for the call named `name`.
fn live_output(session: &kitchen_testkit::live::FakeLiveSession, name: &str) -> String {
    let call_id = session
        .sent()
        .iter()
        .find(|e| e["type"] == "response.event" && e["event"]["item"]["name"] == name)
        .and_then(|e| e["event"]["item"]["call_id"].as_str().map(str::to_owned))
        .unwrap_or_else(|| panic!("no call of {name}"));
    session
        .received()
        .iter()
        .find(|e| e["type"] == "response.item.create" && e["item"]["call_id"] == call_id.as_str())
        .and_then(|e| e["item"]["output"].as_str().map(str::to_owned))
        .unwrap_or_else(|| panic!("no output for {name}"))
}

#[tokio::test]
async fn a_scripted_live_bridge_call_places_one_order_with_the_callers_number() {
    let script = LiveScript::urdu_pizza_order(
        "chicken-tikka",
        "large",
        "House 12, Street 4, Gulberg III, Lahore",
        "Ali",
    )
    .with_pace(OutputPace::Burst);
    let p = live_phone(script).await;
    let call = p.caller.place_call(CALLER, "+15005550006").await.unwrap();
    assert_eq!(call.status, 200, "{}", call.twiml);
    let stream = Arc::new(p.caller.connect_stream(&call).await.unwrap());
    let talker = keep_talking(stream.clone());

    let hangup = p
        .rest
        .wait_for_call_update(&call.call_sid, Duration::from_secs(30))
        .await
        .unwrap();
    assert_eq!(hangup.field("Status"), Some("completed"));
    stream.wait_closed(WAIT).await.unwrap();
    talker.abort();

    let orders = json_with(p.app.api.get("/api/orders").await.unwrap(), 200).await;
    let orders = orders.as_array().unwrap();
    assert_eq!(orders.len(), 1, "exactly one order");
    assert_eq!(orders[0]["customer_phone"], CALLER);
    assert_eq!(orders[0]["call_sid"], call.call_sid.as_str());
    let session = p.live.first_session(WAIT).await.unwrap();
    // The order number reaches the backend only in confirm_order's answer, after commit.
    let drafted = live_output(&session, "update_order");
    assert!(!drafted.contains("order_number"), "{drafted}");
    let placed: Value = serde_json::from_str(&live_output(&session, "confirm_order")).unwrap();
    assert_eq!(placed["order_number"], orders[0]["number"]);
    // The wire: Bearer auth, no query, session.start first, then the greeting.
    assert_eq!(
        session.authorization().as_deref(),
        Some("Bearer sk-test-key")
    );
    assert_eq!(session.path_and_query(), ("/v1/live/sessions".into(), None));
    let types = session.received_types();
    assert_eq!(
        types[..2],
        ["session.start", "session.instructions.append"],
        "{types:?}"
    );
    let start = &session.received()[0];
    assert_eq!(
        start["session"]["audio"]["format"],
        json!({"type": "audio/pcmu", "rate": 8000})
    );
    assert_eq!(start["session"]["delegation"]["type"], "responses");
    assert!(session.appended_audio_bytes() > 0);
    assert_eq!(session.script_result(), Some(Ok(())));
    assert!(p.live.violations().is_empty(), "{:#?}", p.live.violations());
    assert!(stream.violations().is_empty(), "{:?}", stream.violations());

    let log = wait_for_call_end(&p.app, &call.call_sid).await;
    assert_eq!(log["outcome"], "ordered");
    let speakers: Vec<&str> = log["transcript"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|l| l["speaker"].as_str())
        .collect();
    assert!(
        speakers.contains(&"ai") && speakers.contains(&"caller"),
        "{speakers:?}"
    );
}

#[tokio::test]
async fn caller_speech_over_a_burst_clears_twilio_and_paced_audio_arrives_at_real_time() {
    // Five seconds of speech sent at once, then the caller talks over it after 1 s.
    let script = LiveScript::new(vec![
        LiveStep::say("ایک لمبی بات", 40_000),
        LiveStep::Sleep(1_000),
        LiveStep::hear("سنیں", 0),
        LiveStep::Sleep(1_000),
        LiveStep::call_and_forget("end_call", json!({"outcome": "enquiry"})),
    ])
    .with_pace(OutputPace::Burst);
    let p = live_phone(script).await;
    let call = p.caller.place_call(CALLER, "+15005550006").await.unwrap();
    let stream = p.caller.connect_stream(&call).await.unwrap();
    let began = Instant::now();
    stream
        .wait_for_event("clear", Duration::from_secs(10))
        .await
        .unwrap();
    let at_clear = stream.audio_received().len();
    let elapsed_ms = began.elapsed().as_millis() as usize;
    // Paced: about real time plus the lead (8 bytes a ms), not the whole 5 s burst.
    assert!(
        at_clear <= (elapsed_ms + 400) * 8,
        "{at_clear} bytes in {elapsed_ms} ms"
    );
    assert!(
        at_clear >= 500 * 8,
        "audio flowed before the clear: {at_clear}"
    );
    p.rest
        .wait_for_call_update(&call.call_sid, Duration::from_secs(20))
        .await
        .unwrap();
    stream.wait_closed(WAIT).await.unwrap();
    // The dropped rest of the speech never reached the phone.
    assert!(
        stream.audio_received().len() < 40_000 / 2,
        "the queue was dropped"
    );
    assert!(p.live.violations().is_empty(), "{:#?}", p.live.violations());
}

#[tokio::test]
async fn transfer_to_human_on_the_live_bridge_sends_the_caller_to_the_shop() {
    let script = LiveScript::new(vec![
        LiveStep::say("ایک منٹ", 1_600),
        LiveStep::call_and_forget(
            "transfer_to_human",
            json!({"reason": "complaint",
            "summary": "Cold pizza yesterday"}),
        ),
    ]);
    let p = live_phone(script).await;
    let call = p.caller.place_call(CALLER, "+15005550006").await.unwrap();
    let stream = p.caller.connect_stream(&call).await.unwrap();
    let update = p
        .rest
        .wait_for_call_update(&call.call_sid, Duration::from_secs(20))
        .await
        .unwrap();
    let twiml = update.field("Twiml").unwrap_or_default().to_owned();
    assert!(twiml.contains("<Dial"), "{twiml}");
    stream.wait_closed(WAIT).await.unwrap();
    let session = p.live.first_session(WAIT).await.unwrap();
    session
        .wait_until("session.close", WAIT, |s| {
            s.received_types()
                .contains(&"session.close".to_string())
                .then_some(())
        })
        .await
        .unwrap();
    assert!(p.live.violations().is_empty(), "{:#?}", p.live.violations());
}

#[tokio::test]
async fn end_call_on_the_live_bridge_hangs_up_closes_the_session_and_logs_the_outcome() {
    let script = LiveScript::new(vec![
        LiveStep::say("خدا حافظ", 1_600),
        LiveStep::call_and_forget("end_call", json!({"outcome": "enquiry"})),
    ]);
    let p = live_phone(script).await;
    let call = p.caller.place_call(CALLER, "+15005550006").await.unwrap();
    let stream = p.caller.connect_stream(&call).await.unwrap();
    let hangup = p
        .rest
        .wait_for_call_update(&call.call_sid, Duration::from_secs(20))
        .await
        .unwrap();
    assert_eq!(hangup.field("Status"), Some("completed"));
    assert!(hangup.field("Twiml").is_none(), "a hang-up, not a redirect");
    // The goodbye played before the line was put down.
    assert_eq!(stream.audio_received().len(), 1_600);
    stream.wait_closed(WAIT).await.unwrap();
    let session = p.live.first_session(WAIT).await.unwrap();
    wait_for_session_close(&session).await;
    session
        .wait_until("session.closed sent", WAIT, |s| {
            s.sent()
                .iter()
                .any(|e| e["type"] == "session.closed" && e["reason"] == "close_requested")
                .then_some(())
        })
        .await
        .unwrap();
    let log = wait_for_call_end(&p.app, &call.call_sid).await;
    assert_eq!(log["outcome"], "enquiry", "{log}");
    // The final usage of session.closed is priced into the log.
    assert!(log["ai_cost_paisa"].as_i64().unwrap() > 0, "{log}");
    assert_eq!(session.script_result(), Some(Ok(())));
    assert!(p.live.violations().is_empty(), "{:#?}", p.live.violations());
    assert!(stream.violations().is_empty(), "{:?}", stream.violations());
}

#[tokio::test]
async fn a_live_bridge_call_beyond_the_concurrent_cap_goes_to_the_shop_and_opens_no_live_session() {
    let p = live_phone_with(LiveScript::new(vec![]), |c| {
        c.settings.max_concurrent_ai_calls = Some(ItemCount::parse(1, 0, 1000).unwrap());
    })
    .await;
    let first = p.caller.place_call(CALLER, "+15005550006").await.unwrap();
    assert!(first.stream_url.is_some(), "{}", first.twiml);
    let stream = p.caller.connect_stream(&first).await.unwrap();
    let session = p.live.first_session(WAIT).await.unwrap();

    let second = p.caller.place_call(OTHER, "+15005550006").await.unwrap();
    assert_sent_to_shop(&second);
    let log = wait_for_call_end(&p.app, &second.call_sid).await;
    assert_eq!(log["outcome"], "transferred");
    assert_eq!(log["outcome_reason_code"], "concurrent_cap", "{log}");
    assert_eq!(p.live.attempts(), 1, "no second GPT-Live socket was opened");

    // The first caller hangs up: the session is closed and the place is free again.
    stream.stop().unwrap();
    wait_for_call_end(&p.app, &first.call_sid).await;
    wait_for_session_close(&session).await;
    let deadline = Instant::now() + WAIT;
    while p.app.state.calls.active_calls() > 0 {
        assert!(
            Instant::now() < deadline,
            "the first call never let go of its place"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let third = p.caller.place_call(OTHER, "+15005550006").await.unwrap();
    assert!(third.stream_url.is_some(), "{}", third.twiml);
    let deadline = Instant::now() + WAIT;
    while p.live.sessions().len() < 2 {
        assert!(
            Instant::now() < deadline,
            "no GPT-Live session for the third call"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(p.live.attempts(), 2);
    assert!(p.live.violations().is_empty(), "{:#?}", p.live.violations());
}

#[tokio::test]
async fn with_answering_paused_a_live_bridge_call_goes_to_the_shop_and_opens_no_live_session() {
    let p = live_phone_with(LiveScript::new(vec![]), |c| {
        c.settings.answering_paused = Some(true);
    })
    .await;
    let call = p.caller.place_call(CALLER, "+15005550006").await.unwrap();
    assert_sent_to_shop(&call);
    let log = wait_for_call_end(&p.app, &call.call_sid).await;
    assert_eq!(log["outcome"], "transferred");
    assert_eq!(log["outcome_reason_code"], "answering_paused", "{log}");
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(p.live.attempts(), 0, "no GPT-Live socket while paused");
}

#[tokio::test]
async fn a_live_bridge_call_past_its_minute_cap_is_wrapped_up_then_handed_to_the_shop() {
    let p = live_phone_with(LiveScript::new(vec![]), |c| {
        c.settings.max_call_minutes = Some(Minutes::parse(2, 0, 100_000).unwrap());
        // Two "minutes" of 1 s each; the model then has 3 s to finish speaking.
        c.phone.timeouts.call_minute = Duration::from_secs(1);
        c.phone.timeouts.cap_grace = Duration::from_secs(3);
    })
    .await;
    let call = p.caller.place_call(CALLER, "+15005550006").await.unwrap();
    let stream = p.caller.connect_stream(&call).await.unwrap();
    let session = p.live.first_session(WAIT).await.unwrap();
    let t0 = Instant::now();
    let wrap_up = wait_for_append(&session, "time limit").await;
    assert!(t0.elapsed() < Duration::from_secs(4), "{:?}", t0.elapsed());
    let content = wrap_up["content"].as_str().unwrap();
    assert!(
        content.contains("putting them through to the shop"),
        "{content}"
    );
    // The model says its few words (400 ms); once they have played, the call goes to the
    // shop, before the 3 s grace is over.
    let spoke = Instant::now();
    for frame in tone(3_200, 330.0).chunks(160) {
        session
            .send(json!({"type": "session.output_audio.delta",
                "delta": base64::engine::general_purpose::STANDARD.encode(frame)}))
            .unwrap();
    }
    let redirect = p
        .rest
        .wait_for_call_update(&call.call_sid, WAIT)
        .await
        .unwrap();
    assert!(
        spoke.elapsed() < Duration::from_secs(3),
        "{:?}",
        spoke.elapsed()
    );
    let twiml = redirect.field("Twiml").unwrap();
    assert!(twiml.contains("<Dial") && twiml.contains(SHOP), "{twiml}");
    assert_eq!(stream.audio_received().len(), 3_200, "the wrap-up played");
    stream.wait_closed(WAIT).await.unwrap();
    wait_for_session_close(&session).await;
    let log = wait_for_call_end(&p.app, &call.call_sid).await;
    assert_eq!(log["outcome"], "transferred");
    assert!(p.live.violations().is_empty(), "{:#?}", p.live.violations());
}

#[tokio::test]
async fn a_live_bridge_call_past_its_minute_cap_is_handed_on_after_the_grace_if_the_model_is_silent()
 {
    let p = live_phone_with(LiveScript::new(vec![]), |c| {
        c.settings.max_call_minutes = Some(Minutes::parse(1, 0, 100_000).unwrap());
        c.phone.timeouts.call_minute = Duration::from_millis(500);
        c.phone.timeouts.cap_grace = Duration::from_millis(700);
    })
    .await;
    let call = p.caller.place_call(CALLER, "+15005550006").await.unwrap();
    let stream = p.caller.connect_stream(&call).await.unwrap();
    let session = p.live.first_session(WAIT).await.unwrap();
    wait_for_append(&session, "time limit").await;
    let appended = Instant::now();
    let redirect = p
        .rest
        .wait_for_call_update(&call.call_sid, WAIT)
        .await
        .unwrap();
    // Not before the grace (700 ms; the append left at the cap).
    assert!(
        appended.elapsed() >= Duration::from_millis(500),
        "{:?}",
        appended.elapsed()
    );
    let twiml = redirect.field("Twiml").unwrap();
    assert!(twiml.contains("<Dial") && twiml.contains(SHOP), "{twiml}");
    stream.wait_closed(WAIT).await.unwrap();
    wait_for_session_close(&session).await;
    assert!(p.live.violations().is_empty(), "{:#?}", p.live.violations());
}

/// The GPT-Live socket cannot be opened (`live` refuses it, or `url` leads nowhere): the
/// caller is moved to the shop's phone within 2 s, never left in silence.
async fn expect_live_fallback(live: FakeLive, url: String, reason_has: &str) {
    let p = live_phone_at(live, url, |_| {}).await;
    let call = p.caller.place_call(CALLER, "+15005550006").await.unwrap();
    let stream = p.caller.connect_stream(&call).await.unwrap();
    let t0 = Instant::now();
    let redirect = p
        .rest
        .wait_for_call_update(&call.call_sid, Duration::from_secs(2))
        .await
        .expect("a redirect within 2 s");
    assert!(t0.elapsed() < Duration::from_secs(2));
    let twiml = redirect.field("Twiml").unwrap();
    assert!(twiml.contains("<Dial") && twiml.contains(SHOP), "{twiml}");
    stream.wait_closed(WAIT).await.unwrap();
    let log = wait_for_call_end(&p.app, &call.call_sid).await;
    assert_eq!(log["outcome"], "failed");
    assert_eq!(log["outcome_reason_code"], "ai_failed", "{log}");
    let reason = log["outcome_reason"].as_str().unwrap();
    assert!(reason.contains(reason_has), "{reason}");
    assert!(p.live.sessions().is_empty());
    assert!(p.live.violations().is_empty(), "{:#?}", p.live.violations());
}

#[tokio::test]
async fn when_gpt_live_refuses_the_key_the_caller_goes_to_the_shop_within_two_seconds() {
    let live = FakeLive::start_refusing(401).await.unwrap();
    let url = live.url();
    expect_live_fallback(live, url, "refused the API key").await;
}

#[tokio::test]
async fn when_gpt_live_is_unreachable_the_caller_goes_to_the_shop_within_two_seconds() {
    // A port that was just free: nothing listens there.
    let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("ws://{}/v1/live/sessions", free.local_addr().unwrap());
    drop(free);
    let live = FakeLive::start(LiveScript::new(vec![])).await.unwrap();
    expect_live_fallback(live, url, "could not reach").await;
}
