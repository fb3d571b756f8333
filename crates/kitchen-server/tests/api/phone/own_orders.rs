//! A caller asks about their own orders: `lookup_orders` lists only what was ordered from
//! the number the call comes from in the last 12 hours; `cancel_order` cancels only their
//! own order while it is `new`, through the same path as the dashboard, and refuses
//! anything else with nothing changed.

use super::*;
use kitchen_testkit::fixtures::{family_order, small_order};

const OTHER: &str = "+923339876543";

/// A call from `from` (as Twilio's `From` says it), its stream connected, the AI configured.
async fn answered_from(
    p: &Phone,
    from: &str,
) -> (FakeStream, kitchen_testkit::realtime::FakeSession) {
    let call = p.caller.place_call(from, "+15005550006").await.unwrap();
    assert_eq!(call.status, 200, "{}", call.twiml);
    let stream = p.caller.connect_stream(&call).await.unwrap();
    let session = p.rt.next_session(WAIT).await.unwrap();
    session.wait_for("session.update", WAIT).await.unwrap();
    (stream, session)
}

/// An order placed on the dashboard for `body`'s phone: its id and number.
async fn board_order(app: &TestApp, body: &Value) -> (i64, u64) {
    let o = app.api.create_order(body).await.unwrap();
    (o["id"].as_i64().unwrap(), o["number"].as_u64().unwrap())
}

async fn order(app: &TestApp, id: i64) -> Value {
    json_with(
        app.api.get(&format!("/api/orders/{id}")).await.unwrap(),
        200,
    )
    .await
}

fn no_schema_violations(p: &Phone) {
    assert!(
        p.rt.schema_violations().is_empty(),
        "{:?}",
        p.rt.schema_violations()
    );
}

