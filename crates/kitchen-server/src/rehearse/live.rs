//! `melt8 rehearse --live`: each scenario's caller turns go as text to a Realtime model,
//! and what the model does is scored — whether the board ends exactly as the scenario
//! expects, how many tool answers were refusals, how many turns and responses it took, and
//! what the tokens cost.
//!
//! The relay is the real one: it connects to a small proxy here instead of OpenAI. The
//! proxy passes everything through except that it asks for text-only answers
//! (`output_modalities: ["text"]`), keeps the caller's audio (a simulated phone line) from
//! the model, and, whenever the model has finished answering, types the caller's next turn
//! (`conversation.item.create` with `input_text`, then `response.create`). Tool calls the
//! model makes reach the relay unchanged, so they run against the in-process server
//! exactly as on a phone call. With `--against-fake` kitchen-demo's fake Realtime API
//! stands in for the model and follows the scenario's script: no key needed, and the
//! report's format can be seen (the README shows one).

use super::model::{self, After};
use super::scenario::{CallScript, Scenario};
use super::stage::{SHOP_TWILIO_NUMBER, Stage, WAIT, twilio_from};
use super::{Played, Tokens, ToolRecord};
use crate::Secret;
use anyhow::{Context, bail};
use futures_util::{SinkExt, StreamExt};
use kitchen_demo::{Behaviour, FakeRealtime, FakeSession};
use serde_json::{Map, Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;

/// How long a live model may take to answer one turn.
const TURN_WAIT: Duration = Duration::from_secs(60);
/// After the caller's last turn: how long the model has to hang up once it has answered.
const GOODBYE_WAIT: Duration = Duration::from_secs(8);

/// Prices per million tokens, US dollars.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Prices {
    /// Text input.
    pub text_in: f64,
    /// Cached input.
    pub cached_in: f64,
    /// Audio input.
    pub audio_in: f64,
    /// Text output.
    pub text_out: f64,
    /// Audio output.
    pub audio_out: f64,
}

impl Prices {
    /// OpenAI's list prices for `gpt-realtime` (per 1M tokens: text 4 in, 0.40 cached,
    /// 16 out; audio 32 in, 64 out) or, for a `-mini` model, `gpt-realtime-mini` (text 0.60
    /// in, 0.06 cached, 2.40 out; audio 10 in, 20 out), as published when this was written.
    /// Prices change: pass your own with `--prices`.
    pub fn list_for(model: &str) -> Prices {
        if model.contains("mini") {
            Prices {
                text_in: 0.60,
                cached_in: 0.06,
                audio_in: 10.0,
                text_out: 2.40,
                audio_out: 20.0,
            }
        } else {
            Prices {
                text_in: 4.0,
                cached_in: 0.40,
                audio_in: 32.0,
                text_out: 16.0,
                audio_out: 64.0,
            }
        }
    }

    /// Reads `text_in=4,cached_in=0.4,audio_in=32,text_out=16,audio_out=64` (any subset;
    /// the rest from `base`).
    pub fn parse(text: &str, base: Prices) -> Result<Prices, String> {
        let mut p = base;
        for part in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let (k, v) = part
                .split_once('=')
                .ok_or_else(|| format!("`{part}` is not name=price"))?;
            let v: f64 = v
                .trim()
                .parse()
                .ok()
                .filter(|v: &f64| v.is_finite() && *v >= 0.0)
                .ok_or_else(|| format!("`{v}` is not a price"))?;
            match k.trim() {
                "text_in" => p.text_in = v,
                "cached_in" => p.cached_in = v,
                "audio_in" => p.audio_in = v,
                "text_out" => p.text_out = v,
                "audio_out" => p.audio_out = v,
                other => {
                    return Err(format!(
                        "no price called `{other}` (text_in, cached_in, audio_in, text_out, audio_out)"
                    ));
                }
            }
        }
        Ok(p)
    }

    /// What `t` costs, dollars.
    pub fn cost(&self, t: &Tokens) -> f64 {
        let fresh_text = t.text_in.saturating_sub(t.cached_in) as f64;
        (fresh_text * self.text_in
            + t.cached_in as f64 * self.cached_in
            + t.audio_in as f64 * self.audio_in
            + t.text_out as f64 * self.text_out
            + t.audio_out as f64 * self.audio_out)
            / 1_000_000.0
    }
}

