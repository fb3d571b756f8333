//! The scripted AI: on a [`FakeSession`] of kitchen-demo's fake Realtime API it does what a
//! scenario's turn says — calls each tool with its arguments (earlier answers' `$fields`
//! filled in), waits for the relay's answer, and speaks. The same steps serve the CI run
//! (the fake talks to the relay directly) and `--live` against the fake (it sits behind the
//! rehearsal's text proxy, acting as a model that follows the script).

use super::check::substitute;
use super::scenario::AiStep;
use super::stage::WAIT;
use kitchen_demo::FakeSession;
use kitchen_demo::audio::tone;
use kitchen_demo::ids::openai_id;
use serde_json::{Map, Value};

/// 100 ms of speech per line: enough for the relay to stream it and the phone to play it.
const SPEECH_BYTES: usize = 800;

/// One tool call the scripted AI made and what the relay answered.
#[derive(Debug, Clone)]
pub struct Answered {
    /// The tool.
    pub tool: String,
    /// The arguments sent (after `$field` substitution).
    pub args: Value,
    /// The answer, parsed (a text when it was not JSON).
    pub answer: Value,
}

/// Whether the call went on after the steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum After {
    /// The AI waits for the caller.
    Listening,
    /// `end_call` or a transfer ended the call (the AI socket closed).
    Ended,
}

/// Speaks `text` as one response.
pub fn say(session: &FakeSession, text: &str) -> anyhow::Result<()> {
    session.speak_saying(
        &openai_id("resp"),
        &openai_id("item"),
        &tone(SPEECH_BYTES, 440.0),
        SPEECH_BYTES,
        text,
    )
}

/// Does `steps` on `session`; each tool answer goes to `answered` (and its top-level
/// fields into `vars`) as soon as it arrives. A tool's answer is followed by the relay's
/// `response.create`, which is consumed here; after `end_call` or a transfer the call may
/// end instead. When the last step was a tool call the AI answers in words, as a model does.
pub async fn act(
    session: &FakeSession,
    steps: &[AiStep],
    vars: &mut Map<String, Value>,
    answered: &mut impl FnMut(Answered),
) -> anyhow::Result<After> {
    let mut owes_words = false;
    for step in steps {
        if let Some(text) = &step.say {
            say(session, text)?;
            owes_words = false;
            continue;
        }
        let Some(tool) = &step.tool else { continue };
        let args = substitute(
            step.args.as_ref().unwrap_or(&Value::Object(Map::new())),
            vars,
        );
        let call_id = openai_id("call");
        session.call_function(&openai_id("resp"), &call_id, tool, args.clone())?;
        let output = session
            .wait_for_matching(&format!("the answer to `{tool}`"), WAIT, |e| {
                e["type"] == "conversation.item.create"
                    && e["item"]["type"] == "function_call_output"
                    && e["item"]["call_id"] == call_id.as_str()
            })
            .await?;
        let text = output["item"]["output"].as_str().unwrap_or_default();
        let answer: Value =
            serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_string()));
        if let Value::Object(fields) = &answer {
            for (k, v) in fields {
                if !v.is_null() && !v.is_object() && !v.is_array() {
                    vars.insert(k.clone(), v.clone());
                }
            }
            for (name, field) in &step.remember {
                if let Some(v) = fields.get(field) {
                    vars.insert(name.clone(), v.clone());
                }
            }
        }
        answered(Answered {
            tool: tool.clone(),
            args,
            answer,
        });
        if tool == "end_call" {
            // The relay asks for no more words after `end_call`: it hangs up once what was
            // said has played. (Waiting for a `response.create` here would take a leftover
            // one — a keypad entry asks for its own — and race the hang-up.)
            session
                .wait_closed(WAIT)
                .await
                .map_err(|e| e.context("after `end_call` the call did not end"))?;
            return Ok(After::Ended);
        }
        let may_end = tool == "transfer_to_human";
        match session.wait_for("response.create", WAIT).await {
            Ok(_) => owes_words = true,
            Err(_) if may_end && session.is_closed() => return Ok(After::Ended),
            Err(e) if may_end => {
                return Err(e.context(format!("after `{tool}` the call neither went on nor ended")));
            }
            Err(e) => return Err(e.context(format!("after the answer to `{tool}`"))),
        }
    }
    if owes_words {
        say(session, "(the AI tells the caller what the tool answered)")?;
    }
    Ok(After::Listening)
}
