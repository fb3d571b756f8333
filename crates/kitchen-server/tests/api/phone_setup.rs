//! The Phone page's API through real sockets: the app's own tunnel (a local fake of
//! ngrok's service whose edge is a real TCP port), pausing AI answering, "Connect my
//! number" against the fake Twilio REST API (the number's voice URL and its Studio
//! fallback flow), and "Check setup" against the fake OpenAI Realtime and Twilio REST APIs.

use crate::helpers::*;
use kitchen_server::Secret;
use kitchen_testkit::FakeNgrok;
use kitchen_testkit::realtime::{Behaviour, FakeRealtime};
use kitchen_testkit::twilio_caller::{FakeCaller, PlaybackSpeed};
use kitchen_testkit::twilio_rest::{FakeTwilioRest, RequestKind};
use serde_json::{Value, json};
use std::time::Duration;

const ACCOUNT: &str = "AC0123456789abcdef0123456789abcdef";
const TOKEN: &str = "twilio-test-auth-token";
const NGROK_TOKEN: &str = "2abcNgrokAgentToken_0123456789";
const PUBLIC: &str = "https://shop.example.com";
const NUMBER: &str = "+924235550123";
const SHOP_PHONE: &str = "+924235761234";
const CALLER: &str = "+923001234567";
const WAIT: Duration = Duration::from_secs(10);

struct Fakes {
    rt: FakeRealtime,
    rest: FakeTwilioRest,
}

async fn fakes(behaviour: Behaviour) -> Fakes {
    let rest = FakeTwilioRest::start(ACCOUNT, TOKEN).await.unwrap();
    rest.add_number(NUMBER);
    Fakes {
        rt: FakeRealtime::start(behaviour).await.unwrap(),
        rest,
    }
}

/// A fully set-up shop (PUBLIC_BASE_URL mode) over the fakes; `tweak` takes parts away.
async fn shop(f: &Fakes, tweak: impl FnOnce(&mut kitchen_server::Config)) -> TestApp {
    let (rt_url, rest_url) = (f.rt.url(), f.rest.base_url());
    let studio_url = f.rest.studio_base_url();
    spawn_with(tempfile::tempdir().unwrap(), |c| {
        c.phone.public_base_url = Some(PUBLIC.into());
        c.settings.twilio_auth_token = Some(Secret::new(TOKEN));
        c.settings.twilio_account_sid = Some(crate::helpers::sid(ACCOUNT));
        c.settings.twilio_phone_number = Some(crate::helpers::e164(NUMBER));
        c.phone.twilio_api_base = rest_url;
        c.phone.twilio_studio_base = studio_url;
        c.settings.openai_api_key = Some(Secret::new("sk-test-key"));
        c.phone.openai_realtime_url = rt_url;
        c.settings.shop_phone = Some(crate::helpers::e164(SHOP_PHONE));
        tweak(c);
    })
    .await
}

async fn phone(app: &TestApp) -> Value {
    json_with(app.api.get("/api/phone").await.unwrap(), 200).await
}

/// `/api/phone` once it matches `pred`, read again after each change of the tunnel's state
/// (the change is marked seen before each read, so none is missed).
async fn phone_when(app: &TestApp, pred: impl Fn(&Value) -> bool) -> Value {
    let mut tunnel = app.state.tunnel.subscribe();
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        tunnel.borrow_and_update();
        let p = phone(app).await;
        if pred(&p) {
            return p;
        }
        tokio::time::timeout_at(deadline, tunnel.changed())
            .await
            .unwrap_or_else(|_| panic!("never matched: {p}"))
            .expect("the tunnel's status channel closed");
    }
}

