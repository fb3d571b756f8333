//! [`FakeLiveSideband`]: a scripted GPT-Live SIP sideband (`/v1/live/sessions/{id}/attach`)
//! for `melt8 serve --demo` and the tests. No audio flows on a sideband: the script sends
//! transcript deltas, `responses`-delegation function calls (`session.delegation.created`,
//! then `response.event`s nesting `response.output_item.done` with a completed
//! `function_call` and `response.completed`) and waits for each call's
//! `response.item.create` (`function_call_output`) and the one `response.create`, usage
//! updates and `session.closed`. A [`LiveStep::Drop`] drops the connection; the script goes
//! on from the next step when the client attaches again to the same session, or every
//! later attach is refused (503). Every client event goes through the installed check (the
//! test kit installs the GPT-Live JSON Schema); failures and a `session.start` (never sent
//! on a sideband) are recorded as violations.

use crate::ClientEventCheck;
use crate::ids::openai_id;
use anyhow::{Context, bail};
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio::task::AbortHandle;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::handshake::server::{ErrorResponse, Request, Response};
use tokio_tungstenite::tungstenite::http::StatusCode;

/// One thing the scripted GPT-Live session does.
#[derive(Debug, Clone, PartialEq)]
pub enum LiveStep {
    /// `session.input_transcript.delta`: what the caller said.
    CallerSays(String),
    /// `session.output_transcript.delta`: what the voice said.
    AiSays(String),
    /// The backend calls a tool; with `await_output`, the script waits for its
    /// `function_call_output` and then `response.create`.
    Call {
        /// Tool name.
        name: String,
        /// Arguments (sent as a JSON string).
        arguments: Value,
        /// Wait for the output and `response.create`.
        await_output: bool,
    },
    /// `session.usage.updated` with this many cumulative seconds.
    Usage(f64),
    /// Wait for the client's next event of this type (e.g. `session.thinking.append`).
    WaitFor(String),
    /// Drop the connection; with `refuse_reattach`, later attaches get 503.
    Drop {
        /// Refuse later attaches to the same session.
        refuse_reattach: bool,
    },
    /// `session.closed` (`remote_hangup`) with this many seconds of usage, then close.
    Closed(f64),
    /// Nothing for a while: the caller and the voice talking, which never reaches the PC.
    Pause(Duration),
}

impl LiveStep {
    /// [`LiveStep::Call`] that waits for the output.
    pub fn call(name: &str, arguments: Value) -> LiveStep {
        LiveStep::Call {
            name: name.into(),
            arguments,
            await_output: true,
        }
    }

    /// [`LiveStep::Call`] that does not wait (`end_call`, `transfer_to_human`).
    pub fn call_and_forget(name: &str, arguments: Value) -> LiveStep {
        LiveStep::Call {
            name: name.into(),
            arguments,
            await_output: false,
        }
    }
}

/// The steps every new session plays (resumed after a drop).
#[derive(Debug, Clone, PartialEq)]
pub struct LiveSidebandScript {
    /// The steps.
    pub steps: Vec<LiveStep>,
    /// How long any one wait may take.
    pub step_timeout: Duration,
}

impl LiveSidebandScript {
    /// A script of `steps`, each wait limited to 30 s.
    pub fn new(steps: Vec<LiveStep>) -> Self {
        LiveSidebandScript {
            steps,
            step_timeout: Duration::from_secs(30),
        }
    }

    /// A whole Urdu phone order: the caller's words, `update_order` without the callback
    /// "yes", the caller says yes, `update_order` with `callback_confirmed`,
    /// `confirm_order` with `Q2`, usage, goodbye and `end_call` `{"outcome":"ordered"}`.
    pub fn urdu_pizza_order(item_id: &str, size_id: &str, quantity: u32, address: &str) -> Self {
        let order = json!({
            "items": [{"item_id": item_id, "size_id": size_id, "quantity": quantity}],
            "address": address, "customer_name": "Ali", "payment": {"method": "cash"}
        });
        let mut confirmed = order.clone();
        confirmed["callback_confirmed"] = json!(true);
        LiveSidebandScript::new(vec![
            LiveStep::AiSays("السلام علیکم! میلٹ 8 میں خوش آمدید۔".into()),
            LiveStep::CallerSays(format!("{quantity} بڑے چکن تکہ، {address}، کیش")),
            LiveStep::call("update_order", order),
            LiveStep::AiSays("کیا ہم اسی نمبر پر کال کر سکتے ہیں؟".into()),
            LiveStep::CallerSays("جی ہاں".into()),
            LiveStep::call("update_order", confirmed),
            LiveStep::AiSays("آپ کا آرڈر دہرا دوں: کیا یہ درست ہے؟".into()),
            LiveStep::CallerSays("جی بالکل".into()),
            LiveStep::call("confirm_order", json!({"quote_id": "Q2"})),
            LiveStep::Usage(42.0),
            LiveStep::AiSays("شکریہ! آپ کا آرڈر لگ گیا ہے۔ اللہ حافظ".into()),
            LiveStep::call_and_forget("end_call", json!({"outcome": "ordered"})),
        ])
    }
}

