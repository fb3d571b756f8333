//! Sessions that end: logout, a password change and expiry close that session's open
//! `/api/events` streams at once (within a second), and they receive no order after.

use crate::helpers::*;
use kitchen_testkit::KitchenClient;
use kitchen_testkit::client::{EventStream, StreamItem};
use kitchen_testkit::fixtures::family_order;
use serde_json::json;
use std::sync::Arc;
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(5);
/// How soon an ended session's stream must close.
const AT_ONCE: Duration = Duration::from_secs(1);
/// The close code of a stream whose session ended.
const SESSION_ENDED: u16 = 4401;

/// A browser logged in by cookie, with its event stream open (past the hello).
async fn logged_in_browser(app: &TestApp) -> (KitchenClient, EventStream) {
    let browser = app.anonymous();
    json_with(browser.login(USER, PASSWORD).await.unwrap(), 200).await;
    let mut events = browser.events().await.unwrap();
    events.expect("hello", WAIT).await.unwrap();
    (browser, events)
}

/// The stream closes as an ended session within [`AT_ONCE`] of `since`, with nothing
/// (no order) before the close.
async fn closes_at_once(events: &mut EventStream, since: Instant) {
    let item = events.next_item(AT_ONCE).await.unwrap();
    assert_eq!(item, StreamItem::Closed(Some(SESSION_ENDED)));
    assert!(
        since.elapsed() < AT_ONCE,
        "closed after {:?}",
        since.elapsed()
    );
}

#[tokio::test]
async fn logout_closes_the_sessions_stream_and_no_order_reaches_it() {
    let app = spawn_app().await;
    let (browser, mut events) = logged_in_browser(&app).await;
    let (_other, mut others) = logged_in_browser(&app).await;
    let started = Instant::now();
    let res = browser.post_json("/api/logout", &json!({})).await.unwrap();
    assert_eq!(res.status(), 204);
    let order = app.api.create_order(&family_order()).await.unwrap();
    closes_at_once(&mut events, started).await;
    // Another session's stream is untouched and does get the order.
    let ev = others.expect("order.created", WAIT).await.unwrap();
    assert_eq!(ev["order"]["uuid"], order["uuid"]);
    // The logged-out cookie cannot open a new stream.
    assert!(browser.events().await.is_err());
}

#[tokio::test]
async fn a_password_change_closes_every_sessions_stream() {
    let app = spawn_app().await;
    let (owner, mut owners) = logged_in_browser(&app).await;
    let (_tablet, mut tablets) = logged_in_browser(&app).await;
    let mut basics = app.api.events().await.unwrap();
    basics.expect("hello", WAIT).await.unwrap();
    let started = Instant::now();
    let res = owner
        .post_json(
            "/api/setup",
            &json!({
                "shop_name": "Melt 8 Gulberg",
                "chef_password": "gulberg-oven-2026",
                "openai_api_key": "sk-session-end-test",
                "openai_model": "gpt-realtime-2.1-mini",
                "shop_phone": "0300 1234567"
            }),
        )
        .await
        .unwrap();
    json_with(res, 200).await;
    let fresh = KitchenClient::new(&app.base).with_basic(USER, "gulberg-oven-2026");
    fresh.create_order(&family_order()).await.unwrap();
    closes_at_once(&mut owners, started).await;
    closes_at_once(&mut tablets, started).await;
    closes_at_once(&mut basics, started).await;
    // The owner's fresh session (from the answer's cookie) streams again.
    let mut again = owner.events().await.unwrap();
    again.expect("hello", WAIT).await.unwrap();
}

#[tokio::test]
async fn an_expired_session_stream_closes_within_a_second() {
    let clock = Arc::new(ManualClock::default());
    let app = spawn_with_clock(clock.clone()).await;
    let (browser, mut events) = logged_in_browser(&app).await;
    // Still live: an order arrives.
    app.api.create_order(&family_order()).await.unwrap();
    events.expect("order.created", WAIT).await.unwrap();
    let started = Instant::now();
    clock.advance(chrono::Duration::days(31));
    app.api.create_order(&family_order()).await.unwrap();
    closes_at_once(&mut events, started).await;
    error_with(
        browser.get("/api/orders").await.unwrap(),
        401,
        "unauthorized",
    )
    .await;
}
