use crate::helpers::*;
use kitchen_testkit::fixtures::family_order;
use serde_json::json;

#[tokio::test]
async fn a_new_shop_gets_the_default_pakistani_menu() {
    let app = spawn_app().await;
    let menu = json_with(app.api.get("/api/menu").await.unwrap(), 200).await;
    let items = menu["items"].as_array().unwrap();
    let tikka = items.iter().find(|i| i["id"] == "chicken-tikka").unwrap();
    assert_eq!(tikka["name"], "Chicken Tikka");
    assert_eq!(tikka["name_ur"], "چکن تکہ");
    assert_eq!(tikka["kind"], "pizza");
    assert_eq!(tikka["available"], true);
    assert_eq!(
        tikka["sizes"][2],
        json!({"id": "large", "label": "Large 13\"", "label_ur": "بڑا 13 انچ",
               "price": 219_900, "available": true})
    );
    assert!(
        items
            .iter()
            .any(|i| i["id"] == "coca-cola" && i["kind"] == "drink")
    );
}

#[tokio::test]
async fn a_sizes_urdu_label_is_saved_checked_and_carried_onto_the_order_and_its_bill() {
    let app = spawn_app().await;
    let mut menu = json_with(app.api.get("/api/menu").await.unwrap(), 200).await;
    let tikka = menu["items"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|i| i["id"] == "chicken-tikka")
        .unwrap();
    tikka["sizes"][2]["label_ur"] = json!("بہت بڑا ".repeat(6));
    tikka["sizes"][1]["label_ur"] = json!("  ");
    let err = json_with(app.api.put_json("/api/menu", &menu).await.unwrap(), 422).await;
    let fields = err["error"]["fields"].as_array().unwrap();
    assert_eq!(fields.len(), 1, "{err}");
    assert_eq!(fields[0]["field"], "items[0].sizes[2].label_ur");
    assert_eq!(fields[0]["code"], "too_long");
    assert_eq!(fields[0]["params"]["max"], "40");

    let tikka = &mut menu["items"][0];
    tikka["sizes"][2]["label_ur"] = json!(" لارج ");
    let saved = json_with(app.api.put_json("/api/menu", &menu).await.unwrap(), 200).await;
    assert_eq!(saved["items"][0]["sizes"][2]["label_ur"], "لارج", "trimmed");
    assert!(
        saved["items"][0]["sizes"][1].get("label_ur").is_none(),
        "a blank Urdu label is dropped: {}",
        saved["items"][0]["sizes"][1]
    );

    let order = json!({
        "items": [{"item_id": "chicken-tikka", "size_id": "large", "quantity": 1},
                  {"item_id": "chicken-tikka", "size_id": "medium", "quantity": 1}],
        "address": "House 4, Model Town"
    });
    let placed = json_with(app.api.post_json("/api/orders", &order).await.unwrap(), 201).await;
    let lines = placed["items"].as_array().unwrap();
    assert_eq!(lines[0]["size_label"], "Large 13\"");
    assert_eq!(lines[0]["size_label_ur"], "لارج");
    assert!(lines[1].get("size_label_ur").is_none(), "{}", lines[1]);
    assert_eq!(placed["bill"]["lines"][0]["description_ur"], "چکن تکہ لارج");
    assert_eq!(
        placed["bill"]["lines"][1]["description_ur"], "چکن تکہ Medium 10\"",
        "no Urdu label: the English one"
    );
    let id = placed["id"].as_i64().unwrap();
    let again = json_with(
        app.api.get(&format!("/api/orders/{id}")).await.unwrap(),
        200,
    )
    .await;
    assert_eq!(
        again["items"][0]["size_label_ur"], "لارج",
        "kept when read back"
    );
}

