//! Reading the model's arguments into an [`OrderRequest`], field by field and forgivingly:
//! ids are trimmed and lowercased, quantities and minutes may be numeric strings, the
//! rupees a caller pays with may be written `5,000` or `Rs 5000`, and the earlier shape
//! (`address` and `landmark` at the top, lines of only `item_id`/`size_id`/`quantity`) is
//! still read. Every shape problem is collected with its path, so the model fixes them all
//! at once; whether the ids exist is [`NewOrder::price`]'s job.
//!
//! [`NewOrder::price`]: kitchen_domain::NewOrder::price

use super::{MAX_ARGUMENTS_LEN, ToolError, clip};
use kitchen_domain::{
    DealChoice, FulfilmentRequest, HalfRequest, LineRequest, OptionChoice, OrderRequest,
    PaymentMethod, PaymentRequest, Quantity,
};
use serde_json::{Map, Value};

/// Reads the model's arguments for `review_order` / `place_order` into an [`OrderRequest`]
/// with no phone (the phone comes from the call). Never panics.
pub fn parse_order_arguments(arguments: &str) -> Result<OrderRequest, ToolError> {
    if arguments.len() > MAX_ARGUMENTS_LEN {
        return Err(ToolError::TooLong(arguments.len()));
    }
    let value: Value =
        serde_json::from_str(arguments).map_err(|e| ToolError::NotJson(clip(&e.to_string())))?;
    let Value::Object(args) = value else {
        return Err(ToolError::Shape(
            "the arguments must be a JSON object".into(),
        ));
    };
    let mut p = Problems::default();
    let items = match args.get("items") {
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .filter_map(|(i, line)| p.line(&format!("items[{i}]"), line))
            .collect(),
        None | Some(Value::Null) => {
            p.push("`items` is missing: list every item and deal of the order".to_string());
            Vec::new()
        }
        Some(_) => {
            p.push("`items` must be an array of lines".to_string());
            Vec::new()
        }
    };
    let address = p.text(&args, "", "address");
    let landmark = p.text(&args, "", "landmark");
    let fulfilment = match args.get("fulfilment") {
        None | Some(Value::Null) => None,
        Some(f) => p.fulfilment(f, address.as_deref(), landmark.as_deref()),
    };
    let payment = match args.get("payment") {
        None | Some(Value::Null) => None,
        Some(pay) => p.payment(pay),
    };
    let customer_name = p.text(&args, "", "customer_name");
    let note = p.text(&args, "", "note");
    if !p.0.is_empty() {
        return Err(ToolError::Shape(p.0.join("; ")));
    }
    Ok(OrderRequest {
        items,
        fulfilment,
        payment,
        address,
        landmark,
        customer_name,
        customer_phone: None,
        note,
    })
}

/// Reads an `items` array of lines the way [`parse_order_arguments`] does (`amend_order`'s
/// items): the lines, or every shape problem with its path. Never panics.
pub(super) fn parse_lines(items: &Value) -> Result<Vec<LineRequest>, Vec<String>> {
    let mut p = Problems::default();
    let Value::Array(items) = items else {
        return Err(vec!["`items` must be an array of lines".to_string()]);
    };
    let lines = items
        .iter()
        .enumerate()
        .filter_map(|(i, line)| p.line(&format!("items[{i}]"), line))
        .collect();
    if p.0.is_empty() { Ok(lines) } else { Err(p.0) }
}

/// The shape problems found so far, each naming its path.
#[derive(Default)]
struct Problems(Vec<String>);

impl Problems {
    fn push(&mut self, problem: String) {
        self.0.push(problem);
    }

