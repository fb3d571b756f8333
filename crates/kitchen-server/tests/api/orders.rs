use crate::helpers::*;
use kitchen_testkit::fixtures::{FAMILY_ORDER_TOTAL, family_order, small_order};
use serde_json::{Value, json};

#[tokio::test]
async fn a_staff_order_is_priced_saved_numbered_and_carries_the_seed_fields() {
    let app = spawn_app().await;
    let res = app
        .api
        .post_json("/api/orders", &family_order())
        .await
        .unwrap();
    let location = res.headers()["location"].to_str().unwrap().to_string();
    let order = json_with(res, 201).await;
    assert_eq!(location, format!("/api/orders/{}", order["id"]));
    assert_eq!(order["number"], 1);
    assert_eq!(order["status"], "new");
    assert_eq!(order["total"], FAMILY_ORDER_TOTAL);
    assert_eq!(order["flavour"], "Chicken Tikka");
    assert_eq!(order["size"], "Large 13\"");
    assert_eq!(order["drink"], "Coca-Cola 1.5 L");
    assert_eq!(order["customer_phone"], "+923001234567");
    assert_eq!(order["customer_name"], "Ali Raza");
    assert_eq!(order["landmark"], "near Hafeez Centre");
    assert_eq!(order["source"], "staff");
    assert_eq!(order["items"][0]["quantity"], 2);
    assert_eq!(order["items"][0]["unit_price"], 219_900);
    assert_eq!(order["items"][1]["name"], "Coca-Cola");
    assert!(uuid_ok(&order["uuid"]));
    assert!(order["order_time"].as_str().unwrap().ends_with('Z'));

    let second = app
        .api
        .create_order(&small_order("03211234567"))
        .await
        .unwrap();
    assert_eq!(second["number"], 2);
    let list = json_with(app.api.get("/api/orders").await.unwrap(), 200).await;
    let ids: Vec<&Value> = list.as_array().unwrap().iter().map(|o| &o["id"]).collect();
    assert_eq!(ids, [&second["id"], &order["id"]], "newest first");
    let one = json_with(app.api.get(&location).await.unwrap(), 200).await;
    assert_eq!(one["items"], order["items"]);
    assert_eq!(one["history"][0]["to"], "new");
    assert_eq!(one["history"][0]["by"], USER);
}

fn uuid_ok(v: &Value) -> bool {
    v.as_str().is_some_and(|s| uuid::Uuid::parse_str(s).is_ok())
}

#[tokio::test]
async fn the_same_idempotency_key_twice_creates_one_order() {
    let app = spawn_app().await;
    let send = |key: &'static str, body: Value| {
        let api = app.api.clone();
        async move {
            api.request(reqwest::Method::POST, "/api/orders")
                .header("Idempotency-Key", key)
                .json(&body)
                .send()
                .await
                .unwrap()
        }
    };
    let first = json_with(send("till-7-0001", family_order()).await, 201).await;
    let res = send("till-7-0001", family_order()).await;
    assert_eq!(res.headers()["idempotent-replayed"], "true");
    let again = json_with(res, 201).await;
    assert_eq!(first["uuid"], again["uuid"]);
    let list = json_with(app.api.get("/api/orders").await.unwrap(), 200).await;
    assert_eq!(list.as_array().unwrap().len(), 1);

    let msg = error_with(
        send("till-7-0001", small_order("03001234567")).await,
        409,
        "idempotency_conflict",
    )
    .await;
    assert!(msg.contains("new key"), "{msg}");
    let res = app
        .api
        .request(reqwest::Method::POST, "/api/orders")
        .header("Idempotency-Key", "  ")
        .json(&family_order())
        .send()
        .await
        .unwrap();
    error_with(res, 400, "invalid_header").await;
}

