//! The socket driver of one live-bridge call: owns the Twilio media stream and the
//! GPT-Live socket, feeds their messages to the pure [`LiveSession`] and carries out its
//! actions, reusing the Realtime bridge's [`Call`] (tools, call log, drafts, hand-over) and
//! [`CallEnd`] (how the call ends).
//!
//! A second timer drives pacing: while the model's audio is queued, the session is ticked
//! every 20 ms so frames leave at real time. At hang-up the driver sends `session.close`
//! and waits briefly for `session.closed` (its final usage is logged).

use super::session::{LiveAction, LiveInput, LiveSession};
use crate::driver::call::Call;
use crate::driver::{FromAi, FromTwilio, from_twilio, next_from_ai, parse_twilio, prewarmed};
use crate::outcome::CallEnd;
use crate::registry::{PendingCall, Prewarm};
use crate::session::{Action, Speaker};
use crate::timeouts::{CallTimeouts, millis};
use axum::extract::ws::Message;
use futures_util::{Sink, SinkExt, Stream, StreamExt};
use kitchen_domain::CallUpdate;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message as WsMessage;
use voice_protocol::live::{ClientEvent, ServerEvent};

/// How long to wait for `session.closed` after `session.close`.
const CLOSE_WAIT: Duration = Duration::from_secs(2);

/// How often the session is ticked while pacing audio.
const PACE_TICK: Duration = Duration::from_millis(20);

/// Runs one claimed live-bridge call to its end, and says why it ended.
pub(crate) async fn run<T, TE, A, AE>(
    twilio: T,
    stream_sid: String,
    pending: PendingCall<A>,
    call: Call,
    timeouts: CallTimeouts,
) -> CallEnd
where
    T: Stream<Item = Result<Message, TE>> + Sink<Message> + Unpin,
    A: Stream<Item = Result<WsMessage, AE>> + Sink<WsMessage> + Unpin,
{
    let calls = call.calls.clone();
    let cfg = calls.config();
    let limits = timeouts.limits_capped(cfg.settings.max_call_minutes);
    let greeting = pending_greeting(&cfg);
    let session = LiveSession::new(
        stream_sid,
        calls.can_transfer(),
        limits,
        cfg.live_pacing,
        greeting,
    );
    let dictation = call.clone();
    let _dictation_entry = calls.register_dictation(
        &call.call_sid,
        Arc::new(move |on| dictation.set_dictation(on)),
    );
    let (tool_tx, tool_rx) = mpsc::channel(16);
    let mut relay = LiveRelay {
        twilio,
        ai: None,
        prewarm: Some(pending.prewarm),
        session,
        call,
        tool_tx,
        tool_rx,
        logged_millipaisa: 0,
        price: cfg.live_price_paisa_per_minute,
    };
    let end = relay.run(timeouts.tick).await;
    relay.finish(&end).await;
    end
}

/// The greeting, worded as an instruction to the voice model.
fn pending_greeting(cfg: &crate::config::CallConfig) -> String {
    let custom = cfg
        .greeting
        .as_deref()
        .map(|g| format!(" Use the shop's own greeting, in your words: «{g}»."))
        .unwrap_or_default();
    format!(
        "The caller has just been connected. Greet them now in Urdu: say salaam, name {} and \
         ask what they would like to order.{custom}",
        cfg.shop_name
    )
}

struct LiveRelay<T, A> {
    twilio: T,
    ai: Option<A>,
    prewarm: Option<Prewarm<A>>,
    session: LiveSession,
    call: Call,
    tool_tx: mpsc::Sender<(String, String)>,
    tool_rx: mpsc::Receiver<(String, String)>,
    logged_millipaisa: u64,
    price: u32,
}