    /// An optional text field `at.field`: absent or `null` is `None`; anything but a
    /// string is a problem.
    fn text(&mut self, obj: &Map<String, Value>, at: &str, field: &str) -> Option<String> {
        match obj.get(field) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => {
                self.push(format!("`{}` must be a string", path(at, field)));
                None
            }
        }
    }

    /// An optional id `at.field`, trimmed and lowercased; blank is absent.
    fn id(&mut self, obj: &Map<String, Value>, at: &str, field: &str) -> Option<String> {
        match obj.get(field) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.trim().to_lowercase()).filter(|s| !s.is_empty()),
            Some(_) => {
                self.push(format!("`{}` must be an id from the enum", path(at, field)));
                None
            }
        }
    }

    /// A required id `at.field`.
    fn required_id(&mut self, obj: &Map<String, Value>, at: &str, field: &str) -> Option<String> {
        let before = self.0.len();
        let id = self.id(obj, at, field);
        if id.is_none() && self.0.len() == before {
            self.push(format!("`{}` must be an id from the enum", path(at, field)));
        }
        id
    }

    /// The object at `at`, or a problem saying what it should hold.
    fn object<'v>(
        &mut self,
        v: &'v Value,
        at: &str,
        holds: &str,
    ) -> Option<&'v Map<String, Value>> {
        if let Value::Object(o) = v {
            Some(o)
        } else {
            self.push(format!("`{at}` must be an object {{{holds}}}"));
            None
        }
    }

    /// One line: a deal line when it names a deal, otherwise an item line.
    fn line(&mut self, at: &str, line: &Value) -> Option<LineRequest> {
        let line = self.object(
            line,
            at,
            "item_id, size_id, quantity or deal_id, quantity, choices",
        )?;
        let before = self.0.len();
        let quantity = self.quantity(line, at);
        let note = self.text(line, at, "note");
        let deal_id = self.id(line, at, "deal_id");
        let mut req = if let Some(deal_id) = deal_id {
            let choices = match line.get("choices") {
                Some(Value::Array(cs)) => cs
                    .iter()
                    .enumerate()
                    .filter_map(|(j, c)| self.choice(&format!("{at}.choices[{j}]"), c))
                    .collect(),
                None | Some(Value::Null) => {
                    self.push(format!(
                        "`{at}.choices` is missing: say what fills each slot of the deal"
                    ));
                    Vec::new()
                }
                Some(_) => {
                    self.push(format!(
                        "`{at}.choices` must be an array of {{slot, item_id}}"
                    ));
                    Vec::new()
                }
            };
            LineRequest::deal(deal_id, quantity.unwrap_or(1), choices)
        } else {
            let item_id = self.required_id(line, at, "item_id");
            let size_id = self.id(line, at, "size_id");
            let options = self.options(line, at);
            let half = self.half(line, at);
            LineRequest {
                item_id,
                size_id,
                quantity: quantity.unwrap_or(1),
                options,
                half,
                note: None,
                deal_id: None,
                choices: Vec::new(),
            }
        };
        req.note = note;
        (self.0.len() == before).then_some(req)
    }

    /// `at.quantity`: a whole number or a numeric string; 1 when left out.
    fn quantity(&mut self, line: &Map<String, Value>, at: &str) -> Option<i64> {
        let q = match line.get("quantity") {
            None | Some(Value::Null) => return Some(1),
            Some(v) => whole(v),
        };
        if q.is_none() {
            self.push(format!(
                "`{at}.quantity` must be a whole number from {} to {}",
                Quantity::MIN,
                Quantity::MAX
            ));
        }
        q
    }

    /// `at.options`: `[{group, option}]`.
    fn options(&mut self, obj: &Map<String, Value>, at: &str) -> Vec<OptionChoice> {
        match obj.get("options") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(os)) => os
                .iter()
                .enumerate()
                .filter_map(|(k, o)| {
                    let at = format!("{at}.options[{k}]");
                    let o = self.object(o, &at, "group, option")?;
                    let group = self.required_id(o, &at, "group");
                    let option = self.required_id(o, &at, "option");
                    Some(OptionChoice {
                        group: group?,
                        option: option?,
                    })
                })
                .collect(),
            Some(_) => {
                self.push(format!(
                    "`{at}.options` must be an array of {{group, option}}"
                ));
                Vec::new()
            }
        }
    }

    /// `at.half`: `{item_id}`, or just the other half's id.
    fn half(&mut self, obj: &Map<String, Value>, at: &str) -> Option<HalfRequest> {
        match obj.get("half") {
            None | Some(Value::Null) => None,
            Some(Value::String(_)) => self
                .id(obj, at, "half")
                .map(|item_id| HalfRequest { item_id }),
            Some(h) => {
                let at = format!("{at}.half");
                let h = self.object(h, &at, "item_id")?;
                self.required_id(h, &at, "item_id")
                    .map(|item_id| HalfRequest { item_id })
            }
        }
    }

    /// One choice filling a deal slot.
    fn choice(&mut self, at: &str, c: &Value) -> Option<DealChoice> {
        let c = self.object(c, at, "slot, item_id")?;
        let slot = self.required_id(c, at, "slot");
        let item_id = self.required_id(c, at, "item_id");
        let size_id = self.id(c, at, "size_id");
        let options = self.options(c, at);
        let half = self.half(c, at);
        Some(DealChoice {
            slot: slot?,
            item_id: item_id?,
            size_id,
            options,
            half,
        })
    }

    /// `fulfilment`: delivery or pickup. A delivery without its own address or landmark
    /// takes the top-level ones (the model mixing both shapes).
    fn fulfilment(
        &mut self,
        f: &Value,
        address: Option<&str>,
        landmark: Option<&str>,
    ) -> Option<FulfilmentRequest> {
        let at = "fulfilment";
        let f = self.object(
            f,
            at,
            "type, address, landmark, zone_id or type, pickup_in_minutes",
        )?;
        let kind = self.id(f, at, "type");
        let kind = match kind.as_deref() {
            Some("delivery" | "deliver" | "home delivery") => "delivery",
            Some("pickup" | "pick-up" | "pick up" | "takeaway" | "take-away" | "collection") => {
                "pickup"
            }
            None if f.contains_key("pickup_in_minutes") && !f.contains_key("address") => "pickup",
            None => "delivery",
            Some(other) => {
                self.push(format!(
                    "`fulfilment.type` must be delivery or pickup, not `{}`",
                    clip(other)
                ));
                return None;
            }
        };
        if kind == "pickup" {
            let minutes = match f.get("pickup_in_minutes") {
                None | Some(Value::Null) => None,
                Some(v) => {
                    let m = whole(v);
                    if m.is_none() {
                        self.push(
                            "`fulfilment.pickup_in_minutes` must be a whole number of minutes"
                                .to_string(),
                        );
                    }
                    m
                }
            };
            return Some(FulfilmentRequest::Pickup {
                pickup_in_minutes: minutes,
            });
        }
        let own_address = self.text(f, at, "address");
        let own_landmark = self.text(f, at, "landmark");
        let zone_id = self.id(f, at, "zone_id");
        Some(FulfilmentRequest::Delivery {
            address: own_address
                .filter(|a| !a.trim().is_empty())
                .or_else(|| address.map(str::to_string))
                .unwrap_or_default(),
            landmark: own_landmark.or_else(|| landmark.map(str::to_string)),
            zone_id,
        })
    }

    /// `payment`: the method, and the note a cash payer pays with in rupees (to paisa).
    fn payment(&mut self, pay: &Value) -> Option<PaymentRequest> {
        let at = "payment";
        let pay = self.object(pay, at, "method, pays_with")?;
        let method = match self.id(pay, at, "method") {
            None => PaymentMethod::Cash,
            Some(m) => {
                if let Some(method) = payment_method(&m) {
                    method
                } else {
                    self.push(format!(
                        "`payment.method` must be cash, card or wallet, not `{}`",
                        clip(&m)
                    ));
                    return None;
                }
            }
        };
        let pays_with = match pay.get("pays_with") {
            None | Some(Value::Null) => None,
            Some(v) => {
                let paisa = rupees_to_paisa(v);
                if paisa.is_none() {
                    self.push(
                        "`payment.pays_with` must be the rupees of the note the caller pays \
                         with, e.g. 5000"
                            .to_string(),
                    );
                }
                paisa
            }
        };
        Some(PaymentRequest { method, pays_with })
    }
}

