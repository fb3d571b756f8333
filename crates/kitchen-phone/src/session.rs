//! `CallSession`: the relay between one phone call and one AI session, as a pure state
//! machine. [`CallSession::handle`] takes an [`Input`] (a Twilio message, a Realtime event, a
//! tool result, a timer tick) and returns the [`Action`]s the driver must carry out. No
//! sockets, no clock, no SQL: every barge-in and hang-up rule is tested below without them.
//!
//! Audio: the caller's µ-law payloads go to the AI untouched (base64 in, base64 out). The
//! AI's audio is re-cut into 160-byte frames (20 ms) and followed by a `mark`; Twilio echoes
//! a mark once the audio before it has played, which is how we know what the caller heard.
//!
//! Barge-in: `clear` the phone line, `conversation.item.truncate` the AI's item at what the
//! caller heard (clamped to what was sent; skipped when nothing played yet), forget the
//! marks, and `response.cancel` the AI's response if it is still being made.
//!
//! Turns are the relay's, not the server's: the server's VAD only reports speech
//! (`create_response` and `interrupt_response` are off, see
//! [`VadConfig::turn_detection`]), and the session decides.
//! - Caller speech while the AI is quiet is a turn: it ends a hold, and when it stops the
//!   session sends `response.create`.
//! - Caller speech while the AI speaks (audio in flight, or a response being made) is an
//!   *overlap*. Once it has lasted [`CallLimits::backchannel_max_ms`] it is an interruption:
//!   barge-in as above, and a turn. If it stops sooner it is a backchannel («جی», «ہاں»,
//!   «اچھا», "ok"): nothing is cleared, cancelled or answered, and the read-back goes on —
//!   unless the AI has finished speaking by the time the caller's speech stops: then the
//!   short reply answers what the AI just said, and is answered.
//! - How long an overlap has lasted is counted in caller audio: voiced frames (by their
//!   loudness) since the server's `audio_start_ms`, so a real interruption stops the AI as
//!   soon as it is long enough, without waiting for the server's end-of-speech silence.
//!   When speech stops, the server's own measure counts too (quiet callers).
//!
//! Idle and hold: the server's idle timeout (`input_audio_buffer.timeout_triggered`) makes the
//! session prompt the caller, and say goodbye after [`CallLimits::idle_prompts_before_goodbye`]
//! of them in a row. The `hold` tool pauses that until the caller speaks or the hold runs
//! out; a hold that runs out brings one check-in, then idle handling resumes.
//!
//! Dictation ([`Input::Dictation`]): a longer end-of-turn silence while the caller dictates
//! an address or a number, sent as a `session.update` only when it changes.

use super::config::VadConfig;
use super::tools::{self, ToolName};
use kitchen_domain::CallOutcome;
use std::collections::VecDeque;
use voice_protocol::realtime::server::Usage;
use voice_protocol::realtime::session::{AudioInput, SessionAudio};
use voice_protocol::realtime::{ClientEvent, ResponseConfig, ServerEvent, SessionConfig};
use voice_protocol::twilio::media::{
    FrameChunker, InboundMessage, OutboundMessage, decode_payload,
};

/// Caller audio kept while the AI socket opens: 10 s of 20 ms frames.
const MAX_BUFFERED_FRAMES: usize = 500;

/// Loudness of caller audio taken as voiced: the mean magnitude of its linear samples
/// (out of 32 124), about -42 dBFS. Phone-line hiss stays well under it; speech, even
/// quiet, is above it. It only hurries a barge-in: a quiet caller's long speech still
/// interrupts once the server says how long it was.
const VOICED_LEVEL: u32 = 250;

