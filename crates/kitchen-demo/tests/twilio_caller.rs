//! FakeCaller and FakeStream against a tiny axum server written here, which checks the
//! webhook signature, answers TwiML, and hands each media-stream socket to the test.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::Router;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Form, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use kitchen_demo::signing::signature_matches;
use kitchen_demo::{FakeCaller, PlaybackSpeed};
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

const PUBLIC: &str = "https://shop.example.com";
const TOKEN: &str = "0123456789abcdef0123456789abcdef";
const T: Duration = Duration::from_secs(5);

/// A media-stream socket as our tiny server accepted it.
struct Upgrade {
    uri: Uri,
    headers: HeaderMap,
    ws: WebSocket,
}

async fn incoming(headers: HeaderMap, Form(params): Form<Vec<(String, String)>>) -> Response {
    let sig = headers
        .get("x-twilio-signature")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !signature_matches(TOKEN, &format!("{PUBLIC}/incoming-call"), &params, sig) {
        return (StatusCode::FORBIDDEN, "bad signature").into_response();
    }
    let from = &params.iter().find(|(k, _)| k == "From").unwrap().1;
    let twiml = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><Response><Connect>
<Stream url="wss://shop.example.com/media-stream?dropped=1"><Parameter name="caller" value="{from}"/>
<Parameter name="token" value="t&amp;1"/></Stream></Connect>
<Say language="ur-IN">معذرت</Say></Response>"#
    );
    ([("content-type", "text/xml")], twiml).into_response()
}

async fn stream(
    ws: WebSocketUpgrade,
    uri: Uri,
    headers: HeaderMap,
    State(tx): State<mpsc::UnboundedSender<Upgrade>>,
) -> Response {
    ws.on_upgrade(move |ws| async move {
        let _ = tx.send(Upgrade { uri, headers, ws });
    })
}

async fn server() -> (String, mpsc::UnboundedReceiver<Upgrade>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let app = Router::new()
        .route("/incoming-call", post(incoming))
        .route("/media-stream", get(stream))
        .with_state(tx);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (base, rx)
}

async fn recv(ws: &mut WebSocket) -> Message {
    tokio::time::timeout(T, ws.recv())
        .await
        .unwrap()
        .unwrap()
        .unwrap()
}

async fn recv_json(ws: &mut WebSocket) -> Value {
    match recv(ws).await {
        Message::Text(t) => serde_json::from_str(&t).unwrap(),
        other => panic!("expected text, got {other:?}"),
    }
}

async fn send_json(ws: &mut WebSocket, v: Value) {
    ws.send(Message::Text(v.to_string().into())).await.unwrap();
}

fn media(sid: &str, bytes: usize) -> Value {
    use base64::Engine;
    let payload = base64::engine::general_purpose::STANDARD.encode(vec![0x7Fu8; bytes]);
    json!({"event": "media", "streamSid": sid, "media": {"payload": payload}})
}

fn mark(sid: &str, name: &str) -> Value {
    json!({"event": "mark", "streamSid": sid, "mark": {"name": name}})
}

/// A call connected to its stream: (caller stream, server socket, streamSid).
async fn connected(speed: PlaybackSpeed) -> (kitchen_demo::FakeStream, WebSocket, String) {
    let (base, mut upgrades) = server().await;
    let caller = FakeCaller::new(&base, PUBLIC, TOKEN).with_playback(speed);
    let call = caller
        .place_call("+923001234567", "+15005550006")
        .await
        .unwrap();
    let stream = caller.connect_stream(&call).await.unwrap();
    let mut up = upgrades.recv().await.unwrap();
    assert_eq!(recv_json(&mut up.ws).await["event"], "connected");
    let start = recv_json(&mut up.ws).await;
    let sid = start["streamSid"].as_str().unwrap().to_string();
    (stream, up.ws, sid)
}

#[tokio::test]
async fn place_call_signs_with_the_public_url_and_scans_the_twiml() {
    let (base, _upgrades) = server().await;
    let caller = FakeCaller::new(&base, PUBLIC, TOKEN);
    let call = caller
        .place_call("+923001234567", "+15005550006")
        .await
        .unwrap();
    assert_eq!(call.status, 200, "{}", call.twiml);
    assert_eq!(
        call.stream_url.as_deref(),
        Some("wss://shop.example.com/media-stream?dropped=1")
    );
    assert_eq!(call.parameter("caller"), Some("+923001234567"));
    assert_eq!(call.parameter("token"), Some("t&1"));
    assert_eq!(call.says, ["معذرت"]);
    assert!(call.call_sid.starts_with("CA") && call.call_sid.len() == 34);
    assert!(call.account_sid.starts_with("AC") && call.account_sid.len() == 34);
    assert!(call.call_sid[2..].chars().all(|c| c.is_ascii_hexdigit()));
    for name in [
        "From",
        "To",
        "CallStatus",
        "ApiVersion",
        "Direction",
        "Caller",
        "Called",
    ] {
        assert!(call.params.iter().any(|(k, _)| k == name), "{name} missing");
    }
}

