//! Riders and cash-up through a real server: the `riders` setting, dispatching to a rider
//! in one call, undo, delivered and returned orders, pickups collected, the day's cash-up by
//! payment method and by rider, marking a rider's cash collected, and the CSV's rider column.

use crate::helpers::*;
use kitchen_testkit::fixtures::small_order;
use serde_json::{Value, json};

const VEGGIE_SMALL: i64 = 65_000;

async fn with_riders(app: &TestApp) -> Value {
    let res = app
        .api
        .put_json(
            "/api/settings",
            &json!({"riders": [
                {"id": "r-aslam", "name": "Aslam", "phone": "0300 1112223"},
                {"id": "r-akram", "name": "اکرم", "phone": "+92 321 4445556"}
            ]}),
        )
        .await
        .unwrap();
    json_with(res, 200).await
}

/// The cash-up of business day `date`.
async fn cashup_of(app: &TestApp, date: &str) -> Value {
    json_with(
        app.api
            .get(&format!("/api/cashup?date={date}"))
            .await
            .unwrap(),
        200,
    )
    .await
}

/// A small veggie order paid by `method`, moved on to ready.
async fn ready_order(app: &TestApp, method: &str) -> i64 {
    let mut body = small_order("03001234567");
    body["payment"] = json!({"method": method});
    let order = app.api.create_order(&body).await.unwrap();
    let id = order["id"].as_i64().unwrap();
    for s in ["preparing", "ready"] {
        json_with(app.api.set_status(id, s, None).await.unwrap(), 200).await;
    }
    id
}

