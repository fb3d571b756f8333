//! `hold({seconds})`: the caller asked the AI to wait ("ek minute", "ruko zara"). The session
//! runs it itself ([`crate::session`]): idle prompts and the idle goodbye pause for the
//! hold, the caller's speech ends it, and a hold that runs out with the caller still silent
//! brings one gentle check-in before normal idle handling resumes.

use super::ToolName;
use serde_json::{Value, json};
use std::ops::RangeInclusive;

/// How long a hold may last, in seconds: the model's value is clamped into this range.
pub const HOLD_SECONDS: RangeInclusive<u32> = 5..=120;

/// The hold when the model gave no usable `seconds`: one minute, what "ek minute" asks.
pub const DEFAULT_HOLD_SECONDS: u32 = 60;

/// The description the model sees.
pub(super) fn description() -> String {
    format!(
        "The caller asked you to wait (\"ek minute\", \"ruko\", \"hold karein\") — for \
         example to ask someone at home what they want, or to find their address. Call it \
         with how many seconds they need ({}–{}; 60 if they did not say), then say only \
         something very short like «جی، آرام سے» and stay silent. While on hold the call \
         is not ended for silence; when the caller speaks again, carry on where you were. \
         If the time runs out you will be asked to check once whether they are there.",
        HOLD_SECONDS.start(),
        HOLD_SECONDS.end()
    )
}

/// `{"seconds": integer}`.
pub(super) fn parameters() -> Value {
    json!({
        "type": "object",
        "properties": {"seconds": {
            "type": "integer",
            "minimum": HOLD_SECONDS.start(),
            "maximum": HOLD_SECONDS.end(),
            "description": "How long the caller asked you to wait, in seconds."
        }},
        "required": ["seconds"],
        "additionalProperties": false
    })
}

/// The hold's length in seconds: the model's `seconds` clamped into [`HOLD_SECONDS`]
/// (a fractional number is rounded; a number given as text is read), or
/// [`DEFAULT_HOLD_SECONDS`] when there is none. A hold never fails: the caller asked to wait.
pub fn parse_hold_arguments(arguments: &str) -> u32 {
    let value: Value = serde_json::from_str(arguments).unwrap_or(Value::Null);
    let seconds = match &value["seconds"] {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    };
    match seconds {
        Some(s) if s.is_finite() => {
            let (lo, hi) = (*HOLD_SECONDS.start(), *HOLD_SECONDS.end());
            // Clamped as a float first, so the cast cannot overflow.
            s.round().clamp(f64::from(lo), f64::from(hi)) as u32
        }
        _ => DEFAULT_HOLD_SECONDS,
    }
}

/// What the model is told at once: acknowledge in a few words, then wait in silence.
pub fn hold_output(seconds: u32) -> String {
    json!({
        "ok": true,
        "hold_seconds": seconds,
        "next": format!(
            "Say only a few words, like «جی، آرام سے» (or \"Sure, take your time\" to an English \
             speaker), then stay silent and wait. Do not fill the silence and do not call {}. \
             When the caller speaks again, carry on where you were.",
            ToolName::EndCall
        )
    })
    .to_string()
}

/// The one check-in when a hold ran out and the caller is still silent.
pub fn hold_check_in_instructions() -> String {
    "The caller asked you to wait and that time is over, but they have said nothing since. \
     In the language of the call, ask once, gently and in a few words, whether they are \
     there (for example «جی، آپ لائن پر ہیں؟»), then wait for their answer. Do not end the call."
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_are_clamped_to_five_to_one_hundred_and_twenty() {
        assert_eq!(parse_hold_arguments(r#"{"seconds": 30}"#), 30);
        assert_eq!(parse_hold_arguments(r#"{"seconds": 1}"#), 5);
        assert_eq!(parse_hold_arguments(r#"{"seconds": -40}"#), 5);
        assert_eq!(parse_hold_arguments(r#"{"seconds": 600}"#), 120);
        assert_eq!(parse_hold_arguments(r#"{"seconds": 1e300}"#), 120);
        assert_eq!(parse_hold_arguments(r#"{"seconds": 44.6}"#), 45);
        assert_eq!(parse_hold_arguments(r#"{"seconds": " 90 "}"#), 90);
    }

    #[test]
    fn without_usable_seconds_the_hold_is_one_minute() {
        for args in [
            "",
            "{}",
            r#"{"seconds": null}"#,
            r#"{"seconds": "soon"}"#,
            "[1]",
        ] {
            assert_eq!(parse_hold_arguments(args), DEFAULT_HOLD_SECONDS, "{args}");
        }
    }

    #[test]
    fn the_answer_tells_the_ai_to_acknowledge_briefly_and_wait() {
        let out: Value = serde_json::from_str(&hold_output(45)).unwrap();
        assert_eq!(out["ok"], true);
        assert_eq!(out["hold_seconds"], 45);
        let next = out["next"].as_str().unwrap();
        assert!(next.contains("جی، آرام سے"), "{next}");
        assert!(next.contains("silent"), "{next}");
    }

    #[test]
    fn the_schema_states_the_range() {
        let p = parameters();
        assert_eq!(p["properties"]["seconds"]["minimum"], 5);
        assert_eq!(p["properties"]["seconds"]["maximum"], 120);
        assert_eq!(p["required"], json!(["seconds"]));
    }
}
