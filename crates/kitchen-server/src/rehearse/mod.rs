//! `melt8 rehearse`: the conversation test set. Each scenario file (see [`scenario`]) is
//! one or more phone calls played through a real server started in-process on a temporary
//! data folder, with a simulated Twilio caller; the AI is either kitchen-demo's scripted
//! fake, issuing the scenario's tool calls ([`scripted`]: CI, proves the server side of
//! every tool), or with `--live` the configured OpenAI model reading the caller's turns as
//! text ([`live`]: scores what the model did). Afterwards the board, the call log and the
//! call cards are read through the kitchen API and compared with the scenario
//! ([`check`]).

pub mod check;
pub mod live;
mod model;
pub mod scenario;
mod scripted;
mod stage;
pub mod voice;

use check::{contains, is_refusal, short};
use kitchen_phone::tools::ToolName;
use scenario::{Never, Scenario};
use serde::Serialize;
use serde_json::Value;
use stage::Stage;
use std::sync::Arc;
use std::time::Instant;

/// How the AI side of each call is played.
#[derive(Debug, Clone)]
pub enum Mode {
    /// kitchen-demo's fake Realtime API issues each scenario's tool calls (CI). `check`, if
    /// any, runs on every client event the relay sends it (the tests pass the test kit's
    /// Realtime schema check); a failure fails the scenario.
    Scripted {
        /// The check of each client event.
        check: Option<kitchen_demo::ClientEventCheck>,
    },
    /// The caller's turns go as text to a Realtime model (see [`live::LiveConfig`]).
    Live(live::LiveConfig),
    /// The caller's turns are spoken into an engine's phone path (see
    /// [`voice::VoiceConfig`]).
    Voice(voice::VoiceConfig),
}

/// What a scenario's run came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Every check held.
    Pass,
    /// At least one check failed (the reasons say which).
    Fail,
    /// It could not run on this server (a tool or API it needs is not there).
    NotRun,
}

/// One tool call made during a scenario and the relay's answer.
#[derive(Debug, Clone, Serialize)]
pub struct ToolRecord {
    /// The call (1-based).
    pub call: usize,
    /// The caller's turn it answered (1-based).
    pub turn: usize,
    /// The tool.
    pub tool: String,
    /// Its arguments.
    pub args: Value,
    /// The relay's answer.
    pub answer: Value,
}

/// Tokens a run used, as the Realtime API's `response.done` events count them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tokens {
    /// Text input tokens (cached ones included).
    pub text_in: u64,
    /// Of those, served from the cache.
    pub cached_in: u64,
    /// Audio input tokens.
    pub audio_in: u64,
    /// Text output tokens.
    pub text_out: u64,
    /// Audio output tokens.
    pub audio_out: u64,
}

/// What playing a scenario's calls produced, before the end state is read.
#[derive(Debug, Default)]
pub(crate) struct Played {
    pub(crate) call_sids: Vec<String>,
    pub(crate) tools: Vec<ToolRecord>,
    pub(crate) reasons: Vec<String>,
    pub(crate) turns: usize,
    pub(crate) responses: usize,
    pub(crate) tokens: Tokens,
    /// Why the scenario could not be played on this server (nothing was played).
    pub(crate) not_run: Option<String>,
    /// What the run showed besides pass or fail (a spoken rehearsal's transcripts,
    /// pacing and saved audio).
    pub(crate) notes: Vec<String>,
}

/// Why `scenario` cannot be played on the server `stage` runs, if it cannot.
pub(crate) async fn missing_feature(
    scenario: &Scenario,
    stage: &Stage,
) -> anyhow::Result<Option<String>> {
    if scenario.needs_call_cards() && stage.call_cards().await?.is_none() {
        return Ok(Some(
            "this server has no call cards (GET /api/call-cards answers 404)".to_string(),
        ));
    }
    Ok(None)
}

