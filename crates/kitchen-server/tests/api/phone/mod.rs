//! Phone calls end to end: a fake Twilio caller and a fake OpenAI Realtime server talk to
//! the real server through real sockets.

use crate::helpers::*;
use kitchen_server::Secret;
use kitchen_testkit::audio::tone;
use kitchen_testkit::realtime::{Behaviour, FakeRealtime, Script};
use kitchen_testkit::twilio_caller::{FakeCaller, FakeStream, PlaybackSpeed};
use kitchen_testkit::twilio_rest::FakeTwilioRest;
use kitchen_wire::KitchenEvent;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::{Duration, Instant};

const PUBLIC: &str = "https://shop.example.com";
const TOKEN: &str = "twilio-test-auth-token";
const WAIT: Duration = Duration::from_secs(10);
const CALLER: &str = "+923001234567";

mod call_outcomes;
mod caps;
mod drafts;
mod live_bridge;
mod menus;
mod own_orders;
mod replay;
mod shop_facts;
mod sip;
mod stream_access;
mod turns;

struct Phone {
    app: TestApp,
    rt: FakeRealtime,
    rest: FakeTwilioRest,
    caller: FakeCaller,
}

async fn phone_with(rt: FakeRealtime, tweak: impl FnOnce(&mut kitchen_server::Config)) -> Phone {
    let rest = FakeTwilioRest::start("AC0123456789abcdef0123456789abcdef", TOKEN)
        .await
        .unwrap();
    let (rt_url, rest_url) = (rt.url(), rest.base_url());
    let studio_url = rest.studio_base_url();
    let app = spawn_with(tempfile::tempdir().unwrap(), |c| {
        c.phone.public_base_url = Some(PUBLIC.into());
        c.settings.twilio_auth_token = Some(Secret::new(TOKEN));
        c.phone.twilio_api_base = rest_url;
        c.phone.twilio_studio_base = studio_url;
        c.settings.openai_api_key = Some(Secret::new("sk-test-key"));
        c.phone.openai_realtime_url = rt_url;
        c.settings.shop_phone = Some(crate::helpers::e164("+924235761234"));
        // Many calls commit at once here: the production busy timeout, not the short one
        // the API tests use to provoke 503s.
        c.busy_timeout = Duration::from_secs(5);
        tweak(c);
    })
    .await;
    let caller = FakeCaller::new(&app.public, PUBLIC, TOKEN).with_account_sid(rest.account_sid());
    Phone {
        app,
        rt,
        rest,
        caller,
    }
}

async fn phone(behaviour: Behaviour) -> Phone {
    phone_with(FakeRealtime::start(behaviour).await.unwrap(), |_| {}).await
}

fn order_script() -> Script {
    Script::urdu_pizza_order(
        "chicken-tikka",
        "large",
        2,
        "coca-cola",
        "1.5l",
        "House 12, Street 4, Gulberg III, Lahore",
        "Ali",
    )
}

/// Talks back as the AI talks, until the stream closes: whenever AI audio reaches the
/// phone, the caller answers with as much audio as it just heard (so every "listen" step of
/// the scripted AI gets its caller audio, with no clock involved).
fn keep_talking(stream: Arc<FakeStream>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut heard = 0;
        // Long patience: a busy machine may take a while between the AI's turns; the loop
        // ends at once when the stream closes.
        while stream
            .wait_for_audio(heard + 1, Duration::from_secs(120))
            .await
            .is_ok()
        {
            let now = stream.audio_received().len();
            let reply = tone(now - heard, 440.0);
            heard = now;
            if stream.send_audio(&reply, false).await.is_err() {
                break;
            }
        }
    })
}

