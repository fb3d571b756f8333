use super::output::rupees;
use super::*;
use chrono::{NaiveDate, NaiveDateTime, Utc};
use kitchen_domain::{
    DeliveryZone, FulfilmentRequest, Money, NewOrder, Order, OrderRequest, OrderSource,
    OrderStatus, PaymentMethod, PriceContext, TaxSettings,
};
use voice_protocol::realtime::session::FunctionTool;

/// A Friday evening, inside every deal's hours but the midnight one.
fn evening() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 12, 4)
        .unwrap()
        .and_hms_opt(20, 0, 0)
        .unwrap()
}

fn zone(id: &str, fee: i64, free_above: Option<i64>, min: i64, eta: u32) -> DeliveryZone {
    DeliveryZone {
        id: id.into(),
        name: format!("{id} zone"),
        name_ur: None,
        fee: Money::from_rupees(fee),
        min_order: Money::from_rupees(min),
        free_above: free_above.map(Money::from_rupees),
        eta_minutes: eta,
        areas: vec![format!("{id} area")],
    }
}

/// A registered shop with two zones, pickup on, that adds 16 % tax on cash and 5 % on card.
fn shop() -> ShopSettings {
    let mut shop = ShopSettings {
        delivery_zones: vec![
            zone("gulberg", 150, Some(3000), 1000, 35),
            zone("dha", 250, None, 2000, 50),
        ],
        tax: TaxSettings {
            registered: true,
            prices_include_tax: false,
            ..TaxSettings::default()
        },
        ..ShopSettings::default()
    };
    shop.pickup.enabled = true;
    shop
}

fn menu_with_malai_boti_sold_out() -> Menu {
    let mut parts = Menu::default_menu().to_parts();
    for item in parts.items.iter_mut().filter(|i| i.id.0 == "malai-boti") {
        item.available = false;
    }
    Menu::from_parts(parts).unwrap()
}

fn function(tools: &[Tool], name: ToolName) -> FunctionTool {
    tools
        .iter()
        .map(|Tool::Function(f)| f.clone())
        .find(|f| f.name == name.as_str())
        .unwrap_or_else(|| panic!("no tool {name}"))
}

fn strings(v: &Value) -> Vec<&str> {
    v.as_array()
        .unwrap_or_else(|| panic!("not an array: {v}"))
        .iter()
        .filter_map(Value::as_str)
        .collect()
}

/// What a caller ordering «ڈیل 3، ملائی بوٹی کے ساتھ، ایک سٹفڈ کرسٹ لارج تکہ ایکسٹرا چیز» ends up as.
fn good_args() -> Value {
    json!({
        "items": [
            {"item_id": "chicken-tikka", "size_id": "large", "quantity": 2,
             "options": [{"group": "crust", "option": "stuffed"}, {"group": "extras", "option": "cheese"}],
             "note": "kam mirch"},
            {"item_id": "pepperoni", "size_id": "family", "quantity": 1, "half": {"item_id": "veggie"}},
            {"deal_id": "deal-3", "quantity": 1, "choices": [
                {"slot": "pizza", "item_id": "malai-boti", "size_id": "large"},
                {"slot": "drink", "item_id": "coca-cola", "size_id": "1.5l"}]}
        ],
        "fulfilment": {"type": "delivery", "address": "House 12, Street 4, Block C, Gulberg III",
                       "landmark": "near Hafeez Centre", "zone_id": "gulberg"},
        "payment": {"method": "cash", "pays_with": "20,000"},
        "customer_name": "Ali",
        "note": "ring twice"
    })
}

fn price(req: &OrderRequest, menu: &Menu, shop: &ShopSettings) -> NewOrder {
    NewOrder::price(
        req,
        PriceContext {
            menu,
            settings: shop,
            now: evening(),
        },
    )
    .unwrap_or_else(|e| panic!("{e:?}"))
}

fn priced() -> NewOrder {
    let req = parse_order_arguments(&good_args().to_string()).unwrap();
    price(&req, &Menu::default_menu(), &shop())
}

