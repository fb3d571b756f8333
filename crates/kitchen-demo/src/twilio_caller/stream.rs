//! [`FakeStream`]: Twilio's side of one bidirectional Media Streams WebSocket.
//!
//! Outbound (caller → server) it sends Twilio's exact JSON shapes with string
//! `sequenceNumber`/`chunk`/`timestamp`. Inbound (server → caller) it checks every message
//! (shape and `streamSid`, as Twilio's error 31951 would) and simulates playback: audio
//! plays at 8 bytes per ms of real time, a `mark` is echoed once all audio queued before it
//! has played, and `clear` drops unplayed audio and echoes every pending mark at once.

use super::CallStart;
use crate::audio::{BYTES_PER_MS, FRAME_BYTES, SILENCE};
use crate::short_json;
use anyhow::{Context, bail};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use futures_util::{SinkExt, StreamExt};
use serde_json::{Map, Value, json};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use tokio::net::TcpStream;
use tokio::sync::{mpsc, watch};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// How fast the fake phone plays the audio our server sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaybackSpeed {
    /// 8 bytes per ms of real time, like a phone.
    RealTime,
    /// Everything plays the moment it arrives (marks echo at once).
    Instant,
}

#[derive(Debug)]
enum Cmd {
    Media(Vec<u8>),
    Dtmf(String),
    Stop,
    Raw(String),
    Binary(Vec<u8>),
    Close,
}

#[derive(Debug)]
struct State {
    received: Vec<(Instant, Value)>,
    consumed: Vec<bool>,
    audio: Vec<u8>,
    violations: Vec<String>,
    marks_echoed: Vec<String>,
    dropped_bytes: usize,
    /// When the audio queued so far will have finished playing.
    play_end: Instant,
    closed: bool,
    /// When the socket was seen closed.
    closed_at: Option<Instant>,
}

#[derive(Debug)]
struct Shared {
    state: Mutex<State>,
    changed: watch::Sender<u64>,
}

