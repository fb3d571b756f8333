//! The scenario file: one phone call (or a few from one number) written down as data — who
//! calls, how the shop stands, what the caller says turn by turn, which tools the scripted
//! AI calls with which expected answers, and how the board, the call log and the call cards
//! must look afterwards. YAML or JSON, the same fields.

use anyhow::{Context, bail};
use serde::Deserialize;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// One scenario, as read from its file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// A short unique name (the report's key), e.g. `deal3-premium-malai-boti`.
    pub name: String,
    /// What the scenario shows, in a sentence.
    #[serde(default)]
    pub about: String,
    /// The caller's number (`+923001234567`, Pakistani local forms too), or `withheld`.
    pub caller: String,
    /// How the shop stands when the first call comes in.
    #[serde(default)]
    pub shop: Shop,
    /// The calls, in order (a dropped call and its ring-back are two).
    pub calls: Vec<CallScript>,
    /// The end state.
    #[serde(default)]
    pub expect: Expect,
    /// The file it came from (set when loading).
    #[serde(skip)]
    pub file: PathBuf,
}

/// The shop before the first call.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Shop {
    /// The shop's local time (UTC+05:00) when the first call starts, `2026-12-04 20:30`;
    /// the clock runs on from there. Left out: the real time.
    #[serde(default)]
    pub local_time: Option<String>,
    /// Settings as `PUT /api/settings` takes them (hours, zones, payment methods, …).
    #[serde(default)]
    pub settings: Option<Value>,
    /// Menu availability changes as `PUT /api/menu/availability` takes them.
    #[serde(default)]
    pub availability: Vec<Value>,
    /// Orders already on the board (today's numbers 1, 2, … in this order).
    #[serde(default)]
    pub orders: Vec<ExistingOrder>,
}

/// An order placed before the call, through the kitchen API.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExistingOrder {
    /// The `POST /api/orders` body (with `customer_phone` for the caller's own orders).
    pub order: Value,
    /// Moved on the board to this status afterwards (`preparing`, `ready`, `delivered`, `cancelled`).
    #[serde(default)]
    pub status: Option<String>,
}

/// One call from the scenario's number (or `caller`, when given).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CallScript {
    /// Another number for this call only.
    #[serde(default)]
    pub caller: Option<String>,
    /// The turns, in order.
    pub turns: Vec<Turn>,
}

/// One caller turn and the AI's answer to it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Turn {
    /// What the caller says (in CI it goes to the call log as the caller's transcript; with
    /// `--live` it is what the model reads).
    #[serde(default)]
    pub caller: String,
    /// Keys pressed on the phone's keypad before speaking (`03001234567#`).
    #[serde(default)]
    pub keypad: Option<String>,
    /// What happens in the kitchen before this turn (an order started, an item sold out).
    #[serde(default)]
    pub kitchen: Vec<KitchenAction>,
    /// What the scripted AI does: tool calls and speech, in order.
    #[serde(default)]
    pub ai: Vec<AiStep>,
    /// The caller hangs up after this turn (a dropped call).
    #[serde(default)]
    pub hang_up: bool,
}

/// A change made from the board or the menu page between two turns. Written as a map with
/// one key (`availability: {…}`), as YAML readers expect without tags.
#[derive(Debug, Clone, Deserialize)]
#[serde(try_from = "KitchenActionMap")]
pub enum KitchenAction {
    /// Moves today's order `order_number` to `status`.
    SetStatus {
        /// Today's number.
        order_number: u32,
        /// The new status.
        status: String,
    },
    /// A `PUT /api/menu/availability` body.
    Availability(Value),
    /// A `PUT /api/settings` body.
    Settings(Value),
}

/// [`KitchenAction`] as written: exactly one of its keys.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct KitchenActionMap {
    set_status: Option<SetStatusArgs>,
    availability: Option<Value>,
    settings: Option<Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SetStatusArgs {
    order_number: u32,
    status: String,
}

impl TryFrom<KitchenActionMap> for KitchenAction {
    type Error = String;

    fn try_from(m: KitchenActionMap) -> Result<Self, Self::Error> {
        match (m.set_status, m.availability, m.settings) {
            (Some(s), None, None) => Ok(KitchenAction::SetStatus {
                order_number: s.order_number,
                status: s.status,
            }),
            (None, Some(a), None) => Ok(KitchenAction::Availability(a)),
            (None, None, Some(s)) => Ok(KitchenAction::Settings(s)),
            _ => {
                Err("a kitchen action has exactly one of set_status, availability, settings".into())
            }
        }
    }
}

/// One thing the scripted AI does.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AiStep {
    /// A tool to call.
    #[serde(default)]
    pub tool: Option<String>,
    /// Its arguments; a text `"$field"` is replaced by the last value of `field` in any
    /// earlier tool answer (`"$quote_id"`, `"$order_number"`).
    #[serde(default)]
    pub args: Option<Value>,
    /// What the answer must contain (see [`super::check::contains`]).
    #[serde(default)]
    pub expect: Option<Value>,
    /// Names for fields of this answer, kept for later `"$name"`s: `{first_quote: quote_id}`.
    #[serde(default)]
    pub remember: std::collections::BTreeMap<String, String>,
    /// Words the AI speaks.
    #[serde(default)]
    pub say: Option<String>,
}