#[tokio::test]
async fn lookup_lists_only_this_callers_orders_of_the_last_twelve_hours() {
    let p = phone(Behaviour::Accept).await;
    // family_order is from 0300-1234567, the caller's number as the shop types it.
    let (mine, mine_no) = board_order(&p.app, &family_order()).await;
    let (_theirs, theirs_no) = board_order(&p.app, &small_order(OTHER)).await;
    let (old, old_no) = board_order(&p.app, &small_order(CALLER)).await;
    let (started, started_no) = board_order(&p.app, &small_order(CALLER)).await;
    let moved = p
        .app
        .api
        .set_status(started, "preparing", None)
        .await
        .unwrap();
    assert_eq!(moved.status(), 200);
    // Taken 13 hours ago: out of the window.
    let long_ago = (chrono::Utc::now() - chrono::Duration::hours(13))
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    p.app
        .state
        .store
        .call(move |c| {
            c.execute(
                &format!("UPDATE orders SET order_time = ?1 WHERE id = {old}"),
                [long_ago],
            )?;
            Ok(())
        })
        .await
        .unwrap();

    let (_stream, session) = answered_from(&p, CALLER).await;
    let update = session
        .received()
        .into_iter()
        .find(|e| e["type"] == "session.update")
        .unwrap();
    let names: Vec<&str> = update["session"]["tools"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|t| t["name"].as_str())
        .collect();
    assert!(names.contains(&"lookup_orders") && names.contains(&"cancel_order"));

    session
        .call_function("r1", "c-look", "lookup_orders", json!({}))
        .unwrap();
    let out = output_of(&session, "c-look").await;
    assert_eq!(out["ok"], true, "{out}");
    let listed: Vec<u64> = out["orders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["order_number"].as_u64().unwrap())
        .collect();
    assert_eq!(listed, [started_no, mine_no], "{out}");
    assert!(!listed.contains(&theirs_no) && !listed.contains(&old_no));
    let first = &out["orders"][1];
    assert_eq!(first["status"], "new");
    assert_eq!(first["can_cancel"], true);
    assert_eq!(first["can_change"], true);
    assert!(first["age_minutes"].as_i64().unwrap() <= 1);
    let eta = order(&p.app, mine).await["eta_minutes"]
        .as_i64()
        .unwrap_or(45);
    let left = first["eta_minutes_left"].as_i64().unwrap();
    assert!((eta - 1..=eta).contains(&left), "{left} of {eta}");
    let items = first["items"].as_str().unwrap();
    assert!(items.contains("2× چکن تکہ"), "{items}");
    let preparing = &out["orders"][0];
    assert_eq!(preparing["status"], "preparing");
    assert_eq!(preparing["can_cancel"], false);
    no_schema_violations(&p);
}

#[tokio::test]
async fn a_withheld_caller_gets_no_orders_and_is_told_why() {
    let p = phone(Behaviour::Accept).await;
    board_order(&p.app, &family_order()).await;
    let (_stream, session) = answered_from(&p, "anonymous").await;
    session
        .call_function("r1", "c-look", "lookup_orders", json!({}))
        .unwrap();
    let out = output_of(&session, "c-look").await;
    assert_eq!(out["ok"], true);
    assert_eq!(out["orders"], json!([]));
    assert!(
        out["note"]
            .as_str()
            .unwrap()
            .contains("cannot be looked up without a number"),
        "{out}"
    );
    no_schema_violations(&p);
}

#[tokio::test]
async fn the_caller_cancels_their_own_new_order_as_the_dashboard_would() {
    let p = phone(Behaviour::Accept).await;
    let (id, number) = board_order(&p.app, &family_order()).await;
    let mut events = p.app.api.events().await.unwrap();
    events.expect("hello", WAIT).await.unwrap();
    let (_stream, session) = answered_from(&p, CALLER).await;

    session
        .call_function(
            "r1",
            "c-cancel",
            "cancel_order",
            json!({"order_number": number, "reason": "ghar pe koi nahi hoga"}),
        )
        .unwrap();
    let out = output_of(&session, "c-cancel").await;
    assert_eq!(out["ok"], true, "{out}");
    assert_eq!(out["cancelled"], true);
    assert_eq!(out["order_number"], number);
    let ev = events.expect("order.updated", WAIT).await.unwrap();
    assert_eq!(ev["order"]["id"], id);
    assert_eq!(ev["order"]["status"], "cancelled");
    let saved = order(&p.app, id).await;
    assert_eq!(saved["status"], "cancelled");
    assert_eq!(saved["cancel_reason"], "ghar pe koi nahi hoga");
    let last = saved["history"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["to"], "cancelled");
    assert_eq!(last["by"], "phone-ai");
    assert_eq!(last["reason"], "ghar pe koi nahi hoga");
    no_schema_violations(&p);
}

#[tokio::test]
async fn cancels_that_are_not_allowed_are_refused_with_a_code_and_change_nothing() {
    let p = phone(Behaviour::Accept).await;
    let (theirs, theirs_no) = board_order(&p.app, &small_order(OTHER)).await;
    let (started, started_no) = board_order(&p.app, &family_order()).await;
    let (mine, mine_no) = board_order(&p.app, &small_order(CALLER)).await;
    let moved = p
        .app
        .api
        .set_status(started, "preparing", None)
        .await
        .unwrap();
    assert_eq!(moved.status(), 200);
    let mut before = Vec::new();
    for id in [theirs, started, mine] {
        before.push(order(&p.app, id).await);
    }
    let (_stream, session) = answered_from(&p, CALLER).await;

    let cases = [
        (
            "c-other",
            json!({"order_number": theirs_no, "reason": "x"}),
            "not_this_caller",
        ),
        (
            "c-started",
            json!({"order_number": started_no, "reason": "late"}),
            "already_started",
        ),
        (
            "c-unknown",
            json!({"order_number": 999, "reason": "late"}),
            "not_found",
        ),
    ];
    let mut outs = Vec::new();
    for (i, (call_id, args, code)) in cases.iter().enumerate() {
        session
            .call_function(&format!("r{i}"), call_id, "cancel_order", args.clone())
            .unwrap();
        let out = output_of(&session, call_id).await;
        assert_eq!(out["ok"], false, "{out}");
        assert_eq!(out["code"], *code, "{out}");
        outs.push(out);
    }
    // Someone else's order: not even its status is told.
    assert!(outs[0].get("status").is_none(), "{}", outs[0]);
    assert_eq!(outs[1]["status"], "preparing");
    assert!(
        outs[1]["next"]
            .as_str()
            .unwrap()
            .contains("transfer_to_human")
    );

    // An empty reason is refused like the API refuses it.
    session
        .call_function(
            "r9",
            "c-empty",
            "cancel_order",
            json!({"order_number": mine_no, "reason": "  "}),
        )
        .unwrap();
    let empty = output_of(&session, "c-empty").await;
    assert_eq!(empty["ok"], false);
    assert!(
        empty["error"]
            .as_str()
            .unwrap()
            .contains("`reason` is empty")
    );

    for (id, was) in [theirs, started, mine].into_iter().zip(before) {
        assert_eq!(order(&p.app, id).await, was, "order {id} changed");
    }
    no_schema_violations(&p);
}

/// The texts of an order's `changed.what`, in `lang` (`en` or `ur`).
fn what_changed<'a>(changed: &'a Value, lang: &str) -> Vec<&'a str> {
    changed["what"]
        .as_array()
        .unwrap_or_else(|| panic!("no changes in {changed}"))
        .iter()
        .map(|w| w[lang].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn the_caller_changes_their_own_new_order_which_is_repriced_flagged_and_logged_changed() {
    let p = phone(Behaviour::Accept).await;
    let (id, number) = board_order(&p.app, &family_order()).await;
    let before = order(&p.app, id).await;
    assert_eq!(before["changed"], Value::Null);
    let mut events = p.app.api.events().await.unwrap();
    events.expect("hello", WAIT).await.unwrap();
    let call = p.caller.place_call(CALLER, "+15005550006").await.unwrap();
    let stream = p.caller.connect_stream(&call).await.unwrap();
    let session = p.rt.next_session(WAIT).await.unwrap();
    session.wait_for("session.update", WAIT).await.unwrap();

    // The model starts from the lines lookup_orders gives, and makes the change.
    session
        .call_function("r1", "c-look", "lookup_orders", json!({}))
        .unwrap();
    let look = output_of(&session, "c-look").await;
    let mut lines = look["orders"][0]["lines"].as_array().unwrap().clone();
    assert_eq!(lines.len(), 2, "{look}");
    lines[0]["size_id"] = json!("medium");
    lines.push(json!({"item_id": "garlic-bread", "quantity": 1}));
    session
        .call_function(
            "r2",
            "c-amend",
            "amend_order",
            json!({"order_number": number, "items": lines, "note": "ring twice"}),
        )
        .unwrap();
    let out = output_of(&session, "c-amend").await;
    assert_eq!(out["ok"], true, "{out}");
    assert_eq!(out["changed"], true);
    assert_eq!(out["order_number"], number);

    // Re-priced exactly as the dashboard's builder prices the same order.
    let mut same = family_order();
    same["items"] = json!([
        {"item_id": "chicken-tikka", "size_id": "medium", "quantity": 2},
        {"item_id": "coca-cola", "size_id": "1.5l", "quantity": 1},
        {"item_id": "garlic-bread", "size_id": "regular", "quantity": 1}
    ]);
    same["note"] = json!("ring twice");
    let quote = json_with(
        p.app
            .api
            .post_json("/api/orders/quote", &same)
            .await
            .unwrap(),
        200,
    )
    .await;
    let saved = order(&p.app, id).await;
    assert_eq!(saved["total"], quote["bill"]["total"]);
    assert_ne!(saved["total"], before["total"]);
    assert_eq!(out["total_spoken_ur"], saved["bill"]["total_spoken_ur"]);
    assert_eq!(out["total_rupees"], saved["total"].as_i64().unwrap() / 100);
    // Only the lines and the note changed: the rest is the order as it was.
    for kept in [
        "number",
        "customer_phone",
        "customer_name",
        "address",
        "landmark",
        "payment",
        "status",
    ] {
        assert_eq!(saved[kept], before[kept], "{kept}");
    }
    assert_eq!(saved["note"], "ring twice");

    // What changed: on the board (English and Urdu), in the history, and to the caller.
    let want_en = [
        "+1 Garlic Bread 4 pcs",
        "2× Large 13\" → Medium 10\" Chicken Tikka",
        "note: ring twice",
    ];
    let ev = events.expect("order.updated", WAIT).await.unwrap();
    assert_eq!(ev["order"]["id"], id);
    assert_eq!(ev["order"]["status"], "new");
    assert_eq!(what_changed(&ev["order"]["changed"], "en"), want_en);
    assert_eq!(
        what_changed(&ev["order"]["changed"], "ur"),
        [
            "+1 گارلک بریڈ 4 پیس",
            "2× چکن تکہ: بڑا 13 انچ کی جگہ درمیانہ 10 انچ",
            "نوٹ: ring twice"
        ]
    );
    assert_eq!(saved["changed"], ev["order"]["changed"]);
    let last = saved["history"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["reason"], "changed");
    assert_eq!(last["by"], "phone-ai");
    assert_eq!(last["at"], saved["changed"]["at"]);
    assert_eq!(
        last["what"].as_array().unwrap().len(),
        want_en.len(),
        "{last}"
    );
    assert_eq!(
        out["what_changed"],
        json!(what_changed(&saved["changed"], "ur"))
    );

    // Whatever the model reports, the call is logged as a change.
    session
        .call_function("r3", "c-end", "end_call", json!({"outcome": "enquiry"}))
        .unwrap();
    p.rest
        .wait_for_call_update(&call.call_sid, WAIT)
        .await
        .unwrap();
    stream.wait_closed(WAIT).await.unwrap();
    let log = wait_for_call_end(&p.app, &call.call_sid).await;
    assert_eq!(log["outcome"], "changed");
    no_schema_violations(&p);
}

#[tokio::test]
async fn amends_that_are_not_allowed_are_refused_with_a_code_and_change_nothing() {
    let p = phone(Behaviour::Accept).await;
    let (theirs, theirs_no) = board_order(&p.app, &small_order(OTHER)).await;
    let (started, started_no) = board_order(&p.app, &family_order()).await;
    let (mine, mine_no) = board_order(&p.app, &small_order(CALLER)).await;
    let moved = p
        .app
        .api
        .set_status(started, "preparing", None)
        .await
        .unwrap();
    assert_eq!(moved.status(), 200);
    let mut before = Vec::new();
    for id in [theirs, started, mine] {
        before.push(order(&p.app, id).await);
    }
    let (_stream, session) = answered_from(&p, CALLER).await;
    let coke = json!([{"item_id": "coca-cola", "size_id": "1.5l", "quantity": 1}]);
    let cases = [
        (
            "c-other",
            json!({"order_number": theirs_no, "items": coke}),
            "not_this_caller",
        ),
        (
            "c-started",
            json!({"order_number": started_no, "note": "ring twice"}),
            "already_started",
        ),
        (
            "c-unknown",
            json!({"order_number": 999, "items": coke}),
            "not_found",
        ),
    ];
    let mut outs = Vec::new();
    for (i, (call_id, args, code)) in cases.iter().enumerate() {
        session
            .call_function(&format!("r{i}"), call_id, "amend_order", args.clone())
            .unwrap();
        let out = output_of(&session, call_id).await;
        assert_eq!(out["ok"], false, "{out}");
        assert_eq!(out["code"], *code, "{out}");
        outs.push(out);
    }
    // Someone else's order: not even its status is told.
    assert!(outs[0].get("status").is_none(), "{}", outs[0]);
    assert_eq!(outs[1]["status"], "preparing");
    assert!(
        outs[1]["next"]
            .as_str()
            .unwrap()
            .contains("transfer_to_human")
    );

    // Lines the menu does not have are refused like the order tools refuse them.
    session
        .call_function(
            "r8",
            "c-bad",
            "amend_order",
            json!({"order_number": mine_no, "items": [{"item_id": "coca-cola", "size_id": "family", "quantity": 1}]}),
        )
        .unwrap();
    let bad = output_of(&session, "c-bad").await;
    assert_eq!(bad["ok"], false, "{bad}");
    assert!(
        bad["errors"].as_array().is_some_and(|e| !e.is_empty()),
        "{bad}"
    );

    for (id, was) in [theirs, started, mine].into_iter().zip(before) {
        let now = order(&p.app, id).await;
        assert_eq!(now, was, "order {id} changed");
        assert_eq!(now["changed"], Value::Null);
    }
    no_schema_violations(&p);
}