#[tokio::test]
async fn the_tunnel_serves_only_the_public_router_and_its_url_becomes_the_public_base() {
    let f = fakes(Behaviour::Accept).await;
    let ngrok = FakeNgrok::start(NGROK_TOKEN).await.unwrap();
    let (rt_url, rest_url) = (f.rt.url(), f.rest.base_url());
    let studio_url = f.rest.studio_base_url();
    let connector = ngrok.connector();
    let app = spawn_prepared(
        tempfile::tempdir().unwrap(),
        |c| {
            c.settings.twilio_auth_token = Some(Secret::new(TOKEN));
            c.settings.twilio_account_sid = Some(crate::helpers::sid(ACCOUNT));
            c.settings.twilio_phone_number = Some(crate::helpers::e164(NUMBER));
            c.phone.twilio_api_base = rest_url;
            c.phone.twilio_studio_base = studio_url;
            c.settings.openai_api_key = Some(Secret::new("sk-test-key"));
            c.phone.openai_realtime_url = rt_url;
            c.settings.ngrok_authtoken = Some(Secret::new(NGROK_TOKEN));
            c.settings.ngrok_domain = Some(crate::helpers::domain("melt8-gulberg.ngrok.app"));
        },
        |a| a.set_tunnel_connector(connector),
    )
    .await;
    let p = phone_when(&app, |p| p["tunnel"]["state"] == "online").await;
    let url = "https://melt8-gulberg.ngrok.app";
    assert_eq!(p["tunnel"]["url"], url);
    assert_eq!(p["public_base_url"], url);
    assert_eq!(p["incoming_call_url"], format!("{url}/incoming-call"));
    assert_eq!(p["connected"], false);
    let attempt = &ngrok.attempts()[0];
    assert!(attempt.token_ok);
    assert_eq!(attempt.domain.as_deref(), Some("melt8-gulberg.ngrok.app"));
    assert_eq!(
        format!("http://{}", attempt.forward_to),
        app.public,
        "the tunnel forwards to the public router"
    );
    let health = json_with(app.api.get("/health").await.unwrap(), 200).await;
    assert_eq!(health["tunnel"]["state"], "online");
    assert_eq!(health["tunnel"]["url"], url);
    assert!(!health.to_string().contains(NGROK_TOKEN));

    // Through the tunnel: the kitchen API, the dashboard and /health do not exist.
    let http = reqwest::Client::new();
    for path in ["/api/orders", "/health", "/chef-dashboard", "/api/login"] {
        let res = http
            .get(format!("{}{path}", ngrok.edge_url()))
            .basic_auth(USER, Some(PASSWORD))
            .send()
            .await
            .unwrap();
        assert_eq!(
            res.status(),
            404,
            "{path} must not be reachable through the tunnel"
        );
    }

    // A call through the tunnel, signed for the tunnel's URL: the stream comes back to it.
    let caller = FakeCaller::new(&ngrok.edge_url(), url, TOKEN)
        .with_account_sid(ACCOUNT)
        .with_playback(PlaybackSpeed::Instant);
    let call = caller.place_call(CALLER, NUMBER).await.unwrap();
    assert_eq!(call.status, 200, "{}", call.twiml);
    assert_eq!(
        call.stream_url.as_deref(),
        Some("wss://melt8-gulberg.ngrok.app/media-stream")
    );
    let stream = caller.connect_stream(&call).await.unwrap();
    f.rt.next_session(WAIT).await.unwrap();
    drop(stream);
    // Signed for the old PUBLIC_BASE_URL-style address instead: refused.
    let wrong = FakeCaller::new(&ngrok.edge_url(), PUBLIC, TOKEN);
    assert_eq!(wrong.place_call(CALLER, NUMBER).await.unwrap().status, 403);

    // "Connect my number" points the number at the tunnel.
    let done = json_with(
        app.api
            .post_json("/api/phone/connect", &json!({}))
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(done["voice_url"], format!("{url}/incoming-call"));
    let number = f.rest.number(NUMBER).unwrap();
    assert_eq!(
        number.voice_url.as_deref(),
        Some(&*format!("{url}/incoming-call"))
    );
    assert_eq!(
        number.status_callback.as_deref(),
        Some(&*format!("{url}/twilio/status"))
    );
    assert_eq!(phone(&app).await["connected"], true);

    // ngrok drops the session: the public URL goes away, then comes back.
    let mut events = app.api.events().await.unwrap();
    events.expect("hello", WAIT).await.unwrap();
    ngrok.drop_session();
    let changed = events.expect("tunnel.changed", WAIT).await.unwrap();
    assert_ne!(changed["tunnel"]["state"], "online", "{changed}");
    phone_when(&app, |p| p["tunnel"]["state"] == "online").await;
    assert_eq!(ngrok.sessions(), 2);
}

#[tokio::test]
async fn a_refused_ngrok_token_shows_plainly_and_public_base_url_mode_is_unchanged() {
    let f = fakes(Behaviour::Accept).await;
    let ngrok = FakeNgrok::start(NGROK_TOKEN).await.unwrap();
    let connector = ngrok.connector();
    let (rt_url, rest_url) = (f.rt.url(), f.rest.base_url());
    let studio_url = f.rest.studio_base_url();
    let app = spawn_prepared(
        tempfile::tempdir().unwrap(),
        |c| {
            c.settings.twilio_auth_token = Some(Secret::new(TOKEN));
            c.phone.twilio_api_base = rest_url;
            c.phone.twilio_studio_base = studio_url;
            c.settings.openai_api_key = Some(Secret::new("sk-test-key"));
            c.phone.openai_realtime_url = rt_url;
            c.settings.ngrok_authtoken = Some(Secret::new("not-the-token"));
        },
        |a| a.set_tunnel_connector(connector),
    )
    .await;
    let p = phone_when(&app, |p| p["tunnel"]["state"] == "failed").await;
    assert!(
        p["tunnel"]["message"]
            .as_str()
            .unwrap()
            .contains("copy it again from dashboard.ngrok.com"),
        "{p}"
    );
    assert!(p["tunnel"]["retry_in_secs"].as_u64().unwrap() >= 1);
    assert_eq!(p["public_base_url"], Value::Null);
    let msg = error_with(
        app.api
            .post_json("/api/phone/connect", &json!({}))
            .await
            .unwrap(),
        409,
        "no_public_url",
    )
    .await;
    assert!(
        msg.contains("copy it again from dashboard.ngrok.com"),
        "{msg}"
    );

    // The right token saved from the dashboard re-opens the tunnel at once, on the domain.
    json_with(
        app.api
            .put_json(
                "/api/settings",
                &json!({"ngrok_authtoken": NGROK_TOKEN, "ngrok_domain": "melt8-dha.ngrok.app"}),
            )
            .await
            .unwrap(),
        200,
    )
    .await;
    let p = phone_when(&app, |p| p["tunnel"]["state"] == "online").await;
    assert_eq!(p["public_base_url"], "https://melt8-dha.ngrok.app");
    let last = ngrok.attempts().last().cloned().unwrap();
    assert!(last.token_ok);
    assert_eq!(last.domain.as_deref(), Some("melt8-dha.ngrok.app"));

    // Without a token: PUBLIC_BASE_URL as before, tunnel off.
    let plain = shop(&f, |_| {}).await;
    let p = phone(&plain).await;
    assert_eq!(p["tunnel"]["state"], "off");
    assert_eq!(p["public_base_url"], PUBLIC);
    let caller = FakeCaller::new(&plain.public, PUBLIC, TOKEN);
    let call = caller.place_call(CALLER, NUMBER).await.unwrap();
    assert_eq!(
        call.stream_url.as_deref(),
        Some("wss://shop.example.com/media-stream")
    );
}

#[tokio::test]
async fn paused_answering_sends_calls_to_the_shop_without_the_ai_and_survives_a_restart() {
    let f = fakes(Behaviour::Accept).await;
    let app = shop(&f, |_| {}).await;
    assert_eq!(phone(&app).await["answering_paused"], false);
    let mut events = app.api.events().await.unwrap();
    events.expect("hello", WAIT).await.unwrap();

    let p = json_with(
        app.api
            .put_json("/api/phone/answering", &json!({"paused": true}))
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(p["answering_paused"], true);
    let ev = events.expect("answering.changed", WAIT).await.unwrap();
    assert_eq!(ev["paused"], true);
    let health = json_with(app.api.get("/health").await.unwrap(), 200).await;
    assert_eq!(health["phone"]["answering_paused"], true);

    let caller = FakeCaller::new(&app.public, PUBLIC, TOKEN).with_account_sid(ACCOUNT);
    let call = caller.place_call(CALLER, NUMBER).await.unwrap();
    assert_eq!(call.status, 200);
    assert_eq!(call.stream_url, None, "{}", call.twiml);
    assert_eq!(call.dial.as_deref(), Some(SHOP_PHONE));
    assert_eq!(f.rt.attempts(), 0, "no AI connection while paused");
    let logged = events.expect("call.ended", WAIT).await.unwrap();
    assert_eq!(logged["call"]["outcome"], "transferred");

    // Bad bodies are refused plainly.
    for bad in [
        json!({}),
        json!({"paused": "yes"}),
        json!({"paused": true, "x": 1}),
    ] {
        let res = app
            .api
            .put_json("/api/phone/answering", &bad)
            .await
            .unwrap();
        assert_eq!(res.status(), 422, "{bad}");
    }

    // A restart keeps the pause.
    let dir = app.stop().await;
    let (rt_url, rest_url) = (f.rt.url(), f.rest.base_url());
    let studio_url = f.rest.studio_base_url();
    let again = spawn_with(dir, |c| {
        c.phone.public_base_url = Some(PUBLIC.into());
        c.settings.twilio_auth_token = Some(Secret::new(TOKEN));
        c.phone.twilio_api_base = rest_url;
        c.phone.twilio_studio_base = studio_url;
        c.settings.openai_api_key = Some(Secret::new("sk-test-key"));
        c.phone.openai_realtime_url = rt_url;
    })
    .await;
    assert_eq!(phone(&again).await["answering_paused"], true);
    // No shop phone here: a paused shop apologises and hangs up, never silence.
    let caller = FakeCaller::new(&again.public, PUBLIC, TOKEN);
    let call = caller.place_call(CALLER, NUMBER).await.unwrap();
    assert_eq!(call.stream_url, None);
    assert!(call.hangup && !call.says.is_empty(), "{}", call.twiml);
    assert_eq!(f.rt.attempts(), 0);

    json_with(
        again
            .api
            .put_json("/api/phone/answering", &json!({"paused": false}))
            .await
            .unwrap(),
        200,
    )
    .await;
    let call = caller.place_call(CALLER, NUMBER).await.unwrap();
    assert!(call.stream_url.is_some(), "{}", call.twiml);
    // The resumed call's AI session is the first and only one this test ever saw: none came
    // for the paused calls, long before it (a whole restart earlier, for the first).
    f.rt.next_session(WAIT).await.unwrap();
    assert_eq!(f.rt.attempts(), 1, "no AI connection while paused");
}

#[tokio::test]
async fn connect_my_number_explains_every_missing_or_wrong_part() {
    let f = fakes(Behaviour::Accept).await;
    let connect = |app: &TestApp| {
        let api = app.api.clone();
        async move {
            api.post_json("/api/phone/connect", &json!({}))
                .await
                .unwrap()
        }
    };

    let app = shop(&f, |c| c.phone.public_base_url = None).await;
    let msg = error_with(connect(&app).await, 409, "no_public_url").await;
    assert!(msg.contains("ngrok authtoken"), "{msg}");

    let app = shop(&f, |c| c.settings.twilio_account_sid = None).await;
    let msg = error_with(connect(&app).await, 409, "missing_twilio_account_sid").await;
    assert!(msg.contains("starts with AC"), "{msg}");

    let app = shop(&f, |c| c.settings.twilio_phone_number = None).await;
    error_with(connect(&app).await, 409, "missing_twilio_number").await;

    let app = shop(&f, |c| c.settings.twilio_auth_token = None).await;
    error_with(connect(&app).await, 409, "missing_twilio_auth_token").await;

    let app = shop(&f, |c| {
        c.settings.twilio_auth_token = Some(Secret::new("wrong-token"))
    })
    .await;
    let msg = error_with(connect(&app).await, 502, "twilio_refused_credentials").await;
    assert!(msg.contains("copy both again"), "{msg}");
    assert!(!msg.contains("wrong-token"));

    let app = shop(&f, |c| {
        c.settings.twilio_phone_number = Some(crate::helpers::e164("+923219876543"))
    })
    .await;
    let msg = error_with(connect(&app).await, 422, "number_not_in_account").await;
    assert!(msg.contains("+923219876543"), "{msg}");
    assert_eq!(
        f.rest.number(NUMBER).unwrap().voice_url,
        None,
        "nothing changed yet"
    );

    let app = shop(&f, |_| {}).await;
    let done = json_with(connect(&app).await, 200).await;
    assert_eq!(done["phone_number"], NUMBER);
    assert!(done["message"].as_str().unwrap().contains(NUMBER));
    let number = f.rest.number(NUMBER).unwrap();
    assert_eq!(
        number.voice_url.as_deref(),
        Some("https://shop.example.com/incoming-call")
    );
    assert_eq!(number.voice_method, "POST");
    let update = f
        .rest
        .requests()
        .into_iter()
        .rfind(|r| r.kind == RequestKind::IncomingNumberUpdate)
        .unwrap();
    assert!(update.authorized);
    assert_eq!(update.field("VoiceMethod"), Some("POST"));
    assert_eq!(
        update.field("StatusCallback"),
        Some("https://shop.example.com/twilio/status")
    );
    assert_eq!(done["code"], "connected");
    let p = phone(&app).await;
    assert_eq!(p["connected"], true);
    assert_eq!(p["twilio_number"], NUMBER);

    // An address Twilio cannot open (plain http on the shop's LAN): connected, and said so.
    let app = shop(&f, |c| {
        c.phone.public_base_url = Some("http://192.168.1.20:8080".into())
    })
    .await;
    let warned = json_with(connect(&app).await, 200).await;
    assert_eq!(warned["code"], "connected_unreachable", "{warned}");
    assert_eq!(warned["params"]["why"], "not_https", "{warned}");
    assert_eq!(
        warned["params"]["voice_url"],
        "http://192.168.1.20:8080/incoming-call"
    );
    let msg = warned["message"].as_str().unwrap();
    assert!(msg.contains("Twilio cannot reach it"), "{msg}");
    assert!(!msg.starts_with("Done"), "{msg}");

    // Twilio unreachable.
    let app = shop(&f, |c| {
        c.phone.twilio_api_base = "http://127.0.0.1:9/2010-04-01".into()
    })
    .await;
    error_with(connect(&app).await, 502, "twilio_unreachable").await;
}

fn part<'a>(checks: &'a Value, name: &str) -> &'a Value {
    checks
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["part"] == name)
        .unwrap_or_else(|| panic!("no {name} in {checks}"))
}

