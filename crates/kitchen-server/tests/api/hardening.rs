//! The server's edge over real sockets: only its own host names (421 otherwise, the DNS
//! rebinding defence), `/health` details only with a login, the event stream's `Origin`
//! check, the header read and request timeouts, the connection cap, and WebSocket frames
//! refused from their header.

use crate::helpers::*;
use serde_json::json;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;

const FOREIGN: &str = "rebind.attacker.example";

fn port_of(base: &str) -> u16 {
    base.rsplit(':').next().unwrap().parse().unwrap()
}

/// A GET with the given `Host` (and HTTP Basic, so a 421 is not a 401 in disguise).
async fn get_with_host(app: &TestApp, path: &str, host: &str) -> reqwest::Response {
    reqwest::Client::new()
        .get(format!("{}{path}", app.base))
        .header("host", host)
        .basic_auth(USER, Some(PASSWORD))
        .send()
        .await
        .unwrap()
}

/// A WebSocket upgrade request for `/api/events` (Basic credentials), with optional
/// `Host` and `Origin`.
async fn events_upgrade(
    app: &TestApp,
    host: Option<&str>,
    origin: Option<&str>,
) -> reqwest::Response {
    let mut req = reqwest::Client::new()
        .get(format!("{}/api/events", app.base))
        .basic_auth(USER, Some(PASSWORD))
        .header("connection", "upgrade")
        .header("upgrade", "websocket")
        .header("sec-websocket-version", "13")
        .header("sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ==");
    if let Some(h) = host {
        req = req.header("host", h);
    }
    if let Some(o) = origin {
        req = req.header("origin", o);
    }
    req.send().await.unwrap()
}

