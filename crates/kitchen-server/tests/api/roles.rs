//! Two roles: a tablet joins the kitchen with a one-time pairing code the owner shows and
//! works the board; every owner route answers it 403 `owner_only`; the owner password turns
//! it into an owner session (and its old session's stream closes).

use crate::helpers::*;
use kitchen_testkit::KitchenClient;
use kitchen_testkit::client::StreamItem;
use kitchen_testkit::fixtures::family_order;
use reqwest::Method;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(5);

/// Every route only the owner may use.
const OWNER_ROUTES: &[(Method, &str)] = &[
    (Method::GET, "/api/orders.csv"),
    (Method::PUT, "/api/settings"),
    (Method::POST, "/api/settings/check"),
    (Method::PUT, "/api/menu"),
    (Method::GET, "/api/calls"),
    (Method::GET, "/api/calls/CA0123"),
    (Method::GET, "/api/sync"),
    (Method::GET, "/api/setup"),
    (Method::POST, "/api/setup"),
    (Method::POST, "/api/setup/skip"),
    (Method::GET, "/api/phone"),
    (Method::PUT, "/api/phone/answering"),
    (Method::POST, "/api/phone/connect"),
    (Method::POST, "/api/setup/check"),
    (Method::POST, "/api/pairing"),
];

/// The owner (HTTP Basic: the password) shows a pairing code.
async fn pairing_code(app: &TestApp) -> Value {
    json_with(
        app.api.post_json("/api/pairing", &json!({})).await.unwrap(),
        200,
    )
    .await
}

/// A tablet that joined with a fresh code.
async fn paired_tablet(app: &TestApp) -> KitchenClient {
    let code = pairing_code(app).await["code"]
        .as_str()
        .unwrap()
        .to_string();
    let tablet = app.anonymous();
    let res = tablet
        .post_json("/api/pair", &json!({"code": code}))
        .await
        .unwrap();
    let joined = json_with(res, 200).await;
    assert_eq!(joined["role"], "kitchen");
    tablet
}

#[tokio::test]
async fn a_kitchen_session_gets_403_on_every_owner_route() {
    let app = spawn_app().await;
    let tablet = paired_tablet(&app).await;
    for (method, path) in OWNER_ROUTES {
        let res = tablet
            .request(method.clone(), path)
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        error_with(res, 403, "owner_only").await;
    }
    // The owner reaches each of them (whatever each then answers, it is not 403).
    for (method, path) in OWNER_ROUTES {
        let res = app
            .api
            .request(method.clone(), path)
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        assert_ne!(res.status(), 403, "{method} {path}");
        assert_ne!(res.status(), 401, "{method} {path}");
    }
}

#[tokio::test]
async fn a_paired_tablet_works_the_board() {
    let app = spawn_app().await;
    let tablet = paired_tablet(&app).await;
    let me = json_with(tablet.get("/api/session").await.unwrap(), 200).await;
    assert_eq!(me["role"], "kitchen");
    for path in [
        "/api/orders",
        "/api/menu",
        "/api/call-cards",
        "/api/summary",
        "/api/settings",
    ] {
        json_with(tablet.get(path).await.unwrap(), 200).await;
    }
    let mut events = tablet.events().await.unwrap();
    events.expect("hello", WAIT).await.unwrap();
    let order = tablet.create_order(&family_order()).await.unwrap();
    events.expect("order.created", WAIT).await.unwrap();
    let id = order["id"].as_i64().unwrap();
    json_with(tablet.set_status(id, "preparing", None).await.unwrap(), 200).await;
    json_with(
        tablet
            .put_json(
                "/api/menu/availability",
                &json!({"item_id": "coca-cola", "available": false}),
            )
            .await
            .unwrap(),
        200,
    )
    .await;
}

