//! `WS /api/events`: the live event stream of the kitchen.
//!
//! Frames (JSON text): `{"type":"hello"}` first — a client re-fetches its orders on every
//! hello, so a reconnect always ends with the truth — then `order.created`,
//! `order.updated`, `menu.updated`. A client that falls more than the bus capacity behind
//! gets `{"type":"resync","missed":N}` and should re-fetch. The server pings every 20 s and
//! closes with 1001 when it shuts down.

use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::State;
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::http::{HeaderMap, header};
use axum::response::Response;
use futures_util::{Sink, SinkExt, Stream, StreamExt};
use kitchen_core::Published;
use serde_json::json;
use std::time::Duration;
use tokio::sync::broadcast::{self, error::RecvError};
use tokio_util::sync::CancellationToken;

/// How often the server pings an idle stream (keeps NAT and proxies from dropping it).
const PING_EVERY: Duration = Duration::from_secs(20);
/// How long a closing stream waits for the client's answering Close frame.
const CLOSE_GRACE: Duration = Duration::from_secs(1);

pub(super) async fn subscribe(
    State(st): State<AppState>,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> Result<Response, ApiError> {
    check_same_origin(&headers)?;
    // Subscribe before the upgrade completes, so no event between "connected" and the
    // first receive is missed.
    let events = st.bus.subscribe();
    let shutdown = st.shutdown.clone();
    let tracker = st.live_connections.clone();
    Ok(ws.on_upgrade(move |socket: WebSocket| {
        tracker.track_future(async move {
            let (tx, rx) = socket.split();
            stream_events(tx, rx, events, shutdown).await;
        })
    }))
}

/// A browser page from another site must not read the kitchen's events (the cookie is
/// SameSite=Strict already; this also covers clients that send Basic credentials).
fn check_same_origin(headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return Ok(());
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let origin_host = origin.split_once("://").map_or(origin, |(_, h)| h);
    if origin_host.eq_ignore_ascii_case(host) || origin.starts_with("tauri://") {
        Ok(())
    } else {
        Err(ApiError::ForbiddenOrigin)
    }
}

/// Pumps bus events into a socket until the client leaves or the server stops. Generic over
/// the socket halves so tests can drive it with channels.
pub(crate) async fn stream_events<W, R, E>(
    mut tx: W,
    mut rx: R,
    mut events: broadcast::Receiver<Published>,
    shutdown: CancellationToken,
) where
    W: Sink<Message> + Unpin,
    R: Stream<Item = Result<Message, E>> + Unpin,
{
    if tx
        .send(text(json!({"type": "hello"}).to_string()))
        .await
        .is_err()
    {
        return;
    }
    let mut ping = tokio::time::interval(PING_EVERY);
    ping.tick().await;
    loop {
        let out = tokio::select! {
            biased;
            () = shutdown.cancelled() => break,
            ev = events.recv() => match ev {
                Ok(p) => text(p.json.to_string()),
                Err(RecvError::Lagged(missed)) => text(json!({"type": "resync", "missed": missed}).to_string()),
                // The bus is gone: the server is stopping.
                Err(RecvError::Closed) => break,
            },
            msg = rx.next() => match msg {
                None | Some(Err(_)) | Some(Ok(Message::Close(_))) => return,
                Some(Ok(_)) => continue,
            },
            _ = ping.tick() => Message::Ping(Vec::new().into()),
        };
        if tx.send(out).await.is_err() {
            return;
        }
    }
    let frame = CloseFrame {
        code: 1001,
        reason: "server shutting down".into(),
    };
    if tx.send(Message::Close(Some(frame))).await.is_ok() {
        // Finish the closing handshake: wait (briefly) for the client's Close, so the
        // connection ends cleanly instead of being cut.
        let _ = tokio::time::timeout(CLOSE_GRACE, async {
            while let Some(Ok(m)) = rx.next().await {
                if matches!(m, Message::Close(_)) {
                    break;
                }
            }
        })
        .await;
    }
}

fn text(s: String) -> Message {
    Message::Text(s.into())
}
