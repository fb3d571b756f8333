//! What the board needs beyond the order flow: when each order entered its status, and
//! recalling a delivered or cancelled order.

use crate::helpers::*;
use chrono::{DateTime, Utc};
use kitchen_testkit::fixtures::{family_order, small_order};
use serde_json::{Value, json};
use std::time::Duration;

fn instant(v: &Value) -> DateTime<Utc> {
    let s = v
        .as_str()
        .unwrap_or_else(|| panic!("not a time string: {v}"));
    assert!(s.ends_with('Z'), "UTC: {s}");
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

async fn place(app: &TestApp, body: &Value) -> i64 {
    app.api.create_order(body).await.unwrap()["id"]
        .as_i64()
        .unwrap()
}

async fn move_to(app: &TestApp, id: i64, status: &str, reason: Option<&str>) -> Value {
    json_with(app.api.set_status(id, status, reason).await.unwrap(), 200).await
}

async fn recall(app: &TestApp, id: i64) -> reqwest::Response {
    app.api
        .post_json(&format!("/api/orders/{id}/recall"), &json!({}))
        .await
        .unwrap()
}

async fn listed(app: &TestApp, id: i64) -> Value {
    let list = json_with(app.api.get("/api/orders").await.unwrap(), 200).await;
    list.as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == id)
        .cloned()
        .expect("order in the list")
}

#[tokio::test]
async fn status_since_is_the_creation_time_then_the_last_status_change_everywhere() {
    let app = spawn_app().await;
    let mut events = app.api.events().await.unwrap();
    events
        .expect("hello", Duration::from_secs(2))
        .await
        .unwrap();
    let created = app.api.create_order(&family_order()).await.unwrap();
    let id = created["id"].as_i64().unwrap();
    assert_eq!(created["status_since"], created["order_time"]);
    let ev = events
        .expect("order.created", Duration::from_secs(2))
        .await
        .unwrap();
    assert_eq!(ev["order"]["status_since"], created["order_time"]);

    // An edit changes the order, not its status.
    tokio::time::sleep(Duration::from_millis(20)).await;
    let edited = json_with(
        app.api
            .put_json(&format!("/api/orders/{id}"), &small_order("03001234567"))
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(edited["status_since"], created["order_time"]);
    assert_ne!(edited["updated_at"], created["order_time"]);

    tokio::time::sleep(Duration::from_millis(20)).await;
    let preparing = move_to(&app, id, "preparing", None).await;
    let since = instant(&preparing["status_since"]);
    assert!(since > instant(&created["order_time"]));
    assert_eq!(preparing["status_since"], preparing["updated_at"]);
    let ev = events
        .expect("order.updated", Duration::from_secs(2))
        .await
        .unwrap();
    let ev = if ev["order"]["status"] == "preparing" {
        ev
    } else {
        events
            .expect("order.updated", Duration::from_secs(2))
            .await
            .unwrap()
    };
    assert_eq!(ev["order"]["status_since"], preparing["status_since"]);
    assert_eq!(
        listed(&app, id).await["status_since"],
        preparing["status_since"]
    );
    let one = json_with(
        app.api.get(&format!("/api/orders/{id}")).await.unwrap(),
        200,
    )
    .await;
    assert_eq!(one["status_since"], preparing["status_since"]);
    assert_eq!(
        one["history"].as_array().unwrap().last().unwrap()["at"],
        one["status_since"]
    );
}

#[tokio::test]
async fn a_delivered_order_is_recalled_to_ready_with_the_chef_in_its_history() {
    let app = spawn_app().await;
    let id = place(&app, &family_order()).await;
    for s in ["preparing", "ready", "delivered"] {
        move_to(&app, id, s, None).await;
    }
    let mut events = app.api.events().await.unwrap();
    events
        .expect("hello", Duration::from_secs(2))
        .await
        .unwrap();
    let back = json_with(recall(&app, id).await, 200).await;
    assert_eq!(back["status"], "ready");
    assert_eq!(back["id"], id);
    assert_eq!(back["status_since"], back["updated_at"]);
    let ev = events
        .expect("order.updated", Duration::from_secs(2))
        .await
        .unwrap();
    assert_eq!(ev["order"]["status"], "ready");
    let one = json_with(
        app.api.get(&format!("/api/orders/{id}")).await.unwrap(),
        200,
    )
    .await;
    let last = one["history"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        (&last["from"], &last["to"], &last["reason"], &last["by"]),
        (
            &json!("delivered"),
            &json!("ready"),
            &json!("recall"),
            &json!(USER)
        )
    );
    assert_eq!(listed(&app, id).await["status"], "ready");

    // A recall is a step back, like an undo: undo does not take it back (move the order
    // on again instead).
    let msg = error_with(
        app.api
            .post_json(&format!("/api/orders/{id}/undo"), &json!({}))
            .await
            .unwrap(),
        409,
        "nothing_to_undo",
    )
    .await;
    assert!(msg.contains("undo"), "{msg}");
    assert_eq!(
        move_to(&app, id, "delivered", None).await["status"],
        "delivered"
    );
}

#[tokio::test]
async fn a_cancelled_order_goes_back_to_where_it_was_cancelled_from_without_its_reason() {
    let app = spawn_app().await;
    let id = place(&app, &family_order()).await;
    move_to(&app, id, "preparing", None).await;
    let cancelled = move_to(&app, id, "cancelled", Some("customer called back")).await;
    assert_eq!(cancelled["cancel_reason"], "customer called back");
    let back = json_with(recall(&app, id).await, 200).await;
    assert_eq!(back["status"], "preparing");
    assert_eq!(back["cancel_reason"], Value::Null);

    let fresh = place(&app, &small_order("03001234567")).await;
    move_to(&app, fresh, "cancelled", Some("duplicate")).await;
    assert_eq!(
        json_with(recall(&app, fresh).await, 200).await["status"],
        "new"
    );
}

#[tokio::test]
async fn recalling_an_order_still_on_the_board_is_409_naming_its_status_and_an_unknown_one_404() {
    let app = spawn_app().await;
    let id = place(&app, &family_order()).await;
    let msg = error_with(recall(&app, id).await, 409, "not_recallable").await;
    assert!(msg.contains("new"), "{msg}");
    assert!(
        msg.contains("delivered") && msg.contains("cancelled"),
        "{msg}"
    );
    move_to(&app, id, "preparing", None).await;
    let msg = error_with(recall(&app, id).await, 409, "not_recallable").await;
    assert!(msg.contains("preparing"), "{msg}");
    let one = json_with(
        app.api.get(&format!("/api/orders/{id}")).await.unwrap(),
        200,
    )
    .await;
    assert_eq!(one["status"], "preparing");
    assert_eq!(
        one["history"].as_array().unwrap().len(),
        2,
        "nothing recorded"
    );
    error_with(recall(&app, 999).await, 404, "not_found").await;
    error_with(
        app.api
            .post_json("/api/orders/abc/recall", &json!({}))
            .await
            .unwrap(),
        404,
        "not_found",
    )
    .await;
}
