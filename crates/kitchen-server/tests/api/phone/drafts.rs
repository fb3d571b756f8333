//! The server-held draft through real sockets: `update_order` prices the whole order into a
//! numbered quote and saves nothing; `confirm_order` places exactly the latest quote, once,
//! and refuses a stale one (a newer draft, a menu change) or one still missing something;
//! the callback number is confirmed, or typed on the keypad by a withheld caller; a dropped
//! call's draft is offered again on the next call; a request for a person leaves its
//! summary in the call log.

use super::*;

fn tikka(quantity: u32) -> Value {
    json!({"item_id": "chicken-tikka", "size_id": "large", "quantity": quantity})
}

fn whole_order(items: Value) -> Value {
    json!({
        "items": items,
        "fulfilment": {"type": "delivery", "address": "House 12, Street 4, Gulberg III"},
        "payment": {"method": "cash"},
        "customer_name": "Ali",
        "callback_confirmed": true
    })
}

async fn board(p: &Phone) -> Vec<Value> {
    json_with(p.app.api.get("/api/orders").await.unwrap(), 200)
        .await
        .as_array()
        .unwrap()
        .clone()
}

#[tokio::test]
async fn a_draft_saves_nothing_and_only_the_latest_quote_can_be_placed() {
    let p = phone(Behaviour::Accept).await;
    let (_call, _stream, session) = answered(&p, &p.caller).await;

    // The first thing the caller asks for: priced at once, the rest still missing.
    let first = draft(&session, "d1", json!({"items": [tikka(1)]})).await;
    assert_eq!(first["ok"], true, "{first}");
    assert_eq!(first["quote_id"], "Q1");
    assert_eq!(
        first["missing"],
        json!([
            "fulfilment",
            "payment",
            "customer_name",
            "callback_confirmation"
        ])
    );
    assert_eq!(first["total_rupees"], 2_199);
    assert_eq!(first["callback_number_spoken"], "0 3 0 0 - 1 2 3 4 5 6 7");
    assert_eq!(first["suggestion"]["type"], "drink", "{first}");
    let refused = confirm(&session, "c1", "Q1").await;
    assert_eq!(refused["refused"], "missing", "{refused}");
    assert!(
        refused["error"]
            .as_str()
            .unwrap()
            .contains("callback_confirmation")
    );

    // The whole order; then the caller changes their mind: Q2 is replaced by Q3.
    let q2 = draft(&session, "d2", whole_order(json!([tikka(1)]))).await;
    assert_eq!(q2["missing"], json!([]), "{q2}");
    let q3 = draft(&session, "d3", whole_order(json!([tikka(2)]))).await;
    assert_eq!(q3["quote_id"], "Q3");
    assert!(board(&p).await.is_empty(), "drafts never reach the board");
    let stale = confirm(&session, "c2", "Q2").await;
    assert_eq!(stale["refused"], "stale_quote", "{stale}");
    assert_eq!(stale["latest_quote_id"], "Q3");
    assert!(board(&p).await.is_empty());

    let placed = confirm(&session, "c3", "Q3").await;
    assert_eq!(placed["ok"], true, "{placed}");
    let orders = board(&p).await;
    assert_eq!(orders.len(), 1);
    assert_eq!(orders[0]["number"], placed["order_number"]);
    assert_eq!(
        orders[0]["items"][0]["quantity"], 2,
        "exactly what was read back"
    );
    assert_eq!(
        orders[0]["total"],
        q3["bill"]["total_rupees"].as_i64().unwrap() * 100
    );
    assert_eq!(orders[0]["customer_phone"], CALLER);

    // Placed: the draft cannot be replaced, a repeat of the quote answers the same.
    assert_eq!(confirm(&session, "c4", "Q3").await, placed);
    let after = draft(&session, "d4", whole_order(json!([tikka(3)]))).await;
    assert_eq!(after["ok"], false, "{after}");
    assert_eq!(board(&p).await.len(), 1);
    assert!(
        p.rt.schema_violations().is_empty(),
        "{:?}",
        p.rt.schema_violations()
    );
}

