//! The phone AI sells the shop's real menu: its tools offer the deals, options, zones and
//! payment methods the dashboard set; `update_order` answers with the server's bill (the
//! total in Urdu words to read back); `confirm_order` puts exactly that bill on the board.

use super::*;

/// A registered shop in Gulberg that adds 16 % tax on cash and 5 % on card, with pickup.
async fn shop_with_zones_and_tax(app: &TestApp) {
    let saved = app
        .api
        .put_json(
            "/api/settings",
            &json!({
                "delivery_zones": [{"id": "gulberg", "name": "Gulberg", "name_ur": "گلبرگ",
                    "fee": 15_000, "min_order": 100_000, "free_above": 800_000,
                    "eta_minutes": 40, "areas": ["Gulberg II", "Gulberg III"]}],
                "pickup": {"enabled": true, "eta_minutes": 20},
                "payment_methods": ["cash", "card"],
                "tax": {"registered": true, "prices_include_tax": false,
                        "rates_bp": {"cash": 1600, "card": 500, "wallet": 500}}
            }),
        )
        .await
        .unwrap();
    assert_eq!(saved.status(), 200, "{}", saved.text().await.unwrap());
}

/// «ڈیل 3، ملائی بوٹی اور کوک؛ ساتھ ایک لارج تکہ سٹفڈ کرسٹ، پیاز نہیں؛ گلبرگ، کیش، دس ہزار کا نوٹ».
fn deal_order() -> Value {
    json!({
        "items": [
            {"deal_id": "deal-3", "quantity": 1, "choices": [
                {"slot": "pizza", "item_id": "malai-boti", "size_id": "large"},
                {"slot": "drink", "item_id": "coca-cola", "size_id": "1.5l"}]},
            {"item_id": "chicken-tikka", "size_id": "large", "quantity": 1,
             "options": [{"group": "crust", "option": "stuffed"}, {"group": "remove", "option": "no-onion"}],
             "note": "kam mirch"}
        ],
        "fulfilment": {"type": "delivery", "address": "House 12, Street 4, Gulberg III",
                       "landmark": "near Hafeez Centre", "zone_id": "gulberg"},
        "payment": {"method": "cash", "pays_with": "10,000"},
        "customer_name": "Ali",
        "callback_confirmed": true
    })
}

