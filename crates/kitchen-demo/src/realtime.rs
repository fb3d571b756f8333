//! [`FakeRealtime`]: a local WebSocket server speaking the OpenAI Realtime GA protocol, so
//! the relay can be tested without reaching OpenAI.
//!
//! It speaks raw JSON (never the server's codec), answers like the GA service
//! (`session.created`, `session.updated`, `conversation.item.added`, truncation errors, beta
//! refusal with close code 4000), and hands each accepted connection over as a
//! [`FakeSession`]. A [`Script`] can drive sessions on its own, for the demo. Every client
//! event also goes through a [`ClientEventCheck`] when one is installed
//! ([`FakeRealtime::start_with`]): the test kit installs the GA JSON Schema there.

mod protocol;
mod script;
mod session;

use script::Sidebands;
pub use script::{Script, Step};
pub use session::{FakeSession, Handshake};

use anyhow::Context;
use futures_util::{SinkExt, StreamExt};
use protocol::{Reply, beta_header_replies, handle_client_text, initial_session, note_sent};
use serde_json::{Value, json};
use session::{Outbound, ScriptStatus, with_event_id};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio::task::AbortHandle;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::handshake::server::{ErrorResponse, Request, Response};
use tokio_tungstenite::tungstenite::http::StatusCode;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;

/// How the fake treats a connection attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Behaviour {
    /// Accept the WebSocket and behave like the GA service.
    Accept,
    /// Answer the upgrade with this HTTP status and an OpenAI-style JSON error body
    /// (401 = bad API key, 429 = quota, …).
    RejectWith(u16),
    /// Accept, then drop the TCP connection right after the first `session.update`.
    CloseAfterSessionUpdate,
}

/// A check of one client event (`Err` says what is wrong), run on every event a client
/// sends. A failing event is recorded as a violation and answered with an `error` event
/// (`invalid_value`), as the real service answers an event it cannot parse.
pub type ClientEventCheck = fn(&Value) -> Result<(), String>;

/// The model reported when the client did not name one.
const DEFAULT_MODEL: &str = "gpt-realtime-2.1";

#[derive(Debug)]
struct Shared {
    behaviour: Behaviour,
    script: Option<Script>,
    check: Option<ClientEventCheck>,
    attempts: AtomicUsize,
    connections: AtomicUsize,
    sessions: Mutex<Vec<FakeSession>>,
    queue_tx: mpsc::UnboundedSender<FakeSession>,
    queue_rx: tokio::sync::Mutex<mpsc::UnboundedReceiver<FakeSession>>,
    tasks: Mutex<Vec<AbortHandle>>,
    sidebands: Sidebands,
}

/// A fake OpenAI Realtime API on `127.0.0.1`. Stops (and drops its connections) on drop.
#[derive(Debug)]
pub struct FakeRealtime {
    addr: SocketAddr,
    shared: Arc<Shared>,
}

impl FakeRealtime {
    /// Starts a fake that treats every connection per `behaviour`, with no event check.
    pub async fn start(behaviour: Behaviour) -> anyhow::Result<FakeRealtime> {
        Self::start_with(behaviour, None, None).await
    }

    /// Starts a fake that accepts every connection and runs `script` on each new session,
    /// with no event check (the demo's fake AI).
    pub async fn start_scripted(script: Script) -> anyhow::Result<FakeRealtime> {
        Self::start_with(Behaviour::Accept, Some(script), None).await
    }

