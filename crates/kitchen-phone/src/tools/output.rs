//! The JSON texts sent back as `function_call_output`: the bill to read back, the placed
//! order to confirm, and refusals with what to do next. Money is in rupees (what the caller
//! hears); the total also comes in Urdu words, to be read exactly as written.

use super::ToolName;
use crate::catalogue;
use crate::draft::{self, Callback, Keyed, Missing, Quote};
use kitchen_domain::{
    Bill, Fulfilment, Money, Order, Payment, PaymentMethod, ShopSettings, Tax, ValidationErrors,
};
use serde_json::{Value, json};
use std::fmt::Write as _;

/// Rupees as a JSON number: whole rupees as an integer, otherwise with the paisa as decimals.
pub(super) fn rupees(m: Money) -> Value {
    if m.paisa() % 100 == 0 {
        json!(m.paisa() / 100)
    } else {
        json!(m.paisa() as f64 / 100.0)
    }
}

fn tax_json(tax: &Tax) -> Value {
    if tax.rate_bp == 0 {
        return Value::Null;
    }
    json!({
        "rate_percent": catalogue::percent(tax.rate_bp),
        "rupees": rupees(tax.amount),
        "included": tax.included,
    })
}

fn payment_json(p: &Payment) -> Value {
    json!({
        "method": p.method.as_str(),
        "pays_with_rupees": p.pays_with.map(rupees),
        "change_rupees": p.change.map(rupees),
    })
}

fn fulfilment_json(f: &Fulfilment, eta_minutes: u32) -> Value {
    match f {
        Fulfilment::Delivery {
            address,
            landmark,
            zone_name,
            ..
        } => json!({
            "type": "delivery",
            "address": address,
            "landmark": landmark,
            "zone": zone_name,
            "eta_minutes": eta_minutes,
        }),
        Fulfilment::Pickup { .. } => json!({
            "type": "pickup",
            "eta_minutes": eta_minutes,
        }),
    }
}

fn bill_json(bill: &Bill) -> Value {
    let lines: Vec<Value> = bill
        .lines
        .iter()
        .map(|l| {
            json!({
                "description": l.description,
                "description_ur": l.description_ur,
                "quantity": l.quantity,
                "rupees": rupees(l.total),
            })
        })
        .collect();
    json!({
        "lines": lines,
        "deal_savings_rupees": rupees(bill.deal_savings),
        "food_rupees": rupees(bill.food_total),
        "delivery_fee_rupees": rupees(bill.delivery_fee),
        "tax": tax_json(&bill.tax),
        "total_rupees": rupees(bill.total),
        "total_spoken_ur": bill.total_spoken_ur,
    })
}

/// How to read the total: the Urdu words as written, then «روپے».
fn say_total(bill: &Bill) -> String {
    let rupee = if bill.total_spoken_ur.contains("روپے") {
        ""
    } else {
        " روپے"
    };
    format!(
        "say the total exactly as total_spoken_ur is written («{}{rupee}»); never work out \
         or convert the number yourself",
        bill.total_spoken_ur
    )
}

/// What each missing piece asks the AI to do.
fn ask_for(m: Missing) -> &'static str {
    match m {
        Missing::Fulfilment => "whether it is delivery or pickup",
        Missing::Address => {
            "the delivery address (house, street, block or sector, area) and a landmark, \
             written in Latin letters"
        }
        Missing::Zone => "which area they are in, to choose the delivery zone",
        Missing::Payment => "how they will pay",
        Missing::CustomerName => "their name",
        Missing::CallbackNumber => {
            "a number the rider can call: their number is withheld, so ask them to say it, or \
             to type it on the phone's keypad and press # (what they type reaches you)"
        }
        Missing::CallbackConfirmation => {
            "whether the rider may call the number in callback_number_spoken: read it digit \
             by digit, in English digits, as written there"
        }
    }
}

