//! The socket driver of one call: owns the Twilio media-stream socket and the Realtime
//! socket, feeds their messages to the pure [`CallSession`] and carries out its actions.
//! Tools and call-log writes run beside the audio path, never in it.
//!
//! A call the webhook registered for the live bridge is handed, once claimed, to
//! [`crate::live::driver`].
//!
//! Both sockets are generic — a `Stream` of received messages that is also a `Sink` of
//! messages to send — so the route hands in the real WebSockets and the tests in-memory
//! channels (`driver/tests.rs`, no TCP). Every duration comes from [`CallTimeouts`]. Why the
//! call ended is decided in one place, [`CallEnd::settle`]; the REST hang-up or redirect,
//! the close frame and the call log all follow from that one [`CallEnd`].

pub(crate) mod call;
#[cfg(test)]
mod tests;

use super::outcome::CallEnd;
use super::registry::{CallRegistry, PendingCall, Prewarm};
use super::session::{Action, CallSession, Input, Speaker};
use super::timeouts::{CallTimeouts, millis};
use crate::CallService;
use axum::extract::ws::{CloseFrame, Message};
use call::Call;
use futures_util::{Sink, SinkExt, Stream, StreamExt};
use kitchen_domain::{CallUpdate, VoiceEngine};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message as RtMessage;
use voice_protocol::realtime::ServerEvent;
use voice_protocol::twilio::media::InboundMessage;
use voice_protocol::twilio::media::inbound::Start;

/// Largest WebSocket message accepted from Twilio; anything over [`MAX_PARSED_BYTES`] is
/// ignored (Twilio's frames are well under 1 KiB).
pub const MAX_FRAME_BYTES: usize = 1024 * 1024;
/// WebSocket read buffer for both sockets of a call (frames are small).
pub const READ_BUFFER_BYTES: usize = 4096;
/// Largest text frame we parse.
pub(crate) const MAX_PARSED_BYTES: usize = 16 * 1024;

/// Runs one media stream from `start` to the end of the call, and says why it ended.
///
/// `twilio` is the media stream; the AI socket comes from the call's entry in `registry`
/// (opened while the webhook answered). Neither socket is split: this one task reads and
/// writes both, so every message goes out without a lock between reader and writer halves.
pub async fn run<T, TE, A, AE>(
    mut twilio: T,
    registry: CallRegistry<A>,
    calls: CallService,
    timeouts: CallTimeouts,
) -> CallEnd
where
    T: Stream<Item = Result<Message, TE>> + Sink<Message> + Unpin,
    A: Stream<Item = Result<RtMessage, AE>> + Sink<RtMessage> + Unpin,
{
    let (start, pending) = match accept(&mut twilio, &registry, timeouts.start).await {
        Ok(accepted) => accepted,
        Err(end) => {
            close_stream(&mut twilio, &end).await;
            return end;
        }
    };
    calls.inner.active.fetch_add(1, Ordering::Relaxed);
    let call = Call::new(calls.clone(), start.start.call_sid, &pending);
    call.log(CallUpdate::Answered {
        call_sid: call.call_sid.clone(),
        at: calls.inner.clock.now(),
    });
    if pending.engine == VoiceEngine::LiveBridge {
        let end = crate::live::driver::run(twilio, start.stream_sid, pending, call, timeouts).await;
        calls.inner.active.fetch_sub(1, Ordering::Relaxed);
        return end;
    }
    let cfg = calls.config();
    let limits = timeouts.limits_capped(cfg.settings.max_call_minutes);
    let session =
        CallSession::new(start.stream_sid, calls.can_transfer(), limits).with_vad(cfg.vad);
    let dictation = call.dictation();
    let switch = call.clone();
    let _dictation_entry =
        calls.register_dictation(&call.call_sid, Arc::new(move |on| switch.set_dictation(on)));
    let (tool_tx, tool_rx) = mpsc::channel(16);
    let mut relay = Relay {
        twilio,
        ai: None,
        prewarm: Some(pending.prewarm),
        session,
        call,
        tool_tx,
        tool_rx,
        dictation,
    };
    let end = relay.run(timeouts.tick).await;
    relay.finish(&end).await;
    calls.inner.active.fetch_sub(1, Ordering::Relaxed);
    end
}

