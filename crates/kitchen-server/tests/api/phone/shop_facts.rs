//! The phone AI's shop facts: a closed shop says when it opens and takes no order (the
//! server refuses the order tools; staff may still take a walk-in order), busy mode's
//! longer times agree between the AI's answer and the board, and the two settings behind
//! them are checked.

use super::*;

fn phone_order() -> Value {
    json!({
        "items": [{"item_id": "chicken-tikka", "size_id": "large", "quantity": 1}],
        "fulfilment": {"type": "delivery", "address": "House 12, Street 4, Gulberg III"},
        "payment": {"method": "cash"},
        "customer_name": "Ali",
        "callback_confirmed": true
    })
}

#[tokio::test]
async fn a_call_while_closed_hears_the_next_opening_and_no_order_is_taken() {
    let p = phone(Behaviour::Accept).await;
    // Closed every day from yesterday to two days ahead (UTC dates, so whatever the shop's
    // offset); open all day otherwise: the next opening is midnight three days on.
    let today = chrono::Utc::now().date_naive();
    let closed: Vec<String> = (0..4)
        .map(|d| (today - chrono::Days::new(1) + chrono::Days::new(d)).to_string())
        .collect();
    let next = format!("{} 00:00", today + chrono::Days::new(3));
    let whole_day = json!([{"from": "00:00", "to": "00:00"}]);
    let weekly: serde_json::Map<String, Value> = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        .iter()
        .map(|d| (d.to_string(), whole_day.clone()))
        .collect();
    let saved = p
        .app
        .api
        .put_json(
            "/api/settings",
            &json!({"hours": {"weekly": weekly, "closed_dates": closed}}),
        )
        .await
        .unwrap();
    assert_eq!(saved.status(), 200, "{}", saved.text().await.unwrap());

    let (_call, _stream, session) = answered(&p, &p.caller).await;
    let update = session
        .received()
        .into_iter()
        .find(|e| e["type"] == "session.update")
        .unwrap();
    let instructions = update["session"]["instructions"].as_str().unwrap();
    assert!(
        instructions.contains("# دکان ابھی بند ہے"),
        "{instructions}"
    );
    assert!(instructions.contains("کوئی آرڈر نہ لیں"), "{instructions}");
    assert!(instructions.contains("00:00 بجے"), "{instructions}");
    assert!(!instructions.contains("# آرڈر کیسے لیں"));
    let greeting = session.wait_for("response.create", WAIT).await.unwrap();
    assert!(
        greeting["response"]["instructions"]
            .as_str()
            .unwrap()
            .contains("دکان ابھی بند ہے"),
        "{greeting}"
    );

    for (id, tool, args) in [
        ("c-review", "update_order", phone_order()),
        ("c-place", "confirm_order", json!({"quote_id": "Q1"})),
    ] {
        session.call_function("r", id, tool, args).unwrap();
        let refused = output_of(&session, id).await;
        if tool == "confirm_order" {
            // No quote was ever given while closed: nothing to place.
            assert_eq!(refused["refused"], "stale_quote", "{refused}");
            continue;
        }
        assert_eq!(refused["ok"], false, "{refused}");
        assert_eq!(refused["code"], "shop_closed", "{refused}");
        assert_eq!(refused["next_opening"], next.as_str(), "{refused}");
        assert!(
            refused["next"].as_str().unwrap().contains(&next),
            "{refused}"
        );
    }
    let board = json_with(p.app.api.get("/api/orders").await.unwrap(), 200).await;
    assert!(
        board.as_array().unwrap().is_empty(),
        "nothing saved: {board}"
    );

    // Staff may still take a walk-in order after hours.
    json_with(
        p.app
            .api
            .post_json("/api/orders", &kitchen_testkit::fixtures::family_order())
            .await
            .unwrap(),
        201,
    )
    .await;
}