/// The output of `update_order`: the quote's bill, what is still missing, the callback
/// number as it is read out, at most one suggestion, and what to do next (ask for what is
/// missing, or read the order back and confirm it with the `quote_id`).
pub fn draft_output(
    quote: &Quote,
    callback: &Callback,
    suggestion: Option<Value>,
    shop: &ShopSettings,
) -> String {
    let order = &quote.priced;
    let bill = order.bill();
    let id = &quote.id;
    let fulfilment_known = !quote
        .missing
        .iter()
        .any(|m| matches!(m, Missing::Fulfilment | Missing::Address | Missing::Zone));
    let payment_known = !quote.missing.contains(&Missing::Payment);
    let mut next = String::new();
    if quote.missing.is_empty() {
        next.push_str(
            "Nothing is missing. Read the order back to the caller in short parts: each \
             line's quantity and description_ur (a line's price only if they ask)",
        );
        if bill.deal_savings > Money::ZERO {
            next.push_str(", what the deals save");
        }
        match order.fulfilment() {
            Fulfilment::Delivery { .. } if bill.delivery_fee > Money::ZERO => {
                next.push_str(", the delivery fee, the address in short");
            }
            Fulfilment::Delivery { .. } => next.push_str(", free delivery, the address in short"),
            Fulfilment::Pickup { .. } => next.push_str(", that it is a pickup and when"),
        }
        next.push_str(", how they pay, the callback number");
        if bill.tax.rate_bp > 0 && !bill.tax.included {
            next.push_str(", the tax");
        }
        next.push_str(", and then the total: ");
        next.push_str(&say_total(bill));
        let _ = write!(
            next,
            ". Then ask them to confirm. When they clearly say yes, call {} with quote_id \
             \"{id}\". If they change anything, call {} again with the whole order.",
            ToolName::ConfirmOrder,
            ToolName::UpdateOrder
        );
    } else {
        let asks: Vec<&str> = quote.missing.iter().map(|m| ask_for(*m)).collect();
        let _ = write!(
            next,
            "Still needed before the order can be placed: {}. Ask for these one at a time, \
             then call {} again with the whole order and what they said. The total is not \
             final yet: say it only if they ask, from total_spoken_ur",
            asks.join("; "),
            ToolName::UpdateOrder
        );
        if !fulfilment_known {
            next.push_str(" (without any delivery fee)");
        }
        next.push('.');
    }
    if !payment_known && catalogue::total_depends_on_method(shop) {
        let _ = write!(
            next,
            " The tax, and so the total, depends on how they pay ({}): ask before you read \
             the total.",
            catalogue::rates_by_method(shop, PaymentMethod::as_str)
        );
    }
    if suggestion.is_some() {
        next.push_str(
            " You may offer the suggestion once, in one short sentence, before the read-back; \
             if they say no, do not offer it again.",
        );
    }
    let number = callback.number.as_deref();
    json!({
        "ok": true,
        "quote_id": id,
        "bill": bill_json(bill),
        "total_rupees": rupees(bill.total),
        "total_spoken_ur": bill.total_spoken_ur,
        "missing": quote.missing.iter().map(|m| m.as_str()).collect::<Vec<_>>(),
        "payment": payment_known.then(|| payment_json(order.payment())),
        "fulfilment": fulfilment_known.then(|| fulfilment_json(order.fulfilment(), order.eta_minutes())),
        "customer_name": order.customer_name(),
        "note": order.note(),
        "callback_number": number.map(draft::local_form),
        "callback_number_spoken": number.map(draft::spoken_digits),
        "callback_confirmed": callback.confirmed,
        "suggestion": suggestion,
        "next": next,
    })
    .to_string()
}

/// A `confirm_order` that placed nothing: `code` (`stale_quote`, `missing`,
/// `catering_size`, `no_quote`) and what to do instead.
pub fn confirm_refused_output(code: &str, detail: &str, latest_quote: Option<&str>) -> String {
    let next = match code {
        "stale_quote" => format!(
            "Nothing was placed: {detail}. Call {} again with the whole order as the caller \
             wants it, read the new bill back (the total may have changed) and ask again \
             before {}.",
            ToolName::UpdateOrder,
            ToolName::ConfirmOrder
        ),
        "missing" => format!(
            "Nothing was placed: {detail}. Ask the caller for it, call {} with the whole \
             order, read it back, then confirm the new quote.",
            ToolName::UpdateOrder
        ),
        "catering_size" => format!(
            "Nothing was placed: {detail}. Tell the caller that an order this large is \
             arranged by the shop itself, and call {} with reason \"catering order\" and a \
             summary of what they want.",
            ToolName::TransferToHuman
        ),
        _ => format!(
            "Nothing was placed: {detail}. Call {} with the whole order first.",
            ToolName::UpdateOrder
        ),
    };
    json!({
        "ok": false,
        "refused": code,
        "error": detail,
        "latest_quote_id": latest_quote,
        "next": next,
    })
    .to_string()
}

