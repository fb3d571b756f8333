//! `CallSession`: the relay between one phone call and one AI session, as a pure state
//! machine. [`CallSession::handle`] takes an [`Input`] (a Twilio message, a Realtime event, a
//! tool result, a timer tick) and returns the [`Action`]s the driver must carry out. No
//! sockets, no clock, no SQL: every barge-in and hang-up rule is tested below without them.
//!
//! Audio: the caller's µ-law payloads go to the AI untouched (base64 in, base64 out). The
//! AI's audio is re-cut into 160-byte frames (20 ms) and followed by a `mark`; Twilio echoes
//! a mark once the audio before it has played, which is how we know what the caller heard.
//!
//! Barge-in (`input_audio_buffer.speech_started` while marks are in flight): `clear` the
//! phone line, then `conversation.item.truncate` the AI's item at what the caller heard
//! (clamped to what was sent; skipped when nothing played yet), and forget the marks.

use super::tools::{self, ToolName};
use kitchen_domain::CallOutcome;
use std::collections::VecDeque;
use voice_protocol::realtime::server::Usage;
use voice_protocol::realtime::{ClientEvent, ResponseConfig, ServerEvent};
use voice_protocol::twilio::media::{
    FrameChunker, InboundMessage, OutboundMessage, decode_payload,
};

/// Caller audio kept while the AI socket opens: 10 s of 20 ms frames.
const MAX_BUFFERED_FRAMES: usize = 500;

/// What the session is told.
#[derive(Debug, Clone)]
pub enum Input {
    /// A message from Twilio's media stream (after `start`).
    Twilio(InboundMessage),
    /// An event from the Realtime API.
    Realtime(ServerEvent),
    /// The Realtime socket is open and configured.
    RealtimeReady,
    /// The Realtime socket failed or closed.
    RealtimeLost {
        /// Why, for the call log.
        reason: String,
    },
    /// A tool the driver ran has finished.
    ToolFinished {
        /// The function call it answers.
        call_id: String,
        /// The JSON text for the model.
        output: String,
    },
    /// The caller finished typing a number on the keypad: what the model is told.
    Keypad {
        /// The notice, for the model (a user-role text item).
        text: String,
    },
    /// Time since the stream started.
    Tick {
        /// Milliseconds since `start`.
        elapsed_ms: u64,
    },
}

/// Who said a transcript line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Speaker {
    /// The person on the phone.
    Caller,
    /// The AI.
    Ai,
}

/// How the call should end once the goodbye has played.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// Hang up.
    Hangup,
    /// Send the call to the shop's phone.
    Transfer,
}

/// What the driver must do.
#[derive(Debug, Clone)]
pub enum Action {
    /// Send to Twilio.
    Twilio(OutboundMessage),
    /// Send to the Realtime API.
    Realtime(Box<ClientEvent>),
    /// Run an order tool and report back with [`Input::ToolFinished`].
    RunTool {
        /// The function call id.
        call_id: String,
        /// [`ToolName::UpdateOrder`], [`ToolName::ConfirmOrder`], [`ToolName::LookupOrders`]
        /// or [`ToolName::CancelOrder`]: the session handles the others itself and answers
        /// unknown names with an error.
        tool: ToolName,
        /// The model's JSON arguments (unparsed).
        arguments: String,
    },
    /// A transcript line for the call log.
    Transcript(Speaker, String),
    /// Token usage of one response, for the call log.
    Usage(Usage),
    /// Something worth a warning in the log (an AI error event, a malformed frame).
    Warn(String),
    /// How the model says the call went (`end_call`'s outcome; `enquiry` when it gave none
    /// that is valid). The call log's outcome is decided from this and what the server
    /// saw ([`crate::outcome::Facts`]).
    Reported(CallOutcome),
    /// End the call now: the goodbye has played.
    End(Ending),
    /// The AI cannot serve: move the caller on (shop phone or apology).
    Fallback {
        /// Why, for the call log.
        reason: String,
    },
    /// Twilio stopped the stream (the caller hung up): close the AI socket.
    Stopped,
    /// The caller pressed a key (`0`–`9`, `*`, `#`): collected into the draft's callback
    /// number; answered with [`Input::Keypad`] once a number is complete.
    Keypad(String),
    /// The call needs a person: a card for the kitchen's board with why and what the
    /// caller wants (`transfer_to_human`). `transferring`: the call goes to the shop's
    /// phone; otherwise the shop calls back.
    NeedsPerson {
        /// Why (`complaint`, `asked for a person`).
        reason: Option<String>,
        /// What the caller wants and the order so far.
        summary: Option<String>,
        /// True when the call is being transferred.
        transferring: bool,
    },
}

#[derive(Debug)]
struct MarkInFlight {
    name: String,
    item_id: String,
    /// Bytes of that item sent up to this mark.
    end_bytes: u64,
}