#[tokio::test]
async fn check_setup_reports_each_part_in_plain_words() {
    let good = fakes(Behaviour::Accept).await;
    let app = shop(&good, |_| {}).await;
    let checks = json_with(
        app.api
            .post_json("/api/setup/check", &json!({}))
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(checks.as_array().unwrap().len(), 6, "{checks}");
    for c in checks.as_array().unwrap() {
        // Not connected yet, so the number has no fallback either.
        assert_eq!(c["ok"], c["part"] != "fallback", "{c}");
    }
    assert_eq!(part(&checks, "fallback")["code"], "fallback_missing");
    assert!(
        part(&checks, "openai")["message"]
            .as_str()
            .unwrap()
            .contains("accepted the key")
    );
    assert!(
        part(&checks, "twilio")["message"]
            .as_str()
            .unwrap()
            .contains("Connect my number")
    );
    assert!(
        part(&checks, "public_url")["message"]
            .as_str()
            .unwrap()
            .contains(PUBLIC)
    );
    assert!(
        part(&checks, "shop_phone")["message"]
            .as_str()
            .unwrap()
            .contains(SHOP_PHONE)
    );
    assert_eq!(
        good.rt.attempts(),
        1,
        "the key check opened one Realtime socket"
    );

    let bad = fakes(Behaviour::RejectWith(401)).await;
    let app = shop(&bad, |c| {
        c.settings.twilio_auth_token = Some(Secret::new("wrong-token"));
        c.phone.public_base_url = None;
        c.settings.shop_phone = None;
    })
    .await;
    app.api
        .put_json("/api/phone/answering", &json!({"paused": true}))
        .await
        .unwrap();
    let checks = json_with(
        app.api
            .post_json("/api/setup/check", &json!({}))
            .await
            .unwrap(),
        200,
    )
    .await;
    for c in checks.as_array().unwrap() {
        assert_eq!(c["ok"], false, "{c}");
    }
    let text = |name| part(&checks, name)["message"].as_str().unwrap().to_string();
    assert!(
        text("openai").contains("OpenAI refused the key"),
        "{checks}"
    );
    assert!(text("twilio").contains("Twilio refused"), "{checks}");
    assert!(text("public_url").contains("ngrok authtoken"), "{checks}");
    assert!(text("shop_phone").contains("apology"), "{checks}");
    assert!(text("answering").contains("paused"), "{checks}");
    assert!(!checks.to_string().contains("wrong-token"));
    assert!(!checks.to_string().contains("sk-test-key"));

    // No keys at all, and a number the account does not have.
    let app = shop(&good, |c| {
        c.settings.openai_api_key = None;
        c.settings.twilio_phone_number = Some(crate::helpers::e164("+923219876543"));
    })
    .await;
    let checks = json_with(
        app.api
            .post_json("/api/setup/check", &json!({}))
            .await
            .unwrap(),
        200,
    )
    .await;
    assert!(
        part(&checks, "openai")["message"]
            .as_str()
            .unwrap()
            .contains("No OpenAI key")
    );
    assert!(
        part(&checks, "twilio")["message"]
            .as_str()
            .unwrap()
            .contains("not in this Twilio account")
    );
    // Staff only.
    let res = app
        .anonymous()
        .post_json("/api/setup/check", &json!({}))
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
}

#[tokio::test]
async fn check_setup_says_twilio_cannot_reach_a_plain_http_loopback_or_lan_address() {
    let good = fakes(Behaviour::Accept).await;
    for (address, says) in [
        ("http://shop.example.com", "not https"),
        ("https://127.0.0.1:8080", "loopback"),
        ("https://192.168.1.20:8080", "shop's own network (LAN)"),
    ] {
        let app = shop(&good, |c| c.phone.public_base_url = Some(address.into())).await;
        let checks = json_with(
            app.api
                .post_json("/api/setup/check", &json!({}))
                .await
                .unwrap(),
            200,
        )
        .await;
        let public = part(&checks, "public_url");
        assert_eq!(public["ok"], false, "{address}: {public}");
        let message = public["message"].as_str().unwrap();
        assert!(
            message.contains(&format!("Twilio cannot reach {address}")) && message.contains(says),
            "{message}"
        );
        assert!(message.contains("ngrok"), "says what to do: {message}");
    }
    // The public https address of the other tests stays OK.
    let app = shop(&good, |_| {}).await;
    let checks = json_with(
        app.api
            .post_json("/api/setup/check", &json!({}))
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(part(&checks, "public_url")["ok"], true, "{checks}");
}

/// The body of a refused request, checked for its status and code.
async fn refusal(res: reqwest::Response, status: u16, code: &str) -> Value {
    let body = json_with(res, status).await;
    assert_eq!(body["error"]["code"], code, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty())
    );
    body["error"].clone()
}

#[tokio::test]
async fn phone_messages_come_as_codes_with_params_beside_the_english() {
    let f = fakes(Behaviour::Accept).await;
    let connect = |app: &TestApp| {
        let api = app.api.clone();
        async move {
            api.post_json("/api/phone/connect", &json!({}))
                .await
                .unwrap()
        }
    };
    let check = |app: &TestApp| {
        let api = app.api.clone();
        async move {
            json_with(
                api.post_json("/api/setup/check", &json!({})).await.unwrap(),
                200,
            )
            .await
        }
    };

    // Connect refusals: the code, and the params the dashboard words them with.
    let app = shop(&f, |c| c.phone.public_base_url = None).await;
    let e = refusal(connect(&app).await, 409, "no_public_url").await;
    assert_eq!(e["params"], json!({"reason": "no_tunnel"}), "{e}");
    let app = shop(&f, |c| c.settings.twilio_account_sid = None).await;
    let e = refusal(connect(&app).await, 409, "missing_twilio_account_sid").await;
    assert_eq!(e["params"], json!({}), "params are always there: {e}");
    let app = shop(&f, |c| {
        c.settings.twilio_phone_number = Some(crate::helpers::e164("+923219876543"))
    })
    .await;
    let e = refusal(connect(&app).await, 422, "number_not_in_account").await;
    assert_eq!(e["params"], json!({"number": "+923219876543"}), "{e}");

    // Done: `connected` with the number and the voice URL.
    let app = shop(&f, |_| {}).await;
    let done = json_with(connect(&app).await, 200).await;
    assert_eq!(done["code"], "connected", "{done}");
    assert_eq!(
        done["params"],
        json!({"number": NUMBER, "voice_url": format!("{PUBLIC}/incoming-call"), "fallback": "dial"})
    );
    assert!(done["message"].as_str().unwrap().starts_with("Done"));

    // Check setup: every line has a code and params; the good shop's.
    let checks = check(&app).await;
    let coded = |checks: &Value, name: &str| {
        let c = part(checks, name);
        (
            c["code"]
                .as_str()
                .unwrap_or_else(|| panic!("no code: {c}"))
                .to_string(),
            c["params"].clone(),
        )
    };
    assert_eq!(
        coded(&checks, "openai"),
        (
            "openai_ok".into(),
            json!({"model": app.state.calls.config().openai_model})
        )
    );
    assert_eq!(
        coded(&checks, "twilio"),
        ("twilio_connected".into(), json!({"number": NUMBER}))
    );
    assert_eq!(
        coded(&checks, "public_url"),
        ("own_address_ok".into(), json!({"url": PUBLIC}))
    );
    assert_eq!(
        coded(&checks, "shop_phone"),
        ("shop_phone_set".into(), json!({"phone": SHOP_PHONE}))
    );
    assert_eq!(
        coded(&checks, "answering"),
        ("answering_on".into(), json!({}))
    );
    assert_eq!(
        coded(&checks, "fallback"),
        (
            "fallback_dials_shop".into(),
            json!({"number": NUMBER, "phone": SHOP_PHONE})
        )
    );

    // The bad shop's: each failure coded (a Twilio refusal with the Connect refusal's code).
    let bad = fakes(Behaviour::RejectWith(401)).await;
    let app = shop(&bad, |c| {
        c.settings.twilio_auth_token = Some(Secret::new("wrong-token"));
        c.phone.public_base_url = Some("https://192.168.1.20:8080".into());
        c.settings.shop_phone = None;
    })
    .await;
    app.api
        .put_json("/api/phone/answering", &json!({"paused": true}))
        .await
        .unwrap();
    let checks = check(&app).await;
    assert_eq!(coded(&checks, "openai").0, "openai_refused_key");
    assert_eq!(coded(&checks, "twilio").0, "twilio_refused_credentials");
    assert_eq!(
        coded(&checks, "public_url"),
        (
            "address_unreachable".into(),
            json!({"url": "https://192.168.1.20:8080", "why": "lan"})
        )
    );
    assert_eq!(coded(&checks, "shop_phone").0, "no_shop_phone");
    assert_eq!(coded(&checks, "answering").0, "answering_paused");
    let app = shop(&f, |c| c.settings.openai_api_key = None).await;
    assert_eq!(coded(&check(&app).await, "openai").0, "openai_no_key");
}

#[tokio::test]
async fn a_failed_tunnel_is_coded_on_the_phone_page_check_setup_and_connect() {
    let f = fakes(Behaviour::Accept).await;
    let ngrok = FakeNgrok::start(NGROK_TOKEN).await.unwrap();
    let connector = ngrok.connector();
    let (rt_url, rest_url) = (f.rt.url(), f.rest.base_url());
    let studio_url = f.rest.studio_base_url();
    let app = spawn_prepared(
        tempfile::tempdir().unwrap(),
        |c| {
            c.settings.twilio_auth_token = Some(Secret::new(TOKEN));
            c.phone.twilio_api_base = rest_url;
            c.phone.twilio_studio_base = studio_url;
            c.phone.openai_realtime_url = rt_url;
            c.settings.ngrok_authtoken = Some(Secret::new("not-the-token"));
        },
        |a| a.set_tunnel_connector(connector),
    )
    .await;
    let p = phone_when(&app, |p| p["tunnel"]["state"] == "failed").await;
    assert_eq!(p["tunnel"]["code"], "ngrok_refused_token", "{p}");
    assert_eq!(p["tunnel"]["params"], json!({}), "{p}");
    let checks = json_with(
        app.api
            .post_json("/api/setup/check", &json!({}))
            .await
            .unwrap(),
        200,
    )
    .await;
    let public = part(&checks, "public_url");
    assert_eq!(public["code"], "tunnel_failed", "{public}");
    assert_eq!(public["params"]["tunnel_code"], "ngrok_refused_token");
    let e = refusal(
        app.api
            .post_json("/api/phone/connect", &json!({}))
            .await
            .unwrap(),
        409,
        "no_public_url",
    )
    .await;
    assert_eq!(
        e["params"],
        json!({"reason": "tunnel_failed", "tunnel_code": "ngrok_refused_token"})
    );
}

/// Connect my number, expecting it done.
async fn connect_ok(app: &TestApp) -> Value {
    json_with(
        app.api
            .post_json("/api/phone/connect", &json!({}))
            .await
            .unwrap(),
        200,
    )
    .await
}

/// Check setup's fallback line.
async fn fallback_check(app: &TestApp) -> Value {
    let checks = json_with(
        app.api
            .post_json("/api/setup/check", &json!({}))
            .await
            .unwrap(),
        200,
    )
    .await;
    part(&checks, "fallback").clone()
}

#[tokio::test]
async fn connect_publishes_one_fallback_flow_that_dials_the_shop_and_sets_it_as_the_numbers_fallback()
 {
    let f = fakes(Behaviour::Accept).await;
    let app = shop(&f, |_| {}).await;
    let done = connect_ok(&app).await;
    assert_eq!(done["params"]["fallback"], "dial", "{done}");

    let flows = f.rest.flows();
    assert_eq!(flows.len(), 1, "{flows:?}");
    let flow = &flows[0];
    assert_eq!(flow.status, "published");
    assert_eq!(
        flow.friendly_name,
        format!("Melt 8 Kitchen fallback {NUMBER}")
    );
    let def = &flow.definition;
    assert_eq!(def["initial_state"], "Trigger");
    let trigger = &def["states"][0];
    assert_eq!(trigger["type"], "trigger");
    let next = trigger["transitions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["event"] == "incomingCall")
        .expect("an incomingCall transition")["next"]
        .clone();
    let widget = def["states"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == next)
        .expect("the incomingCall transition names a state");
    assert_eq!(widget["type"], "connect-call-to");
    assert_eq!(widget["properties"]["to"], SHOP_PHONE);

    let number = f.rest.number(NUMBER).unwrap();
    assert_eq!(
        number.voice_fallback_url.as_deref(),
        Some(
            format!(
                "https://webhooks.twilio.com/v1/Accounts/{ACCOUNT}/Flows/{}",
                flow.sid
            )
            .as_str()
        )
    );
    assert_eq!(number.voice_fallback_method, "POST");
    assert_eq!(
        number.voice_url.as_deref(),
        Some("https://shop.example.com/incoming-call"),
        "the voice URL is set alongside"
    );
    assert_eq!(fallback_check(&app).await["code"], "fallback_dials_shop");

    // A second connect updates the same flow: no duplicate.
    connect_ok(&app).await;
    let again = f.rest.flows();
    assert_eq!(again.len(), 1, "{again:?}");
    assert_eq!(again[0].sid, flow.sid);
    assert_eq!(again[0].revision, 2);
    let kinds: Vec<RequestKind> = f
        .rest
        .requests()
        .iter()
        .map(|r| r.kind)
        .filter(|k| {
            matches!(
                k,
                RequestKind::FlowList | RequestKind::FlowCreate | RequestKind::FlowUpdate
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            RequestKind::FlowList,
            RequestKind::FlowCreate,
            RequestKind::FlowList, // Check setup finds the flow
            RequestKind::FlowList,
            RequestKind::FlowUpdate
        ]
    );
    assert!(
        f.rest
            .requests()
            .iter()
            .all(|r| r.authorized && r.status < 300)
    );
}

#[tokio::test]
async fn the_fallback_follows_the_shop_phone_on_the_next_connect_and_check_setup_says_when_it_is_stale()
 {
    let f = fakes(Behaviour::Accept).await;
    let app = shop(&f, |_| {}).await;
    connect_ok(&app).await;
    let saved = app
        .api
        .put_json("/api/settings", &json!({"shop_phone": "+924235769999"}))
        .await
        .unwrap();
    assert_eq!(saved.status(), 200);
    let stale = fallback_check(&app).await;
    assert_eq!(stale["code"], "fallback_outdated", "{stale}");
    assert_eq!(stale["ok"], false);
    connect_ok(&app).await;
    let flows = f.rest.flows();
    assert_eq!(flows.len(), 1);
    assert_eq!(
        flows[0].definition["states"][1]["properties"]["to"],
        "+924235769999"
    );
    let fresh = fallback_check(&app).await;
    assert_eq!(fresh["code"], "fallback_dials_shop", "{fresh}");
    assert_eq!(fresh["params"]["phone"], "+924235769999");

    // With no shop phone the flow apologises in Urdu and ends.
    let app = shop(&f, |c| c.settings.shop_phone = None).await;
    let done = connect_ok(&app).await;
    assert_eq!(done["params"]["fallback"], "message", "{done}");
    let flows = f.rest.flows();
    assert_eq!(flows.len(), 1, "still the one flow of this number");
    let widget = &flows[0].definition["states"][1];
    assert_eq!(widget["type"], "say-play");
    assert!(
        widget["properties"]["say"]
            .as_str()
            .unwrap()
            .contains("معذرت")
    );
    assert_eq!(fallback_check(&app).await["code"], "fallback_message");
}

#[tokio::test]
async fn check_setup_flags_a_missing_or_foreign_fallback() {
    let f = fakes(Behaviour::Accept).await;
    let app = shop(&f, |_| {}).await;
    let missing = fallback_check(&app).await;
    assert_eq!(missing["ok"], false);
    assert_eq!(missing["code"], "fallback_missing");
    assert_eq!(missing["params"], json!({"number": NUMBER}));
    assert!(
        missing["message"]
            .as_str()
            .unwrap()
            .contains("Connect my number"),
        "{missing}"
    );

    connect_ok(&app).await;
    // Someone points the fallback elsewhere in the Twilio console.
    let elsewhere = "https://handler.twilio.com/twiml/EH0123456789abcdef0123456789abcdef";
    assert!(f.rest.set_voice_fallback_url(NUMBER, Some(elsewhere)));
    let foreign = fallback_check(&app).await;
    assert_eq!(foreign["ok"], false);
    assert_eq!(foreign["code"], "fallback_foreign", "{foreign}");
    assert_eq!(foreign["params"]["url"], elsewhere);
    // Cleared there: missing again.
    f.rest.set_voice_fallback_url(NUMBER, Some(""));
    assert_eq!(fallback_check(&app).await["code"], "fallback_missing");
    // Connect puts it back.
    connect_ok(&app).await;
    assert_eq!(fallback_check(&app).await["ok"], true);
    assert_eq!(f.rest.flows().len(), 1);
}

#[tokio::test]
async fn a_studio_failure_refuses_connect_and_leaves_the_number_as_it_was() {
    let f = fakes(Behaviour::Accept).await;
    let app = shop(&f, |c| {
        c.phone.twilio_studio_base = "http://127.0.0.1:9/v2".into()
    })
    .await;
    let res = app
        .api
        .post_json("/api/phone/connect", &json!({}))
        .await
        .unwrap();
    error_with(res, 502, "twilio_unreachable").await;
    let number = f.rest.number(NUMBER).unwrap();
    assert_eq!(number.voice_url, None, "not connected without its fallback");
    assert_eq!(number.voice_fallback_url, None);
}
