//! One accepted connection to the fake Realtime API: what the client sent, and the
//! server-side events a test (or a [`Script`](super::Script)) pushes to it.
//!
//! Every wait is "the next not-yet-consumed match": events that arrived before the wait
//! started count, and each event is handed to at most one wait.

use crate::ids::openai_id;
use anyhow::{Context, bail};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tokio::sync::{mpsc, watch};

/// What the connection task should do next on the socket.
#[derive(Debug)]
pub(crate) enum Outbound {
    /// Send this server event (an `event_id` is added when missing).
    Event(Value),
    /// Drop the TCP connection without a close frame.
    Drop,
    /// Send a close frame with this code and reason.
    Close(u16, String),
}

/// The WebSocket upgrade request as the fake saw it.
#[derive(Debug, Clone, Default)]
pub struct Handshake {
    /// Request path, e.g. `/v1/realtime`.
    pub path: String,
    /// Raw query string without `?`, e.g. `model=gpt-realtime-2.1`.
    pub query: Option<String>,
    /// The `model` query parameter, decoded.
    pub model: Option<String>,
    /// The `Authorization` header (`Bearer sk-…`).
    pub authorization: Option<String>,
    /// Every header, names lowercased, in arrival order.
    pub headers: Vec<(String, String)>,
}

impl Handshake {
    /// The first header called `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The `call_id` query parameter: set when this is a SIP call's sideband.
    pub fn call_id(&self) -> Option<String> {
        let pairs: Vec<(String, String)> =
            serde_urlencoded::from_str(self.query.as_deref()?).ok()?;
        pairs
            .into_iter()
            .find(|(k, _)| k == "call_id")
            .map(|(_, v)| v)
    }
}

/// Where a session's script is.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) enum ScriptStatus {
    #[default]
    None,
    Running,
    Done,
    Failed(String),
}

/// Everything recorded about one connection. Guarded by a std mutex: never held across an
/// `.await`.
#[derive(Debug, Default)]
pub(crate) struct State {
    pub(crate) received: Vec<Value>,
    /// When each received event came off the socket (before it was parsed or checked).
    pub(crate) received_at: Vec<std::time::Instant>,
    pub(crate) consumed: Vec<bool>,
    /// Every event below this index is consumed: waits scan from here, so a long session
    /// (a benchmark's thousands of tool calls) does not rescan its whole history.
    pub(crate) unconsumed_from: usize,
    pub(crate) sent: Vec<Value>,
    pub(crate) violations: Vec<String>,
    pub(crate) appended_bytes: usize,
    /// µ-law bytes sent per assistant item, from `response.output_audio.delta`.
    pub(crate) audio_sent: HashMap<String, usize>,
    /// The effective session configuration (what `session.updated` reports).
    pub(crate) effective: Value,
    pub(crate) session_updates: usize,
    pub(crate) closed: bool,
    pub(crate) close_code: Option<u16>,
    pub(crate) script: ScriptStatus,
}

#[derive(Debug)]
struct Inner {
    index: usize,
    handshake: Handshake,
    out: mpsc::UnboundedSender<Outbound>,
    state: Mutex<State>,
    changed: watch::Sender<u64>,
}

/// One accepted connection to [`FakeRealtime`](super::FakeRealtime). Cheap to clone.
#[derive(Debug, Clone)]
pub struct FakeSession {
    inner: Arc<Inner>,
}

impl FakeSession {
    pub(crate) fn new(
        index: usize,
        handshake: Handshake,
        out: mpsc::UnboundedSender<Outbound>,
    ) -> Self {
        FakeSession {
            inner: Arc::new(Inner {
                index,
                handshake,
                out,
                state: Mutex::new(State::default()),
                changed: watch::channel(0).0,
            }),
        }
    }

    /// Runs `f` on the state and wakes every waiter.
    pub(crate) fn update<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        let out = f(&mut self.lock());
        self.inner.changed.send_modify(|v| *v += 1);
        out
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock leaves plain data behind: keep using it.
        self.inner
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// 0 for the first connection the fake accepted, 1 for the next, …
    pub fn index(&self) -> usize {
        self.inner.index
    }