/// Waits (at most `wait`) for the stream's `start` and claims its call with the one-time
/// token it carries. `Err` says why the stream is refused.
async fn accept<T, TE, A>(
    twilio: &mut T,
    registry: &CallRegistry<A>,
    wait: Duration,
) -> Result<(Start, PendingCall<A>), CallEnd>
where
    T: Stream<Item = Result<Message, TE>> + Unpin,
{
    let start = match tokio::time::timeout(wait, wait_for_start(twilio)).await {
        Ok(Some(start)) => start,
        Ok(None) => return Err(CallEnd::NoStart),
        Err(_) => {
            tracing::warn!(
                ?wait,
                "a media stream sent no valid `start` in time; closing it"
            );
            return Err(CallEnd::NoStart);
        }
    };
    let call_sid = &start.start.call_sid;
    let token = start
        .start
        .custom_parameters
        .get("token")
        .map(String::as_str)
        .unwrap_or_default();
    match registry.claim(call_sid, token, Instant::now()) {
        Ok(pending) => Ok((start, pending)),
        Err(e) => {
            tracing::warn!(%call_sid, error = %e, "refused a media stream");
            Err(CallEnd::Refused(e))
        }
    }
}

/// Reads until `start` (skipping `connected`); `None` if the socket ends first.
async fn wait_for_start<S, E>(rx: &mut S) -> Option<Start>
where
    S: Stream<Item = Result<Message, E>> + Unpin,
{
    while let Some(Ok(msg)) = rx.next().await {
        if let Message::Text(t) = msg
            && t.len() <= MAX_PARSED_BYTES
            && let Ok(InboundMessage::Start(start)) = InboundMessage::parse(&t)
        {
            return Some(start);
        }
    }
    None
}

pub(crate) async fn close_stream<T: Sink<Message> + Unpin>(twilio: &mut T, end: &CallEnd) {
    let (code, reason) = end.close_frame();
    let frame = CloseFrame {
        code,
        reason: reason.into(),
    };
    let _ = twilio.send(Message::Close(Some(frame))).await;
}

/// What one item read from the Twilio media stream means to either bridge's driver.
pub(crate) enum FromTwilio {
    /// The stream ended: the caller hung up (close frame or end of stream), or the socket
    /// failed.
    Ended(CallEnd),
    /// A text frame small enough to parse.
    Text(axum::extract::ws::Utf8Bytes),
    /// Nothing for the session (control frames; oversized and binary frames, warned about).
    Ignored,
}

/// Sorts one item of the Twilio socket (`None` once it ended) for the drivers.
pub(crate) fn from_twilio<E>(call_sid: &str, msg: Option<Result<Message, E>>) -> FromTwilio {
    match msg {
        Some(Ok(Message::Close(_))) | None => FromTwilio::Ended(CallEnd::CallerHungUp),
        Some(Err(_)) => FromTwilio::Ended(CallEnd::TwilioLost),
        Some(Ok(Message::Text(t))) if t.len() <= MAX_PARSED_BYTES => FromTwilio::Text(t),
        Some(Ok(Message::Text(t))) => {
            tracing::warn!(%call_sid, bytes = t.len(), "ignored an oversized Twilio frame");
            FromTwilio::Ignored
        }
        Some(Ok(Message::Binary(b))) => {
            tracing::warn!(%call_sid, bytes = b.len(), "ignored a binary Twilio frame");
            FromTwilio::Ignored
        }
        Some(Ok(Message::Ping(_) | Message::Pong(_))) => FromTwilio::Ignored,
    }
}

/// Parses a Twilio text frame; a malformed one is warned about and gives `None`.
pub(crate) fn parse_twilio(call_sid: &str, text: &str) -> Option<InboundMessage> {
    match InboundMessage::parse(text) {
        Ok(m) => Some(m),
        Err(e) => {
            tracing::warn!(%call_sid, error = %e, "ignored a malformed Twilio frame");
            None
        }
    }
}

/// Waits for the pre-warmed AI connection (forever if there is none) and takes it out of
/// `prewarm`; `Err` says why it could not be opened.
pub(crate) async fn prewarmed<A>(prewarm: &mut Option<Prewarm<A>>) -> Result<A, String> {
    let res = match prewarm.as_mut() {
        Some(p) => p.await,
        None => std::future::pending().await,
    };
    *prewarm = None;
    match res {
        Ok(Ok(ws)) => Ok(ws),
        Ok(Err(e)) => Err(e.to_string()),
        Err(e) => Err(format!("the AI connection task failed: {e}")),
    }
}

/// What one item read from the AI socket means to either bridge's driver.
pub(crate) enum FromAi {
    /// A text event to parse.
    Text(tokio_tungstenite::tungstenite::Utf8Bytes),
    /// The AI closed the connection, with its close frame if it sent one.
    Closed(Option<tokio_tungstenite::tungstenite::protocol::CloseFrame>),
    /// The connection failed or ended without a close frame.
    Dropped,
    /// Nothing for the session (binary and control frames).
    Ignored,
}