#[tokio::test]
async fn a_used_expired_or_unknown_pairing_code_is_refused() {
    let clock = Arc::new(ManualClock::default());
    let app = spawn_with_clock(clock.clone()).await;
    let shown = pairing_code(&app).await;
    let code = shown["code"].as_str().unwrap().to_string();
    assert_eq!(code.len(), 8);
    let url = shown["url"].as_str().unwrap();
    assert!(
        url.ends_with(&format!("/chef-dashboard/?pair={code}")),
        "{url}"
    );
    assert!(shown["expires_at"].is_string());
    let first = app.anonymous();
    json_with(
        first
            .post_json("/api/pair", &json!({"code": code}))
            .await
            .unwrap(),
        200,
    )
    .await;
    let second = app.anonymous();
    error_with(
        second
            .post_json("/api/pair", &json!({"code": code}))
            .await
            .unwrap(),
        410,
        "pairing_code_used",
    )
    .await;
    let late = pairing_code(&app).await["code"]
        .as_str()
        .unwrap()
        .to_string();
    clock.advance(chrono::Duration::minutes(6));
    error_with(
        second
            .post_json("/api/pair", &json!({"code": late}))
            .await
            .unwrap(),
        410,
        "pairing_code_expired",
    )
    .await;
    error_with(
        second
            .post_json("/api/pair", &json!({"code": "00000000x"}))
            .await
            .unwrap(),
        404,
        "pairing_code_unknown",
    )
    .await;
    error_with(
        second.get("/api/orders").await.unwrap(),
        401,
        "unauthorized",
    )
    .await;
}

#[tokio::test]
async fn guessing_pairing_codes_is_limited_like_logins() {
    let app = spawn_app().await;
    let code = pairing_code(&app).await["code"]
        .as_str()
        .unwrap()
        .to_string();
    let guesser = app.anonymous();
    for i in 0..5 {
        error_with(
            guesser
                .post_json("/api/pair", &json!({"code": format!("1234567{i}")}))
                .await
                .unwrap(),
            404,
            "pairing_code_unknown",
        )
        .await;
    }
    // Even the right code is refused now: guessing is over for a minute.
    error_with(
        guesser
            .post_json("/api/pair", &json!({"code": code}))
            .await
            .unwrap(),
        429,
        "too_many_attempts",
    )
    .await;
}

#[tokio::test]
async fn the_owner_password_turns_a_tablet_into_an_owner_and_ends_its_kitchen_session() {
    let app = spawn_app().await;
    let tablet = paired_tablet(&app).await;
    let mut events = tablet.events().await.unwrap();
    events.expect("hello", WAIT).await.unwrap();
    let res = tablet.login(USER, PASSWORD).await.unwrap();
    assert_eq!(json_with(res, 200).await["role"], "owner");
    app.api.create_order(&family_order()).await.unwrap();
    assert_eq!(
        events.next_item(Duration::from_secs(1)).await.unwrap(),
        StreamItem::Closed(Some(4401)),
        "the kitchen session's stream closes with the role change"
    );
    let me = json_with(tablet.get("/api/session").await.unwrap(), 200).await;
    assert_eq!(me["role"], "owner");
    json_with(tablet.get("/api/phone").await.unwrap(), 200).await;
}

#[tokio::test]
async fn cookies_are_secure_when_the_request_came_over_https() {
    let app = spawn_app().await;
    let http = reqwest::Client::new();
    let login = |proto: Option<&'static str>| {
        let mut rb = http
            .post(format!("{}/api/login", app.base))
            .json(&json!({"username": USER, "password": PASSWORD}));
        if let Some(p) = proto {
            rb = rb.header("x-forwarded-proto", p);
        }
        rb.send()
    };
    let cookie =
        |res: &reqwest::Response| res.headers()["set-cookie"].to_str().unwrap().to_string();
    let over_https = login(Some("https")).await.unwrap();
    assert!(
        cookie(&over_https).contains("; Secure"),
        "{}",
        cookie(&over_https)
    );
    let plain = login(None).await.unwrap();
    assert!(!cookie(&plain).contains("Secure"), "{}", cookie(&plain));
    let code = pairing_code(&app).await["code"]
        .as_str()
        .unwrap()
        .to_string();
    let paired = http
        .post(format!("{}/api/pair", app.base))
        .header("x-forwarded-proto", "https")
        .json(&json!({"code": code}))
        .send()
        .await
        .unwrap();
    assert!(cookie(&paired).contains("; Secure"), "{}", cookie(&paired));
}

#[tokio::test]
async fn password_logins_and_the_desktop_link_are_owner_sessions() {
    let app = spawn_app().await;
    let browser = app.anonymous();
    let res = browser.login(USER, PASSWORD).await.unwrap();
    assert_eq!(json_with(res, 200).await["role"], "owner");
    let me = json_with(browser.get("/api/session").await.unwrap(), 200).await;
    assert_eq!(
        (me["username"].as_str(), me["role"].as_str()),
        (Some(USER), Some("owner"))
    );
    json_with(browser.get("/api/setup").await.unwrap(), 200).await;
}
