//! `WS /api/events`: the live event stream of the kitchen.
//!
//! Frames (JSON text): `{"type":"hello"}` first — a client re-fetches its orders on every
//! hello, so a reconnect always ends with the truth — then `order.created`,
//! `order.updated`, `menu.updated`. A client that falls more than the bus capacity behind
//! gets `{"type":"resync","missed":N}` and should re-fetch. The server pings every 20 s and
//! closes with 1001 when it shuts down.

use crate::error::ApiError;
use crate::hosts::AllowedHosts;
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
/// Largest frame (and message) a dashboard may send on the stream: it sends only Close and
/// Pong frames.
const MAX_CLIENT_FRAME: usize = 16 * 1024;
/// How long a closing stream waits for the client's answering Close frame.
const CLOSE_GRACE: Duration = Duration::from_secs(1);

pub(super) async fn subscribe(
    State(st): State<AppState>,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> Result<Response, ApiError> {
    check_same_origin(&st.hosts, &headers)?;
    // Subscribe before the upgrade completes, so no event between "connected" and the
    // first receive is missed.
    let events = st.bus.subscribe();
    let shutdown = st.shutdown.clone();
    let tracker = st.live_connections.clone();
    // The dashboard sends nothing but Close and Pong: a frame over the limit is refused
    // from its header, before its payload is read.
    let ws = ws
        .max_frame_size(MAX_CLIENT_FRAME)
        .max_message_size(MAX_CLIENT_FRAME)
        .read_buffer_size(4096);
    Ok(ws.on_upgrade(move |socket: WebSocket| {
        tracker.track_future(async move {
            let (tx, rx) = socket.split();
            stream_events(tx, rx, events, shutdown).await;
        })
    }))
}

/// A browser page from another site must not read the kitchen's events (the cookie is
/// SameSite=Strict already; this also covers clients that send Basic credentials). The
/// `Origin` is checked against the names this server serves, never against the request's
/// own `Host` (which a DNS-rebinding page controls).
fn check_same_origin(hosts: &AllowedHosts, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(origin) = headers.get(header::ORIGIN) else {
        return Ok(());
    };
    match origin.to_str() {
        Ok(o) if hosts.allows_origin(o) => Ok(()),
        other => {
            let shown: String = other.unwrap_or("(not text)").chars().take(100).collect();
            tracing::warn!(origin = %shown, "refused an event stream for a page of another site (403)");
            Err(ApiError::ForbiddenOrigin)
        }
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