#[tokio::test]
async fn a_quote_is_stale_once_the_menu_changes_under_it() {
    let p = phone(Behaviour::Accept).await;
    let (_call, _stream, session) = answered(&p, &p.caller).await;
    let quote = draft(&session, "d1", whole_order(json!([tikka(1)]))).await;
    assert_eq!(quote["missing"], json!([]), "{quote}");
    // The kitchen runs out of Chicken Tikka while the AI reads the bill back.
    json_with(
        p.app
            .api
            .put_json(
                "/api/menu/availability",
                &json!({"item_id": "chicken-tikka", "available": false}),
            )
            .await
            .unwrap(),
        200,
    )
    .await;
    let refused = confirm(&session, "c1", quote["quote_id"].as_str().unwrap()).await;
    assert_eq!(refused["refused"], "stale_quote", "{refused}");
    assert!(
        refused["error"]
            .as_str()
            .unwrap()
            .contains("no longer fits"),
        "{refused}"
    );
    assert!(board(&p).await.is_empty(), "nothing placed");
}

#[tokio::test]
async fn a_withheld_caller_types_a_callback_number_on_the_keypad() {
    let p = phone(Behaviour::Accept).await;
    let call = p
        .caller
        .place_call("anonymous", "+15005550006")
        .await
        .unwrap();
    let stream = p.caller.connect_stream(&call).await.unwrap();
    let session = p.rt.next_session(WAIT).await.unwrap();
    session.wait_for("session.update", WAIT).await.unwrap();

    let mut order = whole_order(json!([tikka(1)]));
    order.as_object_mut().unwrap().remove("callback_confirmed");
    let quote = draft(&session, "d1", order.clone()).await;
    assert_eq!(quote["missing"], json!(["callback_number"]), "{quote}");
    assert_eq!(quote["callback_number"], Value::Null);
    let refused = confirm(&session, "c1", "Q1").await;
    assert_eq!(refused["refused"], "missing");

    // 0321-1234567 on the keypad: the AI is told the digits to read back.
    for digit in "03211234567".chars() {
        stream.send_dtmf(&digit.to_string()).unwrap();
    }
    let notice = session
        .wait_for_matching("the keypad notice", WAIT, |e| {
            e["type"] == "conversation.item.create"
                && e["item"]["role"] == "user"
                && e["item"]["content"][0]["text"]
                    .as_str()
                    .is_some_and(|t| t.starts_with("[keypad]"))
        })
        .await
        .unwrap();
    let text = notice["item"]["content"][0]["text"].as_str().unwrap();
    assert!(text.contains("0 3 2 1 - 1 2 3 4 5 6 7"), "{text}");

    // Read back; the caller says yes.
    order["callback_confirmed"] = json!(true);
    let quote = draft(&session, "d2", order).await;
    assert_eq!(quote["missing"], json!([]), "{quote}");
    assert_eq!(quote["callback_number"], "0321 1234567");
    let placed = confirm(&session, "c2", quote["quote_id"].as_str().unwrap()).await;
    assert_eq!(placed["ok"], true, "{placed}");
    let orders = board(&p).await;
    assert_eq!(orders[0]["customer_phone"], "+923211234567");
    assert!(
        p.rt.schema_violations().is_empty(),
        "{:?}",
        p.rt.schema_violations()
    );
}

