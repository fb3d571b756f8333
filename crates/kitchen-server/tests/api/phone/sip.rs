//! SIP calls (engines `sip-realtime`, `sip-live`): a fake OpenAI sends signed incoming-call
//! webhooks to the real server's public router and records the call-control requests.

use super::*;
use kitchen_demo::openai_sip::{FakeOpenAiSip, deliver, incoming_pair, send_webhook, sign_headers};
use kitchen_domain::VoiceEngine;

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
