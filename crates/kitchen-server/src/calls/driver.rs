//! The socket driver of one call: owns the Twilio media-stream socket and the Realtime
//! socket, feeds their messages to the pure [`CallSession`] and carries out its actions.
//! Tools and call-log writes run beside the audio path, never in it.

use super::CallService;
use super::session::{Action, CallSession, Ending, Input, Speaker};
use super::timeouts::{CallTimeouts, millis};
use super::tools::{self, ToolName};
use crate::orders::{OrderError, PlaceContext};
use axum::extract::ws::{CloseFrame, Message, WebSocket};
use futures_util::{SinkExt, StreamExt};
use kitchen_domain::{NewOrder, OrderSource, PhoneNumber};
use kitchen_store::{CallOutcome, CallUpdate, StoreError};
use std::sync::atomic::Ordering;
use std::time::Instant;
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message as RtMessage;
use voice_protocol::realtime::ServerEvent;
use voice_protocol::twilio::media::InboundMessage;

/// Largest WebSocket message accepted from Twilio; anything over [`MAX_PARSED_BYTES`] is
/// ignored (Twilio's frames are well under 1 KiB).
pub const MAX_FRAME_BYTES: usize = 1024 * 1024;
/// WebSocket read buffer for both sockets of a call (frames are small).
pub const READ_BUFFER_BYTES: usize = 4096;
/// Largest text frame we parse.
const MAX_PARSED_BYTES: usize = 16 * 1024;
/// Policy-violation close code (RFC 6455).
const POLICY: u16 = 1008;

