//! The store against a real SQLite file in a temporary folder.
#![allow(clippy::unwrap_used)]

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use kitchen_domain::{LineRequest, Menu, NewOrder, OrderRequest, OrderSource, OrderStatus};
use kitchen_store::{
    CreatedOrder, OrderFilter, OrderMeta, PhoneFilter, Store, StoreError, StoreOptions,
};
use std::time::Duration;

fn at(h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, h, m, 0).unwrap()
}

fn new_order(phone: &str) -> NewOrder {
    let req = OrderRequest {
        items: vec![
            LineRequest {
                item_id: "chicken-tikka".into(),
                size_id: "large".into(),
                quantity: 2,
            },
            LineRequest {
                item_id: "coca-cola".into(),
                size_id: "1.5l".into(),
                quantity: 1,
            },
        ],
        address: "House 5, Street 2, G-9/3, Islamabad".into(),
        landmark: Some("behind Karachi Company".into()),
        customer_name: Some("Sana".into()),
        customer_phone: Some(phone.into()),
    };
    NewOrder::price(&req, &Menu::default_menu()).unwrap()
}

fn meta(t: DateTime<Utc>, key: Option<&str>) -> OrderMeta {
    OrderMeta {
        uuid: uuid::Uuid::new_v4(),
        at: t,
        business_date: t.date_naive(),
        source: OrderSource::Staff,
        call_sid: None,
        actor: "chef".into(),
        idempotency_key: key.map(str::to_string),
    }
}

fn open(dir: &tempfile::TempDir) -> Store {
    Store::open(&dir.path().join("melt8.db"), &StoreOptions::default()).unwrap()
}

#[tokio::test]
async fn orders_are_numbered_per_day_and_survive_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let a = store
        .create_order(new_order("03001234567"), meta(at(10, 0), None))
        .await
        .unwrap();
    let b = store
        .create_order(new_order("03001234567"), meta(at(11, 0), None))
        .await
        .unwrap();
    let mut next_day = meta(at(11, 0) + chrono::Duration::days(1), None);
    next_day.business_date = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    let c = store
        .create_order(new_order("03001234567"), next_day)
        .await
        .unwrap();
    assert_eq!(
        [a.order().number, b.order().number, c.order().number],
        [1, 2, 1]
    );
    drop(store);

    let store = open(&dir);
    let all = store
        .orders(OrderFilter {
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(all.len(), 3);
    assert_eq!(all[0].id, c.order().id, "newest first");
    let first = store.order(a.order().id).await.unwrap();
    assert_eq!(first.lines.len(), 2);
    assert_eq!(first.total.paisa(), 2 * 219_900 + 32_000);
    assert_eq!(first.customer_phone.unwrap().to_string(), "+923001234567");
    assert_eq!(first.history.len(), 1);
    assert_eq!(first.history[0].to, OrderStatus::New);
}

#[tokio::test]
async fn seed_columns_are_filled_for_old_reports() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let o = store
        .create_order(new_order("03001234567"), meta(at(10, 0), None))
        .await
        .unwrap();
    let id = o.order().id;
    let row: (String, String, Option<String>, String, String) = store
        .call(move |c| {
            Ok(c.query_row(
                "SELECT flavour, size, drink, status, order_time FROM orders WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )?)
        })
        .await
        .unwrap();
    assert_eq!(row.0, "Chicken Tikka");
    assert_eq!(row.1, "Large 13\"");
    assert_eq!(row.2.as_deref(), Some("Coca-Cola 1.5 L"));
    assert_eq!(row.3, "new");
    assert_eq!(row.4, "2026-11-24T10:00:00.000Z");
}

#[tokio::test]
async fn the_same_idempotency_key_finds_the_first_order_and_a_different_order_conflicts() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let first = store
        .create_order(new_order("03001234567"), meta(at(10, 0), Some("k1")))
        .await
        .unwrap();
    let again = store
        .create_order(new_order("03001234567"), meta(at(10, 1), Some("k1")))
        .await
        .unwrap();
    assert!(matches!(first, CreatedOrder::New(_)));
    assert!(matches!(again, CreatedOrder::Existing(_)));
    assert_eq!(first.order().uuid, again.order().uuid);
    let other = store
        .create_order(new_order("03331234567"), meta(at(10, 2), Some("k1")))
        .await;
    assert!(matches!(other, Err(StoreError::IdempotencyConflict)));
    assert_eq!(
        store
            .orders(OrderFilter {
                limit: 10,
                ..Default::default()
            })
            .await
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn status_changes_are_recorded_with_who_and_when_and_bad_ones_refused() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let id = store
        .create_order(new_order("03001234567"), meta(at(10, 0), None))
        .await
        .unwrap()
        .order()
        .id;
    store
        .change_status(id, OrderStatus::Preparing, None, "chef".into(), at(10, 5))
        .await
        .unwrap();
    let err = store
        .change_status(id, OrderStatus::Delivered, None, "chef".into(), at(10, 6))
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("preparing cannot become delivered"),
        "{err}"
    );
    let o = store
        .change_status(
            id,
            OrderStatus::Cancelled,
            Some("customer cancelled".into()),
            "amir".into(),
            at(10, 7),
        )
        .await
        .unwrap();
    assert_eq!(o.status, OrderStatus::Cancelled);
    assert_eq!(o.cancel_reason.as_deref(), Some("customer cancelled"));
    let steps: Vec<_> = o
        .history
        .iter()
        .map(|h| (h.from, h.to, h.by.as_str()))
        .collect();
    assert_eq!(
        steps,
        [
            (None, OrderStatus::New, "chef"),
            (Some(OrderStatus::New), OrderStatus::Preparing, "chef"),
            (Some(OrderStatus::Preparing), OrderStatus::Cancelled, "amir")
        ]
    );
    assert_eq!(o.updated_at, at(10, 7));
    assert!(matches!(
        store
            .change_status(9999, OrderStatus::Ready, None, "chef".into(), at(10, 8))
            .await,
        Err(StoreError::NotFound)
    ));
}

#[tokio::test]
async fn filters_by_status_time_and_phone() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let a = store
        .create_order(new_order("03001234567"), meta(at(9, 0), None))
        .await
        .unwrap()
        .order()
        .id;
    store
        .create_order(new_order("03217654321"), meta(at(12, 0), None))
        .await
        .unwrap();
    store
        .change_status(a, OrderStatus::Preparing, None, "chef".into(), at(12, 1))
        .await
        .unwrap();
    let q = |f: OrderFilter| {
        let store = store.clone();
        async move {
            store
                .orders(OrderFilter { limit: 50, ..f })
                .await
                .unwrap()
                .len()
        }
    };
    assert_eq!(
        q(OrderFilter {
            status: Some(OrderStatus::Preparing),
            ..Default::default()
        })
        .await,
        1
    );
    assert_eq!(
        q(OrderFilter {
            since: Some(at(10, 0)),
            ..Default::default()
        })
        .await,
        1
    );
    assert_eq!(
        q(OrderFilter {
            phone: Some(PhoneFilter::Exact("+923001234567".into())),
            ..Default::default()
        })
        .await,
        1
    );
    assert_eq!(
        q(OrderFilter {
            phone: Some(PhoneFilter::EndsWith("4321".into())),
            ..Default::default()
        })
        .await,
        1
    );
    assert_eq!(
        q(OrderFilter {
            phone: Some(PhoneFilter::EndsWith("0000".into())),
            ..Default::default()
        })
        .await,
        0
    );
}