    /// Starts a fake that treats every connection per `behaviour`, runs `script` (if any) on
    /// each new session and `check` (if any) on every client event.
    pub async fn start_with(
        behaviour: Behaviour,
        script: Option<Script>,
        check: Option<ClientEventCheck>,
    ) -> anyhow::Result<FakeRealtime> {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .context("binding the fake Realtime server")?;
        let addr = listener.local_addr()?;
        let (queue_tx, queue_rx) = mpsc::unbounded_channel();
        let shared = Arc::new(Shared {
            behaviour,
            script,
            check,
            attempts: AtomicUsize::new(0),
            connections: AtomicUsize::new(0),
            sessions: Mutex::new(Vec::new()),
            queue_tx,
            queue_rx: tokio::sync::Mutex::new(queue_rx),
            tasks: Mutex::new(Vec::new()),
            sidebands: Sidebands::default(),
        });
        let task_shared = shared.clone();
        let accept = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let _ = stream.set_nodelay(true);
                let conn = tokio::spawn(serve(stream, task_shared.clone()));
                lock(&task_shared.tasks).push(conn.abort_handle());
            }
        });
        lock(&shared.tasks).push(accept.abort_handle());
        Ok(FakeRealtime { addr, shared })
    }

    /// The URL to configure as the Realtime endpoint: `ws://127.0.0.1:PORT/v1/realtime`
    /// (the client appends `?model=…`).
    pub fn url(&self) -> String {
        format!("ws://{}/v1/realtime", self.addr)
    }

    /// The sessions that were sideband connections to the SIP call `call_id`
    /// (`/v1/realtime?call_id=…`), in order.
    pub fn sideband_sessions(&self, call_id: &str) -> Vec<FakeSession> {
        self.sessions()
            .into_iter()
            .filter(|s| s.handshake().call_id().as_deref() == Some(call_id))
            .collect()
    }

    /// The address the fake listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// How many WebSocket handshakes were accepted so far.
    pub fn connections(&self) -> usize {
        self.shared.connections.load(Ordering::SeqCst)
    }

    /// How many upgrade requests arrived, rejected ones included.
    pub fn attempts(&self) -> usize {
        self.shared.attempts.load(Ordering::SeqCst)
    }

    /// Every session accepted so far, in order.
    pub fn sessions(&self) -> Vec<FakeSession> {
        lock(&self.shared.sessions).clone()
    }

    /// Protocol violations (and failed [`ClientEventCheck`]s) of every session, each
    /// prefixed with its index.
    pub fn schema_violations(&self) -> Vec<String> {
        self.sessions()
            .iter()
            .flat_map(|s| {
                let i = s.index();
                s.schema_violations()
                    .into_iter()
                    .map(move |v| format!("session {i}: {v}"))
            })
            .collect()
    }

    /// The next accepted connection not handed out yet, waiting up to `within`.
    pub async fn next_session(&self, within: Duration) -> anyhow::Result<FakeSession> {
        let mut rx = self.shared.queue_rx.lock().await;
        tokio::time::timeout(within, rx.recv())
            .await
            .with_context(|| format!("no Realtime connection within {within:?}"))?
            .context("the fake Realtime server stopped")
    }
}

impl Drop for FakeRealtime {
    fn drop(&mut self) {
        for task in lock(&self.shared.tasks).drain(..) {
            task.abort();
        }
    }
}

/// Locks a std mutex, ignoring poisoning (the data stays usable for a test double).
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// One TCP connection: the upgrade (accept or reject), then the event loop.
async fn serve(stream: TcpStream, shared: Arc<Shared>) {
    shared.attempts.fetch_add(1, Ordering::SeqCst);
    let mut seen = Handshake::default();
    let behaviour = shared.behaviour;
    // tungstenite fixes this signature (its error type is a whole HTTP response).
    #[allow(clippy::result_large_err)]
    let callback = |req: &Request, resp: Response| -> Result<Response, ErrorResponse> {
        seen = read_handshake(req);
        let has_key = seen.authorization.is_some() || seen.header("api-key").is_some();
        if let Behaviour::RejectWith(status) = behaviour {
            return Err(reject(status));
        }
        if !seen.path.ends_with("/realtime") {
            return Err(reject(404));
        }
        if !has_key {
            return Err(reject(401));
        }
        if let Some(call_id) = seen.call_id()
            && shared.sidebands.refused(&call_id)
        {
            return Err(reject(503));
        }
        Ok(resp)
    };
    let Ok(ws) = tokio_tungstenite::accept_hdr_async(stream, callback).await else {
        return;
    };
    let index = shared.connections.fetch_add(1, Ordering::SeqCst);
    let (out_tx, out_rx) = mpsc::unbounded_channel();
    let beta_header = seen
        .header("openai-beta")
        .is_some_and(|v| v.contains("realtime"));
    let model = seen.model.clone().unwrap_or_else(|| DEFAULT_MODEL.into());
    let session = FakeSession::new(index, seen, out_tx);
    lock(&shared.sessions).push(session.clone());
    let _ = shared.queue_tx.send(session.clone());
    if beta_header {
        session.update(|s| {
            s.violations
                .push("client sent `OpenAI-Beta: realtime=v1`".into())
        });
        run(ws, &session, out_rx, &shared, beta_header_replies()).await;
        return;
    }
    if let Some(script) = shared.script.clone() {
        session.update(|s| s.script = ScriptStatus::Running);
        let sideband = session
            .handshake()
            .call_id()
            .map(|call_id| (shared.sidebands.clone(), call_id));
        let runner = tokio::spawn(script.run(session.clone(), sideband));
        lock(&shared.tasks).push(runner.abort_handle());
    }
    let created = json!({"type": "session.created", "session": initial_session(&model)});
    let first = vec![Reply::Send(created)];
    run(ws, &session, out_rx, &shared, first).await;
}