#[tokio::test]
async fn a_scripted_urdu_call_creates_exactly_one_order_with_the_callers_number() {
    let p = phone_with(
        FakeRealtime::start_scripted(order_script()).await.unwrap(),
        |_| {},
    )
    .await;
    let mut events = p.app.api.events().await.unwrap();
    events.expect("hello", WAIT).await.unwrap();

    let call = p.caller.place_call(CALLER, "+15005550006").await.unwrap();
    assert_eq!(call.status, 200, "{}", call.twiml);
    assert_eq!(
        call.stream_url.as_deref(),
        Some("wss://shop.example.com/media-stream")
    );
    assert_eq!(call.parameter("caller"), Some(CALLER));
    assert!(call.parameter("token").is_some_and(|t| t.len() >= 32));
    let stream = Arc::new(p.caller.connect_stream(&call).await.unwrap());
    let talker = keep_talking(stream.clone());

    let created = events
        .expect("order.created", Duration::from_secs(30))
        .await
        .unwrap();
    let order = &created["order"];
    assert_eq!(
        order["customer_phone"], CALLER,
        "the number comes from the call"
    );
    assert_eq!(order["source"], "phone");
    assert_eq!(order["call_sid"], call.call_sid.as_str());
    assert_eq!(order["items"][0]["item_id"], "chicken-tikka");
    assert_eq!(order["items"][0]["quantity"], 2);
    assert_eq!(order["items"][1]["item_id"], "coca-cola");
    assert_eq!(order["total"], 2 * 219_900 + 32_000);

    // end_call: Twilio is told to hang up once the goodbye has played.
    let hangup = p
        .rest
        .wait_for_call_update(&call.call_sid, Duration::from_secs(30))
        .await
        .unwrap();
    assert_eq!(hangup.field("Status"), Some("completed"));
    stream.wait_closed(WAIT).await.unwrap();
    talker.abort();

    let orders = json_with(p.app.api.get("/api/orders").await.unwrap(), 200).await;
    assert_eq!(orders.as_array().unwrap().len(), 1, "exactly one order");
    let session = &p.rt.sessions()[0];
    let placed: Value = serde_json::from_str(&function_output(session, "confirm_order")).unwrap();
    assert_eq!(
        placed["order_number"], order["number"],
        "the AI is told the committed number"
    );
    assert_eq!(
        session.model().as_deref(),
        Some(kitchen_server::config::OPENAI_REALTIME_MODEL)
    );
    assert_eq!(
        session.authorization().as_deref(),
        Some("Bearer sk-test-key")
    );
    assert!(
        p.rt.schema_violations().is_empty(),
        "{:?}",
        p.rt.schema_violations()
    );
    assert!(stream.violations().is_empty(), "{:?}", stream.violations());
    assert!(session.appended_audio_bytes() > 0);

    let ended = events.expect("call.ended", WAIT).await.unwrap();
    assert_eq!(ended["call"]["outcome"], "ordered");
    let log = wait_for_call_end(&p.app, &call.call_sid).await;
    assert_eq!(log["outcome"], "ordered");
    assert_eq!(log["order_id"], order["id"]);
    assert_eq!(log["caller"], CALLER);
    assert!(log["duration_seconds"].as_i64().is_some());
    let said: Vec<&str> = log["transcript"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["speaker"].as_str().unwrap())
        .collect();
    assert!(
        said.contains(&"ai"),
        "the AI's words are in the call log: {said:?}"
    );
}

/// A call placed from CALLER, its stream connected, and the AI session configured.
async fn answered(
    p: &Phone,
    caller: &FakeCaller,
) -> (
    kitchen_testkit::twilio_caller::CallStart,
    FakeStream,
    kitchen_testkit::realtime::FakeSession,
) {
    let call = caller.place_call(CALLER, "+15005550006").await.unwrap();
    let stream = caller.connect_stream(&call).await.unwrap();
    let session = p.rt.next_session(WAIT).await.unwrap();
    session.wait_for("session.update", WAIT).await.unwrap();
    (call, stream, session)
}

/// The output our server sent for the first call of tool `name`.
fn function_output(session: &kitchen_testkit::realtime::FakeSession, name: &str) -> String {
    let call_id = session
        .sent()
        .iter()
        .find(|e| e["type"] == "response.function_call_arguments.done" && e["name"] == name)
        .map(|e| e["call_id"].as_str().unwrap().to_string())
        .unwrap_or_else(|| panic!("the fake never called {name}"));
    session
        .function_output(&call_id)
        .unwrap_or_else(|| panic!("no output for {name}"))
}