#[tokio::test]
async fn a_write_blocked_longer_than_the_busy_timeout_fails_as_busy_and_saves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("melt8.db");
    let opts = StoreOptions {
        busy_timeout: Duration::from_millis(200),
        ..Default::default()
    };
    let store = Store::open(&path, &opts).unwrap();
    let blocker = kitchen_store::rusqlite::Connection::open(&path).unwrap();
    blocker.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let err = store
        .create_order(new_order("03001234567"), meta(at(10, 0), None))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Busy), "{err:?}");
    blocker.execute_batch("ROLLBACK").unwrap();
    assert!(
        store
            .orders(OrderFilter {
                limit: 10,
                ..Default::default()
            })
            .await
            .unwrap()
            .is_empty()
    );
    store
        .create_order(new_order("03001234567"), meta(at(10, 0), None))
        .await
        .unwrap();
}

#[tokio::test]
async fn the_menu_is_seeded_once_and_replaced_whole() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    assert!(
        store
            .seed_menu_if_empty(Menu::default_menu())
            .await
            .unwrap()
    );
    assert!(
        !store
            .seed_menu_if_empty(Menu::default_menu())
            .await
            .unwrap()
    );
    assert_eq!(store.menu().await.unwrap(), Menu::default_menu());
    let small = Menu::from_json(r#"{"items":[{"id":"tea","name":"Chai","kind":"drink","available":false,"sizes":[{"id":"cup","label":"Cup","price":5000}]}]}"#).unwrap();
    store.replace_menu(small.clone()).await.unwrap();
    assert_eq!(store.menu().await.unwrap(), small);
}

