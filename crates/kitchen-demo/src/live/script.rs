//! Scripted GPT-Live sessions: the fake voice model plays a fixed conversation on every
//! session started, for the demo (`melt8 serve --demo` with the live bridge) and tests.

use super::FakeLiveSession;
use crate::audio;
use crate::ids::openai_id;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};
use std::time::Duration;

/// How the fake sends its speech.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputPace {
    /// One 20 ms delta every 20 ms, like a real-time stream.
    RealTime,
    /// Every delta at once, as fast as the socket takes them (the way the Realtime API
    /// sends; whether GPT-Live does is undocumented).
    Burst,
}

/// One thing the scripted voice model does.
#[derive(Debug, Clone, PartialEq)]
pub enum LiveStep {
    /// Say `transcript` as `bytes_len` bytes of µ-law tone (8 bytes = 1 ms), in 160-byte
    /// deltas at the script's pace, with its output transcript.
    Say {
        /// What the model "says".
        transcript: String,
        /// How much audio.
        bytes_len: usize,
    },
    /// The caller says `transcript`: once `after_caller_ms` of caller audio arrived (from
    /// the start of the step), an input transcript delta.
    Hear {
        /// What the caller "said".
        transcript: String,
        /// Caller audio to wait for first, in ms (0: at once, e.g. over the model).
        after_caller_ms: u64,
    },
    /// The model delegates: `session.delegation.created`, then one `response.event` with a
    /// completed function call per entry; then waits for a `function_call_output` for each
    /// and one `response.create` after them (unless `await_output` is false).
    Delegate {
        /// `(tool name, arguments)` of each call.
        calls: Vec<(String, Value)>,
        /// Whether to wait for the outputs and `response.create`.
        await_output: bool,
    },
    /// `session.usage.updated` with the seconds since the connection opened.
    Usage,
    /// Pause.
    Sleep(u64),
    /// Wait for the next client event of this type sent after the step started.
    WaitFor(String),
}

impl LiveStep {
    /// [`LiveStep::Say`].
    pub fn say(transcript: &str, bytes_len: usize) -> LiveStep {
        LiveStep::Say {
            transcript: transcript.into(),
            bytes_len,
        }
    }

    /// [`LiveStep::Hear`].
    pub fn hear(transcript: &str, after_caller_ms: u64) -> LiveStep {
        LiveStep::Hear {
            transcript: transcript.into(),
            after_caller_ms,
        }
    }

    /// [`LiveStep::Delegate`] of one call, waiting for its output.
    pub fn call(name: &str, arguments: Value) -> LiveStep {
        LiveStep::Delegate {
            calls: vec![(name.into(), arguments)],
            await_output: true,
        }
    }

    /// [`LiveStep::Delegate`] of one call without waiting (e.g. `end_call`).
    pub fn call_and_forget(name: &str, arguments: Value) -> LiveStep {
        LiveStep::Delegate {
            calls: vec![(name.into(), arguments)],
            await_output: false,
        }
    }
}

/// Steps run in order on every session a [`FakeLive`](super::FakeLive) starts.
#[derive(Debug, Clone, PartialEq)]
pub struct LiveScript {
    /// The steps.
    pub steps: Vec<LiveStep>,
    /// How speech is sent.
    pub pace: OutputPace,
    /// How long any one wait may take.
    pub step_timeout: Duration,
}

impl LiveScript {
    /// A script at real-time pace, each wait limited to 30 s.
    pub fn new(steps: Vec<LiveStep>) -> LiveScript {
        LiveScript {
            steps,
            pace: OutputPace::RealTime,
            step_timeout: Duration::from_secs(30),
        }
    }

    /// The same script sending speech at `pace`.
    pub fn with_pace(mut self, pace: OutputPace) -> LiveScript {
        self.pace = pace;
        self
    }

    /// A whole Urdu phone order through the live bridge: greet, hear the order,
    /// `update_order` (callback confirmed), read back, hear "yes", `confirm_order` with the
    /// call's first quote, thank, `end_call` with `ordered`.
    pub fn urdu_pizza_order(item_id: &str, size_id: &str, address: &str, name: &str) -> LiveScript {
        let order = json!({
            "items": [{"item_id": item_id, "size_id": size_id, "quantity": 1}],
            "address": address,
            "customer_name": name,
            "payment": {"method": "cash"},
            "callback_confirmed": true
        });
        LiveScript::new(vec![
            LiveStep::say(
                "السلام علیکم! میلٹ 8 میں خوش آمدید۔ کیا آرڈر کریں گے؟",
                8_000,
            ),
            LiveStep::hear("ایک پیزا چاہیے", 500),
            LiveStep::call("update_order", order),
            LiveStep::say("آپ کا آرڈر دہرا دوں: کیا یہ درست ہے؟", 4_000),
            LiveStep::hear("جی ہاں", 300),
            LiveStep::call("confirm_order", json!({"quote_id": "Q1"})),
            LiveStep::Usage,
            LiveStep::say("شکریہ! آپ کا آرڈر لگ گیا ہے۔", 4_000),
            LiveStep::call_and_forget("end_call", json!({"outcome": "ordered"})),
        ])
    }

