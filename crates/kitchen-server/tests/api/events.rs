use crate::helpers::*;
use kitchen_testkit::client::StreamItem;
use kitchen_testkit::fixtures::family_order;
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(5);

#[tokio::test]
async fn a_new_order_is_pushed_after_it_is_committed() {
    let app = spawn_app().await;
    let mut events = app.api.events().await.unwrap();
    events.expect("hello", WAIT).await.unwrap();
    let created = app.api.create_order(&family_order()).await.unwrap();
    let ev = events.expect("order.created", WAIT).await.unwrap();
    assert_eq!(ev["order"]["uuid"], created["uuid"]);
    assert_eq!(ev["order"]["items"], created["items"]);
    // Committed before it was announced: the API already returns it.
    let id = ev["order"]["id"].as_i64().unwrap();
    json_with(
        app.api.get(&format!("/api/orders/{id}")).await.unwrap(),
        200,
    )
    .await;
}

#[tokio::test]
async fn a_status_change_reaches_a_subscriber_within_100_ms() {
    let app = spawn_app().await;
    let id = app.api.create_order(&family_order()).await.unwrap()["id"]
        .as_i64()
        .unwrap();
    let mut events = app.api.events().await.unwrap();
    events.expect("hello", WAIT).await.unwrap();
    let api = app.api.clone();
    let started = Instant::now();
    let change = tokio::spawn(async move { api.set_status(id, "preparing", None).await.unwrap() });
    let ev = events.expect("order.updated", WAIT).await.unwrap();
    let elapsed = started.elapsed();
    assert_eq!(ev["order"]["id"], id);
    assert_eq!(ev["order"]["status"], "preparing");
    assert!(elapsed < Duration::from_millis(100), "took {elapsed:?}");
    assert_eq!(change.await.unwrap().status(), 200);
}

#[tokio::test]
async fn refused_changes_and_replayed_orders_publish_nothing() {
    let app = spawn_app().await;
    let mut events = app.api.events().await.unwrap();
    events.expect("hello", WAIT).await.unwrap();
    let send = || {
        app.api
            .request(reqwest::Method::POST, "/api/orders")
            .header("Idempotency-Key", "k-1")
            .json(&family_order())
            .send()
    };
    let first = json_with(send().await.unwrap(), 201).await;
    json_with(send().await.unwrap(), 201).await;
    let id = first["id"].as_i64().unwrap();
    error_with(
        app.api.set_status(id, "delivered", None).await.unwrap(),
        409,
        "invalid_transition",
    )
    .await;
    json_with(
        app.api.set_status(id, "preparing", None).await.unwrap(),
        200,
    )
    .await;
    // Exactly one created (not two) and the next thing is the accepted change.
    assert_eq!(
        events.next_event(WAIT).await.unwrap()["type"],
        "order.created"
    );
    let next = events.next_event(WAIT).await.unwrap();
    assert_eq!(
        (next["type"].as_str(), next["order"]["status"].as_str()),
        (Some("order.updated"), Some("preparing"))
    );
}

#[tokio::test]
async fn a_page_from_another_site_cannot_open_the_stream() {
    let app = spawn_app().await;
    let res = reqwest::Client::new()
        .get(format!("{}/api/events", app.base))
        .basic_auth(USER, Some(PASSWORD))
        .header("origin", "http://evil.example")
        .header("connection", "upgrade")
        .header("upgrade", "websocket")
        .header("sec-websocket-version", "13")
        .header("sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ==")
        .send()
        .await
        .unwrap();
    error_with(res, 403, "forbidden_origin").await;
}

#[tokio::test]
async fn the_stream_is_closed_cleanly_when_the_server_stops() {
    let mut app = spawn_app().await;
    let mut events = app.api.events().await.unwrap();
    events.expect("hello", WAIT).await.unwrap();
    app.shutdown().await;
    assert_eq!(
        events.next_item(WAIT).await.unwrap(),
        StreamItem::Closed(Some(1001))
    );
}