/// Runs one media stream from `start` to the end of the call.
///
/// The socket is not split: this one task reads and writes it, so every message goes out
/// without a lock between reader and writer halves.
pub async fn run(mut socket: WebSocket, calls: CallService, timeouts: CallTimeouts) {
    let wait = timeouts.start;
    let start = match tokio::time::timeout(wait, wait_for_start(&mut socket)).await {
        Ok(Some(start)) => start,
        Ok(None) => return,
        Err(_) => {
            tracing::warn!(
                ?wait,
                "a media stream sent no valid `start` in time; closing it"
            );
            let _ = socket.send(close(POLICY, "start expected in time")).await;
            return;
        }
    };
    let params = &start.start.custom_parameters;
    let call_sid = start.start.call_sid.clone();
    let token = params.get("token").map(String::as_str).unwrap_or_default();
    let pending = match calls.inner.registry.claim(&call_sid, token, Instant::now()) {
        Ok(p) => p,
        Err(e) => {
            tracing::warn!(%call_sid, error = %e, "refused a media stream");
            let _ = socket.send(close(POLICY, "invalid stream token")).await;
            return;
        }
    };
    calls.inner.active.fetch_add(1, Ordering::Relaxed);
    calls.inner.log.record(CallUpdate::Answered {
        call_sid: call_sid.clone(),
        at: calls.inner.clock.now(),
    });
    let call = Call {
        calls: calls.clone(),
        call_sid,
        account_sid: pending.account_sid.clone(),
        caller: pending.caller.clone(),
    };
    let mut session = CallSession::new(
        start.stream_sid.clone(),
        calls.can_transfer(),
        timeouts.limits(),
    );

    let (tool_tx, mut tool_rx) = mpsc::channel::<(String, String)>(16);
    let mut prewarm = Some(pending.prewarm);
    let mut rt: Option<super::realtime::RealtimeSocket> = None;
    let started = tokio::time::Instant::now();
    let mut tick = tokio::time::interval(timeouts.tick);
    let mut ended = None;
    // One shutdown future for the whole call: a fresh `cancelled()` per message would
    // register and unregister a waiter on the server-wide token for every audio frame.
    let shutdown = calls.inner.shutdown.clone();
    let cancelled = shutdown.cancelled();
    tokio::pin!(cancelled);

    loop {
        let actions = tokio::select! {
            biased;
            () = &mut cancelled => {
                session.handle(Input::RealtimeLost { reason: "the kitchen server is shutting down".into() })
            }
            res = async {
                    match prewarm.as_mut() {
                        Some(p) => p.await,
                        None => std::future::pending().await,
                    }
                }, if prewarm.is_some() => {
                prewarm = None;
                match res {
                    Ok(Ok(ws)) => { rt = Some(ws); session.handle(Input::RealtimeReady) }
                    Ok(Err(e)) => session.handle(Input::RealtimeLost { reason: e.to_string() }),
                    Err(e) => session.handle(Input::RealtimeLost { reason: format!("the AI connection task failed: {e}") }),
                }
            }
            msg = socket.next() => match msg {
                Some(Ok(Message::Text(t))) if t.len() <= MAX_PARSED_BYTES => match InboundMessage::parse(&t) {
                    Ok(m) => session.handle(Input::Twilio(m)),
                    Err(e) => { tracing::warn!(call_sid = %call.call_sid, error = %e, "ignored a malformed Twilio frame"); Vec::new() }
                },
                Some(Ok(Message::Text(t))) => { tracing::warn!(call_sid = %call.call_sid, bytes = t.len(), "ignored an oversized Twilio frame"); Vec::new() }
                Some(Ok(Message::Binary(b))) => { tracing::warn!(call_sid = %call.call_sid, bytes = b.len(), "ignored a binary Twilio frame"); Vec::new() }
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => {
                    ended.get_or_insert((CallOutcome::Abandoned, None));
                    break;
                }
                Some(Ok(_)) => Vec::new(),
            },
            ev = async {
                match rt.as_mut() {
                    Some(ws) => ws.next().await,
                    None => std::future::pending().await,
                }
            }, if rt.is_some() => match ev {
                Some(Ok(RtMessage::Text(t))) => match ServerEvent::parse(&t) {
                    Ok(e) => session.handle(Input::Realtime(e)),
                    Err(e) => { tracing::warn!(call_sid = %call.call_sid, error = %e, "ignored a malformed AI event"); Vec::new() }
                },
                Some(Ok(RtMessage::Close(frame))) => {
                    rt = None;
                    let why = frame.map(|f| format!("the AI closed the connection ({} {})", u16::from(f.code), f.reason)).unwrap_or_else(|| "the AI closed the connection".into());
                    session.handle(Input::RealtimeLost { reason: why })
                }
                None | Some(Err(_)) => { rt = None; session.handle(Input::RealtimeLost { reason: "the AI connection dropped".into() }) }
                Some(Ok(_)) => Vec::new(),
            },
            Some((call_id, output)) = tool_rx.recv() => session.handle(Input::ToolFinished { call_id, output }),
            _ = tick.tick() => session.handle(Input::Tick { elapsed_ms: millis(started.elapsed()) }),
        };
        for action in actions {
            match action {
                Action::Twilio(m) => match m.to_json() {
                    Ok(json) => {
                        // Queued, written by the one flush below: a delta's frames and
                        // its mark leave in one write instead of one syscall each.
                        if socket.feed(Message::Text(json.into())).await.is_err() {
                            ended.get_or_insert((CallOutcome::Abandoned, None));
                        }
                    }
                    Err(e) => tracing::error!(error = %e, "could not encode a Twilio message"),
                },
                Action::Realtime(ev) => {
                    if let (Some(ws), Ok(json)) = (rt.as_mut(), ev.to_json())
                        && ws.feed(RtMessage::Text(json.into())).await.is_err()
                    {
                        tracing::warn!(call_sid = %call.call_sid, "could not send to the AI");
                    }
                }
                Action::RunTool {
                    call_id,
                    tool,
                    arguments,
                } => {
                    let (call, tx) = (call.clone(), tool_tx.clone());
                    tokio::spawn(async move {
                        let output = call.run_tool(tool, &arguments).await;
                        let _ = tx.send((call_id, output)).await;
                    });
                }
                Action::Transcript(who, text) => call.log(CallUpdate::Said {
                    call_sid: call.call_sid.clone(),
                    speaker: if who == Speaker::Caller {
                        "caller"
                    } else {
                        "ai"
                    },
                    text,
                    at: call.calls.inner.clock.now(),
                }),
                Action::Usage(u) => call.log(CallUpdate::Usage {
                    call_sid: call.call_sid.clone(),
                    input: u.input_tokens,
                    output: u.output_tokens,
                    audio_in: u.input_token_details.as_ref().map_or(0, |d| d.audio_tokens),
                    audio_out: u
                        .output_token_details
                        .as_ref()
                        .map_or(0, |d| d.audio_tokens),
                }),
                Action::Warn(w) => tracing::warn!(call_sid = %call.call_sid, "{w}"),
                Action::End(Ending::Hangup) => {
                    call.hang_up().await;
                    ended = Some((CallOutcome::Abandoned, None));
                }
                Action::End(Ending::Transfer) => {
                    call.redirect(call.calls.transfer_twiml()).await;
                    ended = Some((
                        CallOutcome::Transferred,
                        Some("the caller asked for a person".to_string()),
                    ));
                }
                Action::Fallback { reason } => {
                    tracing::warn!(call_sid = %call.call_sid, %reason, "the AI cannot serve this call; moving the caller on");
                    call.redirect(call.calls.fallback_twiml()).await;
                    ended = Some((CallOutcome::Failed, Some(reason)));
                }
                Action::Stopped => {
                    ended.get_or_insert((CallOutcome::Abandoned, None));
                }
            }
        }
        if socket.flush().await.is_err() {
            ended.get_or_insert((CallOutcome::Abandoned, None));
        }
        if let Some(ws) = rt.as_mut()
            && ws.flush().await.is_err()
        {
            tracing::warn!(call_sid = %call.call_sid, "could not send to the AI");
        }
        if ended.is_some() || session.is_over() {
            break;
        }
    }

    if let Some(mut ws) = rt.take() {
        let _ = ws.close(None).await;
    }
    if let Some(p) = prewarm {
        p.abort();
    }
    let _ = socket.send(close(1000, "call ended")).await;
    let (outcome, reason) = ended.unwrap_or((CallOutcome::Abandoned, None));
    call.log(CallUpdate::Ended {
        call_sid: call.call_sid.clone(),
        outcome,
        reason,
        at: call.calls.inner.clock.now(),
    });
    calls.inner.active.fetch_sub(1, Ordering::Relaxed);
}

