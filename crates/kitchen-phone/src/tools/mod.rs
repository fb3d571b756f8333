//! The phone AI's function tools, generated from the live menu and the shop's settings so
//! the model can only name items, sizes, options, deals, zones and payment methods that
//! exist and are on ([`schema`]), plus the parsing of its arguments ([`parse`]) and the JSON
//! texts we send back as `function_call_output` ([`output`]).
//!
//! `review_order` and `place_order` both take the complete order in one call; the relay
//! prices it with [`NewOrder::price`](kitchen_domain::NewOrder::price) and answers with
//! [`review_output`] (the bill), [`placed_output`], [`validation_output`] or
//! [`error_output`]. Every output says what to do next, in words.

mod hold;
mod orders;
mod output;
mod parse;
mod schema;
#[cfg(test)]
mod tests;

pub use hold::{
    DEFAULT_HOLD_SECONDS, HOLD_SECONDS, hold_check_in_instructions, hold_output,
    parse_hold_arguments,
};
pub use orders::{
    CancelRefusal, CancelRequest, LOOKUP_HOURS, cancel_refused_output, cancelled_output,
    check_cancel, lookup_output, lookup_withheld_output, parse_cancel_arguments,
};
pub use output::{error_output, placed_output, review_output, validation_output};
pub use parse::parse_order_arguments;

use kitchen_domain::{CallOutcome, Menu, ShopSettings};
use serde_json::{Value, json};
use voice_protocol::realtime::session::Tool;

/// The phone AI's tools: the only place their wire names are spelled out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ToolName {
    /// Checks and prices the complete order without saving it (run by the driver).
    ReviewOrder,
    /// Saves the confirmed order and sends it to the kitchen (run by the driver).
    PlaceOrder,
    /// Lists this caller's orders of the last hours (run by the driver).
    LookupOrders,
    /// Cancels this caller's own order while it is `new` (run by the driver).
    CancelOrder,
    /// Hangs up after the goodbye (handled by the session).
    EndCall,
    /// Hands the call to a person at the shop (handled by the session).
    TransferToHuman,
    /// Pauses the idle prompts while the caller asked to wait (handled by the session).
    Hold,
}

impl ToolName {
    /// Every tool, in the order they are offered.
    pub const ALL: [ToolName; 7] = [
        ToolName::ReviewOrder,
        ToolName::PlaceOrder,
        ToolName::LookupOrders,
        ToolName::CancelOrder,
        ToolName::EndCall,
        ToolName::TransferToHuman,
        ToolName::Hold,
    ];

    /// The function name the model sees and calls.
    pub const fn as_str(self) -> &'static str {
        match self {
            ToolName::ReviewOrder => "review_order",
            ToolName::PlaceOrder => "place_order",
            ToolName::LookupOrders => "lookup_orders",
            ToolName::CancelOrder => "cancel_order",
            ToolName::EndCall => "end_call",
            ToolName::TransferToHuman => "transfer_to_human",
            ToolName::Hold => "hold",
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

/// The tools for one call: `review_order` and `place_order` (omitted when nothing on the
/// menu is available, so the model cannot try), `lookup_orders` and `cancel_order` (the
/// caller's own orders), `end_call`, `transfer_to_human` only when the shop has a number to
/// transfer to, and `hold` (the caller asked to wait). The order's schema comes from the live menu
/// and the shop's settings (zones, pickup, payment methods, tax).
pub fn tool_definitions(menu: &Menu, shop: &ShopSettings, can_transfer: bool) -> Vec<Tool> {
    let mut tools = Vec::with_capacity(ToolName::ALL.len());
    if crate::catalogue::items(menu).next().is_some() {
        let params = schema::order_parameters(menu, shop);
        tools.push(Tool::function(
            ToolName::ReviewOrder.as_str(),
            "Check and price the COMPLETE order (every item and deal with its options, \
             delivery or pickup, how they pay, the customer's name) without saving anything. \
             Returns the bill: its lines, delivery fee, tax, and the total in rupees and in \
             Urdu words (total_spoken_ur): read it back to the caller in Urdu and ask them to \
             confirm. After any change, call it again with the complete corrected order. The \
             caller's phone number is known from the call: never ask for it.",
            params.clone(),
        ));
        tools.push(Tool::function(
            ToolName::PlaceOrder.as_str(),
            format!(
                "Save the COMPLETE order and send it to the kitchen. Call it only after \
                 {review}, and only after the caller clearly said yes to the read-back; send \
                 the same order you reviewed. Returns the order number, the total, the payment \
                 and the delivery or pickup time: tell them to the caller only after this \
                 succeeds, never before. The caller's phone number is known from the call: \
                 never ask for it.",
                review = ToolName::ReviewOrder
            ),
            params,
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
    if can_transfer {
        tools.push(Tool::function(
            ToolName::TransferToHuman.as_str(),
            "Transfer the call to a person at the shop. Call it when the caller asks for a \
             person, or you cannot help them. First tell the caller in Urdu that you are \
             connecting them.",
            no_parameters(),
        ));
    }
    tools.push(Tool::function(
        ToolName::Hold.as_str(),
        hold::description(),
        hold::parameters(),
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