fn json_of(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

fn placed(new: &NewOrder, number: u32, eta: Option<u32>) -> Order {
    let now = Utc::now();
    Order {
        id: 1,
        uuid: uuid::Uuid::new_v4(),
        number,
        business_date: NaiveDate::from_ymd_opt(2026, 12, 4).unwrap(),
        status: OrderStatus::New,
        cancel_reason: None,
        rider: None,
        lines: new.lines().to_vec(),
        fulfilment: new.fulfilment().clone(),
        payment: *new.payment(),
        customer_name: new.customer_name().map(str::to_string),
        customer_phone: None,
        note: new.note().map(str::to_string),
        bill: new.bill().clone(),
        total: new.total(),
        eta_minutes: eta,
        source: OrderSource::Phone,
        call_sid: Some("CA1".into()),
        created_at: now,
        updated_at: now,
        status_since: now,
        history: Vec::new(),
        changed: None,
    }
}

#[test]
fn tool_names_are_the_wire_names_and_parse_back() {
    let wire: Vec<&str> = ToolName::ALL.iter().map(|t| t.as_str()).collect();
    assert_eq!(
        wire,
        [
            "update_order",
            "confirm_order",
            "lookup_orders",
            "cancel_order",
            "amend_order",
            "end_call",
            "transfer_to_human",
            "hold"
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
fn the_item_enum_lists_exactly_the_orderable_items_with_a_catalogue() {
    let menu = menu_with_malai_boti_sold_out();
    let tools = tool_definitions(&menu, &shop(), false);
    {
        let name = ToolName::UpdateOrder;
        let p = function(&tools, name).parameters;
        let item_id = &p["properties"]["items"]["items"]["properties"]["item_id"];
        let expected: Vec<&str> = menu.available_items().map(|i| i.id.0.as_str()).collect();
        assert_eq!(strings(&item_id["enum"]), expected);
        assert!(!strings(&item_id["enum"]).contains(&"malai-boti"));
        let catalogue = item_id["description"].as_str().unwrap();
        assert!(
            catalogue.contains("- chicken-tikka = Chicken Tikka / چکن تکہ:"),
            "{catalogue}"
        );
        assert!(
            catalogue.contains("large = Large 13\" Rs 2,199"),
            "{catalogue}"
        );
        assert!(
            catalogue.contains("options: crust, extras, remove; half-and-half: large, family"),
            "{catalogue}"
        );
        assert!(!catalogue.contains("Malai Boti"));
    }
}

#[test]
fn options_halves_and_deals_offer_only_what_is_on() {
    let mut parts = Menu::default_menu().to_parts();
    // Crown crust sold out; only Pepsi among the 345 ml colas, so deal 1 still fills but
    // no 1.5 l cola is left for deals 3 and 4.
    for g in parts.option_groups.iter_mut().filter(|g| g.id == "crust") {
        g.options
            .iter_mut()
            .filter(|o| o.id == "crown")
            .for_each(|o| o.available = false);
    }
    for item in parts
        .items
        .iter_mut()
        .filter(|i| i.kind == kitchen_domain::ItemKind::Drink)
    {
        for s in item.sizes.iter_mut() {
            s.available = item.id.0 == "pepsi" && s.id.0 == "345ml";
        }
    }
    let menu = Menu::from_parts(parts).unwrap();
    let tools = tool_definitions(&menu, &shop(), false);
    let line = &function(&tools, ToolName::UpdateOrder).parameters["properties"]["items"]["items"];
    let props = &line["properties"];
    let options = &props["options"];
    assert_eq!(
        strings(&options["items"]["properties"]["group"]["enum"]),
        ["crust", "extras", "remove"]
    );
    let option_ids = strings(&options["items"]["properties"]["option"]["enum"]);
    assert!(option_ids.contains(&"stuffed") && option_ids.contains(&"no-onion"));
    assert!(!option_ids.contains(&"crown"), "sold out: {option_ids:?}");
    let text = options["description"].as_str().unwrap();
    assert!(
        text.contains("stuffed = Stuffed crust medium Rs 250 / large Rs 350 / family Rs 450"),
        "{text}"
    );
    assert!(
        text.contains("- crust (Crust / کرسٹ: choose 0 to 1): regular = Regular crust free;"),
        "{text}"
    );
    let halves = strings(&props["half"]["properties"]["item_id"]["enum"]);
    assert_eq!(halves.len(), 7, "every pizza: {halves:?}");
    let deals = strings(&props["deal_id"]["enum"]);
    assert!(
        deals.contains(&"deal-1") && deals.contains(&"deal-2"),
        "{deals:?}"
    );
    assert!(
        !deals.contains(&"deal-3") && !deals.contains(&"deal-4"),
        "no 1.5 l drink: {deals:?}"
    );
    let catalogue = props["deal_id"]["description"].as_str().unwrap();
    assert!(
        catalogue.contains("drink ×1 = pepsi; size 345ml"),
        "{catalogue}"
    );
    assert!(
        catalogue.contains("midnight = ") && catalogue.contains("only "),
        "{catalogue}"
    );
    let choice = &props["choices"]["items"];
    assert_eq!(choice["required"], json!(["slot", "item_id"]));
    assert!(strings(&choice["properties"]["slot"]["enum"]).contains(&"drinks"));
}

#[test]
fn premium_surcharges_are_in_the_deal_catalogue() {
    let tools = tool_definitions(&Menu::default_menu(), &shop(), false);
    let p = function(&tools, ToolName::UpdateOrder).parameters;
    let catalogue = p["properties"]["items"]["items"]["properties"]["deal_id"]["description"]
        .as_str()
        .unwrap()
        .to_string();
    let deal3 = catalogue
        .lines()
        .find(|l| l.starts_with("- deal-3 = "))
        .unwrap();
    assert!(deal3.contains("Rs 2,349"), "{deal3}");
    assert!(
        deal3.contains("malai-boti +Rs 150") && deal3.contains("pepperoni +Rs 150"),
        "{deal3}"
    );
    let deal4 = catalogue
        .lines()
        .find(|l| l.starts_with("- deal-4 = "))
        .unwrap();
    let pizzas = deal4.split('|').next().unwrap();
    assert!(
        !pizzas.contains("malai-boti") && !pizzas.contains("pepperoni"),
        "excluded: {deal4}"
    );
}

#[test]
fn fulfilment_and_payment_follow_the_shops_settings() {
    let mut s = shop();
    let tools = tool_definitions(&Menu::default_menu(), &s, false);
    let p = function(&tools, ToolName::UpdateOrder).parameters;
    assert_eq!(
        p["required"],
        json!(["items"]),
        "a draft is sent before the rest is known"
    );
    let f = &p["properties"]["fulfilment"];
    assert_eq!(
        strings(&f["properties"]["type"]["enum"]),
        ["delivery", "pickup"]
    );
    assert_eq!(
        strings(&f["properties"]["zone_id"]["enum"]),
        ["gulberg", "dha"]
    );
    let zones = f["properties"]["zone_id"]["description"].as_str().unwrap();
    assert!(zones.contains("- gulberg = gulberg zone / gulberg zone: fee Rs 150, free from Rs 3,000, minimum Rs 1,000, about 35 min; areas: gulberg area"), "{zones}");
    let pay = &p["properties"]["payment"];
    assert_eq!(
        strings(&pay["properties"]["method"]["enum"]),
        ["cash", "card", "wallet"]
    );
    assert!(
        pay["properties"]["method"]["description"]
            .as_str()
            .unwrap()
            .contains("cash 16 %, card 5 %, wallet 5 %")
    );

    s.pickup.enabled = false;
    s.delivery_zones.clear();
    s.payment_methods = vec![PaymentMethod::Cash];
    s.tax.registered = false;
    let tools = tool_definitions(&Menu::default_menu(), &s, false);
    let p = function(&tools, ToolName::UpdateOrder).parameters;
    let f = &p["properties"]["fulfilment"];
    assert_eq!(strings(&f["properties"]["type"]["enum"]), ["delivery"]);
    assert!(
        f["properties"].get("zone_id").is_none()
            && f["properties"].get("pickup_in_minutes").is_none()
    );
    assert_eq!(
        strings(&p["properties"]["payment"]["properties"]["method"]["enum"]),
        ["cash"]
    );
    assert!(
        !p["properties"]["payment"]["properties"]["method"]["description"]
            .as_str()
            .unwrap()
            .contains('%')
    );
}

#[test]
fn the_schema_is_a_valid_json_schema_that_accepts_a_real_order_and_refuses_strangers() {
    let tools = tool_definitions(&Menu::default_menu(), &shop(), true);
    let p = function(&tools, ToolName::UpdateOrder).parameters;
    let schema = jsonschema::draft202012::new(&p).expect("a valid JSON Schema");
    let good = good_args();
    let mut good = good;
    // The schema asks for numbers where the parser also forgives strings.
    good["payment"]["pays_with"] = json!(20000);
    let errors: Vec<String> = schema.iter_errors(&good).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}");
    let pickup = json!({"items": [{"item_id": "fries", "quantity": 1}],
        "fulfilment": {"type": "pickup", "pickup_in_minutes": 20},
        "payment": {"method": "card"}, "customer_name": "Sana"});
    assert!(schema.is_valid(&pickup));
    // A draft may be sent before delivery, payment and name are known, with what the
    // caller said of the callback number.
    let early = json!({"items": [{"item_id": "fries", "quantity": 1}],
        "callback_number": "03001234567", "callback_confirmed": true});
    assert!(schema.is_valid(&early));
    let confirm = function(&tools, ToolName::ConfirmOrder).parameters;
    let confirm = jsonschema::draft202012::new(&confirm).expect("a valid JSON Schema");
    assert!(confirm.is_valid(&json!({"quote_id": "Q2"})));
    assert!(!confirm.is_valid(&json!({})));
    assert!(!confirm.is_valid(&json!({"quote_id": "Q2", "items": []})));
    for bad in [
        json!({"items": [{"item_id": "sushi", "quantity": 1}], "fulfilment": {"type": "pickup"}, "payment": {"method": "cash"}, "customer_name": "A"}),
        json!({"items": [{"item_id": "fries", "quantity": 21}], "fulfilment": {"type": "pickup"}, "payment": {"method": "cash"}, "customer_name": "A"}),
        json!({"items": [{"item_id": "fries", "quantity": 1}], "fulfilment": {"type": "pickup"}, "payment": {"method": "cheque"}, "customer_name": "A"}),
        json!({"items": [{"item_id": "fries", "quantity": 1}], "fulfilment": {"type": "delivery", "zone_id": "mars"}, "payment": {"method": "cash"}, "customer_name": "A"}),
        json!({"items": [{"item_id": "fries", "quantity": 1}], "fulfilment": {"type": "pickup"}, "payment": {"method": "cash"}, "customer_name": "A", "customer_phone": "0300"}),
        json!({"items": [], "fulfilment": {"type": "pickup"}, "payment": {"method": "cash"}, "customer_name": "A"}),
    ] {
        assert!(!schema.is_valid(&bad), "accepted {bad}");
    }
}

#[test]
fn transfer_is_always_offered_and_says_whether_it_reaches_a_person_or_a_call_back() {
    let names = |can| -> Vec<ToolName> {
        tool_definitions(&Menu::default_menu(), &shop(), can)
            .into_iter()
            .map(|Tool::Function(f)| f.name.parse().unwrap())
            .collect()
    };
    assert_eq!(names(false), ToolName::ALL);
    assert_eq!(names(true), ToolName::ALL);
    let describe = |can| {
        function(
            &tool_definitions(&Menu::default_menu(), &shop(), can),
            ToolName::TransferToHuman,
        )
        .description
        .unwrap()
    };
    assert!(
        describe(true).contains("connecting them"),
        "{}",
        describe(true)
    );
    assert!(
        describe(false).contains("call-back card"),
        "{}",
        describe(false)
    );
    let params = function(
        &tool_definitions(&Menu::default_menu(), &shop(), true),
        ToolName::TransferToHuman,
    )
    .parameters;
    assert_eq!(params["required"], json!(["reason", "summary"]));
    let tools = tool_definitions(&Menu::default_menu(), &shop(), true);
    let wire = serde_json::to_value(&tools[2]).unwrap();
    assert_eq!(wire["type"], "function");
    assert_eq!(wire["parameters"]["type"], "object");
    assert!(
        function(&tools, ToolName::ConfirmOrder)
            .description
            .unwrap()
            .contains("the caller clearly said yes")
    );
}

#[test]
fn a_menu_with_nothing_available_offers_no_order_tools_but_still_the_callers_orders() {
    let mut parts = Menu::default_menu().to_parts();
    parts.items.iter_mut().for_each(|i| i.available = false);
    let tools = tool_definitions(&Menu::from_parts(parts).unwrap(), &shop(), true);
    let names: Vec<_> = tools.into_iter().map(|Tool::Function(f)| f.name).collect();
    assert_eq!(
        names,
        [
            ToolName::LookupOrders.as_str(),
            ToolName::CancelOrder.as_str(),
            ToolName::EndCall.as_str(),
            ToolName::TransferToHuman.as_str(),
            ToolName::Hold.as_str()
        ]
    );
}

#[test]
fn good_arguments_become_the_request_the_api_takes_without_a_phone() {
    let req = parse_order_arguments(&good_args().to_string()).unwrap();
    assert_eq!(req.items.len(), 3);
    let tikka = &req.items[0];
    assert_eq!(
        (
            tikka.item_id.as_deref(),
            tikka.size_id.as_deref(),
            tikka.quantity
        ),
        (Some("chicken-tikka"), Some("large"), 2)
    );
    assert_eq!(tikka.options.len(), 2);
    assert_eq!(
        (
            tikka.options[0].group.as_str(),
            tikka.options[0].option.as_str()
        ),
        ("crust", "stuffed")
    );
    assert_eq!(tikka.note.as_deref(), Some("kam mirch"));
    assert_eq!(
        req.items[1].half.as_ref().map(|h| h.item_id.as_str()),
        Some("veggie")
    );
    let deal = &req.items[2];
    assert_eq!(deal.deal_id.as_deref(), Some("deal-3"));
    assert_eq!(deal.item_id, None);
    assert_eq!(deal.choices.len(), 2);
    assert_eq!(deal.choices[0].item_id, "malai-boti");
    assert_eq!(
        req.fulfilment,
        Some(FulfilmentRequest::Delivery {
            address: "House 12, Street 4, Block C, Gulberg III".into(),
            landmark: Some("near Hafeez Centre".into()),
            zone_id: Some("gulberg".into()),
        })
    );
    let pay = req.payment.as_ref().unwrap();
    assert_eq!(
        (pay.method, pay.pays_with),
        (PaymentMethod::Cash, Some(2_000_000))
    );
    assert_eq!(req.customer_name.as_deref(), Some("Ali"));
    assert_eq!(req.note.as_deref(), Some("ring twice"));
    assert_eq!(req.customer_phone, None);
}

#[test]
fn the_earlier_flat_shape_still_reads_as_a_delivery() {
    let args = r#"{"items":[{"item_id":"veggie","size_id":"small","quantity":1}],
        "address":"House 1, DHA","landmark":"near the mosque","customer_name":"A"}"#;
    let req = parse_order_arguments(args).unwrap();
    assert_eq!(req.fulfilment, None);
    assert_eq!(req.address.as_deref(), Some("House 1, DHA"));
    let order = price(&req, &Menu::default_menu(), &ShopSettings::default());
    assert_eq!(order.address(), "House 1, DHA");
    assert_eq!(order.landmark(), Some("near the mosque"));
    assert_eq!(order.payment().method, PaymentMethod::Cash);
}

#[test]
fn a_delivery_without_its_own_address_takes_the_top_level_one_and_pickup_words_are_forgiven() {
    let args = r#"{"items":[{"item_id":"fries","quantity":1}],"address":"House 9",
        "fulfilment":{"type":"Delivery","zone_id":" DHA "}}"#;
    let req = parse_order_arguments(args).unwrap();
    assert_eq!(
        req.fulfilment,
        Some(FulfilmentRequest::Delivery {
            address: "House 9".into(),
            landmark: None,
            zone_id: Some("dha".into())
        })
    );
    for kind in ["pickup", "Takeaway", "pick up"] {
        let args = format!(
            r#"{{"items":[{{"item_id":"fries"}}],"fulfilment":{{"type":"{kind}","pickup_in_minutes":"15"}}}}"#
        );
        let req = parse_order_arguments(&args).unwrap();
        assert_eq!(
            req.fulfilment,
            Some(FulfilmentRequest::Pickup {
                pickup_in_minutes: Some(15)
            }),
            "{kind}"
        );
        assert_eq!(req.items[0].quantity, 1, "quantity left out is one");
    }
}

#[test]
fn the_phone_the_model_sends_is_ignored() {
    let args = r#"{"items":[{"item_id":"veggie","size_id":"small","quantity":1}],
        "address":"x","customer_name":"A","customer_phone":"03001234567"}"#;
    assert_eq!(parse_order_arguments(args).unwrap().customer_phone, None);
}

