//! Call cards through real sockets: a card the phone side leaves (through the app's own
//! `PhoneKitchen`, as a call does) is pushed live, listed, and marked done once for every
//! screen; a later order from the same phone resolves an unfinished order's card; a call's
//! record shows the quotes read back on it and its cards; and the catering-size setting.

use crate::helpers::*;
use chrono::{TimeZone, Utc};
use kitchen_domain::{CallCardKind, CallUpdate, Money, NewCallCard};
use kitchen_phone::kitchen::Kitchen;
use kitchen_server::phone_link::PhoneKitchen;
use kitchen_testkit::fixtures::{family_order, small_order};
use serde_json::{Value, json};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(5);

/// The kitchen the running server's calls talk to.
fn phone_side(app: &TestApp) -> PhoneKitchen {
    PhoneKitchen::new(app.state.store.clone(), app.state.orders.clone())
}

fn card(kind: CallCardKind, call_sid: &str, phone: Option<&str>, summary: &str) -> NewCallCard {
    NewCallCard {
        kind,
        call_sid: call_sid.into(),
        phone: phone.map(str::to_string),
        reason: None,
        summary: summary.into(),
        total: None,
    }
}

async fn open_cards(app: &TestApp) -> Vec<Value> {
    json_with(app.api.get("/api/call-cards").await.unwrap(), 200)
        .await
        .as_array()
        .unwrap()
        .clone()
}

