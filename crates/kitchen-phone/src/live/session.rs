//! `LiveSession`: one call relayed between Twilio's media stream and a GPT-Live session, as
//! a pure state machine. [`LiveSession::handle`] takes a [`LiveInput`] and returns the
//! [`LiveAction`]s the driver carries out; no sockets, no clock.
//!
//! Audio passes through untouched both ways (µ-law 8 kHz is the session's format).
//! GPT-Live decides by itself when to speak and when to stop: there is nothing to cancel or
//! truncate. But Twilio keeps playing audio already sent, so the model's deltas are queued
//! here and sent to Twilio paced at real time, at most [`LivePacing::lead_ms`] ahead of
//! playback (whether the service sends faster than real time is undocumented). When the
//! caller's speech shows up (an input transcript delta) while the model's audio is still
//! queued or playing, the queue is dropped and Twilio gets `clear`.
//!
//! Tools arrive as completed function calls in `response.event`s (responses delegation).
//! Each is answered with `response.item.create`; once no call is outstanding, one
//! `response.create` lets the backend continue. `end_call` and `transfer_to_human` end the
//! call once the model's audio has played and it has been quiet for [`END_QUIET_MS`].

use crate::session::{CallLimits, Ending, Speaker, call_cap_instructions};
use crate::tools::{self, ToolName};
use kitchen_domain::CallOutcome;
use std::collections::{HashSet, VecDeque};
use voice_protocol::live::{ClientEvent, ServerEvent};
use voice_protocol::twilio::media::{
    FrameChunker, InboundMessage, OutboundMessage, decode_payload,
};

/// Caller audio kept until `session.started`: 10 s of 20 ms frames.
const MAX_BUFFERED_FRAMES: usize = 500;

/// Milliseconds of µ-law per 160-byte frame.
const FRAME_MS: u64 = 20;
/// How long after the model's last frame it still counts as speaking (two frames: the
/// gap between real-time deltas, and the tick that notices it).
const SPEAKING_GAP_MS: u64 = 2 * FRAME_MS;
/// How long after the last tool result `response.create` waits for the backend response's
/// end before it goes anyway.
const BACKEND_END_WAIT_MS: u64 = 1000;

/// A nested Responses event that ends a response: no more function calls come in it.
fn is_response_end(kind: &str) -> bool {
    matches!(
        kind,
        "response.completed" | "response.done" | "response.failed" | "response.incomplete"
    )
}

/// After `end_call` or a transfer, the call ends once the model's audio has played and no
/// new audio came for this long (the model may say goodbye after the tool call).
pub const END_QUIET_MS: u64 = 1_500;

/// How the model's audio is sent to Twilio.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LivePacing {
    /// Meter frames at real time (`LIVE_OUTPUT_PACING=realtime`); `false` forwards each
    /// delta as it arrives (`off`).
    pub realtime: bool,
    /// How far ahead of playback frames may be sent (`LIVE_OUTPUT_LEAD_MS`).
    pub lead_ms: u64,
}

impl Default for LivePacing {
    fn default() -> Self {
        LivePacing {
            realtime: true,
            lead_ms: 160,
        }
    }
}

/// What the session is told.
#[derive(Debug, Clone)]
pub enum LiveInput {
    /// A message from Twilio's media stream (after `start`).
    Twilio(InboundMessage),
    /// An event from the GPT-Live session.
    Live(ServerEvent),
    /// The GPT-Live socket is open and `session.start` was sent.
    LiveReady,
    /// The GPT-Live socket failed or closed.
    LiveLost {
        /// Why, for the call log.
        reason: String,
    },
    /// A tool the driver ran has finished.
    ToolFinished {
        /// The function call it answers.
        call_id: String,
        /// The JSON text for the backend.
        output: String,
    },
    /// The caller finished typing a number on the keypad: what the model is told.
    Keypad {
        /// The notice.
        text: String,
    },
    /// Time since the stream started (every few ms while pacing).
    Tick {
        /// Milliseconds since `start`.
        elapsed_ms: u64,
    },
}