/// The next item of the AI socket (forever pending while there is none), sorted; a closed
/// or dropped socket is taken out of `ai`.
pub(crate) async fn next_from_ai<A, AE>(ai: &mut Option<A>) -> FromAi
where
    A: Stream<Item = Result<RtMessage, AE>> + Unpin,
{
    let ev = match ai.as_mut() {
        Some(ws) => ws.next().await,
        None => std::future::pending().await,
    };
    match ev {
        Some(Ok(RtMessage::Text(t))) => FromAi::Text(t),
        Some(Ok(RtMessage::Close(frame))) => {
            *ai = None;
            FromAi::Closed(frame)
        }
        None | Some(Err(_)) => {
            *ai = None;
            FromAi::Dropped
        }
        Some(Ok(_)) => FromAi::Ignored,
    }
}

/// One answered call: its two sockets, its session and its running tools.
struct Relay<T, A> {
    twilio: T,
    /// The AI socket once the pre-warmed connection is open; `None` again once it closed.
    ai: Option<A>,
    /// The AI connection still being opened.
    prewarm: Option<Prewarm<A>>,
    session: CallSession,
    call: Call,
    tool_tx: mpsc::Sender<(String, String)>,
    tool_rx: mpsc::Receiver<(String, String)>,
    /// Follows [`Call::set_dictation`].
    dictation: tokio::sync::watch::Receiver<bool>,
}

