//! Scripted sessions: the fake model plays a fixed conversation on every new connection,
//! for the demo (`melt8 serve --demo`) and end-to-end tests.

use super::FakeSession;
use super::protocol::script_ended;
use super::session::is_function_output;
use crate::audio;
use crate::ids::openai_id;
use anyhow::Context;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One thing the scripted model does.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// Wait for the next client event of this type.
    WaitFor(String),
    /// Speak `bytes_len` bytes of generated µ-law tone as one response.
    Speak {
        /// How much audio (8 bytes = 1 ms).
        bytes_len: usize,
        /// What the model "said" (`response.output_audio_transcript.done`).
        transcript: String,
    },
    /// Wait until this many ms of caller audio arrived via `input_audio_buffer.append`,
    /// counted from the start of the step.
    WaitForCallerAudio {
        /// Milliseconds of µ-law (8 bytes each).
        ms: u64,
    },
    /// Call a tool; unless `await_output` is false, then wait for the client's
    /// `function_call_output` for that `call_id` and its `response.create`.
    CallFunction {
        /// Tool name, e.g. `confirm_order`.
        name: String,
        /// Tool arguments (sent as a JSON string).
        arguments: Value,
        /// Whether to wait for the output and `response.create`.
        await_output: bool,
    },
    /// Pause for this many milliseconds.
    Sleep(u64),
    /// The caller speaks for `speech_ms`, as server VAD reports it: `speech_started` now
    /// (its `audio_start_ms` the caller audio so far, less the prefix padding), then, once
    /// `speech_ms` plus the end-of-turn silence of caller audio has arrived,
    /// `speech_stopped` and `committed`. Padding and silence come from the session's
    /// effective `turn_detection` (the API's defaults, 300 and 500 ms, when unset).
    CallerSpeaks {
        /// How long the caller speaks, in ms of caller audio.
        speech_ms: u64,
    },
    /// The server's idle timeout fires: `input_audio_buffer.timeout_triggered` and
    /// `committed`, over the idle time just before now.
    IdleTimeout,
    /// What the transcription model heard the caller say
    /// (`conversation.item.input_audio_transcription.completed`); on a SIP sideband, where
    /// no audio flows, this is how the caller "speaks".
    CallerSays(String),
    /// Drop the connection without a close frame. On a SIP sideband
    /// (`/v1/realtime?call_id=…`) the script carries on from the next step when the client
    /// attaches again to the same call; with `refuse_reattach`, every later attach to that
    /// call is answered 503 instead. On any other session the script just ends here.
    DropConnection {
        /// Answer later attaches to the same call with 503.
        refuse_reattach: bool,
    },
}

impl Step {
    /// [`Step::WaitFor`].
    pub fn wait_for(kind: &str) -> Step {
        Step::WaitFor(kind.to_string())
    }

    /// [`Step::Speak`] of `bytes_len` bytes saying `transcript`.
    pub fn say(transcript: &str, bytes_len: usize) -> Step {
        Step::Speak {
            bytes_len,
            transcript: transcript.to_string(),
        }
    }

    /// [`Step::CallFunction`] that waits for the output and `response.create`.
    pub fn call(name: &str, arguments: Value) -> Step {
        Step::CallFunction {
            name: name.to_string(),
            arguments,
            await_output: true,
        }
    }

    /// [`Step::CallFunction`] that does not wait (e.g. `end_call`: the call may be gone).
    pub fn call_and_forget(name: &str, arguments: Value) -> Step {
        Step::CallFunction {
            name: name.to_string(),
            arguments,
            await_output: false,
        }
    }
}

/// Where each SIP call's sideband script is: the step a re-attach resumes at, and whether
/// re-attaches are refused. Shared by every connection of one fake.
#[derive(Debug, Clone, Default)]
pub(crate) struct Sidebands(Arc<Mutex<HashMap<String, SidebandCall>>>);

#[derive(Debug, Clone, Copy, Default)]
struct SidebandCall {
    resume_at: usize,
    refused: bool,
}

impl Sidebands {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, SidebandCall>> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Whether attaches to `call_id` are refused.
    pub(crate) fn refused(&self, call_id: &str) -> bool {
        self.lock().get(call_id).is_some_and(|c| c.refused)
    }

    /// The step a new sideband connection to `call_id` starts at.
    pub(crate) fn resume_at(&self, call_id: &str) -> usize {
        self.lock().get(call_id).map_or(0, |c| c.resume_at)
    }

