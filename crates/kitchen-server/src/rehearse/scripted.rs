//! The CI run of one scenario: kitchen-demo's fake Realtime API plays the scripted AI
//! directly against the relay, the simulated caller speaks (a tone, its words go to the
//! call log as the transcription) and presses keys, and every tool answer is checked
//! against the scenario as it arrives.

use super::check::{contains, short};
use super::model::{self, After, Answered};
use super::scenario::Scenario;
use super::stage::{SHOP_TWILIO_NUMBER, Stage, WAIT, twilio_from};
use super::{Played, ToolRecord};
use anyhow::{Context, bail};
use kitchen_demo::audio::tone;
use kitchen_demo::ids::openai_id;
use kitchen_demo::{Behaviour, FakeRealtime};
use serde_json::Map;
use std::time::Duration;

/// 200 ms of caller speech per turn.
const CALLER_BYTES: usize = 1600;

/// Plays every call of `scenario` on a fresh stage.
pub async fn play(
    scenario: &Scenario,
    check: Option<kitchen_demo::ClientEventCheck>,
) -> anyhow::Result<(Stage, Played)> {
    let fake = FakeRealtime::start_with(Behaviour::Accept, None, check).await?;
    let stage = Stage::start(scenario, fake.url(), "rehearse-fake-key").await?;
    let mut played = Played::default();
    if let Some(why) = super::missing_feature(scenario, &stage).await? {
        played.not_run = Some(why);
        return Ok((stage, played));
    }
    let result = play_calls(scenario, &stage, &fake, &mut played).await;
    played.reasons.extend(
        fake.schema_violations()
            .into_iter()
            .map(|v| format!("protocol: {v}")),
    );
    if let Err(e) = result {
        played.reasons.push(format!("{e:#}"));
        // What the server made of each call: a call it ended early says why in its log.
        for (c, sid) in played.call_sids.clone().iter().enumerate() {
            if let Ok(log) = stage.call_log(sid).await {
                played.reasons.push(format!(
                    "call {}: the server logged it as {} ({}: {})",
                    c + 1,
                    log["outcome"],
                    log["outcome_reason_code"],
                    log["outcome_reason"]
                ));
            }
        }
    }
    for session in fake.sessions() {
        played.responses += session
            .sent()
            .iter()
            .filter(|e| e["type"] == "response.done")
            .count();
    }
    Ok((stage, played))
}

async fn play_calls(
    scenario: &Scenario,
    stage: &Stage,
    fake: &FakeRealtime,
    played: &mut Played,
) -> anyhow::Result<()> {
    let mut vars = Map::new();
    for (c, call) in scenario.calls.iter().enumerate() {
        let from = twilio_from(call.caller.as_deref().unwrap_or(&scenario.caller));
        let start = stage.caller.place_call(&from, SHOP_TWILIO_NUMBER).await?;
        if start.status != 200 || start.stream_url.is_none() {
            bail!(
                "call {}: the server did not connect the call to the AI (HTTP {}): {}",
                c + 1,
                start.status,
                start.twiml.trim()
            );
        }
        played.call_sids.push(start.call_sid.clone());
        let stream = stage.caller.connect_stream(&start).await?;
        let session = fake.next_session(WAIT).await?;
        session
            .wait_for("session.update", WAIT)
            .await
            .context("the relay never configured the AI")?;
        session
            .wait_for("response.create", WAIT)
            .await
            .context("the relay never asked for the greeting")?;
        model::say(&session, "Assalam o alaikum! Melt 8 mein khush amdeed.")?;
        let mut ended = false;
        for (t, turn) in call.turns.iter().enumerate() {
            let at = format!("call {} turn {}", c + 1, t + 1);
            for action in &turn.kitchen {
                stage.kitchen(action).await.with_context(|| at.clone())?;
            }
            if let Some(keys) = &turn.keypad {
                for k in keys.chars() {
                    stream.send_dtmf(&k.to_string())?;
                }
            }
            // The relay handles the caller's messages in order: once this audio reached
            // the AI, the keys pressed before it were handled too.
            let target = session.appended_audio_bytes() + CALLER_BYTES;
            stream.send_audio(&tone(CALLER_BYTES, 440.0), false).await?;
            wait_for_audio(&session, target)
                .await
                .with_context(|| at.clone())?;
            if !turn.caller.trim().is_empty() {
                session.transcript_of_caller(&openai_id("item"), &turn.caller)?;
            }
            played.turns += 1;
            let mut expectations = turn
                .ai
                .iter()
                .filter_map(|s| s.tool.as_ref().map(|_| s.expect.clone()));
            let mut record = |a: Answered| {
                let expected = expectations.next().flatten();
                if let Some(want) = &expected {
                    for diff in contains(want, &a.answer) {
                        played.reasons.push(format!(
                            "{at}: `{}` answered {} — {diff}",
                            a.tool,
                            short(&a.answer)
                        ));
                    }
                }
                played.tools.push(ToolRecord {
                    call: c + 1,
                    turn: t + 1,
                    tool: a.tool,
                    args: a.args,
                    answer: a.answer,
                });
            };
            let after = model::act(&session, &turn.ai, &mut vars, &mut record)
                .await
                .with_context(|| at.clone())?;
            if after == After::Ended {
                ended = true;
                break;
            }
            if turn.hang_up {
                break;
            }
        }
        if !ended {
            // The caller hangs up: Twilio's `stop`.
            let _ = stream.stop();
        }
        stream
            .wait_closed(WAIT)
            .await
            .with_context(|| format!("call {}: the call did not end", c + 1))?;
        session
            .wait_closed(WAIT)
            .await
            .with_context(|| format!("call {}: the AI connection stayed open", c + 1))?;
        played.reasons.extend(
            stream
                .violations()
                .into_iter()
                .map(|v| format!("call {}: media stream: {v}", c + 1)),
        );
    }
    Ok(())
}

async fn wait_for_audio(session: &kitchen_demo::FakeSession, target: usize) -> anyhow::Result<()> {
    let deadline = tokio::time::Instant::now() + WAIT;
    while session.appended_audio_bytes() < target {
        if tokio::time::Instant::now() > deadline || session.is_closed() {
            bail!("the caller's words never reached the AI");
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    Ok(())
}