fn path(at: &str, field: &str) -> String {
    if at.is_empty() {
        field.to_string()
    } else {
        format!("{at}.{field}")
    }
}

/// A payment method as the model may name it.
fn payment_method(name: &str) -> Option<PaymentMethod> {
    PaymentMethod::parse(name).or(match name {
        "cod" | "cash on delivery" | "cash at the counter" => Some(PaymentMethod::Cash),
        "debit card" | "credit card" | "card on delivery" => Some(PaymentMethod::Card),
        "jazzcash" | "easypaisa" | "raast" | "qr" | "mobile wallet" => Some(PaymentMethod::Wallet),
        _ => None,
    })
}

/// A whole number from a number or a numeric string: `2`, `2.0`, `" 3 "`. Fractions,
/// infinities and numbers beyond ±1e15 are not.
fn whole(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().and_then(whole_number)),
        Value::String(s) => {
            let s = s.trim();
            s.parse::<i64>()
                .ok()
                .or_else(|| s.parse::<f64>().ok().and_then(whole_number))
        }
        _ => None,
    }
}

/// `2.0` → 2; fractions, infinities and numbers beyond ±1e15 are not whole numbers here.
fn whole_number(f: f64) -> Option<i64> {
    (f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15).then_some(f as i64)
}

/// Rupees as a caller says them (`5000`, `"5,000"`, `"Rs. 5000"`, `1250.5`) in paisa.
/// Anything that is not a positive amount under a trillion rupees is refused; the domain
/// checks the real bounds.
fn rupees_to_paisa(v: &Value) -> Option<i64> {
    let rupees = match v {
        Value::Number(n) => n.as_f64()?,
        Value::String(s) => {
            let s = s.trim().to_lowercase();
            let s = s
                .trim_start_matches("rs.")
                .trim_start_matches("rs")
                .trim_start_matches("pkr")
                .trim_end_matches("/-")
                .trim_end_matches("rupees")
                .replace([',', ' '], "");
            s.parse::<f64>().ok()?
        }
        _ => return None,
    };
    (rupees.is_finite() && rupees > 0.0 && rupees < 1e12).then(|| (rupees * 100.0).round() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rupees_become_paisa_however_they_are_written() {
        for (v, paisa) in [
            (json!(5000), Some(500_000)),
            (json!(1250.5), Some(125_050)),
            (json!("5,000"), Some(500_000)),
            (json!(" Rs. 5000/- "), Some(500_000)),
            (json!("PKR 1000"), Some(100_000)),
            (json!("5000 rupees"), Some(500_000)),
            (json!(0), None),
            (json!(-5), None),
            (json!("five thousand"), None),
            (json!(1e300), None),
            (json!(true), None),
        ] {
            assert_eq!(rupees_to_paisa(&v), paisa, "{v}");
        }
    }

    #[test]
    fn payment_methods_are_read_by_name_or_a_common_word_for_them() {
        assert_eq!(payment_method("card"), Some(PaymentMethod::Card));
        assert_eq!(payment_method("cod"), Some(PaymentMethod::Cash));
        assert_eq!(payment_method("easypaisa"), Some(PaymentMethod::Wallet));
        assert_eq!(payment_method("cheque"), None);
    }
}