/// Where the model is and how to reach it.
#[derive(Debug, Clone)]
pub struct LiveConfig {
    /// The Realtime endpoint (`wss://api.openai.com/v1/realtime`).
    pub url: String,
    /// The model asked for.
    pub model: String,
    /// The API key (never printed).
    pub api_key: Option<Secret>,
    /// The fake plays the model, following each scenario's script.
    pub against_fake: bool,
    /// Token prices for the report.
    pub prices: Prices,
}

impl LiveConfig {
    /// The model as the report names it.
    pub fn model_label(&self) -> String {
        if self.against_fake {
            "the scripted fake (--against-fake)".to_string()
        } else {
            self.model.clone()
        }
    }
}

/// What the proxy learns from one call, shared with the orchestration.
#[derive(Debug, Default)]
struct Seen {
    /// Function calls by `call_id`: name and arguments, until answered.
    pending: HashMap<String, (String, Value)>,
    tools: Vec<ToolRecord>,
    tokens: Tokens,
    responses: usize,
    call: usize,
    turn: usize,
    /// Why a connection to the model failed.
    errors: Vec<String>,
}

/// What the proxy tells the orchestration about one connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Event {
    /// The model finished a response that was not a tool call: the caller may speak.
    Idle,
    /// The connection is over (the call ended).
    Ended,
}

/// One relay connection as the orchestration drives it.
#[derive(Debug)]
struct Conn {
    events: mpsc::UnboundedReceiver<Event>,
    say: mpsc::UnboundedSender<String>,
}

/// Plays `scenario` with the model reading the caller's turns as text.
pub(crate) async fn play(scenario: &Scenario, cfg: &LiveConfig) -> anyhow::Result<(Stage, Played)> {
    let fake = if cfg.against_fake {
        Some(FakeRealtime::start(Behaviour::Accept).await?)
    } else {
        None
    };
    let (upstream, key) = match (&fake, &cfg.api_key) {
        (Some(f), _) => (f.url(), Secret::new("rehearse-fake-key")),
        (None, Some(k)) => (cfg.url.clone(), k.clone()),
        (None, None) => bail!("OPENAI_API_KEY is not set"),
    };
    let seen = Arc::new(Mutex::new(Seen::default()));
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let proxy_url = format!("ws://{}/v1/realtime", listener.local_addr()?);
    let (conn_tx, mut conn_rx) = mpsc::unbounded_channel::<Conn>();
    let proxy = tokio::spawn(accept(
        listener,
        upstream,
        cfg.model.clone(),
        key,
        seen.clone(),
        conn_tx,
    ));
    let stage = Stage::start(scenario, proxy_url, "rehearse-proxy-key").await?;
    let mut played = Played::default();
    if let Some(why) = super::missing_feature(scenario, &stage).await? {
        played.not_run = Some(why);
        proxy.abort();
        return Ok((stage, played));
    }
    let result = {
        let talk = talk(scenario, &stage, &mut conn_rx, &seen, &mut played);
        match &fake {
            Some(f) => {
                let (t, d) = tokio::join!(talk, follow_script(f, scenario.calls.clone()));
                t.and(d)
            }
            None => talk.await,
        }
    };
    if let Err(e) = result {
        played.reasons.push(format!("{e:#}"));
    }
    proxy.abort();
    {
        let s = lock(&seen);
        played.tools = s.tools.clone();
        played.tokens = s.tokens;
        played.responses = s.responses;
        played.reasons.extend(s.errors.iter().cloned());
    }
    Ok((stage, played))
}