#[derive(Debug, Default)]
struct Playback {
    item_id: String,
    sent_bytes: u64,
    heard_bytes: u64,
}

/// Limits of one call.
#[derive(Debug, Clone, Copy)]
pub struct CallLimits {
    /// When to ask the AI to wrap up (the Realtime API ends sessions at 60 minutes).
    pub wrap_up_after_ms: u64,
    /// When to hang up regardless.
    pub hard_stop_after_ms: u64,
    /// Idle timeouts in a row (the AI prompts after each) before ending the call.
    pub idle_prompts_before_goodbye: u32,
}

impl Default for CallLimits {
    fn default() -> Self {
        CallLimits {
            wrap_up_after_ms: 55 * 60_000,
            hard_stop_after_ms: 58 * 60_000,
            idle_prompts_before_goodbye: 2,
        }
    }
}

/// One call's relay state.
#[derive(Debug)]
pub struct CallSession {
    stream_sid: String,
    limits: CallLimits,
    can_transfer: bool,
    realtime_ready: bool,
    waiting_caller_audio: VecDeque<String>,
    chunker: FrameChunker,
    playback: Option<Playback>,
    marks: VecDeque<MarkInFlight>,
    next_mark: u64,
    response_active: bool,
    ending: Option<Ending>,
    end_mark: Option<String>,
    idle_prompts: u32,
    wrapping_up: bool,
    over: bool,
}

impl CallSession {
    /// A session for the stream `stream_sid`. `can_transfer`: the shop has a phone number
    /// to hand callers to.
    pub fn new(stream_sid: impl Into<String>, can_transfer: bool, limits: CallLimits) -> Self {
        CallSession {
            stream_sid: stream_sid.into(),
            limits,
            can_transfer,
            realtime_ready: false,
            waiting_caller_audio: VecDeque::new(),
            chunker: FrameChunker::new(),
            playback: None,
            marks: VecDeque::new(),
            next_mark: 0,
            response_active: false,
            ending: None,
            end_mark: None,
            idle_prompts: 0,
            wrapping_up: false,
            over: false,
        }
    }

    /// True once the session decided the call is over.
    pub fn is_over(&self) -> bool {
        self.over
    }

    /// Feeds one input; returns what to do, in order.
    pub fn handle(&mut self, input: Input) -> Vec<Action> {
        if self.over {
            return Vec::new();
        }
        let mut out = Vec::new();
        match input {
            Input::Twilio(msg) => self.on_twilio(msg, &mut out),
            Input::Realtime(ev) => self.on_realtime(ev, &mut out),
            Input::RealtimeReady => {
                self.realtime_ready = true;
                for payload in self.waiting_caller_audio.drain(..) {
                    out.push(Action::Realtime(Box::new(ClientEvent::append_audio(
                        payload,
                    ))));
                }
            }
            Input::RealtimeLost { reason } => {
                self.over = true;
                out.push(match self.ending {
                    Some(e) => Action::End(e),
                    None => Action::Fallback { reason },
                });
            }
            Input::ToolFinished { call_id, output } => {
                out.push(Action::Realtime(Box::new(
                    ClientEvent::function_call_output(call_id, output),
                )));
                out.push(Action::Realtime(Box::new(ClientEvent::response_create(
                    None,
                ))));
            }
            Input::Keypad { text } => {
                out.push(Action::Realtime(Box::new(ClientEvent::user_message(text))));
                if !self.response_active {
                    out.push(Action::Realtime(Box::new(ClientEvent::response_create(
                        None,
                    ))));
                }
            }
            Input::Tick { elapsed_ms } => self.on_tick(elapsed_ms, &mut out),
        }
        out
    }

    fn on_twilio(&mut self, msg: InboundMessage, out: &mut Vec<Action>) {
        match msg {
            InboundMessage::Media(m) => {
                if m.media.track != "inbound" && !m.media.track.is_empty() {
                    return;
                }
                if self.realtime_ready {
                    out.push(Action::Realtime(Box::new(ClientEvent::append_audio(
                        m.media.payload,
                    ))));
                } else {
                    if self.waiting_caller_audio.len() == MAX_BUFFERED_FRAMES {
                        self.waiting_caller_audio.pop_front();
                    }
                    self.waiting_caller_audio.push_back(m.media.payload);
                }
            }
            InboundMessage::Mark(m) => self.on_mark(&m.mark.name, out),
            InboundMessage::Stop(_) => {
                self.over = true;
                out.push(Action::Stopped);
            }
            InboundMessage::Dtmf(d) => out.push(Action::Keypad(d.dtmf.digit)),
            InboundMessage::Connected(_) | InboundMessage::Start(_) => {}
            InboundMessage::Unknown(u) => {
                out.push(Action::Warn(format!("unknown Twilio event `{}`", u.event)))
            }
        }
    }