/// The event loop of one accepted connection: `first` replies, then client events in and
/// test-pushed events out, until either side ends it.
async fn run(
    mut ws: WebSocketStream<TcpStream>,
    session: &FakeSession,
    mut out_rx: mpsc::UnboundedReceiver<Outbound>,
    shared: &Shared,
    first: Vec<Reply>,
) {
    let mut close_code = None;
    let mut pending = first;
    'conn: loop {
        for reply in pending.drain(..) {
            match reply {
                Reply::Send(event) => {
                    let event = with_event_id(event);
                    session.update(|s| note_sent(s, &event));
                    if ws.send(Message::text(event.to_string())).await.is_err() {
                        break 'conn;
                    }
                }
                Reply::Drop => break 'conn,
                Reply::Close(code, reason) => {
                    close_code = Some(code);
                    let frame = CloseFrame {
                        code: CloseCode::from(code),
                        reason: reason.into(),
                    };
                    let _ = ws.close(Some(frame)).await;
                }
            }
        }
        tokio::select! {
            out = out_rx.recv() => match out {
                Some(Outbound::Event(e)) => pending.push(Reply::Send(e)),
                Some(Outbound::Close(code, reason)) => pending.push(Reply::Close(code, reason)),
                Some(Outbound::Drop) | None => break 'conn,
            },
            msg = ws.next() => match msg {
                Some(Ok(Message::Text(text))) => {
                    pending = session.update(|s| handle_client_text(s, &text, shared.behaviour, shared.check));
                }
                Some(Ok(Message::Binary(_))) => session.update(|s| {
                    s.violations.push("client sent a binary frame; events are JSON text".into());
                }),
                Some(Ok(Message::Close(frame))) => {
                    close_code = close_code.or(frame.map(|f| u16::from(f.code)));
                }
                Some(Ok(_)) => {}
                Some(Err(_)) | None => break 'conn,
            },
        }
    }
    drop(ws);
    session.update(|s| {
        s.closed = true;
        s.close_code = close_code;
    });
}

fn read_handshake(req: &Request) -> Handshake {
    let query = req.uri().query().map(str::to_string);
    let model = query
        .as_deref()
        .and_then(|q| serde_urlencoded::from_str::<Vec<(String, String)>>(q).ok())
        .and_then(|pairs| {
            pairs
                .into_iter()
                .find(|(k, _)| k == "model")
                .map(|(_, v)| v)
        });
    let headers: Vec<(String, String)> = req
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into(),
            )
        })
        .collect();
    let authorization = headers
        .iter()
        .find(|(k, _)| k == "authorization")
        .map(|(_, v)| v.clone());
    Handshake {
        path: req.uri().path().to_string(),
        query,
        model,
        authorization,
        headers,
    }
}

/// An HTTP answer to the upgrade, with an OpenAI-style error body.
fn reject(status: u16) -> ErrorResponse {
    let (code, message): (Value, &str) = match status {
        401 => (json!("invalid_api_key"), "Incorrect API key provided."),
        404 => (json!("not_found"), "Not found."),
        429 => (
            json!("insufficient_quota"),
            "You exceeded your current quota.",
        ),
        _ => (
            Value::Null,
            "The server had an error while processing your request.",
        ),
    };
    let body = json!({"error": {"message": message, "type": "invalid_request_error",
        "param": null, "code": code}});
    let mut resp = ErrorResponse::new(Some(body.to_string()));
    *resp.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if let Ok(v) = "application/json".parse() {
        resp.headers_mut().insert("content-type", v);
    }
    resp
}