/// The call's log entry once it has ended: read from the API, and awaited through the
/// server's `call.ended` announcements (subscribed before the first read, so none is missed).
async fn wait_for_call_end(app: &TestApp, sid: &str) -> Value {
    let mut announced = app.state.bus.subscribe();
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let res = app.api.get(&format!("/api/calls/{sid}")).await.unwrap();
        if res.status() == 200 {
            let v: Value = res.json().await.unwrap();
            if v["outcome"] != "in_progress" {
                return v;
            }
        }
        loop {
            let next = tokio::time::timeout_at(deadline, announced.recv())
                .await
                .unwrap_or_else(|_| panic!("the call log never recorded the end of {sid}"));
            match next {
                Ok(p) => {
                    if let KitchenEvent::CallEnded { call } = &*p.event
                        && call.call_sid == sid
                    {
                        break;
                    }
                }
                // Missed some: read the log again.
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => break,
                Err(e) => panic!("the event bus closed: {e}"),
            }
        }
    }
}

async fn expect_fallback_redirect(behaviour: Behaviour, reason_has: &str) {
    let p = phone(behaviour).await;
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
    assert!(
        twiml.contains("<Dial") && twiml.contains("+924235761234"),
        "{twiml}"
    );
    stream.wait_closed(WAIT).await.unwrap();
    let log = wait_for_call_end(&p.app, &call.call_sid).await;
    assert_eq!(log["outcome"], "failed");
    assert_eq!(log["outcome_reason_code"], "ai_failed", "{log}");
    let reason = log["outcome_reason"].as_str().unwrap();
    assert!(reason.contains(reason_has), "{reason}");
}

#[tokio::test]
async fn when_openai_refuses_the_key_the_caller_goes_to_the_shop_within_two_seconds() {
    expect_fallback_redirect(Behaviour::RejectWith(401), "refused the API key").await;
}

#[tokio::test]
async fn when_openai_drops_mid_call_the_caller_goes_to_the_shop_within_two_seconds() {
    expect_fallback_redirect(Behaviour::CloseAfterSessionUpdate, "AI").await;
}

#[tokio::test]
async fn without_an_openai_key_the_webhook_answers_with_the_shop_phone() {
    let p = phone_with(FakeRealtime::start(Behaviour::Accept).await.unwrap(), |c| {
        c.settings.openai_api_key = None
    })
    .await;
    let call = p.caller.place_call(CALLER, "+15005550006").await.unwrap();
    assert_eq!(call.status, 200);
    assert!(call.stream_url.is_none());
    assert_eq!(call.dial.as_deref(), Some("+924235761234"));
    let log = wait_for_call_end(&p.app, &call.call_sid).await;
    assert_eq!(log["outcome"], "failed");
}

#[tokio::test]
async fn without_a_shop_phone_the_fallback_is_an_urdu_apology_and_a_hang_up() {
    let p = phone_with(FakeRealtime::start(Behaviour::Accept).await.unwrap(), |c| {
        c.settings.openai_api_key = None;
        c.settings.shop_phone = None;
    })
    .await;
    let call = p.caller.place_call(CALLER, "+15005550006").await.unwrap();
    assert!(call.dial.is_none());
    assert!(call.hangup);
    assert!(
        call.says.iter().any(|s| s.contains("معذرت")),
        "{:?}",
        call.says
    );
}