/// Caller audio remembered for measuring an overlap from the server's `audio_start_ms`
/// (which lies before the `speech_started` that reports it): 4 s of 20 ms frames.
const RECENT_CALLER_FRAMES: usize = 200;

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
    /// The caller is (`true`) or is no longer (`false`) dictating an address or a number:
    /// their turn needs a longer end-of-turn silence.
    Dictation(bool),
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
        /// An order tool ([`ToolName::UpdateOrder`], [`ToolName::ConfirmOrder`],
        /// [`ToolName::LookupOrders`], [`ToolName::CancelOrder`], [`ToolName::AmendOrder`]):
        /// the session handles `end_call`, `transfer_to_human` and `hold` itself and answers
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
    /// The longest caller speech over the AI that is a backchannel, not an interruption
    /// ([`crate::timeouts::CallTimeouts::backchannel_max`]).
    pub backchannel_max_ms: u64,
    /// The shop's cap on a call's length (setting `max_call_minutes`): then the AI is told
    /// to wrap up and the call goes to the shop's phone (or ends with a goodbye when there
    /// is none) once it has spoken. `None`: no cap but the session's own wrap-up.
    pub call_cap_ms: Option<u64>,
    /// How long after the cap the AI may take to finish before the call is handed on
    /// regardless.
    pub cap_grace_ms: u64,
}

impl Default for CallLimits {
    fn default() -> Self {
        CallLimits {
            wrap_up_after_ms: 55 * 60_000,
            hard_stop_after_ms: 58 * 60_000,
            idle_prompts_before_goodbye: 2,
            backchannel_max_ms: 700,
            call_cap_ms: None,
            cap_grace_ms: 20_000,
        }
    }
}

/// Where the caller's turn is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Turn {
    /// The caller is not speaking.
    Quiet,
    /// The caller is taking a turn: it is answered when their speech stops.
    Talking,
    /// The caller started speaking while the AI spoke: a backchannel or an interruption.
    Overlap {
        /// The server's `audio_start_ms` of this speech.
        start_ms: u64,
        /// Voiced caller audio since then, in bytes (8 a millisecond).
        voiced_bytes: u64,
    },
}