/// One scenario's result.
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioReport {
    /// The scenario's name.
    pub name: String,
    /// Its file.
    pub file: String,
    /// Pass, fail or not run.
    pub verdict: Verdict,
    /// Why it failed or did not run.
    pub reasons: Vec<String>,
    /// Whether the board ended exactly as the scenario expects (orders and their lines);
    /// `None` when the scenario does not say.
    pub order_match: Option<bool>,
    /// Tool calls made.
    pub tool_calls: usize,
    /// Tool answers with `"ok": false`.
    pub tool_errors: usize,
    /// Caller turns played.
    pub turns: usize,
    /// Responses the model gave (speech and tool calls).
    pub responses: usize,
    /// Tokens used.
    pub tokens: Tokens,
    /// Their price in US dollars (live runs only).
    pub cost_usd: Option<f64>,
    /// How long it took, seconds.
    pub seconds: f64,
    /// Every tool call and answer.
    pub tools: Vec<ToolRecord>,
    /// What the run showed besides pass or fail: with `--voice`, each caller line as the
    /// model heard it, the AI's lines, the pacing of its audio and where the audio was
    /// saved.
    pub notes: Vec<String>,
}

/// The whole run.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// `scripted` or `live`.
    pub mode: String,
    /// The model played against (live runs).
    pub model: Option<String>,
    /// One entry per scenario, in file order.
    pub scenarios: Vec<ScenarioReport>,
}

impl Report {
    /// How many passed, failed and did not run.
    pub fn counts(&self) -> (usize, usize, usize) {
        let n = |v| self.scenarios.iter().filter(|s| s.verdict == v).count();
        (n(Verdict::Pass), n(Verdict::Fail), n(Verdict::NotRun))
    }

    /// The names of the failed scenarios.
    pub fn failed(&self) -> Vec<&str> {
        self.scenarios
            .iter()
            .filter(|s| s.verdict == Verdict::Fail)
            .map(|s| s.name.as_str())
            .collect()
    }

    /// The report as people read it: a line per scenario with its reasons, then the totals.
    pub fn to_text(&self) -> String {
        use std::fmt::Write;
        let mut out = String::new();
        let live = self.mode == "live" || self.mode == "voice";
        let _ = writeln!(
            out,
            "Rehearsal ({}{}): {} scenario(s)",
            self.mode,
            self.model
                .as_deref()
                .map(|m| format!(", model {m}"))
                .unwrap_or_default(),
            self.scenarios.len()
        );
        for s in &self.scenarios {
            let tag = match s.verdict {
                Verdict::Pass => "PASS",
                Verdict::Fail => "FAIL",
                Verdict::NotRun => "NOT RUN",
            };
            let mut line = format!("{tag:<8} {:<40} {:>5.1} s", s.name, s.seconds);
            if live {
                let order = match s.order_match {
                    Some(true) => "order exact",
                    Some(false) => "order WRONG",
                    None => "no order check",
                };
                if self.mode == "voice" {
                    let _ = write!(
                        line,
                        "  {order}, {} tool call(s), {} tool error(s), {} turn(s)",
                        s.tool_calls, s.tool_errors, s.turns
                    );
                } else {
                    let _ = write!(
                        line,
                        "  {order}, {} tool call(s), {} tool error(s), {} turn(s), {} response(s), {} tokens, ${:.4}",
                        s.tool_calls,
                        s.tool_errors,
                        s.turns,
                        s.responses,
                        s.tokens.text_in
                            + s.tokens.audio_in
                            + s.tokens.text_out
                            + s.tokens.audio_out,
                        s.cost_usd.unwrap_or(0.0)
                    );
                }
            }
            let _ = writeln!(out, "{}", line.trim_end());
            for r in &s.reasons {
                let _ = writeln!(out, "         - {r}");
            }
            for n in &s.notes {
                let _ = writeln!(out, "         · {n}");
            }
        }
        let (pass, fail, not_run) = self.counts();
        if live {
            let exact = self
                .scenarios
                .iter()
                .filter(|s| s.order_match == Some(true))
                .count();
            let checked = self
                .scenarios
                .iter()
                .filter(|s| s.order_match.is_some())
                .count();
            let errors: usize = self.scenarios.iter().map(|s| s.tool_errors).sum();
            let cost: f64 = self.scenarios.iter().filter_map(|s| s.cost_usd).sum();
            let _ = if self.mode == "voice" {
                writeln!(
                    out,
                    "orders exact: {exact}/{checked}, tool errors: {errors}"
                )
            } else {
                writeln!(
                    out,
                    "orders exact: {exact}/{checked}, tool errors: {errors}, cost: ${cost:.4}"
                )
            };
        }
        let _ = writeln!(out, "{pass} passed, {fail} failed, {not_run} not run");
        out
    }
}

