//! The phone AI's function tools, generated from the live menu so the model can only name
//! items and sizes that exist and are available, plus the parsing of its arguments and the
//! JSON texts we send back as `function_call_output`.
//!
//! `review_order` and `place_order` both take the complete order in one call; the relay
//! prices it with [`NewOrder::price`] and answers with [`review_output`], [`placed_output`],
//! [`validation_output`] or [`error_output`]. Every output says what to do next, in words.

use kitchen_domain::order::MAX_LINES;
use kitchen_domain::{
    LineRequest, Menu, Money, NewOrder, Order, OrderRequest, Quantity, ValidationErrors,
};
use serde_json::{Map, Value, json};
use voice_protocol::realtime::session::Tool;

/// The phone AI's tools: the only place their wire names are spelled out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ToolName {
    /// Checks and prices the complete order without saving it (run by the driver).
    ReviewOrder,
    /// Saves the confirmed order and sends it to the kitchen (run by the driver).
    PlaceOrder,
    /// Hangs up after the goodbye (handled by the session).
    EndCall,
    /// Hands the call to a person at the shop (handled by the session).
    TransferToHuman,
}

impl ToolName {
    /// Every tool, in the order they are offered.
    pub const ALL: [ToolName; 4] = [
        ToolName::ReviewOrder,
        ToolName::PlaceOrder,
        ToolName::EndCall,
        ToolName::TransferToHuman,
    ];