    /// The upgrade request (path, model, `Authorization`, headers).
    pub fn handshake(&self) -> &Handshake {
        &self.inner.handshake
    }

    /// The `model` query parameter the client asked for.
    pub fn model(&self) -> Option<String> {
        self.inner.handshake.model.clone()
    }

    /// The `Authorization` header the client sent.
    pub fn authorization(&self) -> Option<String> {
        self.inner.handshake.authorization.clone()
    }

    /// Every client event so far, in order.
    pub fn received(&self) -> Vec<Value> {
        self.lock().received.clone()
    }

    /// Every server event the fake has written to the socket, in order.
    pub fn sent(&self) -> Vec<Value> {
        self.lock().sent.clone()
    }

    /// Protocol violations of the client's events on this connection, and what the
    /// [`ClientEventCheck`](super::ClientEventCheck), if any, refused.
    pub fn schema_violations(&self) -> Vec<String> {
        self.lock().violations.clone()
    }

    /// Total decoded bytes received via `input_audio_buffer.append`.
    pub fn appended_audio_bytes(&self) -> usize {
        self.lock().appended_bytes
    }

    /// µ-law bytes the fake has sent as `response.output_audio.delta` for `item_id`.
    pub fn audio_sent_for(&self, item_id: &str) -> usize {
        self.lock().audio_sent.get(item_id).copied().unwrap_or(0)
    }

    /// The effective session configuration, as the last `session.updated` reported it.
    pub fn effective_session(&self) -> Value {
        self.lock().effective.clone()
    }

    /// Whether the connection is over (either side closed or dropped it).
    pub fn is_closed(&self) -> bool {
        self.lock().closed
    }

    /// The close code sent by either side, if the connection ended with a close frame.
    pub fn close_code(&self) -> Option<u16> {
        self.lock().close_code
    }

    /// The `output` of the client's `function_call_output` item for `call_id`, if sent.
    pub fn function_output(&self, call_id: &str) -> Option<String> {
        self.lock()
            .received
            .iter()
            .find(|e| is_function_output(e, call_id))
            .and_then(|e| e["item"]["output"].as_str().map(str::to_string))
    }

    /// Waits for the next not-yet-consumed client event of type `kind` (earlier arrivals
    /// count) and consumes it.
    pub async fn wait_for(&self, kind: &str, within: Duration) -> anyhow::Result<Value> {
        self.wait_for_matching(&format!("`{kind}`"), within, |e| e["type"] == kind)
            .await
    }

    /// Waits for the next not-yet-consumed client event matching `pred` and consumes it;
    /// `what` names it in the error.
    pub async fn wait_for_matching(
        &self,
        what: &str,
        within: Duration,
        pred: impl FnMut(&Value) -> bool,
    ) -> anyhow::Result<Value> {
        self.wait_for_matching_at(what, within, pred)
            .await
            .map(|(event, _)| event)
    }

    /// As [`wait_for_matching`](Self::wait_for_matching), with the instant the event came
    /// off the socket (a benchmark's clock stops there, not when the waiter wakes).
    pub async fn wait_for_matching_at(
        &self,
        what: &str,
        within: Duration,
        mut pred: impl FnMut(&Value) -> bool,
    ) -> anyhow::Result<(Value, std::time::Instant)> {
        self.wait_until(what, within, |s| {
            let i = (s.unconsumed_from..s.received.len())
                .find(|&i| !s.consumed[i] && pred(&s.received[i]))?;
            s.consumed[i] = true;
            while s.consumed.get(s.unconsumed_from) == Some(&true) {
                s.unconsumed_from += 1;
            }
            Some((s.received[i].clone(), s.received_at[i]))
        })
        .await
    }

    /// Marks every client event received so far as consumed: later waits see only what
    /// arrives after this.
    pub fn consume_all(&self) {
        let mut s = self.lock();
        s.consumed.iter_mut().for_each(|c| *c = true);
        s.unconsumed_from = s.received.len();
    }