/// What the driver must do.
#[derive(Debug, Clone)]
pub enum LiveAction {
    /// Send to Twilio.
    Twilio(OutboundMessage),
    /// Send to GPT-Live.
    Live(Box<ClientEvent>),
    /// Run an order tool and report back with [`LiveInput::ToolFinished`].
    RunTool {
        /// The function call id.
        call_id: String,
        /// The tool.
        tool: ToolName,
        /// The backend's JSON arguments (unparsed).
        arguments: String,
    },
    /// A transcript line for the call log.
    Transcript(Speaker, String),
    /// Billable session seconds grew by `added` (cumulative `seconds` now).
    Usage {
        /// Cumulative billable seconds reported.
        seconds: f64,
        /// Seconds not yet logged.
        added: f64,
    },
    /// Worth a warning in the log.
    Warn(String),
    /// How the model says the call went (`end_call`'s outcome).
    Reported(CallOutcome),
    /// The caller pressed a key.
    Keypad(String),
    /// The call needs a person (`transfer_to_human`).
    NeedsPerson {
        /// Why.
        reason: Option<String>,
        /// What the caller wants.
        summary: Option<String>,
        /// True when the call is being transferred.
        transferring: bool,
    },
    /// End the call now.
    End(Ending),
    /// The AI cannot serve: move the caller on.
    Fallback {
        /// Why, for the call log.
        reason: String,
    },
    /// Twilio stopped the stream (the caller hung up).
    Stopped,
}

/// One call's live-bridge state.
#[derive(Debug)]
pub struct LiveSession {
    stream_sid: String,
    limits: CallLimits,
    can_transfer: bool,
    pacing: LivePacing,
    greeting: String,
    started: bool,
    waiting_caller_audio: VecDeque<String>,
    chunker: FrameChunker,
    /// Model audio not yet sent to Twilio, in 160-byte frames.
    queue: VecDeque<Vec<u8>>,
    /// When (ms since start) the audio sent to Twilio so far will have played.
    played_until_ms: u64,
    elapsed_ms: u64,
    /// When the model's last audio arrived.
    last_audio_ms: Option<u64>,
    first_audio_ms: Option<u64>,
    audio_received_bytes: u64,
    caller_line: String,
    ai_line: String,
    seen_calls: HashSet<String>,
    outstanding: HashSet<String>,
    /// Some output was sent since the last `response.create`.
    answered: bool,
    /// A backend response sent function calls and its end (the nested `response.completed`,
    /// or another final event) has not arrived: more calls may still come in it.
    backend_open: bool,
    /// When the last result went back (for [`BACKEND_END_WAIT_MS`]).
    answered_at_ms: u64,
    ending: Option<Ending>,
    /// When the ending was decided, and whether the model must speak first (a cap).
    ending_at_ms: u64,
    ending_needs_speech: bool,
    capped: bool,
    wrapping_up: bool,
    billed_seconds: f64,
    over: bool,
    clears: u64,
}

impl LiveSession {
    /// A session for the stream `stream_sid`; `greeting` is an instruction to greet.
    pub fn new(
        stream_sid: impl Into<String>,
        can_transfer: bool,
        limits: CallLimits,
        pacing: LivePacing,
        greeting: impl Into<String>,
    ) -> Self {
        LiveSession {
            stream_sid: stream_sid.into(),
            limits,
            can_transfer,
            pacing,
            greeting: greeting.into(),
            started: false,
            waiting_caller_audio: VecDeque::new(),
            chunker: FrameChunker::new(),
            queue: VecDeque::new(),
            played_until_ms: 0,
            elapsed_ms: 0,
            last_audio_ms: None,
            first_audio_ms: None,
            audio_received_bytes: 0,
            caller_line: String::new(),
            ai_line: String::new(),
            seen_calls: HashSet::new(),
            outstanding: HashSet::new(),
            answered: false,
            backend_open: false,
            answered_at_ms: 0,
            ending: None,
            ending_at_ms: 0,
            ending_needs_speech: false,
            capped: false,
            wrapping_up: false,
            billed_seconds: 0.0,
            over: false,
            clears: 0,
        }
    }

    /// True once the session decided the call is over.
    pub fn is_over(&self) -> bool {
        self.over
    }

    /// How often Twilio was told to `clear` (barge-in).
    pub fn clears(&self) -> u64 {
        self.clears
    }

    /// Model audio received per wall-clock time between its first and last delta (1.0 =
    /// real time, above = a burst); `None` before two deltas a tick apart.
    pub fn arrival_rate(&self) -> Option<f64> {
        let (first, last) = (self.first_audio_ms?, self.last_audio_ms?);
        (last > first).then(|| (self.audio_received_bytes / 8) as f64 / (last - first) as f64)
    }

    /// Audio the model sent so far, in ms.
    pub fn audio_received_ms(&self) -> u64 {
        self.audio_received_bytes / 8
    }