#[tokio::test]
async fn barge_in_clears_the_line_and_truncates_at_what_was_heard() {
    let p = phone(Behaviour::Accept).await;
    let caller = p.caller.clone().with_playback(PlaybackSpeed::RealTime);
    let (_call, stream, session) = answered(&p, &caller).await;
    session
        .speak("resp-1", "item-1", &tone(16_000, 300.0), 1600)
        .unwrap(); // 2 s of audio
    stream.wait_for_audio(4000, WAIT).await.unwrap();
    // Some of it played: the phone echoed the marks of the first three 200 ms deltas.
    stream.wait_for_marks_echoed(3, WAIT).await.unwrap();
    // Caller speech long enough to be an interruption, not a «جی».
    session.speech_started(0, "caller-item").unwrap();
    stream.send_audio(&tone(6400, 440.0), false).await.unwrap();
    stream.wait_for_event("clear", WAIT).await.unwrap();
    let truncate = session
        .wait_for("conversation.item.truncate", WAIT)
        .await
        .unwrap();
    assert_eq!(truncate["item_id"], "item-1");
    let heard_ms = truncate["audio_end_ms"].as_u64().unwrap();
    assert!(
        (100..2000).contains(&heard_ms),
        "truncated at {heard_ms} ms"
    );
    assert!(
        heard_ms * 8 <= session.audio_sent_for("item-1") as u64,
        "never past what was sent"
    );
    assert!(
        p.rt.schema_violations().is_empty(),
        "{:?}",
        p.rt.schema_violations()
    );
}