#[tokio::test]
async fn a_dropped_calls_draft_is_offered_on_the_next_call_and_placed_there() {
    let p = phone(Behaviour::Accept).await;
    let (call, stream, session) = answered(&p, &p.caller).await;
    let mut partial = whole_order(json!([tikka(2)]));
    partial.as_object_mut().unwrap().remove("payment");
    let quote = draft(&session, "d1", partial.clone()).await;
    assert_eq!(quote["missing"], json!(["payment"]));
    // The line drops.
    stream.stop().unwrap();
    let log = wait_for_call_end(&p.app, &call.call_sid).await;
    assert_eq!(log["outcome"], "abandoned");
    // The kitchen sees the unfinished order with the number to call back.
    let cards = json_with(p.app.api.get("/api/call-cards").await.unwrap(), 200).await;
    assert_eq!(cards[0]["kind"], "unfinished_order", "{cards}");
    assert_eq!(cards[0]["phone"], CALLER);
    assert!(
        cards[0]["summary"]
            .as_str()
            .unwrap()
            .contains("2× Chicken Tikka"),
        "{cards}"
    );

    // Ten seconds later the same number rings again.
    let (_call, _stream, session) = answered(&p, &p.caller).await;
    let update = session
        .received()
        .into_iter()
        .find(|e| e["type"] == "session.update")
        .unwrap();
    let instructions = update["session"]["instructions"].as_str().unwrap();
    assert!(instructions.contains("# ادھورا آرڈر"), "{instructions}");
    assert!(
        instructions.contains("2× Chicken Tikka Large"),
        "{instructions}"
    );
    let greeting = session.wait_for("response.create", WAIT).await.unwrap();
    assert!(
        greeting["response"]["instructions"]
            .as_str()
            .unwrap()
            .contains("وہی آرڈر جاری رکھنا"),
        "{greeting}"
    );
    // The caller carries on: payment said, confirmed, placed.
    let mut rest = partial;
    rest["payment"] = json!({"method": "cash"});
    let quote = draft(&session, "d2", rest).await;
    assert_eq!(quote["quote_id"], "Q1", "quotes are numbered per call");
    assert_eq!(quote["missing"], json!([]), "{quote}");
    let placed = confirm(&session, "c1", "Q1").await;
    assert_eq!(placed["ok"], true, "{placed}");
    // Placed from the same number: the unfinished card is done by itself.
    let cards = json_with(p.app.api.get("/api/call-cards").await.unwrap(), 200).await;
    assert_eq!(cards, json!([]), "{cards}");

    // Placed: a third call is not offered it again.
    let (_call, _stream, session) = answered(&p, &p.caller).await;
    let update = session
        .received()
        .into_iter()
        .find(|e| e["type"] == "session.update")
        .unwrap();
    let instructions = update["session"]["instructions"].as_str().unwrap();
    assert!(!instructions.contains("# ادھورا آرڈر"), "{instructions}");
}

#[tokio::test]
async fn a_request_for_a_person_leaves_its_reason_and_summary_in_the_call_log() {
    let p = phone(Behaviour::Accept).await;
    let (call, _stream, session) = answered(&p, &p.caller).await;
    session
        .call_function(
            "r1",
            "t1",
            "transfer_to_human",
            json!({"reason": "complaint", "summary": "order 12 came cold, wants a refund"}),
        )
        .unwrap();
    let log = wait_for_call_end(&p.app, &call.call_sid).await;
    assert_eq!(log["outcome"], "transferred");
    let lines = log["transcript"].as_array().unwrap();
    assert!(
        lines.iter().any(|l| l["speaker"] == "system"
            && l["text"]
                .as_str()
                .unwrap()
                .contains("complaint — order 12 came cold, wants a refund")),
        "{lines:?}"
    );
    // The shop has a phone: a transfer card on the board with the reason and summary.
    let cards = json_with(p.app.api.get("/api/call-cards").await.unwrap(), 200).await;
    let card = &cards[0];
    assert_eq!(card["kind"], "transfer", "{cards}");
    assert_eq!(card["phone"], CALLER);
    assert_eq!(card["reason"], "complaint");
    assert!(
        card["summary"]
            .as_str()
            .unwrap()
            .contains("order 12 came cold"),
        "{card}"
    );
}

#[tokio::test]
async fn without_a_shop_phone_a_complaint_becomes_a_call_back_card_with_the_order_so_far() {
    let p = phone_with(FakeRealtime::start(Behaviour::Accept).await.unwrap(), |c| {
        c.settings.shop_phone = None;
    })
    .await;
    let (call, _stream, session) = answered(&p, &p.caller).await;
    draft(&session, "d1", json!({"items": [tikka(2)]})).await;
    session
        .call_function(
            "r1",
            "t1",
            "transfer_to_human",
            json!({"reason": "complaint", "summary": "last order was late"}),
        )
        .unwrap();
    let out = output_of(&session, "t1").await;
    assert_eq!(out["call_back"], true, "{out}");
    let cards = json_with(p.app.api.get("/api/call-cards").await.unwrap(), 200).await;
    let card = &cards[0];
    assert_eq!(card["kind"], "call_back", "{cards}");
    assert_eq!(card["call_sid"], call.call_sid.as_str());
    let summary = card["summary"].as_str().unwrap();
    assert!(
        summary.contains("last order was late") && summary.contains("2× Chicken Tikka"),
        "{summary}"
    );
    assert_eq!(card["total"], 2 * 219_900);
}

