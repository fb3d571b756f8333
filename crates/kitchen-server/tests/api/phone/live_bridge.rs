//! The live-bridge engine (`VOICE_ENGINE=live-bridge`) end to end: the fake Twilio caller
//! and the schema-checking fake GPT-Live talk to the real server through real sockets.

use super::*;
use kitchen_domain::VoiceEngine;
use kitchen_testkit::live::{FakeLive, LiveScript, LiveStep, OutputPace};

struct LivePhone {
    app: TestApp,
    live: FakeLive,
    rest: FakeTwilioRest,
    caller: FakeCaller,
}

async fn live_phone(script: LiveScript) -> LivePhone {
    let live = FakeLive::start(script).await.unwrap();
    let live_url = live.url();
    let rt = FakeRealtime::start(Behaviour::Accept).await.unwrap();
    let Phone {
        app, rest, caller, ..
    } = phone_with(rt, |c| {
        c.settings.voice_engine = Some(VoiceEngine::LiveBridge);
        c.phone.openai_live_url = live_url;
    })
    .await;
    LivePhone {
        app,
        live,
        rest,
        caller,
    }
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