#[tokio::test]
async fn sessions_expire() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    store
        .create_session("h1".into(), "chef".into(), at(10, 0), at(11, 0))
        .await
        .unwrap();
    assert_eq!(
        store
            .session_user("h1".into(), at(10, 30))
            .await
            .unwrap()
            .as_deref(),
        Some("chef")
    );
    assert_eq!(
        store.session_user("h1".into(), at(11, 0)).await.unwrap(),
        None
    );
    assert_eq!(
        store
            .session_user("other".into(), at(10, 30))
            .await
            .unwrap(),
        None
    );
    store.delete_session("h1".into()).await.unwrap();
    assert_eq!(
        store.session_user("h1".into(), at(10, 30)).await.unwrap(),
        None
    );
}

#[tokio::test]
async fn the_call_log_records_a_call_from_webhook_to_end_with_its_transcript() {
    use kitchen_store::{CallOutcome, CallUpdate};
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let sid = "CA0001".to_string();
    let order = store
        .create_order(new_order("03001234567"), meta(at(10, 0), None))
        .await
        .unwrap();
    store
        .log_calls(vec![
            CallUpdate::Started {
                call_sid: sid.clone(),
                caller: Some("+923001234567".into()),
                at: at(10, 0),
            },
            CallUpdate::Answered {
                call_sid: sid.clone(),
                at: at(10, 0),
            },
            CallUpdate::Said {
                call_sid: sid.clone(),
                speaker: "ai",
                text: "Assalam-o-Alaikum".into(),
                at: at(10, 0),
            },
            CallUpdate::Said {
                call_sid: sid.clone(),
                speaker: "caller",
                text: "do large tikka".into(),
                at: at(10, 1),
            },
            CallUpdate::Usage {
                call_sid: sid.clone(),
                input: 100,
                output: 50,
                audio_in: 80,
                audio_out: 40,
            },
            CallUpdate::Usage {
                call_sid: sid.clone(),
                input: 10,
                output: 5,
                audio_in: 8,
                audio_out: 4,
            },
            CallUpdate::Ordered {
                call_sid: sid.clone(),
                order_id: order.order().id,
            },
        ])
        .await
        .unwrap();
    let live = store.calls(10).await.unwrap();
    assert_eq!(live[0].outcome, CallOutcome::InProgress);
    assert_eq!(live[0].duration_seconds, None);
    store
        .log_calls(vec![CallUpdate::Ended {
            call_sid: sid.clone(),
            outcome: CallOutcome::Abandoned,
            reason: None,
            at: at(10, 3),
        }])
        .await
        .unwrap();
    let rec = store.call_record(sid.clone()).await.unwrap();
    assert_eq!(
        rec.outcome,
        CallOutcome::Ordered,
        "a call with an order counts as ordered when the caller hangs up"
    );
    assert_eq!(rec.duration_seconds, Some(180));
    assert_eq!((rec.input_tokens, rec.output_tokens), (110, 55));
    assert_eq!(rec.order_id, Some(order.order().id));
    let lines: Vec<_> = rec
        .transcript
        .unwrap()
        .into_iter()
        .map(|l| (l.speaker, l.text))
        .collect();
    assert_eq!(
        lines,
        [
            ("ai".into(), "Assalam-o-Alaikum".into()),
            ("caller".into(), "do large tikka".into())
        ]
    );
    // A second end does not overwrite the first.
    store
        .log_calls(vec![CallUpdate::Ended {
            call_sid: sid.clone(),
            outcome: CallOutcome::Failed,
            reason: Some("x".into()),
            at: at(11, 0),
        }])
        .await
        .unwrap();
    assert_eq!(
        store.call_record(sid).await.unwrap().outcome,
        CallOutcome::Ordered
    );
    let last = store
        .last_delivery("+923001234567".into())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(last.address, "House 5, Street 2, G-9/3, Islamabad");
    assert!(
        store
            .last_delivery("+923330000000".into())
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn an_undo_is_allowed_only_within_its_window() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let id = store
        .create_order(new_order("03001234567"), meta(at(10, 0), None))
        .await
        .unwrap()
        .order()
        .id;
    store
        .change_status(id, OrderStatus::Preparing, None, "chef".into(), at(10, 5))
        .await
        .unwrap();
    let window = chrono::Duration::seconds(30);
    let late = at(10, 5) + chrono::Duration::seconds(31);
    assert!(matches!(
        store
            .undo_last_change(id, "chef".into(), late, window)
            .await,
        Err(StoreError::Undo(kitchen_store::UndoError::Expired(30)))
    ));
    let in_time = at(10, 5) + chrono::Duration::seconds(29);
    let order = store
        .undo_last_change(id, "chef".into(), in_time, window)
        .await
        .unwrap();
    assert_eq!(order.status, OrderStatus::New);
    assert_eq!(store.order(id).await.unwrap().status, OrderStatus::New);
}