impl Shared {
    fn update<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        let out = f(&mut self.lock());
        self.changed.send_modify(|v| *v += 1);
        out
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// One live media stream of a [`FakeCaller`](super::FakeCaller) call.
#[derive(Debug)]
pub struct FakeStream {
    stream_sid: String,
    call_sid: String,
    shared: Arc<Shared>,
    cmd: mpsc::UnboundedSender<Cmd>,
}

impl FakeStream {
    /// Sends `connected` and `start`, then runs the socket in a task.
    pub(crate) async fn start(
        mut ws: Ws,
        call: &CallStart,
        stream_sid: String,
        speed: PlaybackSpeed,
    ) -> anyhow::Result<FakeStream> {
        let custom: Map<String, Value> = call
            .parameters
            .iter()
            .map(|(k, v)| (k.clone(), json!(v)))
            .collect();
        let connected = json!({"event": "connected", "protocol": "Call", "version": "1.0.0"});
        let start = json!({"event": "start", "sequenceNumber": "1", "streamSid": stream_sid,
            "start": {"accountSid": call.account_sid, "streamSid": stream_sid,
                "callSid": call.call_sid, "tracks": ["inbound"], "customParameters": custom,
                "mediaFormat": {"encoding": "audio/x-mulaw", "sampleRate": 8000, "channels": 1}}});
        for msg in [connected, start] {
            ws.send(Message::text(msg.to_string()))
                .await
                .context("sending connected/start")?;
        }
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                received: Vec::new(),
                consumed: Vec::new(),
                audio: Vec::new(),
                violations: Vec::new(),
                marks_echoed: Vec::new(),
                dropped_bytes: 0,
                play_end: Instant::now(),
                closed: false,
                closed_at: None,
            }),
            changed: watch::channel(0).0,
        });
        let (cmd, rx) = mpsc::unbounded_channel();
        let task = Task {
            ws,
            shared: shared.clone(),
            stream_sid: stream_sid.clone(),
            account_sid: call.account_sid.clone(),
            call_sid: call.call_sid.clone(),
            speed,
            seq: 1,
            chunk: 0,
            started: Instant::now(),
            pending_marks: VecDeque::new(),
        };
        tokio::spawn(task.run(rx));
        Ok(FakeStream {
            stream_sid,
            call_sid: call.call_sid.clone(),
            shared,
            cmd,
        })
    }

    /// This stream's `streamSid` (`MZ` + 32 hex).
    pub fn stream_sid(&self) -> &str {
        &self.stream_sid
    }

    /// The call's `CallSid`.
    pub fn call_sid(&self) -> &str {
        &self.call_sid
    }

    fn push(&self, cmd: Cmd) -> anyhow::Result<()> {
        self.cmd
            .send(cmd)
            .map_err(|_| anyhow::anyhow!("the media stream is closed"))
    }

    /// Sends caller audio as `media` events of 160 bytes (the last frame padded with
    /// silence); `paced` sends one frame per 20 ms of real time, as a phone does.
    pub async fn send_audio(&self, bytes: &[u8], paced: bool) -> anyhow::Result<()> {
        let began = tokio::time::Instant::now();
        for (i, frame) in bytes.chunks(FRAME_BYTES).enumerate() {
            if paced {
                tokio::time::sleep_until(began + Duration::from_millis(20 * i as u64)).await;
            }
            let mut frame = frame.to_vec();
            frame.resize(FRAME_BYTES, SILENCE);
            self.push(Cmd::Media(frame))?;
        }
        Ok(())
    }

    /// Sends a text frame exactly as given (for malformed-frame tests).
    pub fn send_raw_text(&self, text: &str) -> anyhow::Result<()> {
        self.push(Cmd::Raw(text.to_string()))
    }

    /// Sends a binary frame (Twilio never does; the server must cope).
    pub fn send_binary(&self, bytes: Vec<u8>) -> anyhow::Result<()> {
        self.push(Cmd::Binary(bytes))
    }

    /// The caller pressed a key: a `dtmf` event.
    pub fn send_dtmf(&self, digit: &str) -> anyhow::Result<()> {
        self.push(Cmd::Dtmf(digit.to_string()))
    }

    /// The call ended on Twilio's side: a `stop` event.
    pub fn stop(&self) -> anyhow::Result<()> {
        self.push(Cmd::Stop)
    }

    /// Closes the WebSocket with a normal close frame.
    pub fn close(&self) -> anyhow::Result<()> {
        self.push(Cmd::Close)
    }

    /// Every message our server sent, with when it arrived.
    pub fn received(&self) -> Vec<(Instant, Value)> {
        self.shared.lock().received.clone()
    }

    /// All audio our server sent (decoded `media` payloads), in order.
    pub fn audio_received(&self) -> Vec<u8> {
        self.shared.lock().audio.clone()
    }

    /// Bytes of that audio the caller has heard so far: sent, minus what `clear` dropped,
    /// minus what is still queued.
    pub fn audio_heard_bytes(&self) -> usize {
        let s = self.shared.lock();
        let queued = s.play_end.saturating_duration_since(Instant::now());
        let queued = (queued.as_micros() as usize * BYTES_PER_MS).div_ceil(1000);
        s.audio.len().saturating_sub(s.dropped_bytes + queued)
    }

    /// Names of the marks echoed back to the server, in order.
    pub fn marks_echoed(&self) -> Vec<String> {
        self.shared.lock().marks_echoed.clone()
    }

    /// Shape and `streamSid` problems of the server's messages.
    pub fn violations(&self) -> Vec<String> {
        self.shared.lock().violations.clone()
    }

    /// Whether the WebSocket is closed.
    pub fn is_closed(&self) -> bool {
        self.shared.lock().closed
    }

    /// When the WebSocket was seen closed (`None` while it is open). A call whose stream
    /// closes while the call is still live moves on to the TwiML after `</Connect>`; one
    /// ended or redirected through the REST API before this moment never does.
    pub fn closed_at(&self) -> Option<Instant> {
        self.shared.lock().closed_at
    }

    /// Waits for the next not-yet-consumed message with this `event` (earlier arrivals
    /// count) and consumes it.
    pub async fn wait_for_event(&self, event: &str, within: Duration) -> anyhow::Result<Value> {
        self.wait_until(&format!("a `{event}` message"), within, |s| {
            let i = (0..s.received.len())
                .find(|&i| !s.consumed[i] && s.received[i].1["event"] == event)?;
            s.consumed[i] = true;
            Some(s.received[i].1.clone())
        })
        .await
    }

    /// Waits until at least `bytes` of audio arrived from the server.
    pub async fn wait_for_audio(&self, bytes: usize, within: Duration) -> anyhow::Result<()> {
        self.wait_until(&format!("{bytes} bytes of audio"), within, |s| {
            (s.audio.len() >= bytes).then_some(())
        })
        .await
    }

    /// Waits until at least `n` marks were echoed back to the server: the audio queued
    /// before them has played.
    pub async fn wait_for_marks_echoed(&self, n: usize, within: Duration) -> anyhow::Result<()> {
        self.wait_until(&format!("{n} marks echoed"), within, |s| {
            (s.marks_echoed.len() >= n).then_some(())
        })
        .await
    }

    /// Waits until the WebSocket is closed.
    pub async fn wait_closed(&self, within: Duration) -> anyhow::Result<()> {
        self.wait_until("close", within, |s| s.closed.then_some(()))
            .await
    }

    async fn wait_until<T>(
        &self,
        what: &str,
        within: Duration,
        mut check: impl FnMut(&mut State) -> Option<T>,
    ) -> anyhow::Result<T> {
        let mut rx = self.shared.changed.subscribe();
        let deadline = tokio::time::Instant::now() + within;
        loop {
            rx.borrow_and_update();
            {
                let mut s = self.shared.lock();
                if let Some(v) = check(&mut s) {
                    return Ok(v);
                }
                if s.closed {
                    bail!("the media stream closed before {what}");
                }
            }
            tokio::time::timeout_at(deadline, rx.changed())
                .await
                .with_context(|| format!("no {what} within {within:?}"))?
                .context("media stream task gone")?;
        }
    }
}