/// The end state.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// Every order on the board at the end (the shop's earlier ones too), by number; each
    /// must contain what is written. Left out: not checked.
    #[serde(default)]
    pub orders: Option<Vec<Value>>,
    /// Each call's log entry, in call order (`outcome`, …).
    #[serde(default)]
    pub calls: Vec<Value>,
    /// Every open call card, oldest first. Left out: not checked.
    #[serde(default)]
    pub call_cards: Option<Vec<Value>>,
    /// What must not happen.
    #[serde(default)]
    pub never: Vec<Never>,
}

/// Something that must not happen in a scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Never {
    /// An order placed during the calls.
    OrderPlaced,
    /// An earlier order's status, lines or total changed.
    OrderChanged,
    /// A tool answered `"ok": false`.
    ToolError,
    /// A call card made.
    CallCard,
    /// The call handed to the shop's phone.
    Transfer,
}

impl Scenario {
    /// Every tool the scripted AI calls.
    pub fn tools(&self) -> impl Iterator<Item = &str> {
        self.calls
            .iter()
            .flat_map(|c| &c.turns)
            .flat_map(|t| &t.ai)
            .filter_map(|s| s.tool.as_deref())
    }

    /// Whether the end state speaks of call cards.
    pub fn needs_call_cards(&self) -> bool {
        self.expect.call_cards.is_some() || self.expect.never.contains(&Never::CallCard)
    }

    /// Checks what serde cannot: each AI step is a tool or speech, there is something to
    /// do, times parse.
    fn validate(&self) -> anyhow::Result<()> {
        if self.name.trim().is_empty() {
            bail!("`name` is empty");
        }
        if self.calls.is_empty() {
            bail!("no `calls`");
        }
        for (c, call) in self.calls.iter().enumerate() {
            if call.turns.is_empty() {
                bail!("call {} has no turns", c + 1);
            }
            for (t, turn) in call.turns.iter().enumerate() {
                for step in &turn.ai {
                    match (&step.tool, &step.say) {
                        (Some(_), None) | (None, Some(_)) => {}
                        _ => bail!(
                            "call {} turn {}: each `ai` step is either `tool` (with `args`, `expect`) or `say`",
                            c + 1,
                            t + 1
                        ),
                    }
                    if step.tool.is_none()
                        && (step.args.is_some()
                            || step.expect.is_some()
                            || !step.remember.is_empty())
                    {
                        bail!(
                            "call {} turn {}: `args`, `expect` and `remember` belong to a `tool` step",
                            c + 1,
                            t + 1
                        );
                    }
                }
                if let Some(keys) = &turn.keypad
                    && let Some(bad) = keys
                        .chars()
                        .find(|k| !(k.is_ascii_digit() || *k == '*' || *k == '#'))
                {
                    bail!(
                        "call {} turn {}: `keypad` has {bad:?}; only 0-9, * and #",
                        c + 1,
                        t + 1
                    );
                }
            }
        }
        if let Some(t) = &self.shop.local_time {
            parse_local_time(t)?;
        }
        Ok(())
    }
}

/// `2026-12-04 20:30` or `2026-12-04T20:30[:00]`.
pub fn parse_local_time(text: &str) -> anyhow::Result<chrono::NaiveDateTime> {
    let t = text.trim().replace('T', " ");
    chrono::NaiveDateTime::parse_from_str(&t, "%Y-%m-%d %H:%M")
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(&t, "%Y-%m-%d %H:%M:%S"))
        .with_context(|| format!("`local_time` {text:?} is not like 2026-12-04 20:30"))
}

/// Reads one scenario file (`.yaml`, `.yml` or `.json`).
pub fn load_file(path: &Path) -> anyhow::Result<Scenario> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading the scenario {}", path.display()))?;
    let is_json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let mut scenario: Scenario = if is_json {
        serde_json::from_str(&text)
            .with_context(|| format!("{}: not a scenario", path.display()))?
    } else {
        serde_norway::from_str(&text)
            .with_context(|| format!("{}: not a scenario", path.display()))?
    };
    scenario
        .validate()
        .with_context(|| format!("{}: not a scenario", path.display()))?;
    scenario.file = path.to_path_buf();
    Ok(scenario)
}

/// The scenario files among `paths`: files as given, folders searched (not recursively)
/// for `.yaml`, `.yml` and `.json`, sorted by name. Names must be unique.
pub fn load_all(paths: &[PathBuf]) -> anyhow::Result<Vec<Scenario>> {
    let mut files = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(p)
                .with_context(|| format!("reading the folder {}", p.display()))?
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|f| {
                    f.is_file()
                        && f.extension()
                            .and_then(|e| e.to_str())
                            .is_some_and(|e| matches!(e, "yaml" | "yml" | "json"))
                })
                .collect();
            found.sort();
            files.extend(found);
        } else {
            files.push(p.clone());
        }
    }
    if files.is_empty() {
        bail!("no scenario files (.yaml, .yml, .json) in the paths given");
    }
    let mut scenarios = Vec::with_capacity(files.len());
    let mut problems = Vec::new();
    for f in &files {
        match load_file(f) {
            Ok(s) => scenarios.push(s),
            Err(e) => problems.push(format!("{e:#}")),
        }
    }
    let mut names: Vec<&str> = scenarios.iter().map(|s| s.name.as_str()).collect();
    names.sort_unstable();
    for pair in names.windows(2) {
        if pair[0] == pair[1] {
            problems.push(format!("two scenarios are called {:?}", pair[0]));
        }
    }
    if !problems.is_empty() {
        bail!("{}", problems.join("\n"));
    }
    Ok(scenarios)
}