#[tokio::test]
async fn barge_in_before_anything_played_does_not_truncate() {
    let p = phone(Behaviour::Accept).await;
    let caller = p.caller.clone().with_playback(PlaybackSpeed::RealTime);
    let (_call, stream, session) = answered(&p, &caller).await;
    session
        .speak("resp-1", "item-1", &tone(8000, 300.0), 8000)
        .unwrap();
    stream.wait_for_audio(160, WAIT).await.unwrap();
    session.speech_started(0, "caller-item").unwrap();
    stream.send_audio(&tone(6400, 440.0), false).await.unwrap();
    stream.wait_for_event("clear", WAIT).await.unwrap();
    // The server writes to the AI in order: a truncate for this barge-in would reach the AI
    // before the caller audio sent after the `clear`.
    stream.send_audio(&tone(160, 440.0), false).await.unwrap();
    let all = 6400 + 160;
    for _ in 0..500 {
        if session.appended_audio_bytes() >= all {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(session.appended_audio_bytes(), all);
    assert!(
        !session
            .received()
            .iter()
            .any(|e| e["type"] == "conversation.item.truncate")
    );
}

#[tokio::test]
async fn malformed_binary_and_oversized_frames_do_not_end_the_call() {
    let p = phone(Behaviour::Accept).await;
    let call = p.caller.place_call(CALLER, "+15005550006").await.unwrap();
    let stream = p.caller.connect_stream(&call).await.unwrap();
    let session = p.rt.next_session(WAIT).await.unwrap();
    stream.send_raw_text("{not json").unwrap();
    stream
        .send_raw_text(r#"{"event":"media","media":{"payload":42}}"#)
        .unwrap();
    stream
        .send_raw_text(r#"{"event":"from-the-future"}"#)
        .unwrap();
    stream.send_binary(vec![0xff; 1000]).unwrap();
    stream
        .send_raw_text(&format!(
            r#"{{"event":"media","pad":"{}"}}"#,
            "x".repeat(200_000)
        ))
        .unwrap();
    session
        .send(json!({"type": "response.from_the_future", "event_id": "x"}))
        .unwrap();
    session.send(json!({"no_type": true})).unwrap();
    stream.send_audio(&tone(1600, 440.0), false).await.unwrap();
    for _ in 0..10 {
        session
            .wait_for("input_audio_buffer.append", WAIT)
            .await
            .expect("audio still flows after bad frames");
    }
    assert_eq!(session.appended_audio_bytes(), 1600);
    assert!(!stream.is_closed());
    assert!(!session.is_closed());
}

#[tokio::test]
async fn two_concurrent_calls_keep_their_callers_and_orders_apart() {
    let p = phone_with(
        FakeRealtime::start_scripted(order_script()).await.unwrap(),
        |_| {},
    )
    .await;
    let callers = ["+923001111111", "+923332222222"];
    let mut tasks = Vec::new();
    for from in callers {
        let caller = p.caller.clone();
        tasks.push(tokio::spawn(async move {
            let call = caller.place_call(from, "+15005550006").await.unwrap();
            let stream = Arc::new(caller.connect_stream(&call).await.unwrap());
            let talker = keep_talking(stream.clone());
            stream.wait_closed(Duration::from_secs(40)).await.unwrap();
            talker.abort();
            call.call_sid
        }));
    }
    let mut sids = Vec::new();
    for t in tasks {
        sids.push(t.await.unwrap());
    }
    let orders = json_with(p.app.api.get("/api/orders").await.unwrap(), 200).await;
    let orders = orders.as_array().unwrap();
    assert_eq!(orders.len(), 2);
    for (from, sid) in callers.iter().zip(&sids) {
        let o = orders
            .iter()
            .find(|o| o["call_sid"] == sid.as_str())
            .unwrap();
        assert_eq!(o["customer_phone"], *from);
    }
}

#[tokio::test]
async fn fifty_concurrent_calls_each_create_their_own_order() {
    // A load test: the shop's cap on calls at once (4 by default) raised to let all in.
    let p = phone_with(
        FakeRealtime::start_scripted(order_script()).await.unwrap(),
        |c| {
            c.settings.max_concurrent_ai_calls =
                Some(kitchen_domain::settings::ItemCount::parse(50, 1, 50).unwrap())
        },
    )
    .await;
    let mut tasks = Vec::new();
    for i in 0..50 {
        let caller = p.caller.clone();
        tasks.push(tokio::spawn(async move {
            let from = format!("+9230012{i:05}");
            let call = caller.place_call(&from, "+15005550006").await.unwrap();
            assert_eq!(call.status, 200);
            let stream = Arc::new(caller.connect_stream(&call).await.unwrap());
            let talker = keep_talking(stream.clone());
            stream.wait_closed(Duration::from_secs(90)).await.unwrap();
            talker.abort();
            assert!(stream.violations().is_empty(), "{:?}", stream.violations());
            (from, call.call_sid)
        }));
    }
    let mut calls = Vec::new();
    for t in tasks {
        calls.push(t.await.unwrap());
    }
    let orders = json_with(p.app.api.get("/api/orders").await.unwrap(), 200).await;
    let orders = orders.as_array().unwrap();
    if orders.len() != 50 {
        let log = json_with(p.app.api.get("/api/calls").await.unwrap(), 200).await;
        let odd: Vec<&Value> = log
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["outcome"] != "ordered")
            .collect();
        panic!("{} orders; calls without one: {odd:#?}", orders.len());
    }
    let mut numbers: Vec<i64> = orders
        .iter()
        .map(|o| o["number"].as_i64().unwrap())
        .collect();
    numbers.sort_unstable();
    assert_eq!(
        numbers,
        (1..=50).collect::<Vec<_>>(),
        "distinct daily numbers"
    );
    for (from, sid) in &calls {
        let o = orders
            .iter()
            .find(|o| o["call_sid"] == sid.as_str())
            .unwrap();
        assert_eq!(
            o["customer_phone"],
            from.as_str(),
            "each order has its own caller"
        );
    }
    assert!(
        p.rt.schema_violations().is_empty(),
        "{:?}",
        p.rt.schema_violations()
    );
}

#[tokio::test]
async fn asking_for_a_person_transfers_the_call_to_the_shop_phone() {
    let p = phone(Behaviour::Accept).await;
    let (call, stream, session) = answered(&p, &p.caller).await;
    session
        .call_function("resp-9", "call-t", "transfer_to_human", json!({}))
        .unwrap();
    let redirect = p
        .rest
        .wait_for_call_update(&call.call_sid, WAIT)
        .await
        .unwrap();
    let twiml = redirect.field("Twiml").unwrap();
    assert!(
        twiml.contains("<Dial") && twiml.contains("+924235761234"),
        "{twiml}"
    );
    stream.wait_closed(WAIT).await.unwrap();
    let log = wait_for_call_end(&p.app, &call.call_sid).await;
    assert_eq!(log["outcome"], "transferred");
}

#[tokio::test]
async fn a_hang_up_for_a_call_twilio_already_ended_is_not_an_error() {
    let p = phone(Behaviour::Accept).await;
    let (call, stream, session) = answered(&p, &p.caller).await;
    p.rest.mark_call_ended(&call.call_sid);
    session
        .call_function("resp-9", "call-e", "end_call", json!({}))
        .unwrap();
    let req = p
        .rest
        .wait_for_call_update(&call.call_sid, WAIT)
        .await
        .unwrap();
    assert_eq!(req.field("Status"), Some("completed"));
    stream.wait_closed(WAIT).await.unwrap();
    let log = wait_for_call_end(&p.app, &call.call_sid).await;
    assert_eq!(
        log["outcome"], "enquiry",
        "ended normally, not failed; end_call without an outcome is an enquiry"
    );
}

#[tokio::test]
async fn a_returning_caller_is_offered_their_last_address() {
    let p = phone(Behaviour::Accept).await;
    let mut body = kitchen_testkit::fixtures::family_order();
    body["customer_phone"] = json!(CALLER);
    body["address"] = json!("Flat 7, Block Q, Johar Town, Lahore");
    p.app.api.create_order(&body).await.unwrap();
    let _call = p.caller.place_call(CALLER, "+15005550006").await.unwrap();
    let session = p.rt.next_session(WAIT).await.unwrap();
    let update = session.wait_for("session.update", WAIT).await.unwrap();
    let instructions = update["session"]["instructions"].as_str().unwrap();
    assert!(instructions.contains("Johar Town"), "{instructions}");
    assert!(instructions.contains("Melt 8 Pizza"));
    let tools: Vec<&str> = update["session"]["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    for t in [
        "update_order",
        "confirm_order",
        "end_call",
        "transfer_to_human",
    ] {
        assert!(tools.contains(&t), "{tools:?}");
    }
    assert_eq!(
        update["session"]["audio"]["input"]["format"]["type"],
        "audio/pcmu"
    );
    assert_eq!(
        update["session"]["audio"]["output"]["format"]["type"],
        "audio/pcmu"
    );
    let greeting = session.wait_for("response.create", WAIT).await.unwrap();
    assert!(
        greeting["response"]["instructions"]
            .as_str()
            .unwrap()
            .contains("Melt 8 Pizza")
    );
}

#[tokio::test]
async fn when_openai_is_down_the_caller_goes_to_the_shop_within_two_seconds() {
    expect_fallback_redirect(Behaviour::RejectWith(503), "refused the connection").await;
}

/// Waits until the server answered a function call.
async fn output_of(session: &kitchen_testkit::realtime::FakeSession, call_id: &str) -> Value {
    let item = session
        .wait_for_matching(&format!("the output for {call_id}"), WAIT, |e| {
            e["type"] == "conversation.item.create"
                && e["item"]["type"] == "function_call_output"
                && e["item"]["call_id"] == call_id
        })
        .await
        .unwrap();
    serde_json::from_str(item["item"]["output"].as_str().unwrap()).unwrap()
}

#[tokio::test]
async fn wrong_tool_arguments_get_an_error_the_ai_can_act_on_and_save_nothing() {
    let p = phone(Behaviour::Accept).await;
    let (_call, _stream, session) = answered(&p, &p.caller).await;
    let bad = json!({"items": [{"item_id": "chicken-tikka", "size_id": "huge", "quantity": 2}], "address": "Gulberg", "customer_name": "Ali"});
    session
        .call_function("r1", "c-review", "update_order", bad.clone())
        .unwrap();
    let out = output_of(&session, "c-review").await;
    assert_eq!(out["ok"], false);
    assert!(
        out.to_string()
            .contains("sizes are small, medium, large, family"),
        "{out}"
    );
    // No quote came of it, so there is nothing to place.
    session
        .call_function("r2", "c-place", "confirm_order", json!({"quote_id": "Q1"}))
        .unwrap();
    let refused = output_of(&session, "c-place").await;
    assert_eq!(refused["refused"], "stale_quote", "{refused}");
    session
        .call_function("r3", "c-junk", "update_order", json!("not an object"))
        .unwrap();
    assert_eq!(output_of(&session, "c-junk").await["ok"], false);
    let orders = json_with(p.app.api.get("/api/orders").await.unwrap(), 200).await;
    assert!(orders.as_array().unwrap().is_empty());
    // The AI is asked to carry on after each tool result.
    let creates = session
        .received()
        .iter()
        .filter(|e| e["type"] == "response.create")
        .count();
    assert!(creates >= 3, "{creates}");
}

/// `update_order` with `order`, then the answer (the priced draft).
async fn draft(
    session: &kitchen_testkit::realtime::FakeSession,
    call_id: &str,
    order: Value,
) -> Value {
    session
        .call_function(&format!("r-{call_id}"), call_id, "update_order", order)
        .unwrap();
    output_of(session, call_id).await
}

/// `confirm_order` of `quote_id`, then the answer.
async fn confirm(
    session: &kitchen_testkit::realtime::FakeSession,
    call_id: &str,
    quote_id: &str,
) -> Value {
    session
        .call_function(
            &format!("r-{call_id}"),
            call_id,
            "confirm_order",
            json!({"quote_id": quote_id}),
        )
        .unwrap();
    output_of(session, call_id).await
}

#[tokio::test]
async fn a_retried_confirm_of_the_same_quote_creates_one_order() {
    let p = phone(Behaviour::Accept).await;
    let (_call, _stream, session) = answered(&p, &p.caller).await;
    let order = json!({"items": [{"item_id": "pepperoni", "size_id": "medium", "quantity": 1}],
        "address": "DHA Phase 5, Lahore", "customer_name": "Sara",
        "payment": {"method": "cash"}, "callback_confirmed": true});
    let quote = draft(&session, "c0", order).await;
    assert_eq!(quote["missing"], json!([]), "{quote}");
    let id = quote["quote_id"].as_str().unwrap();
    let first = confirm(&session, "c1", id).await;
    let second = confirm(&session, "c2", id).await;
    assert_eq!(first["ok"], true);
    assert_eq!(first, second, "the same answer for the same quote");
    let orders = json_with(p.app.api.get("/api/orders").await.unwrap(), 200).await;
    assert_eq!(orders.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn when_the_caller_hangs_up_the_ai_socket_is_closed_and_the_call_logged_abandoned() {
    let p = phone(Behaviour::Accept).await;
    let (call, stream, session) = answered(&p, &p.caller).await;
    stream.send_audio(&tone(800, 440.0), false).await.unwrap();
    stream.stop().unwrap();
    session
        .wait_closed(WAIT)
        .await
        .expect("the Realtime socket closes with the call");
    let log = wait_for_call_end(&p.app, &call.call_sid).await;
    assert_eq!(log["outcome"], "abandoned");
    assert!(
        p.rest.requests().is_empty(),
        "no REST call needed when the caller hung up"
    );
}

#[tokio::test]
async fn the_next_call_hears_the_shop_name_and_eta_saved_from_the_dashboard() {
    let p = phone(Behaviour::Accept).await;
    let saved = p
        .app
        .api
        .put_json(
            "/api/settings",
            &json!({"shop_name": "Tikka Town Johar", "eta_minutes": 50}),
        )
        .await
        .unwrap();
    assert_eq!(saved.status(), 200);
    let (_call, _stream, session) = answered(&p, &p.caller).await;
    let received = session.received();
    let update = received
        .iter()
        .find(|e| e["type"] == "session.update")
        .unwrap();
    let instructions = update["session"]["instructions"].as_str().unwrap();
    assert!(instructions.contains("Tikka Town Johar"), "{instructions}");
    assert!(instructions.contains("50"), "{instructions}");
}
