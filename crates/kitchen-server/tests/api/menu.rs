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
        json!({"id": "large", "label": "Large 13\"", "price": 219_900, "available": true})
    );
    assert!(
        items
            .iter()
            .any(|i| i["id"] == "coca-cola" && i["kind"] == "drink")
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
