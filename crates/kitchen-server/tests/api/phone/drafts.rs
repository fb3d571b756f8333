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
