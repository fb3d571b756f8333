//! Scripted FakeRealtime sessions, driven by a tiny relay-like client written here.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use futures_util::{SinkExt, StreamExt};
use kitchen_testkit::{FakeRealtime, Script, Step};
use serde_json::{Value, json};
use std::time::Duration;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

const T: Duration = Duration::from_secs(10);

type Client = WebSocketStream<MaybeTlsStream<TcpStream>>;

async fn send(ws: &mut Client, v: Value) {
    ws.send(Message::text(v.to_string())).await.unwrap();
}

/// Plays the relay: configures the session, answers every spoken response with a second
/// of caller audio and every tool call with an output and `response.create`, and stops at
/// `end_call`. Returns the tool calls it saw as (name, parsed arguments).
async fn relay(url: &str) -> Vec<(String, Value)> {
    let mut req = format!("{url}?model=gpt-realtime-2.1-mini")
        .into_client_request()
        .unwrap();
    req.headers_mut()
        .insert("authorization", "Bearer sk-test".parse().unwrap());
    let (mut ws, _) = tokio_tungstenite::connect_async(req).await.unwrap();
    send(
        &mut ws,
        json!({"type": "session.update", "session": {"type": "realtime",
        "audio": {"input": {"format": {"type": "audio/pcmu"}}}}}),
    )
    .await;
    let mut calls = Vec::new();
    let mut spoke_bytes = 0;
    loop {
        let msg = tokio::time::timeout(T, ws.next())
            .await
            .unwrap()
            .unwrap()
            .unwrap();
        let Message::Text(text) = msg else { continue };
        let ev: Value = serde_json::from_str(&text).unwrap();
        match ev["type"].as_str().unwrap() {
            "response.output_audio.delta" => {
                spoke_bytes += STANDARD
                    .decode(ev["delta"].as_str().unwrap())
                    .unwrap()
                    .len();
            }
            "response.output_audio.done" => {
                // The caller answers: one second of µ-law in 20 ms frames.
                for _ in 0..50 {
                    let audio = STANDARD.encode([0x7Fu8; 160]);
                    send(
                        &mut ws,
                        json!({"type": "input_audio_buffer.append", "audio": audio}),
                    )
                    .await;
                }
            }
            "response.function_call_arguments.done" => {
                let name = ev["name"].as_str().unwrap().to_string();
                let args = serde_json::from_str(ev["arguments"].as_str().unwrap()).unwrap();
                calls.push((name.clone(), args));
                if name == "end_call" {
                    assert!(spoke_bytes > 0, "the script spoke before hanging up");
                    return calls;
                }
                send(
                    &mut ws,
                    json!({"type": "conversation.item.create", "item": {
                    "type": "function_call_output", "call_id": ev["call_id"],
                    "output": json!({"ok": true, "order_id": 42}).to_string()}}),
                )
                .await;
                send(&mut ws, json!({"type": "response.create"})).await;
            }
            _ => {}
        }
    }
}

#[tokio::test]
async fn the_urdu_pizza_order_script_drafts_confirms_its_quote_and_ends_the_call() {
    let script = Script::urdu_pizza_order(
        "chicken-tikka",
        "large",
        2,
        "coca-cola",
        "1.5l",
        "House 12, Street 4, Gulberg III, Lahore",
        "Ali Raza",
    );
    let fake = FakeRealtime::start_scripted(script).await.unwrap();
    let calls = relay(&fake.url()).await;
    let names: Vec<&str> = calls.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["update_order", "confirm_order", "end_call"]);
    let order = &calls[0].1;
    assert_eq!(
        calls[1].1,
        json!({"quote_id": "Q1"}),
        "confirm_order places the first quote, never re-sends the order"
    );
    assert_eq!(order["callback_confirmed"], true);
    assert_eq!(
        order["items"],
        json!([{"item_id": "chicken-tikka", "size_id": "large", "quantity": 2},
               {"item_id": "coca-cola", "size_id": "1.5l", "quantity": 1}])
    );
    assert_eq!(order["customer_name"], "Ali Raza");
    assert_eq!(order["address"], "House 12, Street 4, Gulberg III, Lahore");
    assert_eq!(calls[2].1, json!({"outcome": "ordered"}));

    let session = fake.next_session(T).await.unwrap();
    session.script_finished(T).await.unwrap();
    assert_eq!(session.model().as_deref(), Some("gpt-realtime-2.1-mini"));
    assert_eq!(session.schema_violations(), Vec::<String>::new());
    assert!(session.appended_audio_bytes() >= 1500 * 8);
}

#[tokio::test]
async fn a_script_wait_that_times_out_fails_the_script_with_its_step() {
    let script = Script::new(vec![Step::Sleep(10), Step::wait_for("response.create")])
        .with_step_timeout(Duration::from_millis(200));
    let fake = FakeRealtime::start_scripted(script).await.unwrap();
    let mut req = fake.url().into_client_request().unwrap();
    req.headers_mut()
        .insert("authorization", "Bearer sk-test".parse().unwrap());
    let (_ws, _) = tokio_tungstenite::connect_async(req).await.unwrap();
    let session = fake.next_session(T).await.unwrap();
    let err = session.script_finished(T).await.unwrap_err().to_string();
    assert!(err.contains("step 1"), "{err}");
    assert!(err.contains("response.create"), "{err}");
}

#[tokio::test]
async fn waiting_for_caller_audio_counts_from_the_start_of_the_step() {
    let script = Script::new(vec![
        Step::WaitForCallerAudio { ms: 20 },
        Step::WaitForCallerAudio { ms: 20 },
    ])
    .with_step_timeout(Duration::from_millis(300));
    let fake = FakeRealtime::start_scripted(script).await.unwrap();
    let mut req = fake.url().into_client_request().unwrap();
    req.headers_mut()
        .insert("authorization", "Bearer sk-test".parse().unwrap());
    let (mut ws, _) = tokio_tungstenite::connect_async(req).await.unwrap();
    let audio = STANDARD.encode([0xFFu8; 160]);
    let append = json!({"type": "input_audio_buffer.append", "audio": audio}).to_string();
    ws.send(Message::text(append)).await.unwrap();
    let session = fake.next_session(T).await.unwrap();
    // One 20 ms frame satisfies the first wait only: the second must time out.
    let err = session.script_finished(T).await.unwrap_err().to_string();
    assert!(err.contains("step 1"), "{err}");
}
