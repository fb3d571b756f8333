//! FakeRealtime against a tiny tokio-tungstenite client written here.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use futures_util::{SinkExt, StreamExt};
use kitchen_testkit::schema::check_server_event;
use kitchen_testkit::{Behaviour, FakeRealtime};
use serde_json::{Value, json};
use std::time::Duration;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::{Error as WsError, Message};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

type Client = WebSocketStream<MaybeTlsStream<TcpStream>>;
const T: Duration = Duration::from_secs(5);

async fn connect_with(
    fake: &FakeRealtime,
    headers: &[(&'static str, &str)],
) -> Result<Client, WsError> {
    let mut req = format!("{}?model=gpt-realtime-2.1", fake.url())
        .into_client_request()
        .unwrap();
    for (k, v) in headers {
        req.headers_mut().insert(*k, v.parse().unwrap());
    }
    tokio_tungstenite::connect_async(req)
        .await
        .map(|(ws, _)| ws)
}

async fn connect(fake: &FakeRealtime) -> Client {
    connect_with(fake, &[("authorization", "Bearer sk-test")])
        .await
        .unwrap()
}

/// The next frame: `Ok(event)` for text, `Err(close code)` for a close or end of stream.
async fn next(ws: &mut Client) -> Result<Value, Option<u16>> {
    loop {
        match tokio::time::timeout(T, ws.next())
            .await
            .expect("no frame in time")
        {
            Some(Ok(Message::Text(t))) => return Ok(serde_json::from_str(&t).unwrap()),
            Some(Ok(Message::Close(f))) => return Err(f.map(|f| u16::from(f.code))),
            Some(Ok(_)) => continue,
            Some(Err(_)) | None => return Err(None),
        }
    }
}

async fn expect(ws: &mut Client, kind: &str) -> Value {
    loop {
        let ev = next(ws)
            .await
            .unwrap_or_else(|c| panic!("closed ({c:?}) before {kind}"));
        if ev["type"] == kind {
            return ev;
        }
    }
}

async fn send(ws: &mut Client, v: Value) {
    ws.send(Message::text(v.to_string())).await.unwrap();
}

fn ga_session_update() -> Value {
    json!({"type": "session.update", "session": {"type": "realtime",
        "instructions": "آپ میلٹ 8 پیزا کے نمائندے ہیں۔",
        "output_modalities": ["audio"],
        "audio": {"input": {"format": {"type": "audio/pcmu"},
                            "turn_detection": {"type": "server_vad", "idle_timeout_ms": 8000}},
                  "output": {"format": {"type": "audio/pcmu"}, "voice": "marin"}},
        "tools": [{"type": "function", "name": "end_call", "description": "Hang up",
                   "parameters": {"type": "object", "properties": {}}}]}})
}

#[tokio::test]
async fn session_update_is_answered_with_session_updated_echoing_the_session() {
    let fake = FakeRealtime::start(Behaviour::Accept).await.unwrap();
    let mut ws = connect(&fake).await;
    let created = expect(&mut ws, "session.created").await;
    assert_eq!(created["session"]["type"], "realtime");
    assert_eq!(created["session"]["model"], "gpt-realtime-2.1");
    send(&mut ws, ga_session_update()).await;
    let updated = expect(&mut ws, "session.updated").await;
    assert_eq!(updated["session"]["audio"]["output"]["voice"], "marin");
    assert_eq!(
        updated["session"]["audio"]["input"]["format"]["type"],
        "audio/pcmu"
    );
    assert_eq!(updated["session"]["tools"][0]["name"], "end_call");
    // Untouched fields keep their values; the id is the one from session.created.
    assert_eq!(updated["session"]["id"], created["session"]["id"]);
    assert_eq!(
        updated["session"]["audio"]["input"]["turn_detection"]["prefix_padding_ms"],
        300
    );

    let session = fake.next_session(T).await.unwrap();
    assert_eq!(session.model().as_deref(), Some("gpt-realtime-2.1"));
    assert_eq!(session.authorization().as_deref(), Some("Bearer sk-test"));
    assert_eq!(session.handshake().path, "/v1/realtime");
    let got = session.wait_for("session.update", T).await.unwrap();
    assert_eq!(
        got["session"]["instructions"],
        "آپ میلٹ 8 پیزا کے نمائندے ہیں۔"
    );
    assert_eq!(session.schema_violations(), Vec::<String>::new());
    assert_eq!(fake.connections(), 1);
}

#[tokio::test]
async fn wait_for_hands_out_already_received_events_once_each() {
    let fake = FakeRealtime::start(Behaviour::Accept).await.unwrap();
    let mut ws = connect(&fake).await;
    for _ in 0..2 {
        send(&mut ws, json!({"type": "response.cancel"})).await;
    }
    send(&mut ws, json!({"type": "response.create"})).await;
    let session = fake.next_session(T).await.unwrap();
    session.wait_for("response.create", T).await.unwrap();
    session.wait_for("response.cancel", T).await.unwrap();
    session.wait_for("response.cancel", T).await.unwrap();
    let third = session
        .wait_for("response.cancel", Duration::from_millis(200))
        .await;
    assert!(third.is_err(), "only two cancels were sent");
    assert_eq!(session.received().len(), 3);
}

#[tokio::test]
async fn an_openai_beta_header_is_refused_with_an_error_and_close_code_4000() {
    let fake = FakeRealtime::start(Behaviour::Accept).await.unwrap();
    let headers = [
        ("authorization", "Bearer sk-test"),
        ("openai-beta", "realtime=v1"),
    ];
    let mut ws = connect_with(&fake, &headers).await.unwrap();
    let err = next(&mut ws).await.unwrap();
    assert_eq!(err["type"], "error");
    assert_eq!(err["error"]["code"], "beta_api_shape_disabled");
    assert_eq!(next(&mut ws).await, Err(Some(4000)));
    let session = fake.next_session(T).await.unwrap();
    assert!(session.schema_violations()[0].contains("OpenAI-Beta"));
}

#[tokio::test]
async fn a_beta_shaped_session_update_is_a_violation_and_closes_with_4000() {
    let fake = FakeRealtime::start(Behaviour::Accept).await.unwrap();
    let mut ws = connect(&fake).await;
    expect(&mut ws, "session.created").await;
    send(
        &mut ws,
        json!({"type": "session.update", "session": {
        "modalities": ["audio"], "input_audio_format": "g711_ulaw", "voice": "alloy"}}),
    )
    .await;
    let err = expect(&mut ws, "error").await;
    assert_eq!(err["error"]["code"], "beta_api_shape_disabled");
    assert_eq!(next(&mut ws).await, Err(Some(4000)));
    let v = fake.schema_violations();
    assert!(v.iter().any(|v| v.contains("session.update")), "{v:?}");
    assert!(v.iter().any(|v| v.contains("beta-shaped")), "{v:?}");
}

#[tokio::test]
async fn a_schema_invalid_event_is_recorded_and_answered_with_an_error() {
    let fake = FakeRealtime::start(Behaviour::Accept).await.unwrap();
    let mut ws = connect(&fake).await;
    send(&mut ws, json!({"type": "input_audio_buffer.append"})).await;
    send(
        &mut ws,
        json!({"type": "conversation.item.truncate", "item_id": "x"}),
    )
    .await;
    assert_eq!(
        expect(&mut ws, "error").await["error"]["code"],
        "invalid_value"
    );
    let session = fake.next_session(T).await.unwrap();
    session
        .wait_for("conversation.item.truncate", T)
        .await
        .unwrap();
    let v = session.schema_violations();
    assert_eq!(v.len(), 2, "{v:?}");
    assert!(v[0].contains("audio"), "{v:?}");
    assert!(v[1].contains("audio_end_ms"), "{v:?}");
    assert!(!session.is_closed());
}

#[tokio::test]
async fn reject_with_401_answers_the_upgrade_with_an_openai_error_body() {
    let fake = FakeRealtime::start(Behaviour::RejectWith(401))
        .await
        .unwrap();
    let first = connect_with(&fake, &[("authorization", "Bearer sk-test")]).await;
    assert!(first.is_err(), "the upgrade should be refused");
    let err = connect_with(&fake, &[("authorization", "Bearer sk-x")])
        .await
        .err()
        .unwrap();
    let WsError::Http(resp) = err else {
        panic!("expected an HTTP answer, got {err}")
    };
    assert_eq!(resp.status().as_u16(), 401);
    let body: Value = serde_json::from_slice(resp.body().as_deref().unwrap()).unwrap();
    assert_eq!(body["error"]["code"], "invalid_api_key");
    assert_eq!(fake.connections(), 0);
    assert_eq!(fake.attempts(), 2);
    assert!(fake.next_session(Duration::from_millis(100)).await.is_err());
}

#[tokio::test]
async fn a_missing_api_key_is_refused_with_401() {
    let fake = FakeRealtime::start(Behaviour::Accept).await.unwrap();
    let err = connect_with(&fake, &[]).await.err().unwrap();
    let WsError::Http(resp) = err else {
        panic!("expected an HTTP answer, got {err}")
    };
    assert_eq!(resp.status().as_u16(), 401);
    assert_eq!(fake.connections(), 0);
}

#[tokio::test]
async fn close_after_session_update_drops_the_socket_without_a_close_frame() {
    let fake = FakeRealtime::start(Behaviour::CloseAfterSessionUpdate)
        .await
        .unwrap();
    let mut ws = connect(&fake).await;
    expect(&mut ws, "session.created").await;
    send(&mut ws, ga_session_update()).await;
    assert_eq!(
        next(&mut ws).await,
        Err(None),
        "no session.updated, no close frame"
    );
    let session = fake.next_session(T).await.unwrap();
    session.wait_closed(T).await.unwrap();
    assert_eq!(session.close_code(), None);
    assert_eq!(session.received().len(), 1);
}

#[tokio::test]
async fn drop_connection_ends_the_socket_abruptly() {
    let fake = FakeRealtime::start(Behaviour::Accept).await.unwrap();
    let mut ws = connect(&fake).await;
    expect(&mut ws, "session.created").await;
    fake.next_session(T).await.unwrap().drop_connection();
    assert_eq!(next(&mut ws).await, Err(None));
}

#[tokio::test]
async fn speak_streams_mulaw_deltas_then_a_completed_response_with_usage() {
    let fake = FakeRealtime::start(Behaviour::Accept).await.unwrap();
    let mut ws = connect(&fake).await;
    let session = fake.next_session(T).await.unwrap();
    let audio: Vec<u8> = (0..1000u32).map(|i| (i % 251) as u8).collect();
    session.speak("resp_1", "item_1", &audio, 320).unwrap();
    let mut kinds = Vec::new();
    let mut got = Vec::new();
    loop {
        let ev = next(&mut ws).await.unwrap();
        let kind = ev["type"].as_str().unwrap().to_string();
        if kind == "response.output_audio.delta" {
            assert_eq!(ev["item_id"], "item_1");
            got.extend(STANDARD.decode(ev["delta"].as_str().unwrap()).unwrap());
        }
        kinds.push(kind.clone());
        if kind == "response.done" {
            assert_eq!(ev["response"]["status"], "completed");
            assert!(ev["response"]["usage"]["total_tokens"].as_u64().unwrap() > 0);
            break;
        }
    }
    assert_eq!(got, audio);
    let deltas = kinds
        .iter()
        .filter(|k| *k == "response.output_audio.delta")
        .count();
    assert_eq!(deltas, 4, "1000 bytes in 320-byte chunks");
    assert_eq!(
        kinds[..3],
        [
            "session.created",
            "response.created",
            "response.output_item.added"
        ]
    );
    assert_eq!(
        kinds[kinds.len() - 3..],
        [
            "response.output_audio.done",
            "response.output_audio_transcript.done",
            "response.done"
        ]
    );
    assert_eq!(session.audio_sent_for("item_1"), 1000);
}

#[tokio::test]
async fn call_function_sends_the_arguments_as_a_json_string() {
    let fake = FakeRealtime::start(Behaviour::Accept).await.unwrap();
    let mut ws = connect(&fake).await;
    let session = fake.next_session(T).await.unwrap();
    let args = json!({"items": [{"item_id": "tikka", "size_id": "large", "quantity": 2}]});
    session
        .call_function("resp_2", "call_9", "review_order", args.clone())
        .unwrap();
    let done = expect(&mut ws, "response.function_call_arguments.done").await;
    assert_eq!(done["call_id"], "call_9");
    assert_eq!(done["name"], "review_order");
    let text = done["arguments"]
        .as_str()
        .expect("arguments must be a string");
    assert_eq!(serde_json::from_str::<Value>(text).unwrap(), args);
    expect(&mut ws, "response.done").await;
    send(
        &mut ws,
        json!({"type": "conversation.item.create", "item": {
        "type": "function_call_output", "call_id": "call_9", "output": "{\"ok\":true}"}}),
    )
    .await;
    let added = expect(&mut ws, "conversation.item.added").await;
    assert_eq!(added["item"]["call_id"], "call_9");
    assert_eq!(
        session.function_output("call_9").as_deref(),
        Some("{\"ok\":true}")
    );
}

#[tokio::test]
async fn truncating_past_the_audio_sent_is_an_invalid_value_error() {
    let fake = FakeRealtime::start(Behaviour::Accept).await.unwrap();
    let mut ws = connect(&fake).await;
    let session = fake.next_session(T).await.unwrap();
    session.speak("r", "item_a", &[0xFF; 1600], 800).unwrap(); // 200 ms
    expect(&mut ws, "response.done").await;
    let truncate = |ms: u64| {
        json!({"type": "conversation.item.truncate",
        "item_id": "item_a", "content_index": 0, "audio_end_ms": ms})
    };
    send(&mut ws, truncate(200)).await;
    assert_eq!(
        expect(&mut ws, "conversation.item.truncated").await["audio_end_ms"],
        200
    );
    send(&mut ws, truncate(201)).await;
    let err = expect(&mut ws, "error").await;
    assert_eq!(err["error"]["code"], "invalid_value");
    assert_eq!(err["error"]["param"], "audio_end_ms");
}

#[tokio::test]
async fn appended_audio_bytes_counts_decoded_caller_audio() {
    let fake = FakeRealtime::start(Behaviour::Accept).await.unwrap();
    let mut ws = connect(&fake).await;
    for _ in 0..3 {
        let audio = STANDARD.encode([0xFFu8; 160]);
        send(
            &mut ws,
            json!({"type": "input_audio_buffer.append", "audio": audio}),
        )
        .await;
    }
    let session = fake.next_session(T).await.unwrap();
    for _ in 0..3 {
        session
            .wait_for("input_audio_buffer.append", T)
            .await
            .unwrap();
    }
    assert_eq!(session.appended_audio_bytes(), 480);
}

#[tokio::test]
async fn every_event_the_fake_sends_validates_against_the_server_schema() {
    let fake = FakeRealtime::start(Behaviour::Accept).await.unwrap();
    let mut ws = connect(&fake).await;
    let session = fake.next_session(T).await.unwrap();
    send(&mut ws, ga_session_update()).await;
    expect(&mut ws, "session.updated").await;
    session.speak("r1", "i1", &[0xFF; 800], 160).unwrap();
    session.speech_started(1200, "i_user").unwrap();
    session
        .transcript_of_caller("i_user", "دو بڑے چکن تکہ")
        .unwrap();
    session
        .call_function("r2", "c1", "place_order", json!({"items": []}))
        .unwrap();
    expect(
        &mut ws,
        "conversation.item.input_audio_transcription.completed",
    )
    .await;
    send(
        &mut ws,
        json!({"type": "conversation.item.truncate", "item_id": "i1",
        "content_index": 0, "audio_end_ms": 50}),
    )
    .await;
    send(
        &mut ws,
        json!({"type": "conversation.item.truncate", "item_id": "i1",
        "content_index": 0, "audio_end_ms": 5000}),
    )
    .await;
    send(
        &mut ws,
        json!({"type": "conversation.item.create", "item": {
        "type": "function_call_output", "call_id": "c1", "output": "ok"}}),
    )
    .await;
    expect(&mut ws, "conversation.item.done").await;
    let sent = session.sent();
    let kinds: Vec<&str> = sent.iter().filter_map(|e| e["type"].as_str()).collect();
    for k in [
        "session.created",
        "session.updated",
        "conversation.item.truncated",
        "error",
        "input_audio_buffer.speech_started",
        "response.function_call_arguments.done",
    ] {
        assert!(kinds.contains(&k), "{k} was not exercised: {kinds:?}");
    }
    let bad: Vec<String> = sent
        .iter()
        .filter_map(|e| check_server_event(e).err())
        .collect();
    assert_eq!(bad, Vec::<String>::new());
}