    /// Waits until `check` yields a value; fails after `within` or once the connection closed
    /// with nothing found.
    pub(crate) async fn wait_until<T>(
        &self,
        what: &str,
        within: Duration,
        check: impl FnMut(&mut State) -> Option<T>,
    ) -> anyhow::Result<T> {
        self.wait_until_inner(what, within, true, check).await
    }

    async fn wait_until_inner<T>(
        &self,
        what: &str,
        within: Duration,
        fail_on_close: bool,
        mut check: impl FnMut(&mut State) -> Option<T>,
    ) -> anyhow::Result<T> {
        let mut rx = self.inner.changed.subscribe();
        let deadline = tokio::time::Instant::now() + within;
        loop {
            rx.borrow_and_update();
            {
                let mut state = self.lock();
                if let Some(v) = check(&mut state) {
                    return Ok(v);
                }
                if fail_on_close && state.closed {
                    bail!("the Realtime connection closed before {what} arrived");
                }
            }
            tokio::time::timeout_at(deadline, rx.changed())
                .await
                .with_context(|| format!("no {what} within {within:?}"))?
                .context("fake Realtime session gone")?;
        }
    }

    /// Waits until the connection is over.
    pub async fn wait_closed(&self, within: Duration) -> anyhow::Result<()> {
        self.wait_until("close", within, |s| s.closed.then_some(()))
            .await
    }

    /// Waits until this session's script ran to its end; fails with the script's error.
    pub async fn script_finished(&self, within: Duration) -> anyhow::Result<()> {
        // A close makes the script's own waits fail, with a better message than ours.
        let status = self
            .wait_until_inner("end of the script", within, false, |s| match &s.script {
                ScriptStatus::Running => None,
                other => Some(other.clone()),
            })
            .await?;
        match status {
            ScriptStatus::Failed(e) => bail!("script failed: {e}"),
            ScriptStatus::None => bail!("this session runs no script"),
            _ => Ok(()),
        }
    }

    /// Sends a server event as is (an `event_id` is added when missing).
    pub fn send(&self, event: Value) -> anyhow::Result<()> {
        self.inner
            .out
            .send(Outbound::Event(event))
            .map_err(|_| anyhow::anyhow!("the Realtime connection is closed"))
    }

    /// Drops the TCP connection abruptly, without a close frame ("socket dropped mid-call").
    pub fn drop_connection(&self) {
        let _ = self.inner.out.send(Outbound::Drop);
    }

    /// Closes the WebSocket with `code` and `reason` (e.g. the 60-minute session limit).
    pub fn close_with(&self, code: u16, reason: &str) {
        let _ = self
            .inner
            .out
            .send(Outbound::Close(code, reason.to_string()));
    }

    /// The model speaks `bytes` of µ-law as one response (see [`FakeSession::speak_saying`]),
    /// with a placeholder transcript.
    pub fn speak(
        &self,
        response_id: &str,
        item_id: &str,
        bytes: &[u8],
        chunk: usize,
    ) -> anyhow::Result<()> {
        let transcript = format!("(fake speech, {} ms)", bytes.len() / 8);
        self.speak_saying(response_id, item_id, bytes, chunk, &transcript)
    }

    /// The model speaks: `response.created`, `response.output_item.added`, one
    /// `response.output_audio.delta` per `chunk` bytes, `response.output_audio.done`,
    /// `response.output_audio_transcript.done`, then `response.done` (completed, with usage).
    pub fn speak_saying(
        &self,
        response_id: &str,
        item_id: &str,
        bytes: &[u8],
        chunk: usize,
        transcript: &str,
    ) -> anyhow::Result<()> {
        let ids = json!({"response_id": response_id, "item_id": item_id,
            "output_index": 0, "content_index": 0});
        self.send(self.response_event("response.created", response_id, "in_progress", &[]))?;
        let item = json!({"id": item_id, "object": "realtime.item", "type": "message",
            "status": "in_progress", "role": "assistant", "content": []});
        self.send(
            json!({"type": "response.output_item.added", "response_id": response_id,
            "output_index": 0, "item": item}),
        )?;
        for piece in bytes.chunks(chunk.max(1)) {
            let mut delta = with_type("response.output_audio.delta", &ids);
            delta["delta"] = json!(STANDARD.encode(piece));
            self.send(delta)?;
        }
        self.send(with_type("response.output_audio.done", &ids))?;
        let mut done = with_type("response.output_audio_transcript.done", &ids);
        done["transcript"] = json!(transcript);
        self.send(done)?;
        let item = json!({"id": item_id, "object": "realtime.item", "type": "message",
            "status": "completed", "role": "assistant",
            "content": [{"type": "output_audio", "transcript": transcript}]});
        let mut finished = self.response_event("response.done", response_id, "completed", &[item]);
        finished["response"]["usage"] = usage(40, (bytes.len() / 400).max(1));
        self.send(finished)
    }