#[test]
fn bad_quantities_and_shapes_are_named_field_by_field() {
    let args = r#"{"items":[{"item_id":"veggie","size_id":"small","quantity":"two"},
        {"item_id":"veggie","size_id":"small","quantity":1.5}, 7,
        {"size_id":"small","quantity":1e300},
        {"deal_id":"deal-1","choices":[{"slot":"pizza"}]},
        {"item_id":"veggie","options":[{"group":"crust"}]}],
        "address":5,"fulfilment":{"type":"drone"},"payment":{"method":"cheque"}}"#;
    let e = parse_order_arguments(args).unwrap_err().to_string();
    for part in [
        "`items[0].quantity` must be a whole number from 1 to 20",
        "`items[1].quantity`",
        "`items[2]` must be an object",
        "`items[3].item_id` must be an id",
        "`items[3].quantity`",
        "`items[4].choices[0].item_id` must be an id",
        "`items[5].options[0].option` must be an id",
        "`address` must be a string",
        "`fulfilment.type` must be delivery or pickup, not `drone`",
        "`payment.method` must be cash, card or wallet, not `cheque`",
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
    let good = good_args().to_string();
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

fn quote(order: NewOrder, missing: Vec<crate::draft::Missing>) -> crate::draft::Quote {
    crate::draft::Quote {
        id: "Q3".into(),
        request: OrderRequest::default(),
        priced: order,
        missing,
    }
}

fn confirmed_callback() -> crate::draft::Callback {
    let mut c = crate::draft::Callback::from_caller(&caller());
    c.apply(None, Some(true));
    c
}

#[test]
fn a_complete_draft_is_the_bill_to_read_back_with_the_total_in_urdu_words_and_its_quote_id() {
    let order = priced();
    let bill = order.bill();
    let out = json_of(&draft_output(
        &quote(order.clone(), vec![]),
        &confirmed_callback(),
        None,
        &shop(),
    ));
    assert_eq!(out["ok"], true);
    assert_eq!(out["quote_id"], "Q3");
    assert_eq!(out["missing"], json!([]));
    let lines = out["bill"]["lines"].as_array().unwrap();
    assert_eq!(lines.len(), bill.lines.len());
    for (wire, line) in lines.iter().zip(&bill.lines) {
        assert_eq!(wire["description"], line.description);
        assert_eq!(wire["rupees"], rupees(line.total));
    }
    // Two large tikka, stuffed crust (350) and extra cheese (250) each; a family half
    // pepperoni half veggie (the dearer half, 3,299); deal 3 with malai boti (+150).
    let food = 2 * (2199 + 350 + 250) + 3299 + (2349 + 150);
    assert_eq!(bill.food_total, Money::from_rupees(food));
    assert_eq!(out["bill"]["food_rupees"], food);
    assert_eq!(out["bill"]["delivery_fee_rupees"], 0, "free above Rs 3,000");
    assert_eq!(out["bill"]["tax"]["rate_percent"], "16");
    assert_eq!(out["bill"]["tax"]["included"], false);
    assert_eq!(out["total_rupees"], rupees(bill.total));
    assert_eq!(out["total_spoken_ur"], bill.total_spoken_ur.as_str());
    assert_eq!(out["payment"]["method"], "cash");
    assert_eq!(out["payment"]["pays_with_rupees"], 20000);
    assert_eq!(
        out["payment"]["change_rupees"],
        rupees(Money::from_paisa(2_000_000 - bill.total.paisa()))
    );
    assert_eq!(out["fulfilment"]["zone"], "gulberg zone");
    assert_eq!(out["fulfilment"]["eta_minutes"], 35);
    assert_eq!(out["callback_number"], "0300 1234567");
    assert_eq!(out["callback_number_spoken"], "0 3 0 0 - 1 2 3 4 5 6 7");
    assert_eq!(out["suggestion"], Value::Null);
    let next = out["next"].as_str().unwrap();
    assert!(
        next.contains(&format!("«{}", bill.total_spoken_ur)),
        "{next}"
    );
    assert!(next.contains("never work out"), "{next}");
    assert!(next.contains("the callback number"), "{next}");
    assert!(
        next.contains(&format!(
            "call {} with quote_id \"Q3\"",
            ToolName::ConfirmOrder
        )),
        "{next}"
    );
    assert!(!next.contains("depends on how they pay"), "{next}");
}

#[test]
fn an_incomplete_draft_asks_for_what_is_missing_and_for_the_method_when_tax_depends_on_it() {
    use crate::draft::Missing;
    let out = json_of(&draft_output(
        &quote(
            priced(),
            vec![
                Missing::Fulfilment,
                Missing::Payment,
                Missing::CallbackNumber,
            ],
        ),
        &crate::draft::Callback::from_caller(&kitchen_domain::PhoneNumber::Withheld),
        Some(json!({"type": "drink", "item_id": "coke"})),
        &shop(),
    ));
    assert_eq!(
        out["missing"],
        json!(["fulfilment", "payment", "callback_number"])
    );
    assert_eq!(out["fulfilment"], Value::Null, "not known yet");
    assert_eq!(out["payment"], Value::Null, "not known yet");
    assert_eq!(out["callback_number"], Value::Null);
    assert_eq!(out["suggestion"]["type"], "drink");
    let next = out["next"].as_str().unwrap();
    for part in [
        "whether it is delivery or pickup",
        "how they will pay",
        "type it on the phone's keypad and press #",
        "(without any delivery fee)",
        "depends on how they pay (cash 16 %, card 5 %, wallet 5 %)",
        "offer the suggestion once",
    ] {
        assert!(next.contains(part), "{part}: {next}");
    }
    assert!(!next.contains("quote_id"), "nothing to confirm yet: {next}");
}

#[test]
fn a_pickup_where_the_method_does_not_change_the_total_asks_nothing_about_it() {
    let mut s = shop();
    s.tax.prices_include_tax = true;
    let req = OrderRequest {
        fulfilment: Some(FulfilmentRequest::Pickup {
            pickup_in_minutes: None,
        }),
        ..parse_order_arguments(&good_args().to_string()).unwrap()
    };
    let order = price(&req, &Menu::default_menu(), &s);
    let out = json_of(&draft_output(
        &quote(order, vec![crate::draft::Missing::Payment]),
        &confirmed_callback(),
        None,
        &s,
    ));
    assert_eq!(out["bill"]["tax"]["included"], true);
    assert_eq!(
        out["fulfilment"],
        json!({"type": "pickup", "eta_minutes": 20})
    );
    let next = out["next"].as_str().unwrap();
    assert!(
        next.contains("how they will pay") && !next.contains("depends on how they pay"),
        "{next}"
    );
}

#[test]
fn confirm_refusals_and_keypad_notices_say_what_to_do() {
    let stale = json_of(&confirm_refused_output(
        "stale_quote",
        "Q1 is not the latest quote; the latest is Q2",
        Some("Q2"),
    ));
    assert_eq!(stale["ok"], false);
    assert_eq!(stale["refused"], "stale_quote");
    assert_eq!(stale["latest_quote_id"], "Q2");
    assert!(
        stale["next"]
            .as_str()
            .unwrap()
            .contains("Nothing was placed")
    );
    let catering = json_of(&confirm_refused_output("catering_size", "40 items", None));
    assert!(
        catering["next"]
            .as_str()
            .unwrap()
            .contains(ToolName::TransferToHuman.as_str())
    );
    let typed = keypad_notice(&crate::draft::Keyed::Number("+923211234567".into()));
    assert!(typed.contains("0 3 2 1 - 1 2 3 4 5 6 7"), "{typed}");
    assert!(typed.contains("callback_confirmed true"), "{typed}");
    let wrong = keypad_notice(&crate::draft::Keyed::Invalid("42".into()));
    assert!(
        wrong.contains("typed 42") && wrong.contains("press #"),
        "{wrong}"
    );
}

#[test]
fn rupees_are_paisa_divided_by_a_hundred() {
    assert_eq!(rupees(Money::from_paisa(439_800)), json!(4398));
    assert_eq!(rupees(Money::from_paisa(125_050)), json!(1250.5));
    assert_eq!(rupees(Money::ZERO), json!(0));
}

#[test]
fn the_placed_output_gives_the_real_number_the_orders_time_and_the_change() {
    let new = priced();
    let order = placed(&new, 17, Some(35));
    let out = json_of(&placed_output(&order, 45));
    assert_eq!(out["order_number"], 17);
    assert_eq!(out["total_rupees"], rupees(new.total()));
    assert_eq!(out["total_spoken_ur"], new.bill().total_spoken_ur.as_str());
    assert_eq!(out["eta_minutes"], 35, "the zone's time, not the fallback");
    let next = out["next"].as_str().unwrap();
    assert!(
        next.contains("order number 17 is confirmed")
            && next.contains("delivery in about 35 minutes"),
        "{next}"
    );
    assert!(
        next.contains("payment cash on delivery, and the rider brings Rs "),
        "{next}"
    );
    assert!(next.contains("change for their Rs 20,000"), "{next}");
    assert!(
        next.contains(&format!("call {}.", ToolName::EndCall)),
        "{next}"
    );

    let old = placed(&new, 3, None);
    assert_eq!(json_of(&placed_output(&old, 45))["eta_minutes"], 45);

    let mut s = shop();
    s.payment_methods = vec![PaymentMethod::Card];
    let pickup = OrderRequest {
        fulfilment: Some(FulfilmentRequest::Pickup {
            pickup_in_minutes: Some(30),
        }),
        payment: Some(kitchen_domain::PaymentRequest {
            method: PaymentMethod::Card,
            pays_with: None,
        }),
        ..parse_order_arguments(&good_args().to_string()).unwrap()
    };
    let new = price(&pickup, &Menu::default_menu(), &s);
    let out = json_of(&placed_output(
        &placed(&new, 4, Some(new.eta_minutes())),
        45,
    ));
    let next = out["next"].as_str().unwrap();
    assert!(
        next.contains("payment by card; ready for pickup in about 30 minutes"),
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

    let mut req = parse_order_arguments(&good_args().to_string()).unwrap();
    req.items[0].size_id = Some("huge".into());
    req.items[2].choices[0].item_id = "malai-boti".into();
    req.fulfilment = Some(FulfilmentRequest::Delivery {
        address: "House 1".into(),
        landmark: None,
        zone_id: Some("mars".into()),
    });
    let errors = NewOrder::price(
        &req,
        PriceContext {
            menu: &menu_with_malai_boti_sold_out(),
            settings: &shop(),
            now: evening(),
        },
    )
    .unwrap_err();
    let out = json_of(&validation_output(&errors));
    assert_eq!(out["ok"], false);
    let fields: Vec<&str> = out["errors"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert!(fields.contains(&"items[0].size_id"), "{out}");
    let codes: Vec<&str> = out["errors"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["code"].as_str())
        .collect();
    assert!(
        codes.contains(&"sold_out") && codes.contains(&"unknown_zone"),
        "{codes:?}"
    );
    let size = out["errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["field"] == "items[0].size_id")
        .unwrap();
    assert!(
        size["message"]
            .as_str()
            .unwrap()
            .contains("small, medium, large, family"),
        "{size}"
    );
    assert!(
        out["next"]
            .as_str()
            .unwrap()
            .contains("complete corrected order")
    );
}

fn caller() -> kitchen_domain::PhoneNumber {
    kitchen_domain::PhoneNumber::E164("+923001234567".into())
}

/// Today's order #`number` from `caller()`, in `status`, taken `age` minutes before `now`.
fn callers_order(number: u32, status: OrderStatus, age: i64, now: chrono::DateTime<Utc>) -> Order {
    let mut o = placed(&priced(), number, Some(40));
    o.id = i64::from(number) + 100;
    o.status = status;
    o.customer_phone = Some(caller());
    o.created_at = now - chrono::Duration::minutes(age);
    o
}

#[test]
fn the_cancel_arguments_are_read_forgivingly_and_a_reason_is_required() {
    let ok =
        parse_cancel_arguments(r##"{"order_number":"#17","reason":"  galti se order ho gaya "}"##)
            .unwrap();
    assert_eq!(
        ok,
        CancelRequest {
            order_number: 17,
            reason: "galti se order ho gaya".into()
        }
    );
    assert_eq!(
        parse_cancel_arguments(r#"{"order_number":3,"reason":"late"}"#)
            .unwrap()
            .order_number,
        3
    );
    for empty in [
        r#"{"order_number":3,"reason":"   "}"#,
        r#"{"order_number":3}"#,
        r#"{"order_number":3,"reason":7}"#,
    ] {
        let e = parse_cancel_arguments(empty).unwrap_err();
        assert!(e.starts_with("`reason` is empty"), "{e}");
        assert!(e.contains("cancel_order"), "{e}");
    }
    for bad in [
        r#"{"order_number":0,"reason":"x"}"#,
        r#"{"order_number":-2,"reason":"x"}"#,
        r#"{"order_number":"seventeen","reason":"x"}"#,
        r#"{"order_number":1.5,"reason":"x"}"#,
        r#"{"order_number":99999999999,"reason":"x"}"#,
        r#"{"reason":"x"}"#,
    ] {
        let e = parse_cancel_arguments(bad).unwrap_err();
        assert!(e.contains("`order_number`"), "{bad}: {e}");
        assert!(e.contains("lookup_orders"), "{e}");
    }
    assert!(
        parse_cancel_arguments("not json")
            .unwrap_err()
            .starts_with("the arguments are not valid JSON")
    );
    assert!(
        parse_cancel_arguments("[17]")
            .unwrap_err()
            .contains("JSON object")
    );
    let long = format!(
        r#"{{"order_number":1,"reason":"{}"}}"#,
        "x".repeat(MAX_ARGUMENTS_LEN)
    );
    assert!(
        parse_cancel_arguments(&long)
            .unwrap_err()
            .contains("bytes long")
    );
}

#[test]
fn only_the_callers_own_new_order_may_be_cancelled() {
    let now = Utc::now();
    let new = callers_order(5, OrderStatus::New, 3, now);
    assert_eq!(check_own_new_order(Some(&new), 5, &caller()), Ok(105));
    assert_eq!(
        check_own_new_order(None, 5, &caller()),
        Err(OwnOrderRefusal::NotFound(5))
    );
    let mut theirs = new.clone();
    theirs.customer_phone = Some(kitchen_domain::PhoneNumber::E164("+923339876543".into()));
    assert_eq!(
        check_own_new_order(Some(&theirs), 5, &caller()),
        Err(OwnOrderRefusal::NotThisCaller(5))
    );
    // Someone else's order that has started is still "not yours": its status is not told.
    theirs.status = OrderStatus::Preparing;
    assert_eq!(
        check_own_new_order(Some(&theirs), 5, &caller()),
        Err(OwnOrderRefusal::NotThisCaller(5))
    );
    // A withheld caller cannot be matched to a withheld order.
    let mut hidden = new.clone();
    hidden.customer_phone = Some(kitchen_domain::PhoneNumber::Withheld);
    assert_eq!(
        check_own_new_order(Some(&hidden), 5, &kitchen_domain::PhoneNumber::Withheld),
        Err(OwnOrderRefusal::NotThisCaller(5))
    );
    for status in [
        OrderStatus::Preparing,
        OrderStatus::Ready,
        OrderStatus::Delivered,
        OrderStatus::Cancelled,
    ] {
        let started = callers_order(5, status, 3, now);
        assert_eq!(
            check_own_new_order(Some(&started), 5, &caller()),
            Err(OwnOrderRefusal::AlreadyStarted(5, status))
        );
    }
}

#[test]
fn refusals_carry_a_code_and_say_what_to_do() {
    let v = json_of(&own_order_refused_output(
        &OwnOrderRefusal::NotFound(9),
        ToolName::CancelOrder,
    ));
    assert_eq!(v["ok"], false);
    assert_eq!(v["code"], "not_found");
    assert_eq!(v["order_number"], 9);
    assert!(v["next"].as_str().unwrap().contains("lookup_orders"));
    let v = json_of(&own_order_refused_output(
        &OwnOrderRefusal::NotThisCaller(9),
        ToolName::CancelOrder,
    ));
    assert_eq!(v["code"], "not_this_caller");
    assert!(v.get("status").is_none(), "{v}");
    let v = json_of(&own_order_refused_output(
        &OwnOrderRefusal::AlreadyStarted(9, OrderStatus::Preparing),
        ToolName::CancelOrder,
    ));
    assert_eq!(v["code"], "already_started");
    assert_eq!(v["status"], "preparing");
    assert!(v["error"].as_str().unwrap().contains("nothing was changed"));
    assert!(v["next"].as_str().unwrap().contains("transfer_to_human"));

    let mut done = callers_order(4, OrderStatus::Cancelled, 2, Utc::now());
    done.cancel_reason = Some("late".into());
    let v = json_of(&cancelled_output(&done));
    assert_eq!(v["ok"], true);
    assert_eq!(v["cancelled"], true);
    assert_eq!(v["order_number"], 4);
    assert_eq!(v["status"], "cancelled");
    assert!(
        v["next"]
            .as_str()
            .unwrap()
            .contains("order number 4 is cancelled")
    );
}

#[test]
fn the_lookup_lists_status_age_time_left_urdu_items_and_what_can_still_be_done() {
    let now = Utc::now();
    let orders = [
        callers_order(7, OrderStatus::New, 10, now),
        callers_order(3, OrderStatus::Preparing, 55, now),
        callers_order(1, OrderStatus::Delivered, 20, now),
    ];
    let v = json_of(&lookup_output(&orders, now, 45));
    assert_eq!(v["ok"], true);
    let list = v["orders"].as_array().unwrap();
    assert_eq!(list.len(), 3);
    assert_eq!(list[0]["order_number"], 7);
    assert_eq!(list[0]["status"], "new");
    assert_eq!(list[0]["age_minutes"], 10);
    assert_eq!(list[0]["eta_minutes_left"], 30);
    assert_eq!(list[0]["can_cancel"], true);
    assert_eq!(list[0]["can_change"], true);
    let items = list[0]["items"].as_str().unwrap();
    assert!(items.starts_with("2× چکن تکہ"), "{items}");
    assert!(!items.contains("Chicken Tikka"), "{items}");
    // Past its time: 0, never negative.
    assert_eq!(list[1]["eta_minutes_left"], 0);
    assert_eq!(list[1]["can_cancel"], false);
    assert_eq!(list[1]["can_change"], false);
    // Delivered: nothing left to wait for.
    assert_eq!(list[2]["eta_minutes_left"], 0);
    assert!(v["note"].as_str().unwrap().contains("cancel_order"));

    // An order saved before ETAs were kept waits the shop's usual time.
    let mut old = callers_order(2, OrderStatus::New, 5, now);
    old.eta_minutes = None;
    let v = json_of(&lookup_output(&[old], now, 45));
    assert_eq!(v["orders"][0]["eta_minutes_left"], 40);

    let none = json_of(&lookup_output(&[], now, 45));
    assert_eq!(none["orders"], json!([]));
    assert!(none["note"].as_str().unwrap().contains("12 hours"));

    let hidden = json_of(&lookup_withheld_output());
    assert_eq!(hidden["ok"], true);
    assert_eq!(hidden["orders"], json!([]));
    assert!(
        hidden["note"]
            .as_str()
            .unwrap()
            .contains("cannot be looked up without a number")
    );
}

#[test]
fn the_order_tools_are_always_offered_with_their_parameters() {
    let tools = tool_definitions(&Menu::default_menu(), &shop(), false);
    let lookup = function(&tools, ToolName::LookupOrders);
    assert_eq!(lookup.parameters["properties"], json!({}));
    assert!(
        lookup
            .description
            .as_deref()
            .unwrap()
            .contains("never ask for it")
    );
    let cancel = function(&tools, ToolName::CancelOrder);
    assert_eq!(
        cancel.parameters["required"],
        json!(["order_number", "reason"])
    );
    assert_eq!(
        cancel.parameters["properties"]["order_number"]["type"],
        "integer"
    );
    assert!(
        cancel
            .description
            .as_deref()
            .unwrap()
            .contains("never a guessed")
    );
}

#[test]
fn end_call_requires_one_of_the_eight_outcomes_by_a_json_schema_enum() {
    let tools = tool_definitions(&Menu::default_menu(), &shop(), true);
    let params = function(&tools, ToolName::EndCall).parameters;
    assert_eq!(params["required"], json!(["outcome"]));
    assert_eq!(
        params["properties"]["outcome"]["enum"],
        json!([
            "ordered",
            "status",
            "cancelled",
            "changed",
            "enquiry",
            "complaint",
            "transferred",
            "wrong_number"
        ])
    );
}

#[test]
fn end_call_arguments_give_the_outcome_or_say_why_not() {
    use kitchen_domain::CallOutcome;
    for (args, outcome) in [
        (r#"{"outcome":"enquiry"}"#, CallOutcome::Enquiry),
        (r#"{"outcome":"wrong_number"}"#, CallOutcome::WrongNumber),
        (r#"{"outcome":"status"}"#, CallOutcome::Status),
        (r#"{"outcome":"ordered"}"#, CallOutcome::Ordered),
        (r#"{"outcome":"transferred"}"#, CallOutcome::Transferred),
    ] {
        assert_eq!(parse_end_call_arguments(args), Ok(outcome), "{args}");
    }
    for (args, says) in [
        ("{}", "no `outcome`"),
        ("", "not JSON"),
        (r#"{"outcome":"abandoned"}"#, "not one of the outcomes"),
        (r#"{"outcome":"failed"}"#, "not one of the outcomes"),
        (r#"{"outcome":"in_progress"}"#, "not one of the outcomes"),
        (r#"{"outcome":"Enquiry"}"#, "not one of the outcomes"),
        (r#"{"outcome":7}"#, "`outcome` 7 is not"),
    ] {
        let err = parse_end_call_arguments(args).unwrap_err();
        assert!(err.contains(says), "{args}: {err}");
    }
}

#[test]
fn amend_arguments_take_the_order_number_and_lines_like_an_order_and_or_a_note() {
    let ok = parse_amend_arguments(
        r##"{"order_number":"#17","items":[{"item_id":" Chicken-Tikka ","size_id":"medium","quantity":"2"}],"note":" ring twice "}"##,
    )
    .unwrap();
    assert_eq!(ok.order_number, 17);
    assert_eq!(
        ok.items,
        Some(vec![kitchen_domain::LineRequest::item(
            "chicken-tikka",
            "medium",
            2
        )])
    );
    assert_eq!(ok.note.as_deref(), Some("ring twice"));
    // The same lines the order tools read.
    let same = parse_order_arguments(&good_args().to_string())
        .unwrap()
        .items;
    let args = json!({"order_number": 3, "items": good_args()["items"]});
    assert_eq!(
        parse_amend_arguments(&args.to_string()).unwrap().items,
        Some(same)
    );
    let note_only = parse_amend_arguments(r#"{"order_number":3,"note":""}"#).unwrap();
    assert_eq!(
        (note_only.items, note_only.note.as_deref()),
        (None, Some(""))
    );

    for (args, says) in [
        (r#"{"order_number":3}"#, "nothing to change"),
        (r#"{"order_number":3,"items":[]}"#, "cancel_order"),
        (r#"{"order_number":0,"note":"x"}"#, "lookup_orders"),
        (r#"{"note":"x"}"#, "`order_number`"),
        (r#"{"order_number":3,"items":[{"quantity":1}]}"#, "items[0]"),
        (
            r#"{"order_number":3,"items":"two cokes"}"#,
            "must be an array",
        ),
        (r#"{"order_number":3,"note":5}"#, "`note` must be a string"),
        ("[1]", "JSON object"),
        ("nope", "not valid JSON"),
    ] {
        let err = parse_amend_arguments(args).unwrap_err();
        assert!(err.contains(says), "{args}: {err}");
    }
}

#[test]
fn amend_order_is_offered_with_the_order_lines_schema_and_only_with_something_to_order() {
    let menu = Menu::default_menu();
    let tools = tool_definitions(&menu, &shop(), false);
    let amend = function(&tools, ToolName::AmendOrder).parameters;
    let order = function(&tools, ToolName::UpdateOrder).parameters;
    assert_eq!(amend["required"], json!(["order_number"]));
    assert_eq!(amend["properties"]["order_number"]["type"], "integer");
    // The very line schema an order takes (ids from the live menu), the note's too.
    assert_eq!(
        amend["properties"]["items"]["items"],
        order["properties"]["items"]["items"]
    );
    assert_eq!(amend["properties"]["note"], order["properties"]["note"]);
    assert!(
        amend["properties"]["items"]["description"]
            .as_str()
            .unwrap()
            .contains("EVERY line")
    );
    let mut parts = menu.to_parts();
    parts.items.iter_mut().for_each(|i| i.available = false);
    let none = tool_definitions(&Menu::from_parts(parts).unwrap(), &shop(), false);
    assert!(
        none.iter()
            .all(|Tool::Function(f)| f.name != ToolName::AmendOrder.as_str())
    );
    assert_eq!("amend_order".parse::<ToolName>(), Ok(ToolName::AmendOrder));
}

#[test]
fn amend_refusals_say_changed_and_an_amend_reads_back_what_changed_and_the_total() {
    let v = json_of(&own_order_refused_output(
        &OwnOrderRefusal::AlreadyStarted(9, OrderStatus::Ready),
        ToolName::AmendOrder,
    ));
    assert_eq!(v["code"], "already_started");
    assert!(
        v["error"]
            .as_str()
            .unwrap()
            .contains("can no longer be changed")
    );
    assert!(v["next"].as_str().unwrap().contains("cannot change it"));
    let v = json_of(&own_order_refused_output(
        &OwnOrderRefusal::NotThisCaller(9),
        ToolName::AmendOrder,
    ));
    assert!(v["next"].as_str().unwrap().contains("only be changed from"));

    let mut o = callers_order(6, OrderStatus::New, 1, Utc::now());
    o.changed = Some(kitchen_domain::OrderChanged {
        at: Utc::now(),
        what: vec![kitchen_domain::ChangeNote {
            en: "+1 Coca-Cola 1.5 L".into(),
            ur: "+1 کوکا کولا ڈیڑھ لیٹر".into(),
        }],
    });
    let v = json_of(&amended_output(&o));
    assert_eq!(v["ok"], true);
    assert_eq!(v["changed"], true);
    assert_eq!(v["order_number"], 6);
    assert_eq!(v["what_changed"], json!(["+1 کوکا کولا ڈیڑھ لیٹر"]));
    assert_eq!(v["total_rupees"], rupees(o.total));
    assert_eq!(v["total_spoken_ur"], o.bill.total_spoken_ur.as_str());
    let next = v["next"].as_str().unwrap();
    assert!(next.contains("what_changed") && next.contains(&o.bill.total_spoken_ur));
}

#[test]
fn lookup_gives_a_changeable_orders_lines_as_amend_order_takes_them() {
    let now = Utc::now();
    let open = callers_order(5, OrderStatus::New, 3, now);
    let started = callers_order(4, OrderStatus::Preparing, 9, now);
    let v = json_of(&lookup_output(&[open.clone(), started], now, 40));
    let lines: Vec<kitchen_domain::LineRequest> =
        serde_json::from_value(v["orders"][0]["lines"].clone()).unwrap();
    assert_eq!(lines, open.to_request().items);
    assert_eq!(lines.len(), 3);
    assert!(v["orders"][1].get("lines").is_none());
    assert!(v["note"].as_str().unwrap().contains("amend_order"));
}