    fn on_mark(&mut self, name: &str, out: &mut Vec<Action>) {
        if self.end_mark.as_deref() == Some(name) {
            self.over = true;
            out.push(Action::End(self.ending.unwrap_or(Ending::Hangup)));
            return;
        }
        // Twilio echoes marks in order; everything up to this one has played.
        while let Some(m) = self.marks.pop_front() {
            if let Some(p) = self.playback.as_mut().filter(|p| p.item_id == m.item_id) {
                p.heard_bytes = p.heard_bytes.max(m.end_bytes);
            }
            if m.name == name {
                break;
            }
        }
    }

    fn on_realtime(&mut self, ev: ServerEvent, out: &mut Vec<Action>) {
        match ev {
            ServerEvent::OutputAudioDelta(d) => {
                if self.end_mark.is_some() {
                    return;
                }
                let bytes = match decode_payload(&d.delta) {
                    Ok(b) => b,
                    Err(e) => {
                        out.push(Action::Warn(format!("AI audio delta is not base64: {e}")));
                        return;
                    }
                };
                if self
                    .playback
                    .as_ref()
                    .is_none_or(|p| p.item_id != d.item_id)
                {
                    self.chunker.clear();
                    self.playback = Some(Playback {
                        item_id: d.item_id.clone(),
                        ..Playback::default()
                    });
                }
                let frames = self.chunker.push(&bytes);
                self.send_frames(frames, out);
            }
            ServerEvent::OutputAudioDone(_) => {
                if let Some(tail) = self.chunker.flush_padded() {
                    self.send_frames(vec![tail], out);
                }
            }
            ServerEvent::SpeechStarted(_) => {
                self.idle_prompts = 0;
                self.barge_in(out);
            }
            ServerEvent::ResponseCreated(_) => self.response_active = true,
            ServerEvent::ResponseDone(r) => {
                self.response_active = false;
                if let Some(u) = r.response.usage {
                    out.push(Action::Usage(u));
                }
                if self.ending.is_some() && self.end_mark.is_none() {
                    self.place_end_mark(out);
                }
            }
            ServerEvent::FunctionCallArgumentsDone(f) => {
                self.on_function_call(f.call_id, f.name, f.arguments, out)
            }
            ServerEvent::OutputAudioTranscriptDone(t) if !t.transcript.trim().is_empty() => {
                out.push(Action::Transcript(Speaker::Ai, t.transcript));
            }
            ServerEvent::InputAudioTranscriptionCompleted(t) if !t.transcript.trim().is_empty() => {
                out.push(Action::Transcript(Speaker::Caller, t.transcript));
            }
            ServerEvent::InputAudioTimeoutTriggered(_) => {
                self.idle_prompts += 1;
                if self.idle_prompts >= self.limits.idle_prompts_before_goodbye
                    && self.ending.is_none()
                {
                    self.say_goodbye(&goodbye_idle(), out);
                }
            }
            ServerEvent::Error(e) => {
                out.push(Action::Warn(format!(
                    "AI error {}: {}",
                    e.error.code.as_deref().unwrap_or(&e.error.kind),
                    e.error.message
                )));
            }
            _ => {}
        }
    }

