//! Call cards: a call the kitchen must do something about, shown on the board until someone
//! marks it done. The phone side makes one when a caller hangs up with an order half taken
//! (`unfinished_order`), when the AI puts a caller through to the shop's phone (`transfer`),
//! and when it cannot (no shop phone) and promises that the shop will call back
//! (`call_back`). Plain data: the store keeps them, the API and the board show them.

use crate::money::Money;
use serde::{Deserialize, Serialize};

/// Why a call needs the kitchen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum CallCardKind {
    /// The caller hung up with items in the draft and no order placed: ring them back to
    /// finish it. Resolved by itself when an order from the same phone is placed later.
    UnfinishedOrder,
    /// The caller was put through to the shop's phone; the summary says what they wanted.
    Transfer,
    /// The caller was promised a call back (no shop phone to transfer to).
    CallBack,
}

impl CallCardKind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            CallCardKind::UnfinishedOrder => "unfinished_order",
            CallCardKind::Transfer => "transfer",
            CallCardKind::CallBack => "call_back",
        }
    }

    /// The kind of a stored name (`None` for any other text).
    pub fn parse(s: &str) -> Option<CallCardKind> {
        Some(match s {
            "unfinished_order" => CallCardKind::UnfinishedOrder,
            "transfer" => CallCardKind::Transfer,
            "call_back" => CallCardKind::CallBack,
            _ => return None,
        })
    }
}

/// A card the phone side asks the kitchen to show: what happened on the call, in a few
/// words, and whom to ring back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCallCard {
    /// Why.
    pub kind: CallCardKind,
    /// The call it came from (Twilio's CallSid).
    pub call_sid: String,
    /// The caller's number in E.164; `None` when unknown (withheld and never given).
    pub phone: Option<String>,
    /// Why the AI handed over (a transfer's or call-back's `reason`), if it said.
    pub reason: Option<String>,
    /// What the kitchen should know: the draft, the complaint, the question.
    pub summary: String,
    /// The draft's total, for an unfinished order.
    pub total: Option<Money>,
}

/// A call card as stored and shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct CallCard {
    /// The card's id (`POST /api/call-cards/{id}/done`).
    #[ts(type = "number")]
    pub id: i64,
    /// Why.
    pub kind: CallCardKind,
    /// The call it came from.
    pub call_sid: String,
    /// Whom to ring back (E.164), when known.
    pub phone: Option<String>,
    /// Why the AI handed over, if it said.
    pub reason: Option<String>,
    /// What the kitchen should know.
    pub summary: String,
    /// The draft's total in paisa, for an unfinished order.
    #[ts(type = "number | null")]
    pub total: Option<Money>,
    /// When it was made (RFC 3339 UTC).
    pub created_at: String,
    /// When it was marked done (RFC 3339 UTC); `null` while open.
    pub done_at: Option<String>,
    /// Who marked it done: a username, or `system` when a later order resolved it.
    pub done_by: Option<String>,
}

impl CallCard {
    /// Whether it still waits for someone.
    pub fn is_open(&self) -> bool {
        self.done_at.is_none()
    }
}

/// Who resolves an unfinished-order card when the caller's order arrives later.
pub const RESOLVED_BY_SYSTEM: &str = "system";

/// One priced draft read back on a call (an `update_order` answer), as the call log shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct CallQuote {
    /// The quote's id within its call (`Q3`), what `confirm_order` names.
    pub quote_id: String,
    /// The bill's lines as read back (`2× Chicken Tikka Large`).
    pub lines: Vec<String>,
    /// The total, paisa.
    #[ts(type = "number")]
    pub total: Money,
    /// What was still missing before it could be placed (`address`, `payment`, …).
    pub missing: Vec<String>,
    /// When (RFC 3339 UTC).
    pub at: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_through_their_stored_and_json_names() {
        for (kind, name) in [
            (CallCardKind::UnfinishedOrder, "unfinished_order"),
            (CallCardKind::Transfer, "transfer"),
            (CallCardKind::CallBack, "call_back"),
        ] {
            assert_eq!(kind.as_str(), name);
            assert_eq!(CallCardKind::parse(name), Some(kind));
            assert_eq!(serde_json::to_value(kind).unwrap(), serde_json::json!(name));
        }
        assert_eq!(CallCardKind::parse("callback"), None);
    }
}