    /// The caller started talking (server VAD): `input_audio_buffer.speech_started`.
    pub fn speech_started(&self, audio_start_ms: u64, item_id: &str) -> anyhow::Result<()> {
        self.send(json!({"type": "input_audio_buffer.speech_started",
            "audio_start_ms": audio_start_ms, "item_id": item_id}))
    }

    /// The caller stopped talking (server VAD): `input_audio_buffer.speech_stopped`, then
    /// `input_audio_buffer.committed` of the caller's item. Like the real service,
    /// `audio_end_ms` lies after the end-of-turn silence.
    pub fn speech_stopped(&self, audio_end_ms: u64, item_id: &str) -> anyhow::Result<()> {
        self.send(json!({"type": "input_audio_buffer.speech_stopped",
            "audio_end_ms": audio_end_ms, "item_id": item_id}))?;
        self.committed(item_id)
    }

    /// The caller said nothing for the idle timeout: `input_audio_buffer.timeout_triggered`
    /// over `audio_start_ms..audio_end_ms`, then `input_audio_buffer.committed` of the
    /// (silent) item, as the real service does.
    pub fn idle_timeout(
        &self,
        audio_start_ms: u64,
        audio_end_ms: u64,
        item_id: &str,
    ) -> anyhow::Result<()> {
        self.send(json!({"type": "input_audio_buffer.timeout_triggered",
            "audio_start_ms": audio_start_ms, "audio_end_ms": audio_end_ms, "item_id": item_id}))?;
        self.committed(item_id)
    }

    fn committed(&self, item_id: &str) -> anyhow::Result<()> {
        self.send(json!({"type": "input_audio_buffer.committed",
            "previous_item_id": null, "item_id": item_id}))
    }

    /// The model starts speaking and is still making the response: like
    /// [`FakeSession::speak`] without `response.output_audio.done`, the transcript and
    /// `response.done` (end it with [`FakeSession::finish_response`]).
    pub fn speak_unfinished(
        &self,
        response_id: &str,
        item_id: &str,
        bytes: &[u8],
        chunk: usize,
    ) -> anyhow::Result<()> {
        let ids = json!({"response_id": response_id, "item_id": item_id,
            "output_index": 0, "content_index": 0});
        self.send(self.response_event("response.created", response_id, "in_progress", &[]))?;
        let item = json!({"id": item_id, "object": "realtime.item", "type": "message",
            "status": "in_progress", "role": "assistant", "content": []});
        self.send(
            json!({"type": "response.output_item.added", "response_id": response_id,
            "output_index": 0, "item": item}),
        )?;
        for piece in bytes.chunks(chunk.max(1)) {
            let mut delta = with_type("response.output_audio.delta", &ids);
            delta["delta"] = json!(STANDARD.encode(piece));
            self.send(delta)?;
        }
        Ok(())
    }

    /// `response.done` with `status` (`completed`, `cancelled`, …) for a response begun with
    /// [`FakeSession::speak_unfinished`].
    pub fn finish_response(&self, response_id: &str, status: &str) -> anyhow::Result<()> {
        let mut finished = self.response_event("response.done", response_id, status, &[]);
        finished["response"]["usage"] = usage(40, 1);
        self.send(finished)
    }