/// Runs `scenarios` (at most `parallel` at once) and reports on each.
pub async fn run(scenarios: Vec<Scenario>, mode: Mode, parallel: usize) -> Report {
    let limit = Arc::new(tokio::sync::Semaphore::new(parallel.max(1)));
    let mode = Arc::new(mode);
    let mut tasks = Vec::with_capacity(scenarios.len());
    for scenario in scenarios {
        let limit = limit.clone();
        let mode = mode.clone();
        tasks.push(tokio::spawn(async move {
            let _permit = limit.acquire_owned().await;
            run_one(&scenario, &mode).await
        }));
    }
    let mut reports = Vec::with_capacity(tasks.len());
    for t in tasks {
        match t.await {
            Ok(r) => reports.push(r),
            Err(e) => reports.push(ScenarioReport {
                name: "?".into(),
                file: String::new(),
                verdict: Verdict::Fail,
                reasons: vec![format!("the scenario's task failed: {e}")],
                order_match: None,
                tool_calls: 0,
                tool_errors: 0,
                turns: 0,
                responses: 0,
                tokens: Tokens::default(),
                cost_usd: None,
                seconds: 0.0,
                tools: Vec::new(),
                notes: Vec::new(),
            }),
        }
    }
    let (mode_name, model) = match &*mode {
        Mode::Scripted { .. } => ("scripted", None),
        Mode::Live(cfg) => ("live", Some(cfg.model_label())),
        Mode::Voice(cfg) => ("voice", Some(format!("{} on {}", cfg.model, cfg.engine))),
    };
    Report {
        mode: mode_name.into(),
        model,
        scenarios: reports,
    }
}

/// Tools a scenario calls that this build's phone AI does not have.
pub fn unknown_tools(scenario: &Scenario) -> Vec<String> {
    let mut unknown: Vec<String> = scenario
        .tools()
        .filter(|t| t.parse::<ToolName>().is_err())
        .map(str::to_string)
        .collect();
    unknown.sort();
    unknown.dedup();
    unknown
}

async fn run_one(scenario: &Scenario, mode: &Mode) -> ScenarioReport {
    let began = Instant::now();
    let mut report = ScenarioReport {
        name: scenario.name.clone(),
        file: scenario.file.display().to_string(),
        verdict: Verdict::Pass,
        reasons: Vec::new(),
        order_match: None,
        tool_calls: 0,
        tool_errors: 0,
        turns: 0,
        responses: 0,
        tokens: Tokens::default(),
        cost_usd: None,
        seconds: 0.0,
        tools: Vec::new(),
        notes: Vec::new(),
    };
    let unknown = unknown_tools(scenario);
    if matches!(mode, Mode::Scripted { .. }) && !unknown.is_empty() {
        report.verdict = Verdict::NotRun;
        report.reasons.push(format!(
            "this server's phone AI has no tool {}",
            unknown.join(", ")
        ));
        return report;
    }
    let played = match mode {
        Mode::Scripted { check } => scripted::play(scenario, *check).await,
        Mode::Live(cfg) => live::play(scenario, cfg).await,
        Mode::Voice(cfg) => voice::play(scenario, cfg).await,
    };
    let (stage, played) = match played {
        Ok(p) => p,
        Err(e) => {
            report.verdict = Verdict::Fail;
            report
                .reasons
                .push(format!("could not set the scenario up: {e:#}"));
            report.seconds = began.elapsed().as_secs_f64();
            return report;
        }
    };
    if let Some(why) = &played.not_run {
        stage.stop().await;
        report.verdict = Verdict::NotRun;
        report.reasons.push(why.clone());
        report.seconds = began.elapsed().as_secs_f64();
        return report;
    }
    let mut reasons = played.reasons.clone();
    match check_end_state(scenario, &stage, &played).await {
        Ok(end) => {
            reasons.extend(end.reasons);
            report.order_match = end.order_match;
        }
        Err(e) => reasons.push(format!("reading the end state: {e:#}")),
    }
    stage.stop().await;
    report.tool_calls = played.tools.len();
    report.tool_errors = played
        .tools
        .iter()
        .filter(|t| is_refusal(&t.answer))
        .count();
    report.turns = played.turns;
    report.responses = played.responses;
    report.tokens = played.tokens;
    if let Mode::Live(cfg) = mode {
        report.cost_usd = Some(cfg.prices.cost(&played.tokens));
    }
    report.tools = played.tools;
    report.notes = played.notes;
    report.verdict = if reasons.is_empty() {
        Verdict::Pass
    } else {
        Verdict::Fail
    };
    report.reasons = reasons;
    report.seconds = began.elapsed().as_secs_f64();
    report
}