    /// The function name the model sees and calls.
    pub const fn as_str(self) -> &'static str {
        match self {
            ToolName::ReviewOrder => "review_order",
            ToolName::PlaceOrder => "place_order",
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
const SHAPE_HINT: &str = r#"send {"items":[{"item_id":"…","size_id":"…","quantity":1}],"address":"…","landmark":"…","customer_name":"…"}"#;

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
/// menu is available, so the model cannot try), `end_call`, and `transfer_to_human` only
/// when the shop has a number to transfer to.
pub fn tool_definitions(menu: &Menu, can_transfer: bool) -> Vec<Tool> {
    let mut tools = Vec::with_capacity(4);
    if menu.available_items().next().is_some() {
        let params = order_parameters(menu);
        tools.push(Tool::function(
            ToolName::ReviewOrder.as_str(),
            "Check and price the COMPLETE order (every item, the delivery address, the \
             customer's name) without saving anything. Returns the exact lines and the total \
             in rupees: read them back to the caller in Urdu and ask them to confirm. After \
             any change, call it again with the complete corrected order. The caller's phone \
             number is known from the call: never ask for it.",
            params.clone(),
        ));
        tools.push(Tool::function(
            ToolName::PlaceOrder.as_str(),
            format!(
                "Save the COMPLETE order and send it to the kitchen. Call it only after \
                 {review}, and only after the caller clearly said yes to the read-back; send \
                 the same order you reviewed. Returns the order number and the delivery time: \
                 tell them to the caller only after this succeeds, never before. Payment is \
                 cash on delivery. The caller's phone number is known from the call: never ask \
                 for it.",
                review = ToolName::ReviewOrder
            ),
            params,
        ));
    }
    tools.push(Tool::function(
        ToolName::EndCall.as_str(),
        "Hang up. Call it only after saying goodbye (Allah Hafiz), when the caller has \
         nothing more to ask.",
        no_parameters(),
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
    tools
}

fn no_parameters() -> Value {
    json!({"type": "object", "properties": {}, "additionalProperties": false})
}

/// The JSON Schema of a complete order, with the available item ids and their size ids as
/// enums and a catalogue mapping each id to its names, sizes and prices.
fn order_parameters(menu: &Menu) -> Value {
    let mut item_ids = Vec::new();
    let mut size_ids: Vec<&str> = Vec::new();
    let mut catalogue = String::from(
        "The menu item. Available items (id = English name / Urdu name: size id = label \
         price):",
    );
    for item in menu.available_items() {
        item_ids.push(item.id.0.as_str());
        let ur = item.name_ur.as_deref().unwrap_or(&item.name);
        catalogue.push_str(&format!("\n- {} = {} / {}:", item.id, item.name, ur));
        for (i, size) in item.sizes.iter().enumerate() {
            let sep = if i == 0 { "" } else { "," };
            catalogue.push_str(&format!(
                " {sep}{} = {} {}",
                size.id, size.label, size.price
            ));
            if !size_ids.contains(&size.id.0.as_str()) {
                size_ids.push(size.id.0.as_str());
            }
        }
    }
    json!({
        "type": "object",
        "properties": {
            "items": {
                "type": "array",
                "minItems": 1,
                "maxItems": MAX_LINES,
                "description": "Every line of the order: each pizza flavour and size, each \
                    side and drink, with how many. Repeat a flavour in another size as its \
                    own line.",
                "items": {
                    "type": "object",
                    "properties": {
                        "item_id": {"type": "string", "enum": item_ids, "description": catalogue},
                        "size_id": {
                            "type": "string",
                            "enum": size_ids,
                            "description": "A size id listed for that item (e.g. bara = large)."
                        },
                        "quantity": {
                            "type": "integer",
                            "minimum": Quantity::MIN,
                            "maximum": Quantity::MAX,
                            "description": "How many of this item in this size."
                        }
                    },
                    "required": ["item_id", "size_id", "quantity"],
                    "additionalProperties": false
                }
            },
            "address": {
                "type": "string",
                "description": "Delivery address as the caller said it: house number and \
                    street, block/phase/sector, and area (and city if given)."
            },
            "landmark": {
                "type": "string",
                "description": "A nearby landmark the rider can find, e.g. near Hafeez Centre."
            },
            "customer_name": {"type": "string", "description": "The customer's name."}
        },
        "required": ["items", "address", "customer_name"],
        "additionalProperties": false
    })
}

/// Reads the model's arguments for `review_order` / `place_order` into an [`OrderRequest`]
/// with no phone (the phone comes from the call). Never panics; checking the order against
/// the menu is [`NewOrder::price`]'s job. A quantity may be a number or a numeric string.
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
    let mut problems = Vec::new();
    let items = match args.get("items") {
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .filter_map(|(i, line)| parse_line(i, line, &mut problems))
            .collect(),
        None | Some(Value::Null) => {
            problems.push("`items` is missing: list every item of the order".to_string());
            Vec::new()
        }
        Some(_) => {
            problems.push("`items` must be an array of {item_id, size_id, quantity}".into());
            Vec::new()
        }
    };
    let address = text(&args, "address", &mut problems).unwrap_or_default();
    let landmark = text(&args, "landmark", &mut problems);
    let customer_name = text(&args, "customer_name", &mut problems);
    if !problems.is_empty() {
        return Err(ToolError::Shape(problems.join("; ")));
    }
    Ok(OrderRequest {
        items,
        address: Some(address),
        landmark,
        customer_name,
        ..OrderRequest::default()
    })
}

fn parse_line(i: usize, line: &Value, problems: &mut Vec<String>) -> Option<LineRequest> {
    let Value::Object(line) = line else {
        problems.push(format!(
            "`items[{i}]` must be an object {{item_id, size_id, quantity}}"
        ));
        return None;
    };
    let mut id = |field: &str| match line.get(field) {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_lowercase()),
        _ => {
            problems.push(format!("`items[{i}].{field}` must be an id from the enum"));
            None
        }
    };
    let item_id = id("item_id");
    let size_id = id("size_id");
    let quantity = match line.get("quantity") {
        Some(Value::Number(n)) => n.as_i64().or_else(|| n.as_f64().and_then(whole_number)),
        Some(Value::String(s)) => {
            let s = s.trim();
            s.parse::<i64>()
                .ok()
                .or_else(|| s.parse::<f64>().ok().and_then(whole_number))
        }
        _ => None,
    };
    if quantity.is_none() {
        problems.push(format!(
            "`items[{i}].quantity` must be a whole number from {} to {}",
            Quantity::MIN,
            Quantity::MAX
        ));
    }
    Some(LineRequest::item(item_id?, size_id?, quantity?))
}

/// `2.0` → 2; fractions, infinities and numbers beyond ±1e15 are not quantities.
fn whole_number(f: f64) -> Option<i64> {
    (f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15).then_some(f as i64)
}

/// An optional text field: absent or `null` is `None`; anything but a string is a problem.
fn text(args: &Map<String, Value>, field: &str, problems: &mut Vec<String>) -> Option<String> {
    match args.get(field) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => {
            problems.push(format!("`{field}` must be a string"));
            None
        }
    }
}

fn clip(s: &str) -> String {
    s.chars().take(200).collect()
}

/// Rupees as a JSON number: whole rupees as an integer, otherwise with the paisa as decimals.
fn rupees(m: Money) -> Value {
    if m.paisa() % 100 == 0 {
        json!(m.paisa() / 100)
    } else {
        json!(m.paisa() as f64 / 100.0)
    }
}

/// The output of `review_order`: the priced lines and total to read back, and the rule
/// that `place_order` waits for the caller's yes.
pub fn review_output(order: &NewOrder) -> String {
    let lines: Vec<Value> = order
        .lines()
        .iter()
        .map(|l| {
            json!({
                "item": l.name,
                "item_ur": l.name_ur,
                "size": l.size_label,
                "quantity": l.quantity.get(),
                "line_total_rupees": rupees(l.line_total),
            })
        })
        .collect();
    json!({
        "ok": true,
        "lines": lines,
        "total_rupees": rupees(order.total()),
        "address": order.address(),
        "landmark": order.landmark(),
        "customer_name": order.customer_name(),
        "next": format!(
            "Read every line and the total back to the caller in Urdu and ask them to \
             confirm. Do not call {place} until they say yes.",
            place = ToolName::PlaceOrder
        ),
    })
    .to_string()
}

/// The output of a successful `place_order`: the real order number, total, payment and
/// delivery time to tell the caller.
pub fn placed_output(order: &Order, eta_minutes: u32) -> String {
    let n = order.number;
    json!({
        "ok": true,
        "order_number": n,
        "total_rupees": rupees(order.total),
        "eta_minutes": eta_minutes,
        "payment": "cash on delivery",
        "next": format!(
            "Tell the caller in Urdu that order number {n} is confirmed, the total, cash on \
             delivery, and delivery in about {eta_minutes} minutes; then say goodbye and call \
             {end_call}.",
            end_call = ToolName::EndCall
        ),
    })
    .to_string()
}

/// A failed tool call: `{"ok":false,"error":message}`.
pub fn error_output(message: &str) -> String {
    json!({"ok": false, "error": message}).to_string()
}

/// An order the menu or the rules refused: every field problem (the messages name the
/// allowed values) and what to do next.
pub fn validation_output(errors: &ValidationErrors) -> String {
    let list: Vec<Value> = errors
        .0
        .iter()
        .map(|e| json!({"field": e.field, "message": e.message}))
        .collect();
    json!({
        "ok": false,
        "error": "the order was not accepted",
        "errors": list,
        "next": "Explain each problem to the caller in Urdu (a sold-out item is not available \
                 today: offer something else), ask them for what is missing or wrong, then \
                 call the tool again with the complete corrected order.",
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, Utc};
    use kitchen_domain::{OrderSource, OrderStatus};
    use voice_protocol::realtime::session::FunctionTool;

    fn menu_with_malai_boti_sold_out() -> Menu {
        let mut items = Menu::default_menu().items().to_vec();
        for item in items.iter_mut().filter(|i| i.id.0 == "malai-boti") {
            item.available = false;
        }
        Menu::new(items).unwrap()
    }

    fn function(tools: &[Tool], name: ToolName) -> FunctionTool {
        tools
            .iter()
            .map(|Tool::Function(f)| f.clone())
            .find(|f| f.name == name.as_str())
            .unwrap_or_else(|| panic!("no tool {name}"))
    }

    fn good_args() -> String {
        json!({
            "items": [
                {"item_id": "chicken-tikka", "size_id": "large", "quantity": 2},
                {"item_id": "coca-cola", "size_id": "1.5l", "quantity": 1}
            ],
            "address": "House 12, Street 4, Block C, Gulberg III",
            "landmark": "near Hafeez Centre",
            "customer_name": "Ali"
        })
        .to_string()
    }

    fn priced() -> NewOrder {
        let req = parse_order_arguments(&good_args()).unwrap();
        NewOrder::price(&req, &Menu::default_menu()).unwrap()
    }

    fn json_of(text: &str) -> Value {
        serde_json::from_str(text).unwrap()
    }

    #[test]
    fn the_item_enum_lists_exactly_the_available_item_ids() {
        let menu = menu_with_malai_boti_sold_out();
        let tools = tool_definitions(&menu, false);
        for name in [ToolName::ReviewOrder, ToolName::PlaceOrder] {
            let p = function(&tools, name).parameters;
            let item_id = &p["properties"]["items"]["items"]["properties"]["item_id"];
            let ids: Vec<&str> = item_id["enum"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(Value::as_str)
                .collect();
            let expected: Vec<&str> = menu.available_items().map(|i| i.id.0.as_str()).collect();
            assert_eq!(ids, expected);
            assert!(!ids.contains(&"malai-boti"));
            let catalogue = item_id["description"].as_str().unwrap();
            assert!(catalogue.contains("chicken-tikka = Chicken Tikka / چکن تکہ:"));
            assert!(catalogue.contains("large = Large 13\" Rs 2,199"));
            assert!(!catalogue.contains("Malai Boti"));
        }
    }

    #[test]
    fn the_order_schema_has_a_json_schema_shape() {
        let tools = tool_definitions(&Menu::default_menu(), false);
        let p = function(&tools, ToolName::ReviewOrder).parameters;
        assert_eq!(p["type"], "object");
        assert_eq!(p["additionalProperties"], false);
        assert_eq!(p["required"], json!(["items", "address", "customer_name"]));
        for field in p["required"].as_array().unwrap() {
            assert!(p["properties"].get(field.as_str().unwrap()).is_some());
        }
        let items = &p["properties"]["items"];
        assert_eq!(
            (items["minItems"].clone(), items["maxItems"].clone()),
            (json!(1), json!(30))
        );
        let line = &items["items"];
        assert_eq!(line["required"], json!(["item_id", "size_id", "quantity"]));
        let q = &line["properties"]["quantity"];
        assert_eq!(
            (&q["type"], &q["minimum"], &q["maximum"]),
            (&json!("integer"), &json!(1), &json!(20))
        );
        let sizes = line["properties"]["size_id"]["enum"].as_array().unwrap();
        for s in [
            "small", "large", "family", "345ml", "1.5l", "6-pcs", "regular",
        ] {
            assert_eq!(sizes.iter().filter(|v| *v == s).count(), 1, "{s} once");
        }
        assert_eq!(function(&tools, ToolName::PlaceOrder).parameters, p);
    }

    #[test]
    fn transfer_is_offered_only_when_the_shop_can_take_the_call() {
        use ToolName::*;
        let names = |can| -> Vec<ToolName> {
            tool_definitions(&Menu::default_menu(), can)
                .into_iter()
                .map(|Tool::Function(f)| f.name.parse().unwrap())
                .collect()
        };
        assert_eq!(names(false), [ReviewOrder, PlaceOrder, EndCall]);
        assert_eq!(names(true), ToolName::ALL);
        let tools = tool_definitions(&Menu::default_menu(), true);
        let wire = serde_json::to_value(&tools[2]).unwrap();
        assert_eq!(wire["type"], "function");
        assert_eq!(wire["parameters"]["type"], "object");
        assert!(
            function(&tools, PlaceOrder)
                .description
                .unwrap()
                .contains(&format!(
                    "Call it only after {}, and only after the caller clearly said yes",
                    ReviewOrder
                ))
        );
    }

    #[test]
    fn tool_names_are_the_wire_names_and_parse_back() {
        let wire: Vec<&str> = ToolName::ALL.iter().map(|t| t.as_str()).collect();
        assert_eq!(
            wire,
            [
                "review_order",
                "place_order",
                "end_call",
                "transfer_to_human"
            ]
        );
        for tool in ToolName::ALL {
            assert_eq!(tool.as_str().parse::<ToolName>(), Ok(tool));
            assert_eq!(tool.to_string(), tool.as_str());
        }
        for stranger in ["", "Place_Order", "place_order ", "order_pizza"] {
            let err = stranger.parse::<ToolName>().unwrap_err();
            assert_eq!(err, UnknownTool(stranger.to_string()));
            assert_eq!(
                err.to_string(),
                format!("there is no tool called `{stranger}`")
            );
        }
    }

    #[test]
    fn good_arguments_become_a_request_without_a_phone() {
        let req = parse_order_arguments(&good_args()).unwrap();
        assert_eq!(req.items.len(), 2);
        assert_eq!(req.items[0].item_id, "chicken-tikka");
        assert_eq!(
            (req.items[0].size_id.as_str(), req.items[0].quantity),
            ("large", 2)
        );
        assert_eq!(req.landmark.as_deref(), Some("near Hafeez Centre"));
        assert_eq!(req.customer_name.as_deref(), Some("Ali"));
        assert_eq!(req.customer_phone, None);
    }

    #[test]
    fn the_phone_the_model_sends_is_ignored() {
        let args = r#"{"items":[{"item_id":"veggie","size_id":"small","quantity":1}],
            "address":"x","customer_name":"A","customer_phone":"03001234567"}"#;
        assert_eq!(parse_order_arguments(args).unwrap().customer_phone, None);
    }

    #[test]
    fn a_quantity_may_be_a_numeric_string_or_a_whole_float() {
        let args = r#"{"items":[{"item_id":" Veggie ","size_id":"small","quantity":" 3 "},
            {"item_id":"pepsi","size_id":"345ml","quantity":2.0}],"address":"x","customer_name":null}"#;
        let req = parse_order_arguments(args).unwrap();
        assert_eq!(
            (req.items[0].item_id.as_str(), req.items[0].quantity),
            ("veggie", 3)
        );
        assert_eq!(req.items[1].quantity, 2);
        assert_eq!(req.customer_name, None);
    }