fn close(code: u16, reason: &'static str) -> Message {
    Message::Close(Some(CloseFrame {
        code,
        reason: reason.into(),
    }))
}

/// Reads until `start` (skipping `connected`); `None` if the socket ends first.
async fn wait_for_start<S>(rx: &mut S) -> Option<voice_protocol::twilio::media::inbound::Start>
where
    S: futures_util::Stream<Item = Result<Message, axum::Error>> + Unpin,
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

/// One call's identity, for tools and the log.
#[derive(Debug, Clone)]
struct Call {
    calls: CallService,
    call_sid: String,
    account_sid: String,
    caller: PhoneNumber,
}

impl Call {
    fn log(&self, u: CallUpdate) {
        self.calls.inner.log.record(u);
    }

    async fn hang_up(&self) {
        let Some(rest) = self.calls.rest(&self.account_sid) else {
            return;
        };
        if let Err(e) = rest.hang_up(&self.call_sid).await {
            tracing::warn!(call_sid = %self.call_sid, error = %e, "could not hang up through Twilio; closing the stream instead");
        }
    }

    async fn redirect(&self, twiml: String) {
        let Some(rest) = self.calls.rest(&self.account_sid) else {
            return;
        };
        if let Err(e) = rest.redirect(&self.call_sid, &twiml).await {
            tracing::warn!(call_sid = %self.call_sid, error = %e, "could not redirect the call through Twilio; the TwiML after the stream takes over");
        }
    }

    /// Runs an order tool; the result is JSON text for the model. An order is confirmed to
    /// the caller only through `placed_output`, built from the committed row.
    async fn run_tool(&self, tool: ToolName, arguments: &str) -> String {
        let req = match tools::parse_order_arguments(arguments) {
            Ok(r) => r,
            Err(e) => return tools::error_output(&e.to_string()),
        };
        match tool {
            ToolName::ReviewOrder => match self.calls.inner.store.menu().await {
                Ok(menu) => match NewOrder::price(&req, &menu) {
                    Ok(order) => tools::review_output(&order),
                    Err(v) => tools::validation_output(&v),
                },
                Err(e) => {
                    tracing::error!(error = %e, "could not read the menu for {}", ToolName::ReviewOrder);
                    tools::error_output(&format!(
                        "The shop's system could not read the menu just now. Apologise and try {} again.",
                        ToolName::ReviewOrder
                    ))
                }
            },
            ToolName::PlaceOrder => {
                let ctx = PlaceContext {
                    source: OrderSource::Phone,
                    actor: "phone-ai".to_string(),
                    call_sid: Some(self.call_sid.clone()),
                    // One order per call: a retried place_order finds the first one.
                    idempotency_key: Some(format!("call:{}", self.call_sid)),
                    caller: Some(Some(self.caller.clone())),
                };
                match self.calls.inner.orders.place(req, ctx).await {
                    Ok(placed) => {
                        self.log(CallUpdate::Ordered {
                            call_sid: self.call_sid.clone(),
                            order_id: placed.order.id,
                        });
                        tools::placed_output(&placed.order, self.calls.config().eta_minutes)
                    }
                    Err(OrderError::Invalid(v)) => tools::validation_output(&v),
                    Err(OrderError::Store(StoreError::IdempotencyConflict)) => tools::error_output(
                        "An order was already placed on this call and cannot be changed by phone AI. Tell the caller the first order stands; if they need changes, transfer them to a person.",
                    ),
                    Err(OrderError::Store(e)) => {
                        tracing::error!(call_sid = %self.call_sid, error = %e, "could not save a phone order");
                        tools::error_output(
                            "The order could NOT be saved because of a problem in the shop's system. Do not say it is confirmed. Apologise, and transfer the caller to a person if you can, or ask them to call again in a few minutes.",
                        )
                    }
                }
            }
            // The session answers these itself; it never asks the driver to run them.
            ToolName::EndCall | ToolName::TransferToHuman => {
                tools::error_output(&format!("`{tool}` is not an order tool"))
            }
        }
    }
}