    /// Feeds one input; returns what to do, in order.
    pub fn handle(&mut self, input: LiveInput) -> Vec<LiveAction> {
        if self.over {
            return Vec::new();
        }
        let mut out = Vec::new();
        match input {
            LiveInput::Twilio(msg) => self.on_twilio(msg, &mut out),
            LiveInput::Live(ev) => self.on_live(ev, &mut out),
            LiveInput::LiveReady => {}
            LiveInput::LiveLost { reason } => {
                self.flush_lines(&mut out);
                self.over = true;
                out.push(match self.ending {
                    Some(e) => LiveAction::End(e),
                    None => LiveAction::Fallback { reason },
                });
            }
            LiveInput::ToolFinished { call_id, output } => {
                self.answer(call_id, output, &mut out);
            }
            LiveInput::Keypad { text } => send(&mut out, ClientEvent::thinking_append(text)),
            LiveInput::Tick { elapsed_ms } => self.on_tick(elapsed_ms, &mut out),
        }
        out
    }

    fn on_twilio(&mut self, msg: InboundMessage, out: &mut Vec<LiveAction>) {
        match msg {
            InboundMessage::Media(m) => {
                if m.media.track != "inbound" && !m.media.track.is_empty() {
                    return;
                }
                if self.started {
                    send(out, ClientEvent::append_audio(m.media.payload));
                } else {
                    if self.waiting_caller_audio.len() == MAX_BUFFERED_FRAMES {
                        self.waiting_caller_audio.pop_front();
                    }
                    self.waiting_caller_audio.push_back(m.media.payload);
                }
            }
            InboundMessage::Stop(_) => {
                self.flush_lines(out);
                self.over = true;
                out.push(LiveAction::Stopped);
            }
            InboundMessage::Dtmf(d) => out.push(LiveAction::Keypad(d.dtmf.digit)),
            InboundMessage::Mark(_) | InboundMessage::Connected(_) | InboundMessage::Start(_) => {}
            InboundMessage::Unknown(u) => out.push(LiveAction::Warn(format!(
                "unknown Twilio event `{}`",
                u.event
            ))),
        }
    }

    fn on_live(&mut self, ev: ServerEvent, out: &mut Vec<LiveAction>) {
        match ev {
            ServerEvent::SessionStarted(_) => {
                self.started = true;
                send(out, ClientEvent::instructions_append(self.greeting.clone()));
                for payload in std::mem::take(&mut self.waiting_caller_audio) {
                    send(out, ClientEvent::append_audio(payload));
                }
            }
            ServerEvent::OutputAudioDelta(d) => self.on_audio(&d.delta, out),
            ServerEvent::OutputTranscriptDelta(t) => {
                if !self.caller_line.is_empty() {
                    line(out, Speaker::Caller, &mut self.caller_line);
                }
                self.ai_line.push_str(&t.delta);
            }
            ServerEvent::InputTranscriptDelta(t) => {
                if self.model_audible() {
                    self.barge_in(out);
                }
                if !self.ai_line.is_empty() {
                    line(out, Speaker::Ai, &mut self.ai_line);
                }
                self.caller_line.push_str(&t.delta);
            }
            ServerEvent::ResponseEvent(envelope) => {
                if let Some(call) = envelope.completed_function_call()
                    && self.seen_calls.insert(call.call_id.clone())
                {
                    self.backend_open = true;
                    self.on_function_call(call.call_id, call.name, call.arguments, out);
                } else if envelope.nested_type().is_some_and(is_response_end) {
                    self.backend_open = false;
                    self.continue_backend(out);
                }
            }
            ServerEvent::UsageUpdated(u) => self.on_usage(u.usage.seconds, out),
            ServerEvent::SessionClosed(c) => {
                if let Some(u) = c.usage {
                    self.on_usage(u.seconds, out);
                }
                self.flush_lines(out);
                self.over = true;
                out.push(match self.ending {
                    Some(e) => LiveAction::End(e),
                    None => LiveAction::Fallback {
                        reason: format!("GPT-Live closed the session ({:?})", c.reason),
                    },
                });
            }
            ServerEvent::Error(e) => out.push(LiveAction::Warn(format!(
                "GPT-Live error {} ({}): {}",
                e.error.code, e.error.kind, e.error.message
            ))),
            ServerEvent::SessionUpdated(_)
            | ServerEvent::DelegationCreated(_)
            | ServerEvent::InstructionsAppended(_)
            | ServerEvent::Info(_)
            | ServerEvent::Other(_) => {}
        }
    }

