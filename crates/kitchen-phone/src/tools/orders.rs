//! The caller's own orders: `lookup_orders` (what they ordered in the last hours and where
//! it stands) and `cancel_order` (only their own order, only while it is `new`). The
//! caller's number always comes from the call, never from the model's arguments.

use super::{MAX_ARGUMENTS_LEN, ToolName, clip};
use chrono::{DateTime, Utc};
use kitchen_domain::{Order, OrderStatus, PhoneNumber};
use serde_json::{Value, json};

/// How far back `lookup_orders` looks.
pub const LOOKUP_HOURS: i64 = 12;

/// What `cancel_order` asks for: today's order number and the caller's reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CancelRequest {
    /// The order's daily number (`#17`).
    pub order_number: u32,
    /// Why the caller cancels (never empty).
    pub reason: String,
}

const CANCEL_SHAPE: &str =
    r#"send {"order_number":17,"reason":"…"}: the number the caller gave and why they cancel"#;

/// `cancel_order`'s parameters.
pub(super) fn cancel_parameters() -> Value {
    json!({
        "type": "object",
        "properties": {
            "order_number": {
                "type": "integer",
                "minimum": 1,
                "description": "Today's order number, as the caller said it or lookup_orders showed it."
            },
            "reason": {
                "type": "string",
                "description": "Why the caller cancels, in their words (in short)."
            }
        },
        "required": ["order_number", "reason"],
        "additionalProperties": false
    })
}

/// Reads `cancel_order`'s arguments: `order_number` as a number or a text like `"#17"`,
/// `reason` a non-empty text (trimmed, at most 200 characters). Never panics.
pub fn parse_cancel_arguments(arguments: &str) -> Result<CancelRequest, String> {
    if arguments.len() > MAX_ARGUMENTS_LEN {
        return Err(format!(
            "the arguments are {} bytes long, far more than a cancel; {CANCEL_SHAPE}",
            arguments.len()
        ));
    }
    let value: Value = serde_json::from_str(arguments).map_err(|e| {
        format!(
            "the arguments are not valid JSON: {}; {CANCEL_SHAPE}",
            clip(&e.to_string())
        )
    })?;
    let Value::Object(args) = value else {
        return Err(format!(
            "the arguments must be a JSON object; {CANCEL_SHAPE}"
        ));
    };
    let number = match args.get("order_number") {
        Some(Value::Number(n)) => n.as_u64(),
        Some(Value::String(s)) => s.trim().trim_start_matches('#').trim().parse::<u64>().ok(),
        _ => None,
    }
    .and_then(|n| u32::try_from(n).ok())
    .filter(|n| *n > 0);
    let Some(order_number) = number else {
        return Err(format!(
            "`order_number` must be the order's number as the caller said it (a whole number \
             such as 17); if they do not know it, call {lookup} instead of guessing; \
             {CANCEL_SHAPE}",
            lookup = ToolName::LookupOrders
        ));
    };
    let reason = match args.get("reason") {
        Some(Value::String(s)) => clip(s.trim()),
        _ => String::new(),
    };
    if reason.is_empty() {
        return Err(format!(
            "`reason` is empty: a cancel needs the reason. Ask the caller why they want to \
             cancel, then call {cancel} again; {CANCEL_SHAPE}",
            cancel = ToolName::CancelOrder
        ));
    }
    Ok(CancelRequest {
        order_number,
        reason,
    })
}

/// Why `cancel_order` refused: nothing was changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CancelRefusal {
    /// Today has no order with that number.
    NotFound(u32),
    /// The order was not placed from the number this call comes from (or the number is
    /// withheld, so it cannot be checked).
    NotThisCaller(u32),
    /// The kitchen has started it (or it is finished): only a person can help now.
    AlreadyStarted(u32, OrderStatus),
}

/// Whether the caller on `caller` may cancel today's order numbered `number` (`order`, as
/// the store found it): the order's id, or why not. Someone else's order is refused before
/// anything about it (its status) is told.
pub fn check_cancel(
    order: Option<&Order>,
    number: u32,
    caller: &PhoneNumber,
) -> Result<i64, CancelRefusal> {
    let order = order.ok_or(CancelRefusal::NotFound(number))?;
    let ours =
        matches!(caller, PhoneNumber::E164(_)) && order.customer_phone.as_ref() == Some(caller);
    if !ours {
        return Err(CancelRefusal::NotThisCaller(number));
    }
    if order.status != OrderStatus::New {
        return Err(CancelRefusal::AlreadyStarted(number, order.status));
    }
    Ok(order.id)
}

