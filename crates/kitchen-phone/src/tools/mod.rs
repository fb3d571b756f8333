//! The phone AI's function tools, generated from the live menu and the shop's settings so
//! the model can only name items, sizes, options, deals, zones and payment methods that
//! exist and are on ([`schema`]), plus the parsing of its arguments ([`parse`]) and the JSON
//! texts we send back as `function_call_output` ([`output`]).
//!
//! `update_order` takes the complete order as the caller now wants it and replaces the
//! call's server-held draft ([`crate::draft`]); the relay prices it with
//! [`NewOrder::price`](kitchen_domain::NewOrder::price) and answers with [`draft_output`]
//! (the bill, what is missing, a suggestion, the `quote_id`). `confirm_order` places exactly
//! that quote and answers with [`placed_output`] or [`confirm_refused_output`]. Every output
//! says what to do next, in words.

mod args;
mod orders;
mod output;
mod parse;
mod schema;
#[cfg(test)]
mod tests;

pub use args::{
    ConfirmRequest, TransferRequest, UpdateRequest, parse_confirm_arguments,
    parse_transfer_arguments, parse_update_arguments,
};
pub use orders::{
    CancelRefusal, CancelRequest, LOOKUP_HOURS, cancel_refused_output, cancelled_output,
    check_cancel, lookup_output, lookup_withheld_output, parse_cancel_arguments,
};
pub use output::{
    confirm_refused_output, draft_output, error_output, keypad_notice, placed_output,
    validation_output,
};
pub use parse::parse_order_arguments;

/// Rupees as the tools' JSON says them (whole rupees as an integer).
pub fn rupees_value(m: kitchen_domain::Money) -> Value {
    output::rupees(m)
}

use kitchen_domain::{CallOutcome, Menu, ShopSettings};
use serde_json::{Value, json};
use voice_protocol::realtime::session::Tool;

/// The phone AI's tools: the only place their wire names are spelled out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ToolName {
    /// Replaces the call's draft with the whole order and prices it, saving nothing (run
    /// by the driver).
    UpdateOrder,
    /// Places exactly a quote `update_order` gave (run by the driver).
    ConfirmOrder,
    /// Lists this caller's orders of the last hours (run by the driver).
    LookupOrders,
    /// Cancels this caller's own order while it is `new` (run by the driver).
    CancelOrder,
    /// Hangs up after the goodbye (handled by the session).
    EndCall,
    /// Hands the call to a person at the shop (handled by the session).
    TransferToHuman,
}

impl ToolName {
    /// Every tool, in the order they are offered.
    pub const ALL: [ToolName; 6] = [
        ToolName::UpdateOrder,
        ToolName::ConfirmOrder,
        ToolName::LookupOrders,
        ToolName::CancelOrder,
        ToolName::EndCall,
        ToolName::TransferToHuman,
    ];

    /// The function name the model sees and calls.
    pub const fn as_str(self) -> &'static str {
        match self {
            ToolName::UpdateOrder => "update_order",
            ToolName::ConfirmOrder => "confirm_order",
            ToolName::LookupOrders => "lookup_orders",
            ToolName::CancelOrder => "cancel_order",
            ToolName::EndCall => "end_call",
            ToolName::TransferToHuman => "transfer_to_human",
        }
    }
}

impl std::fmt::Display for ToolName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A function name the model called that is none of ours.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("there is no tool called `{0}`")]
pub struct UnknownTool(pub String);

impl std::str::FromStr for ToolName {
    type Err = UnknownTool;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        ToolName::ALL
            .into_iter()
            .find(|t| t.as_str() == name)
            .ok_or_else(|| UnknownTool(name.to_string()))
    }
}

/// Longest arguments text we read; a real order is well under 4 KB.
pub const MAX_ARGUMENTS_LEN: usize = 64 * 1024;

/// The shape the model should send, quoted in every error so it can correct itself.
const SHAPE_HINT: &str = r#"send {"items":[{"item_id":"…","size_id":"…","quantity":1,"options":[{"group":"…","option":"…"}]},{"deal_id":"…","quantity":1,"choices":[{"slot":"…","item_id":"…"}]}],"fulfilment":{"type":"delivery","address":"…","landmark":"…","zone_id":"…"},"payment":{"method":"cash","pays_with":5000},"customer_name":"…"}"#;

/// Why the model's arguments could not be read as an order. The text tells the AI what to
/// send instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ToolError {
    /// The arguments are not JSON at all.
    #[error("the arguments are not valid JSON: {0}; {SHAPE_HINT}")]
    NotJson(String),
    /// The arguments are absurdly long.
    #[error("the arguments are {0} bytes long, far more than an order; {SHAPE_HINT}")]
    TooLong(usize),
    /// JSON, but not shaped like an order.
    #[error("the arguments do not fit the order: {0}; {SHAPE_HINT}")]
    Shape(String),
}