#[tokio::test]
async fn a_card_from_a_call_is_pushed_listed_and_done_once_for_every_screen() {
    let app = spawn_app().await;
    let mut events = app.api.events().await.unwrap();
    events.expect("hello", WAIT).await.unwrap();
    assert!(open_cards(&app).await.is_empty());

    let mut transfer = card(
        CallCardKind::Transfer,
        "CA100",
        Some("+923001234567"),
        "Wants 40 pizzas for a wedding on Saturday",
    );
    transfer.reason = Some("catering".into());
    phone_side(&app).add_call_card(transfer).await.unwrap();

    // Saved before it was announced: the list already has it when the event arrives.
    let created = events.expect("call_card.created", WAIT).await.unwrap();
    let pushed = &created["card"];
    assert_eq!(pushed["kind"], "transfer");
    assert_eq!(pushed["call_sid"], "CA100");
    assert_eq!(pushed["phone"], "+923001234567");
    assert_eq!(pushed["reason"], "catering");
    assert_eq!(
        pushed["summary"],
        "Wants 40 pizzas for a wedding on Saturday"
    );
    assert_eq!(pushed["total"], Value::Null);
    assert_eq!(pushed["done_at"], Value::Null);
    assert!(pushed["created_at"].as_str().unwrap().ends_with('Z'));
    let listed = open_cards(&app).await;
    assert_eq!(listed, vec![pushed.clone()]);
    let id = pushed["id"].as_i64().unwrap();

    let done = json_with(
        app.api
            .post_json(&format!("/api/call-cards/{id}/done"), &json!({}))
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(done["id"], id);
    assert_eq!(done["done_by"], USER);
    assert!(done["done_at"].is_string());
    let gone = events.expect("call_card.done", WAIT).await.unwrap();
    assert_eq!(gone, json!({"type": "call_card.done", "id": id}));
    assert!(open_cards(&app).await.is_empty());

    // Done again (a second tablet tapped it too): the same answer, and nothing new pushed —
    // the next event is the order placed after it.
    let again = json_with(
        app.api
            .post_json(&format!("/api/call-cards/{id}/done"), &json!({}))
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(again, done);
    app.api
        .create_order(&small_order("03331234567"))
        .await
        .unwrap();
    assert_eq!(
        events.next_event(WAIT).await.unwrap()["type"],
        "order.created"
    );

    for bad in ["9999", "abc", "-1"] {
        error_with(
            app.api
                .post_json(&format!("/api/call-cards/{bad}/done"), &json!({}))
                .await
                .unwrap(),
            404,
            "not_found",
        )
        .await;
    }
    // Staff only.
    let anon = app.anonymous();
    error_with(
        anon.get("/api/call-cards").await.unwrap(),
        401,
        "unauthorized",
    )
    .await;
    error_with(
        anon.post_json(&format!("/api/call-cards/{id}/done"), &json!({}))
            .await
            .unwrap(),
        401,
        "unauthorized",
    )
    .await;
}

#[tokio::test]
async fn a_later_order_from_the_same_phone_resolves_its_unfinished_order_card() {
    let app = spawn_app().await;
    let kitchen = phone_side(&app);
    let started = Utc.with_ymd_and_hms(2026, 11, 24, 14, 0, 0).unwrap();
    kitchen
        .log_calls(vec![CallUpdate::Started {
            call_sid: "CA200".into(),
            caller: Some("+923001234567".into()),
            at: started,
        }])
        .await
        .unwrap();
    let mut unfinished = card(
        CallCardKind::UnfinishedOrder,
        "CA200",
        Some("+923001234567"),
        "2× Chicken Tikka Large, 1× Coca-Cola 1.5 L",
    );
    unfinished.total = Some(Money::from_paisa(471_800));
    kitchen.add_call_card(unfinished).await.unwrap();
    kitchen
        .add_call_card(card(
            CallCardKind::UnfinishedOrder,
            "CA201",
            Some("+923339876543"),
            "1× Veggie Small",
        ))
        .await
        .unwrap();
    kitchen
        .add_call_card(card(
            CallCardKind::CallBack,
            "CA202",
            Some("+923001234567"),
            "Complaint: the last pizza came cold",
        ))
        .await
        .unwrap();
    let before = open_cards(&app).await;
    assert_eq!(before.len(), 3);
    let unfinished_id = before.iter().find(|c| c["call_sid"] == "CA200").unwrap()["id"]
        .as_i64()
        .unwrap();
    assert_eq!(
        before.iter().find(|c| c["call_sid"] == "CA200").unwrap()["total"],
        471_800
    );

    let mut events = app.api.events().await.unwrap();
    events.expect("hello", WAIT).await.unwrap();
    // The caller rings the counter instead and the order is taken by hand (0300-1234567
    // is +923001234567).
    let order = app.api.create_order(&family_order()).await.unwrap();
    let created = events.next_event(WAIT).await.unwrap();
    assert_eq!(
        (created["type"].as_str(), &created["order"]["id"]),
        (Some("order.created"), &order["id"])
    );
    let resolved = events.next_event(WAIT).await.unwrap();
    assert_eq!(
        resolved,
        json!({"type": "call_card.done", "id": unfinished_id})
    );

    let left: Vec<String> = open_cards(&app)
        .await
        .iter()
        .map(|c| c["call_sid"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        left,
        ["CA202", "CA201"],
        "the call back and another phone's card stay, newest first"
    );

    // The call's record shows its card, done by the system.
    let call = json_with(app.api.get("/api/calls/CA200").await.unwrap(), 200).await;
    let cards = call["cards"].as_array().unwrap();
    assert_eq!(cards.len(), 1);
    assert_eq!(cards[0]["id"], unfinished_id);
    assert_eq!(cards[0]["done_by"], "system");
    assert!(cards[0]["done_at"].is_string());

    // A second order from that phone resolves nothing more.
    app.api.create_order(&family_order()).await.unwrap();
    assert_eq!(
        events.next_event(WAIT).await.unwrap()["type"],
        "order.created"
    );
    app.api
        .create_order(&small_order("03001112222"))
        .await
        .unwrap();
    assert_eq!(
        events.next_event(WAIT).await.unwrap()["type"],
        "order.created",
        "no call_card.done in between"
    );
}

#[tokio::test]
async fn the_quotes_read_back_on_a_call_show_in_its_record_with_its_cards() {
    let app = spawn_app().await;
    let kitchen = phone_side(&app);
    let t = |m: u32| Utc.with_ymd_and_hms(2026, 11, 24, 15, m, 0).unwrap();
    kitchen
        .log_calls(vec![
            CallUpdate::Started {
                call_sid: "CA300".into(),
                caller: Some("+923001234567".into()),
                at: t(0),
            },
            CallUpdate::Quoted {
                call_sid: "CA300".into(),
                quote_id: "Q1".into(),
                lines: vec!["1× Chicken Tikka Large".into()],
                total: Money::from_paisa(219_900),
                missing: vec!["fulfilment".into(), "payment".into()],
                at: t(1),
            },
            CallUpdate::Quoted {
                call_sid: "CA300".into(),
                quote_id: "Q2".into(),
                lines: vec!["2× Chicken Tikka Large".into(), "1× Coca-Cola 1.5 L".into()],
                total: Money::from_paisa(471_800),
                missing: vec![],
                at: t(2),
            },
        ])
        .await
        .unwrap();
    kitchen
        .add_call_card(card(
            CallCardKind::Transfer,
            "CA300",
            Some("+923001234567"),
            "Asked for the manager",
        ))
        .await
        .unwrap();

    let call = json_with(app.api.get("/api/calls/CA300").await.unwrap(), 200).await;
    assert_eq!(
        call["quotes"],
        json!([
            {"quote_id": "Q1", "lines": ["1× Chicken Tikka Large"], "total": 219_900,
             "missing": ["fulfilment", "payment"], "at": "2026-11-24T15:01:00.000Z"},
            {"quote_id": "Q2", "lines": ["2× Chicken Tikka Large", "1× Coca-Cola 1.5 L"],
             "total": 471_800, "missing": [], "at": "2026-11-24T15:02:00.000Z"},
        ])
    );
    assert_eq!(call["cards"][0]["summary"], "Asked for the manager");
    assert_eq!(call["cards"][0]["done_at"], Value::Null);
    // The list stays light.
    let list = json_with(app.api.get("/api/calls").await.unwrap(), 200).await;
    let listed = &list.as_array().unwrap()[0];
    assert_eq!(listed["call_sid"], "CA300");
    assert!(listed.get("quotes").is_none() && listed.get("cards").is_none());
}

#[tokio::test]
async fn the_catering_size_is_off_by_default_checked_and_saved() {
    let app = spawn_app().await;
    let settings = json_with(app.api.get("/api/settings").await.unwrap(), 200).await;
    assert_eq!(settings["catering_min_items"], 0);
    let res = app
        .api
        .put_json("/api/settings", &json!({"catering_min_items": 501}))
        .await
        .unwrap();
    let body = json_with(res, 422).await;
    assert_eq!(body["error"]["code"], "validation_failed", "{body}");
    let fields = body["error"]["fields"].as_array().unwrap();
    assert_eq!(fields.len(), 1, "{body}");
    assert_eq!(fields[0]["field"], "catering_min_items");
    assert_eq!(fields[0]["code"], "out_of_range");
    error_with(
        app.api
            .put_json("/api/settings", &json!({"catering_min_items": -1}))
            .await
            .unwrap(),
        422,
        "invalid_body",
    )
    .await;

    let mut events = app.api.events().await.unwrap();
    events.expect("hello", WAIT).await.unwrap();
    let saved = json_with(
        app.api
            .put_json("/api/settings", &json!({"catering_min_items": 25}))
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(saved["catering_min_items"], 25);
    let changed = events.expect("settings.changed", WAIT).await.unwrap();
    assert_eq!(changed["settings"]["catering_min_items"], 25);
    assert_eq!(
        json_with(app.api.get("/api/settings").await.unwrap(), 200).await["catering_min_items"],
        25
    );
    assert_eq!(app.state.settings.current().catering_min_items, 25);
}

#[tokio::test]
async fn a_demo_shop_lets_staff_leave_a_card_by_hand_and_no_other_shop_has_the_route() {
    let body = json!({"kind": "call_back", "call_sid": "CA-demo-1", "phone": "0300-7654321",
        "summary": "شکایت: پیزا ٹھنڈا تھا", "total": 219_900});
    let shop = spawn_app().await;
    error_with(
        shop.api
            .post_json("/api/demo/call-cards", &body)
            .await
            .unwrap(),
        404,
        "route_not_found",
    )
    .await;

    let demo = spawn_with(tempfile::tempdir().unwrap(), |c| c.demo = true).await;
    error_with(
        demo.anonymous()
            .post_json("/api/demo/call-cards", &body)
            .await
            .unwrap(),
        401,
        "unauthorized",
    )
    .await;
    let bad = json_with(
        demo.api
            .post_json(
                "/api/demo/call-cards",
                &json!({"kind": "transfer", "call_sid": "CA-demo-2", "phone": "call me",
                    "summary": "  "}),
            )
            .await
            .unwrap(),
        422,
    )
    .await;
    let fields: Vec<(&str, &str)> = bad["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["field"].as_str().unwrap(), f["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        fields,
        [("phone", "phone_invalid"), ("summary", "required")],
        "{bad}"
    );
    assert!(open_cards(&demo).await.is_empty(), "nothing saved");

    let mut events = demo.api.events().await.unwrap();
    events.expect("hello", WAIT).await.unwrap();
    let made = json_with(
        demo.api
            .post_json("/api/demo/call-cards", &body)
            .await
            .unwrap(),
        201,
    )
    .await;
    assert_eq!(made["phone"], "+923007654321", "normalised to E.164");
    assert_eq!(made["kind"], "call_back");
    assert_eq!(made["total"], 219_900);
    let pushed = events.expect("call_card.created", WAIT).await.unwrap();
    assert_eq!(pushed["card"], made);
    assert_eq!(open_cards(&demo).await, [made]);
}