/// One chunk of caller audio sent to the AI.
#[derive(Debug, Clone, Copy)]
struct CallerChunk {
    /// Caller audio sent up to the end of this chunk, in bytes.
    end_bytes: u64,
    /// This chunk's length if it is voiced, else 0.
    voiced_bytes: u64,
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
    /// The call reached the shop's cap on its length ([`CallLimits::call_cap_ms`]).
    capped: bool,
    over: bool,
    vad: VadConfig,
    dictation: bool,
    /// The response being made, from `response.created` to `response.done`.
    response_id: Option<String>,
    /// A caller's turn ended while a response was being made: answer it once that is done.
    answer_when_done: bool,
    turn: Turn,
    /// Caller audio sent to the AI so far, in bytes (the server's `audio_*_ms` clock × 8).
    caller_bytes: u64,
    recent_caller: VecDeque<CallerChunk>,
    /// The last [`Input::Tick`].
    elapsed_ms: u64,
    /// While the caller asked to wait: when the hold runs out.
    hold_until_ms: Option<u64>,
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
            capped: false,
            over: false,
            vad: VadConfig::default(),
            dictation: false,
            response_id: None,
            answer_when_done: false,
            turn: Turn::Quiet,
            caller_bytes: 0,
            recent_caller: VecDeque::with_capacity(RECENT_CALLER_FRAMES),
            elapsed_ms: 0,
            hold_until_ms: None,
        }
    }

    /// The same session with the call's voice-activity settings (the session's own
    /// `session.update`s for dictation repeat them, and overlaps are measured with them).
    pub fn with_vad(mut self, vad: VadConfig) -> Self {
        self.vad = vad;
        self
    }

    /// True while the caller asked to wait (`hold`) and has not spoken since.
    pub fn on_hold(&self) -> bool {
        self.hold_until_ms.is_some()
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
                let waiting = std::mem::take(&mut self.waiting_caller_audio);
                for payload in waiting {
                    self.send_caller_audio(payload, &mut out);
                }
                if self.dictation {
                    out.push(self.turn_detection_update());
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
            Input::Dictation(on) => {
                if on != self.dictation {
                    self.dictation = on;
                    if self.realtime_ready {
                        out.push(self.turn_detection_update());
                    }
                }
            }
        }
        out
    }

    /// The `session.update` that sets the end-of-turn silence for dictation or normal talk
    /// (the whole `turn_detection`, so no server default sneaks in).
    fn turn_detection_update(&self) -> Action {
        let session = SessionConfig {
            audio: Some(SessionAudio {
                input: Some(AudioInput {
                    turn_detection: Some(self.vad.turn_detection(self.dictation)),
                    ..AudioInput::default()
                }),
                output: None,
            }),
            ..SessionConfig::default()
        };
        Action::Realtime(Box::new(ClientEvent::session_update(session)))
    }

    /// Sends caller audio to the AI, and measures it for the turn rules.
    fn send_caller_audio(&mut self, payload: String, out: &mut Vec<Action>) {
        let (len, voiced) = match decode_payload(&payload) {
            Ok(bytes) => (bytes.len() as u64, is_voiced(&bytes)),
            Err(_) => (0, false),
        };
        out.push(Action::Realtime(Box::new(ClientEvent::append_audio(
            payload,
        ))));
        self.caller_bytes += len;
        if self.recent_caller.len() == RECENT_CALLER_FRAMES {
            self.recent_caller.pop_front();
        }
        let voiced_bytes = if voiced { len } else { 0 };
        self.recent_caller.push_back(CallerChunk {
            end_bytes: self.caller_bytes,
            voiced_bytes,
        });
        if let Turn::Overlap {
            voiced_bytes: heard,
            ..
        } = &mut self.turn
        {
            *heard += voiced_bytes;
            if *heard >= self.limits.backchannel_max_ms * 8 {
                self.interrupt(out);
            }
        }
    }

    fn on_twilio(&mut self, msg: InboundMessage, out: &mut Vec<Action>) {
        match msg {
            InboundMessage::Media(m) => {
                if m.media.track != "inbound" && !m.media.track.is_empty() {
                    return;
                }
                if self.realtime_ready {
                    self.send_caller_audio(m.media.payload, out);
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
            ServerEvent::SpeechStarted(s) => {
                self.idle_prompts = 0;
                if self.ai_speaking() {
                    let start = s.audio_start_ms.saturating_mul(8);
                    let voiced_bytes = self
                        .recent_caller
                        .iter()
                        .filter(|c| c.end_bytes > start)
                        .map(|c| c.voiced_bytes)
                        .sum();
                    self.turn = Turn::Overlap {
                        start_ms: s.audio_start_ms,
                        voiced_bytes,
                    };
                    if voiced_bytes >= self.limits.backchannel_max_ms * 8 {
                        self.interrupt(out);
                    }
                } else {
                    self.turn = Turn::Talking;
                    self.hold_until_ms = None;
                }
            }
            ServerEvent::SpeechStopped(s) => self.on_speech_stopped(s.audio_end_ms, out),
            ServerEvent::ResponseCreated(r) => {
                self.response_active = true;
                self.response_id = Some(r.response.id).filter(|id| !id.is_empty());
            }
            ServerEvent::ResponseDone(r) => {
                self.response_active = false;
                self.response_id = None;
                if let Some(u) = r.response.usage {
                    out.push(Action::Usage(u));
                }
                if self.ending.is_some() && self.end_mark.is_none() {
                    self.place_end_mark(out);
                } else if std::mem::take(&mut self.answer_when_done) && self.ending.is_none() {
                    out.push(Action::Realtime(Box::new(ClientEvent::response_create(
                        None,
                    ))));
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
            // The server's idle timer runs on while the caller is on hold: not a silence
            // to prompt about.
            ServerEvent::InputAudioTimeoutTriggered(_) if self.hold_until_ms.is_some() => {}
            ServerEvent::InputAudioTimeoutTriggered(_) => {
                self.idle_prompts += 1;
                if self.ending.is_none() {
                    if self.idle_prompts >= self.limits.idle_prompts_before_goodbye {
                        self.say_goodbye(&goodbye_idle(), out);
                    } else if !self.response_active {
                        // The server does not answer by itself (`create_response` is off).
                        self.create_response(Some(idle_prompt()), out);
                    }
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
            ToolName::Hold => {
                let seconds = tools::parse_hold_arguments(&arguments);
                self.hold_until_ms = Some(self.elapsed_ms + u64::from(seconds) * 1000);
                self.idle_prompts = 0;
                out.push(Action::Realtime(Box::new(
                    ClientEvent::function_call_output(call_id, tools::hold_output(seconds)),
                )));
                self.create_response(None, out);
            }
            ToolName::UpdateOrder
            | ToolName::ConfirmOrder
            | ToolName::LookupOrders
            | ToolName::CancelOrder
            | ToolName::AmendOrder => out.push(Action::RunTool {
                call_id,
                tool,
                arguments,
            }),
        }
    }

    fn on_tick(&mut self, elapsed_ms: u64, out: &mut Vec<Action>) {
        self.elapsed_ms = elapsed_ms;
        if self.hold_until_ms.is_some_and(|until| elapsed_ms >= until) {
            // The caller asked to wait and has said nothing since: check once, then the
            // idle prompts and goodbye take over again.
            self.hold_until_ms = None;
            self.idle_prompts = 0;
            if self.ending.is_none() {
                self.create_response(Some(tools::hold_check_in_instructions()), out);
            }
        }
        if let Some(cap) = self.limits.call_cap_ms
            && self.on_call_cap(cap, elapsed_ms, out)
        {
            return;
        }
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

    /// The shop's cap on the call's length, `cap` ms: at it, the AI is told to wrap up (the
    /// call then goes to the shop's phone, or ends with a goodbye, once it has spoken); a
    /// grace later the call is handed on regardless. `true` once the call is over.
    fn on_call_cap(&mut self, cap: u64, elapsed_ms: u64, out: &mut Vec<Action>) -> bool {
        if self.capped && elapsed_ms >= cap.saturating_add(self.limits.cap_grace_ms) {
            self.over = true;
            out.push(Action::End(self.ending.unwrap_or(Ending::Hangup)));
            return true;
        }
        if elapsed_ms >= cap && !self.capped {
            self.capped = true;
            if self.ending.is_none() {
                self.ending = Some(if self.can_transfer {
                    Ending::Transfer
                } else {
                    Ending::Hangup
                });
                self.hold_until_ms = None;
                self.create_response(Some(call_cap_instructions(self.can_transfer)), out);
            }
        }
        false
    }

    fn say_goodbye(&mut self, instructions: &str, out: &mut Vec<Action>) {
        self.ending = Some(Ending::Hangup);
        self.hold_until_ms = None;
        self.create_response(Some(instructions.to_string()), out);
    }

    /// `response.create`, with these instructions for this response only.
    fn create_response(&mut self, instructions: Option<String>, out: &mut Vec<Action>) {
        let response = instructions.map(|i| ResponseConfig {
            instructions: Some(i),
            ..ResponseConfig::default()
        });
        out.push(Action::Realtime(Box::new(ClientEvent::response_create(
            response,
        ))));
    }

    /// The AI is speaking: its audio is still playing on the phone, or a response is being
    /// made.
    fn ai_speaking(&self) -> bool {
        !self.marks.is_empty() || self.response_active
    }

    /// The caller's speech stopped (after the server's end-of-turn silence).
    fn on_speech_stopped(&mut self, audio_end_ms: u64, out: &mut Vec<Action>) {
        match std::mem::replace(&mut self.turn, Turn::Quiet) {
            Turn::Overlap {
                start_ms,
                voiced_bytes,
            } => {
                // The server's measure: its end lies after the end-of-turn silence, its
                // start before the prefix padding.
                let around = u64::from(self.vad.prefix_padding_ms)
                    + u64::from(self.vad.silence_ms(self.dictation));
                let spoken_ms = audio_end_ms.saturating_sub(start_ms.saturating_add(around));
                let heard_ms = spoken_ms.max(voiced_bytes / 8);
                if heard_ms >= self.limits.backchannel_max_ms {
                    self.interrupt(out);
                    self.end_turn(out);
                } else if !self.ai_speaking() {
                    // The AI finished while the caller spoke: the short reply («جی») answers
                    // what it just said.
                    self.end_turn(out);
                }
                // Otherwise a backchannel: the AI goes on, and it is not answered.
            }
            Turn::Talking | Turn::Quiet => self.end_turn(out),
        }
    }

    /// Long caller speech over the AI: barge-in, cancel the response being made, and the
    /// speech is a turn.
    fn interrupt(&mut self, out: &mut Vec<Action>) {
        self.barge_in(out);
        if self.response_active {
            out.push(Action::Realtime(Box::new(ClientEvent::response_cancel(
                self.response_id.clone(),
            ))));
        }
        self.turn = Turn::Talking;
        self.hold_until_ms = None;
    }

    /// The caller finished a turn: answer it, now or once the response being made is done.
    fn end_turn(&mut self, out: &mut Vec<Action>) {
        self.turn = Turn::Quiet;
        if self.ending.is_some() {
            return;
        }
        if self.response_active {
            self.answer_when_done = true;
        } else {
            self.create_response(None, out);
        }
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

/// Whether µ-law audio is loud enough to be speech ([`VOICED_LEVEL`]).
fn is_voiced(mulaw: &[u8]) -> bool {
    if mulaw.is_empty() {
        return false;
    }
    let total: u64 = mulaw.iter().map(|&b| u64::from(mulaw_magnitude(b))).sum();
    total / mulaw.len() as u64 >= u64::from(VOICED_LEVEL)
}

/// The magnitude of one G.711 µ-law sample as 16-bit linear audio (0 to 32 124).
fn mulaw_magnitude(byte: u8) -> u32 {
    let u = !byte;
    let exponent = u32::from((u >> 4) & 0x07);
    let mantissa = u32::from(u & 0x0f);
    (((mantissa << 3) + 0x84) << exponent) - 0x84
}

/// Instructions for prompting a caller who has gone quiet.
fn idle_prompt() -> String {
    "The caller has said nothing for a while. In the language of the call, ask in a few      words whether they are still there, or repeat your last question briefly."
        .to_string()
}

/// Instructions for the goodbye to a caller who stopped answering.
fn goodbye_idle() -> String {
    format!(
        "The caller has been silent for a while. In Urdu, say kindly that you could not hear them, invite them to call again, and say goodbye (Allah Hafiz). Then call {}.",
        ToolName::EndCall
    )
}

/// Instructions for the goodbye when the call reaches its time limit.
/// What the AI is told when the call reaches the shop's cap on its length.
pub(crate) fn call_cap_instructions(can_transfer: bool) -> String {
    if can_transfer {
        "This call has reached the shop's time limit for the phone assistant. In the language \
         of the call, in one or two short sentences, apologise and tell the caller you are \
         putting them through to the shop now so a person can finish with them. Do not ask \
         anything more and do not call any tool."
            .to_string()
    } else {
        "This call has reached the shop's time limit for the phone assistant. In the language \
         of the call, in one or two short sentences, apologise that you must end the call now, \
         ask them to call again to finish, and say goodbye. Do not ask anything more and do \
         not call any tool."
            .to_string()
    }
}

fn goodbye_time() -> String {
    format!(
        "This call has gone on very long. In Urdu, apologise that you must end the call now, tell them to call again to finish, say goodbye, then call {}.",
        ToolName::EndCall
    )
}

#[cfg(test)]
mod tests;