fn lock(m: &Mutex<Seen>) -> std::sync::MutexGuard<'_, Seen> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The caller's side: each call placed, each turn typed once the model is listening.
async fn talk(
    scenario: &Scenario,
    stage: &Stage,
    conns: &mut mpsc::UnboundedReceiver<Conn>,
    seen: &Mutex<Seen>,
    played: &mut Played,
) -> anyhow::Result<()> {
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
        let mut conn = tokio::time::timeout(WAIT, conns.recv())
            .await
            .ok()
            .flatten()
            .with_context(|| format!("call {}: the relay never reached the model", c + 1))?;
        lock(seen).call = c + 1;
        let mut ended = false;
        let mut hung_up = false;
        for (t, turn) in call.turns.iter().enumerate() {
            match next_event(&mut conn, TURN_WAIT).await {
                Some(Event::Idle) => {}
                Some(Event::Ended) | None => {
                    ended = true;
                    played.reasons.push(format!(
                        "call {}: the call ended before the caller's turn {}",
                        c + 1,
                        t + 1
                    ));
                    break;
                }
            }
            for action in &turn.kitchen {
                stage.kitchen(action).await?;
            }
            if let Some(keys) = &turn.keypad {
                for k in keys.chars() {
                    stream.send_dtmf(&k.to_string())?;
                }
                // The relay reads the keys from the phone line, the words from the model's
                // side: give it a moment to take the keys first.
                tokio::time::sleep(Duration::from_millis(300)).await;
            }
            lock(seen).turn = t + 1;
            played.turns += 1;
            let words = if turn.caller.trim().is_empty() {
                "(the caller pressed keys on the phone)".to_string()
            } else {
                turn.caller.clone()
            };
            if conn.say.send(words).is_err() {
                ended = true;
                break;
            }
            if turn.hang_up {
                // A dropped line: the caller is gone once the model has answered.
                let _ = next_event(&mut conn, TURN_WAIT).await;
                let _ = stream.stop();
                hung_up = true;
                break;
            }
        }
        if !ended && !hung_up {
            // The last turn is said: the model answers, then should hang up itself.
            let mut deadline = TURN_WAIT;
            loop {
                match next_event(&mut conn, deadline).await {
                    Some(Event::Ended) => break,
                    Some(Event::Idle) => deadline = GOODBYE_WAIT,
                    None => {
                        let _ = stream.stop();
                        break;
                    }
                }
            }
        }
        stream
            .wait_closed(WAIT)
            .await
            .with_context(|| format!("call {}: the call did not end", c + 1))?;
    }
    Ok(())
}

async fn next_event(conn: &mut Conn, within: Duration) -> Option<Event> {
    tokio::time::timeout(within, conn.events.recv())
        .await
        .ok()
        .flatten()
}

/// The fake as a model that follows the scenario: on each typed caller turn it does the
/// turn's steps.
async fn follow_script(fake: &FakeRealtime, calls: Vec<CallScript>) -> anyhow::Result<()> {
    let mut vars = Map::new();
    for (c, call) in calls.iter().enumerate() {
        let session = fake.next_session(WAIT).await?;
        session.wait_for("session.update", WAIT).await?;
        session.wait_for("response.create", WAIT).await?;
        model::say(&session, "Assalam o alaikum! Melt 8 mein khush amdeed.")?;
        for (t, turn) in call.turns.iter().enumerate() {
            let at = format!("the fake model, call {} turn {}", c + 1, t + 1);
            if next_typed_turn(&session).await.is_err() {
                break; // the call ended (a dropped line)
            }
            let after = model::act(&session, &turn.ai, &mut vars, &mut |_| {})
                .await
                .with_context(|| at.clone())?;
            if turn.ai.is_empty() {
                model::say(&session, "(the AI answers)")?;
            }
            if after == After::Ended {
                break;
            }
        }
    }
    Ok(())
}

/// Waits for the proxy's typed caller turn and its `response.create`.
async fn next_typed_turn(session: &FakeSession) -> anyhow::Result<()> {
    session
        .wait_for_matching("the caller's typed turn", TURN_WAIT, |e| {
            e["type"] == "conversation.item.create" && e["item"]["type"] == "message"
        })
        .await?;
    session.wait_for("response.create", WAIT).await?;
    Ok(())
}

/// Accepts the relay's connections, each proxied to the model.
async fn accept(
    listener: TcpListener,
    upstream: String,
    model: String,
    key: Secret,
    seen: Arc<Mutex<Seen>>,
    conns: mpsc::UnboundedSender<Conn>,
) {
    while let Ok((tcp, _)) = listener.accept().await {
        let (events_tx, events) = mpsc::unbounded_channel();
        let (say, say_rx) = mpsc::unbounded_channel();
        if conns.send(Conn { events, say }).is_err() {
            return;
        }
        let (upstream, model, key, seen) =
            (upstream.clone(), model.clone(), key.clone(), seen.clone());
        tokio::spawn(async move {
            if let Err(e) = proxy(tcp, &upstream, &model, &key, &seen, &events_tx, say_rx).await {
                lock(&seen)
                    .errors
                    .push(format!("the connection to the model failed: {e:#}"));
            }
            let _ = events_tx.send(Event::Ended);
        });
    }
}

