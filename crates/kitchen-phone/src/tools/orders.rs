//! The caller's own orders: `lookup_orders` (what they ordered in the last hours and where
//! it stands), `cancel_order` and `amend_order` (only their own order, only while it is
//! `new`, checked alike by [`check_own_new_order`]). The caller's number always comes from
//! the call, never from the model's arguments.

use super::output::{rupees, say_total};
use super::{MAX_ARGUMENTS_LEN, ToolName, clip};
use chrono::{DateTime, Utc};
use kitchen_domain::{LineRequest, Order, OrderStatus, PhoneNumber};
use serde_json::{Map, Value, json};

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
    let order_number = order_number(&args, CANCEL_SHAPE)?;
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

/// `order_number` as a number or a text like `"#17"`, or what to send instead (`shape`).
fn order_number(args: &Map<String, Value>, shape: &str) -> Result<u32, String> {
    let number = match args.get("order_number") {
        Some(Value::Number(n)) => n.as_u64(),
        Some(Value::String(s)) => s.trim().trim_start_matches('#').trim().parse::<u64>().ok(),
        _ => None,
    }
    .and_then(|n| u32::try_from(n).ok())
    .filter(|n| *n > 0);
    number.ok_or_else(|| {
        format!(
            "`order_number` must be the order's number as the caller said it (a whole number \
             such as 17); if they do not know it, call {lookup} instead of guessing; {shape}",
            lookup = ToolName::LookupOrders
        )
    })
}

/// What `amend_order` asks for: today's order number, and the lines and/or the note as
/// the order should now be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AmendRequest {
    /// The order's daily number (`#17`).
    pub order_number: u32,
    /// Every line of the order as it should be now (`None`: the lines stay).
    pub items: Option<Vec<LineRequest>>,
    /// The order's note as it should be now (`Some("")` clears it; `None`: it stays).
    pub note: Option<String>,
}

const AMEND_SHAPE: &str = r#"send {"order_number":17,"items":[…every line of the order as it should be now…],"note":"…"}: items and/or note"#;

/// `amend_order`'s parameters: the order number, and the item lines of the order's own
/// schema (`items`, built from the live menu) and a note, each optional.
pub(super) fn amend_parameters(items: Value, note: Value) -> Value {
    let mut items = items;
    if let Some(o) = items.as_object_mut() {
        o.insert(
            "description".into(),
            json!(
                "EVERY line of the order as it should be now (the lines it keeps, with the \
                   change made), not only what changes. lookup_orders gives the order's lines. \
                   Leave out when only the note changes."
            ),
        );
    }
    json!({
        "type": "object",
        "properties": {
            "order_number": {
                "type": "integer",
                "minimum": 1,
                "description": "Today's order number, as the caller said it or lookup_orders showed it."
            },
            "items": items,
            "note": note,
        },
        "required": ["order_number"],
        "additionalProperties": false
    })
}

/// Reads `amend_order`'s arguments: `order_number` as for `cancel_order`, `items` lines
/// read like an order's (see [`super::parse_order_arguments`]), `note` a text (at most 500
/// characters); at least one of `items` and `note`. Never panics.
pub fn parse_amend_arguments(arguments: &str) -> Result<AmendRequest, String> {
    if arguments.len() > MAX_ARGUMENTS_LEN {
        return Err(format!(
            "the arguments are {} bytes long, far more than an order; {AMEND_SHAPE}",
            arguments.len()
        ));
    }
    let value: Value = serde_json::from_str(arguments).map_err(|e| {
        format!(
            "the arguments are not valid JSON: {}; {AMEND_SHAPE}",
            clip(&e.to_string())
        )
    })?;
    let Value::Object(args) = value else {
        return Err(format!(
            "the arguments must be a JSON object; {AMEND_SHAPE}"
        ));
    };
    let order_number = order_number(&args, AMEND_SHAPE)?;
    let items = match args.get("items") {
        None | Some(Value::Null) => None,
        Some(items) => Some(
            super::parse::parse_lines(items)
                .map_err(|problems| format!("{}; {AMEND_SHAPE}", problems.join("; ")))?,
        ),
    };
    if items.as_ref().is_some_and(Vec::is_empty) {
        return Err(format!(
            "`items` is empty: it must list every line the order keeps. To take everything \
             off, call {cancel} instead; {AMEND_SHAPE}",
            cancel = ToolName::CancelOrder
        ));
    }
    let note = match args.get("note") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.trim().chars().take(500).collect::<String>()),
        Some(_) => return Err(format!("`note` must be a string; {AMEND_SHAPE}")),
    };
    if items.is_none() && note.is_none() {
        return Err(format!(
            "nothing to change: give `items` (every line as it should be now) and/or `note`; \
             {AMEND_SHAPE}"
        ));
    }
    Ok(AmendRequest {
        order_number,
        items,
        note,
    })
}