#[tokio::test]
async fn a_wrong_signature_is_refused_by_a_checking_server() {
    let (base, _upgrades) = server().await;
    let caller = FakeCaller::new(&base, PUBLIC, TOKEN);
    let call = caller
        .place_call_with_signature("+923001234567", "+15005550006", "bm90IHJpZ2h0")
        .await
        .unwrap();
    assert_eq!(call.status, 403);
    assert_eq!(call.stream_url, None);
    let signed_for_local = FakeCaller::new(&base, &base, TOKEN);
    let call = signed_for_local
        .place_call("+923001234567", "+15005550006")
        .await
        .unwrap();
    assert_eq!(
        call.status, 403,
        "a signature over the local URL must not pass"
    );
}

#[tokio::test]
async fn connect_stream_rewrites_the_host_drops_the_query_and_speaks_twilio_shapes() {
    let (base, mut upgrades) = server().await;
    let caller = FakeCaller::new(&base, PUBLIC, TOKEN);
    let call = caller
        .place_call("+923001234567", "+15005550006")
        .await
        .unwrap();
    let stream = caller.connect_stream(&call).await.unwrap();
    let Upgrade {
        uri,
        headers,
        mut ws,
    } = upgrades.recv().await.unwrap();
    assert_eq!(uri.query(), None, "Twilio drops the Stream URL's query");
    let sig = headers["x-twilio-signature"].to_str().unwrap();
    assert!(signature_matches(
        TOKEN,
        "wss://shop.example.com/media-stream",
        &[],
        sig
    ));

    assert_eq!(
        recv_json(&mut ws).await,
        json!({"event": "connected", "protocol": "Call", "version": "1.0.0"})
    );
    let start = recv_json(&mut ws).await;
    let sid = stream.stream_sid().to_string();
    assert!(sid.starts_with("MZ") && sid.len() == 34);
    assert_eq!(start["sequenceNumber"], "1");
    assert_eq!(start["streamSid"], sid);
    assert_eq!(start["start"]["callSid"], call.call_sid);
    assert_eq!(start["start"]["accountSid"], call.account_sid);
    assert_eq!(start["start"]["tracks"], json!(["inbound"]));
    assert_eq!(
        start["start"]["customParameters"],
        json!({"caller": "+923001234567", "token": "t&1"})
    );
    assert_eq!(
        start["start"]["mediaFormat"],
        json!({"encoding": "audio/x-mulaw", "sampleRate": 8000, "channels": 1})
    );

    stream.send_audio(&[0x11; 400], false).await.unwrap();
    for (i, chunk) in ["1", "2", "3"].iter().enumerate() {
        let m = recv_json(&mut ws).await;
        assert_eq!(m["event"], "media");
        assert_eq!(m["sequenceNumber"], (i + 2).to_string());
        assert_eq!(m["media"]["chunk"], *chunk);
        assert_eq!(m["media"]["timestamp"], (i * 20).to_string());
        assert_eq!(m["media"]["track"], "inbound");
        use base64::Engine;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(m["media"]["payload"].as_str().unwrap())
            .unwrap();
        assert_eq!(bytes.len(), 160);
        if i == 2 {
            assert_eq!(
                bytes[79..81],
                [0x11, 0xFF],
                "the last frame is padded with silence"
            );
        }
    }
    stream.send_dtmf("5").unwrap();
    let dtmf = recv_json(&mut ws).await;
    assert_eq!(
        dtmf["dtmf"],
        json!({"track": "inbound_track", "digit": "5"})
    );
    stream.stop().unwrap();
    let stop = recv_json(&mut ws).await;
    assert_eq!(
        stop["stop"],
        json!({"accountSid": call.account_sid, "callSid": call.call_sid})
    );
    assert_eq!(stop["sequenceNumber"], "6");
    stream.send_raw_text("{not json").unwrap();
    assert_eq!(recv(&mut ws).await, Message::Text("{not json".into()));
    stream.send_binary(vec![1, 2, 3]).unwrap();
    assert_eq!(recv(&mut ws).await, Message::Binary(vec![1u8, 2, 3].into()));
    drop(ws);
    stream.wait_closed(T).await.unwrap();
    assert!(stream.is_closed());
    assert_eq!(stream.violations(), Vec::<String>::new());
}

#[tokio::test]
async fn a_mark_is_echoed_only_after_the_audio_before_it_has_played() {
    let (stream, mut ws, sid) = connected(PlaybackSpeed::RealTime).await;
    let t0 = Instant::now();
    send_json(&mut ws, media(&sid, 800)).await; // 100 ms
    send_json(&mut ws, mark(&sid, "m1")).await;
    let echo = recv_json(&mut ws).await;
    let waited = t0.elapsed();
    assert!(
        waited >= Duration::from_millis(95),
        "echoed after {waited:?}"
    );
    assert_eq!(echo["event"], "mark");
    assert_eq!(echo["streamSid"], sid);
    assert_eq!(echo["mark"]["name"], "m1");
    assert!(echo["sequenceNumber"].is_string());
    assert_eq!(stream.marks_echoed(), ["m1"]);
    assert_eq!(stream.audio_received().len(), 800);
}