async fn proxy(
    tcp: tokio::net::TcpStream,
    upstream: &str,
    model: &str,
    key: &Secret,
    seen: &Mutex<Seen>,
    events: &mpsc::UnboundedSender<Event>,
    mut say: mpsc::UnboundedReceiver<String>,
) -> anyhow::Result<()> {
    let relay = tokio_tungstenite::accept_async(tcp).await?;
    let sep = if upstream.contains('?') { '&' } else { '?' };
    let mut req = format!("{upstream}{sep}model={model}").into_client_request()?;
    req.headers_mut().insert(
        "authorization",
        HeaderValue::from_str(&format!("Bearer {}", key.expose()))
            .context("the API key is not a valid header value")?,
    );
    let (openai, _) = tokio_tungstenite::connect_async(req)
        .await
        .context("connecting to the model")?;
    let (mut relay_tx, mut relay_rx) = relay.split();
    let (mut ai_tx, mut ai_rx) = openai.split();
    loop {
        tokio::select! {
            msg = relay_rx.next() => match msg {
                Some(Ok(Message::Text(text))) => {
                    if let Some(out) = from_relay(&text, seen) {
                        ai_tx.send(Message::text(out)).await?;
                    }
                }
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => break,
                Some(Ok(_)) => {}
            },
            msg = ai_rx.next() => match msg {
                Some(Ok(Message::Text(text))) => {
                    if from_model(&text, seen) {
                        let _ = events.send(Event::Idle);
                    }
                    relay_tx.send(Message::text(text.to_string())).await?;
                }
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => break,
                Some(Ok(_)) => {}
            },
            words = say.recv() => {
                let Some(words) = words else { break };
                let item = json!({"type": "conversation.item.create", "item": {
                    "type": "message", "role": "user",
                    "content": [{"type": "input_text", "text": words}]}});
                ai_tx.send(Message::text(item.to_string())).await?;
                let create = json!({"type": "response.create", "response": {"output_modalities": ["text"]}});
                ai_tx.send(Message::text(create.to_string())).await?;
            }
        }
    }
    let _ = ai_tx.close().await;
    let _ = relay_tx.close().await;
    Ok(())
}

