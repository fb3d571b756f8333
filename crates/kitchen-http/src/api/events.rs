//! `WS /api/events`: the live event stream of the kitchen.
//!
//! Frames (JSON text): `{"type":"hello"}` first — a client re-fetches its orders on every
//! hello, so a reconnect always ends with the truth — then `order.created`,
//! `order.updated`, `menu.updated`. A client that falls more than the bus capacity behind
//! gets `{"type":"resync","missed":N}` and should re-fetch. The server pings every 20 s and
//! closes with 1001 when it shuts down, and with 4401 ("session ended") at once when the
//! session behind the stream ends: logout, a password change, a change of role, or expiry.

use crate::error::ApiError;
use crate::hosts::AllowedHosts;
use crate::state::AppState;
use axum::Extension;
use axum::extract::State;
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::http::{HeaderMap, header};
use axum::response::Response;
use futures_util::{Sink, SinkExt, Stream, StreamExt};
use kitchen_core::auth::{SessionWatch, Staff};
use kitchen_core::{Published, SharedClock};
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
/// How often a stream checks whether its session has expired (well within the second in
/// which an ended session's stream must close).
const EXPIRY_CHECK_EVERY: Duration = Duration::from_millis(250);
/// The Close code of a stream whose session ended (an application code, after HTTP 401).
pub const SESSION_ENDED: u16 = 4401;

pub(super) async fn subscribe(
    State(st): State<AppState>,
    Extension(staff): Extension<Staff>,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> Result<Response, ApiError> {
    check_same_origin(&st.hosts, &headers)?;
    // Subscribe before the upgrade completes, so no event between "connected" and the
    // first receive is missed; registered with its session before too, so a logout that
    // lands meanwhile still closes it.
    let events = st.bus.subscribe();
    let session = SessionEnds {
        watch: st.live_sessions.watch(staff.live_key()),
        expires_at: staff.session.as_ref().map(|s| s.expires_at),
        clock: st.clock.clone(),
    };
    // A logout or password change that landed after the login was checked but before the
    // registration above found nothing to close: check the login again now. (One that
    // lands after the registration closes the stream.)
    let still_signed_in = match &staff.session {
        Some(s) => st
            .store
            .session(s.token_hash.clone(), st.clock.now())
            .await?
            .is_some(),
        None => headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| st.credentials.basic_is_cached(v)),
    };
    if !still_signed_in {
        return Err(ApiError::Unauthorized);
    }
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
            stream_events(tx, rx, events, shutdown, session).await;
        })
    }))
}

/// What ends a stream's session: its registration in the live sessions (cancelled on
/// logout, password or role change) and its expiry by the server's clock.
pub(crate) struct SessionEnds {
    watch: SessionWatch,
    expires_at: Option<chrono::DateTime<chrono::Utc>>,
    clock: SharedClock,
}

impl SessionEnds {
    fn expired(&self) -> bool {
        self.expires_at.is_some_and(|t| self.clock.now() >= t)
    }
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
    session: SessionEnds,
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
    let mut expiry = tokio::time::interval(EXPIRY_CHECK_EVERY);
    let ended = session.watch.ended().clone();
    let mut frame = CloseFrame {
        code: 1001,
        reason: "server shutting down".into(),
    };
    loop {
        let out = tokio::select! {
            biased;
            () = shutdown.cancelled() => break,
            // Before any event: an ended session receives nothing more.
            () = ended.cancelled() => {
                frame = session_ended();
                break;
            }
            _ = expiry.tick() => {
                if session.expired() {
                    frame = session_ended();
                    break;
                }
                continue;
            }
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
        if session.expired() {
            // Expired between two checks: not even this one event.
            frame = session_ended();
            break;
        }
        if tx.send(out).await.is_err() {
            return;
        }
    }
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

fn session_ended() -> CloseFrame {
    CloseFrame {
        code: SESSION_ENDED,
        reason: "session ended".into(),
    }
}

fn text(s: String) -> Message {
    Message::Text(s.into())
}