/// The socket's owner: sends commands, reads the server, plays audio, echoes marks.
struct Task {
    ws: Ws,
    shared: Arc<Shared>,
    stream_sid: String,
    account_sid: String,
    call_sid: String,
    speed: PlaybackSpeed,
    seq: u64,
    chunk: u64,
    started: Instant,
    /// Marks waiting for the audio before them to play: (due, name); dues never decrease.
    pending_marks: VecDeque<(Instant, String)>,
}

impl Task {
    async fn run(mut self, mut rx: mpsc::UnboundedReceiver<Cmd>) {
        loop {
            let next_due = self.pending_marks.front().map(|(due, _)| *due);
            let timer = async move {
                match next_due {
                    Some(due) => tokio::time::sleep_until(due.into()).await,
                    None => std::future::pending().await,
                }
            };
            let ok = tokio::select! {
                cmd = rx.recv() => match cmd {
                    Some(cmd) => self.command(cmd).await,
                    None => false,
                },
                msg = self.ws.next() => match msg {
                    Some(Ok(msg)) => self.inbound(msg).await,
                    Some(Err(_)) | None => false,
                },
                () = timer => self.echo_due(Instant::now()).await,
            };
            if !ok {
                break;
            }
        }
        self.shared.update(|s| {
            s.closed = true;
            s.closed_at = Some(Instant::now());
        });
    }

    fn next_seq(&mut self) -> String {
        self.seq += 1;
        self.seq.to_string()
    }

    async fn send(&mut self, v: Value) -> bool {
        self.ws.send(Message::text(v.to_string())).await.is_ok()
    }

    async fn command(&mut self, cmd: Cmd) -> bool {
        let sid = self.stream_sid.clone();
        let msg = match cmd {
            Cmd::Media(frame) => {
                self.chunk += 1;
                let timestamp = (self.chunk - 1) * 20;
                json!({"event": "media", "sequenceNumber": self.next_seq(), "streamSid": sid,
                    "media": {"track": "inbound", "chunk": self.chunk.to_string(),
                        "timestamp": timestamp.to_string(), "payload": STANDARD.encode(frame)}})
            }
            Cmd::Dtmf(digit) => json!({"event": "dtmf", "sequenceNumber": self.next_seq(),
                "streamSid": sid, "dtmf": {"track": "inbound_track", "digit": digit}}),
            Cmd::Stop => json!({"event": "stop", "sequenceNumber": self.next_seq(),
                "streamSid": sid,
                "stop": {"accountSid": self.account_sid, "callSid": self.call_sid}}),
            Cmd::Raw(text) => return self.ws.send(Message::text(text)).await.is_ok(),
            Cmd::Binary(b) => return self.ws.send(Message::binary(b)).await.is_ok(),
            // Keep reading until the server answers the close (the loop ends on `None`).
            Cmd::Close => return self.ws.close(None).await.is_ok(),
        };
        self.send(msg).await
    }