/// One sideband connection as the fake saw it.
#[derive(Debug, Clone, Default)]
pub struct LiveAttach {
    /// The session id in the path.
    pub session_id: String,
    /// The `Authorization` header.
    pub authorization: Option<String>,
    /// Client events, in order.
    pub received: Vec<Value>,
    /// Server events sent, in order.
    pub sent: Vec<Value>,
    /// Failed checks and protocol violations.
    pub violations: Vec<String>,
    /// `None` while the script runs; `Some(Err)` when it failed.
    pub script: Option<Result<(), String>>,
}

#[derive(Debug, Clone, Copy, Default)]
struct SessionBook {
    resume_at: usize,
    refused: bool,
}

#[derive(Debug)]
struct Shared {
    script: LiveSidebandScript,
    check: Option<ClientEventCheck>,
    sessions: Mutex<HashMap<String, SessionBook>>,
    attaches: Mutex<Vec<LiveAttach>>,
    tasks: Mutex<Vec<AbortHandle>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The fake, on 127.0.0.1. Stops (and drops its connections) on drop.
#[derive(Debug)]
pub struct FakeLiveSideband {
    addr: SocketAddr,
    shared: Arc<Shared>,
}

impl Drop for FakeLiveSideband {
    fn drop(&mut self) {
        for task in lock(&self.shared.tasks).drain(..) {
            task.abort();
        }
    }
}

impl FakeLiveSideband {
    /// Starts the fake playing `script` on every session, `check` (if any) on every client
    /// event.
    pub async fn start(
        script: LiveSidebandScript,
        check: Option<ClientEventCheck>,
    ) -> anyhow::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .context("binding the fake GPT-Live sideband")?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            script,
            check,
            sessions: Mutex::default(),
            attaches: Mutex::default(),
            tasks: Mutex::default(),
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
        Ok(FakeLiveSideband { addr, shared })
    }

    /// The URL to configure as `OPENAI_LIVE_URL` (`ws://127.0.0.1:PORT/v1/live/sessions`).
    pub fn url(&self) -> String {
        format!("ws://{}/v1/live/sessions", self.addr)
    }

    /// Every accepted attach so far, in order.
    pub fn attaches(&self) -> Vec<LiveAttach> {
        lock(&self.shared.attaches).clone()
    }

    /// The attaches to `session_id`, in order.
    pub fn attaches_to(&self, session_id: &str) -> Vec<LiveAttach> {
        self.attaches()
            .into_iter()
            .filter(|a| a.session_id == session_id)
            .collect()
    }

    /// Every violation of every attach, prefixed with its session.
    pub fn violations(&self) -> Vec<String> {
        self.attaches()
            .iter()
            .flat_map(|a| {
                a.violations
                    .iter()
                    .map(|v| format!("{}: {v}", a.session_id))
            })
            .collect()
    }