    fn dropped(&self, call_id: &str, next: usize, refuse: bool) {
        let mut calls = self.lock();
        let call = calls.entry(call_id.to_string()).or_default();
        call.resume_at = next;
        call.refused |= refuse;
    }
}

/// A list of steps run, in order, on every new session of a
/// [`FakeRealtime::start_scripted`](super::FakeRealtime::start_scripted) server.
#[derive(Debug, Clone, PartialEq)]
pub struct Script {
    /// The steps.
    pub steps: Vec<Step>,
    /// How long any one wait may take before the script fails.
    pub step_timeout: Duration,
}

/// Speech arrives from the fake model in 100 ms deltas.
const SPEAK_CHUNK: usize = 800;

impl Script {
    /// A script of `steps`, each wait limited to 30 s.
    pub fn new(steps: Vec<Step>) -> Script {
        Script {
            steps,
            step_timeout: Duration::from_secs(30),
        }
    }

    /// The same script with another per-step timeout.
    pub fn with_step_timeout(mut self, timeout: Duration) -> Script {
        self.step_timeout = timeout;
        self
    }

    /// A whole Urdu phone order: greet, listen, `update_order` with the whole order (the
    /// caller said yes to their own number as the callback), read the bill back, listen for
    /// "yes", `confirm_order` with the call's first quote (`Q1`), confirm, then `end_call`
    /// with `{"outcome": "ordered"}`.
    pub fn urdu_pizza_order(
        item_id: &str,
        size_id: &str,
        quantity: u32,
        drink_item: &str,
        drink_size: &str,
        address: &str,
        name: &str,
    ) -> Script {
        let order = json!({
            "items": [
                {"item_id": item_id, "size_id": size_id, "quantity": quantity},
                {"item_id": drink_item, "size_id": drink_size, "quantity": 1}
            ],
            "address": address,
            "customer_name": name,
            "payment": {"method": "cash"},
            "callback_confirmed": true
        });
        Script::new(vec![
            Step::wait_for("session.update"),
            Step::say(
                "السلام علیکم! میلٹ 8 میں خوش آمدید۔ آپ کیا آرڈر کرنا چاہیں گے؟",
                16_000,
            ),
            Step::WaitForCallerAudio { ms: 1_000 },
            Step::call("update_order", order),
            Step::say("آپ کا آرڈر دہرا دوں: کیا یہ درست ہے؟", 12_000),
            Step::WaitForCallerAudio { ms: 500 },
            Step::call("confirm_order", json!({"quote_id": "Q1"})),
            Step::say(
                "شکریہ! آپ کا آرڈر لگ گیا ہے، تقریباً چالیس منٹ میں پہنچ جائے گا۔",
                12_000,
            ),
            Step::call_and_forget("end_call", json!({"outcome": "ordered"})),
        ])
    }

    /// A whole Urdu phone order over a SIP sideband (`/v1/realtime?call_id=…`), where no
    /// audio flows, only events: the client's first `response.create` (the greeting), then
    /// the caller's words as transcripts; `update_order` without the callback "yes" (the
    /// number from the call's `From` header is only a suggestion), the AI asks, the caller
    /// says yes, `update_order` again with `callback_confirmed`, `confirm_order` with that
    /// second quote (`Q2`), thanks and `end_call` `{"outcome": "ordered"}`.
    pub fn sideband_urdu_pizza_order(
        item_id: &str,
        size_id: &str,
        quantity: u32,
        address: &str,
        name: &str,
    ) -> Script {
        let order = json!({
            "items": [{"item_id": item_id, "size_id": size_id, "quantity": quantity}],
            "address": address,
            "customer_name": name,
            "payment": {"method": "cash"}
        });
        let mut confirmed = order.clone();
        confirmed["callback_confirmed"] = json!(true);
        Script::new(vec![
            Step::wait_for("response.create"),
            Step::say(
                "السلام علیکم! میلٹ 8 میں خوش آمدید۔ آپ کیا آرڈر کرنا چاہیں گے؟",
                0,
            ),
            Step::CallerSays(format!(
                "{quantity} بڑے چکن تکہ، {address}، نام {name}، کیش"
            )),
            Step::call("update_order", order),
            Step::say(
                "کیا میں آپ کو اسی نمبر پر کال کر سکتا ہوں جس سے آپ بول رہے ہیں؟",
                0,
            ),
            Step::CallerSays("جی ہاں، یہی نمبر".into()),
            Step::call("update_order", confirmed),
            Step::say("آپ کا آرڈر دہرا دوں: کیا یہ درست ہے؟", 0),
            Step::CallerSays("جی بالکل".into()),
            Step::call("confirm_order", json!({"quote_id": "Q2"})),
            Step::say(
                "شکریہ! آپ کا آرڈر لگ گیا ہے، تقریباً چالیس منٹ میں پہنچ جائے گا۔",
                0,
            ),
            Step::call_and_forget("end_call", json!({"outcome": "ordered"})),
        ])
    }

