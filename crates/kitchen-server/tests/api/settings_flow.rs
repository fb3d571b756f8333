//! One owner for the shop's settings: a value saved through the API reaches everything that
//! depends on it through its subscription — the next call's setup, the app's own tunnel,
//! the desktop shell's login start and tray, every dashboard — within a second, with no
//! polling; and the wizard and `PUT /api/settings` judge values by the same rules.

use crate::helpers::{PASSWORD, USER, json_with, spawn_app, spawn_prepared};
use kitchen_desktop::login_start::LoginStart;
use kitchen_desktop::tray::{AiStatus, TrayState};
use kitchen_testkit::FakeNgrok;
use serde_json::{Value, json};
use std::time::Duration;

const NGROK_TOKEN: &str = "2abcNgrokAgentToken_settings_flow";
/// The acceptance bound: a saved setting is in effect everywhere within this.
const WITHIN: Duration = Duration::from_secs(1);

#[tokio::test]
async fn a_setting_saved_through_the_api_reaches_calls_tunnel_desktop_and_dashboards_within_a_second()
 {
    let ngrok = FakeNgrok::start(NGROK_TOKEN).await.unwrap();
    let connector = ngrok.connector();
    let app = spawn_prepared(
        tempfile::tempdir().unwrap(),
        |c| {
            c.settings.setup_done = Some(true);
            c.settings.openai_api_key = Some(kitchen_server::Secret::new("sk-flow"));
        },
        |a| a.set_tunnel_connector(connector),
    )
    .await;
    // The subscriptions the desktop shell holds in-process (src-tauri/src/server.rs).
    let mut settings = app.state.settings.subscribe();
    let mut tray = TrayState::new();
    tray.follow_settings(&settings.borrow_and_update());
    let mut login_start = LoginStart::new();
    assert_eq!(login_start.follow(&settings.borrow()), Some(true));
    assert_eq!(tray.ai(), AiStatus::Answering);
    assert_eq!(app.state.calls.config().shop_name, "Melt 8 Pizza");
    // A dashboard's live stream.
    let mut events = app.api.events().await.unwrap();
    events.expect("hello", WITHIN).await.unwrap();

    let saved_at = tokio::time::Instant::now();
    json_with(
        app.api
            .put_json(
                "/api/settings",
                &json!({"shop_name": "Melt 8 Bahria", "start_at_login": false,
                        "ngrok_authtoken": NGROK_TOKEN}),
            )
            .await
            .unwrap(),
        200,
    )
    .await;

    // The desktop shell: its subscription wakes, login start goes off.
    tokio::time::timeout(WITHIN, settings.changed())
        .await
        .expect("the desktop's subscription woke within a second")
        .unwrap();
    let now = settings.borrow_and_update().clone();
    assert_eq!(login_start.follow(&now), Some(false));
    assert!(
        !tray.follow_settings(&now),
        "nothing the tray shows changed"
    );
    // Every dashboard hears it.
    let changed = events.expect("settings.changed", WITHIN).await.unwrap();
    assert_eq!(changed["settings"]["shop_name"], "Melt 8 Bahria");
    assert_eq!(changed["settings"]["start_at_login"], false);
    assert!(!changed.to_string().contains(NGROK_TOKEN), "{changed}");
    // The next call's setup.
    assert_eq!(app.state.calls.config().shop_name, "Melt 8 Bahria");
    // The tunnel opened with the new token.
    let mut status = app.state.tunnel.subscribe();
    tokio::time::timeout(WITHIN.saturating_sub(saved_at.elapsed()), async {
        while status.borrow_and_update().url().is_none() {
            status.changed().await.unwrap();
        }
    })
    .await
    .expect("the tunnel came online within a second of the save");
    assert_eq!(ngrok.sessions(), 1);
    assert!(app.state.calls.config().public_base_url.is_some());

    // Pausing AI answering (the dashboard's Phone page or the tray) reaches the tray and
    // the call path the same way.
    json_with(
        app.api
            .put_json("/api/phone/answering", &json!({"paused": true}))
            .await
            .unwrap(),
        200,
    )
    .await;
    tokio::time::timeout(WITHIN, settings.changed())
        .await
        .expect("paused within a second")
        .unwrap();
    assert!(tray.follow_settings(&settings.borrow_and_update()));
    assert_eq!(tray.ai(), AiStatus::Paused);
    assert!(app.state.calls.answering_paused());
    assert_eq!(
        login_start.follow(&settings.borrow()),
        None,
        "told once per change"
    );
}

