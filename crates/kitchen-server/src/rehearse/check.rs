//! How an expectation written in a scenario is compared with what the server did: the
//! expected JSON must be *contained* in the actual JSON.
//!
//! - An object matches when every key written matches (keys left out are not checked; a
//!   `null` matches a missing key too).
//! - An array matches an array of the same length, element by element, in order: the
//!   order's lines are exact, not "at least".
//! - A number matches the same number (`2499` matches `2499.0`).
//! - A text starting with `~` matches any text containing the rest, ignoring case
//!   (`"~Gulberg"`); any other text must be equal.

use serde_json::Value;

/// Every difference between `expected` and `actual`, each with its path (`items[1].quantity`).
pub fn contains(expected: &Value, actual: &Value) -> Vec<String> {
    let mut out = Vec::new();
    walk(expected, actual, "", &mut out);
    out
}

fn walk(expected: &Value, actual: &Value, path: &str, out: &mut Vec<String>) {
    let at = |p: &str| {
        if p.is_empty() {
            "the answer".to_string()
        } else {
            p.to_string()
        }
    };
    match (expected, actual) {
        (Value::Object(want), Value::Object(got)) => {
            for (k, w) in want {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                match got.get(k) {
                    Some(g) => walk(w, g, &p, out),
                    None if w.is_null() => {}
                    None => out.push(format!("{p}: missing (expected {})", short(w))),
                }
            }
        }
        (Value::Array(want), Value::Array(got)) => {
            if want.len() != got.len() {
                out.push(format!(
                    "{}: {} entries, expected {} (got {})",
                    at(path),
                    got.len(),
                    want.len(),
                    short(actual)
                ));
                return;
            }
            for (i, (w, g)) in want.iter().zip(got).enumerate() {
                walk(w, g, &format!("{path}[{i}]"), out);
            }
        }
        (Value::Number(w), Value::Number(g)) => {
            if w.as_f64() != g.as_f64() {
                out.push(format!("{}: {g}, expected {w}", at(path)));
            }
        }
        (Value::String(w), Value::String(g)) => {
            let ok = match w.strip_prefix('~') {
                Some(part) => g.to_lowercase().contains(&part.to_lowercase()),
                None => w == g,
            };
            if !ok {
                out.push(format!("{}: {g:?}, expected {w:?}", at(path)));
            }
        }
        (w, g) if w == g => {}
        (w, g) => out.push(format!("{}: {}, expected {}", at(path), short(g), short(w))),
    }
}

/// Compact JSON cut to a readable length.
pub fn short(v: &Value) -> String {
    let text = v.to_string();
    if text.chars().count() <= 160 {
        text
    } else {
        format!("{}…", text.chars().take(160).collect::<String>())
    }
}

/// `args` with every text `"$name"` replaced by `vars[name]` (when known).
pub fn substitute(args: &Value, vars: &serde_json::Map<String, Value>) -> Value {
    match args {
        Value::String(s) => match s.strip_prefix('$').and_then(|n| vars.get(n)) {
            Some(v) => v.clone(),
            None => args.clone(),
        },
        Value::Array(a) => Value::Array(a.iter().map(|v| substitute(v, vars)).collect()),
        Value::Object(o) => Value::Object(
            o.iter()
                .map(|(k, v)| (k.clone(), substitute(v, vars)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Whether a tool's answer says it did not do what was asked (`"ok": false`).
pub fn is_refusal(answer: &Value) -> bool {
    answer.get("ok") == Some(&Value::Bool(false))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keys_left_out_are_not_checked_but_arrays_are_exact() {
        let got = json!({"ok": true, "total_rupees": 2499.0, "missing": ["payment"], "x": 1});
        assert!(contains(&json!({"ok": true, "total_rupees": 2499}), &got).is_empty());
        let diff = contains(&json!({"missing": []}), &got);
        assert_eq!(diff.len(), 1, "{diff:?}");
        assert!(
            diff[0].starts_with("missing: 1 entries, expected 0"),
            "{diff:?}"
        );
        let diff = contains(&json!({"ok": false, "refused": "stale_quote"}), &got);
        assert_eq!(diff.len(), 2, "{diff:?}");
    }

    #[test]
    fn a_tilde_text_is_a_case_blind_part() {
        let got = json!({"address": "House 12, Gulberg III"});
        assert!(contains(&json!({"address": "~gulberg"}), &got).is_empty());
        assert_eq!(contains(&json!({"address": "~DHA"}), &got).len(), 1);
        assert_eq!(contains(&json!({"address": "gulberg"}), &got).len(), 1);
    }

    #[test]
    fn dollar_names_take_earlier_answers_values_with_their_type() {
        let mut vars = serde_json::Map::new();
        vars.insert("quote_id".into(), json!("Q3"));
        vars.insert("order_number".into(), json!(7));
        let args = json!({"quote_id": "$quote_id", "n": ["$order_number"], "keep": "$unknown"});
        assert_eq!(
            substitute(&args, &vars),
            json!({"quote_id": "Q3", "n": [7], "keep": "$unknown"})
        );
    }
}