#[tokio::test]
async fn riders_are_saved_with_phones_normalised_and_bad_ones_named_by_field() {
    let app = spawn_app().await;
    let saved = with_riders(&app).await;
    assert_eq!(saved["riders"][0]["phone"], "+923001112223");
    assert_eq!(saved["riders"][1]["name"], "اکرم");
    let again = json_with(app.api.get("/api/settings").await.unwrap(), 200).await;
    assert_eq!(again["riders"], saved["riders"]);

    let res = app
        .api
        .put_json(
            "/api/settings",
            &json!({"riders": [
                {"id": "r-1", "name": "", "phone": "12"},
                {"id": "r-1", "name": "Bilal", "phone": "03001234567"}
            ]}),
        )
        .await
        .unwrap();
    let body = json_with(res, 422).await;
    let fields: Vec<(String, String)> = body["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["field"].as_str().unwrap().to_string(),
                f["code"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        fields.contains(&("riders[0].name".into(), "required".into())),
        "{body}"
    );
    assert!(
        fields.contains(&("riders[0].phone".into(), "phone_invalid".into())),
        "{body}"
    );
    assert!(
        fields.contains(&("riders[1].id".into(), "duplicate_id".into())),
        "{body}"
    );
    let kept = json_with(app.api.get("/api/settings").await.unwrap(), 200).await;
    assert_eq!(kept["riders"], saved["riders"], "nothing saved");
}

#[tokio::test]
async fn a_delivery_goes_out_with_its_rider_undo_puts_it_back_then_it_is_delivered() {
    let app = spawn_app().await;
    with_riders(&app).await;
    let id = ready_order(&app, "cash").await;

    let out = json_with(dispatch(&app, id, "r-aslam").await, 200).await;
    assert_eq!(out["status"], "out_for_delivery");
    assert_eq!(out["rider"]["id"], "r-aslam");
    assert_eq!(out["rider"]["name"], "Aslam");
    assert_eq!(out["rider"]["phone"], "+923001112223");
    assert!(
        out["rider"]["dispatched_at"]
            .as_str()
            .unwrap()
            .ends_with('Z')
    );

    let undone = json_with(
        app.api
            .post_json(&format!("/api/orders/{id}/undo"), &json!({}))
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(undone["status"], "ready");
    assert_eq!(undone["rider"], Value::Null, "undo clears the rider");

    let out = json_with(dispatch(&app, id, "r-akram").await, 200).await;
    assert_eq!(out["rider"]["name"], "اکرم");
    let done = json_with(
        app.api.set_status(id, "delivered", None).await.unwrap(),
        200,
    )
    .await;
    assert_eq!(done["status"], "delivered");
    assert_eq!(
        done["rider"]["id"], "r-akram",
        "the rider stays on a delivered order"
    );

    // Undoing delivered goes back one step: out with the same rider.
    let back = json_with(
        app.api
            .post_json(&format!("/api/orders/{id}/undo"), &json!({}))
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(back["status"], "out_for_delivery");
    assert_eq!(back["rider"]["id"], "r-akram");
    let one = json_with(
        app.api.get(&format!("/api/orders/{id}")).await.unwrap(),
        200,
    )
    .await;
    let steps: Vec<&str> = one["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["to"].as_str().unwrap())
        .collect();
    assert_eq!(
        steps,
        [
            "new",
            "preparing",
            "ready",
            "out_for_delivery",
            "ready",
            "out_for_delivery",
            "delivered",
            "out_for_delivery"
        ]
    );
}

#[tokio::test]
async fn a_bad_rider_or_a_rider_out_of_place_is_a_clear_error_and_changes_nothing() {
    let app = spawn_app().await;
    let id = ready_order(&app, "cash").await;
    // No riders set up: out without a rider is fine, a named one is unknown.
    let body = json_with(dispatch(&app, id, "r-ghost").await, 422).await;
    assert_eq!(body["error"]["fields"][0]["field"], "rider_id", "{body}");
    assert_eq!(
        body["error"]["fields"][0]["code"], "unknown_rider",
        "{body}"
    );

    with_riders(&app).await;
    let body = json_with(dispatch(&app, id, "r-ghost").await, 422).await;
    assert_eq!(body["error"]["fields"][0]["code"], "unknown_rider");
    let msg = body["error"]["fields"][0]["message"].as_str().unwrap();
    assert!(msg.contains("r-aslam") && msg.contains("r-akram"), "{msg}");

    let body = json_with(
        app.api
            .set_status(id, "out_for_delivery", None)
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(
        body["error"]["fields"][0]["code"], "rider_required",
        "{body}"
    );

    let res = app
        .api
        .put_json(
            &format!("/api/orders/{id}/status"),
            &json!({"status": "delivered", "rider_id": "r-aslam"}),
        )
        .await
        .unwrap();
    let body = json_with(res, 422).await;
    assert_eq!(
        body["error"]["fields"][0]["code"], "rider_not_allowed",
        "{body}"
    );

    // With riders set up, a ready delivery cannot skip its rider straight to delivered.
    let body = json_with(
        app.api.set_status(id, "delivered", None).await.unwrap(),
        422,
    )
    .await;
    assert_eq!(
        body["error"]["fields"][0]["code"], "rider_required",
        "{body}"
    );

    let one = json_with(
        app.api.get(&format!("/api/orders/{id}")).await.unwrap(),
        200,
    )
    .await;
    assert_eq!(one["status"], "ready");
    assert_eq!(one["rider"], Value::Null);

    // A pickup never goes out.
    let mut body = small_order("03001234567");
    body["fulfilment"] = json!({"type": "pickup"});
    body.as_object_mut().unwrap().remove("address");
    let p = app.api.create_order(&body).await.unwrap();
    let pid = p["id"].as_i64().unwrap();
    for s in ["preparing", "ready"] {
        json_with(app.api.set_status(pid, s, None).await.unwrap(), 200).await;
    }
    let msg = error_with(
        dispatch(&app, pid, "r-aslam").await,
        409,
        "invalid_transition",
    )
    .await;
    assert!(
        msg.contains("it can become delivered or collected"),
        "{msg}"
    );
}

#[tokio::test]
async fn no_riders_set_up_means_out_without_one() {
    let app = spawn_app().await;
    let id = ready_order(&app, "card").await;
    let out = json_with(
        app.api
            .set_status(id, "out_for_delivery", None)
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(out["status"], "out_for_delivery");
    assert_eq!(out["rider"], Value::Null);
}

#[tokio::test]
async fn a_returned_order_needs_a_reason_and_is_no_revenue() {
    let app = spawn_app().await;
    with_riders(&app).await;
    let id = ready_order(&app, "cash").await;
    json_with(dispatch(&app, id, "r-aslam").await, 200).await;
    error_with(
        app.api.set_status(id, "returned", None).await.unwrap(),
        422,
        "reason_required",
    )
    .await;
    let back = json_with(
        app.api
            .set_status(id, "returned", Some("customer not at home"))
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(back["status"], "returned");
    assert_eq!(back["cancel_reason"], "customer not at home");
    assert_eq!(back["rider"]["id"], "r-aslam");
    error_with(
        app.api.set_status(id, "delivered", None).await.unwrap(),
        409,
        "invalid_transition",
    )
    .await;

    let summary = json_with(app.api.get("/api/summary").await.unwrap(), 200).await;
    assert_eq!(summary["orders"], 1);
    assert_eq!(summary["returned"], 1);
    assert_eq!(summary["revenue"], 0, "{summary}");
    assert_eq!(summary["open_revenue"], 0, "{summary}");
}

#[tokio::test]
async fn a_pickup_is_collected_and_counts_as_done() {
    let app = spawn_app().await;
    let mut body = small_order("03001234567");
    body["fulfilment"] = json!({"type": "pickup"});
    body.as_object_mut().unwrap().remove("address");
    let p = app.api.create_order(&body).await.unwrap();
    let id = p["id"].as_i64().unwrap();
    for s in ["preparing", "ready", "collected"] {
        let o = json_with(app.api.set_status(id, s, None).await.unwrap(), 200).await;
        assert_eq!(o["status"], s);
    }
    let summary = json_with(app.api.get("/api/summary").await.unwrap(), 200).await;
    assert_eq!(summary["delivered"], 1, "{summary}");
    assert_eq!(summary["delivered_revenue"], VEGGIE_SMALL, "{summary}");
    // Undo takes it back to ready.
    let back = json_with(
        app.api
            .post_json(&format!("/api/orders/{id}/undo"), &json!({}))
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(back["status"], "ready");
}

fn method<'a>(cashup: &'a Value, m: &str) -> &'a Value {
    cashup["methods"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["method"] == m)
        .unwrap_or_else(|| panic!("no {m} line: {cashup}"))
}

fn rider<'a>(cashup: &'a Value, id: &str) -> &'a Value {
    cashup["riders"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["rider_id"] == id)
        .unwrap_or_else(|| panic!("no {id} line: {cashup}"))
}

#[tokio::test]
async fn the_cash_up_adds_up_by_method_and_by_rider_and_a_riders_cash_is_marked_collected() {
    let app = spawn_app().await;
    with_riders(&app).await;
    // Aslam: two cash orders delivered, one card delivered, one cash returned.
    // Akram: one cash order still out. One card pickup collected; one cash order cancelled.
    let a1 = ready_order(&app, "cash").await;
    let a2 = ready_order(&app, "cash").await;
    let a3 = ready_order(&app, "card").await;
    let a4 = ready_order(&app, "cash").await;
    let k1 = ready_order(&app, "cash").await;
    for id in [a1, a2, a3, a4] {
        json_with(dispatch(&app, id, "r-aslam").await, 200).await;
    }
    json_with(dispatch(&app, k1, "r-akram").await, 200).await;
    for id in [a1, a2, a3] {
        json_with(
            app.api.set_status(id, "delivered", None).await.unwrap(),
            200,
        )
        .await;
    }
    json_with(
        app.api
            .set_status(a4, "returned", Some("refused"))
            .await
            .unwrap(),
        200,
    )
    .await;
    let mut body = small_order("03001234567");
    body["fulfilment"] = json!({"type": "pickup"});
    body["payment"] = json!({"method": "card"});
    body.as_object_mut().unwrap().remove("address");
    let p = app.api.create_order(&body).await.unwrap()["id"]
        .as_i64()
        .unwrap();
    for s in ["preparing", "ready", "collected"] {
        json_with(app.api.set_status(p, s, None).await.unwrap(), 200).await;
    }
    let c = app
        .api
        .create_order(&small_order("03001234567"))
        .await
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    json_with(
        app.api
            .set_status(c, "cancelled", Some("test"))
            .await
            .unwrap(),
        200,
    )
    .await;

    let cashup = json_with(app.api.get("/api/cashup").await.unwrap(), 200).await;
    let cash = method(&cashup, "cash");
    assert_eq!(
        cash["orders"], 3,
        "a1, a2, k1 (not the returned or the cancelled): {cashup}"
    );
    assert_eq!(cash["total"], 3 * VEGGIE_SMALL);
    assert_eq!(
        cash["cash_to_collect"],
        2 * VEGGIE_SMALL,
        "Aslam's two delivered"
    );
    let card = method(&cashup, "card");
    assert_eq!(card["orders"], 2);
    assert_eq!(card["total"], 2 * VEGGIE_SMALL);
    assert_eq!(card["cash_to_collect"], 0);
    assert_eq!(method(&cashup, "wallet")["orders"], 0);

    let aslam = rider(&cashup, "r-aslam");
    assert_eq!(aslam["dispatched"], 4);
    assert_eq!(aslam["delivered"], 3);
    assert_eq!(aslam["returned"], 1);
    assert_eq!(aslam["out"], 0);
    assert_eq!(aslam["cash_to_collect"], 2 * VEGGIE_SMALL);
    assert_eq!(aslam["outstanding"], 2 * VEGGIE_SMALL);
    assert_eq!(aslam["collected"], Value::Null);
    let akram = rider(&cashup, "r-akram");
    assert_eq!(akram["dispatched"], 1);
    assert_eq!(akram["out"], 1);
    assert_eq!(akram["cash_to_collect"], 0);

    // Counted against an amount that is no longer the rider's (a delivery came in after
    // the screen was loaded): refused, nothing marked.
    let today = cashup["date"].as_str().unwrap().to_string();
    let stale = json_with(
        app.api
            .post_json(
                "/api/cashup/riders/r-aslam/collected",
                &json!({"date": today, "expected": VEGGIE_SMALL}),
            )
            .await
            .unwrap(),
        409,
    )
    .await;
    assert_eq!(stale["error"]["code"], "cash_changed", "{stale}");
    let still = json_with(app.api.get("/api/cashup").await.unwrap(), 200).await;
    assert_eq!(rider(&still, "r-aslam")["collected"], Value::Null);

    // Marked collected at closing against the amount shown: the server counts the amount.
    let after = json_with(
        app.api
            .post_json(
                "/api/cashup/riders/r-aslam/collected",
                &json!({"date": today, "expected": 2 * VEGGIE_SMALL}),
            )
            .await
            .unwrap(),
        200,
    )
    .await;
    let aslam = rider(&after, "r-aslam");
    assert_eq!(aslam["collected"]["amount"], 2 * VEGGIE_SMALL);
    assert_eq!(aslam["collected"]["by"], USER);
    assert_eq!(aslam["outstanding"], 0);
    assert_eq!(method(&after, "cash")["cash_to_collect"], 0);

    // Akram delivers later: his cash is to collect; Aslam's mark stays.
    json_with(
        app.api.set_status(k1, "delivered", None).await.unwrap(),
        200,
    )
    .await;
    let later = cashup_of(&app, &today).await;
    assert_eq!(method(&later, "cash")["cash_to_collect"], VEGGIE_SMALL);
    assert_eq!(rider(&later, "r-akram")["outstanding"], VEGGIE_SMALL);

    // A delivery recalled after the count: more was handed in than Aslam's deliveries now
    // add up to, and the cash-up says so (the shop owes the difference back), not 0.
    json_with(
        app.api
            .post_json(&format!("/api/orders/{a2}/recall"), &json!({}))
            .await
            .unwrap(),
        200,
    )
    .await;
    let recalled = cashup_of(&app, &today).await;
    assert_eq!(rider(&recalled, "r-aslam")["cash_to_collect"], VEGGIE_SMALL);
    assert_eq!(rider(&recalled, "r-aslam")["outstanding"], -VEGGIE_SMALL);
    json_with(dispatch(&app, a2, "r-aslam").await, 200).await;
    json_with(
        app.api.set_status(a2, "delivered", None).await.unwrap(),
        200,
    )
    .await;

    // Taken back.
    let res = app
        .api
        .request(
            reqwest::Method::DELETE,
            &format!("/api/cashup/riders/r-aslam/collected?date={today}"),
        )
        .send()
        .await
        .unwrap();
    let undone = json_with(res, 200).await;
    assert_eq!(rider(&undone, "r-aslam")["collected"], Value::Null);
    assert_eq!(rider(&undone, "r-aslam")["outstanding"], 2 * VEGGIE_SMALL);

    // A rider removed from the settings still shows by the name at dispatch.
    app.api
        .put_json(
            "/api/settings",
            &json!({"riders": [{"id": "r-akram", "name": "اکرم", "phone": "03214445556"}]}),
        )
        .await
        .unwrap();
    let removed = json_with(app.api.get("/api/cashup").await.unwrap(), 200).await;
    let aslam = rider(&removed, "r-aslam");
    assert_eq!(aslam["name"], "Aslam");
    assert_eq!(aslam["active"], false);
    assert_eq!(aslam["delivered"], 3);

    // Unknown riders and bad dates are clear errors.
    error_with(
        app.api
            .post_json("/api/cashup/riders/r-ghost/collected", &json!({}))
            .await
            .unwrap(),
        404,
        "not_found",
    )
    .await;
    error_with(
        app.api.get("/api/cashup?date=yesterday").await.unwrap(),
        400,
        "invalid_query",
    )
    .await;
}

#[tokio::test]
async fn the_csv_has_the_rider_and_the_payment() {
    let app = spawn_app().await;
    with_riders(&app).await;
    let id = ready_order(&app, "wallet").await;
    json_with(dispatch(&app, id, "r-akram").await, 200).await;
    for (format, rider_col, payment_col, rider, payment) in [
        ("data", "rider", "payment", "اکرم", "wallet"),
        ("owner", "Rider", "Payment", "اکرم", "Wallet"),
    ] {
        let res = app
            .api
            .get(&format!("/api/orders.csv?format={format}"))
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let text = res.text().await.unwrap();
        let text = text.trim_start_matches('\u{feff}');
        let mut r = csv::Reader::from_reader(text.as_bytes());
        let headers: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
        assert_eq!(
            headers.last().map(String::as_str),
            Some(if format == "data" {
                "dispatched_at"
            } else {
                "Rider"
            })
        );
        let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
        let row = r.records().next().unwrap().unwrap();
        assert_eq!(&row[col(rider_col)], rider, "{format}");
        assert_eq!(&row[col(payment_col)], payment, "{format}");
    }
}