    /// The model calls a tool: `response.created`, `response.output_item.added`,
    /// `response.function_call_arguments.done` (`arguments` as a JSON string), `response.done`.
    pub fn call_function(
        &self,
        response_id: &str,
        call_id: &str,
        name: &str,
        arguments: Value,
    ) -> anyhow::Result<()> {
        let item_id = format!("item_{call_id}");
        let args = arguments.to_string();
        self.send(self.response_event("response.created", response_id, "in_progress", &[]))?;
        let item = |status: &str, args: &str| {
            json!({"id": item_id, "object": "realtime.item", "type": "function_call",
                "status": status, "call_id": call_id, "name": name, "arguments": args})
        };
        self.send(
            json!({"type": "response.output_item.added", "response_id": response_id,
            "output_index": 0, "item": item("in_progress", "")}),
        )?;
        self.send(json!({"type": "response.function_call_arguments.done",
            "response_id": response_id, "item_id": item_id, "output_index": 0,
            "call_id": call_id, "name": name, "arguments": args}))?;
        let mut finished = self.response_event(
            "response.done",
            response_id,
            "completed",
            &[item("completed", &args)],
        );
        finished["response"]["usage"] = usage(60, 20);
        self.send(finished)
    }

    /// What the transcription model heard the caller say:
    /// `conversation.item.input_audio_transcription.completed`.
    pub fn transcript_of_caller(&self, item_id: &str, text: &str) -> anyhow::Result<()> {
        let tokens = text.split_whitespace().count() as u64 + 1;
        self.send(
            json!({"type": "conversation.item.input_audio_transcription.completed",
            "item_id": item_id, "content_index": 0, "transcript": text,
            "usage": {"type": "tokens", "input_tokens": 10, "output_tokens": tokens,
                      "total_tokens": 10 + tokens}}),
        )
    }

    /// A `response.created` / `response.done` event in the GA shape.
    fn response_event(
        &self,
        kind: &str,
        response_id: &str,
        status: &str,
        output: &[Value],
    ) -> Value {
        let effective = self.effective_session();
        let output_audio = &effective["audio"]["output"];
        let voice = output_audio["voice"].as_str().unwrap_or("marin");
        let format = match &output_audio["format"] {
            Value::Object(_) => output_audio["format"].clone(),
            _ => json!({"type": "audio/pcmu"}),
        };
        json!({"type": kind, "response": {
            "object": "realtime.response", "id": response_id, "status": status,
            "output": output, "conversation_id": format!("conv_{}", self.index()),
            "output_modalities": ["audio"], "max_output_tokens": "inf",
            "audio": {"output": {"format": format, "voice": voice}}}})
    }
}

/// `{"type": kind, …fields}`.
fn with_type(kind: &str, fields: &Value) -> Value {
    let mut v = fields.clone();
    v["type"] = json!(kind);
    v
}

/// A `usage` object as `response.done` carries it.
fn usage(input_audio: usize, output_audio: usize) -> Value {
    let input = input_audio + 300;
    let output = output_audio + 10;
    json!({"total_tokens": input + output, "input_tokens": input, "output_tokens": output,
        "input_token_details": {"cached_tokens": 0, "text_tokens": 300,
            "audio_tokens": input_audio, "image_tokens": 0,
            "cached_tokens_details": {"text_tokens": 0, "audio_tokens": 0, "image_tokens": 0}},
        "output_token_details": {"text_tokens": 10, "audio_tokens": output_audio}})
}

/// Whether `event` is the client's `function_call_output` for `call_id`.
pub(crate) fn is_function_output(event: &Value, call_id: &str) -> bool {
    event["type"] == "conversation.item.create"
        && event["item"]["type"] == "function_call_output"
        && event["item"]["call_id"] == call_id
}

/// Fills in `event_id` the way the real service always does.
pub(crate) fn with_event_id(mut event: Value) -> Value {
    if let Some(obj) = event.as_object_mut() {
        obj.entry("event_id")
            .or_insert_with(|| json!(openai_id("event")));
    }
    event
}
