//! Menus and orders the way Pakistani shops sell (issue 12), through real sockets: every
//! order shape, delivery zones, pickup, tax by payment method, the bill, the quote, and
//! every 422 — with nothing saved on any error.

use crate::helpers::*;
use chrono::{Duration, Timelike, Utc};
use serde_json::{Value, json};

const ADDRESS: &str = "House 12, Street 4, Block C, Gulberg III, Lahore";

fn deal3(pizza: &str, options: Value) -> Value {
    json!({"deal_id": "deal-3", "quantity": 1, "choices": [
        {"slot": "pizza", "item_id": pizza, "options": options},
        {"slot": "drink", "item_id": "coca-cola"}
    ]})
}

fn half_tikka_fajita() -> Value {
    json!({"item_id": "chicken-tikka", "size_id": "large", "quantity": 1,
           "half": {"item_id": "chicken-fajita"},
           "options": [{"group": "crust", "option": "stuffed"}, {"group": "remove", "option": "no-onion"}],
           "note": "well done"})
}

async fn orders_count(app: &TestApp) -> usize {
    json_with(app.api.get("/api/orders").await.unwrap(), 200)
        .await
        .as_array()
        .unwrap()
        .len()
}

/// The field/code pairs of a 422, checking nothing was saved.
async fn refused(app: &TestApp, body: Value) -> Vec<(String, String)> {
    let before = orders_count(app).await;
    let err = json_with(app.api.post_json("/api/orders", &body).await.unwrap(), 422).await;
    assert_eq!(err["error"]["code"], "validation_failed", "{err}");
    assert_eq!(orders_count(app).await, before, "nothing saved");
    err["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["field"].as_str().unwrap().to_string(),
                f["code"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn pair(field: &str, code: &str) -> (String, String) {
    (field.to_string(), code.to_string())
}

async fn set(app: &TestApp, settings: Value) {
    json_with(
        app.api.put_json("/api/settings", &settings).await.unwrap(),
        200,
    )
    .await;
}

fn gulberg() -> Value {
    json!({"id": "gulberg", "name": "Gulberg", "name_ur": "گلبرگ", "fee": 15_000,
           "min_order": 100_000, "free_above": 300_000, "eta_minutes": 40,
           "areas": ["Gulberg II", "Gulberg III"]})
}

#[tokio::test]
async fn a_deal_with_a_premium_flavour_and_a_half_and_half_with_options_are_priced_and_kept() {
    let app = spawn_app().await;
    let body = json!({
        "items": [deal3("malai-boti", json!([{"group": "crust", "option": "stuffed"}])), half_tikka_fajita()],
        "fulfilment": {"type": "delivery", "address": ADDRESS, "landmark": "near Hafeez Centre"},
        "payment": {"method": "cash", "pays_with": 1_000_000},
        "customer_name": "Ali", "note": "ring the bell twice"
    });
    let order = app.api.create_order(&body).await.unwrap();
    // Deal 3 2,349 + Malai Boti 150 + stuffed 350 = 2,849; half: Fajita/Tikka large 2,199
    // + stuffed 350 = 2,549.
    assert_eq!(order["total"], 284_900 + 254_900);
    assert_eq!(order["bill"]["total"], order["total"]);
    assert_eq!(order["bill"]["food_total"], 539_800);
    // À la carte the deal is Malai Boti large 2,399 + stuffed 350 + Coke 1.5 L 320.
    assert_eq!(order["bill"]["deal_savings"], 306_900 - 284_900);
    assert_eq!(order["bill"]["subtotal"], 306_900 + 254_900);
    assert_eq!(order["bill"]["total_spoken_ur"], "پانچ ہزار تین سو اٹھانوے");
    assert_eq!(
        order["payment"],
        json!({"method": "cash", "pays_with": 1_000_000, "change": 1_000_000 - 539_800})
    );
    assert_eq!(order["fulfilment"]["type"], "delivery");
    assert_eq!(order["note"], "ring the bell twice");
    let deal = &order["items"][0];
    assert_eq!(
        (deal["kind"].as_str(), deal["item_id"].as_str()),
        (Some("deal"), Some("deal-3"))
    );
    assert_eq!(deal["deal"]["parts"][0]["name"], "Malai Boti");
    assert_eq!(deal["deal"]["parts"][0]["surcharge"], 15_000);
    assert_eq!(
        deal["deal"]["parts"][0]["options"][0]["name"],
        "Stuffed crust"
    );
    let half = &order["items"][1];
    assert_eq!(half["half"]["name"], "Chicken Fajita");
    assert_eq!(half["note"], "well done");
    assert_eq!(half["options"][1]["name"], "No onion");
    // The seed's columns stay filled from the first pizza (inside the deal) and drink.
    assert_eq!(
        (order["flavour"].as_str(), order["drink"].as_str()),
        (Some("Malai Boti"), Some("Coca-Cola 1.5 L"))
    );
    let id = order["id"].as_i64().unwrap();
    let read = json_with(
        app.api.get(&format!("/api/orders/{id}")).await.unwrap(),
        200,
    )
    .await;
    for key in ["items", "bill", "payment", "fulfilment", "note", "total"] {
        assert_eq!(read[key], order[key], "{key}");
    }
}

#[tokio::test]
async fn a_pickup_needs_no_address_and_the_earlier_shape_still_means_delivery() {
    let app = spawn_app().await;
    let pickup = app
        .api
        .create_order(&json!({
            "items": [{"item_id": "fries", "size_id": "regular", "quantity": 2}],
            "fulfilment": {"type": "pickup", "pickup_in_minutes": 15},
            "customer_name": "Sana"
        }))
        .await
        .unwrap();
    assert_eq!(
        pickup["fulfilment"],
        json!({"type": "pickup", "pickup_in_minutes": 15})
    );
    assert_eq!(pickup["address"], "");
    assert_eq!(pickup["eta_minutes"], 15);
    assert_eq!(pickup["bill"]["delivery_fee"], 0);
    let old = app
        .api
        .create_order(&json!({
            "items": [{"item_id": "veggie", "size_id": "small", "quantity": 1}],
            "address": "Flat 3, Askari 11", "landmark": "near the mosque"
        }))
        .await
        .unwrap();
    assert_eq!(old["fulfilment"]["type"], "delivery");
    assert_eq!(old["fulfilment"]["address"], "Flat 3, Askari 11");
    assert_eq!(old["landmark"], "near the mosque");
    assert_eq!(old["payment"]["method"], "cash");
    assert_eq!(old["eta_minutes"], 35);
}

#[tokio::test]
async fn a_zone_charges_its_fee_is_free_above_its_threshold_and_refuses_below_its_minimum() {
    let app = spawn_app().await;
    set(&app, json!({"delivery_zones": [gulberg()]})).await;
    let deliver = |items: Value, zone: Value| json!({"items": items, "fulfilment": {"type": "delivery", "address": ADDRESS, "zone_id": zone}});
    let one = app
        .api
        .create_order(&deliver(
            json!([{"item_id": "chicken-tikka", "size_id": "large"}]),
            json!("gulberg"),
        ))
        .await
        .unwrap();
    assert_eq!(one["bill"]["delivery_fee"], 15_000);
    assert_eq!(one["total"], 219_900 + 15_000);
    assert_eq!(one["eta_minutes"], 40);
    assert_eq!(one["fulfilment"]["zone_name"], "Gulberg");
    let two = app
        .api
        .create_order(&deliver(
            json!([{"item_id": "chicken-tikka", "size_id": "large", "quantity": 2}]),
            json!("gulberg"),
        ))
        .await
        .unwrap();
    assert_eq!(
        two["bill"]["delivery_fee"], 0,
        "4,398 is above the free-above 3,000"
    );

    let small = deliver(
        json!([{"item_id": "fries", "size_id": "regular"}]),
        json!("gulberg"),
    );
    assert_eq!(
        refused(&app, small).await,
        [pair("items", "below_minimum_order")]
    );
    let err = json_with(
        app.api
            .post_json(
                "/api/orders",
                &deliver(
                    json!([{"item_id": "fries", "size_id": "regular"}]),
                    json!("gulberg"),
                ),
            )
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(err["error"]["fields"][0]["params"]["minimum"], "100000");
    let no_zone = deliver(
        json!([{"item_id": "chicken-tikka", "size_id": "large"}]),
        Value::Null,
    );
    assert_eq!(
        refused(&app, no_zone).await,
        [pair("fulfilment.zone_id", "zone_required")]
    );
    let unknown = deliver(
        json!([{"item_id": "chicken-tikka", "size_id": "large"}]),
        json!("dha"),
    );
    let err = json_with(
        app.api.post_json("/api/orders", &unknown).await.unwrap(),
        422,
    )
    .await;
    assert_eq!(err["error"]["fields"][0]["code"], "unknown_zone");
    assert_eq!(
        err["error"]["fields"][0]["params"]["allowed"], "gulberg",
        "lists the zones"
    );
}

#[tokio::test]
async fn tax_follows_the_payment_method_and_is_added_or_shown_as_included() {
    let app = spawn_app().await;
    let tikka = |method: &str| {
        json!({"items": [{"item_id": "chicken-tikka", "size_id": "large"}], "address": ADDRESS,
               "payment": {"method": method}})
    };
    let untaxed = app.api.create_order(&tikka("cash")).await.unwrap();
    assert_eq!(
        untaxed["bill"]["tax"],
        json!({"rate_bp": 0, "amount": 0, "included": false}),
        "not registered"
    );
    set(
        &app,
        json!({"tax": {"registered": true, "prices_include_tax": false,
        "rates_bp": {"cash": 1600, "card": 500, "wallet": 800}, "on_delivery_fee": false}}),
    )
    .await;
    for (method, rate, tax) in [
        ("cash", 1600, 35_200),
        ("card", 500, 11_000),
        ("wallet", 800, 17_600),
    ] {
        let o = app.api.create_order(&tikka(method)).await.unwrap();
        assert_eq!(
            o["bill"]["tax"],
            json!({"rate_bp": rate, "amount": tax, "included": false}),
            "{method}"
        );
        assert_eq!(o["total"], 219_900 + tax, "{method}");
    }
    set(
        &app,
        json!({"tax": {"registered": true, "prices_include_tax": true,
        "rates_bp": {"cash": 1600, "card": 500, "wallet": 800}, "on_delivery_fee": false}}),
    )
    .await;
    let inclusive = app.api.create_order(&tikka("cash")).await.unwrap();
    // 2,199 × 16/116 = 303.3 → Rs 303 inside the price.
    assert_eq!(
        inclusive["bill"]["tax"],
        json!({"rate_bp": 1600, "amount": 30_300, "included": true})
    );
    assert_eq!(inclusive["total"], 219_900);
    set(&app, json!({"payment_methods": ["cash"]})).await;
    assert_eq!(
        refused(&app, tikka("card")).await,
        [pair("payment.method", "payment_method_not_accepted")]
    );
}

#[tokio::test]
async fn a_quote_prices_without_saving() {
    let app = spawn_app().await;
    let body = json!({"items": [half_tikka_fajita()], "fulfilment": {"type": "pickup"},
                      "payment": {"method": "cash", "pays_with": 500_000}});
    let quote = json_with(
        app.api.post_json("/api/orders/quote", &body).await.unwrap(),
        200,
    )
    .await;
    assert_eq!(quote["bill"]["total"], 254_900);
    assert_eq!(quote["payment"]["change"], 500_000 - 254_900);
    assert_eq!(quote["eta_minutes"], 20, "the pickup time");
    assert_eq!(quote["items"][0]["half"]["item_id"], "chicken-fajita");
    assert_eq!(orders_count(&app).await, 0);
    let bad = json!({"items": [{"item_id": "chicken-tikka", "size_id": "small", "half": {"item_id": "veggie"}}], "address": ADDRESS});
    let err = json_with(
        app.api.post_json("/api/orders/quote", &bad).await.unwrap(),
        422,
    )
    .await;
    assert_eq!(err["error"]["fields"][0]["code"], "half_not_allowed");
}

#[tokio::test]
async fn every_rule_an_order_breaks_is_a_422_naming_the_field_and_what_is_allowed() {
    let app = spawn_app().await;
    let deliver = |items: Value| json!({"items": items, "address": ADDRESS});
    // Options not offered by the item or the size, too many from a group.
    let got = refused(&app, deliver(json!([
        {"item_id": "chicken-tikka", "size_id": "small", "options": [{"group": "crust", "option": "stuffed"}]},
        {"item_id": "fries", "size_id": "regular", "options": [{"group": "extras", "option": "cheese"}]},
        {"item_id": "veggie", "size_id": "large", "options": [{"group": "crust", "option": "thin"}, {"group": "crust", "option": "crown"}]}
    ]))).await;
    assert_eq!(
        got,
        [
            pair("items[0].options[0].option", "option_not_offered"),
            pair("items[1].options[0].group", "option_not_offered"),
            pair("items[2].options", "too_many_options"),
        ]
    );
    // Deal slots: an excluded flavour, a wrong size, a wrong count.
    let family = |pizzas: Value| json!({"deal_id": "deal-4", "choices": pizzas});
    let got = refused(&app, deliver(json!([
        family(json!([{"slot": "pizzas", "item_id": "malai-boti"}, {"slot": "pizzas", "item_id": "veggie"},
                      {"slot": "drink", "item_id": "pepsi"}, {"slot": "side", "item_id": "garlic-bread"}])),
        family(json!([{"slot": "pizzas", "item_id": "veggie", "size_id": "medium"}, {"slot": "pizzas", "item_id": "veggie"},
                      {"slot": "drink", "item_id": "pepsi"}, {"slot": "side", "item_id": "garlic-bread"}])),
        family(json!([{"slot": "pizzas", "item_id": "veggie"}, {"slot": "drink", "item_id": "pepsi"},
                      {"slot": "side", "item_id": "garlic-bread"}]))
    ]))).await;
    assert_eq!(
        got,
        [
            pair("items[0].choices[0].item_id", "slot_item_not_allowed"),
            pair("items[1].choices[0].size_id", "slot_size_not_allowed"),
            pair("items[2].choices", "slot_wrong_count"),
        ]
    );
    // Half-and-half where it is not allowed.
    let got = refused(
        &app,
        deliver(json!([
            {"item_id": "chicken-tikka", "size_id": "medium", "half": {"item_id": "veggie"}},
            {"item_id": "fries", "size_id": "regular", "half": {"item_id": "veggie"}}
        ])),
    )
    .await;
    assert_eq!(
        got,
        [
            pair("items[0].half.item_id", "half_not_allowed"),
            pair("items[1].half.item_id", "half_not_allowed")
        ]
    );
    // Delivery without an address; pays_with below the total.
    assert_eq!(
        refused(&app, json!({"items": [{"item_id": "fries", "size_id": "regular"}], "fulfilment": {"type": "delivery"}})).await,
        [pair("fulfilment.address", "address_required")]
    );
    assert_eq!(
        refused(
            &app,
            json!({"items": [{"item_id": "chicken-tikka", "size_id": "large"}], "address": ADDRESS,
                             "payment": {"method": "cash", "pays_with": 100_000}})
        )
        .await,
        [pair("payment.pays_with", "pays_with_below_total")]
    );
    set(
        &app,
        json!({"pickup": {"enabled": false, "eta_minutes": 20}}),
    )
    .await;
    assert_eq!(
        refused(&app, json!({"items": [{"item_id": "fries", "size_id": "regular"}], "fulfilment": {"type": "pickup"}})).await,
        [pair("fulfilment.type", "pickup_not_offered")]
    );
}

#[tokio::test]
async fn sold_out_items_sizes_and_options_are_refused_by_the_next_order() {
    let app = spawn_app().await;
    let mut menu = json_with(app.api.get("/api/menu").await.unwrap(), 200).await;
    let items = menu["items"].as_array_mut().unwrap();
    items.iter_mut().find(|i| i["id"] == "malai-boti").unwrap()["available"] = json!(false);
    items.iter_mut().find(|i| i["id"] == "pepsi").unwrap()["sizes"][1]["available"] = json!(false);
    let crust = menu["option_groups"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|g| g["id"] == "crust")
        .unwrap();
    crust["options"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|o| o["id"] == "stuffed")
        .unwrap()["available"] = json!(false);
    let saved = json_with(app.api.put_json("/api/menu", &menu).await.unwrap(), 200).await;
    assert_eq!(saved, menu);
    let got = refused(&app, json!({"address": ADDRESS, "items": [
        {"item_id": "malai-boti", "size_id": "large"},
        {"item_id": "pepsi", "size_id": "1.5l"},
        {"item_id": "veggie", "size_id": "large", "options": [{"group": "crust", "option": "stuffed"}]},
        deal3("malai-boti", json!([]))
    ]})).await;
    assert_eq!(
        got,
        [
            pair("items[0].item_id", "sold_out"),
            pair("items[1].size_id", "sold_out"),
            pair("items[2].options[0].option", "sold_out"),
            pair("items[3].choices[0].item_id", "sold_out"),
        ]
    );
}

/// `HH:MM` in the shop's time (the test shop is in Pakistan, UTC+05:00), `hours` from now.
fn shop_time(hours: i64) -> String {
    let t = Utc::now() + Duration::hours(5 + hours);
    format!("{:02}:{:02}", t.hour(), t.minute())
}

#[tokio::test]
async fn a_deal_outside_its_hours_is_refused_naming_its_window() {
    let app = spawn_with(tempfile::tempdir().unwrap(), |c| {
        c.business_day.utc_offset = chrono::FixedOffset::east_opt(5 * 3600).unwrap();
    })
    .await;
    let mut menu = json_with(app.api.get("/api/menu").await.unwrap(), 200).await;
    let every_day = json!(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]);
    let deals = menu["deals"].as_array_mut().unwrap();
    // Deal 1 only from two to three hours from now; Deal 2 from an hour ago to an hour on
    // (windows may cross midnight, so this holds at any time of day).
    deals[0]["hours"] = json!([{"days": every_day, "from": shop_time(2), "to": shop_time(3)}]);
    deals[1]["hours"] = json!([{"days": every_day, "from": shop_time(-1), "to": shop_time(1)}]);
    json_with(app.api.put_json("/api/menu", &menu).await.unwrap(), 200).await;
    let solo = json!({"deal_id": "deal-1", "choices": [{"slot": "pizza", "item_id": "veggie"}, {"slot": "drink", "item_id": "pepsi"}]});
    let err = json_with(
        app.api
            .post_json("/api/orders", &json!({"items": [solo], "address": ADDRESS}))
            .await
            .unwrap(),
        422,
    )
    .await;
    let f = &err["error"]["fields"][0];
    assert_eq!(
        (f["field"].as_str(), f["code"].as_str()),
        (Some("items[0].deal_id"), Some("deal_not_available_now"))
    );
    assert_eq!(
        f["params"]["window"],
        format!("daily {}–{}", shop_time(2), shop_time(3))
    );
    let two = json!({"deal_id": "deal-2", "choices": [{"slot": "pizza", "item_id": "veggie"},
        {"slot": "drinks", "item_id": "pepsi"}, {"slot": "drinks", "item_id": "7up"}]});
    let o = app
        .api
        .create_order(&json!({"items": [two], "address": ADDRESS}))
        .await
        .unwrap();
    assert_eq!(o["total"], 154_900);
}

#[tokio::test]
async fn the_shop_order_settings_are_read_and_written_with_their_rules() {
    let app = spawn_app().await;
    let s = json_with(app.api.get("/api/settings").await.unwrap(), 200).await;
    assert_eq!(s["delivery_zones"], json!([]));
    assert_eq!(s["pickup"], json!({"enabled": true, "eta_minutes": 20}));
    assert_eq!(s["payment_methods"], json!(["cash", "card", "wallet"]));
    assert_eq!(s["tax"]["registered"], false);
    assert_eq!(s["hours"], Value::Null);
    let hours = json!({"weekly": {"fri": [{"from": "14:00", "to": "02:00"}]}, "closed_dates": ["2026-12-25"]});
    set(
        &app,
        json!({"delivery_zones": [gulberg()], "hours": hours, "payment_methods": ["cash", "card"]}),
    )
    .await;
    let s = json_with(app.api.get("/api/settings").await.unwrap(), 200).await;
    assert_eq!(s["delivery_zones"][0], gulberg());
    assert_eq!(s["hours"], hours);
    assert_eq!(s["payment_methods"], json!(["cash", "card"]));
    set(&app, json!({"hours": null})).await;
    let s = json_with(app.api.get("/api/settings").await.unwrap(), 200).await;
    assert_eq!(s["hours"], Value::Null, "null clears: always open");
    let mut bad_zone = gulberg();
    bad_zone["fee"] = json!(-5);
    let err = json_with(
        app.api
            .put_json("/api/settings", &json!({"delivery_zones": [bad_zone], "payment_methods": [],
                "tax": {"registered": true, "prices_include_tax": false, "rates_bp": {"cash": 9000, "card": 500, "wallet": 500}}}))
            .await
            .unwrap(),
        422,
    )
    .await;
    let fields: Vec<&str> = err["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        [
            "delivery_zones[0].fee",
            "tax.rates_bp.cash",
            "payment_methods"
        ]
    );
    let s = json_with(app.api.get("/api/settings").await.unwrap(), 200).await;
    assert_eq!(s["delivery_zones"][0], gulberg(), "nothing changed");
}

#[tokio::test]
async fn staff_change_a_new_order_which_is_repriced_and_refused_once_it_is_being_made() {
    let app = spawn_app().await;
    let mut events = app.api.events().await.unwrap();
    let order = app
        .api
        .create_order(&json!({"items": [{"item_id": "chicken-tikka", "size_id": "large"}], "address": ADDRESS}))
        .await
        .unwrap();
    let id = order["id"].as_i64().unwrap();
    events
        .expect("order.created", std::time::Duration::from_secs(5))
        .await
        .unwrap();
    // The customer calls back: make it a half-and-half, add a Coke, they will pick it up.
    let changed = json!({"items": [half_tikka_fajita(), {"item_id": "coca-cola", "size_id": "1.5l"}],
                         "fulfilment": {"type": "pickup"}, "payment": {"method": "card"}});
    let amended = json_with(
        app.api
            .put_json(&format!("/api/orders/{id}"), &changed)
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(
        (amended["id"].clone(), amended["number"].clone()),
        (order["id"].clone(), order["number"].clone())
    );
    assert_eq!(amended["total"], 254_900 + 32_000);
    assert_eq!(amended["fulfilment"]["type"], "pickup");
    assert_eq!(amended["payment"]["method"], "card");
    assert_eq!(amended["items"].as_array().unwrap().len(), 2);
    let pushed = events
        .expect("order.updated", std::time::Duration::from_secs(5))
        .await
        .unwrap();
    assert_eq!(pushed["order"]["total"], amended["total"]);
    // Flagged CHANGED with what changed, the same way a phone amend is.
    assert_eq!(order["changed"], Value::Null);
    let what: Vec<&str> = pushed["order"]["changed"]["what"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["en"].as_str().unwrap())
        .collect();
    assert_eq!(
        what,
        [
            "+1 Chicken Tikka / Chicken Fajita Large 13\" (Stuffed crust, No onion) [well done]",
            "+1 Coca-Cola 1.5 L",
            "−1 Chicken Tikka Large 13\"",
            "now pickup",
            "payment: card"
        ]
    );
    assert_eq!(amended["changed"], pushed["order"]["changed"]);
    let read = json_with(
        app.api.get(&format!("/api/orders/{id}")).await.unwrap(),
        200,
    )
    .await;
    let last = read["history"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        (
            last["from"].as_str(),
            last["to"].as_str(),
            last["reason"].as_str()
        ),
        (Some("new"), Some("new"), Some("changed"))
    );
    assert_eq!(last["by"], USER);
    assert_eq!(last["what"], amended["changed"]["what"]);
    assert_eq!(last["at"], amended["changed"]["at"]);

    // A change that breaks a rule is refused and the order stays as it was.
    let bad = json!({"items": [{"item_id": "fries", "size_id": "regular", "half": {"item_id": "veggie"}}], "fulfilment": {"type": "pickup"}});
    let err = json_with(
        app.api
            .put_json(&format!("/api/orders/{id}"), &bad)
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(err["error"]["fields"][0]["code"], "half_not_allowed");
    let read = json_with(
        app.api.get(&format!("/api/orders/{id}")).await.unwrap(),
        200,
    )
    .await;
    assert_eq!(read["total"], amended["total"]);

    // Undo passes over the change: it takes back the status change before it.
    app.api.set_status(id, "preparing", None).await.unwrap();
    let undone = json_with(
        app.api
            .post_json(&format!("/api/orders/{id}/undo"), &json!({}))
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(undone["status"], "new");
    app.api.set_status(id, "preparing", None).await.unwrap();
    error_with(
        app.api
            .put_json(&format!("/api/orders/{id}"), &changed)
            .await
            .unwrap(),
        409,
        "order_not_editable",
    )
    .await;
    error_with(
        app.api.put_json("/api/orders/999", &changed).await.unwrap(),
        404,
        "not_found",
    )
    .await;
}
