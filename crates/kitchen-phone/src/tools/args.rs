//! The arguments of the draft tools (`update_order`, `confirm_order`) and of
//! `transfer_to_human`, read forgivingly and never panicking: what is wrong is said in words
//! the model can act on.

use super::{MAX_ARGUMENTS_LEN, ToolError, clip, parse_order_arguments};
use kitchen_domain::{OrderRequest, PhoneNumber};
use serde_json::{Map, Value, json};

/// `update_order`'s arguments: the whole order, and what the caller said of the callback
/// number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateRequest {
    /// The order as the caller now wants it (no phone: that comes from the call).
    pub order: OrderRequest,
    /// A number the caller gave for the rider (E.164), when they gave one.
    pub callback_number: Option<String>,
    /// The caller said yes to the callback number read back (`Some(false)`: said no).
    pub callback_confirmed: Option<bool>,
}

/// Reads `update_order`'s arguments. A callback number that is not a number we can call
/// back is refused with what to ask instead.
pub fn parse_update_arguments(arguments: &str) -> Result<UpdateRequest, ToolError> {
    let order = parse_order_arguments(arguments)?;
    // Parsed once more for the two callback fields (the order parser checked it is an
    // object of sane length).
    let args: Map<String, Value> = serde_json::from_str(arguments).unwrap_or_default();
    let callback_number = match args.get("callback_number") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.trim().is_empty() => None,
        Some(Value::String(s)) => match PhoneNumber::parse(s) {
            Ok(PhoneNumber::E164(n)) => Some(n),
            Ok(PhoneNumber::Withheld) | Err(_) => {
                return Err(ToolError::Shape(format!(
                    "callback_number `{}` is not a phone number the rider can call: ask the \
                     caller for it again (a mobile is 11 digits, 03001234567)",
                    clip(s)
                )));
            }
        },
        Some(Value::Number(n)) => {
            return Err(ToolError::Shape(format!(
                "callback_number must be a string of digits with its leading 0 \
                 (\"03001234567\"), not the number {n}"
            )));
        }
        Some(_) => {
            return Err(ToolError::Shape(
                "callback_number must be a string of digits (\"03001234567\")".into(),
            ));
        }
    };
    let callback_confirmed = match args.get("callback_confirmed") {
        None | Some(Value::Null) => None,
        Some(Value::Bool(b)) => Some(*b),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => Some(true),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => Some(false),
        Some(_) => {
            return Err(ToolError::Shape(
                "callback_confirmed must be true or false".into(),
            ));
        }
    };
    Ok(UpdateRequest {
        order,
        callback_number,
        callback_confirmed,
    })
}

/// `confirm_order`'s argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfirmRequest {
    /// The quote to place (`Q3`).
    pub quote_id: String,
}

/// Reads `confirm_order`'s arguments (`{"quote_id": "Q3"}`); the error says what to send.
pub fn parse_confirm_arguments(arguments: &str) -> Result<ConfirmRequest, String> {
    const HINT: &str =
        "send {\"quote_id\": \"…\"} with the quote_id of the last update_order answer";
    if arguments.len() > MAX_ARGUMENTS_LEN {
        return Err(format!("the arguments are far too long; {HINT}"));
    }
    let value: Value = serde_json::from_str(arguments).map_err(|e| {
        format!(
            "the arguments are not valid JSON ({}); {HINT}",
            clip(&e.to_string())
        )
    })?;
    match value.get("quote_id") {
        Some(Value::String(q)) if !q.trim().is_empty() && q.len() <= 32 => Ok(ConfirmRequest {
            quote_id: q.trim().to_ascii_uppercase(),
        }),
        _ => Err(format!("`quote_id` is missing or empty; {HINT}")),
    }
}

/// `transfer_to_human`'s arguments.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TransferRequest {
    /// Why (`complaint`, `asked for a person`, `catering`).
    pub reason: Option<String>,
    /// What the caller wants and the order so far, for the person who takes over.
    pub summary: Option<String>,
}

/// The longest reason and summary kept.
const MAX_REASON: usize = 200;
const MAX_SUMMARY: usize = 1_000;

/// Reads `transfer_to_human`'s arguments. Never refuses: a person must be reached even when
/// the model sent nothing useful (missing or bad fields are left out).
pub fn parse_transfer_arguments(arguments: &str) -> TransferRequest {
    if arguments.len() > MAX_ARGUMENTS_LEN {
        return TransferRequest::default();
    }
    let Ok(Value::Object(args)) = serde_json::from_str::<Value>(arguments) else {
        return TransferRequest::default();
    };
    let text = |key: &str, max: usize| {
        args.get(key)
            .and_then(Value::as_str)
            .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|s| !s.is_empty())
            .map(|s| s.chars().take(max).collect::<String>())
    };
    TransferRequest {
        reason: text("reason", MAX_REASON),
        summary: text("summary", MAX_SUMMARY),
    }
}

/// `transfer_to_human`'s parameters.
pub(super) fn transfer_parameters() -> Value {
    json!({
        "type": "object",
        "properties": {
            "reason": {
                "type": "string",
                "maxLength": MAX_REASON,
                "description": "Why a person is needed, in a few English words: complaint, \
                    asked for a person, catering order, could not help."
            },
            "summary": {
                "type": "string",
                "maxLength": MAX_SUMMARY,
                "description": "For the person who takes over, in English: what the caller \
                    wants, the order so far, their name and area."
            }
        },
        "required": ["reason", "summary"],
        "additionalProperties": false
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn update_reads_the_order_and_a_spoken_callback_number() {
        let u = parse_update_arguments(
            r#"{"items":[{"item_id":"chicken-tikka","size_id":"large","quantity":1}],
                "callback_number":"0321-1234567","callback_confirmed":true}"#,
        )
        .unwrap();
        assert_eq!(u.order.items.len(), 1);
        assert_eq!(u.callback_number.as_deref(), Some("+923211234567"));
        assert_eq!(u.callback_confirmed, Some(true));
        let bad = parse_update_arguments(r#"{"items":[],"callback_number":"12"}"#).unwrap_err();
        assert!(bad.to_string().contains("not a phone number"), "{bad}");
        let number =
            parse_update_arguments(r#"{"items":[],"callback_number":3001234567}"#).unwrap_err();
        assert!(number.to_string().contains("string of digits"), "{number}");
    }

    #[test]
    fn confirm_needs_a_quote_id() {
        assert_eq!(
            parse_confirm_arguments(r#"{"quote_id":" q2 "}"#)
                .unwrap()
                .quote_id,
            "Q2"
        );
        for bad in ["{}", r#"{"quote_id":""}"#, "nope", r#"{"quote_id":7}"#] {
            assert!(
                parse_confirm_arguments(bad)
                    .unwrap_err()
                    .contains("quote_id"),
                "{bad}"
            );
        }
    }

    #[test]
    fn transfer_never_refuses_and_trims_what_it_keeps() {
        let t = parse_transfer_arguments(
            r#"{"reason":"  complaint ","summary":"cold pizza\non order 12"}"#,
        );
        assert_eq!(t.reason.as_deref(), Some("complaint"));
        assert_eq!(t.summary.as_deref(), Some("cold pizza on order 12"));
        assert_eq!(
            parse_transfer_arguments("not json"),
            TransferRequest::default()
        );
        assert_eq!(parse_transfer_arguments("{}"), TransferRequest::default());
    }
}