#[tokio::test]
async fn a_catering_size_order_is_not_confirmed_by_phone_and_the_ai_is_told_to_hand_over() {
    let p = phone(Behaviour::Accept).await;
    json_with(
        p.app
            .api
            .put_json("/api/settings", &json!({"catering_min_items": 10}))
            .await
            .unwrap(),
        200,
    )
    .await;
    let (_call, _stream, session) = answered(&p, &p.caller).await;
    let small = draft(&session, "d1", whole_order(json!([tikka(9)]))).await;
    assert!(small.get("needs_person").is_none(), "{small}");
    let big = draft(&session, "d2", whole_order(json!([tikka(12)]))).await;
    assert_eq!(big["needs_person"], "catering_size", "{big}");
    assert!(big["next"].as_str().unwrap().contains("transfer_to_human"));
    let refused = confirm(&session, "c1", big["quote_id"].as_str().unwrap()).await;
    assert_eq!(refused["refused"], "catering_size", "{refused}");
    assert!(board(&p).await.is_empty());
}

#[tokio::test]
async fn each_quote_is_in_the_call_log_and_dictation_waits_longer_for_the_address() {
    let p = phone(Behaviour::Accept).await;
    let (call, stream, session) = answered(&p, &p.caller).await;
    let silence =
        |e: &Value| e["session"]["audio"]["input"]["turn_detection"]["silence_duration_ms"].clone();
    // Delivery said, no address yet: the caller is about to dictate it.
    let q1 = draft(
        &session,
        "d1",
        json!({"items": [tikka(1)], "fulfilment": {"type": "delivery", "address": ""}}),
    )
    .await;
    assert!(
        q1["missing"]
            .as_array()
            .unwrap()
            .contains(&json!("address")),
        "{q1}"
    );
    let longer = session
        .wait_for_matching("the dictation session.update", WAIT, |e| {
            e["type"] == "session.update" && silence(e) == json!(1200)
        })
        .await
        .unwrap();
    assert_eq!(silence(&longer), json!(1200));
    let q2 = draft(&session, "d2", whole_order(json!([tikka(1)]))).await;
    assert_eq!(q2["missing"], json!([]), "{q2}");
    session
        .wait_for_matching("the normal session.update", WAIT, |e| {
            e["type"] == "session.update" && silence(e).as_u64().is_some_and(|ms| ms < 1200)
        })
        .await
        .unwrap();
    stream.stop().unwrap();
    let log = wait_for_call_end(&p.app, &call.call_sid).await;
    let quotes = log["quotes"].as_array().unwrap();
    assert_eq!(quotes.len(), 2, "{log}");
    assert_eq!(quotes[0]["quote_id"], "Q1");
    assert!(
        quotes[0]["missing"]
            .as_array()
            .unwrap()
            .contains(&json!("address")),
        "{quotes:?}"
    );
    assert_eq!(quotes[1]["missing"], json!([]));
    assert!(
        quotes[1]["lines"][0]
            .as_str()
            .unwrap()
            .contains("1× Chicken Tikka"),
        "{quotes:?}"
    );
}

#[tokio::test]
async fn after_three_failures_in_a_row_the_ai_is_told_to_offer_a_person() {
    let p = phone(Behaviour::Accept).await;
    let (_call, _stream, session) = answered(&p, &p.caller).await;
    let sushi = json!({"items": [{"item_id": "sushi", "quantity": 1}]});
    for n in 1..=3 {
        let out = draft(&session, &format!("bad{n}"), sushi.clone()).await;
        assert_eq!(out["ok"], false, "{out}");
        assert_eq!(out.get("hint").is_some(), n == 3, "attempt {n}: {out}");
    }
    let hint = draft(&session, "bad4", sushi).await["hint"].to_string();
    assert!(hint.contains("transfer_to_human"), "{hint}");
    // A good answer starts the count again.
    assert_eq!(
        draft(&session, "ok", json!({"items": [tikka(1)]})).await["ok"],
        true
    );
    let out = draft(
        &session,
        "bad5",
        json!({"items": [{"item_id": "sushi", "quantity": 1}]}),
    )
    .await;
    assert!(out.get("hint").is_none(), "{out}");
}