/// The tools for one call: `update_order` and `confirm_order` (omitted when nothing on the
/// menu is available, so the model cannot try), `lookup_orders` and `cancel_order` (the
/// caller's own orders), `end_call`, and `transfer_to_human` (to the shop's phone when it
/// has one, else a call-back card on the board). The order's schema comes from the live
/// menu and the shop's settings (zones, pickup, payment methods, tax).
pub fn tool_definitions(menu: &Menu, shop: &ShopSettings, can_transfer: bool) -> Vec<Tool> {
    let mut tools = Vec::with_capacity(6);
    if crate::catalogue::items(menu).next().is_some() {
        tools.push(Tool::function(
            ToolName::UpdateOrder.as_str(),
            format!(
                "Set the call's order to the WHOLE order as the caller wants it now (every \
                 item and deal with its options; delivery or pickup, payment and name as soon \
                 as you know them). Call it after every change. It saves nothing to the \
                 kitchen. Returns the priced bill, the total in Urdu words (total_spoken_ur), \
                 `missing` (what you must still ask), at most one `suggestion`, the \
                 callback number, and a quote_id for {confirm}. The caller's number comes \
                 from the call: only send callback_number when the caller gives another \
                 number or theirs is withheld, and callback_confirmed=true once they said yes \
                 to the number read back.",
                confirm = ToolName::ConfirmOrder
            ),
            schema::update_parameters(menu, shop),
        ));
        tools.push(Tool::function(
            ToolName::ConfirmOrder.as_str(),
            format!(
                "Place the order exactly as the quote_id of the last {update} answer, only \
                 after you read that bill back and the caller clearly said yes. Returns the \
                 order number and time: tell them to the caller only after this succeeds. \
                 Refused (nothing placed) if the quote is not the latest, the menu or prices \
                 changed, something is still missing, or the shop is closed.",
                update = ToolName::UpdateOrder
            ),
            schema::confirm_parameters(),
        ));
    }
    tools.push(Tool::function(
        ToolName::LookupOrders.as_str(),
        format!(
            "List the orders placed from the number this call comes from in the last {LOOKUP_HOURS} \
             hours: number, status, minutes since ordered, minutes still to go, items, and \
             whether each can still be cancelled or changed. Call it when the caller asks \
             about an order they placed (where is it, how long). The number is known from \
             the call: never ask for it."
        ),
        no_parameters(),
    ));
    tools.push(Tool::function(
        ToolName::CancelOrder.as_str(),
        format!(
            "Cancel one of the caller's own orders. Call it only when the caller asks to \
             cancel, with the order number they said or {lookup} showed (never a guessed \
             number) and their reason. Only an order placed from this call's number that the \
             kitchen has not started can be cancelled; otherwise nothing changes and the \
             answer says why.",
            lookup = ToolName::LookupOrders
        ),
        orders::cancel_parameters(),
    ));
    tools.push(Tool::function(
        ToolName::EndCall.as_str(),
        "Hang up. Call it only after saying goodbye (Allah Hafiz), when the caller has \
         nothing more to ask, with how the call went: ordered (an order was placed), status \
         (they asked about an order), cancelled, changed, enquiry (a question, no order), \
         complaint, transferred, wrong_number.",
        end_call_parameters(),
    ));
    tools.push(Tool::function(
        ToolName::TransferToHuman.as_str(),
        if can_transfer {
            "Hand the call to a person at the shop: the caller asks for one, has a complaint, \
             wants a catering-size order, or you could not help after trying. First tell the \
             caller in their language that you are connecting them. The reason and a short \
             summary (what they want, the order so far) show on the kitchen's board."
        } else {
            "No one at the shop can take calls now: this puts a call-back card on the kitchen's \
             board with the reason and a short summary, for the caller who asks for a person, \
             has a complaint, wants a catering-size order, or you could not help. Then tell \
             the caller the shop will call them back, say goodbye and end the call."
        },
        args::transfer_parameters(),
    ));
    tools
}

/// The outcomes `end_call` takes, as the model names them.
pub const END_CALL_OUTCOMES: [CallOutcome; 8] = [
    CallOutcome::Ordered,
    CallOutcome::Status,
    CallOutcome::Cancelled,
    CallOutcome::Changed,
    CallOutcome::Enquiry,
    CallOutcome::Complaint,
    CallOutcome::Transferred,
    CallOutcome::WrongNumber,
];

fn end_call_parameters() -> Value {
    let names: Vec<&str> = END_CALL_OUTCOMES.iter().map(|o| o.as_str()).collect();
    json!({
        "type": "object",
        "properties": {"outcome": {"type": "string", "enum": names}},
        "required": ["outcome"],
        "additionalProperties": false
    })
}

/// The outcome the model gave `end_call`, or why there is none (a clear sentence for the
/// log: the call ends either way).
pub fn parse_end_call_arguments(arguments: &str) -> Result<CallOutcome, String> {
    let value: Value = serde_json::from_str(arguments)
        .map_err(|e| format!("arguments are not JSON: {}", clip(&e.to_string())))?;
    let Some(given) = value.get("outcome") else {
        return Err("no `outcome`".to_string());
    };
    given
        .as_str()
        .and_then(CallOutcome::parse)
        .filter(|o| END_CALL_OUTCOMES.contains(o))
        .ok_or_else(|| {
            format!(
                "`outcome` {} is not one of the outcomes",
                clip(&given.to_string())
            )
        })
}

fn no_parameters() -> Value {
    json!({"type": "object", "properties": {}, "additionalProperties": false})
}

fn clip(s: &str) -> String {
    s.chars().take(200).collect()
}