    /// The demo's phone order through the live bridge, as the fake Realtime API's
    /// [`Script::urdu_pizza_order`](crate::Script::urdu_pizza_order) plays it: `quantity`
    /// pizzas and one drink, greet, hear the order, `update_order` (callback confirmed),
    /// read back, hear "yes", `confirm_order` with the call's first quote, thank with the
    /// delivery time, `end_call` with `ordered`. Speech at real-time pace.
    pub fn urdu_pizza_and_drink_order(
        item_id: &str,
        size_id: &str,
        quantity: u32,
        drink_item: &str,
        drink_size: &str,
        address: &str,
        name: &str,
    ) -> LiveScript {
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
        LiveScript::new(vec![
            LiveStep::say(
                "السلام علیکم! میلٹ 8 میں خوش آمدید۔ آپ کیا آرڈر کرنا چاہیں گے؟",
                16_000,
            ),
            LiveStep::hear("دو لارج چکن تکہ اور ایک بڑی کوک", 1_000),
            LiveStep::call("update_order", order),
            LiveStep::say("آپ کا آرڈر دہرا دوں: کیا یہ درست ہے؟", 12_000),
            LiveStep::hear("جی ہاں", 500),
            LiveStep::call("confirm_order", json!({"quote_id": "Q1"})),
            LiveStep::Usage,
            LiveStep::say(
                "شکریہ! آپ کا آرڈر لگ گیا ہے، تقریباً چالیس منٹ میں پہنچ جائے گا۔",
                12_000,
            ),
            LiveStep::call_and_forget("end_call", json!({"outcome": "ordered"})),
        ])
    }

    /// Runs the steps on `session`, recording how they ended.
    pub(crate) async fn run(self, session: FakeLiveSession) {
        let mut result = Ok(());
        for (i, step) in self.steps.iter().enumerate() {
            if let Err(e) = self.step(&session, step).await {
                result = Err(format!("step {i} ({step:?}): {e:#}"));
                break;
            }
        }
        session.update(|s| s.script = Some(result));
    }

    async fn step(&self, session: &FakeLiveSession, step: &LiveStep) -> anyhow::Result<()> {
        let within = self.step_timeout;
        match step {
            LiveStep::Say {
                transcript,
                bytes_len,
            } => {
                session.send(json!({"type": "session.output_transcript.delta",
                    "delta": transcript, "start_ms": 0, "end_ms": audio::ms_of(*bytes_len)}))?;
                let tone = audio::tone(*bytes_len, 440.0);
                let mut next = tokio::time::Instant::now();
                for frame in tone.chunks(audio::FRAME_BYTES) {
                    if self.pace == OutputPace::RealTime {
                        tokio::time::sleep_until(next).await;
                        next += Duration::from_millis(20);
                    }
                    session.send(json!({"type": "session.output_audio.delta",
                        "delta": STANDARD.encode(frame)}))?;
                }
            }
            LiveStep::Hear {
                transcript,
                after_caller_ms,
            } => {
                let target = session.appended_audio_bytes()
                    + *after_caller_ms as usize * audio::BYTES_PER_MS;
                session
                    .wait_until(
                        &format!("{after_caller_ms} ms of caller audio"),
                        within,
                        |s| (s.appended_audio_bytes() >= target).then_some(()),
                    )
                    .await?;
                let at = audio::ms_of(session.appended_audio_bytes()) as i64;
                session.send(json!({"type": "session.input_transcript.delta",
                    "delta": transcript, "start_ms": at, "end_ms": at}))?;
            }
            LiveStep::Delegate {
                calls,
                await_output,
            } => {
                let from = session.received().len();
                let delegation = openai_id("del");
                let response = openai_id("resp");
                session.send(json!({"type": "session.delegation.created", "offset_ms": 0,
                    "delegation": {"id": delegation, "target": "responses",
                                   "type": "delegation", "response_id": response}}))?;
                let mut ids = Vec::new();
                for (i, (name, arguments)) in calls.iter().enumerate() {
                    let call_id = openai_id("call");
                    session.send(
                        json!({"type": "response.event", "delegation_id": delegation,
                        "event": {"type": "response.output_item.done", "output_index": i,
                                  "sequence_number": i + 1,
                                  "item": {"type": "function_call", "id": openai_id("fc"),
                                           "call_id": call_id, "name": name,
                                           "arguments": arguments.to_string(),
                                           "status": "completed"}}}),
                    )?;
                    ids.push(call_id);
                }
                // The backend response's end, forwarded like the service forwards lifecycle
                // events (its snapshot's `output` left empty).
                session.send(
                    json!({"type": "response.event", "delegation_id": delegation,
                    "event": {"type": "response.completed", "sequence_number": calls.len() + 1,
                              "response": {"id": response, "object": "response",
                                           "status": "completed", "output": []}}}),
                )?;
                if *await_output {
                    session
                        .wait_until("the outputs and one response.create", within, |s| {
                            outputs_then_create(&s.received()[from..], &ids).then_some(())
                        })
                        .await?;
                }
            }
            LiveStep::Usage => {
                session.send(json!({"type": "session.usage.updated", "usage": session.usage()}))?;
            }
            LiveStep::Sleep(ms) => tokio::time::sleep(Duration::from_millis(*ms)).await,
            LiveStep::WaitFor(kind) => {
                let from = session.received().len();
                session
                    .wait_until(kind, within, |s| {
                        s.received()[from..]
                            .iter()
                            .any(|e| e["type"] == kind.as_str())
                            .then_some(())
                    })
                    .await?;
            }
        }
        Ok(())
    }
}

/// True when `events` hold a `function_call_output` for each of `ids` followed by a
/// `response.create` sent after the last of them.
pub(crate) fn outputs_then_create(events: &[Value], ids: &[String]) -> bool {
    let position = |id: &String| {
        events.iter().position(|e| {
            e["type"] == "response.item.create"
                && e["item"]["type"] == "function_call_output"
                && e["item"]["call_id"] == id.as_str()
        })
    };
    let mut last = 0;
    for id in ids {
        match position(id) {
            Some(p) => last = last.max(p),
            None => return false,
        }
    }
    events[last..]
        .iter()
        .any(|e| e["type"] == "response.create")
}
