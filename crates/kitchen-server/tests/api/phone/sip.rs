//! SIP calls (engines `sip-realtime`, `sip-live`): a fake OpenAI sends signed incoming-call
//! webhooks to the real server's public router and records the call-control requests.

use super::*;
use kitchen_demo::openai_sip::{FakeOpenAiSip, deliver, incoming_pair, send_webhook, sign_headers};
use kitchen_domain::VoiceEngine;
use kitchen_testkit::live_sip::{
    self, FakeLiveSideband, LiveSidebandScript, LiveStep, outputs_of as live_outputs,
};
use kitchen_testkit::realtime::Step;

const SECRET: &str = "whsec_bWVsdDgta2l0Y2hlbi10ZXN0LXdlYmhvb2sta2V5ISE=";

struct Sip {
    app: TestApp,
    openai: FakeOpenAiSip,
    url: String,
}

async fn sip_app(engine: VoiceEngine, tweak: impl FnOnce(&mut kitchen_server::Config)) -> Sip {
    let openai = FakeOpenAiSip::start().await.unwrap();
    let base = openai.base_url();
    let app = spawn_with(tempfile::tempdir().unwrap(), |c| {
        c.phone.public_base_url = Some(PUBLIC.into());
        c.phone.openai_api_base = base;
        // No sideband in these tests: a Realtime sideband that cannot attach sends the
        // call to the shop's phone after the (short) re-attach window.
        c.phone.openai_realtime_url = "ws://127.0.0.1:9/v1/realtime".into();
        c.settings.voice_engine = Some(engine);
        c.settings.openai_webhook_secret = Some(Secret::new(SECRET));
        c.settings.openai_api_key = Some(Secret::new("sk-test-key"));
        c.settings.shop_phone = Some(crate::helpers::e164("+924235761234"));
        tweak(c);
    })
    .await;
    let url = format!("{}/openai/webhook", app.public);
    Sip { app, openai, url }
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

#[tokio::test]
async fn a_signed_realtime_webhook_is_answered_at_once_and_the_call_accepted_with_a_realtime_session()
 {
    let s = sip_app(VoiceEngine::SipRealtime, |_| {}).await;
    let (_, realtime) = incoming_pair("a1", CALLER, now());
    let status = send_webhook(&s.url, SECRET, "wh_a1", now(), &realtime)
        .await
        .unwrap();
    assert_eq!(status, 200);
    let accepts = s.openai.wait_for("accept", 1, WAIT).await;
    assert_eq!(accepts.len(), 1, "{:?}", s.openai.requests());
    let accept = &accepts[0];
    assert_eq!(
        (accept.api.as_str(), accept.id.as_str()),
        ("realtime/calls", "rtc_a1")
    );
    assert!(accept.bearer);
    let session = &accept.body["session"];
    assert_eq!(session["type"], "realtime");
    assert!(session["instructions"].as_str().unwrap().len() > 100);
    assert!(session["tools"].as_array().unwrap().len() >= 4);
    assert!(
        session["audio"]["input"].get("format").is_none(),
        "SIP negotiates the codec"
    );
    assert!(session["audio"]["output"].get("format").is_none());
    assert_eq!(
        session["audio"]["input"]["turn_detection"]["create_response"],
        true
    );
}

#[tokio::test]
async fn with_sip_live_the_live_webhook_is_accepted_without_audio_format() {
    let s = sip_app(VoiceEngine::SipLive, |_| {}).await;
    let (live, _) = incoming_pair("l1", CALLER, now());
    assert_eq!(
        send_webhook(&s.url, SECRET, "wh_l1", now(), &live)
            .await
            .unwrap(),
        200
    );
    let accepts = s.openai.wait_for("accept", 1, WAIT).await;
    assert_eq!(accepts.len(), 1);
    let session = &accepts[0].body["session"];
    assert_eq!(accepts[0].api, "live/sessions");
    let violations = live_sip::accept_body_violations(&accepts[0].body);
    assert!(violations.is_empty(), "{violations:?}");
    assert_eq!(session["type"], "live");
    assert_eq!(session["model"], "gpt-live-1.1");
    assert!(session["audio"].get("format").is_none());
    assert_eq!(session["delegation"]["type"], "responses");
    assert!(
        session["delegation"]["responses"]["tools"]
            .as_array()
            .unwrap()
            .len()
            >= 4
    );
}

#[tokio::test]
async fn wrong_stale_and_unsigned_webhooks_are_refused_and_nothing_is_asked_of_openai() {
    let s = sip_app(VoiceEngine::SipRealtime, |_| {}).await;
    let (_, realtime) = incoming_pair("w1", CALLER, now());
    let body = realtime.to_string();
    let other = "whsec_c29tZS1vdGhlci1wcm9qZWN0LXdlYmhvb2sta2V5ISE=";
    let wrong = sign_headers(other, "wh_w1", now(), &body).unwrap();
    assert_eq!(deliver(&s.url, &wrong, &body).await.unwrap(), 401);
    let stale = sign_headers(SECRET, "wh_w2", now() - 301, &body).unwrap();
    assert_eq!(deliver(&s.url, &stale, &body).await.unwrap(), 400);
    let future = sign_headers(SECRET, "wh_w3", now() + 301, &body).unwrap();
    assert_eq!(deliver(&s.url, &future, &body).await.unwrap(), 400);
    assert_eq!(deliver(&s.url, &[], &body).await.unwrap(), 400);
    let mut tampered = sign_headers(SECRET, "wh_w4", now(), &body).unwrap();
    tampered[0].1 = "wh_other".into();
    assert_eq!(deliver(&s.url, &tampered, &body).await.unwrap(), 401);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(s.openai.requests().is_empty(), "{:?}", s.openai.requests());
}

#[tokio::test]
async fn a_replayed_webhook_gets_2xx_and_the_call_is_accepted_once() {
    let s = sip_app(VoiceEngine::SipRealtime, |_| {}).await;
    let (_, realtime) = incoming_pair("r1", CALLER, now());
    for _ in 0..3 {
        assert_eq!(
            send_webhook(&s.url, SECRET, "wh_r1", now(), &realtime)
                .await
                .unwrap(),
            200
        );
    }
    // A retry with a new delivery id for the same call: still one accept.
    assert_eq!(
        send_webhook(&s.url, SECRET, "wh_r1_retry", now(), &realtime)
            .await
            .unwrap(),
        200
    );
    s.openai
        .wait_for("accept", 2, Duration::from_millis(800))
        .await;
    assert_eq!(s.openai.requests_of("accept").len(), 1);
}

#[tokio::test]
async fn when_both_webhooks_race_exactly_one_engine_accepts() {
    for engine in [VoiceEngine::SipRealtime, VoiceEngine::SipLive] {
        let s = sip_app(engine, |_| {}).await;
        let (live, realtime) = incoming_pair("race", CALLER, now());
        let (a, b) = tokio::join!(
            send_webhook(&s.url, SECRET, "wh_live", now(), &live),
            send_webhook(&s.url, SECRET, "wh_rt", now(), &realtime),
        );
        assert_eq!((a.unwrap(), b.unwrap()), (200, 200));
        s.openai
            .wait_for("accept", 2, Duration::from_millis(800))
            .await;
        let accepts = s.openai.requests_of("accept");
        assert_eq!(accepts.len(), 1, "{engine:?}: {accepts:?}");
        let expected = match engine {
            VoiceEngine::SipLive => "live/sessions",
            _ => "realtime/calls",
        };
        assert_eq!(accepts[0].api, expected);
    }
}

#[tokio::test]
async fn with_answering_paused_the_call_is_referred_to_the_shops_phone_and_never_accepted() {
    let s = sip_app(VoiceEngine::SipRealtime, |c| {
        c.settings.answering_paused = Some(true)
    })
    .await;
    let (_, realtime) = incoming_pair("p1", CALLER, now());
    assert_eq!(
        send_webhook(&s.url, SECRET, "wh_p1", now(), &realtime)
            .await
            .unwrap(),
        200
    );
    let refers = s.openai.wait_for("refer", 1, WAIT).await;
    assert_eq!(refers.len(), 1);
    assert_eq!(refers[0].body["target_uri"], "tel:+924235761234");
    assert!(s.openai.requests_of("accept").is_empty());
}

#[tokio::test]
async fn over_the_concurrent_cap_without_a_shop_phone_the_call_is_rejected_busy() {
    let s = sip_app(VoiceEngine::SipRealtime, |c| {
        c.settings.shop_phone = None;
        c.settings.max_concurrent_ai_calls =
            Some(kitchen_domain::settings::ItemCount::parse(0, 0, 1000).unwrap());
    })
    .await;
    let (_, realtime) = incoming_pair("c1", CALLER, now());
    assert_eq!(
        send_webhook(&s.url, SECRET, "wh_c1", now(), &realtime)
            .await
            .unwrap(),
        200
    );
    let rejects = s.openai.wait_for("reject", 1, WAIT).await;
    assert_eq!(rejects.len(), 1, "{:?}", s.openai.requests());
    assert_eq!(rejects[0].body["status_code"], 486);
    assert!(s.openai.requests_of("accept").is_empty());
    let _ = &s.app;
}

// ---- The sip-realtime sideband (`/v1/realtime?call_id=…`) through real sockets ----------

const ADDRESS: &str = "House 12, Street 4, Gulberg III, Lahore";

/// A `sip-realtime` server whose sideband reaches a scripted fake Realtime server.
async fn sideband_app(
    script: Script,
    tweak: impl FnOnce(&mut kitchen_server::Config),
) -> (Sip, FakeRealtime) {
    let rt = FakeRealtime::start_scripted(script).await.unwrap();
    let url = rt.url();
    let s = sip_app(VoiceEngine::SipRealtime, |c| {
        c.phone.openai_realtime_url = url;
        tweak(c);
    })
    .await;
    (s, rt)
}

/// Sends the `realtime.call.incoming` webhook of call `rtc_<tag>` from CALLER.
async fn ring(s: &Sip, tag: &str) {
    let (_, realtime) = incoming_pair(tag, CALLER, now());
    let status = send_webhook(&s.url, SECRET, &format!("wh_{tag}"), now(), &realtime)
        .await
        .unwrap();
    assert_eq!(status, 200);
}

/// Outputs the client sent for every call of tool `name` on `session`, in order.
fn outputs_of(session: &kitchen_testkit::realtime::FakeSession, name: &str) -> Vec<String> {
    session
        .sent()
        .iter()
        .filter(|e| e["type"] == "response.function_call_arguments.done" && e["name"] == name)
        .filter_map(|e| session.function_output(e["call_id"].as_str().unwrap()))
        .collect()
}

fn greeting_steps() -> Vec<Step> {
    vec![
        Step::wait_for("response.create"),
        Step::say("السلام علیکم! میلٹ 8 میں خوش آمدید۔", 0),
    ]
}

fn speakers(log: &Value) -> Vec<String> {
    log["transcript"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["speaker"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn a_scripted_order_over_the_realtime_sideband_lands_with_the_callback_number_the_caller_confirmed()
 {
    let script = Script::sideband_urdu_pizza_order("chicken-tikka", "large", 2, ADDRESS, "Ali");
    let (s, rt) = sideband_app(script, |_| {}).await;
    let mut events = s.app.api.events().await.unwrap();
    events.expect("hello", WAIT).await.unwrap();
    ring(&s, "o1").await;

    let created = events
        .expect("order.created", Duration::from_secs(30))
        .await
        .unwrap();
    let order = &created["order"];
    assert_eq!(order["customer_phone"], CALLER, "the confirmed From number");
    assert_eq!(order["source"], "phone");
    assert_eq!(order["call_sid"], "rtc_o1");
    assert_eq!(order["items"][0]["item_id"], "chicken-tikka");
    assert_eq!(order["items"][0]["quantity"], 2);

    let hangups = s.openai.wait_for("hangup", 1, WAIT).await;
    assert_eq!(hangups.len(), 1, "{:?}", s.openai.requests());
    assert_eq!(
        (hangups[0].api.as_str(), hangups[0].id.as_str()),
        ("realtime/calls", "rtc_o1")
    );
    assert!(hangups[0].bearer);

    let sessions = rt.sideband_sessions("rtc_o1");
    assert_eq!(sessions.len(), 1);
    let session = &sessions[0];
    session.script_finished(WAIT).await.unwrap();
    assert_eq!(
        session.authorization().as_deref(),
        Some("Bearer sk-test-key")
    );
    assert_eq!(session.appended_audio_bytes(), 0, "no audio on a sideband");
    let drafts = outputs_of(session, "update_order");
    assert_eq!(drafts.len(), 2);
    // The From number is only a suggestion until the caller says yes to it.
    let first: Value = serde_json::from_str(&drafts[0]).unwrap();
    assert_eq!(first["callback_number"], "0300 1234567", "{first}");
    assert_eq!(first["callback_confirmed"], false);
    assert_eq!(first["missing"], json!(["callback_confirmation"]));
    let second: Value = serde_json::from_str(&drafts[1]).unwrap();
    assert_eq!(second["callback_confirmed"], true, "{second}");
    assert_eq!(second["missing"], json!([]));
    let placed: Value = serde_json::from_str(&outputs_of(session, "confirm_order")[0]).unwrap();
    assert_eq!(placed["order_number"], order["number"]);
    assert!(
        rt.schema_violations().is_empty(),
        "{:?}",
        rt.schema_violations()
    );

    let log = wait_for_call_end(&s.app, "rtc_o1").await;
    assert_eq!(log["outcome"], "ordered");
    assert_eq!(log["order_id"], order["id"]);
    assert_eq!(log["caller"], CALLER);
    assert!(log["answered_at"].is_string(), "{log}");
    assert!(log["input_tokens"].as_i64().unwrap() > 0, "usage is logged");
    let said = speakers(&log);
    assert!(said.iter().any(|s| s == "ai"), "{said:?}");
    assert!(said.iter().any(|s| s == "caller"), "{said:?}");
    let orders = json_with(s.app.api.get("/api/orders").await.unwrap(), 200).await;
    assert_eq!(orders.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn transfer_to_human_over_the_sideband_refers_the_call_to_the_shops_phone() {
    let mut steps = greeting_steps();
    steps.push(Step::CallerSays("کسی بندے سے بات کرائیں".into()));
    steps.push(Step::call_and_forget(
        "transfer_to_human",
        json!({"reason": "caller_asked", "summary": "wants to speak to the owner"}),
    ));
    let (s, _rt) = sideband_app(Script::new(steps), |_| {}).await;
    ring(&s, "t1").await;
    let refers = s.openai.wait_for("refer", 1, WAIT).await;
    assert_eq!(refers.len(), 1, "{:?}", s.openai.requests());
    assert_eq!(
        (refers[0].api.as_str(), refers[0].id.as_str()),
        ("realtime/calls", "rtc_t1")
    );
    assert_eq!(refers[0].body["target_uri"], "tel:+924235761234");
    let log = wait_for_call_end(&s.app, "rtc_t1").await;
    assert_eq!(log["outcome"], "transferred");
    assert_eq!(log["outcome_reason_code"], "caller_asked_for_person");
    assert!(s.openai.requests_of("hangup").is_empty());
}

#[tokio::test]
async fn end_call_over_the_sideband_hangs_the_call_up() {
    let mut steps = greeting_steps();
    steps.push(Step::CallerSays("آپ کب تک کھلے ہیں؟".into()));
    steps.push(Step::say("ہم رات بارہ بجے تک کھلے ہیں۔ اللہ حافظ!", 0));
    steps.push(Step::call_and_forget(
        "end_call",
        json!({"outcome": "enquiry"}),
    ));
    let (s, rt) = sideband_app(Script::new(steps), |_| {}).await;
    ring(&s, "h1").await;
    let hangups = s.openai.wait_for("hangup", 1, WAIT).await;
    assert_eq!(hangups.len(), 1, "{:?}", s.openai.requests());
    assert_eq!(hangups[0].id, "rtc_h1");
    let log = wait_for_call_end(&s.app, "rtc_h1").await;
    assert_eq!(log["outcome"], "enquiry");
    assert!(log["answered_at"].is_string());
    let ai_lines: Vec<String> = log["transcript"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["speaker"] == "ai")
        .map(|l| l["text"].as_str().unwrap().to_string())
        .collect();
    assert!(
        ai_lines.iter().any(|t| t.contains("اللہ حافظ")),
        "{ai_lines:?}"
    );
    assert!(s.openai.requests_of("refer").is_empty());
    rt.sideband_sessions("rtc_h1")[0]
        .wait_closed(WAIT)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_sideband_that_drops_mid_call_is_re_attached_and_the_order_placed_exactly_once() {
    let order = json!({
        "items": [{"item_id": "chicken-tikka", "size_id": "large", "quantity": 1}],
        "address": ADDRESS, "customer_name": "Ali", "payment": {"method": "cash"},
        "callback_confirmed": true
    });
    let mut steps = greeting_steps();
    steps.extend([
        Step::CallerSays("ایک بڑا چکن تکہ".into()),
        Step::call("update_order", order),
        Step::CallerSays("جی ہاں".into()),
        // The model asks to place the order and the sideband drops at that moment: the
        // tool may or may not have run.
        Step::call_and_forget("confirm_order", json!({"quote_id": "Q1"})),
        Step::DropConnection {
            refuse_reattach: false,
        },
        // Re-attached: the AI is told tools may have been lost, and asks again.
        Step::wait_for("conversation.item.create"),
        Step::call("confirm_order", json!({"quote_id": "Q1"})),
        Step::say("شکریہ! آپ کا آرڈر لگ گیا ہے۔", 0),
        Step::call_and_forget("end_call", json!({"outcome": "ordered"})),
    ]);
    let (s, rt) = sideband_app(Script::new(steps), |_| {}).await;
    ring(&s, "d1").await;
    let hangups = s
        .openai
        .wait_for("hangup", 1, Duration::from_secs(20))
        .await;
    assert_eq!(hangups.len(), 1, "{:?}", s.openai.requests());
    let sessions = rt.sideband_sessions("rtc_d1");
    assert_eq!(sessions.len(), 2, "one re-attach");
    sessions[1].script_finished(WAIT).await.unwrap();
    let notice = sessions[1]
        .received()
        .into_iter()
        .find(|e| e["type"] == "conversation.item.create")
        .unwrap();
    assert_eq!(notice["item"]["role"], "system");
    assert!(
        notice["item"]["content"][0]["text"]
            .as_str()
            .unwrap()
            .contains("call that tool again"),
        "{notice}"
    );
    let placed: Value =
        serde_json::from_str(&outputs_of(&sessions[1], "confirm_order")[0]).unwrap();
    assert!(placed["order_number"].is_number(), "{placed}");
    let orders = json_with(s.app.api.get("/api/orders").await.unwrap(), 200).await;
    let orders = orders.as_array().unwrap();
    assert_eq!(orders.len(), 1, "exactly one order: {orders:?}");
    assert_eq!(orders[0]["number"], placed["order_number"]);
    let log = wait_for_call_end(&s.app, "rtc_d1").await;
    assert_eq!(log["outcome"], "ordered");
    assert!(
        rt.schema_violations().is_empty(),
        "{:?}",
        rt.schema_violations()
    );
}

#[tokio::test]
async fn a_sideband_that_cannot_re_attach_sends_the_caller_to_the_shops_phone() {
    let mut steps = greeting_steps();
    steps.push(Step::DropConnection {
        refuse_reattach: true,
    });
    let (s, rt) = sideband_app(Script::new(steps), |c| {
        c.phone.timeouts.ai_connect = Duration::from_millis(500);
    })
    .await;
    let started = Instant::now();
    ring(&s, "x1").await;
    let refers = s.openai.wait_for("refer", 1, WAIT).await;
    assert_eq!(refers.len(), 1, "{:?}", s.openai.requests());
    assert_eq!(refers[0].id, "rtc_x1");
    assert_eq!(refers[0].body["target_uri"], "tel:+924235761234");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert!(rt.attempts() >= 2, "it tried to re-attach");
    assert_eq!(rt.sideband_sessions("rtc_x1").len(), 1);
    let log = wait_for_call_end(&s.app, "rtc_x1").await;
    assert_eq!(log["outcome"], "transferred");
    assert_eq!(log["outcome_reason_code"], "ai_failed");
    assert!(s.openai.requests_of("hangup").is_empty());
}

// ---- The sip-live sideband (`/v1/live/sessions/{id}/attach`) through real sockets --------

/// A `sip-live` server whose sideband reaches a scripted fake GPT-Live sideband that
/// schema-checks every client event.
async fn live_app(
    script: LiveSidebandScript,
    tweak: impl FnOnce(&mut kitchen_server::Config),
) -> (Sip, FakeLiveSideband) {
    let live = FakeLiveSideband::start(script, Some(live_sip::check_client_event))
        .await
        .unwrap();
    let url = live.url();
    let s = sip_app(VoiceEngine::SipLive, |c| {
        c.phone.openai_live_url = url;
        tweak(c);
    })
    .await;
    (s, live)
}

async fn ring_live(s: &Sip, tag: &str) {
    let (live, _) = incoming_pair(tag, CALLER, now());
    let status = send_webhook(&s.url, SECRET, &format!("wh_{tag}"), now(), &live)
        .await
        .unwrap();
    assert_eq!(status, 200);
}

/// Every accept body the fake received is valid against the SDK's accept schema.
fn assert_valid_accepts(s: &Sip) {
    let accepts = s.openai.requests_of("accept");
    assert!(!accepts.is_empty());
    for a in accepts {
        let v = live_sip::accept_body_violations(&a.body);
        assert!(v.is_empty(), "{v:?}");
    }
}

#[tokio::test]
async fn a_scripted_order_over_the_live_sideband_lands_once_and_the_session_minutes_are_costed() {
    let script = LiveSidebandScript::urdu_pizza_order("chicken-tikka", "large", 2, ADDRESS);
    let (s, live) = live_app(script, |_| {}).await;
    ring_live(&s, "lo1").await;
    let hangups = s
        .openai
        .wait_for("hangup", 1, Duration::from_secs(20))
        .await;
    assert_eq!(hangups.len(), 1, "{:?}", s.openai.requests());
    assert_eq!(
        (hangups[0].api.as_str(), hangups[0].id.as_str()),
        ("live/sessions", "live_lo1")
    );
    assert_valid_accepts(&s);
    let body = &s.openai.requests_of("accept")[0].body["session"];
    // Split prompts: a short voice persona, the business rules with the tools.
    let persona = body["instructions"].as_str().unwrap();
    for policy in [
        "# Backchannel policy",
        "# Interruption policy",
        "# Delegation policy",
    ] {
        assert!(persona.contains(policy), "{persona}");
    }
    assert!(
        !persona.contains("Chicken Tikka"),
        "the menu is the backend's"
    );
    let backend = &body["delegation"]["responses"];
    assert_eq!(backend["model"], "gpt-5-mini");
    assert!(
        backend["instructions"]
            .as_str()
            .unwrap()
            .contains("Chicken Tikka")
    );
    assert_eq!(backend["parallel_tool_calls"], false);

    live.script_finished("live_lo1", 0, WAIT).await.unwrap();
    let attach = &live.attaches_to("live_lo1")[0];
    assert_eq!(attach.authorization.as_deref(), Some("Bearer sk-test-key"));
    assert!(live.violations().is_empty(), "{:?}", live.violations());
    // Each backend response's result, then one response.create for it; never a
    // response.create with no result before it.
    let kinds: Vec<&str> = attach
        .received
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    let creates = kinds.iter().filter(|k| **k == "response.create").count();
    assert_eq!(creates, 4, "{kinds:?}");
    for (i, k) in kinds.iter().enumerate() {
        if *k == "response.create" {
            assert_eq!(kinds[i - 1], "response.item.create", "{kinds:?}");
        }
    }
    let drafts = live_outputs(attach, "update_order");
    let first: Value = serde_json::from_str(&drafts[0]).unwrap();
    assert_eq!(first["missing"], json!(["callback_confirmation"]));
    assert_eq!(first["callback_number"], "0300 1234567");
    let placed: Value = serde_json::from_str(&live_outputs(attach, "confirm_order")[0]).unwrap();

    let orders = json_with(s.app.api.get("/api/orders").await.unwrap(), 200).await;
    let orders = orders.as_array().unwrap();
    assert_eq!(orders.len(), 1);
    assert_eq!(orders[0]["customer_phone"], CALLER);
    assert_eq!(orders[0]["call_sid"], "live_lo1");
    assert_eq!(orders[0]["number"], placed["order_number"]);
    let log = wait_for_call_end(&s.app, "live_lo1").await;
    assert_eq!(log["outcome"], "ordered");
    assert!(log["answered_at"].is_string());
    // 42 s of GPT-Live at $0.05 a minute (14 rupees): 9.8 rupees = 980 paisa.
    assert_eq!(log["ai_cost_paisa"], 980, "{log}");
    let lines: Vec<(String, String)> = log["transcript"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["speaker"].as_str().unwrap().to_string(),
                l["text"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        lines.iter().any(|(s, t)| s == "caller" && t == "جی ہاں"),
        "{lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|(s, t)| s == "ai" && t.contains("اللہ حافظ")),
        "{lines:?}"
    );
}

#[tokio::test]
async fn transfer_over_the_live_sideband_refers_the_call_to_the_shops_phone() {
    let script = LiveSidebandScript::new(vec![
        LiveStep::CallerSays("مالک سے بات کرائیں".into()),
        LiveStep::call_and_forget(
            "transfer_to_human",
            json!({"reason": "caller_asked", "summary": "wants the owner"}),
        ),
        LiveStep::AiSays("ایک لمحہ، میں آپ کو دکان پر ملاتا ہوں۔".into()),
    ]);
    let (s, live) = live_app(script, |_| {}).await;
    ring_live(&s, "lt1").await;
    let refers = s.openai.wait_for("refer", 1, WAIT).await;
    assert_eq!(refers.len(), 1, "{:?}", s.openai.requests());
    assert_eq!(refers[0].api, "live/sessions");
    assert_eq!(refers[0].body["target_uri"], "tel:+924235761234");
    let log = wait_for_call_end(&s.app, "live_lt1").await;
    assert_eq!(log["outcome"], "transferred");
    assert!(s.openai.requests_of("hangup").is_empty());
    assert!(live.violations().is_empty(), "{:?}", live.violations());
    assert_valid_accepts(&s);
}

#[tokio::test]
async fn end_call_over_the_live_sideband_hangs_up_after_the_goodbye() {
    let script = LiveSidebandScript::new(vec![
        LiveStep::CallerSays("آپ کب تک کھلے ہیں؟".into()),
        LiveStep::AiSays("رات بارہ بجے تک۔".into()),
        LiveStep::call_and_forget("end_call", json!({"outcome": "enquiry"})),
        LiveStep::AiSays("اللہ حافظ!".into()),
    ]);
    let (s, live) = live_app(script, |_| {}).await;
    ring_live(&s, "lh1").await;
    let hangups = s.openai.wait_for("hangup", 1, WAIT).await;
    assert_eq!(hangups.len(), 1, "{:?}", s.openai.requests());
    assert_eq!(hangups[0].id, "live_lh1");
    let log = wait_for_call_end(&s.app, "live_lh1").await;
    assert_eq!(log["outcome"], "enquiry");
    let said: Vec<&str> = log["transcript"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["text"].as_str().unwrap())
        .collect();
    assert!(
        said.contains(&"اللہ حافظ!"),
        "the goodbye is heard first: {said:?}"
    );
    assert!(live.violations().is_empty(), "{:?}", live.violations());
}

#[tokio::test]
async fn a_live_sideband_that_drops_is_re_attached_and_the_order_placed_exactly_once() {
    let order = json!({
        "items": [{"item_id": "chicken-tikka", "size_id": "large", "quantity": 1}],
        "address": ADDRESS, "customer_name": "Ali", "payment": {"method": "cash"},
        "callback_confirmed": true
    });
    let script = LiveSidebandScript::new(vec![
        LiveStep::call("update_order", order),
        LiveStep::call_and_forget("confirm_order", json!({"quote_id": "Q1"})),
        LiveStep::Drop {
            refuse_reattach: false,
        },
        LiveStep::WaitFor("session.thinking.append".into()),
        LiveStep::call("confirm_order", json!({"quote_id": "Q1"})),
        LiveStep::call_and_forget("end_call", json!({"outcome": "ordered"})),
    ]);
    let (s, live) = live_app(script, |_| {}).await;
    ring_live(&s, "ld1").await;
    let hangups = s
        .openai
        .wait_for("hangup", 1, Duration::from_secs(20))
        .await;
    assert_eq!(hangups.len(), 1, "{:?}", s.openai.requests());
    let attaches = live.attaches_to("live_ld1");
    assert_eq!(attaches.len(), 2, "one re-attach");
    live.script_finished("live_ld1", 1, WAIT).await.unwrap();
    let placed: Value =
        serde_json::from_str(&live_outputs(&attaches[1], "confirm_order")[0]).unwrap();
    let orders = json_with(s.app.api.get("/api/orders").await.unwrap(), 200).await;
    let orders = orders.as_array().unwrap();
    assert_eq!(orders.len(), 1, "exactly one order: {orders:?}");
    assert_eq!(orders[0]["number"], placed["order_number"]);
    let log = wait_for_call_end(&s.app, "live_ld1").await;
    assert_eq!(log["outcome"], "ordered");
    assert!(live.violations().is_empty(), "{:?}", live.violations());
}

#[tokio::test]
async fn a_live_sideband_that_cannot_re_attach_sends_the_caller_to_the_shops_phone() {
    let script = LiveSidebandScript::new(vec![LiveStep::Drop {
        refuse_reattach: true,
    }]);
    let (s, _live) = live_app(script, |c| {
        c.phone.timeouts.ai_connect = Duration::from_millis(500);
    })
    .await;
    ring_live(&s, "lx1").await;
    let refers = s.openai.wait_for("refer", 1, WAIT).await;
    assert_eq!(refers.len(), 1, "{:?}", s.openai.requests());
    assert_eq!(refers[0].id, "live_lx1");
    let log = wait_for_call_end(&s.app, "live_lx1").await;
    assert_eq!(log["outcome"], "transferred");
    assert_eq!(log["outcome_reason_code"], "ai_failed");
}