    /// Runs the steps on `session`, recording the outcome in it; on a SIP call's sideband
    /// (`sideband` names the book and the call's id), from where the call's previous
    /// sideband connection left off.
    pub(crate) async fn run(self, session: FakeSession, sideband: Option<(Sidebands, String)>) {
        let start = sideband
            .as_ref()
            .map_or(0, |(book, call_id)| book.resume_at(call_id));
        let mut result = Ok(());
        for (i, step) in self.steps.iter().enumerate().skip(start) {
            if let Step::DropConnection { refuse_reattach } = step {
                if let Some((book, call_id)) = &sideband {
                    book.dropped(call_id, i + 1, *refuse_reattach);
                }
                session.drop_connection();
                break;
            }
            if let Err(e) = self.step(&session, step).await {
                result = Err(format!("step {i} ({step:?}): {e:#}"));
                break;
            }
        }
        session.update(|s| script_ended(s, result));
    }

    async fn step(&self, session: &FakeSession, step: &Step) -> anyhow::Result<()> {
        let within = self.step_timeout;
        match step {
            Step::WaitFor(kind) => {
                session.wait_for(kind, within).await?;
            }
            Step::Speak {
                bytes_len,
                transcript,
            } => {
                let bytes = audio::tone(*bytes_len, 440.0);
                let (rid, item) = (openai_id("resp"), openai_id("item"));
                session.speak_saying(&rid, &item, &bytes, SPEAK_CHUNK, transcript)?;
            }
            Step::WaitForCallerAudio { ms } => {
                let target = session.appended_audio_bytes() + *ms as usize * audio::BYTES_PER_MS;
                session
                    .wait_until(&format!("{ms} ms of caller audio"), within, |s| {
                        (s.appended_bytes >= target).then_some(())
                    })
                    .await?;
            }
            Step::CallFunction {
                name,
                arguments,
                await_output,
            } => {
                let call_id = openai_id("call");
                session.call_function(&openai_id("resp"), &call_id, name, arguments.clone())?;
                if *await_output {
                    let what = format!("the function_call_output for `{name}` ({call_id})");
                    session
                        .wait_for_matching(&what, within, |e| is_function_output(e, &call_id))
                        .await?;
                    session
                        .wait_for("response.create", within)
                        .await
                        .with_context(|| format!("after the output of `{name}`"))?;
                }
            }
            Step::Sleep(ms) => tokio::time::sleep(Duration::from_millis(*ms)).await,
            Step::CallerSpeaks { speech_ms } => {
                let vad = session.effective_session()["audio"]["input"]["turn_detection"].clone();
                let padding = vad["prefix_padding_ms"].as_u64().unwrap_or(300);
                let silence = vad["silence_duration_ms"].as_u64().unwrap_or(500);
                let onset = audio::ms_of(session.appended_audio_bytes());
                let item = openai_id("item");
                session.speech_started(onset.saturating_sub(padding), &item)?;
                let end = onset + speech_ms + silence;
                let target = end as usize * audio::BYTES_PER_MS;
                session
                    .wait_until(&format!("{speech_ms} ms of caller speech"), within, |s| {
                        (s.appended_bytes >= target).then_some(())
                    })
                    .await?;
                session.speech_stopped(end, &item)?;
            }
            Step::IdleTimeout => {
                let vad = session.effective_session()["audio"]["input"]["turn_detection"].clone();
                let idle = vad["idle_timeout_ms"].as_u64().unwrap_or(8_000);
                let now = audio::ms_of(session.appended_audio_bytes());
                session.idle_timeout(now.saturating_sub(idle), now, &openai_id("item"))?;
            }
            Step::CallerSays(text) => session.transcript_of_caller(&openai_id("item"), text)?,
            // Handled by the run loop, which knows the call.
            Step::DropConnection { .. } => session.drop_connection(),
        }
        Ok(())
    }
}