#[tokio::test]
async fn a_foreign_host_gets_421_on_every_kitchen_route() {
    let app = spawn_app().await;
    let port = port_of(&app.base);
    let foreign = format!("{FOREIGN}:{port}");
    for path in [
        "/health",
        "/api/orders",
        "/api/session",
        "/api/settings",
        "/api/login-link",
        "/",
        "/chef-dashboard/",
        "/assets/index.js",
        "/nope",
    ] {
        for host in [foreign.as_str(), FOREIGN, "localhost.attacker.example"] {
            let res = get_with_host(&app, path, host).await;
            let message = error_with(res, 421, "misdirected_host").await;
            assert!(message.contains("host name"), "{path} {host}: {message}");
        }
    }
    let res = reqwest::Client::new()
        .post(format!("{}/api/login", app.base))
        .header("host", &foreign)
        .json(&json!({"username": USER, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    error_with(res, 421, "misdirected_host").await;
    // The event stream too, even with an Origin that matches the forged Host.
    let res = events_upgrade(&app, Some(&foreign), Some(&format!("http://{foreign}"))).await;
    error_with(res, 421, "misdirected_host").await;
}

#[tokio::test]
async fn the_loopback_names_are_served_with_or_without_the_port() {
    let app = spawn_app().await;
    let port = port_of(&app.base);
    for host in [
        format!("127.0.0.1:{port}"),
        "127.0.0.1".to_string(),
        format!("localhost:{port}"),
        "localhost".to_string(),
        format!("LocalHost:{port}"),
        format!("[::1]:{port}"),
        "[::1]".to_string(),
    ] {
        for path in ["/health", "/api/orders"] {
            let res = get_with_host(&app, path, &host).await;
            assert_eq!(res.status(), 200, "{path} with Host {host}");
        }
    }
}

#[tokio::test]
async fn with_lan_access_the_lan_addresses_and_listed_names_are_served_and_no_others() {
    let app = spawn_with(tempfile::tempdir().unwrap(), |c| {
        c.bind = "0.0.0.0".parse().unwrap();
        c.allowed_hosts = vec!["Kitchen-PC.local".into()];
    })
    .await;
    let port = port_of(&app.base);
    for host in [
        format!("kitchen-pc.local:{port}"),
        format!("192.168.1.20:{port}"),
        format!("10.0.0.7:{port}"),
        format!("localhost:{port}"),
    ] {
        let res = get_with_host(&app, "/api/orders", &host).await;
        assert_eq!(res.status(), 200, "Host {host}");
    }
    for host in [
        format!("{FOREIGN}:{port}"),
        format!("kitchen-pc.local.attacker.example:{port}"),
        format!("8.8.8.8:{port}"),
    ] {
        error_with(
            get_with_host(&app, "/api/orders", &host).await,
            421,
            "misdirected_host",
        )
        .await;
    }
    // A tablet's page on the LAN address may open the event stream.
    let res = events_upgrade(
        &app,
        Some(&format!("kitchen-pc.local:{port}")),
        Some(&format!("http://kitchen-pc.local:{port}")),
    )
    .await;
    assert_eq!(res.status(), 101);

    // Without LAN access, a listed name is not served: nobody else can reach the PC.
    let local = spawn_with(tempfile::tempdir().unwrap(), |c| {
        c.allowed_hosts = vec!["kitchen-pc.local".into()];
    })
    .await;
    error_with(
        get_with_host(&local, "/health", "kitchen-pc.local").await,
        421,
        "misdirected_host",
    )
    .await;
}

#[tokio::test]
async fn health_without_a_login_says_only_that_the_server_is_up() {
    let app = spawn_with(tempfile::tempdir().unwrap(), |c| {
        c.settings.openai_api_key = Some(kitchen_server::Secret::new("sk-health-secret"));
    })
    .await;
    let anonymous = json_with(app.anonymous().get("/health").await.unwrap(), 200).await;
    assert_eq!(anonymous, json!({"status": "ok"}));

    // HTTP Basic: the details.
    let basic = json_with(app.api.get("/health").await.unwrap(), 200).await;
    assert_eq!(basic["database"], "ok");
    assert_eq!(basic["phone"]["openai_key_configured"], true);
    assert!(basic["tunnel"].is_object() && basic["sync"].is_object());
    assert!(!basic.to_string().contains("sk-health-secret"));

    // A session cookie: the details too.
    let browser = app.anonymous();
    assert_eq!(
        browser.login(USER, PASSWORD).await.unwrap().status(),
        200,
        "logged in"
    );
    let cookie = json_with(browser.get("/health").await.unwrap(), 200).await;
    assert_eq!(cookie["database"], "ok");
    assert!(cookie["phone"].is_object());

    // Wrong credentials are refused, not shown the public answer.
    let wrong = app.anonymous().with_basic(USER, "not-the-password");
    error_with(
        wrong.get("/health").await.unwrap(),
        401,
        "invalid_credentials",
    )
    .await;
}

#[tokio::test]
async fn the_event_stream_checks_origin_against_the_served_names_not_the_host() {
    let app = spawn_app().await;
    let port = port_of(&app.base);
    // A foreign page, on an allowed Host.
    for origin in [
        "http://evil.example".to_string(),
        format!("http://{FOREIGN}:{port}"),
        "null".to_string(),
    ] {
        let res = events_upgrade(&app, None, Some(&origin)).await;
        error_with(res, 403, "forbidden_origin").await;
    }
    // The dashboard's own pages: the server's address, the dev server's port, the
    // desktop window.
    for origin in [
        format!("http://127.0.0.1:{port}"),
        format!("http://localhost:{port}"),
        "http://127.0.0.1:5173".to_string(),
        "tauri://localhost".to_string(),
    ] {
        let res = events_upgrade(&app, None, Some(&origin)).await;
        assert_eq!(res.status(), 101, "Origin {origin}");
    }
    // And a real stream with a same-host Origin says hello.
    let mut req = format!("ws://127.0.0.1:{port}/api/events")
        .into_client_request()
        .unwrap();
    let basic = format!(
        "Basic {}",
        base64::Engine::encode(
            &base64::engine::general_purpose::STANDARD,
            format!("{USER}:{PASSWORD}")
        )
    );
    req.headers_mut()
        .insert("authorization", HeaderValue::from_str(&basic).unwrap());
    req.headers_mut().insert(
        "origin",
        HeaderValue::from_str(&format!("http://localhost:{port}")).unwrap(),
    );
    let (mut ws, _) = tokio_tungstenite::connect_async(req).await.unwrap();
    use futures_util::StreamExt;
    let hello = tokio::time::timeout(Duration::from_secs(5), ws.next())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert!(hello.to_text().unwrap().contains("hello"), "{hello:?}");
}

/// Reads from `stream` until the server closes it (EOF or reset), within `within`; the
/// bytes it sent first.
async fn read_until_closed(
    stream: &mut tokio::net::tcp::OwnedReadHalf,
    within: Duration,
) -> Vec<u8> {
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    tokio::time::timeout(within, async {
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => got.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await
    .expect("the server closed the connection in time");
    got
}

#[tokio::test]
async fn a_client_sending_its_headers_byte_by_byte_is_disconnected() {
    let app = spawn_with(tempfile::tempdir().unwrap(), |c| {
        c.limits.header_read_timeout = Duration::from_secs(1);
    })
    .await;
    for addr in [
        app.base.trim_start_matches("http://").to_string(),
        app.public.trim_start_matches("http://").to_string(),
    ] {
        let stream = TcpStream::connect(&addr).await.unwrap();
        let (mut rd, mut wr) = stream.into_split();
        let request = b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slowloris\r\n\r\n";
        let started = Instant::now();
        let writer = tokio::spawn(async move {
            let mut sent = 0;
            for b in request {
                if wr.write_all(&[*b]).await.is_err() {
                    break;
                }
                sent += 1;
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
            sent
        });
        read_until_closed(&mut rd, Duration::from_secs(8)).await;
        let elapsed = started.elapsed();
        writer.abort();
        assert!(
            elapsed < Duration::from_secs(5),
            "{addr}: closed by the 1 s header timeout, not by chance: {elapsed:?}"
        );
        assert!(
            elapsed >= Duration::from_millis(900),
            "{addr}: closed too early: {elapsed:?}"
        );
    }
    // A client that sends its request at once is served as ever.
    assert_eq!(app.anonymous().get("/health").await.unwrap().status(), 200);
}

#[tokio::test]
async fn a_request_whose_body_never_finishes_gets_408() {
    let app = spawn_with(tempfile::tempdir().unwrap(), |c| {
        c.limits.request_timeout = Duration::from_secs(1);
    })
    .await;
    let stream = TcpStream::connect(app.base.trim_start_matches("http://"))
        .await
        .unwrap();
    let (mut rd, mut wr) = stream.into_split();
    let basic = base64::Engine::encode(
        &base64::engine::general_purpose::STANDARD,
        format!("{USER}:{PASSWORD}"),
    );
    let head = format!(
        "POST /api/orders HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic {basic}\r\nContent-Type: application/json\r\nContent-Length: 400\r\n\r\n{{"
    );
    wr.write_all(head.as_bytes()).await.unwrap();
    // Then the body trickles: a byte every 300 ms would take two minutes.
    let writer = tokio::spawn(async move {
        for _ in 0..399 {
            if wr.write_all(b" ").await.is_err() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
    });
    let started = Instant::now();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    while !String::from_utf8_lossy(&got).contains("request_timeout") {
        let n = tokio::time::timeout(Duration::from_secs(5), rd.read(&mut buf))
            .await
            .expect("an answer within the request timeout")
            .unwrap();
        assert!(n > 0, "closed without an answer");
        got.extend_from_slice(&buf[..n]);
    }
    writer.abort();
    let text = String::from_utf8_lossy(&got);
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    assert!(started.elapsed() < Duration::from_secs(4));
    // Nothing was created.
    let orders = json_with(app.api.get("/api/orders").await.unwrap(), 200).await;
    assert_eq!(orders.as_array().map(Vec::len), Some(0), "{orders}");
}

#[tokio::test]
async fn connections_past_the_cap_are_closed_and_a_freed_place_is_reused() {
    let app = spawn_with(tempfile::tempdir().unwrap(), |c| {
        c.limits.max_kitchen_connections = 2;
    })
    .await;
    let addr = app.base.trim_start_matches("http://").to_string();
    let first = TcpStream::connect(&addr).await.unwrap();
    let second = TcpStream::connect(&addr).await.unwrap();
    // Give the server time to accept both.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let third = TcpStream::connect(&addr).await.unwrap();
    let (mut rd, mut wr) = third.into_split();
    let _ = wr
        .write_all(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .await;
    let answer = read_until_closed(&mut rd, Duration::from_secs(3)).await;
    assert!(answer.is_empty(), "a third connection is not served");
    drop((first, second));
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        // A fresh client each time: no pooled connection of an earlier try.
        match app.anonymous().get("/health").await {
            Ok(res) if res.status() == 200 => break,
            _ if Instant::now() < deadline => tokio::time::sleep(Duration::from_millis(50)).await,
            other => panic!("a freed place is not reused: {other:?}"),
        }
    }
}

/// Opens a WebSocket on `addr` + `path` by hand, announces a binary frame of `len` bytes
/// and sends only the first KiB of it; answers what the server did within 2 s: `Some(code)`
/// for a Close frame, `None` for a closed connection. A server that buffered the frame
/// before checking it would wait for the rest, and this would time out.
async fn announce_oversized_frame(addr: &str, path: &str, extra: &str, len: u64) -> Option<u16> {
    let mut tcp = TcpStream::connect(addr).await.unwrap();
    let upgrade = format!(
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n{extra}\r\n"
    );
    tcp.write_all(upgrade.as_bytes()).await.unwrap();
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        tcp.read_exact(&mut byte).await.unwrap();
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head);
    assert!(head.starts_with("HTTP/1.1 101"), "{head}");
    let mut frame = vec![0x82, 0x80 | 127];
    frame.extend_from_slice(&len.to_be_bytes());
    frame.extend_from_slice(&[1, 2, 3, 4]);
    frame.extend_from_slice(&[0u8; 1024]);
    // The server may close before it has read even this much.
    let _ = tcp.write_all(&frame).await;
    let (mut rd, _wr) = tcp.into_split();
    // Within 2 s: sooner than the media stream's own 5 s wait for its `start`.
    let got = read_until_closed(&mut rd, Duration::from_secs(2)).await;
    // A Close frame from the server (unmasked): 0x88, length, code.
    (got.len() >= 4 && got[0] == 0x88).then(|| u16::from_be_bytes([got[2], got[3]]))
}

#[tokio::test]
async fn a_16_mib_websocket_frame_is_refused_from_its_header() {
    let app = spawn_app().await;
    let public = app.public.trim_start_matches("http://").to_string();
    let code = announce_oversized_frame(&public, "/media-stream", "", 16 * 1024 * 1024).await;
    // The call's driver reads the refusal as a stream that broke before its `start` and
    // closes with 1008 (policy); the socket layer itself would say 1009 (too big).
    assert!(
        code.is_none_or(|c| c == 1008 || c == 1009),
        "closed as too big, or cut: {code:?}"
    );
    // The event stream: a dashboard sends only tiny frames.
    let basic = base64::Engine::encode(
        &base64::engine::general_purpose::STANDARD,
        format!("{USER}:{PASSWORD}"),
    );
    let kitchen = app.base.trim_start_matches("http://").to_string();
    let code = announce_oversized_frame(
        &kitchen,
        "/api/events",
        &format!("Authorization: Basic {basic}\r\n"),
        1024 * 1024,
    )
    .await;
    assert!(code.is_none_or(|c| c == 1009), "{code:?}");
    // The server is still serving.
    assert_eq!(app.anonymous().get("/health").await.unwrap().status(), 200);
}