/// The refusal as the model reads it: a code, what happened, and what to do next.
pub fn cancel_refused_output(refusal: &CancelRefusal) -> String {
    let transfer = ToolName::TransferToHuman;
    let lookup = ToolName::LookupOrders;
    let body = match refusal {
        CancelRefusal::NotFound(n) => json!({
            "ok": false,
            "code": "not_found",
            "order_number": n,
            "error": format!("there is no order number {n} today; nothing was changed"),
            "next": format!(
                "Tell the caller in Urdu that you cannot find order number {n}. Call {lookup} \
                 to see the orders from their number; never guess a number."
            ),
        }),
        CancelRefusal::NotThisCaller(n) => json!({
            "ok": false,
            "code": "not_this_caller",
            "order_number": n,
            "error": format!(
                "order number {n} was not placed from the number this call comes from; nothing \
                 was changed"
            ),
            "next": format!(
                "Tell the caller in Urdu that an order can only be cancelled from the number it \
                 was placed from. If they need more help, call {transfer}."
            ),
        }),
        CancelRefusal::AlreadyStarted(n, status) => json!({
            "ok": false,
            "code": "already_started",
            "order_number": n,
            "status": status.as_str(),
            "error": format!(
                "order number {n} is already {} in the kitchen, so it can no longer be \
                 cancelled by phone; nothing was changed",
                status.as_str()
            ),
            "next": format!(
                "Tell the caller in Urdu that the kitchen has already started on order {n}, so \
                 you cannot cancel it yourself; offer to connect them to a person at the shop \
                 and call {transfer} if they want."
            ),
        }),
    };
    body.to_string()
}

/// A cancel that went through: the order as saved (now `cancelled`).
pub fn cancelled_output(order: &Order) -> String {
    let n = order.number;
    json!({
        "ok": true,
        "cancelled": true,
        "order_number": n,
        "status": order.status.as_str(),
        "next": format!(
            "Tell the caller in Urdu that order number {n} is cancelled. Ask if there is \
             anything else; if not, say goodbye and call {}.",
            ToolName::EndCall
        ),
    })
    .to_string()
}

/// `lookup_orders` on a call whose number is withheld: nothing can be looked up.
pub fn lookup_withheld_output() -> String {
    json!({
        "ok": true,
        "orders": [],
        "note": format!(
            "The caller's number is withheld, so their orders cannot be looked up without a \
             number. Tell them so in Urdu; if they need help with an order, call {}.",
            ToolName::TransferToHuman
        ),
    })
    .to_string()
}

/// `lookup_orders`: the caller's orders (newest first, as given), each with its status,
/// age and minutes still to go, a short list of items (Urdu names where known), and whether
/// it can still be cancelled or changed (only while `new`). `fallback_eta_minutes` stands in
/// for an order saved before ETAs were kept.
pub fn lookup_output(orders: &[Order], now: DateTime<Utc>, fallback_eta_minutes: u32) -> String {
    let list: Vec<Value> = orders
        .iter()
        .map(|o| {
            let age = now.signed_duration_since(o.created_at).num_minutes().max(0);
            let eta = i64::from(o.eta_minutes.unwrap_or(fallback_eta_minutes));
            let left = match o.status {
                OrderStatus::Delivered | OrderStatus::Cancelled => 0,
                _ => (eta - age).max(0),
            };
            let open = o.status == OrderStatus::New;
            json!({
                "order_number": o.number,
                "status": o.status.as_str(),
                "age_minutes": age,
                "eta_minutes_left": left,
                "items": items_text(o),
                "can_cancel": open,
                "can_change": open,
            })
        })
        .collect();
    let note = if list.is_empty() {
        format!(
            "No order from the number this call comes from in the last {LOOKUP_HOURS} hours. \
             Tell the caller in Urdu; if they ordered from another number, you cannot look it \
             up: offer to connect them to a person ({}).",
            ToolName::TransferToHuman
        )
    } else {
        format!(
            "Tell the caller in Urdu where the order they ask about stands (status, and about \
             eta_minutes_left minutes more). Cancel only if they ask, only an order with \
             can_cancel true, with {cancel}; for any other order they want cancelled or \
             changed, offer {transfer}.",
            cancel = ToolName::CancelOrder,
            transfer = ToolName::TransferToHuman
        )
    };
    json!({"ok": true, "orders": list, "note": note}).to_string()
}

/// `2× چکن تکہ لارج, 1× کوک 1.5 لیٹر`: each line's quantity, name and size, in Urdu where
/// the order kept the Urdu.
fn items_text(order: &Order) -> String {
    fn pick<'a>(ur: Option<&'a str>, en: &'a str) -> &'a str {
        ur.map(str::trim).filter(|s| !s.is_empty()).unwrap_or(en)
    }
    order
        .lines
        .iter()
        .map(|l| {
            let name = pick(l.name_ur.as_deref(), &l.name);
            let size = pick(l.size_label_ur.as_deref(), &l.size_label);
            if size.is_empty() {
                format!("{}× {name}", l.quantity)
            } else {
                format!("{}× {name} {size}", l.quantity)
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}
