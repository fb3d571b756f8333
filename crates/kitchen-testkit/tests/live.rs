//! The schema-checking fake GPT-Live server, driven by a raw WebSocket client: it refuses
//! events before `session.start`, plays its script (speech, transcripts, a delegated
//! function call that waits for its output and `response.create`), answers `session.close`
//! with `session.closed`, and lists schema violations.
#![allow(clippy::unwrap_used)]

use futures_util::{SinkExt, StreamExt};
use kitchen_testkit::{FakeLive, LiveScript, LiveStep, OutputPace};
use serde_json::{Value, json};
use std::time::Duration;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn connect(url: &str) -> Ws {
    let mut req = url.into_client_request().unwrap();
    req.headers_mut()
        .insert("authorization", "Bearer sk-test".parse().unwrap());
    tokio_tungstenite::connect_async(req).await.unwrap().0
}

async fn send(ws: &mut Ws, v: Value) {
    ws.send(Message::text(v.to_string())).await.unwrap();
}

async fn next_of(ws: &mut Ws, kind: &str) -> Value {
    tokio::time::timeout(Duration::from_secs(5), async {
        while let Some(Ok(Message::Text(t))) = ws.next().await {
            let v: Value = serde_json::from_str(&t).unwrap();
            if v["type"] == kind {
                return v;
            }
        }
        panic!("socket ended before {kind}");
    })
    .await
    .unwrap_or_else(|_| panic!("no {kind} within 5 s"))
}

fn start() -> Value {
    json!({"type": "session.start", "session": {"model": "gpt-live-1.1",
        "audio": {"format": {"type": "audio/pcmu", "rate": 8000}},
        "delegation": {"type": "responses", "responses": {"model": "gpt-5-mini"}}}})
}

#[tokio::test]
async fn a_scripted_session_speaks_delegates_and_closes_on_request() {
    let script = LiveScript::new(vec![
        LiveStep::say("سلام", 800),
        LiveStep::call("update_order", json!({"items": []})),
        LiveStep::Usage,
    ])
    .with_pace(OutputPace::Burst);
    let fake = FakeLive::start(script).await.unwrap();
    let mut ws = connect(&fake.url()).await;
    send(&mut ws, json!({"type": "response.create"})).await;
    let refused = next_of(&mut ws, "error").await;
    assert_eq!(refused["error"]["code"], "session_not_started");
    send(&mut ws, start()).await;
    let started = next_of(&mut ws, "session.started").await;
    assert_eq!(started["session"]["model"], "gpt-live-1.1");
    let audio = next_of(&mut ws, "session.output_audio.delta").await;
    assert!(audio["delta"].as_str().is_some_and(|d| !d.is_empty()));
    let call = next_of(&mut ws, "response.event").await;
    let call_id = call["event"]["item"]["call_id"]
        .as_str()
        .unwrap()
        .to_owned();
    send(
        &mut ws,
        json!({"type": "response.item.create",
            "item": {"type": "function_call_output", "call_id": call_id, "output": "{}"}}),
    )
    .await;
    send(&mut ws, json!({"type": "response.create"})).await;
    let usage = next_of(&mut ws, "session.usage.updated").await;
    assert!(usage["usage"]["seconds"].is_number());
    send(&mut ws, json!({"type": "session.close"})).await;
    let closed = next_of(&mut ws, "session.closed").await;
    assert_eq!(closed["reason"], "close_requested");
    let session = fake.first_session(Duration::from_secs(1)).await.unwrap();
    assert_eq!(session.script_result(), Some(Ok(())));
    // The one violation: the event sent before session.start.
    let violations = fake.violations();
    assert_eq!(violations.len(), 1, "{violations:#?}");
    assert!(
        violations[0].contains("before session.start"),
        "{violations:#?}"
    );
}

#[tokio::test]
async fn a_client_event_off_the_schema_is_listed_and_answered_with_an_error() {
    let fake = FakeLive::start(LiveScript::new(vec![])).await.unwrap();
    let mut ws = connect(&fake.url()).await;
    send(&mut ws, start()).await;
    next_of(&mut ws, "session.started").await;
    send(&mut ws, json!({"type": "session.instructions.append"})).await;
    let error = next_of(&mut ws, "error").await;
    assert_eq!(error["error"]["code"], "invalid_value");
    let violations = fake.violations();
    assert!(
        violations
            .iter()
            .any(|v| v.contains("session.instructions.append")),
        "{violations:#?}"
    );
}

#[tokio::test]
async fn real_time_pace_spreads_speech_over_its_duration_and_a_burst_does_not() {
    for (pace, slow) in [(OutputPace::RealTime, true), (OutputPace::Burst, false)] {
        // 400 ms of speech: 20 deltas.
        let script = LiveScript::new(vec![LiveStep::say("جی", 3_200)]).with_pace(pace);
        let fake = FakeLive::start(script).await.unwrap();
        let mut ws = connect(&fake.url()).await;
        send(&mut ws, start()).await;
        let session = fake.first_session(Duration::from_secs(1)).await.unwrap();
        session
            .wait_until("the script", Duration::from_secs(5), |s| s.script_result())
            .await
            .unwrap()
            .unwrap();
        let span = session.audio_send_span_ms();
        assert_eq!(span >= 300, slow, "{pace:?}: {span} ms");
    }
}