#[tokio::test]
async fn clear_drops_unplayed_audio_and_echoes_every_pending_mark_at_once() {
    let (stream, mut ws, sid) = connected(PlaybackSpeed::RealTime).await;
    send_json(&mut ws, media(&sid, 16_000)).await; // 2 s
    send_json(&mut ws, mark(&sid, "m2")).await;
    send_json(&mut ws, media(&sid, 160)).await;
    send_json(&mut ws, mark(&sid, "m3")).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(
        stream.marks_echoed().is_empty(),
        "nothing has finished playing yet"
    );
    let t1 = Instant::now();
    send_json(&mut ws, json!({"event": "clear", "streamSid": sid})).await;
    let first = recv_json(&mut ws).await;
    let second = recv_json(&mut ws).await;
    assert!(
        t1.elapsed() < Duration::from_millis(800),
        "echoes took {:?}",
        t1.elapsed()
    );
    assert_eq!(
        (
            first["mark"]["name"].as_str(),
            second["mark"]["name"].as_str()
        ),
        (Some("m2"), Some("m3"))
    );
    let heard = stream.audio_heard_bytes();
    assert!(
        (1_200..12_000).contains(&heard),
        "heard {heard} of 16160 bytes"
    );
    assert_eq!(stream.audio_received().len(), 16_160);
    assert_eq!(stream.violations(), Vec::<String>::new());
}

#[tokio::test]
async fn instant_playback_echoes_marks_at_once() {
    let (stream, mut ws, sid) = connected(PlaybackSpeed::Instant).await;
    let t0 = Instant::now();
    send_json(&mut ws, media(&sid, 16_000)).await;
    send_json(&mut ws, mark(&sid, "now")).await;
    assert_eq!(recv_json(&mut ws).await["mark"]["name"], "now");
    assert!(t0.elapsed() < Duration::from_millis(1_000));
    assert_eq!(stream.audio_heard_bytes(), 16_000);
}

#[tokio::test]
async fn bad_server_messages_are_recorded_as_violations() {
    let (stream, mut ws, sid) = connected(PlaybackSpeed::Instant).await;
    send_json(&mut ws, media("MZ00000000000000000000000000000000", 160)).await;
    ws.send(Message::Binary(vec![0xFFu8; 160].into()))
        .await
        .unwrap();
    send_json(
        &mut ws,
        json!({"event": "media", "streamSid": sid, "media": {"payload": "!!"}}),
    )
    .await;
    send_json(&mut ws, json!({"event": "play", "streamSid": sid})).await;
    send_json(
        &mut ws,
        json!({"event": "mark", "streamSid": sid, "mark": {}}),
    )
    .await;
    send_json(&mut ws, json!({"event": "clear"})).await;
    // A good mark last: once it is echoed, everything before it has been checked.
    send_json(&mut ws, mark(&sid, "sync")).await;
    assert_eq!(recv_json(&mut ws).await["mark"]["name"], "sync");
    let v = stream.violations();
    assert_eq!(v.len(), 6, "{v:#?}");
    assert!(v[0].contains("MZ0000"), "{v:?}");
    assert!(v[1].contains("binary"), "{v:?}");
    assert!(v[2].contains("base64"), "{v:?}");
    assert!(stream.audio_received().is_empty());
}

#[tokio::test]
async fn paced_audio_goes_out_one_frame_per_20_ms() {
    let (stream, mut ws, _sid) = connected(PlaybackSpeed::Instant).await;
    let t0 = Instant::now();
    stream.send_audio(&[0x7F; 800], true).await.unwrap();
    assert!(
        t0.elapsed() >= Duration::from_millis(80),
        "took {:?}",
        t0.elapsed()
    );
    for _ in 0..5 {
        assert_eq!(recv_json(&mut ws).await["event"], "media");
    }
    let got = stream
        .wait_for_event("mark", Duration::from_millis(100))
        .await;
    assert!(got.is_err(), "the server sent no mark");
}

#[tokio::test]
async fn wait_for_event_returns_server_messages_in_order() {
    let (stream, mut ws, sid) = connected(PlaybackSpeed::Instant).await;
    send_json(&mut ws, json!({"event": "clear", "streamSid": sid})).await;
    send_json(&mut ws, media(&sid, 320)).await;
    stream.wait_for_event("media", T).await.unwrap();
    let clear = stream.wait_for_event("clear", T).await.unwrap();
    assert_eq!(clear["streamSid"], sid);
    stream.wait_for_audio(320, T).await.unwrap();
    assert_eq!(stream.received().len(), 2);
    stream.close().unwrap();
    assert!(matches!(recv(&mut ws).await, Message::Close(_)));
    drop(ws); // as a server does once the close handshake is done
    stream.wait_closed(T).await.unwrap();
}