    fn on_audio(&mut self, delta: &str, out: &mut Vec<LiveAction>) {
        let bytes = match decode_payload(delta) {
            Ok(b) => b,
            Err(e) => {
                out.push(LiveAction::Warn(format!(
                    "an undecodable GPT-Live audio delta: {e}"
                )));
                return;
            }
        };
        self.audio_received_bytes += bytes.len() as u64;
        self.first_audio_ms.get_or_insert(self.elapsed_ms);
        self.last_audio_ms = Some(self.elapsed_ms);
        if self.ending.is_some() {
            self.ending_needs_speech = false;
        }
        self.queue.extend(self.chunker.push(&bytes));
        self.pump(out);
    }

    /// Sends queued frames to Twilio: all of them without pacing, else up to the lead.
    fn pump(&mut self, out: &mut Vec<LiveAction>) {
        let now = self.elapsed_ms;
        while let Some(frame) = self.queue.front() {
            if self.pacing.realtime && self.played_until_ms > now + self.pacing.lead_ms {
                break;
            }
            out.push(LiveAction::Twilio(OutboundMessage::media(
                &self.stream_sid,
                frame,
            )));
            self.played_until_ms = self.played_until_ms.max(now) + FRAME_MS;
            self.queue.pop_front();
        }
    }

    /// The model's audio is queued here or still playing on the phone, or its next piece is
    /// due: at real-time pace the queue is empty between one 20 ms delta and the next, so
    /// the model counts as speaking for [`SPEAKING_GAP_MS`] after its last frame ended (a
    /// `clear` of a phone that has just finished playing is harmless; a missed one lets the
    /// caller hear the model talk over them).
    fn model_audible(&self) -> bool {
        !self.queue.is_empty() || self.played_until_ms + SPEAKING_GAP_MS > self.elapsed_ms
    }

    /// The caller talks over the model: drop what it has not heard.
    fn barge_in(&mut self, out: &mut Vec<LiveAction>) {
        self.queue.clear();
        self.chunker.clear();
        self.played_until_ms = self.elapsed_ms;
        self.clears += 1;
        out.push(LiveAction::Twilio(OutboundMessage::clear(&self.stream_sid)));
    }

    fn on_usage(&mut self, seconds: f64, out: &mut Vec<LiveAction>) {
        // Cumulative: only growth is logged, so repeated or late reports never add up twice.
        if seconds > self.billed_seconds {
            let added = seconds - self.billed_seconds;
            self.billed_seconds = seconds;
            out.push(LiveAction::Usage { seconds, added });
        }
    }

