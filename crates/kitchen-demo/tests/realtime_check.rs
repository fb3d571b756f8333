//! The demo's FakeRealtime runs without a schema and checks client events only when a
//! [`ClientEventCheck`] is installed (the test kit installs its JSON Schema check there).

#![allow(clippy::unwrap_used)]

use futures_util::{SinkExt, StreamExt};
use kitchen_demo::{Behaviour, ClientEventCheck, FakeRealtime};
use serde_json::{Value, json};
use std::time::Duration;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

type Client = WebSocketStream<MaybeTlsStream<TcpStream>>;
const T: Duration = Duration::from_secs(5);

async fn connect(fake: &FakeRealtime) -> Client {
    let mut req = format!("{}?model=gpt-realtime-2.1", fake.url())
        .into_client_request()
        .unwrap();
    req.headers_mut()
        .insert("authorization", "Bearer sk-demo".parse().unwrap());
    tokio_tungstenite::connect_async(req).await.unwrap().0
}

/// Connects, waits for `session.created` and sends [`session_update`].
async fn connect_and_update(fake: &FakeRealtime) -> Client {
    let mut ws = connect(fake).await;
    expect(&mut ws, "session.created").await;
    ws.send(Message::text(session_update().to_string()))
        .await
        .unwrap();
    ws
}

/// The next server event of type `kind`, skipping others.
async fn expect(ws: &mut Client, kind: &str) -> Value {
    loop {
        let frame = tokio::time::timeout(T, ws.next())
            .await
            .unwrap_or_else(|_| panic!("no {kind} in time"));
        match frame {
            Some(Ok(Message::Text(t))) => {
                let event: Value = serde_json::from_str(&t).unwrap();
                if event["type"] == kind {
                    return event;
                }
            }
            Some(Ok(_)) => {}
            other => panic!("socket ended before {kind}: {other:?}"),
        }
    }
}

/// A session update the fake's own rules accept (GA-shaped), with a voice the check below
/// refuses.
fn session_update() -> Value {
    json!({"type": "session.update", "session": {"type": "realtime",
        "audio": {"output": {"voice": "not-a-voice"}}}})
}

fn refuse_unknown_voices(event: &Value) -> Result<(), String> {
    match event["session"]["audio"]["output"]["voice"].as_str() {
        Some("not-a-voice") => Err("`not-a-voice` is no voice of this test".into()),
        _ => Ok(()),
    }
}

#[tokio::test]
async fn without_a_check_every_well_formed_event_is_served() {
    let fake = FakeRealtime::start(Behaviour::Accept).await.unwrap();
    let mut ws = connect_and_update(&fake).await;
    let updated = expect(&mut ws, "session.updated").await;
    assert_eq!(
        updated["session"]["audio"]["output"]["voice"],
        "not-a-voice"
    );
    let session = fake.next_session(T).await.unwrap();
    assert_eq!(session.schema_violations(), Vec::<String>::new());
}

#[tokio::test]
async fn an_installed_check_records_and_refuses_what_it_rejects() {
    let check: ClientEventCheck = refuse_unknown_voices;
    let fake = FakeRealtime::start_with(Behaviour::Accept, None, Some(check))
        .await
        .unwrap();
    let mut ws = connect_and_update(&fake).await;
    let error = expect(&mut ws, "error").await;
    assert_eq!(error["error"]["code"], "invalid_value");
    assert_eq!(
        error["error"]["message"],
        "`not-a-voice` is no voice of this test"
    );
    let session = fake.next_session(T).await.unwrap();
    assert_eq!(
        session.schema_violations(),
        ["`not-a-voice` is no voice of this test"]
    );
    // Refused, not applied: the effective session keeps the default voice.
    assert_eq!(
        session.effective_session()["audio"]["output"]["voice"],
        "alloy"
    );
}
