//! [`FakeLive`]: a local WebSocket server speaking the OpenAI GPT-Live protocol (primary
//! WebSocket, `responses` delegation), so the live bridge can be tested and demonstrated
//! without reaching OpenAI.
//!
//! It speaks raw JSON (never the server's codec) and behaves like the documented service:
//! `session.start` must come first (anything else is answered with `error`), it answers
//! `session.started`, and `session.close` gets `session.closed{reason:"close_requested"}`
//! and a closed socket. A [`LiveScript`] plays a conversation on each session: speech as
//! 20 ms `session.output_audio.delta`s at real-time pace or in a burst ([`OutputPace`]; how
//! the real service paces them is undocumented), transcripts, and function calls inside
//! `response.event` envelopes that wait for our `response.item.create` outputs and one
//! `response.create`. [`EventCheck`]s, when installed, run on every client event received
//! and every server event sent (the test kit installs the JSON Schemas; the demo none).

mod script;

pub use script::{LiveScript, LiveStep, OutputPace};

use crate::ids::openai_id;
use anyhow::Context;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, watch};
use tokio::task::AbortHandle;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::handshake::server::{ErrorResponse, Request, Response};
use tokio_tungstenite::tungstenite::http::StatusCode;

/// A check of one event (`Err` says what is wrong); failures are recorded as violations.
pub type EventCheck = fn(&Value) -> Result<(), String>;

/// The checks a [`FakeLive`] runs.
#[derive(Debug, Clone, Copy, Default)]
pub struct LiveChecks {
    /// On every client event received (a failure is also answered with `error`).
    pub client: Option<EventCheck>,
    /// On every server event the fake sends.
    pub server: Option<EventCheck>,
}

#[derive(Debug)]
struct Shared {
    script: Option<LiveScript>,
    checks: LiveChecks,
    /// Refuse every upgrade with this HTTP status (an unusable key or an outage).
    refuse: Option<u16>,
    /// TCP connections accepted, upgraded or not.
    attempts: std::sync::atomic::AtomicUsize,
    sessions: Mutex<Vec<FakeLiveSession>>,
    tasks: Mutex<Vec<AbortHandle>>,
}

/// A fake GPT-Live service on `127.0.0.1`. Stops (and drops its connections) on drop.
#[derive(Debug)]
pub struct FakeLive {
    addr: SocketAddr,
    shared: Arc<Shared>,
}

impl FakeLive {
    /// Starts a fake that runs `script` (if any) on each session started and `checks` on
    /// every event.
    pub async fn start(script: Option<LiveScript>, checks: LiveChecks) -> anyhow::Result<FakeLive> {
        Self::start_with(script, checks, None).await
    }

    /// Starts a fake that refuses every upgrade with the HTTP `status` (401: the key is
    /// refused, 503: the service is down), with OpenAI's error body.
    pub async fn start_refusing(status: u16, checks: LiveChecks) -> anyhow::Result<FakeLive> {
        Self::start_with(None, checks, Some(status)).await
    }