    #[test]
    fn bad_quantities_and_shapes_are_named_field_by_field() {
        let args = r#"{"items":[{"item_id":"veggie","size_id":"small","quantity":"two"},
            {"item_id":"veggie","size_id":"small","quantity":1.5}, 7,
            {"size_id":"small","quantity":1e300}],"address":5}"#;
        let e = parse_order_arguments(args).unwrap_err().to_string();
        for part in [
            "`items[0].quantity` must be a whole number from 1 to 20",
            "`items[1].quantity`",
            "`items[2]` must be an object",
            "`items[3].item_id` must be an id",
            "`items[3].quantity`",
            "`address` must be a string",
            "send {\"items\":[",
        ] {
            assert!(e.contains(part), "{part} in {e}");
        }
    }

    #[test]
    fn garbage_gives_an_error_the_ai_can_act_on() {
        let e = parse_order_arguments("{items: chicken").unwrap_err();
        assert!(matches!(e, ToolError::NotJson(_)));
        let text = e.to_string();
        assert!(
            text.starts_with("the arguments are not valid JSON: "),
            "{text}"
        );
        assert!(text.contains(r#"send {"items":[{"item_id""#), "{text}");
        for bad in ["", "null", "[]", "\"order\"", "42", "{}", r#"{"items":{}}"#] {
            assert!(parse_order_arguments(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn huge_or_deeply_nested_input_is_refused_without_panicking() {
        let huge = format!(r#"{{"address":"{}"}}"#, "x".repeat(MAX_ARGUMENTS_LEN));
        assert!(matches!(
            parse_order_arguments(&huge),
            Err(ToolError::TooLong(_))
        ));
        let deep = format!("{}{}", "[".repeat(20_000), "]".repeat(20_000));
        assert!(matches!(
            parse_order_arguments(&deep),
            Err(ToolError::NotJson(_))
        ));
        let line = r#"{"item_id":"pepsi","size_id":"345ml","quantity":99999999999999999999}"#;
        let many = format!(
            r#"{{"items":[{}],"address":"x"}}"#,
            vec![line; 500].join(",")
        );
        assert!(parse_order_arguments(&many).is_err());
    }

    #[test]
    fn every_prefix_and_mangling_of_good_arguments_parses_or_errors_without_panicking() {
        let good = good_args();
        for (i, _) in good.char_indices() {
            let _ = parse_order_arguments(&good[..i]);
            let mangled: String = good
                .chars()
                .enumerate()
                .map(|(j, c)| if j % (i + 2) == 0 { '"' } else { c })
                .collect();
            let _ = parse_order_arguments(&mangled);
        }
    }

    #[test]
    fn too_many_lines_parse_and_are_refused_by_the_domain() {
        let line = json!({"item_id": "pepsi", "size_id": "345ml", "quantity": 1});
        let args = json!({"items": vec![line; 31], "address": "x", "customer_name": "A"});
        let req = parse_order_arguments(&args.to_string()).unwrap();
        let errors = NewOrder::price(&req, &Menu::default_menu()).unwrap_err();
        assert_eq!(errors.0[0].field, "items");
    }

    #[test]
    fn the_review_output_holds_the_lines_and_the_total_in_rupees() {
        let order = priced();
        let out = json_of(&review_output(&order));
        assert_eq!(out["ok"], true);
        assert_eq!(
            out["lines"][0],
            json!({"item": "Chicken Tikka", "item_ur": "چکن تکہ", "size": "Large 13\"",
                   "quantity": 2, "line_total_rupees": 4398})
        );
        assert_eq!(out["lines"][1]["line_total_rupees"], 320);
        assert_eq!(out["total_rupees"], json!(order.total().paisa() / 100));
        assert_eq!(out["total_rupees"], 4718);
        assert_eq!(out["landmark"], "near Hafeez Centre");
        assert_eq!(out["customer_name"], "Ali");
        assert!(
            out["next"]
                .as_str()
                .unwrap()
                .contains(&format!("Do not call {}", ToolName::PlaceOrder))
        );
    }

    #[test]
    fn rupees_are_paisa_divided_by_a_hundred() {
        assert_eq!(rupees(Money::from_paisa(439_800)), json!(4398));
        assert_eq!(rupees(Money::from_paisa(125_050)), json!(1250.5));
        assert_eq!(rupees(Money::ZERO), json!(0));
    }

    #[test]
    fn the_placed_output_gives_the_real_number_and_eta() {
        let new = priced();
        let now = Utc::now();
        let order = Order {
            id: 1,
            uuid: uuid::Uuid::new_v4(),
            number: 17,
            business_date: NaiveDate::from_ymd_opt(2026, 5, 1).unwrap(),
            status: OrderStatus::New,
            cancel_reason: None,
            lines: new.lines().to_vec(),
            address: new.address().into(),
            landmark: None,
            customer_name: None,
            customer_phone: None,
            total: new.total(),
            source: OrderSource::Phone,
            call_sid: Some("CA1".into()),
            created_at: now,
            updated_at: now,
            history: Vec::new(),
        };
        let out = json_of(&placed_output(&order, 35));
        assert_eq!(out["order_number"], 17);
        assert_eq!(out["total_rupees"], 4718);
        assert_eq!(out["eta_minutes"], 35);
        assert_eq!(out["payment"], "cash on delivery");
        let next = out["next"].as_str().unwrap();
        assert!(next.contains("order number 17") && next.contains("about 35 minutes"));
        assert!(
            next.contains(&format!("call {}.", ToolName::EndCall)),
            "{next}"
        );
    }

    #[test]
    fn errors_and_refusals_are_json_with_a_next_step() {
        let out = json_of(&error_output("the kitchen is closed \"now\""));
        assert_eq!(
            out,
            json!({"ok": false, "error": "the kitchen is closed \"now\""})
        );

        let mut req = parse_order_arguments(&good_args()).unwrap();
        req.items[0].size_id = "huge".into();
        req.items[1].item_id = "malai-boti".into();
        let errors = NewOrder::price(&req, &menu_with_malai_boti_sold_out()).unwrap_err();
        let out = json_of(&validation_output(&errors));
        assert_eq!(out["ok"], false);
        assert_eq!(out["errors"][0]["field"], "items[0].size_id");
        assert_eq!(
            out["errors"][0]["message"],
            "size `huge` is not on the menu for Chicken Tikka; sizes are small, medium, large, family"
        );
        assert!(
            out["errors"][1]["message"]
                .as_str()
                .unwrap()
                .contains("sold out")
        );
        assert!(
            out["next"]
                .as_str()
                .unwrap()
                .contains("complete corrected order")
        );
    }

    #[test]
    fn a_menu_with_nothing_available_offers_no_order_tools() {
        let mut items = Menu::default_menu().items().to_vec();
        items.iter_mut().for_each(|i| i.available = false);
        let tools = tool_definitions(&Menu::new(items).unwrap(), true);
        let names: Vec<_> = tools.into_iter().map(|Tool::Function(f)| f.name).collect();
        assert_eq!(
            names,
            [
                ToolName::EndCall.as_str(),
                ToolName::TransferToHuman.as_str()
            ]
        );
    }
}