/// Why `cancel_order` or `amend_order` refused: nothing was changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OwnOrderRefusal {
    /// Today has no order with that number.
    NotFound(u32),
    /// The order was not placed from the number this call comes from (or the number is
    /// withheld, so it cannot be checked).
    NotThisCaller(u32),
    /// The kitchen has started it (or it is finished): only a person can help now.
    AlreadyStarted(u32, OrderStatus),
}

/// Whether the caller on `caller` may cancel or change today's order numbered `number`
/// (`order`, as the store found it): the order's id, or why not. Someone else's order is
/// refused before anything about it (its status) is told.
pub fn check_own_new_order(
    order: Option<&Order>,
    number: u32,
    caller: &PhoneNumber,
) -> Result<i64, OwnOrderRefusal> {
    let order = order.ok_or(OwnOrderRefusal::NotFound(number))?;
    let ours =
        matches!(caller, PhoneNumber::E164(_)) && order.customer_phone.as_ref() == Some(caller);
    if !ours {
        return Err(OwnOrderRefusal::NotThisCaller(number));
    }
    if order.status != OrderStatus::New {
        return Err(OwnOrderRefusal::AlreadyStarted(number, order.status));
    }
    Ok(order.id)
}

/// The refusal of `tool` (`cancel_order` or `amend_order`) as the model reads it: a code,
/// what happened, and what to do next.
pub fn own_order_refused_output(refusal: &OwnOrderRefusal, tool: ToolName) -> String {
    let transfer = ToolName::TransferToHuman;
    let lookup = ToolName::LookupOrders;
    let (done, doing) = if tool == ToolName::AmendOrder {
        ("changed", "change")
    } else {
        ("cancelled", "cancel")
    };
    let body = match refusal {
        OwnOrderRefusal::NotFound(n) => json!({
            "ok": false,
            "code": "not_found",
            "order_number": n,
            "error": format!("there is no order number {n} today; nothing was changed"),
            "next": format!(
                "Tell the caller in Urdu that you cannot find order number {n}. Call {lookup} \
                 to see the orders from their number; never guess a number."
            ),
        }),
        OwnOrderRefusal::NotThisCaller(n) => json!({
            "ok": false,
            "code": "not_this_caller",
            "order_number": n,
            "error": format!(
                "order number {n} was not placed from the number this call comes from; nothing \
                 was changed"
            ),
            "next": format!(
                "Tell the caller in Urdu that an order can only be {done} from the number it \
                 was placed from. If they need more help, call {transfer}."
            ),
        }),
        OwnOrderRefusal::AlreadyStarted(n, status) => json!({
            "ok": false,
            "code": "already_started",
            "order_number": n,
            "status": status.as_str(),
            "error": format!(
                "order number {n} is already {} in the kitchen, so it can no longer be \
                 {done} by phone; nothing was changed",
                status.as_str()
            ),
            "next": format!(
                "Tell the caller in Urdu that the kitchen has already started on order {n}, so \
                 you cannot {doing} it yourself; offer to connect them to a person at the shop \
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

/// An amend that went through: the order as saved, re-priced, and what changed (in Urdu,
/// as the board's badge says it), with how to read them back.
pub fn amended_output(order: &Order) -> String {
    let n = order.number;
    let what: Vec<&str> = order
        .changed
        .iter()
        .flat_map(|c| &c.what)
        .map(|w| w.ur.as_str())
        .collect();
    json!({
        "ok": true,
        "changed": true,
        "order_number": n,
        "status": order.status.as_str(),
        "what_changed": what,
        "items": items_text(order),
        "total_rupees": rupees(order.total),
        "total_spoken_ur": order.bill.total_spoken_ur,
        "eta_minutes": order.eta_minutes,
        "next": format!(
            "Order number {n} is changed and the kitchen is told. Read back to the caller in \
             Urdu what changed (what_changed) and the new total: {}. Ask if there is anything \
             else; if not, say goodbye and call {}.",
            say_total(&order.bill),
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
            let left = if o.status.is_final() {
                0
            } else {
                (eta - age).max(0)
            };
            let open = o.status == OrderStatus::New;
            let mut entry = json!({
                "order_number": o.number,
                "status": o.status.as_str(),
                "age_minutes": age,
                "eta_minutes_left": left,
                "items": items_text(o),
                "can_cancel": open,
                "can_change": open,
            });
            // What amend_order's `items` starts from: the order's lines as it takes them.
            if open {
                let lines: Vec<LineRequest> = o.lines.iter().map(LineRequest::from).collect();
                entry["lines"] = json!(lines);
            }
            entry
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
             can_cancel true, with {cancel}; change one only if they ask, only an order with \
             can_change true, with {amend} (its lines are the order's lines to start from); \
             for any other order they want cancelled or changed, offer {transfer}.",
            cancel = ToolName::CancelOrder,
            amend = ToolName::AmendOrder,
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