impl<T, TE, A, AE> LiveRelay<T, A>
where
    T: Stream<Item = Result<Message, TE>> + Sink<Message> + Unpin,
    A: Stream<Item = Result<WsMessage, AE>> + Sink<WsMessage> + Unpin,
{
    async fn run(&mut self, tick_every: Duration) -> CallEnd {
        let started = tokio::time::Instant::now();
        let mut tick = tokio::time::interval(tick_every.min(PACE_TICK));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let shutdown = self.call.calls.inner.shutdown.clone();
        let cancelled = shutdown.cancelled();
        tokio::pin!(cancelled);
        loop {
            let mut seen = None;
            let actions = tokio::select! {
                biased;
                () = &mut cancelled => self.session.handle(LiveInput::LiveLost {
                    reason: "the kitchen server is shutting down".into(),
                }),
                res = prewarmed(&mut self.prewarm), if self.prewarm.is_some() => match res {
                    Ok(ws) => {
                        self.ai = Some(ws);
                        self.session.handle(LiveInput::LiveReady)
                    }
                    Err(reason) => self.session.handle(LiveInput::LiveLost { reason }),
                },
                msg = self.twilio.next() => match from_twilio(&self.call.call_sid, msg) {
                    FromTwilio::Ended(end) => {
                        seen = Some(end);
                        Vec::new()
                    }
                    FromTwilio::Text(t) => match parse_twilio(&self.call.call_sid, &t) {
                        Some(m) => self.session.handle(LiveInput::Twilio(m)),
                        None => Vec::new(),
                    },
                    FromTwilio::Ignored => Vec::new(),
                },
                ev = next_from_ai(&mut self.ai), if self.ai.is_some() => self.on_ai(ev),
                Some((call_id, output)) = self.tool_rx.recv() => {
                    self.session.handle(LiveInput::ToolFinished { call_id, output })
                }
                _ = tick.tick() => self.session.handle(LiveInput::Tick {
                    elapsed_ms: millis(started.elapsed()),
                }),
            };
            if let Some(end) = self.carry_out(actions, seen).await {
                return end;
            }
        }
    }

    fn on_ai(&mut self, ev: FromAi) -> Vec<LiveAction> {
        match ev {
            FromAi::Text(t) => match ServerEvent::parse(&t) {
                Ok(e) => self.session.handle(LiveInput::Live(e)),
                Err(e) => {
                    tracing::warn!(call_sid = %self.call.call_sid, error = %e, "ignored a malformed GPT-Live event");
                    Vec::new()
                }
            },
            FromAi::Closed(_) | FromAi::Dropped => self.session.handle(LiveInput::LiveLost {
                reason: "the GPT-Live connection closed".into(),
            }),
            FromAi::Ignored => Vec::new(),
        }
    }

    async fn carry_out(
        &mut self,
        actions: Vec<LiveAction>,
        seen: Option<CallEnd>,
    ) -> Option<CallEnd> {
        let mut end = seen;
        let mut queue: std::collections::VecDeque<LiveAction> = actions.into();
        while let Some(action) = queue.pop_front() {
            let verdict = match &action {
                LiveAction::End(e) => Some(Action::End(*e)),
                LiveAction::Fallback { reason } => Some(Action::Fallback {
                    reason: reason.clone(),
                }),
                LiveAction::Stopped => Some(Action::Stopped),
                _ => None,
            };
            if let Some(verdict) = verdict.as_ref().and_then(CallEnd::of_action) {
                end = Some(CallEnd::settle(end, verdict));
                continue;
            }
            match action {
                LiveAction::Twilio(m) => match m.to_json() {
                    Ok(json) => {
                        if self.twilio.feed(Message::Text(json.into())).await.is_err() {
                            end = Some(CallEnd::settle(end, CallEnd::TwilioLost));
                        }
                    }
                    Err(e) => tracing::error!(error = %e, "could not encode a Twilio message"),
                },
                LiveAction::Live(ev) => self.send_ai(&ev).await,
                LiveAction::RunTool {
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
                LiveAction::Transcript(who, text) => self.call.log(CallUpdate::Said {
                    call_sid: self.call.call_sid.clone(),
                    speaker: if who == Speaker::Caller {
                        "caller"
                    } else {
                        "ai"
                    },
                    text,
                    at: self.call.calls.inner.clock.now(),
                }),
                LiveAction::Usage { seconds, .. } => self.log_usage(seconds),
                LiveAction::Warn(w) => tracing::warn!(call_sid = %self.call.call_sid, "{w}"),
                LiveAction::Reported(o) => self.call.note(|f| f.reported = Some(o)),
                LiveAction::Keypad(key) => {
                    if let Some(text) = self.call.keypad(&key).await {
                        queue.extend(self.session.handle(LiveInput::Keypad { text }));
                    }
                }
                LiveAction::NeedsPerson {
                    reason,
                    summary,
                    transferring,
                } => self.call.needs_person(reason, summary, transferring).await,
                LiveAction::End(_) | LiveAction::Fallback { .. } | LiveAction::Stopped => {}
            }
        }
        if self.twilio.flush().await.is_err() {
            end = Some(CallEnd::settle(end, CallEnd::TwilioLost));
        }
        if let Some(ws) = self.ai.as_mut()
            && ws.flush().await.is_err()
        {
            tracing::warn!(call_sid = %self.call.call_sid, "could not send to GPT-Live");
        }
        end
    }

    async fn send_ai(&mut self, ev: &ClientEvent) {
        if let (Some(ws), Ok(json)) = (self.ai.as_mut(), ev.to_json())
            && ws.feed(WsMessage::Text(json.into())).await.is_err()
        {
            tracing::warn!(call_sid = %self.call.call_sid, "could not send to GPT-Live");
        }
    }

    /// Logs the cost added since the last report: the session's seconds are cumulative, so
    /// the log gets the growth of their price, never a sum of reports.
    fn log_usage(&mut self, seconds: f64) {
        let total = crate::caps::live_session_cost_millipaisa(seconds, self.price);
        let added = total.saturating_sub(self.logged_millipaisa);
        self.logged_millipaisa = self.logged_millipaisa.max(total);
        self.call.log(CallUpdate::Usage {
            call_sid: self.call.call_sid.clone(),
            input: 0,
            output: 0,
            audio_in: 0,
            audio_out: 0,
            cached_in: 0,
            cost_millipaisa: added,
        });
    }

    /// Closes the GPT-Live session (waiting briefly for `session.closed` and its final
    /// usage), then does what `end` calls for, as the Realtime bridge does.
    async fn finish(mut self, end: &CallEnd) {
        let sid = self.call.call_sid.clone();
        match self.session.arrival_rate() {
            Some(rate) => tracing::debug!(
                call_sid = %sid,
                audio_ms = self.session.audio_received_ms(),
                rate,
                "GPT-Live output arrival rate (audio ms received per wall ms)"
            ),
            None => {
                tracing::debug!(call_sid = %sid, "GPT-Live sent too little audio to measure its rate")
            }
        }
        if let Some(mut ws) = self.ai.take() {
            if let Ok(json) = ClientEvent::session_close().to_json() {
                let _ = ws.send(WsMessage::Text(json.into())).await;
            }
            let closed = tokio::time::timeout(CLOSE_WAIT, async {
                while let Some(Ok(msg)) = ws.next().await {
                    if let WsMessage::Text(t) = msg
                        && let Ok(ServerEvent::SessionClosed(c)) = ServerEvent::parse(&t)
                    {
                        return c.usage.map(|u| u.seconds);
                    }
                }
                None
            })
            .await;
            match closed {
                Ok(Some(seconds)) => self.log_usage(seconds),
                Ok(None) => {}
                Err(_) => {
                    tracing::debug!(call_sid = %sid, "no session.closed from GPT-Live in time")
                }
            }
            let _ = ws.send(WsMessage::Close(None)).await;
        }
        if let Some(p) = self.prewarm.take() {
            p.abort();
        }
        self.call.follow_line(end, "GPT-Live").await;
        self.call.close_out(&mut self.twilio, end).await;
    }
}