    fn on_function_call(
        &mut self,
        call_id: String,
        name: String,
        arguments: String,
        out: &mut Vec<Action>,
    ) {
        let tool = match name.parse::<ToolName>() {
            Ok(tool) => tool,
            Err(unknown) => {
                out.push(Action::Realtime(Box::new(
                    ClientEvent::function_call_output(
                        call_id,
                        tools::error_output(&unknown.to_string()),
                    ),
                )));
                out.push(Action::Realtime(Box::new(ClientEvent::response_create(
                    None,
                ))));
                return;
            }
        };
        match tool {
            ToolName::EndCall => {
                let reported = tools::parse_end_call_arguments(&arguments).unwrap_or_else(|why| {
                    out.push(Action::Warn(format!(
                        "{} without a valid outcome ({why}); the call ends and is logged with the best outcome known",
                        ToolName::EndCall
                    )));
                    CallOutcome::Enquiry
                });
                out.push(Action::Reported(reported));
                out.push(Action::Realtime(Box::new(
                    ClientEvent::function_call_output(call_id, r#"{"ok":true}"#),
                )));
                self.ending.get_or_insert(Ending::Hangup);
                if !self.response_active {
                    self.place_end_mark(out);
                }
            }
            ToolName::TransferToHuman if self.can_transfer => {
                let t = tools::parse_transfer_arguments(&arguments);
                out.push(Action::NeedsPerson {
                    reason: t.reason,
                    summary: t.summary,
                    transferring: true,
                });
                out.push(Action::Realtime(Box::new(ClientEvent::function_call_output(
                    call_id,
                    r#"{"ok":true,"note":"The call goes to the shop's phone after you finish speaking."}"#,
                ))));
                self.ending = Some(Ending::Transfer);
                if !self.response_active {
                    self.place_end_mark(out);
                }
            }
            ToolName::TransferToHuman => {
                let t = tools::parse_transfer_arguments(&arguments);
                out.push(Action::NeedsPerson {
                    reason: t.reason,
                    summary: t.summary,
                    transferring: false,
                });
                out.push(Action::Realtime(Box::new(ClientEvent::function_call_output(
                    call_id,
                    r#"{"ok":true,"call_back":true,"next":"No one can come to the phone now, so the shop will call the caller back: a call-back card with your summary is on the kitchen's board. Tell the caller kindly that someone from the shop will call them back soon on this number, ask if there is anything else, then say goodbye and call end_call (complaint for a complaint)."}"#,
                ))));
                out.push(Action::Realtime(Box::new(ClientEvent::response_create(
                    None,
                ))));
            }
            ToolName::UpdateOrder
            | ToolName::ConfirmOrder
            | ToolName::LookupOrders
            | ToolName::CancelOrder => out.push(Action::RunTool {
                call_id,
                tool,
                arguments,
            }),
        }
    }

    fn on_tick(&mut self, elapsed_ms: u64, out: &mut Vec<Action>) {
        if elapsed_ms >= self.limits.hard_stop_after_ms {
            self.over = true;
            out.push(Action::End(Ending::Hangup));
        } else if elapsed_ms >= self.limits.wrap_up_after_ms
            && !self.wrapping_up
            && self.ending.is_none()
        {
            self.wrapping_up = true;
            self.say_goodbye(&goodbye_time(), out);
        }
    }

    fn say_goodbye(&mut self, instructions: &str, out: &mut Vec<Action>) {
        self.ending = Some(Ending::Hangup);
        let response = ResponseConfig {
            instructions: Some(instructions.to_string()),
            ..ResponseConfig::default()
        };
        out.push(Action::Realtime(Box::new(ClientEvent::response_create(
            Some(response),
        ))));
    }

    fn send_frames(&mut self, frames: Vec<Vec<u8>>, out: &mut Vec<Action>) {
        if frames.is_empty() {
            return;
        }
        let Some(p) = self.playback.as_mut() else {
            return;
        };
        for f in &frames {
            p.sent_bytes += f.len() as u64;
            out.push(Action::Twilio(OutboundMessage::media(&self.stream_sid, f)));
        }
        self.next_mark += 1;
        let name = format!("a{}", self.next_mark);
        out.push(Action::Twilio(OutboundMessage::mark(
            &self.stream_sid,
            &name,
        )));
        self.marks.push_back(MarkInFlight {
            name,
            item_id: p.item_id.clone(),
            end_bytes: p.sent_bytes,
        });
    }

    fn barge_in(&mut self, out: &mut Vec<Action>) {
        if self.marks.is_empty() {
            return;
        }
        out.push(Action::Twilio(OutboundMessage::clear(&self.stream_sid)));
        if let Some(p) = &self.playback {
            let heard = p.heard_bytes.min(p.sent_bytes);
            if heard > 0 {
                out.push(Action::Realtime(Box::new(ClientEvent::truncate(
                    p.item_id.clone(),
                    heard / 8,
                ))));
            }
        }
        self.marks.clear();
        self.chunker.clear();
        self.playback = None;
    }

    /// Marks the end of all audio sent so far; the call ends when Twilio echoes it.
    fn place_end_mark(&mut self, out: &mut Vec<Action>) {
        if let Some(tail) = self.chunker.flush_padded() {
            self.send_frames(vec![tail], out);
        }
        if self.marks.is_empty() {
            self.over = true;
            out.push(Action::End(self.ending.unwrap_or(Ending::Hangup)));
            return;
        }
        let name = "goodbye".to_string();
        out.push(Action::Twilio(OutboundMessage::mark(
            &self.stream_sid,
            &name,
        )));
        self.end_mark = Some(name);
    }
}

/// Instructions for the goodbye to a caller who stopped answering.
fn goodbye_idle() -> String {
    format!(
        "The caller has been silent for a while. In Urdu, say kindly that you could not hear them, invite them to call again, and say goodbye (Allah Hafiz). Then call {}.",
        ToolName::EndCall
    )
}

/// Instructions for the goodbye when the call reaches its time limit.
fn goodbye_time() -> String {
    format!(
        "This call has gone on very long. In Urdu, apologise that you must end the call now, tell them to call again to finish, say goodbye, then call {}.",
        ToolName::EndCall
    )
}

#[cfg(test)]
mod tests;