struct EndState {
    reasons: Vec<String>,
    order_match: Option<bool>,
}

/// Reads the board, the call log and the call cards and compares them with the scenario.
async fn check_end_state(
    scenario: &Scenario,
    stage: &Stage,
    played: &Played,
) -> anyhow::Result<EndState> {
    let expect = &scenario.expect;
    let mut reasons = Vec::new();
    let orders = stage.orders().await?;
    let mut order_match = None;
    if let Some(want) = &expect.orders {
        let diffs = contains(&Value::Array(want.clone()), &Value::Array(orders.clone()));
        order_match = Some(diffs.is_empty());
        reasons.extend(
            diffs
                .into_iter()
                .map(|d| format!("board: orders{}", d.trim_start_matches("the answer"))),
        );
    }
    for (i, want) in expect.calls.iter().enumerate() {
        let Some(sid) = played.call_sids.get(i) else {
            reasons.push(format!("call log: call {} never happened", i + 1));
            continue;
        };
        let log = stage.call_log(sid).await?;
        reasons.extend(
            contains(want, &log)
                .into_iter()
                .map(|d| format!("call log, call {}: {d}", i + 1)),
        );
    }
    let cards = if scenario.needs_call_cards() {
        stage.call_cards().await?
    } else {
        None
    };
    if let (Some(want), Some(got)) = (&expect.call_cards, &cards) {
        reasons.extend(
            contains(&Value::Array(want.clone()), &Value::Array(got.clone()))
                .into_iter()
                .map(|d| format!("call cards{}", d.trim_start_matches("the answer"))),
        );
    }
    let before = stage.before.len();
    for never in &expect.never {
        match never {
            Never::OrderPlaced if orders.len() > before => reasons.push(format!(
                "an order was placed ({} on the board, the shop had {before})",
                orders.len()
            )),
            Never::OrderChanged => {
                for was in &stage.before {
                    let now = orders.iter().find(|o| o["id"] == was["id"]);
                    let same = now.is_some_and(|o| {
                        ["status", "total", "items", "note"]
                            .iter()
                            .all(|k| o[k] == was[k])
                    });
                    if !same {
                        reasons.push(format!(
                            "order #{} changed: it was {} and is now {}",
                            was["number"],
                            short(&summary(was)),
                            now.map_or_else(|| "gone".to_string(), |o| short(&summary(o)))
                        ));
                    }
                }
            }
            Never::ToolError => {
                for t in played.tools.iter().filter(|t| is_refusal(&t.answer)) {
                    reasons.push(format!(
                        "call {} turn {}: `{}` answered {}",
                        t.call,
                        t.turn,
                        t.tool,
                        short(&t.answer)
                    ));
                }
            }
            Never::CallCard => {
                if let Some(cards) = cards.as_ref().filter(|c| !c.is_empty()) {
                    reasons.push(format!(
                        "a call card was made: {}",
                        short(&Value::Array(cards.clone()))
                    ));
                }
            }
            Never::Transfer => {
                let dialled = stage
                    .rest
                    .requests()
                    .iter()
                    .any(|r| r.field("Twiml").is_some_and(|t| t.contains("<Dial")));
                if dialled {
                    reasons.push("the call was transferred to the shop's phone".to_string());
                }
            }
            Never::OrderPlaced => {}
        }
    }
    Ok(EndState {
        reasons,
        order_match,
    })
}

/// An order's status, total and lines, for a message.
fn summary(order: &Value) -> Value {
    let lines: Vec<Value> = order["items"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|l| {
                    serde_json::json!(format!(
                        "{}x {} {}",
                        l["quantity"], l["item_id"], l["size_id"]
                    ))
                })
                .collect()
        })
        .unwrap_or_default();
    serde_json::json!({"status": order["status"], "total": order["total"], "items": lines})
}