#[tokio::test]
async fn the_ai_reviews_a_deal_with_options_reads_the_servers_bill_and_places_exactly_it() {
    let p = phone(Behaviour::Accept).await;
    shop_with_zones_and_tax(&p.app).await;
    let (call, _stream, session) = answered(&p, &p.caller).await;

    // The tools offer what the dashboard set up.
    let update = session
        .received()
        .into_iter()
        .find(|e| e["type"] == "session.update")
        .unwrap();
    let tools = update["session"]["tools"].as_array().unwrap();
    let review = tools.iter().find(|t| t["name"] == "update_order").unwrap();
    let props = &review["parameters"]["properties"];
    assert_eq!(
        props["fulfilment"]["properties"]["zone_id"]["enum"],
        json!(["gulberg"])
    );
    assert_eq!(
        props["fulfilment"]["properties"]["type"]["enum"],
        json!(["delivery", "pickup"])
    );
    assert_eq!(
        props["payment"]["properties"]["method"]["enum"],
        json!(["cash", "card"])
    );
    let line = &props["items"]["items"]["properties"];
    assert!(
        line["deal_id"]["enum"]
            .as_array()
            .unwrap()
            .contains(&json!("deal-3"))
    );
    let instructions = update["session"]["instructions"].as_str().unwrap();
    assert!(
        instructions.contains("گلبرگ (Gulberg): ڈلیوری چارج Rs 150"),
        "{instructions}"
    );
    assert!(instructions.contains("total_spoken_ur"), "{instructions}");

    let reviewed = draft(&session, "c-review", deal_order()).await;
    assert_eq!(reviewed["ok"], true, "{reviewed}");
    // Deal 3 2,349 + Malai Boti 150; Tikka large 2,199 + stuffed 350; fee 150; 16 % cash tax on the food (not the fee).
    let food = 2_349 + 150 + 2_199 + 350;
    let tax = (food as f64 * 0.16).round() as i64;
    assert_eq!(reviewed["bill"]["food_rupees"], food);
    assert_eq!(reviewed["bill"]["delivery_fee_rupees"], 150);
    assert_eq!(reviewed["bill"]["tax"]["rupees"], tax, "{reviewed}");
    assert_eq!(reviewed["bill"]["total_rupees"], food + 150 + tax);
    let spoken = reviewed["bill"]["total_spoken_ur"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(spoken.contains("ہزار"), "{spoken}");
    assert!(reviewed["next"].as_str().unwrap().contains(&spoken));
    assert_eq!(
        reviewed["payment"]["change_rupees"],
        10_000 - (food + 150 + tax)
    );
    assert_eq!(reviewed["fulfilment"]["eta_minutes"], 40);
    let board = json_with(p.app.api.get("/api/orders").await.unwrap(), 200).await;
    assert!(
        board.as_array().unwrap().is_empty(),
        "a review saves nothing"
    );

    let placed = confirm(&session, "c-place", reviewed["quote_id"].as_str().unwrap()).await;
    assert_eq!(placed["ok"], true, "{placed}");
    assert_eq!(placed["total_spoken_ur"], spoken.as_str());
    assert_eq!(placed["eta_minutes"], 40);

    let board = json_with(p.app.api.get("/api/orders").await.unwrap(), 200).await;
    let orders = board.as_array().unwrap();
    assert_eq!(orders.len(), 1);
    let order = &orders[0];
    assert_eq!(order["number"], placed["order_number"]);
    assert_eq!(order["customer_phone"], CALLER);
    assert_eq!(order["call_sid"], call.call_sid.as_str());
    assert_eq!(order["total"], (food + 150 + tax) * 100);
    assert_eq!(order["bill"]["total_spoken_ur"], spoken.as_str());
    assert_eq!(order["fulfilment"]["type"], "delivery");
    assert_eq!(order["fulfilment"]["zone_id"], "gulberg");
    assert_eq!(order["fulfilment"]["landmark"], "near Hafeez Centre");
    assert_eq!(order["payment"]["method"], "cash");
    assert_eq!(order["payment"]["pays_with"], 1_000_000);
    let kinds: Vec<&str> = order["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["kind"].as_str())
        .collect();
    assert!(kinds.contains(&"deal"), "{order}");
    let tikka = order["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["item_id"] == "chicken-tikka")
        .unwrap();
    assert_eq!(tikka["note"], "kam mirch");
    assert_eq!(tikka["options"].as_array().unwrap().len(), 2, "{tikka}");
}

#[tokio::test]
async fn a_pickup_paid_by_card_is_priced_at_the_card_rate_and_a_wrong_zone_is_explained() {
    let p = phone(Behaviour::Accept).await;
    shop_with_zones_and_tax(&p.app).await;
    let (_call, _stream, session) = answered(&p, &p.caller).await;

    let mut order = deal_order();
    order["fulfilment"]["zone_id"] = json!("dha");
    let refused = draft(&session, "c-zone", order).await;
    assert_eq!(refused["ok"], false);
    assert_eq!(refused["errors"][0]["code"], "unknown_zone", "{refused}");
    assert!(
        refused["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("gulberg"),
        "{refused}"
    );
    assert!(refused["next"].as_str().unwrap().contains("which area"));

    let mut pickup = deal_order();
    pickup["fulfilment"] = json!({"type": "pickup", "pickup_in_minutes": 30});
    pickup["payment"] = json!({"method": "card"});
    let quote = draft(&session, "c-pickup-draft", pickup).await;
    let placed = confirm(&session, "c-pickup", quote["quote_id"].as_str().unwrap()).await;
    assert_eq!(placed["ok"], true, "{placed}");
    let food = 2_349 + 150 + 2_199 + 350;
    let tax = (food as f64 * 0.05).round() as i64;
    assert_eq!(placed["total_rupees"], food + tax);
    assert_eq!(placed["eta_minutes"], 30);
    assert!(
        placed["next"]
            .as_str()
            .unwrap()
            .contains("ready for pickup in about 30 minutes")
    );
    let board = json_with(p.app.api.get("/api/orders").await.unwrap(), 200).await;
    assert_eq!(board[0]["fulfilment"]["type"], "pickup");
    assert_eq!(board[0]["bill"]["tax"]["rate_bp"], 500);
}

#[tokio::test]
async fn an_option_sold_out_on_the_dashboard_leaves_the_next_calls_tools() {
    let p = phone(Behaviour::Accept).await;
    let mut menu = json_with(p.app.api.get("/api/menu").await.unwrap(), 200).await;
    for group in menu["option_groups"].as_array_mut().unwrap() {
        for option in group["options"].as_array_mut().unwrap() {
            if option["id"] == "stuffed" {
                option["available"] = json!(false);
            }
        }
    }
    let saved = p.app.api.put_json("/api/menu", &menu).await.unwrap();
    assert_eq!(saved.status(), 200, "{}", saved.text().await.unwrap());
    let (_call, _stream, session) = answered(&p, &p.caller).await;
    let update = session
        .received()
        .into_iter()
        .find(|e| e["type"] == "session.update")
        .unwrap();
    let review = update["session"]["tools"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "update_order")
        .unwrap()
        .clone();
    let options = &review["parameters"]["properties"]["items"]["items"]["properties"]["options"];
    let ids = options["items"]["properties"]["option"]["enum"]
        .as_array()
        .unwrap();
    assert!(
        ids.contains(&json!("thin")) && !ids.contains(&json!("stuffed")),
        "{ids:?}"
    );

    // Asked for anyway (an old schema in the model's memory): refused as sold out.
    let out = draft(&session, "c1", deal_order()).await;
    assert_eq!(out["ok"], false);
    assert!(
        out["errors"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["code"] == "sold_out"),
        "{out}"
    );
}

#[tokio::test]
async fn one_tap_sold_out_on_the_board_reaches_the_next_calls_tools_and_refuses_the_order() {
    let p = phone(Behaviour::Accept).await;
    // The board's Sold out panel: one tap per thing, each saved at once.
    for body in [
        json!({"item_id": "chicken-tikka", "available": false}),
        json!({"item_id": "pepperoni", "size_id": "family", "available": false}),
        json!({"group": "crust", "option": "crown", "available": false}),
    ] {
        let r = p
            .app
            .api
            .put_json("/api/menu/availability", &body)
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{body}: {}", r.text().await.unwrap());
    }
    let (_call, _stream, session) = answered(&p, &p.caller).await;
    let update = session
        .received()
        .into_iter()
        .find(|e| e["type"] == "session.update")
        .unwrap();
    let tools = update["session"]["tools"].as_array().unwrap();
    {
        let name = "update_order";
        let tool = tools.iter().find(|t| t["name"] == name).unwrap();
        let line = &tool["parameters"]["properties"]["items"]["items"]["properties"];
        let items = line["item_id"]["enum"].as_array().unwrap();
        assert!(
            items.contains(&json!("chicken-fajita")) && !items.contains(&json!("chicken-tikka")),
            "{name}: {items:?}"
        );
        let options = line["options"]["items"]["properties"]["option"]["enum"]
            .as_array()
            .unwrap();
        assert!(
            options.contains(&json!("stuffed")) && !options.contains(&json!("crown")),
            "{name}: {options:?}"
        );
    }
    let instructions = update["session"]["instructions"].as_str().unwrap();
    assert!(
        instructions.contains("چکن فجیٹا (Chicken Fajita):")
            && !instructions.contains("چکن تکہ (Chicken Tikka):"),
        "a sold-out item is not offered: {instructions}"
    );

    // Placed anyway (an old schema in the model's memory): refused, nothing on the board.
    let tikka = json!({
        "items": [{"item_id": "chicken-tikka", "size_id": "large", "quantity": 1}],
        "fulfilment": {"type": "delivery", "address": "House 12, Street 4, Gulberg III"},
        "payment": {"method": "cash"},
        "customer_name": "Ali"
    });
    let family = json!({
        "items": [{"item_id": "pepperoni", "size_id": "family", "quantity": 1}],
        "fulfilment": {"type": "delivery", "address": "House 12, Street 4, Gulberg III"},
        "payment": {"method": "cash"},
        "customer_name": "Ali"
    });
    for (id, order) in [("c1", tikka), ("c2", family)] {
        let out = draft(&session, id, order).await;
        assert_eq!(out["ok"], false, "{out}");
        assert!(
            out["errors"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["code"] == "sold_out"),
            "{out}"
        );
    }
    let board = json_with(p.app.api.get("/api/orders").await.unwrap(), 200).await;
    assert!(board.as_array().unwrap().is_empty(), "{board}");

    // Back on sale: the next call offers it again.
    let r = p
        .app
        .api
        .put_json(
            "/api/menu/availability",
            &json!({"item_id": "chicken-tikka", "available": true}),
        )
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let (_call, _stream, session) = answered(&p, &p.caller).await;
    let update = session
        .received()
        .into_iter()
        .find(|e| e["type"] == "session.update")
        .unwrap();
    let review = update["session"]["tools"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "update_order")
        .unwrap()
        .clone();
    let items =
        review["parameters"]["properties"]["items"]["items"]["properties"]["item_id"]["enum"]
            .as_array()
            .unwrap()
            .clone();
    assert!(items.contains(&json!("chicken-tikka")), "{items:?}");
}
