//! The tunnel supervisor over real sockets: a local fake of ngrok's service (testkit's
//! `FakeNgrok`, whose edge is a real TCP port) and a real local HTTP/WebSocket server as
//! the forwarding target; and the real ngrok client against a closed local port.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::Router;
use axum::extract::ws::{Message, WebSocketUpgrade};
use axum::routing::get;
use futures_util::{SinkExt, StreamExt};
use kitchen_testkit::FakeNgrok;
use kitchen_tunnel::{Authtoken, Backoff, NgrokConnector, Tunnel, TunnelOptions, TunnelStatus};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

const TOKEN: &str = "2hT0kenFromDashboardNgrokCom_abc123";
const WAIT: Duration = Duration::from_secs(10);

fn fast() -> Backoff {
    Backoff {
        initial: Duration::from_millis(40),
        max: Duration::from_millis(200),
    }
}

/// A local "public router": `/incoming-call` answers, `/media-stream` echoes WebSocket text.
async fn local_target() -> SocketAddr {
    let app = Router::new()
        .route("/incoming-call", get(|| async { "twiml here" }))
        .route(
            "/media-stream",
            get(|ws: WebSocketUpgrade| async move {
                ws.on_upgrade(|mut socket| async move {
                    while let Some(Ok(Message::Text(t))) = socket.recv().await {
                        if socket.send(Message::Text(t)).await.is_err() {
                            break;
                        }
                    }
                })
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    addr
}

fn options(token: &str, domain: Option<&str>, forward_to: SocketAddr) -> TunnelOptions {
    TunnelOptions {
        authtoken: Authtoken::new(token),
        domain: domain.map(str::to_string),
        forward_to,
    }
}

/// Waits for a status matching `pred`, returning it; collects every status seen.
async fn wait_for(
    rx: &mut watch::Receiver<TunnelStatus>,
    seen: &mut Vec<TunnelStatus>,
    pred: impl Fn(&TunnelStatus) -> bool,
) -> TunnelStatus {
    tokio::time::timeout(WAIT, async {
        loop {
            let s = rx.borrow_and_update().clone();
            if seen.last() != Some(&s) {
                seen.push(s.clone());
            }
            if pred(&s) {
                return s;
            }
            rx.changed().await.unwrap();
        }
    })
    .await
    .unwrap_or_else(|_| panic!("status never matched; saw {seen:?}"))
}

#[tokio::test]
async fn online_tunnel_forwards_http_and_websockets_to_the_target_only() {
    let target = local_target().await;
    let ngrok = FakeNgrok::start(TOKEN).await.unwrap();
    let tunnel = Tunnel::spawn(ngrok.connector(), fast());
    let mut rx = tunnel.status();
    assert_eq!(*rx.borrow(), TunnelStatus::Off);
    // Off: the edge has no endpoint, like ngrok's ERR_NGROK_3200.
    let res = reqwest::get(format!("{}/incoming-call", ngrok.edge_url()))
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    assert!(res.text().await.unwrap().contains("ERR_NGROK_3200"));

    tunnel.configure(Some(options(
        TOKEN,
        Some("melt8-gulberg.ngrok.app"),
        target,
    )));
    let mut seen = vec![];
    let online = wait_for(&mut rx, &mut seen, |s| s.url().is_some()).await;
    assert_eq!(online.url(), Some("https://melt8-gulberg.ngrok.app"));
    assert_eq!(ngrok.attempts()[0].forward_to, target);

    let body = reqwest::get(format!("{}/incoming-call", ngrok.edge_url()))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(body, "twiml here");
    let (mut ws, _) =
        tokio_tungstenite::connect_async(format!("ws://{}/media-stream", ngrok.edge_addr()))
            .await
            .unwrap();
    ws.send(tokio_tungstenite::tungstenite::Message::text(
        "{\"event\":\"connected\"}",
    ))
    .await
    .unwrap();
    let echoed = ws.next().await.unwrap().unwrap();
    assert_eq!(echoed.to_text().unwrap(), "{\"event\":\"connected\"}");

    // The same options again change nothing; None closes the tunnel.
    tunnel.configure(Some(options(
        TOKEN,
        Some("melt8-gulberg.ngrok.app"),
        target,
    )));
    tunnel.configure(None);
    wait_for(&mut rx, &mut seen, |s| *s == TunnelStatus::Off).await;
    assert_eq!(ngrok.sessions(), 1);
}

#[tokio::test]
async fn a_refused_token_is_reported_in_plain_words_and_retried_with_growing_waits() {
    let target = local_target().await;
    let ngrok = FakeNgrok::start(TOKEN).await.unwrap();
    let backoff = Backoff {
        initial: Duration::from_millis(100),
        max: Duration::from_millis(400),
    };
    let tunnel = Tunnel::spawn(ngrok.connector(), backoff);
    let mut rx = tunnel.status();
    tunnel.configure(Some(options("wrong-token", None, target)));
    let mut seen = vec![];
    let failed = wait_for(&mut rx, &mut seen, |s| {
        matches!(s, TunnelStatus::Failed { .. })
    })
    .await;
    let TunnelStatus::Failed {
        message,
        code,
        retry_in_secs,
        ..
    } = failed
    else {
        unreachable!()
    };
    assert!(
        message.contains("copy it again from dashboard.ngrok.com"),
        "{message}"
    );
    assert_eq!(code, "ngrok_refused_token");
    assert_eq!(retry_in_secs, 1);
    let started = std::time::Instant::now();
    ngrok.wait_for_attempts(4, WAIT).await.unwrap();
    // Waits of about 100, 200, 400 ms (±20 %) lie between the four tries.
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_millis(500), "{elapsed:?}");
    // Still trying, still saying why.
    assert!(
        matches!(&*rx.borrow(), TunnelStatus::Failed { message, .. } if message.contains("authtoken"))
            || matches!(&*rx.borrow(), TunnelStatus::Connecting { attempt } if *attempt >= 4),
        "{:?}",
        rx.borrow()
    );
    assert!(ngrok.attempts().iter().all(|a| !a.token_ok));

    // A corrected token takes effect at once, whatever the backoff.
    tunnel.configure(Some(options(TOKEN, None, target)));
    let online = wait_for(&mut rx, &mut seen, |s| s.url().is_some()).await;
    let url = online.url().unwrap();
    assert!(
        url.starts_with("https://") && url.ends_with(".ngrok-free.app"),
        "{url}"
    );
}

#[tokio::test]
async fn failures_count_attempts_and_a_dropped_session_reconnects() {
    let target = local_target().await;
    let ngrok = FakeNgrok::start(TOKEN).await.unwrap();
    ngrok.fail_next(2, "could not reach ngrok: check the internet connection");
    let tunnel = Tunnel::spawn(ngrok.connector(), fast());
    let mut rx = tunnel.status();
    tunnel.configure(Some(options(TOKEN, None, target)));
    let mut seen = vec![];
    wait_for(&mut rx, &mut seen, |s| s.url().is_some()).await;
    assert_eq!(ngrok.attempts().len(), 3);
    assert!(
        seen.iter().any(|s| matches!(s, TunnelStatus::Failed { message, .. } if message.contains("check the internet connection"))),
        "{seen:?}"
    );

    ngrok.drop_session();
    let mut after = vec![];
    wait_for(
        &mut rx,
        &mut after,
        |s| matches!(s, TunnelStatus::Failed { message, .. } if message.contains("dropped")),
    )
    .await;
    let again = wait_for(&mut rx, &mut after, |s| s.url().is_some()).await;
    assert!(again.url().is_some());
    assert_eq!(ngrok.sessions(), 2);
    let body = reqwest::get(format!("{}/incoming-call", ngrok.edge_url()))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(body, "twiml here");

    tunnel.stop();
    wait_for(&mut rx, &mut after, |s| *s == TunnelStatus::Off).await;
}

#[tokio::test]
async fn the_real_ngrok_client_reports_an_unreachable_server_and_retries() {
    // A port that was free a moment ago: nothing listens there.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    let connector = Arc::new(NgrokConnector::with_server_addr(format!(
        "localhost:{}",
        closed.port()
    )));
    let tunnel = Tunnel::spawn(connector, fast());
    let mut rx = tunnel.status();
    tunnel.configure(Some(options(TOKEN, None, closed)));
    let mut seen = vec![];
    let failed = wait_for(&mut rx, &mut seen, |s| {
        matches!(s, TunnelStatus::Failed { .. })
    })
    .await;
    let TunnelStatus::Failed {
        message,
        code,
        params,
        ..
    } = failed
    else {
        unreachable!()
    };
    assert!(
        message.starts_with("could not reach ngrok at localhost:"),
        "{message}"
    );
    assert_eq!(code, "ngrok_unreachable");
    assert_eq!(
        params.get("server_addr"),
        Some(&format!("localhost:{}", closed.port()))
    );
    assert!(
        message.contains("check the internet connection"),
        "{message}"
    );
    assert!(!message.contains(TOKEN));
    drop(tunnel);

    // A server that accepts and hangs up (no TLS): the client fails each time and keeps
    // coming back, with waits between the tries.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, mut accepted) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let _ = tx.send(std::time::Instant::now());
            drop(tcp);
        }
    });
    let connector = Arc::new(NgrokConnector::with_server_addr(format!(
        "localhost:{port}"
    )));
    let tunnel = Tunnel::spawn(connector, fast());
    let mut rx = tunnel.status();
    tunnel.configure(Some(options(TOKEN, None, closed)));
    let mut times = vec![];
    for _ in 0..3 {
        let at = tokio::time::timeout(WAIT, accepted.recv())
            .await
            .unwrap()
            .unwrap();
        times.push(at);
    }
    for pair in times.windows(2) {
        assert!(pair[1] - pair[0] >= Duration::from_millis(30), "{times:?}");
    }
    let mut seen = vec![];
    let failed = wait_for(&mut rx, &mut seen, |s| {
        matches!(s, TunnelStatus::Failed { .. })
    })
    .await;
    let TunnelStatus::Failed { message, .. } = failed else {
        unreachable!()
    };
    assert!(
        message.contains("could not talk securely to ngrok")
            || message.contains("ngrok closed the connection"),
        "{message}"
    );
}