/// The same bad values, sent to the wizard and to `PUT /api/settings`.
fn bad_values() -> Value {
    json!({
        "shop_name": "x".repeat(81),
        "openai_api_key": "pk-not-an-openai-key",
        "twilio_account_sid": "AC123",
        "twilio_auth_token": "not hex at all",
        "twilio_phone_number": "call me",
        "shop_phone": "0300-CALL-NOW",
        "ngrok_domain": "no_dots",
        "ngrok_authtoken": NGROK_TOKEN,
        "openai_model": "gpt realtime",
    })
}

fn problems(body: &Value) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = body["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            assert!(f["params"].is_object(), "{f}");
            (
                f["field"].as_str().unwrap().to_string(),
                f["code"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

#[tokio::test]
async fn the_wizard_and_the_settings_api_give_the_same_field_errors_for_the_same_bad_values() {
    let app = spawn_app().await;
    let mut wizard_answers = bad_values();
    wizard_answers["chef_password"] = json!("");
    let wizard = json_with(
        app.api
            .post_json("/api/setup", &wizard_answers)
            .await
            .unwrap(),
        422,
    )
    .await;
    let settings = json_with(
        app.api
            .put_json("/api/settings", &bad_values())
            .await
            .unwrap(),
        422,
    )
    .await;
    let want: Vec<(String, String)> = [
        ("ngrok_domain", "ngrok_domain_format"),
        ("openai_api_key", "openai_key_format"),
        ("openai_model", "model_format"),
        ("shop_name", "too_long"),
        ("shop_phone", "phone_invalid"),
        ("twilio_account_sid", "twilio_sid_format"),
        ("twilio_auth_token", "has_spaces"),
        ("twilio_phone_number", "phone_invalid"),
    ]
    .iter()
    .map(|(f, c)| (f.to_string(), c.to_string()))
    .collect();
    assert_eq!(problems(&wizard), want, "{wizard}");
    assert_eq!(problems(&settings), want, "{settings}");
    // And the same English sentence beside each field.
    for (w, s) in wizard["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .zip(settings["error"]["fields"].as_array().unwrap())
    {
        if w["field"] == s["field"] {
            assert_eq!(w["message"], s["message"]);
        }
    }
    // Nothing was saved by either.
    let now = json_with(app.api.get("/api/settings").await.unwrap(), 200).await;
    assert_eq!(now["shop_name"], "Melt 8 Pizza");
    assert_eq!(now["openai_api_key_set"], false);
}

#[tokio::test]
async fn running_the_wizard_again_keeps_start_at_login_as_the_owner_left_it() {
    let app = spawn_app().await;
    let answers = json!({
        "shop_name": "Melt 8 Gulberg",
        "chef_password": "",
        "openai_api_key": "sk-wizard-again-1",
        "openai_model": "gpt-realtime-2.1",
        "shop_phone": "0300 1234567",
    });
    json_with(
        app.api.post_json("/api/setup", &answers).await.unwrap(),
        200,
    )
    .await;
    let first = json_with(app.api.get("/api/settings").await.unwrap(), 200).await;
    assert_eq!(
        first["start_at_login"], true,
        "on by default once setup is done"
    );
    json_with(
        app.api
            .put_json("/api/settings", &json!({"start_at_login": false}))
            .await
            .unwrap(),
        200,
    )
    .await;
    // Settings → Setup: the owner runs the wizard again.
    let mut again = answers.clone();
    again["shop_name"] = json!("Melt 8 Gulberg 2");
    again["openai_api_key"] = json!("");
    json_with(app.api.post_json("/api/setup", &again).await.unwrap(), 200).await;
    let after = json_with(app.api.get("/api/settings").await.unwrap(), 200).await;
    assert_eq!(after["shop_name"], "Melt 8 Gulberg 2");
    assert_eq!(after["start_at_login"], false, "{after}");
    assert_eq!(
        after["openai_api_key_set"], true,
        "an empty key keeps the stored one"
    );
    // Still signed in with the unchanged password.
    let c = kitchen_testkit::KitchenClient::new(&app.base).with_basic(USER, PASSWORD);
    json_with(c.get("/api/session").await.unwrap(), 200).await;
}

const WEBHOOK_SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

#[tokio::test]
async fn the_voice_engine_and_its_openai_project_are_settings_shown_on_health_never_the_secret() {
    let dir = tempfile::tempdir().unwrap();
    let app =
        crate::helpers::spawn_with(tempfile::TempDir::new_in(dir.path()).unwrap(), |_| {}).await;
    let health = json_with(app.api.get("/health").await.unwrap(), 200).await;
    assert_eq!(
        health["phone"]["voice_engine"], "realtime-bridge",
        "the default"
    );

    let bad = json_with(
        app.api
            .put_json(
                "/api/settings",
                &json!({"voice_engine": "gpt-live", "openai_project_id": "project 1",
                        "openai_webhook_secret": "secret", "openai_live_model": "gpt live"}),
            )
            .await
            .unwrap(),
        422,
    )
    .await;
    let want: Vec<(String, String)> = [
        ("openai_live_model", "model_format"),
        ("openai_project_id", "openai_project_format"),
        ("openai_webhook_secret", "webhook_secret_format"),
        ("voice_engine", "voice_engine"),
    ]
    .iter()
    .map(|(f, c)| (f.to_string(), c.to_string()))
    .collect();
    assert_eq!(problems(&bad), want);
    let unchanged = json_with(app.api.get("/api/settings").await.unwrap(), 200).await;
    assert_eq!(
        unchanged["voice_engine"], "realtime-bridge",
        "nothing was saved"
    );

    let saved = json_with(
        app.api
            .put_json(
                "/api/settings",
                &json!({"voice_engine": "sip-live", "openai_project_id": "proj_Melt8Gulberg",
                        "openai_webhook_secret": WEBHOOK_SECRET}),
            )
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(saved["voice_engine"], "sip-live");
    assert_eq!(saved["openai_project_id"], "proj_Melt8Gulberg");
    assert_eq!(saved["openai_webhook_secret_set"], true);
    assert_eq!(saved["openai_live_model"], "gpt-live-1.1");
    assert!(!saved.to_string().contains(WEBHOOK_SECRET));

    let cfg = app.state.calls.config();
    assert_eq!(cfg.voice_engine, kitchen_domain::VoiceEngine::SipLive);
    assert_eq!(
        cfg.openai_webhook_secret
            .as_ref()
            .map(|s| s.expose().to_string()),
        Some(WEBHOOK_SECRET.to_string()),
        "the call side has the secret"
    );
    let health = json_with(app.api.get("/health").await.unwrap(), 200).await;
    assert_eq!(health["phone"]["voice_engine"], "sip-live");
    assert_eq!(health["phone"]["openai_webhook_secret_configured"], true);
    assert!(!health.to_string().contains(WEBHOOK_SECRET));

    // The secret is kept in the secret store, never in the database.
    let mut found_in_store = false;
    for entry in walk(dir.path()) {
        let bytes = std::fs::read(&entry).unwrap();
        let has = bytes
            .windows(WEBHOOK_SECRET.len())
            .any(|w| w == WEBHOOK_SECRET.as_bytes());
        if entry.ends_with("secrets.json") {
            found_in_store |= has;
        } else {
            assert!(!has, "the webhook secret is in {}", entry.display());
        }
    }
    assert!(found_in_store, "secrets.json keeps the webhook secret");
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}