#[tokio::test]
async fn busy_mode_adds_minutes_per_open_order_to_the_ais_answer_and_the_board() {
    let p = phone(Behaviour::Accept).await;
    let saved = p
        .app
        .api
        .put_json("/api/settings", &json!({"busy_minutes_per_order": 5}))
        .await
        .unwrap();
    assert_eq!(saved.status(), 200, "{}", saved.text().await.unwrap());
    // Two open tickets: one new, one preparing; a delivered one does not count.
    let mut ids = Vec::new();
    for _ in 0..3 {
        let o = json_with(
            p.app
                .api
                .post_json("/api/orders", &kitchen_testkit::fixtures::family_order())
                .await
                .unwrap(),
            201,
        )
        .await;
        ids.push(o["id"].as_i64().unwrap());
    }
    let first_eta = json_with(p.app.api.get("/api/orders").await.unwrap(), 200).await;
    let etas: Vec<i64> = first_eta
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["eta_minutes"].as_i64().unwrap())
        .collect();
    let mut sorted = etas.clone();
    sorted.sort();
    assert_eq!(
        sorted,
        [35, 40, 45],
        "the counter's orders grow too: {etas:?}"
    );
    for (id, to) in [(ids[1], "preparing"), (ids[2], "preparing")] {
        json_with(p.app.api.set_status(id, to, None).await.unwrap(), 200).await;
    }
    for to in ["ready", "delivered"] {
        json_with(p.app.api.set_status(ids[2], to, None).await.unwrap(), 200).await;
    }

    let (_call, _stream, session) = answered(&p, &p.caller).await;
    let update = session
        .received()
        .into_iter()
        .find(|e| e["type"] == "session.update")
        .unwrap();
    let instructions = update["session"]["instructions"].as_str().unwrap();
    assert!(instructions.contains("ابھی رش ہے"), "{instructions}");
    assert!(
        instructions.contains("تقریباً 45 منٹ میں ہوتی ہے"),
        "35 + 2 × 5: {instructions}"
    );
    let reviewed = draft(&session, "c-review", phone_order()).await;
    assert_eq!(reviewed["fulfilment"]["eta_minutes"], 45, "{reviewed}");
    let placed = confirm(&session, "c-place", reviewed["quote_id"].as_str().unwrap()).await;
    assert_eq!(placed["ok"], true, "{placed}");
    assert_eq!(placed["eta_minutes"], 45, "{placed}");
    let board = json_with(p.app.api.get("/api/orders").await.unwrap(), 200).await;
    let stored = board
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["number"] == placed["order_number"])
        .unwrap();
    assert_eq!(stored["eta_minutes"], 45, "{stored}");
}

#[tokio::test]
async fn busy_minutes_and_the_voice_gender_are_checked_and_saved() {
    let p = phone(Behaviour::Accept).await;
    let res = p
        .app
        .api
        .put_json(
            "/api/settings",
            &json!({"busy_minutes_per_order": 31, "ai_voice_gender": "robot"}),
        )
        .await
        .unwrap();
    let body = json_with(res, 422).await;
    let fields: Vec<(&str, &str)> = body["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["field"].as_str().unwrap(), f["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        fields,
        [
            ("busy_minutes_per_order", "out_of_range"),
            ("ai_voice_gender", "gender_unknown")
        ],
        "{body}"
    );
    let settings = json_with(p.app.api.get("/api/settings").await.unwrap(), 200).await;
    assert_eq!(settings["busy_minutes_per_order"], 0);
    assert_eq!(
        settings["ai_voice_gender"],
        Value::Null,
        "follows the voice"
    );

    // The default voice (marin) is a woman's; a male setting makes every form masculine.
    let (_c, _s, session) = answered(&p, &p.caller).await;
    let first = session
        .received()
        .into_iter()
        .find(|e| e["type"] == "session.update")
        .unwrap();
    assert!(
        first["session"]["instructions"]
            .as_str()
            .unwrap()
            .contains("لے رہی ہوں")
    );
    let saved = json_with(
        p.app
            .api
            .put_json(
                "/api/settings",
                &json!({"busy_minutes_per_order": 10, "ai_voice_gender": "male"}),
            )
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(saved["busy_minutes_per_order"], 10, "{saved}");
    assert_eq!(saved["ai_voice_gender"], "male", "{saved}");
    let caller =
        FakeCaller::new(&p.app.public, PUBLIC, TOKEN).with_account_sid(p.rest.account_sid());
    let (_c, _s, session) = answered(&p, &caller).await;
    let second = session
        .received()
        .into_iter()
        .find(|e| e["type"] == "session.update")
        .unwrap();
    let text = second["session"]["instructions"].as_str().unwrap();
    assert!(
        text.contains("لے رہا ہوں") && !text.contains("لے رہی ہوں"),
        "{text}"
    );
}