/// What the model is told when the caller typed a number on the keypad.
pub fn keypad_notice(keyed: &Keyed) -> String {
    match keyed {
        Keyed::Number(n) => format!(
            "[keypad] The caller typed a callback number on the keypad: {}. Read it back digit \
             by digit exactly like that and ask whether the rider may call it; when they say \
             yes, call {} with the whole order and callback_confirmed true.",
            draft::spoken_digits(n),
            ToolName::UpdateOrder
        ),
        Keyed::Invalid(digits) => format!(
            "[keypad] The caller typed {} on the keypad, which is not a phone number. Ask them \
             kindly to type their mobile number again (11 digits, starting 03) and press #.",
            if digits.is_empty() {
                "nothing"
            } else {
                digits.as_str()
            }
        ),
    }
}

/// The output of a successful `confirm_order`: the real order number, the total (in Urdu
/// words too), payment and change, and the time promised with the order (its zone's or
/// its pickup's; `fallback_eta_minutes` only for an order saved before ETAs were kept).
pub fn placed_output(order: &Order, fallback_eta_minutes: u32) -> String {
    let n = order.number;
    let eta = order.eta_minutes.unwrap_or(fallback_eta_minutes);
    let pickup = matches!(order.fulfilment, Fulfilment::Pickup { .. });
    let pay = &order.payment;
    let payment = match (pay.method, pickup) {
        (PaymentMethod::Cash, false) => "cash on delivery".to_string(),
        (PaymentMethod::Cash, true) => "cash at the counter".to_string(),
        (PaymentMethod::Card, _) => "by card".to_string(),
        (PaymentMethod::Wallet, _) => "by mobile wallet".to_string(),
    };
    let change = match (pay.pays_with, pay.change) {
        (Some(with), Some(change)) if change > Money::ZERO && !pickup => {
            format!(", and the rider brings {change} change for their {with}")
        }
        _ => String::new(),
    };
    let when = if pickup {
        format!("ready for pickup in about {eta} minutes")
    } else {
        format!("delivery in about {eta} minutes")
    };
    json!({
        "ok": true,
        "order_number": n,
        "total_rupees": rupees(order.total),
        "total_spoken_ur": order.bill.total_spoken_ur,
        "payment": payment_json(pay),
        "fulfilment": fulfilment_json(&order.fulfilment, eta),
        "eta_minutes": eta,
        "next": format!(
            "Tell the caller in Urdu that order number {n} is confirmed; {say}; payment \
             {payment}{change}; {when}. Then say goodbye and call {end_call}.",
            say = say_total(&order.bill),
            end_call = ToolName::EndCall
        ),
    })
    .to_string()
}

/// The shop is closed by its opening hours: nothing can be ordered now. `next_opening` is
/// `YYYY-MM-DD HH:MM` in the shop's time, when an opening lies ahead.
pub fn closed_output(next_opening: Option<&str>) -> String {
    let next = match next_opening {
        Some(at) => format!(
            "Tell the caller in Urdu that the shop is closed now and opens at {at} (shop \
             time; say the day and the time, e.g. «کل دوپہر بارہ بجے»). Take no order and \
             do not call an order tool again; thank them, say goodbye and call {}.",
            ToolName::EndCall
        ),
        None => format!(
            "Tell the caller in Urdu that the shop is closed now. Take no order and do not \
             call an order tool again; thank them, say goodbye and call {}.",
            ToolName::EndCall
        ),
    };
    json!({
        "ok": false,
        "code": "shop_closed",
        "error": "the shop is closed now: no order can be taken",
        "next_opening": next_opening,
        "next": next,
    })
    .to_string()
}

/// A failed tool call: `{"ok":false,"error":message}`.
pub fn error_output(message: &str) -> String {
    json!({"ok": false, "error": message}).to_string()
}

/// An order the menu or the rules refused: every problem with its field, its code and a
/// message naming the allowed values, and what to do next.
/// A shop closed by its opening hours is told apart: the next opening and no order.
pub fn validation_output(errors: &ValidationErrors) -> String {
    if let Some(closed) = errors.0.iter().find(|e| e.code == "shop_closed") {
        return closed_output(closed.params.get("next_opening").map(String::as_str));
    }
    let list: Vec<Value> = errors
        .0
        .iter()
        .map(|e| json!({"field": e.field, "code": e.code, "message": e.message}))
        .collect();
    json!({
        "ok": false,
        "error": "the order was not accepted",
        "errors": list,
        "next": "Explain each problem to the caller in Urdu and ask them for what is missing \
                 or wrong (sold_out: not available today, offer something else; \
                 deal_not_available_now: the deal's hours; below_minimum_order: the minimum \
                 for their area, offer to add something; zone_required or unknown_zone: ask \
                 which area they are in; pays_with_below_total: the note they named is less \
                 than the total, ask again which note they will pay with), then call the tool again with the complete \
                 corrected order.",
    })
    .to_string()
}