impl<T, TE, A, AE> Relay<T, A>
where
    T: Stream<Item = Result<Message, TE>> + Sink<Message> + Unpin,
    A: Stream<Item = Result<RtMessage, AE>> + Sink<RtMessage> + Unpin,
{
    /// Relays until something ends the call.
    async fn run(&mut self, tick_every: Duration) -> CallEnd {
        let started = tokio::time::Instant::now();
        let mut tick = tokio::time::interval(tick_every);
        // One shutdown future for the whole call: a fresh `cancelled()` per message would
        // register and unregister a waiter on the server-wide token for every audio frame.
        let shutdown = self.call.calls.inner.shutdown.clone();
        let cancelled = shutdown.cancelled();
        tokio::pin!(cancelled);
        loop {
            // What the sockets said about the end of the call in this step, if anything;
            // the session's own verdict joins it in `carry_out`, and `CallEnd::settle`
            // decides.
            let mut seen = None;
            let actions = tokio::select! {
                biased;
                () = &mut cancelled => self.session.handle(Input::RealtimeLost {
                    reason: "the kitchen server is shutting down".into(),
                }),
                res = prewarmed(&mut self.prewarm), if self.prewarm.is_some() => match res {
                    Ok(ws) => {
                        self.ai = Some(ws);
                        self.session.handle(Input::RealtimeReady)
                    }
                    Err(reason) => self.session.handle(Input::RealtimeLost { reason }),
                },
                msg = self.twilio.next() => match from_twilio(&self.call.call_sid, msg) {
                    FromTwilio::Ended(end) => {
                        seen = Some(end);
                        Vec::new()
                    }
                    FromTwilio::Text(t) => self.on_twilio(&t),
                    FromTwilio::Ignored => Vec::new(),
                },
                ev = next_from_ai(&mut self.ai), if self.ai.is_some() => self.on_ai(ev),
                // Before the tools: a tool that switched dictation has its `session.update`
                // sent before its answer.
                Ok(()) = self.dictation.changed() => {
                    let on = *self.dictation.borrow_and_update();
                    self.session.handle(Input::Dictation(on))
                }
                Some((call_id, output)) = self.tool_rx.recv() => {
                    self.session.handle(Input::ToolFinished { call_id, output })
                }
                _ = tick.tick() => self.session.handle(Input::Tick {
                    elapsed_ms: millis(started.elapsed()),
                }),
            };
            if let Some(end) = self.carry_out(actions, seen).await {
                return end;
            }
        }
    }

    /// A text frame from Twilio (the rest is sorted in `run` by [`from_twilio`]).
    fn on_twilio(&mut self, text: &str) -> Vec<Action> {
        match parse_twilio(&self.call.call_sid, text) {
            Some(m) => self.session.handle(Input::Twilio(m)),
            None => Vec::new(),
        }
    }

    /// An event (or the end) of the AI socket.
    fn on_ai(&mut self, ev: FromAi) -> Vec<Action> {
        match ev {
            FromAi::Text(t) => match ServerEvent::parse(&t) {
                Ok(e) => self.session.handle(Input::Realtime(e)),
                Err(e) => {
                    tracing::warn!(call_sid = %self.call.call_sid, error = %e, "ignored a malformed AI event");
                    Vec::new()
                }
            },
            FromAi::Closed(frame) => {
                let reason = frame
                    .map(|f| {
                        format!(
                            "the AI closed the connection ({} {})",
                            u16::from(f.code),
                            f.reason
                        )
                    })
                    .unwrap_or_else(|| "the AI closed the connection".into());
                self.session.handle(Input::RealtimeLost { reason })
            }
            FromAi::Dropped => self.session.handle(Input::RealtimeLost {
                reason: "the AI connection dropped".into(),
            }),
            FromAi::Ignored => Vec::new(),
        }
    }

    /// Carries out the session's actions; `Some` once the call is over, with the one reason
    /// [`CallEnd::settle`] picks from what the sockets did (`seen`) and what the session
    /// decided.
    async fn carry_out(&mut self, actions: Vec<Action>, seen: Option<CallEnd>) -> Option<CallEnd> {
        let mut end = seen;
        let mut queue: std::collections::VecDeque<Action> = actions.into();
        while let Some(action) = queue.pop_front() {
            if let Some(verdict) = CallEnd::of_action(&action) {
                end = Some(CallEnd::settle(end, verdict));
                continue;
            }
            match action {
                Action::Twilio(m) => match m.to_json() {
                    Ok(json) => {
                        // Queued, written by the one flush below: a delta's frames and
                        // its mark leave in one write instead of one syscall each.
                        if self.twilio.feed(Message::Text(json.into())).await.is_err() {
                            end = Some(CallEnd::settle(end, CallEnd::TwilioLost));
                        }
                    }
                    Err(e) => tracing::error!(error = %e, "could not encode a Twilio message"),
                },
                Action::Realtime(ev) => {
                    if let (Some(ws), Ok(json)) = (self.ai.as_mut(), ev.to_json())
                        && ws.feed(RtMessage::Text(json.into())).await.is_err()
                    {
                        tracing::warn!(call_sid = %self.call.call_sid, "could not send to the AI");
                    }
                }
                Action::RunTool {
                    call_id,
                    tool,
                    arguments,
                } => {
                    let (call, tx) = (self.call.clone(), self.tool_tx.clone());
                    tokio::spawn(async move {
                        let output = call.run_tool(tool, &arguments).await;
                        let _ = tx.send((call_id, output)).await;
                    });
                }
                Action::Transcript(who, text) => self.call.log(CallUpdate::Said {
                    call_sid: self.call.call_sid.clone(),
                    speaker: if who == Speaker::Caller {
                        "caller"
                    } else {
                        "ai"
                    },
                    text,
                    at: self.call.calls.inner.clock.now(),
                }),
                Action::Usage(u) => {
                    let prices = self.call.calls.config().settings.ai_prices;
                    self.call
                        .log(crate::caps::usage_update(&self.call.call_sid, &u, &prices));
                }
                Action::Warn(w) => tracing::warn!(call_sid = %self.call.call_sid, "{w}"),
                Action::Reported(o) => self.call.note(|f| f.reported = Some(o)),
                Action::Keypad(key) => {
                    if let Some(text) = self.call.keypad(&key).await {
                        queue.extend(self.session.handle(Input::Keypad { text }));
                    }
                }
                Action::NeedsPerson {
                    reason,
                    summary,
                    transferring,
                } => self.call.needs_person(reason, summary, transferring).await,
                // Verdicts, taken above.
                Action::End(_) | Action::Fallback { .. } | Action::Stopped => {}
            }
        }
        if self.twilio.flush().await.is_err() {
            end = Some(CallEnd::settle(end, CallEnd::TwilioLost));
        }
        if let Some(ws) = self.ai.as_mut()
            && ws.flush().await.is_err()
        {
            tracing::warn!(call_sid = %self.call.call_sid, "could not send to the AI");
        }
        end
    }

    /// Does what `end` calls for: Twilio's REST API hangs up or moves the caller on, both
    /// sockets close, and the call log records the outcome.
    async fn finish(mut self, end: &CallEnd) {
        self.call.follow_line(end, "the AI").await;
        if let Some(mut ws) = self.ai.take() {
            let _ = ws.send(RtMessage::Close(None)).await;
        }
        if let Some(p) = self.prewarm.take() {
            p.abort();
        }
        self.call.close_out(&mut self.twilio, end).await;
    }
}