    fn on_function_call(
        &mut self,
        call_id: String,
        name: String,
        arguments: String,
        out: &mut Vec<LiveAction>,
    ) {
        self.outstanding.insert(call_id.clone());
        let tool = match name.parse::<ToolName>() {
            Ok(tool) => tool,
            Err(unknown) => {
                let output = tools::error_output(&unknown.to_string());
                return self.answer(call_id, output, out);
            }
        };
        match tool {
            ToolName::EndCall => {
                let reported = tools::parse_end_call_arguments(&arguments).unwrap_or_else(|why| {
                    out.push(LiveAction::Warn(format!(
                        "{} without a valid outcome ({why}); logged with the best outcome known",
                        ToolName::EndCall
                    )));
                    CallOutcome::Enquiry
                });
                out.push(LiveAction::Reported(reported));
                self.end_after_speech(Ending::Hangup, false);
                self.answer(call_id, r#"{"ok":true}"#.into(), out);
            }
            ToolName::TransferToHuman if self.can_transfer => {
                let t = tools::parse_transfer_arguments(&arguments);
                out.push(LiveAction::NeedsPerson {
                    reason: t.reason,
                    summary: t.summary,
                    transferring: true,
                });
                self.end_after_speech(Ending::Transfer, false);
                self.answer(
                    call_id,
                    r#"{"ok":true,"note":"The call goes to the shop's phone after you finish speaking."}"#.into(),
                    out,
                );
            }
            ToolName::TransferToHuman => {
                let t = tools::parse_transfer_arguments(&arguments);
                out.push(LiveAction::NeedsPerson {
                    reason: t.reason,
                    summary: t.summary,
                    transferring: false,
                });
                self.answer(
                    call_id,
                    r#"{"ok":true,"call_back":true,"next":"No one can come to the phone now, so the shop will call the caller back: a call-back card with your summary is on the kitchen's board. Tell the caller kindly that someone from the shop will call them back soon on this number, ask if there is anything else, then say goodbye and call end_call (complaint for a complaint)."}"#.into(),
                    out,
                );
            }
            ToolName::Hold => {
                let seconds = tools::parse_hold_arguments(&arguments);
                self.answer(call_id, tools::hold_output(seconds), out);
            }
            ToolName::UpdateOrder
            | ToolName::ConfirmOrder
            | ToolName::LookupOrders
            | ToolName::CancelOrder
            | ToolName::AmendOrder => out.push(LiveAction::RunTool {
                call_id,
                tool,
                arguments,
            }),
        }
    }

    /// One call's output; `response.create` once no call is outstanding.
    fn answer(&mut self, call_id: String, output: String, out: &mut Vec<LiveAction>) {
        if !self.outstanding.remove(&call_id) {
            out.push(LiveAction::Warn(format!(
                "a tool result for `{call_id}`, which is not outstanding, was dropped"
            )));
            return;
        }
        send(out, ClientEvent::function_call_output(call_id, output));
        self.answered = true;
        self.answered_at_ms = self.elapsed_ms;
        self.continue_backend(out);
    }

    /// One `response.create` once every call has its result and the backend response that
    /// made them has ended — so a call answered at once (`hold`, `end_call`) cannot start
    /// the backend again while the same response still has calls to send. If the end never
    /// shows (a service that does not forward it), [`BACKEND_END_WAIT_MS`] after the last
    /// result is enough.
    fn continue_backend(&mut self, out: &mut Vec<LiveAction>) {
        let waited = self.elapsed_ms.saturating_sub(self.answered_at_ms) >= BACKEND_END_WAIT_MS;
        if self.answered && self.outstanding.is_empty() && (!self.backend_open || waited) {
            self.answered = false;
            self.backend_open = false;
            send(out, ClientEvent::response_create());
        }
    }

    fn end_after_speech(&mut self, ending: Ending, needs_speech: bool) {
        if self.ending.is_none() || ending == Ending::Transfer {
            self.ending = Some(ending);
        }
        self.ending_at_ms = self.elapsed_ms;
        self.ending_needs_speech = needs_speech;
    }

    fn on_tick(&mut self, elapsed_ms: u64, out: &mut Vec<LiveAction>) {
        self.elapsed_ms = self.elapsed_ms.max(elapsed_ms);
        self.pump(out);
        self.continue_backend(out);
        let now = self.elapsed_ms;
        if let Some(cap) = self.limits.call_cap_ms {
            if self.capped && now >= cap.saturating_add(self.limits.cap_grace_ms) {
                return self.finish(out);
            }
            if now >= cap && !self.capped {
                self.capped = true;
                if self.ending.is_none() {
                    let ending = if self.can_transfer {
                        Ending::Transfer
                    } else {
                        Ending::Hangup
                    };
                    self.end_after_speech(ending, true);
                    let text = call_cap_instructions(self.can_transfer);
                    send(out, ClientEvent::instructions_append(text));
                }
            }
        }
        if now >= self.limits.hard_stop_after_ms {
            return self.finish(out);
        }
        if now >= self.limits.wrap_up_after_ms && !self.wrapping_up && self.ending.is_none() {
            self.wrapping_up = true;
            self.end_after_speech(Ending::Hangup, true);
            send(out, ClientEvent::instructions_append(goodbye_time()));
        }
        if self.ending.is_some()
            && !self.ending_needs_speech
            && !self.model_audible()
            && now >= self.last_audio_ms.unwrap_or(0).max(self.ending_at_ms) + END_QUIET_MS
        {
            self.finish(out);
        }
    }

    fn finish(&mut self, out: &mut Vec<LiveAction>) {
        self.flush_lines(out);
        self.over = true;
        out.push(LiveAction::End(self.ending.unwrap_or(Ending::Hangup)));
    }

    fn flush_lines(&mut self, out: &mut Vec<LiveAction>) {
        if !self.caller_line.is_empty() {
            line(out, Speaker::Caller, &mut self.caller_line);
        }
        if !self.ai_line.is_empty() {
            line(out, Speaker::Ai, &mut self.ai_line);
        }
    }
}

fn send(out: &mut Vec<LiveAction>, ev: ClientEvent) {
    out.push(LiveAction::Live(Box::new(ev)));
}

fn line(out: &mut Vec<LiveAction>, who: Speaker, text: &mut String) {
    let said = std::mem::take(text).trim().to_owned();
    if !said.is_empty() {
        out.push(LiveAction::Transcript(who, said));
    }
}

fn goodbye_time() -> String {
    format!(
        "This call has gone on very long. In Urdu, apologise that you must end the call now, tell the caller to call again to finish, say goodbye, then ask for {}.",
        ToolName::EndCall
    )
}

#[cfg(test)]
mod tests;