    async fn start_with(
        script: Option<LiveScript>,
        checks: LiveChecks,
        refuse: Option<u16>,
    ) -> anyhow::Result<FakeLive> {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .context("binding the fake GPT-Live server")?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            script,
            checks,
            refuse,
            attempts: std::sync::atomic::AtomicUsize::new(0),
            sessions: Mutex::new(Vec::new()),
            tasks: Mutex::new(Vec::new()),
        });
        let task_shared = shared.clone();
        let accept = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                task_shared
                    .attempts
                    .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let _ = stream.set_nodelay(true);
                let conn = tokio::spawn(serve(stream, task_shared.clone()));
                lock(&task_shared.tasks).push(conn.abort_handle());
            }
        });
        lock(&shared.tasks).push(accept.abort_handle());
        Ok(FakeLive { addr, shared })
    }

    /// The URL to configure as the GPT-Live endpoint: `ws://127.0.0.1:PORT/v1/live/sessions`.
    pub fn url(&self) -> String {
        format!("ws://{}/v1/live/sessions", self.addr)
    }

    /// TCP connections made to the fake so far, whether upgraded or refused.
    pub fn attempts(&self) -> usize {
        self.shared
            .attempts
            .load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Every session accepted so far, in order.
    pub fn sessions(&self) -> Vec<FakeLiveSession> {
        lock(&self.shared.sessions).clone()
    }

    /// Violations of every session (protocol and checks), each prefixed with its index.
    pub fn violations(&self) -> Vec<String> {
        self.sessions()
            .iter()
            .enumerate()
            .flat_map(|(i, s)| {
                s.violations()
                    .into_iter()
                    .map(move |v| format!("session {i}: {v}"))
            })
            .collect()
    }

    /// The first session, waiting up to `within` for it.
    pub async fn first_session(&self, within: Duration) -> anyhow::Result<FakeLiveSession> {
        let deadline = Instant::now() + within;
        loop {
            if let Some(s) = self.sessions().into_iter().next() {
                return Ok(s);
            }
            if Instant::now() >= deadline {
                anyhow::bail!("no GPT-Live connection within {within:?}");
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}

impl Drop for FakeLive {
    fn drop(&mut self) {
        for task in lock(&self.shared.tasks).drain(..) {
            task.abort();
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Everything recorded about one connection. Never locked across an `.await`.
#[derive(Debug, Default)]
struct State {
    received: Vec<Value>,
    sent: Vec<Value>,
    /// When each `session.output_audio.delta` was written.
    audio_sent_at: Vec<Instant>,
    violations: Vec<String>,
    appended_bytes: usize,
    started: bool,
    closed: bool,
    script: Option<Result<(), String>>,
}

#[derive(Debug)]
struct Inner {
    authorization: Option<String>,
    path: String,
    query: Option<String>,
    out: mpsc::UnboundedSender<Outbound>,
    state: Mutex<State>,
    changed: watch::Sender<u64>,
    opened: Instant,
}

#[derive(Debug)]
enum Outbound {
    Event(Value),
    Close,
}

/// One connection to [`FakeLive`]. Cheap to clone.
#[derive(Debug, Clone)]
pub struct FakeLiveSession {
    inner: Arc<Inner>,
}

impl FakeLiveSession {
    fn update<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        let out = f(&mut lock(&self.inner.state));
        self.inner.changed.send_modify(|v| *v += 1);
        out
    }

    fn read<T>(&self, f: impl FnOnce(&State) -> T) -> T {
        f(&lock(&self.inner.state))
    }

    /// The `Authorization` header of the upgrade.
    pub fn authorization(&self) -> Option<String> {
        self.inner.authorization.clone()
    }

    /// The upgrade's path and query string (GPT-Live takes no query parameters).
    pub fn path_and_query(&self) -> (String, Option<String>) {
        (self.inner.path.clone(), self.inner.query.clone())
    }

    /// Every client event so far, in order.
    pub fn received(&self) -> Vec<Value> {
        self.read(|s| s.received.clone())
    }

    /// The `type` of every client event except audio appends, in order.
    pub fn received_types(&self) -> Vec<String> {
        self.read(|s| {
            s.received
                .iter()
                .filter_map(|e| e["type"].as_str())
                .filter(|t| *t != "session.input_audio.append")
                .map(str::to_owned)
                .collect()
        })
    }

    /// Every server event written so far, in order.
    pub fn sent(&self) -> Vec<Value> {
        self.read(|s| s.sent.clone())
    }

    /// Protocol violations and failed checks, both directions.
    pub fn violations(&self) -> Vec<String> {
        self.read(|s| s.violations.clone())
    }

    /// Decoded caller audio received via `session.input_audio.append`, in bytes.
    pub fn appended_audio_bytes(&self) -> usize {
        self.read(|s| s.appended_bytes)
    }

    /// Whether the connection is over.
    pub fn is_closed(&self) -> bool {
        self.read(|s| s.closed)
    }

    /// How the session's script ended: `None` while running (or without a script).
    pub fn script_result(&self) -> Option<Result<(), String>> {
        self.read(|s| s.script.clone())
    }

    /// Milliseconds between the first and the last output audio delta written.
    pub fn audio_send_span_ms(&self) -> u64 {
        self.read(
            |s| match (s.audio_sent_at.first(), s.audio_sent_at.last()) {
                (Some(a), Some(b)) => b.duration_since(*a).as_millis() as u64,
                _ => 0,
            },
        )
    }

    /// Sends one server event (an `event_id` is added when missing).
    pub fn send(&self, event: Value) -> anyhow::Result<()> {
        self.inner
            .out
            .send(Outbound::Event(event))
            .map_err(|_| anyhow::anyhow!("the GPT-Live connection is closed"))
    }

    /// Closes the socket from the server side, without `session.closed` (a dropped
    /// session).
    pub fn close(&self) {
        let _ = self.inner.out.send(Outbound::Close);
    }

    /// Seconds since the connection opened (the fake's billable time).
    pub fn elapsed_seconds(&self) -> f64 {
        self.inner.opened.elapsed().as_secs_f64()
    }

    /// Waits until `f` gives `Some` (checked on every change), at most `within`.
    pub async fn wait_until<T>(
        &self,
        what: &str,
        within: Duration,
        mut f: impl FnMut(&FakeLiveSession) -> Option<T>,
    ) -> anyhow::Result<T> {
        let mut rx = self.inner.changed.subscribe();
        let deadline = tokio::time::Instant::now() + within;
        loop {
            if let Some(v) = f(self) {
                return Ok(v);
            }
            if self.is_closed() {
                anyhow::bail!("the connection closed while waiting for {what}");
            }
            match tokio::time::timeout_at(deadline, rx.changed()).await {
                Ok(Ok(())) => {}
                Ok(Err(_)) => anyhow::bail!("the fake stopped while waiting for {what}"),
                Err(_) => anyhow::bail!("no {what} within {within:?}"),
            }
        }
    }

    /// The first client event of type `kind` at or after position `from` of
    /// [`received`](Self::received), with its position, waiting up to `within` (scans only
    /// from `from` and clones only the match, so a caller can follow a long session).
    pub async fn next_received(
        &self,
        kind: &str,
        from: usize,
        within: Duration,
    ) -> anyhow::Result<(usize, Value)> {
        self.wait_until(kind, within, |s| {
            s.read(|st| {
                let rest = st.received.get(from..)?;
                let i = rest.iter().position(|e| e["type"] == kind)?;
                Some((from + i, rest[i].clone()))
            })
        })
        .await
    }

    fn session_resource(&self) -> Value {
        let session = self
            .read(|s| {
                s.received
                    .iter()
                    .find(|e| e["type"] == "session.start")
                    .map(|e| e["session"].clone())
            })
            .unwrap_or_else(|| json!({"model": "gpt-live-1.1"}));
        let mut resource = session;
        resource["id"] = json!(openai_id("sess"));
        resource["status"] = json!("active");
        resource["expires_at"] = json!(unix_now() + 3600);
        resource
    }

    fn usage(&self) -> Value {
        json!({"seconds": (self.elapsed_seconds() * 10.0).round() / 10.0})
    }
}

fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// One TCP connection: the upgrade, then the event loop.
async fn serve(stream: TcpStream, shared: Arc<Shared>) {
    let mut seen = (None, String::new(), None);
    #[allow(clippy::result_large_err)]
    let callback = |req: &Request, resp: Response| -> Result<Response, ErrorResponse> {
        let auth = req
            .headers()
            .get("authorization")
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
        seen = (
            auth.clone(),
            req.uri().path().to_owned(),
            req.uri().query().map(str::to_owned),
        );
        if !req.uri().path().ends_with("/live/sessions") {
            return Err(reject(404));
        }
        if let Some(status) = shared.refuse {
            return Err(reject(status));
        }
        if !auth.is_some_and(|a| a.starts_with("Bearer ")) {
            return Err(reject(401));
        }
        Ok(resp)
    };
    let Ok(mut ws) = tokio_tungstenite::accept_hdr_async(stream, callback).await else {
        return;
    };
    let (out_tx, mut out_rx) = mpsc::unbounded_channel();
    let session = FakeLiveSession {
        inner: Arc::new(Inner {
            authorization: seen.0,
            path: seen.1,
            query: seen.2,
            out: out_tx,
            state: Mutex::new(State::default()),
            changed: watch::channel(0).0,
            opened: Instant::now(),
        }),
    };
    lock(&shared.sessions).push(session.clone());
    loop {
        let outbound = tokio::select! {
            out = out_rx.recv() => match out {
                Some(o) => o,
                None => break,
            },
            msg = ws.next() => match msg {
                Some(Ok(Message::Text(text))) => match on_client_text(&session, &shared, &text) {
                    Reply::None => continue,
                    Reply::Send(events) => {
                        for e in events {
                            let _ = session.inner.out.send(Outbound::Event(e));
                        }
                        continue;
                    }
                },
                Some(Ok(Message::Binary(_))) => {
                    session.update(|s| s.violations.push("client sent a binary frame".into()));
                    continue;
                }
                Some(Ok(Message::Close(_))) | Some(Err(_)) | None => break,
                Some(Ok(_)) => continue,
            },
        };
        match outbound {
            Outbound::Event(mut event) => {
                if event.get("event_id").is_none() && event["type"] != "session.output_audio.delta"
                {
                    event["event_id"] = json!(openai_id("event"));
                }
                if let Some(Err(e)) = shared.checks.server.map(|check| check(&event)) {
                    session.update(|s| s.violations.push(format!("server event: {e}")));
                }
                let closing = event["type"] == "session.closed";
                let is_audio = event["type"] == "session.output_audio.delta";
                let text = event.to_string();
                session.update(|s| {
                    if is_audio {
                        s.audio_sent_at.push(Instant::now());
                    }
                    s.sent.push(event);
                });
                if ws.send(Message::text(text)).await.is_err() {
                    break;
                }
                if closing {
                    let _ = ws.close(None).await;
                    break;
                }
            }
            Outbound::Close => {
                let _ = ws.close(None).await;
                break;
            }
        }
    }
    session.update(|s| s.closed = true);
}

enum Reply {
    None,
    Send(Vec<Value>),
}

/// One client text frame: recorded, checked, answered as the service would.
fn on_client_text(session: &FakeLiveSession, shared: &Arc<Shared>, text: &str) -> Reply {
    let Ok(event) = serde_json::from_str::<Value>(text) else {
        session.update(|s| {
            s.violations
                .push(format!("client sent non-JSON: {text:.80}"))
        });
        return Reply::Send(vec![error_event(
            "invalid_json",
            "The event is not valid JSON.",
        )]);
    };
    let kind = event["type"].as_str().unwrap_or_default().to_owned();
    let check = shared.checks.client.map(|c| c(&event));
    let started = session.read(|s| s.started);
    let audio = (kind == "session.input_audio.append")
        .then(|| {
            event["audio"]
                .as_str()
                .and_then(|a| STANDARD.decode(a).ok())
        })
        .flatten();
    session.update(|s| {
        s.received.push(event.clone());
        if let Some(a) = &audio {
            s.appended_bytes += a.len();
        }
        if let Some(Err(e)) = &check {
            s.violations.push(format!("client event: {e}"));
        }
    });
    if let Some(Err(e)) = check {
        return Reply::Send(vec![error_event("invalid_value", &e)]);
    }
    if !started && kind != "session.start" {
        session.update(|s| {
            s.violations
                .push(format!("`{kind}` sent before session.start"))
        });
        return Reply::Send(vec![error_event(
            "session_not_started",
            "Send session.start before any other event.",
        )]);
    }
    match kind.as_str() {
        "session.start" if started => Reply::Send(vec![error_event(
            "session_already_started",
            "session.start may only be sent once.",
        )]),
        "session.start" => {
            session.update(|s| s.started = true);
            if let Some(script) = shared.script.clone() {
                let runner = tokio::spawn(script.run(session.clone()));
                lock(&shared.tasks).push(runner.abort_handle());
            }
            Reply::Send(vec![json!({"type": "session.started",
                "session": session.session_resource()})])
        }
        "session.close" => Reply::Send(vec![json!({"type": "session.closed",
            "reason": "close_requested", "session": session.session_resource(),
            "usage": session.usage()})]),
        _ => Reply::None,
    }
}

fn error_event(code: &str, message: &str) -> Value {
    json!({"type": "error", "error": {"type": "invalid_request_error", "code": code,
        "message": message}})
}

fn reject(status: u16) -> ErrorResponse {
    let body = json!({"error": {"message": "Incorrect API key provided.",
        "type": "invalid_request_error", "param": null, "code": "invalid_api_key"}});
    let mut resp = ErrorResponse::new(Some(body.to_string()));
    *resp.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::UNAUTHORIZED);
    resp
}