    /// Waits until the script of the `n`th attach to `session_id` (0-based) ended.
    pub async fn script_finished(
        &self,
        session_id: &str,
        n: usize,
        within: Duration,
    ) -> anyhow::Result<()> {
        let until = tokio::time::Instant::now() + within;
        loop {
            if let Some(a) = self.attaches_to(session_id).get(n)
                && let Some(result) = &a.script
            {
                return result
                    .clone()
                    .map_err(|e| anyhow::anyhow!("script failed: {e}"));
            }
            if tokio::time::Instant::now() >= until {
                bail!("the script of attach {n} to {session_id} did not end within {within:?}");
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}

/// `/v1/live/sessions/{id}/attach` → `id`.
fn session_of(path: &str) -> Option<String> {
    let id = path
        .strip_prefix("/v1/live/sessions/")?
        .strip_suffix("/attach")?;
    (!id.is_empty() && !id.contains('/')).then(|| id.to_string())
}

fn reject(status: u16) -> ErrorResponse {
    let body =
        json!({"error": {"message": "refused by the fake", "type": "invalid_request_error"}});
    let mut resp = ErrorResponse::new(Some(body.to_string()));
    *resp.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    resp
}

async fn serve(stream: TcpStream, shared: Arc<Shared>) {
    let mut seen: Option<(String, Option<String>)> = None;
    #[allow(clippy::result_large_err)]
    let callback = |req: &Request, resp: Response| -> Result<Response, ErrorResponse> {
        let Some(id) = session_of(req.uri().path()) else {
            return Err(reject(404));
        };
        let auth = req
            .headers()
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        if !auth.as_deref().is_some_and(|a| a.starts_with("Bearer ")) {
            return Err(reject(401));
        }
        if lock(&shared.sessions).get(&id).is_some_and(|s| s.refused) {
            return Err(reject(503));
        }
        seen = Some((id, auth));
        Ok(resp)
    };
    let Ok(ws) = tokio_tungstenite::accept_hdr_async(stream, callback).await else {
        return;
    };
    let Some((session_id, authorization)) = seen else {
        return;
    };
    let index = {
        let mut attaches = lock(&shared.attaches);
        attaches.push(LiveAttach {
            session_id: session_id.clone(),
            authorization,
            ..LiveAttach::default()
        });
        attaches.len() - 1
    };
    let (mut sink, mut source) = ws.split();
    let (in_tx, in_rx) = mpsc::unbounded_channel::<Value>();
    let reader_shared = shared.clone();
    let reader = tokio::spawn(async move {
        while let Some(Ok(msg)) = source.next().await {
            let Message::Text(text) = msg else {
                if matches!(msg, Message::Close(_)) {
                    break;
                }
                continue;
            };
            let event: Value = match serde_json::from_str(&text) {
                Ok(v) => v,
                Err(_) => {
                    record(&reader_shared, index, |a| {
                        a.violations.push("a client frame is not JSON".into())
                    });
                    continue;
                }
            };
            let check = reader_shared.check;
            record(&reader_shared, index, |a| {
                if event["type"] == "session.start" {
                    a.violations
                        .push("session.start sent on a sideband (never allowed)".into());
                }
                if let Some(check) = check
                    && let Err(e) = check(&event)
                {
                    a.violations.push(e);
                }
                a.received.push(event.clone());
            });
            let _ = in_tx.send(event);
        }
    });
    let start = lock(&shared.sessions)
        .get(&session_id)
        .map_or(0, |s| s.resume_at);
    let mut player = Player {
        shared: &shared,
        index,
        sink: &mut sink,
        inbox: in_rx,
    };
    let result = player.play(&session_id, start).await;
    let dropped = matches!(result, Ok(true));
    record(&shared, index, |a| {
        a.script = Some(result.map(|_| ()).map_err(|e| format!("{e:#}")));
    });
    if dropped {
        reader.abort();
        return;
    }
    // The script is over: keep the socket until the client leaves.
    let _ = reader.await;
}

fn record(shared: &Shared, index: usize, f: impl FnOnce(&mut LiveAttach)) {
    if let Some(a) = lock(&shared.attaches).get_mut(index) {
        f(a);
    }
}

type Sink = futures_util::stream::SplitSink<tokio_tungstenite::WebSocketStream<TcpStream>, Message>;

struct Player<'a> {
    shared: &'a Arc<Shared>,
    index: usize,
    sink: &'a mut Sink,
    inbox: mpsc::UnboundedReceiver<Value>,
}

impl Player<'_> {
    async fn send(&mut self, mut event: Value) -> anyhow::Result<()> {
        event["event_id"] = json!(openai_id("event"));
        record(self.shared, self.index, |a| a.sent.push(event.clone()));
        self.sink
            .send(Message::text(event.to_string()))
            .await
            .context("the client is gone")
    }

    /// The next client event matching `want`, within the step timeout.
    async fn wait(&mut self, what: &str, want: impl Fn(&Value) -> bool) -> anyhow::Result<Value> {
        let within = self.shared.script.step_timeout;
        let until = tokio::time::Instant::now() + within;
        loop {
            match tokio::time::timeout_at(until, self.inbox.recv()).await {
                Err(_) => bail!("no {what} within {within:?}"),
                Ok(None) => bail!("the client left while waiting for {what}"),
                Ok(Some(event)) if want(&event) => return Ok(event),
                Ok(Some(_)) => {}
            }
        }
    }

    /// Plays from step `start`; `Ok(true)` when it dropped the connection.
    async fn play(&mut self, session_id: &str, start: usize) -> anyhow::Result<bool> {
        let steps = self.shared.script.steps.clone();
        for (i, step) in steps.iter().enumerate().skip(start) {
            let res = self
                .step(step)
                .await
                .with_context(|| format!("step {i} ({step:?})"))?;
            if let LiveStep::Drop { refuse_reattach } = step {
                let mut sessions = lock(&self.shared.sessions);
                let book = sessions.entry(session_id.to_string()).or_default();
                book.resume_at = i + 1;
                book.refused |= *refuse_reattach;
                return Ok(true);
            }
            if res {
                return Ok(false);
            }
        }
        Ok(false)
    }

    /// Runs one step; `Ok(true)` when the session is over.
    async fn step(&mut self, step: &LiveStep) -> anyhow::Result<bool> {
        match step {
            LiveStep::CallerSays(text) => {
                self.send(
                    json!({"type": "session.input_transcript.delta", "delta": text,
                    "start_ms": 0, "end_ms": 0}),
                )
                .await?;
            }
            LiveStep::AiSays(text) => {
                self.send(
                    json!({"type": "session.output_transcript.delta", "delta": text,
                    "start_ms": 0, "end_ms": 0}),
                )
                .await?;
            }
            LiveStep::Usage(seconds) => {
                self.send(json!({"type": "session.usage.updated", "usage": {"seconds": seconds}}))
                    .await?;
            }
            LiveStep::WaitFor(kind) => {
                self.wait(kind, |e| e["type"] == kind.as_str()).await?;
            }
            LiveStep::Drop { .. } => {}
            LiveStep::Pause(pause) => tokio::time::sleep(*pause).await,
            LiveStep::Closed(seconds) => {
                self.send(json!({"type": "session.closed", "reason": "remote_hangup",
                    "usage": {"seconds": seconds}}))
                    .await?;
                let _ = self.sink.close().await;
                return Ok(true);
            }
            LiveStep::Call {
                name,
                arguments,
                await_output,
            } => {
                let (delegation, response, call_id) =
                    (openai_id("dlg"), openai_id("resp"), openai_id("call"));
                self.send(json!({"type": "session.delegation.created", "offset_ms": 0,
                    "delegation": {"id": delegation, "target": "responses",
                        "type": "delegation", "response_id": response}}))
                    .await?;
                let item = json!({"type": "function_call", "id": openai_id("fc"),
                    "call_id": call_id, "name": name, "arguments": arguments.to_string(),
                    "status": "completed"});
                self.send(
                    json!({"type": "response.event", "delegation_id": delegation,
                    "event": {"type": "response.output_item.done", "output_index": 0,
                        "sequence_number": 1, "item": item}}),
                )
                .await?;
                self.send(
                    json!({"type": "response.event", "delegation_id": delegation,
                    "event": {"type": "response.completed", "sequence_number": 2,
                        "response": {"id": response, "object": "response",
                            "status": "completed", "output": []}}}),
                )
                .await?;
                if *await_output {
                    let what = format!("the function_call_output for `{name}` ({call_id})");
                    self.wait(&what, |e| {
                        e["type"] == "response.item.create"
                            && e["item"]["type"] == "function_call_output"
                            && e["item"]["call_id"] == call_id.as_str()
                    })
                    .await?;
                    self.wait("response.create", |e| e["type"] == "response.create")
                        .await?;
                }
            }
        }
        Ok(false)
    }
}

/// The output the client sent for `call_id` on `attach`, if any.
pub fn function_output(attach: &LiveAttach, call_id: &str) -> Option<String> {
    attach
        .received
        .iter()
        .find(|e| e["type"] == "response.item.create" && e["item"]["call_id"] == call_id)
        .and_then(|e| e["item"]["output"].as_str().map(str::to_string))
}

/// The outputs the client sent for every call of tool `name` on `attach`, in order.
pub fn outputs_of(attach: &LiveAttach, name: &str) -> Vec<String> {
    attach
        .sent
        .iter()
        .filter(|e| e["type"] == "response.event" && e["event"]["item"]["name"] == name)
        .filter_map(|e| function_output(attach, e["event"]["item"]["call_id"].as_str()?))
        .collect()
}
