//! The shop's caps on what callers can cost, through real sockets: a call beyond the
//! concurrent, per-caller or daily cap gets the shop-phone TwiML and opens no AI session; a
//! call past its minute cap is wrapped up and handed to the shop; each call's token usage
//! is priced into the call log and the day summary.

use super::*;
use kitchen_domain::CallUpdate;
use kitchen_domain::settings::{ItemCount, Minutes};

const SHOP: &str = "+924235761234";
const OTHER: &str = "+923331112222";

fn count(n: u32) -> Option<ItemCount> {
    Some(ItemCount::parse(n, 0, 1000).unwrap())
}

fn minutes(n: u32) -> Option<Minutes> {
    Some(Minutes::parse(n, 0, 100_000).unwrap())
}

/// The webhook's answer is the shop-phone TwiML: a `<Dial>` to the shop and no stream.
fn assert_sent_to_shop(call: &kitchen_testkit::twilio_caller::CallStart) {
    assert_eq!(call.status, 200, "{}", call.twiml);
    assert_eq!(call.stream_url, None, "no AI stream: {}", call.twiml);
    assert_eq!(call.dial.as_deref(), Some(SHOP), "{}", call.twiml);
    assert!(call.parameter("token").is_none());
}

/// The call log entry of a call refused at the webhook: its reason in words, after
/// checking its code (what the dashboard shows, in Urdu or English).
async fn refused_reason(p: &Phone, sid: &str, code: &str) -> String {
    let log = wait_for_call_end(&p.app, sid).await;
    assert_eq!(log["outcome"], "transferred");
    assert_eq!(log["outcome_reason_code"], code, "{log}");
    log["outcome_reason"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn a_call_beyond_the_concurrent_cap_goes_to_the_shop_and_opens_no_ai_session() {
    let rt = FakeRealtime::start(Behaviour::Accept).await.unwrap();
    let p = phone_with(rt, |c| c.settings.max_concurrent_ai_calls = count(1)).await;
    let (first, stream, session) = answered(&p, &p.caller).await;
    assert!(first.stream_url.is_some());

    let second = p.caller.place_call(OTHER, "+15005550006").await.unwrap();
    assert_sent_to_shop(&second);
    let reason = refused_reason(&p, &second.call_sid, "concurrent_cap").await;
    assert!(
        reason.contains("1 calls were already with the AI"),
        "{reason}"
    );
    assert_eq!(p.rt.attempts(), 1, "no second AI socket was opened");

    // The first call ends: its place is free again.
    stream.stop().unwrap();
    wait_for_call_end(&p.app, &first.call_sid).await;
    session.wait_closed(WAIT).await.unwrap();
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
    p.rt.next_session(WAIT).await.unwrap();
    assert_eq!(p.rt.attempts(), 2);
}

#[tokio::test]
async fn a_number_calling_past_its_hourly_cap_goes_to_the_shop_but_withheld_numbers_are_not_counted()
 {
    let rt = FakeRealtime::start(Behaviour::Accept).await.unwrap();
    let p = phone_with(rt, |c| {
        c.settings.max_calls_per_caller_per_hour = count(2);
        c.settings.max_concurrent_ai_calls = count(20);
    })
    .await;
    for _ in 0..2 {
        let call = p.caller.place_call(CALLER, "+15005550006").await.unwrap();
        assert!(call.stream_url.is_some(), "{}", call.twiml);
    }
    let third = p.caller.place_call(CALLER, "+15005550006").await.unwrap();
    assert_sent_to_shop(&third);
    let reason = refused_reason(&p, &third.call_sid, "caller_hourly_cap").await;
    assert!(reason.contains("2 times in the last hour"), "{reason}");
    // Another number is not held back by this one.
    let other = p.caller.place_call(OTHER, "+15005550006").await.unwrap();
    assert!(other.stream_url.is_some(), "{}", other.twiml);
    // Withheld callers are not lumped together.
    for _ in 0..3 {
        let call = p
            .caller
            .place_call("anonymous", "+15005550006")
            .await
            .unwrap();
        assert!(call.stream_url.is_some(), "{}", call.twiml);
        assert_eq!(call.parameter("caller"), Some("withheld"));
    }
    // Two, one and three calls were let through: six AI sockets, none for the refused one.
    let deadline = Instant::now() + WAIT;
    while p.rt.attempts() < 6 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(p.rt.attempts(), 6);
}

#[tokio::test]
async fn once_the_daily_ai_budget_is_used_calls_go_to_the_shop_and_the_summary_says_how_much() {
    let rt = FakeRealtime::start(Behaviour::Accept).await.unwrap();
    let p = phone_with(rt, |c| c.settings.daily_ai_budget_minutes = minutes(2)).await;
    // Earlier today the AI spent 100 s on a call (83 % of two minutes): still answering.
    let now = p.app.state.clock.now();
    let earlier = |sid: &str, secs: i64, ended: bool| {
        let mut u = vec![
            CallUpdate::Started {
                call_sid: sid.to_string(),
                caller: Some(OTHER.to_string()),
                at: now - chrono::Duration::seconds(secs),
            },
            CallUpdate::Answered {
                call_sid: sid.to_string(),
                at: now - chrono::Duration::seconds(secs),
            },
        ];
        if ended {
            u.push(CallUpdate::Ended {
                call_sid: sid.to_string(),
                outcome: kitchen_domain::CallOutcome::Enquiry,
                reason: None,
                code: None,
                at: now,
            });
        }
        u
    };
    p.app
        .state
        .store
        .log_calls(earlier("CAearlier1", 100, true))
        .await
        .unwrap();
    let summary = json_with(p.app.api.get("/api/summary").await.unwrap(), 200).await;
    assert_eq!(summary["ai_calls"], 1);
    let seconds = summary["ai_seconds"].as_i64().unwrap();
    assert!((100..=102).contains(&seconds), "{summary}");
    let call = p.caller.place_call(CALLER, "+15005550006").await.unwrap();
    assert!(
        call.stream_url.is_some(),
        "under the budget: {}",
        call.twiml
    );
    p.rt.next_session(WAIT).await.unwrap();

    // Another 30 s: 130 s of 120 used up.
    p.app
        .state
        .store
        .log_calls(earlier("CAearlier2", 30, true))
        .await
        .unwrap();
    let over = p.caller.place_call(OTHER, "+15005550006").await.unwrap();
    assert_sent_to_shop(&over);
    let reason = refused_reason(&p, &over.call_sid, "daily_budget").await;
    assert!(
        reason.contains("today's 2 AI minutes are used up"),
        "{reason}"
    );
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(p.rt.attempts(), 1, "no AI socket past the budget");
}

#[tokio::test]
async fn a_call_past_its_minute_cap_is_wrapped_up_then_handed_to_the_shop() {
    let rt = FakeRealtime::start(Behaviour::Accept).await.unwrap();
    let p = phone_with(rt, |c| {
        c.settings.max_call_minutes = minutes(2);
        // Two "minutes" of 1 s each; the AI then has 3 s to finish speaking.
        c.phone.timeouts.call_minute = Duration::from_secs(1);
        c.phone.timeouts.cap_grace = Duration::from_secs(3);
    })
    .await;
    let (call, stream, session) = answered(&p, &p.caller).await;
    let t0 = Instant::now();
    let wrap_up = session
        .wait_for_matching("the wrap-up response.create", WAIT, |e| {
            e["type"] == "response.create"
                && e["response"]["instructions"]
                    .as_str()
                    .is_some_and(|i| i.contains("time limit"))
        })
        .await
        .unwrap();
    let elapsed = t0.elapsed();
    assert!(elapsed < Duration::from_secs(4), "{elapsed:?}");
    let instructions = wrap_up["response"]["instructions"].as_str().unwrap();
    assert!(
        instructions.contains("putting them through to the shop"),
        "{instructions}"
    );
    // The AI says its few words; once they have played, the call goes to the shop.
    session
        .speak("resp_wrap", "item_wrap", &tone(1600, 330.0), 400)
        .unwrap();
    let redirect = p
        .rest
        .wait_for_call_update(&call.call_sid, WAIT)
        .await
        .unwrap();
    let twiml = redirect.field("Twiml").unwrap();
    assert!(twiml.contains("<Dial") && twiml.contains(SHOP), "{twiml}");
    stream.wait_closed(WAIT).await.unwrap();
    let log = wait_for_call_end(&p.app, &call.call_sid).await;
    assert_eq!(log["outcome"], "transferred");
}

#[tokio::test]
async fn a_call_past_its_minute_cap_is_handed_on_after_the_grace_even_if_the_ai_stays_silent() {
    let rt = FakeRealtime::start(Behaviour::Accept).await.unwrap();
    let p = phone_with(rt, |c| {
        c.settings.max_call_minutes = minutes(1);
        c.phone.timeouts.call_minute = Duration::from_millis(500);
        c.phone.timeouts.cap_grace = Duration::from_millis(700);
    })
    .await;
    let (call, stream, session) = answered(&p, &p.caller).await;
    session
        .wait_for_matching("the wrap-up response.create", WAIT, |e| {
            e["type"] == "response.create"
                && e["response"]["instructions"]
                    .as_str()
                    .is_some_and(|i| i.contains("time limit"))
        })
        .await
        .unwrap();
    let redirect = p
        .rest
        .wait_for_call_update(&call.call_sid, WAIT)
        .await
        .unwrap();
    let twiml = redirect.field("Twiml").unwrap();
    assert!(twiml.contains("<Dial") && twiml.contains(SHOP), "{twiml}");
    stream.wait_closed(WAIT).await.unwrap();
}

#[tokio::test]
async fn each_calls_token_usage_is_priced_into_the_call_log_and_the_day_summary() {
    let rt = FakeRealtime::start(Behaviour::Accept).await.unwrap();
    let p = phone_with(rt, |_| {}).await;
    let (call, stream, session) = answered(&p, &p.caller).await;
    let done = |id: &str, usage: Value| {
        json!({"type": "response.done", "event_id": format!("ev_{id}"), "response": {
            "id": id, "object": "realtime.response", "status": "completed", "output": [],
            "usage": usage}})
    };
    // 10,000 audio in (2,000 of them cached), 1,000 text in, 5,000 audio out, 500 text out.
    session
        .send(done(
            "resp_1",
            json!({"total_tokens": 16500, "input_tokens": 11000, "output_tokens": 5500,
                "input_token_details": {"text_tokens": 1000, "audio_tokens": 10000,
                    "cached_tokens": 2000,
                    "cached_tokens_details": {"text_tokens": 0, "audio_tokens": 2000}},
                "output_token_details": {"text_tokens": 500, "audio_tokens": 5000}}),
        ))
        .unwrap();
    // A second response: 1,000,000 text input tokens (Rs 1,120 at the default price).
    session
        .send(done(
            "resp_2",
            json!({"total_tokens": 1000000, "input_tokens": 1000000, "output_tokens": 0,
                "input_token_details": {"text_tokens": 1000000, "audio_tokens": 0,
                    "cached_tokens": 0},
                "output_token_details": {"text_tokens": 0, "audio_tokens": 0}}),
        ))
        .unwrap();
    // Let both reach the log before the caller hangs up.
    tokio::time::sleep(Duration::from_millis(300)).await;
    stream.stop().unwrap();
    let log = wait_for_call_end(&p.app, &call.call_sid).await;
    // Rupees per 1M tokens: audio in 8,960, cached 112, text in 1,120, audio out 17,920,
    // text out 6,720; in millipaisa a token costs a tenth of its price.
    let first = (8_000 * 8_960 + 2_000 * 112 + 1_000 * 1_120 + 5_000 * 17_920 + 500 * 6_720) / 10;
    let second = 1_000_000 * 1_120 / 10;
    let paisa = (first + second + 500) / 1000;
    assert_eq!(paisa, 112_000 + 16_598, "Rs 1,120 + Rs 165.98 (rounded)");
    assert_eq!(log["ai_cost_paisa"], paisa);
    let calls = json_with(p.app.api.get("/api/calls").await.unwrap(), 200).await;
    let listed = calls
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["call_sid"] == call.call_sid.as_str())
        .unwrap();
    assert_eq!(listed["ai_cost_paisa"], paisa);
    let summary = json_with(p.app.api.get("/api/summary").await.unwrap(), 200).await;
    assert_eq!(summary["ai_calls"], 1);
    assert_eq!(summary["ai_cost_paisa"], paisa);
    assert!(summary["ai_seconds"].as_i64().unwrap() >= 0);
}
