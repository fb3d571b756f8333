//! Scripted sessions: the fake model plays a fixed conversation on every new connection,
//! for the demo (`melt8 serve --demo`) and end-to-end tests.

use super::FakeSession;
use super::protocol::script_ended;
use super::session::is_function_output;
use crate::audio;
use crate::ids::openai_id;
use anyhow::Context;
use serde_json::{Value, json};
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

    /// Runs the steps on `session`, recording the outcome in it.
    pub(crate) async fn run(self, session: FakeSession) {
        let mut result = Ok(());
        for (i, step) in self.steps.iter().enumerate() {
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
        }
        Ok(())
    }
}
