//! Undo, the shop's settings, the day summary and the CSV export.

use crate::helpers::*;
use kitchen_testkit::fixtures::{FAMILY_ORDER_TOTAL, family_order, small_order};
use serde_json::{Value, json};
use std::time::Duration;

async fn new_order(app: &TestApp, body: &Value) -> i64 {
    app.api.create_order(body).await.unwrap()["id"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn the_last_change_can_be_undone_once_and_the_board_hears_of_it() {
    let app = spawn_app().await;
    let id = new_order(&app, &family_order()).await;
    let undo = format!("/api/orders/{id}/undo");
    error_with(
        app.api.post_json(&undo, &json!({})).await.unwrap(),
        409,
        "nothing_to_undo",
    )
    .await;
    json_with(
        app.api.set_status(id, "preparing", None).await.unwrap(),
        200,
    )
    .await;
    json_with(
        app.api
            .set_status(id, "cancelled", Some("customer called back"))
            .await
            .unwrap(),
        200,
    )
    .await;
    let mut events = app.api.events().await.unwrap();
    events
        .expect("hello", Duration::from_secs(2))
        .await
        .unwrap();
    let back = json_with(app.api.post_json(&undo, &json!({})).await.unwrap(), 200).await;
    assert_eq!(back["status"], "preparing");
    assert_eq!(
        back["cancel_reason"],
        Value::Null,
        "an undone cancel loses its reason"
    );
    let ev = events
        .expect("order.updated", Duration::from_secs(2))
        .await
        .unwrap();
    assert_eq!(ev["order"]["status"], "preparing");
    // Undoing the undo would redo: refused.
    error_with(
        app.api.post_json(&undo, &json!({})).await.unwrap(),
        409,
        "nothing_to_undo",
    )
    .await;
    let order = json_with(
        app.api.get(&format!("/api/orders/{id}")).await.unwrap(),
        200,
    )
    .await;
    let last = order["history"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        (&last["from"], &last["to"], &last["reason"]),
        (&json!("cancelled"), &json!("preparing"), &json!("undo"))
    );
    error_with(
        app.api
            .post_json("/api/orders/999/undo", &json!({}))
            .await
            .unwrap(),
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn settings_are_saved_validated_and_secrets_never_come_back() {
    let app = spawn_app().await;
    let before = json_with(app.api.get("/api/settings").await.unwrap(), 200).await;
    assert_eq!(before["amber_after_minutes"], 5);
    assert_eq!(before["red_after_minutes"], 10);
    assert_eq!(before["openai_api_key_set"], false);
    let saved = json_with(
        app.api
            .put_json(
                "/api/settings",
                &json!({"shop_name": "Melt 8 Gulberg", "eta_minutes": 40,
                        "amber_after_minutes": 7, "red_after_minutes": 12,
                        "shop_phone": "0300 7654321", "openai_api_key": "sk-live-secret-123"}),
            )
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(saved["shop_name"], "Melt 8 Gulberg");
    assert_eq!(saved["eta_minutes"], 40);
    assert_eq!(saved["shop_phone"], "+923007654321");
    assert_eq!(saved["openai_api_key_set"], true);
    let again = app
        .api
        .get("/api/settings")
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!again.contains("sk-live-secret-123"), "{again}");
    let health = app.api.get("/health").await.unwrap().text().await.unwrap();
    assert!(!health.contains("sk-live-secret-123"));

    let msg = error_with(
        app.api
            .put_json("/api/settings", &json!({"red_after_minutes": 6}))
            .await
            .unwrap(),
        422,
        "validation_failed",
    )
    .await;
    assert!(msg.contains("amber"), "{msg}");
    error_with(
        app.api
            .put_json("/api/settings", &json!({"shop_nam": "typo"}))
            .await
            .unwrap(),
        422,
        "invalid_body",
    )
    .await;
    let unchanged = json_with(app.api.get("/api/settings").await.unwrap(), 200).await;
    assert_eq!(unchanged["red_after_minutes"], 12, "nothing saved on a 422");
    error_with(
        app.anonymous().get("/api/settings").await.unwrap(),
        401,
        "unauthorized",
    )
    .await;

    // Survives a restart.
    let dir = app.stop().await;
    let app = spawn_app_in(dir).await;
    let after = json_with(app.api.get("/api/settings").await.unwrap(), 200).await;
    assert_eq!(after["shop_name"], "Melt 8 Gulberg");
    assert_eq!(after["openai_api_key_set"], true);
}

#[tokio::test]
async fn the_day_summary_and_csv_count_the_days_orders() {
    let app = spawn_app().await;
    let a = new_order(&app, &family_order()).await;
    let b = new_order(&app, &small_order("03001112222")).await;
    let c = new_order(&app, &small_order("03003334444")).await;
    for s in ["preparing", "ready", "delivered"] {
        json_with(app.api.set_status(a, s, None).await.unwrap(), 200).await;
    }
    json_with(
        app.api
            .set_status(b, "cancelled", Some("no rider"))
            .await
            .unwrap(),
        200,
    )
    .await;
    let _ = c;
    let s = json_with(app.api.get("/api/summary").await.unwrap(), 200).await;
    assert_eq!(s["orders"], 3);
    assert_eq!(s["cancelled"], 1);
    assert_eq!(s["delivered"], 1);
    let small = json_with(app.api.get(&format!("/api/orders/{c}")).await.unwrap(), 200).await;
    assert_eq!(
        s["revenue"].as_i64().unwrap(),
        FAMILY_ORDER_TOTAL + small["total"].as_i64().unwrap()
    );
    // Revenue split by what it counts: delivered orders, and open ones still to be paid.
    assert_eq!(s["delivered_revenue"].as_i64().unwrap(), FAMILY_ORDER_TOTAL);
    assert_eq!(s["open_revenue"], small["total"]);
    let avg = s["average_minutes_to_ready"].as_f64().unwrap();
    assert!((0.0..1.0).contains(&avg), "{avg}");
    let date = s["date"].as_str().unwrap().to_string();

    let res = app
        .api
        .get(&format!("/api/orders.csv?date={date}"))
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert!(
        res.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains(&date)
    );
    let csv = res.text().await.unwrap();
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows.len(), 4, "header and three orders:\n{csv}");
    assert!(rows[1].contains("Ali Raza"), "oldest first: {}", rows[1]);
    let today = json_with(
        app.api
            .get(&format!("/api/orders?date={date}"))
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(today.as_array().unwrap().len(), 3);
    let other = json_with(
        app.api.get("/api/orders?date=2001-01-01").await.unwrap(),
        200,
    )
    .await;
    assert!(other.as_array().unwrap().is_empty());
    let empty = json_with(
        app.api.get("/api/summary?date=2001-01-01").await.unwrap(),
        200,
    )
    .await;
    assert_eq!(empty["orders"], 0);
    assert_eq!(empty["average_minutes_to_ready"], Value::Null);
    error_with(
        app.api.get("/api/summary?date=yesterday").await.unwrap(),
        400,
        "invalid_query",
    )
    .await;
}

/// The CSV body without its byte-order mark, asserting the mark is there.
fn without_bom(bytes: &[u8]) -> &str {
    assert!(
        bytes.starts_with(&[0xEF, 0xBB, 0xBF]),
        "a UTF-8 BOM first, for Excel"
    );
    std::str::from_utf8(&bytes[3..]).unwrap()
}

#[tokio::test]
async fn the_owners_csv_has_a_bom_rupees_readable_names_and_urdu_intact() {
    let app = spawn_app().await;
    let mut urdu = family_order();
    urdu["customer_name"] = json!("علی رضا");
    urdu["landmark"] = json!("حفیظ سینٹر کے پاس");
    let a = new_order(&app, &urdu).await;
    let b = new_order(&app, &small_order("03001112222")).await;
    for s in ["preparing", "ready", "delivered"] {
        json_with(app.api.set_status(a, s, None).await.unwrap(), 200).await;
    }
    json_with(
        app.api
            .set_status(b, "cancelled", Some("no rider"))
            .await
            .unwrap(),
        200,
    )
    .await;
    let order = json_with(app.api.get(&format!("/api/orders/{a}")).await.unwrap(), 200).await;
    let date = order["business_date"].as_str().unwrap().to_string();

    let res = app
        .api
        .get(&format!("/api/orders.csv?date={date}"))
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .contains("utf-8")
    );
    let bytes = res.bytes().await.unwrap();
    let text = without_bom(&bytes);
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let headers: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(headers, kitchen_store::OWNER_CSV_COLUMNS);
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2, "{text}");
    let (first, second) = (&rows[0], &rows[1]);
    assert_eq!(&first[col("Customer")], "علی رضا", "Urdu round-trips");
    assert_eq!(&first[col("Landmark")], "حفیظ سینٹر کے پاس");
    assert_eq!(&first[col("Status")], "Delivered");
    assert_eq!(&second[col("Status")], "Cancelled");
    assert_eq!(&second[col("Cancel reason")], "no rider");
    // Rupees as a plain number: 4,718 rupees reads as 4718.
    assert_eq!(
        &first[col("Total (Rs)")],
        (FAMILY_ORDER_TOTAL / 100).to_string()
    );
    let total: f64 = first[col("Total (Rs)")].parse().unwrap();
    assert_eq!(
        (total * 100.0).round() as i64,
        order["total"].as_i64().unwrap()
    );
    assert_eq!(&first[col("Fulfilment")], "Delivery");
    assert_eq!(&first[col("Payment")], "Cash");
    assert_eq!(&first[col("Phone")], "+923001234567");
    // The shop's date format and a 24-hour local time.
    let day = chrono::NaiveDate::parse_from_str(&date, "%Y-%m-%d").unwrap();
    assert_eq!(&first[col("Date")], day.format("%d %b %Y").to_string());
    assert!(
        chrono::NaiveTime::parse_from_str(&first[col("Time")], "%H:%M").is_ok(),
        "{}",
        &first[col("Time")]
    );
    assert!(!text.contains("paisa") && !text.contains(&FAMILY_ORDER_TOTAL.to_string()));

    // Scripts keep the data columns, unchanged and without a BOM.
    let data = app
        .api
        .get(&format!("/api/orders.csv?date={date}&format=data"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(data.starts_with("id,number,business_date,"), "{data}");
    assert!(data.contains(&FAMILY_ORDER_TOTAL.to_string()));
    error_with(
        app.api
            .get(&format!("/api/orders.csv?date={date}&format=xlsx"))
            .await
            .unwrap(),
        400,
        "invalid_query",
    )
    .await;
}

#[tokio::test]
async fn settings_can_be_checked_without_saving_and_every_problem_comes_back() {
    let app = spawn_app().await;
    let before = json_with(app.api.get("/api/settings").await.unwrap(), 200).await;
    let bad = json!({"shop_name": "", "shop_phone": "12", "eta_minutes": 0});
    let res = app
        .api
        .post_json("/api/settings/check", &bad)
        .await
        .unwrap();
    let body = json_with(res, 422).await;
    let fields: Vec<&str> = body["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    for f in ["shop_name", "shop_phone", "eta_minutes"] {
        assert!(fields.contains(&f), "{f} missing from {body}");
    }
    let good = json!({"shop_name": "Melt 8 Checked"});
    let res = app
        .api
        .post_json("/api/settings/check", &good)
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    let after = json_with(app.api.get("/api/settings").await.unwrap(), 200).await;
    assert_eq!(
        after["shop_name"], before["shop_name"],
        "a check saves nothing"
    );
}