#[tokio::test]
async fn replacing_the_menu_takes_effect_on_the_next_order() {
    let app = spawn_app().await;
    let mut menu = json_with(app.api.get("/api/menu").await.unwrap(), 200).await;
    let items = menu["items"].as_array_mut().unwrap();
    let tikka = items
        .iter_mut()
        .find(|i| i["id"] == "chicken-tikka")
        .unwrap();
    tikka["available"] = json!(false);
    let coke = items.iter_mut().find(|i| i["id"] == "coca-cola").unwrap();
    coke["sizes"][1]["price"] = json!(35_000);
    let saved = json_with(app.api.put_json("/api/menu", &menu).await.unwrap(), 200).await;
    assert_eq!(saved, menu);
    assert_eq!(
        json_with(app.api.get("/api/menu").await.unwrap(), 200).await,
        menu
    );

    let err = json_with(
        app.api
            .post_json("/api/orders", &family_order())
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(err["error"]["fields"][0]["field"], "items[0].item_id");
    assert!(
        err["error"]["fields"][0]["message"]
            .as_str()
            .unwrap()
            .contains("sold out")
    );
    let body = json!({"items": [{"item_id": "coca-cola", "size_id": "1.5l", "quantity": 2}], "address": "Model Town"});
    let order = app.api.create_order(&body).await.unwrap();
    assert_eq!(order["total"], 70_000, "the new price is charged");
}

#[tokio::test]
async fn a_big_shops_whole_menu_saves_in_one_request_and_an_absurd_one_is_refused() {
    let app = spawn_app().await;
    let big = serde_json::to_value(crate::random_orders::big_menu()).unwrap();
    let size = big.to_string().len();
    assert!(
        size > 64 * 1024,
        "the test needs a menu over the 64 KiB API limit: {size}"
    );
    let saved = json_with(app.api.put_json("/api/menu", &big).await.unwrap(), 200).await;
    assert_eq!(saved["items"].as_array().unwrap().len(), 200);
    // Past 1 MiB: refused by its size, the saved menu kept.
    let mut absurd = big.clone();
    absurd["items"][0]["description"] = json!("x".repeat(1024 * 1024));
    let err = json_with(app.api.put_json("/api/menu", &absurd).await.unwrap(), 413).await;
    assert_eq!(err["error"]["code"], "body_too_large");
    let now = json_with(app.api.get("/api/menu").await.unwrap(), 200).await;
    assert_eq!(now["items"].as_array().unwrap().len(), 200);
}

#[tokio::test]
async fn an_invalid_menu_is_refused_with_every_problem_and_the_old_menu_kept() {
    let app = spawn_app().await;
    let before = json_with(app.api.get("/api/menu").await.unwrap(), 200).await;
    let bad = json!({"items": [
        {"id": "Tikka Pizza", "name": "", "kind": "pizza", "sizes": [{"id": "l", "label": "L", "price": 0}]},
        {"id": "tea", "name": "Chai", "kind": "drink", "sizes": []}
    ]});
    let err = json_with(app.api.put_json("/api/menu", &bad).await.unwrap(), 422).await;
    assert_eq!(err["error"]["code"], "validation_failed");
    let fields: Vec<&str> = err["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        [
            "items[0].id",
            "items[0].name",
            "items[0].sizes[0].price",
            "items[1].sizes"
        ]
    );
    let wrong_kind = json!({"items": [{"id": "x", "name": "X", "kind": "salad", "sizes": []}]});
    let msg = error_with(
        app.api.put_json("/api/menu", &wrong_kind).await.unwrap(),
        422,
        "invalid_body",
    )
    .await;
    assert!(msg.contains("salad"), "{msg}");
    error_with(
        app.api
            .put_json("/api/menu", &json!({"items": []}))
            .await
            .unwrap(),
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(
        json_with(app.api.get("/api/menu").await.unwrap(), 200).await,
        before
    );
}

mod availability {
    use crate::helpers::*;
    use serde_json::{Value, json};
    use std::time::Duration;

    async fn switch(app: &TestApp, body: Value) -> reqwest::Response {
        app.api
            .put_json("/api/menu/availability", &body)
            .await
            .unwrap()
    }

    fn stuffed_tikka() -> Value {
        json!({
            "items": [{"item_id": "chicken-tikka", "size_id": "large", "quantity": 1,
                       "options": [{"group": "crust", "option": "stuffed"}]}],
            "address": "House 4, Model Town"
        })
    }

    fn codes(err: &Value) -> Vec<String> {
        err["error"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["code"].as_str().unwrap().to_string())
            .collect()
    }

    #[tokio::test]
    async fn an_option_sold_out_in_one_tap_is_refused_on_the_next_order_and_sells_again() {
        let app = spawn_app().await;
        json_with(
            app.api
                .post_json("/api/orders/quote", &stuffed_tikka())
                .await
                .unwrap(),
            200,
        )
        .await;
        let mut events = app.api.events().await.unwrap();
        events
            .expect("hello", Duration::from_secs(2))
            .await
            .unwrap();
        let menu = json_with(
            switch(
                &app,
                json!({"group": "crust", "option": "stuffed", "available": false}),
            )
            .await,
            200,
        )
        .await;
        events
            .expect("menu.updated", Duration::from_secs(2))
            .await
            .unwrap();
        assert_eq!(
            menu,
            json_with(app.api.get("/api/menu").await.unwrap(), 200).await,
            "the answer is the whole menu, as saved"
        );
        let crust = menu["option_groups"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["id"] == "crust")
            .unwrap();
        let stuffed = crust["options"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["id"] == "stuffed")
            .unwrap();
        assert_eq!(stuffed["available"], false);
        assert!(
            crust["options"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|o| o["id"] != "stuffed")
                .all(|o| o["available"] == true),
            "only stuffed changed"
        );
        let err = json_with(
            app.api
                .post_json("/api/orders", &stuffed_tikka())
                .await
                .unwrap(),
            422,
        )
        .await;
        assert_eq!(codes(&err), ["sold_out"], "{err}");

        json_with(
            switch(
                &app,
                json!({"group": "crust", "option": "stuffed", "available": true}),
            )
            .await,
            200,
        )
        .await;
        json_with(
            app.api
                .post_json("/api/orders", &stuffed_tikka())
                .await
                .unwrap(),
            201,
        )
        .await;
    }

    #[tokio::test]
    async fn a_size_an_item_and_a_deal_can_each_be_sold_out() {
        let app = spawn_app().await;
        let menu = json_with(
            switch(
                &app,
                json!({"item_id": "chicken-tikka", "size_id": "large", "available": false}),
            )
            .await,
            200,
        )
        .await;
        let tikka = menu["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == "chicken-tikka")
            .unwrap()
            .clone();
        assert_eq!(tikka["available"], true, "the item still sells");
        for size in tikka["sizes"].as_array().unwrap() {
            assert_eq!(size["available"], size["id"] != "large", "{size}");
        }
        let large = json!({"items": [{"item_id": "chicken-tikka", "size_id": "large", "quantity": 1}],
                           "address": "House 4, Model Town"});
        let err = json_with(app.api.post_json("/api/orders", &large).await.unwrap(), 422).await;
        assert_eq!(codes(&err), ["sold_out"], "{err}");
        let medium = json!({"items": [{"item_id": "chicken-tikka", "size_id": "medium", "quantity": 1}],
                            "address": "House 4, Model Town"});
        json_with(
            app.api.post_json("/api/orders", &medium).await.unwrap(),
            201,
        )
        .await;

        let menu = json_with(
            switch(&app, json!({"item_id": "coca-cola", "available": false})).await,
            200,
        )
        .await;
        let coke = menu["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == "coca-cola")
            .unwrap();
        assert_eq!(coke["available"], false);
        let deal = menu["deals"][0]["id"].as_str().unwrap().to_string();
        let menu = json_with(
            switch(&app, json!({"deal_id": deal, "available": false})).await,
            200,
        )
        .await;
        assert_eq!(menu["deals"][0]["available"], false);
    }

    #[tokio::test]
    async fn unknown_ids_and_wrong_shapes_are_422_listing_what_is_allowed_and_change_nothing() {
        let app = spawn_app().await;
        let before = json_with(app.api.get("/api/menu").await.unwrap(), 200).await;
        let err = json_with(
            switch(&app, json!({"item_id": "sushi", "available": false})).await,
            422,
        )
        .await;
        assert_eq!(err["error"]["code"], "validation_failed");
        let field = &err["error"]["fields"][0];
        assert_eq!(field["field"], "item_id");
        assert_eq!(field["code"], "unknown_item");
        let allowed = field["params"]["allowed"].as_str().unwrap();
        assert!(
            allowed.contains("chicken-tikka") && allowed.contains("coca-cola"),
            "{allowed}"
        );
        assert!(field["message"].as_str().unwrap().contains("sushi"));

        let err = json_with(
            switch(
                &app,
                json!({"item_id": "chicken-tikka", "size_id": "huge", "available": false}),
            )
            .await,
            422,
        )
        .await;
        let field = &err["error"]["fields"][0];
        assert_eq!(
            (&field["field"], &field["code"]),
            (&json!("size_id"), &json!("unknown_size"))
        );
        assert!(
            field["params"]["allowed"]
                .as_str()
                .unwrap()
                .contains("large")
        );

        let err = json_with(
            switch(
                &app,
                json!({"group": "crust", "option": "gold-leaf", "available": false}),
            )
            .await,
            422,
        )
        .await;
        let field = &err["error"]["fields"][0];
        assert_eq!(field["code"], "unknown_option");
        assert!(
            field["params"]["allowed"]
                .as_str()
                .unwrap()
                .contains("stuffed")
        );

        let err = json_with(
            switch(&app, json!({"deal_id": "deal-99", "available": false})).await,
            422,
        )
        .await;
        assert_eq!(err["error"]["fields"][0]["code"], "unknown_deal");

        let err = json_with(
            switch(&app, json!({"name": "Chicken Tikka", "available": false})).await,
            422,
        )
        .await;
        assert_eq!(err["error"]["code"], "validation_failed");
        let msg = err["error"]["fields"][0]["message"].as_str().unwrap();
        assert!(msg.contains("item_id") && msg.contains("deal_id"), "{msg}");
        let err = json_with(switch(&app, json!({"item_id": "chicken-tikka"})).await, 422).await;
        assert_eq!(err["error"]["fields"][0]["field"], "available");

        assert_eq!(
            json_with(app.api.get("/api/menu").await.unwrap(), 200).await,
            before,
            "nothing changed"
        );
    }
}