#[tokio::test]
async fn unknown_items_and_sizes_are_422_naming_the_field_and_the_allowed_values() {
    let app = spawn_app().await;
    let mut body = family_order();
    body["items"][0]["size_id"] = json!("huge");
    body["items"][1]["item_id"] = json!("rooh-afza");
    let res = app.api.post_json("/api/orders", &body).await.unwrap();
    let err = json_with(res, 422).await;
    assert_eq!(err["error"]["code"], "validation_failed");
    let fields = err["error"]["fields"].as_array().unwrap();
    assert_eq!(fields[0]["field"], "items[0].size_id");
    assert!(
        fields[0]["message"]
            .as_str()
            .unwrap()
            .contains("sizes are small, medium, large, family")
    );
    assert_eq!(fields[1]["field"], "items[1].item_id");
    assert!(
        fields[1]["message"]
            .as_str()
            .unwrap()
            .contains("chicken-tikka")
    );
    assert!(
        json_with(app.api.get("/api/orders").await.unwrap(), 200)
            .await
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn a_bad_phone_number_is_422_saying_how_to_write_it() {
    let app = spawn_app().await;
    let res = app
        .api
        .post_json("/api/orders", &small_order("call me maybe"))
        .await
        .unwrap();
    let err = json_with(res, 422).await;
    assert_eq!(err["error"]["fields"][0]["field"], "customer_phone");
    assert!(
        err["error"]["message"]
            .as_str()
            .unwrap()
            .contains("03001234567")
    );
}

#[tokio::test]
async fn bad_quantities_and_missing_address_are_422() {
    let app = spawn_app().await;
    let mut body = family_order();
    body["items"][0]["quantity"] = json!(0);
    body["address"] = json!("  ");
    let err = json_with(app.api.post_json("/api/orders", &body).await.unwrap(), 422).await;
    let fields: Vec<&str> = err["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["items[0].quantity", "address"]);
}

#[tokio::test]
async fn malformed_json_is_400_and_a_wrong_shape_is_422() {
    let app = spawn_app().await;
    let res = app
        .api
        .request(reqwest::Method::POST, "/api/orders")
        .header("content-type", "application/json")
        .body("{\"items\": [")
        .send()
        .await
        .unwrap();
    error_with(res, 400, "invalid_json").await;
    let mut body = family_order();
    body["items"][0]["quantity"] = json!("two");
    let msg = error_with(
        app.api.post_json("/api/orders", &body).await.unwrap(),
        422,
        "invalid_body",
    )
    .await;
    assert!(msg.contains("quantity"), "{msg}");
    let res = app
        .api
        .request(reqwest::Method::POST, "/api/orders")
        .body(family_order().to_string())
        .send()
        .await
        .unwrap();
    error_with(res, 415, "unsupported_media_type").await;
}

#[tokio::test]
async fn a_body_over_64_kib_is_413_and_saves_nothing() {
    let app = spawn_app().await;
    let mut body = family_order();
    body["address"] = json!("x".repeat(70 * 1024));
    error_with(
        app.api.post_json("/api/orders", &body).await.unwrap(),
        413,
        "body_too_large",
    )
    .await;
    assert!(
        json_with(app.api.get("/api/orders").await.unwrap(), 200)
            .await
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn an_order_moves_through_the_kitchen_and_every_change_is_recorded() {
    let app = spawn_app().await;
    let id = app.api.create_order(&family_order()).await.unwrap()["id"]
        .as_i64()
        .unwrap();
    for status in ["preparing", "ready", "delivered"] {
        let order = json_with(app.api.set_status(id, status, None).await.unwrap(), 200).await;
        assert_eq!(order["status"], status);
    }
    let order = json_with(
        app.api.get(&format!("/api/orders/{id}")).await.unwrap(),
        200,
    )
    .await;
    let steps: Vec<(Value, Value, Value)> = order["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| (h["from"].clone(), h["to"].clone(), h["by"].clone()))
        .collect();
    assert_eq!(
        steps,
        [
            (Value::Null, json!("new"), json!(USER)),
            (json!("new"), json!("preparing"), json!(USER)),
            (json!("preparing"), json!("ready"), json!(USER)),
            (json!("ready"), json!("delivered"), json!(USER)),
        ]
    );
}

#[tokio::test]
async fn an_invalid_transition_is_409_naming_both_states() {
    let app = spawn_app().await;
    let id = app.api.create_order(&family_order()).await.unwrap()["id"]
        .as_i64()
        .unwrap();
    let msg = error_with(
        app.api.set_status(id, "delivered", None).await.unwrap(),
        409,
        "invalid_transition",
    )
    .await;
    assert!(msg.contains("new") && msg.contains("delivered"), "{msg}");
    let order = json_with(
        app.api.get(&format!("/api/orders/{id}")).await.unwrap(),
        200,
    )
    .await;
    assert_eq!(order["status"], "new", "nothing changed");
}

#[tokio::test]
async fn an_unknown_status_is_422_and_an_unknown_order_is_404() {
    let app = spawn_app().await;
    let id = app.api.create_order(&family_order()).await.unwrap()["id"]
        .as_i64()
        .unwrap();
    let msg = error_with(
        app.api.set_status(id, "baking", None).await.unwrap(),
        422,
        "invalid_status",
    )
    .await;
    assert!(msg.contains("baking"), "{msg}");
    error_with(
        app.api.set_status(9999, "preparing", None).await.unwrap(),
        404,
        "not_found",
    )
    .await;
    error_with(
        app.api.get("/api/orders/9999").await.unwrap(),
        404,
        "not_found",
    )
    .await;
    error_with(
        app.api.get("/api/orders/abc").await.unwrap(),
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn cancelling_needs_a_reason_which_is_kept() {
    let app = spawn_app().await;
    let id = app.api.create_order(&family_order()).await.unwrap()["id"]
        .as_i64()
        .unwrap();
    error_with(
        app.api.set_status(id, "cancelled", None).await.unwrap(),
        422,
        "reason_required",
    )
    .await;
    let order = json_with(
        app.api
            .set_status(id, "cancelled", Some("customer called to cancel"))
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(order["status"], "cancelled");
    assert_eq!(order["cancel_reason"], "customer called to cancel");
    let one = json_with(
        app.api.get(&format!("/api/orders/{id}")).await.unwrap(),
        200,
    )
    .await;
    assert_eq!(one["history"][1]["reason"], "customer called to cancel");
}

#[tokio::test]
async fn orders_can_be_listed_by_status_time_and_phone() {
    let app = spawn_app().await;
    let a = app
        .api
        .create_order(&small_order("03001234567"))
        .await
        .unwrap();
    let b = app
        .api
        .create_order(&small_order("+92 321 7654321"))
        .await
        .unwrap();
    json_with(
        app.api
            .set_status(a["id"].as_i64().unwrap(), "preparing", None)
            .await
            .unwrap(),
        200,
    )
    .await;
    let count = |q: &'static str| {
        let api = app.api.clone();
        async move {
            json_with(api.get(&format!("/api/orders?{q}")).await.unwrap(), 200)
                .await
                .as_array()
                .unwrap()
                .len()
        }
    };
    assert_eq!(count("status=preparing").await, 1);
    assert_eq!(count("status=new").await, 1);
    assert_eq!(count("phone=0321-7654321").await, 1);
    assert_eq!(count("phone=%2B923001234567").await, 1);
    assert_eq!(count("phone=7654321").await, 1, "the last digits match too");
    assert_eq!(count("phone=03339999999").await, 0);
    let since = b["order_time"].as_str().unwrap().replace('+', "%2B");
    assert_eq!(
        count(Box::leak(format!("since={since}").into_boxed_str())).await,
        1
    );
    assert_eq!(count("since=2000-01-01").await, 2);
    assert_eq!(count("limit=1").await, 1);
    error_with(
        app.api.get("/api/orders?status=baking").await.unwrap(),
        422,
        "invalid_status",
    )
    .await;
    error_with(
        app.api.get("/api/orders?since=yesterday").await.unwrap(),
        400,
        "invalid_query",
    )
    .await;
    error_with(
        app.api.get("/api/orders?limit=0").await.unwrap(),
        400,
        "invalid_query",
    )
    .await;
    error_with(
        app.api.get("/api/orders?phone=ab").await.unwrap(),
        400,
        "invalid_query",
    )
    .await;
}

#[tokio::test]
async fn a_locked_database_is_503_after_the_busy_timeout_and_nothing_is_half_saved() {
    let app = spawn_app().await;
    let blocker = kitchen_store::rusqlite::Connection::open(app.db_path()).unwrap();
    blocker.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let msg = error_with(
        app.api
            .post_json("/api/orders", &family_order())
            .await
            .unwrap(),
        503,
        "database_busy",
    )
    .await;
    assert!(msg.contains("nothing was saved"), "{msg}");
    blocker.execute_batch("ROLLBACK").unwrap();
    assert!(
        json_with(app.api.get("/api/orders").await.unwrap(), 200)
            .await
            .as_array()
            .unwrap()
            .is_empty()
    );
    // Once the lock is gone the same request succeeds.
    app.api.create_order(&family_order()).await.unwrap();
}

#[tokio::test]
async fn a_write_waits_for_a_short_lock_instead_of_failing() {
    let app = spawn_app().await;
    let path = app.db_path();
    let (locked_tx, locked_rx) = std::sync::mpsc::channel();
    let holder = std::thread::spawn(move || {
        let c = kitchen_store::rusqlite::Connection::open(path).unwrap();
        c.execute_batch("BEGIN EXCLUSIVE").unwrap();
        locked_tx.send(()).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(100));
        c.execute_batch("COMMIT").unwrap();
    });
    locked_rx.recv().unwrap();
    app.api
        .create_order(&family_order())
        .await
        .expect("retried within the busy timeout");
    holder.join().unwrap();
}

#[tokio::test]
async fn top_level_errors_carry_params_for_the_dashboard_to_word() {
    let app = spawn_app().await;
    let id = app.api.create_order(&family_order()).await.unwrap()["id"]
        .as_i64()
        .unwrap();
    let body = json_with(
        app.api.set_status(id, "delivered", None).await.unwrap(),
        409,
    )
    .await;
    assert_eq!(body["error"]["code"], "invalid_transition");
    assert_eq!(
        body["error"]["params"],
        json!({"from": "new", "to": "delivered"})
    );
    // A code without values still has its (empty) params.
    let body = json_with(app.api.get("/api/orders/999999").await.unwrap(), 404).await;
    assert_eq!(body["error"]["code"], "not_found");
    assert_eq!(body["error"]["params"], json!({}));
}