    async fn inbound(&mut self, msg: Message) -> bool {
        let now = Instant::now();
        let text = match msg {
            Message::Text(t) => t,
            Message::Binary(_) => {
                self.violation("binary frame; Media Streams messages are JSON text".into());
                return true;
            }
            _ => return true,
        };
        let v: Value = match serde_json::from_str(&text) {
            Ok(v) => v,
            Err(e) => {
                self.violation(format!("not JSON ({e}): {text:.200}"));
                return true;
            }
        };
        self.shared.update(|s| {
            s.received.push((now, v.clone()));
            s.consumed.push(false);
        });
        if let Err(problem) = check_outbound(&v, &self.stream_sid) {
            self.violation(format!("{problem}: {}", short_json(&v)));
            return true;
        }
        match v["event"].as_str().unwrap_or_default() {
            "media" => self.play(&v, now),
            "mark" => {
                let name = v["mark"]["name"].as_str().unwrap_or_default().to_string();
                let due = self.shared.lock().play_end.max(now);
                self.pending_marks.push_back((due, name));
                return self.echo_due(now).await;
            }
            "clear" => {
                self.shared.update(|s| {
                    let unplayed = s.play_end.saturating_duration_since(now);
                    s.dropped_bytes += unplayed.as_micros() as usize * BYTES_PER_MS / 1000;
                    s.play_end = now;
                });
                let all = self.pending_marks.back().map(|(due, _)| *due);
                return self.echo_due(all.map_or(now, |d| d.max(now))).await;
            }
            _ => {}
        }
        true
    }

    fn play(&mut self, v: &Value, now: Instant) {
        let bytes = v["media"]["payload"]
            .as_str()
            .and_then(|p| STANDARD.decode(p).ok())
            .unwrap_or_default();
        let speed = self.speed;
        self.shared.update(|s| {
            if speed == PlaybackSpeed::RealTime {
                let lasts = Duration::from_micros(bytes.len() as u64 * 1000 / BYTES_PER_MS as u64);
                s.play_end = s.play_end.max(now) + lasts;
            }
            s.audio.extend_from_slice(&bytes);
        });
    }

    /// Echoes every pending mark due at or before `at`, in order.
    async fn echo_due(&mut self, at: Instant) -> bool {
        while self
            .pending_marks
            .front()
            .is_some_and(|(due, _)| *due <= at)
        {
            let Some((_, name)) = self.pending_marks.pop_front() else {
                break;
            };
            let echo = json!({"event": "mark", "sequenceNumber": self.next_seq(),
                "streamSid": self.stream_sid, "mark": {"name": name}});
            if !self.send(echo).await {
                return false;
            }
            self.shared.update(|s| s.marks_echoed.push(name));
        }
        true
    }

    fn violation(&self, v: String) {
        let at = self.started.elapsed().as_millis();
        self.shared
            .update(|s| s.violations.push(format!("+{at}ms {v}")));
    }
}

/// Whether a server → Twilio message has a shape Twilio accepts (else error 31951).
fn check_outbound(v: &Value, stream_sid: &str) -> Result<(), String> {
    let Some(event) = v["event"].as_str() else {
        return Err("no string `event`".into());
    };
    match v.get("streamSid").and_then(Value::as_str) {
        None => return Err(format!("`{event}` without a string `streamSid`")),
        Some(sid) if sid != stream_sid => {
            return Err(format!(
                "`{event}` for streamSid {sid}, this stream is {stream_sid}"
            ));
        }
        Some(_) => {}
    }
    match event {
        "media" => {
            let Some(payload) = v["media"]["payload"].as_str() else {
                return Err("`media` without a string `media.payload`".into());
            };
            match STANDARD.decode(payload) {
                Ok(b) if b.is_empty() => Err("`media` with an empty payload".into()),
                Ok(_) => Ok(()),
                Err(e) => Err(format!("`media.payload` is not base64 ({e})")),
            }
        }
        "mark" => match v["mark"]["name"].as_str() {
            Some(n) if !n.is_empty() => Ok(()),
            _ => Err("`mark` without a non-empty string `mark.name`".into()),
        },
        "clear" => Ok(()),
        other => Err(format!(
            "`{other}` is not an event Twilio accepts on a stream"
        )),
    }
}