/// The relay's event as the model should get it (`None`: keep it from the model): text-only
/// answers, no phone audio; tool answers recorded.
fn from_relay(text: &str, seen: &Mutex<Seen>) -> Option<String> {
    let Ok(mut event) = serde_json::from_str::<Value>(text) else {
        return Some(text.to_string());
    };
    match event["type"].as_str().unwrap_or_default() {
        "input_audio_buffer.append" | "input_audio_buffer.commit" | "input_audio_buffer.clear" => {
            return None;
        }
        "session.update" => {
            event["session"]["output_modalities"] = json!(["text"]);
            // Typed turns: no voice activity to detect, no idle timeouts on a silent line.
            if event["session"]["audio"]["input"].is_object() {
                event["session"]["audio"]["input"]["turn_detection"] = Value::Null;
            }
        }
        "response.create" if event["response"].is_object() => {
            event["response"]["output_modalities"] = json!(["text"]);
        }
        "conversation.item.create" if event["item"]["type"] == "function_call_output" => {
            let call_id = event["item"]["call_id"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            let output = event["item"]["output"].as_str().unwrap_or_default();
            let answer = serde_json::from_str(output).unwrap_or_else(|_| json!(output));
            let mut s = lock(seen);
            if let Some((tool, args)) = s.pending.remove(&call_id) {
                let (call, turn) = (s.call, s.turn);
                s.tools.push(ToolRecord {
                    call,
                    turn,
                    tool,
                    args,
                    answer,
                });
            }
        }
        _ => {}
    }
    Some(event.to_string())
}

/// Notes the model's event; true when it finished a response that was not a tool call.
fn from_model(text: &str, seen: &Mutex<Seen>) -> bool {
    let Ok(event) = serde_json::from_str::<Value>(text) else {
        return false;
    };
    if event["type"] != "response.done" {
        return false;
    }
    let response = &event["response"];
    let mut s = lock(seen);
    s.responses += 1;
    let usage = &response["usage"];
    let n = |v: &Value| v.as_u64().unwrap_or(0);
    s.tokens.text_in += n(&usage["input_token_details"]["text_tokens"]);
    s.tokens.cached_in += n(&usage["input_token_details"]["cached_tokens"]);
    s.tokens.audio_in += n(&usage["input_token_details"]["audio_tokens"]);
    s.tokens.text_out += n(&usage["output_token_details"]["text_tokens"]);
    s.tokens.audio_out += n(&usage["output_token_details"]["audio_tokens"]);
    let mut called = false;
    for item in response["output"].as_array().into_iter().flatten() {
        if item["type"] == "function_call" {
            called = true;
            let args = item["arguments"]
                .as_str()
                .and_then(|a| serde_json::from_str(a).ok())
                .unwrap_or(Value::Null);
            if let Some(id) = item["call_id"].as_str() {
                let name = item["name"].as_str().unwrap_or_default().to_string();
                s.pending.insert(id.to_string(), (name, args));
            }
        }
    }
    !called && response["status"] != "cancelled"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_read_as_written_and_cost_per_million() {
        let base = Prices::list_for("gpt-realtime");
        let p = Prices::parse("text_in=2, audio_out=10", base).unwrap();
        assert_eq!(p.text_in, 2.0);
        assert_eq!(p.audio_out, 10.0);
        assert_eq!(p.text_out, base.text_out);
        assert!(Prices::parse("gold=1", base).is_err());
        assert!(Prices::parse("text_in=-1", base).is_err());
        let t = Tokens {
            text_in: 1_000_000,
            cached_in: 0,
            audio_in: 0,
            text_out: 500_000,
            audio_out: 0,
        };
        assert!((p.cost(&t) - (2.0 + 8.0)).abs() < 1e-9);
        assert!(Prices::list_for("gpt-realtime-mini").text_in < base.text_in);
    }

    #[test]
    fn the_model_gets_text_only_and_no_phone_audio() {
        let seen = Mutex::new(Seen::default());
        assert!(
            from_relay(
                r#"{"type":"input_audio_buffer.append","audio":"AA=="}"#,
                &seen
            )
            .is_none()
        );
        let update = from_relay(
            r#"{"type":"session.update","session":{"type":"realtime"}}"#,
            &seen,
        )
        .unwrap();
        assert!(
            update.contains(r#""output_modalities":["text"]"#),
            "{update}"
        );
    }

    #[test]
    fn a_tool_call_is_not_the_end_of_the_models_turn_and_its_answer_is_recorded() {
        let seen = Mutex::new(Seen::default());
        let call = json!({"type": "response.done", "response": {"status": "completed", "output": [
            {"type": "function_call", "call_id": "c1", "name": "lookup_orders", "arguments": "{}"}],
            "usage": {"input_token_details": {"text_tokens": 100, "cached_tokens": 40, "audio_tokens": 0},
                      "output_token_details": {"text_tokens": 7, "audio_tokens": 0}}}});
        assert!(!from_model(&call.to_string(), &seen));
        let answer = json!({"type": "conversation.item.create", "item": {"type": "function_call_output",
            "call_id": "c1", "output": "{\"ok\":true,\"orders\":[]}"}});
        from_relay(&answer.to_string(), &seen);
        let words = json!({"type": "response.done", "response": {"status": "completed", "output": [
            {"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": "Ji"}]}]}});
        assert!(from_model(&words.to_string(), &seen));
        let s = lock(&seen);
        assert_eq!(s.tools.len(), 1);
        assert_eq!(s.tools[0].tool, "lookup_orders");
        assert_eq!(s.tools[0].answer["ok"], true);
        assert_eq!(s.tokens.text_in, 100);
        assert_eq!(s.tokens.cached_in, 40);
        assert_eq!(s.responses, 2);
    }
}
