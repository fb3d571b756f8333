//! The store against a real SQLite file in a temporary folder.
#![allow(clippy::unwrap_used)]

mod common;

use chrono::NaiveDate;
use common::{at, meta, plain_request, price};
use kitchen_domain::{Menu, NewOrder, OrderStatus, StatusError};
use kitchen_store::{CreatedOrder, OrderFilter, PhoneFilter, Store, StoreError, StoreOptions};
use std::time::Duration;

fn new_order(phone: &str) -> NewOrder {
    price(&plain_request("Sana", phone))
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
    assert_eq!(*store.menu().await.unwrap(), Menu::default_menu());
    let small = Menu::from_json(r#"{"items":[{"id":"tea","name":"Chai","kind":"drink","available":false,"sizes":[{"id":"cup","label":"Cup","price":5000}]}]}"#).unwrap();
    store.replace_menu(small.clone()).await.unwrap();
    assert_eq!(*store.menu().await.unwrap(), small);
    // Written by another store on the same file (another process): the next read sees it,
    // whatever this store read before.
    let other = open(&dir);
    other.replace_menu(Menu::default_menu()).await.unwrap();
    assert_eq!(*store.menu().await.unwrap(), Menu::default_menu());
    // A stored text that no longer reads as a menu is reported, not served from before.
    other
        .call(|c| {
            c.execute("UPDATE menu_document SET json = '{\"items\": 7}'", [])?;
            Ok(())
        })
        .await
        .unwrap();
    assert!(store.menu().await.is_err());
}

#[tokio::test]
async fn sessions_expire() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    store
        .create_session(
            "h1".into(),
            "chef".into(),
            kitchen_store::SessionRole::Kitchen,
            at(10, 0),
            at(11, 0),
        )
        .await
        .unwrap();
    store
        .create_session(
            "h2".into(),
            "chef".into(),
            kitchen_store::SessionRole::Owner,
            at(10, 0),
            at(11, 0),
        )
        .await
        .unwrap();
    let owner = store
        .session("h2".into(), at(10, 30))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (owner.role, owner.expires_at),
        (kitchen_store::SessionRole::Owner, at(11, 0))
    );
    assert_eq!(
        store
            .session("h1".into(), at(10, 30))
            .await
            .unwrap()
            .unwrap()
            .role,
        kitchen_store::SessionRole::Kitchen
    );
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
                cached_in: 20,
                cost_millipaisa: 1_200_400,
            },
            CallUpdate::Usage {
                call_sid: sid.clone(),
                input: 10,
                output: 5,
                audio_in: 8,
                audio_out: 4,
                cached_in: 0,
                cost_millipaisa: 300_200,
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
            code: None,
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
    // 1,500.6 paisa, rounded.
    assert_eq!(rec.ai_cost_paisa, 1_501);
    // The AI's part of the day: answered 10:00, ended 10:03; counted only within the span
    // and only up to its end (or to now while it lasts).
    let usage = store
        .ai_usage(at(9, 0), at(11, 0), at(12, 0))
        .await
        .unwrap();
    assert_eq!(
        (usage.calls, usage.seconds, usage.cost_millipaisa),
        (1, 180, 1_500_600)
    );
    let cut = store
        .ai_usage(at(9, 0), at(10, 2), at(12, 0))
        .await
        .unwrap();
    assert_eq!(cut.seconds, 120);
    let other_day = store
        .ai_usage(at(10, 1), at(11, 0), at(12, 0))
        .await
        .unwrap();
    assert_eq!((other_day.calls, other_day.seconds), (0, 0));
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
            code: None,
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

#[tokio::test]
async fn an_order_with_a_deal_halves_options_notes_pickup_and_card_comes_back_exactly_as_priced() {
    use kitchen_domain::{Fulfilment, ItemKind, Money, PaymentMethod};
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let priced = common::price_with(&common::rich_request(), &common::taxed_settings());
    let created = store
        .create_order(priced.clone(), meta(at(18, 30), None))
        .await
        .unwrap();
    let id = created.order().id;
    drop(store);

    let store = open(&dir);
    let o = store.order(id).await.unwrap();
    assert_eq!(
        &o,
        created.order(),
        "what create returned is what is stored"
    );
    assert_eq!(
        o.lines,
        priced.lines(),
        "lines with options, half and deal parts"
    );
    assert_eq!(&o.fulfilment, priced.fulfilment());
    assert_eq!(&o.payment, priced.payment());
    assert_eq!(o.note.as_deref(), priced.note());
    assert_eq!(o.eta_minutes, Some(priced.eta_minutes()));
    assert_eq!(&o.bill, priced.bill());
    assert_eq!(o.total, priced.total());
    assert_eq!(o.bill.total, o.total);

    // The values themselves, so a pricing change that the store mangled the same way on
    // both sides cannot pass unnoticed.
    let deal = o.lines[0].deal.as_ref().unwrap();
    assert_eq!(
        (o.lines[0].kind, o.lines[0].item_id.as_str()),
        (ItemKind::Deal, "deal-3")
    );
    assert_eq!(deal.deal_id, "deal-3");
    let parts: Vec<_> = deal
        .parts
        .iter()
        .map(|p| {
            (
                p.slot.as_str(),
                p.item_id.as_str(),
                p.size_id.as_str(),
                p.surcharge.paisa(),
            )
        })
        .collect();
    assert_eq!(
        parts,
        [
            ("pizza", "malai-boti", "large", 15_000),
            ("drink", "coca-cola", "1.5l", 0)
        ]
    );
    assert_eq!(deal.parts[0].options[0].option, "stuffed");
    assert_eq!(deal.parts[0].options[0].price.paisa(), 35_000);
    assert_eq!(o.lines[0].unit_price.paisa(), 234_900 + 15_000 + 35_000);
    let halves = &o.lines[1];
    assert_eq!(halves.half.as_ref().unwrap().item_id, "chicken-fajita");
    assert_eq!(
        halves
            .options
            .iter()
            .map(|c| c.option.as_str())
            .collect::<Vec<_>>(),
        ["cheese", "no-onion"]
    );
    assert_eq!(halves.note.as_deref(), Some("less spicy"));
    assert_eq!(halves.line_total.paisa(), 2 * (219_900 + 25_000));
    assert_eq!(o.lines[2].options, [], "a plain line has no detail");
    assert_eq!(
        o.fulfilment,
        Fulfilment::Pickup {
            pickup_in_minutes: Some(25)
        }
    );
    assert_eq!(o.address(), "");
    assert_eq!(o.payment.method, PaymentMethod::Card);
    assert_eq!(o.payment.pays_with, Some(Money::from_rupees(10_000)));
    assert_eq!(o.payment.change, Some(Money::from_rupees(1_782)));
    assert_eq!(o.note.as_deref(), Some("pack the dip separately"));
    assert_eq!(o.eta_minutes, Some(25));
    assert_eq!(o.bill.food_total.paisa(), 782_700);
    assert_eq!(o.bill.deal_savings.paisa(), 22_000);
    assert_eq!(
        (o.bill.tax.rate_bp, o.bill.tax.amount.paisa()),
        (500, 39_100)
    );
    assert_eq!(o.bill.delivery_fee, Money::ZERO);
    assert_eq!(o.total.paisa(), 821_800);
    assert_eq!(o.bill.total_spoken_ur, priced.bill().total_spoken_ur);
    assert_eq!(
        o.bill.lines[0].description,
        "Deal 3: Malai Boti Large 13\" · Stuffed crust + Coca-Cola 1.5 L"
    );

    // What the rows hold, for reports that read SQLite directly.
    let rows: Vec<(String, String, Option<String>)> = store
        .call(move |c| {
            let mut stmt = c.prepare(
                "SELECT kind, size_id, detail_json FROM order_items WHERE order_id = ?1 ORDER BY position",
            )?;
            let rows = stmt
                .query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<Result<_, _>>()?;
            Ok(rows)
        })
        .await
        .unwrap();
    assert_eq!((rows[0].0.as_str(), rows[0].1.as_str()), ("deal", ""));
    let detail: serde_json::Value = serde_json::from_str(rows[0].2.as_deref().unwrap()).unwrap();
    assert_eq!(detail["deal"]["parts"][0]["item_id"], "malai-boti");
    assert_eq!(
        rows[2].2.as_deref(),
        Some(r#"{"size_label_ur":"ڈپ"}"#),
        "a plain line's detail holds only its size's Urdu label"
    );
    let (kind, method, bill_total): (String, String, i64) = store
        .call(move |c| {
            Ok(c.query_row(
                "SELECT fulfilment_type, payment_method, json_extract(bill_json, '$.total')
                 FROM orders WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?)
        })
        .await
        .unwrap();
    assert_eq!(
        (kind.as_str(), method.as_str(), bill_total),
        ("pickup", "card", 821_800)
    );
}

#[tokio::test]
async fn a_delivery_to_a_zone_keeps_its_zone_fee_and_eta() {
    use kitchen_domain::Fulfilment;
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let priced = common::price_with(&common::zone_request(), &common::taxed_settings());
    let id = store
        .create_order(priced.clone(), meta(at(19, 0), None))
        .await
        .unwrap()
        .order()
        .id;
    let o = store.order(id).await.unwrap();
    assert_eq!(
        o.fulfilment,
        Fulfilment::Delivery {
            address: "House 12, Street 4, Gulberg III, Lahore".into(),
            landmark: Some("near Hafeez Centre".into()),
            zone_id: Some("gulberg".into()),
            zone_name: Some("Gulberg".into()),
            zone_name_ur: Some("گلبرگ".into()),
        }
    );
    assert_eq!(&o.bill, priced.bill());
    assert_eq!(o.bill.delivery_fee.paisa(), 15_000);
    assert_eq!(o.bill.tax.amount.paisa(), 76_800);
    assert_eq!(o.total.paisa(), 571_600);
    assert_eq!(o.eta_minutes, Some(40), "the zone's time");
    assert_eq!(o.payment, kitchen_domain::Payment::CASH);
    assert_eq!(o.note.as_deref(), Some("ring the bell twice"));
}

#[tokio::test]
async fn the_same_key_with_other_options_or_another_payment_is_a_conflict_not_a_retry() {
    use kitchen_domain::{PaymentMethod, PaymentRequest};
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let settings = common::taxed_settings();
    let req = common::rich_request();
    store
        .create_order(
            common::price_with(&req, &settings),
            meta(at(10, 0), Some("k")),
        )
        .await
        .unwrap();
    let again = store
        .create_order(
            common::price_with(&req, &settings),
            meta(at(10, 1), Some("k")),
        )
        .await
        .unwrap();
    assert!(matches!(again, CreatedOrder::Existing(_)));

    let mut other_crust = req.clone();
    other_crust.items[0].choices[0].options[0].option = "crown".into();
    let mut cash = req.clone();
    cash.payment = Some(PaymentRequest {
        method: PaymentMethod::Cash,
        pays_with: Some(1_000_000),
    });
    for changed in [other_crust, cash] {
        let r = store
            .create_order(
                common::price_with(&changed, &settings),
                meta(at(10, 2), Some("k")),
            )
            .await;
        assert!(matches!(r, Err(StoreError::IdempotencyConflict)), "{r:?}");
    }
}

#[tokio::test]
async fn a_returning_callers_last_delivery_skips_their_pickups() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    store
        .create_order(new_order("03217654321"), meta(at(10, 0), None))
        .await
        .unwrap();
    // A later pickup from the same number (the rich order's phone) has no address.
    store
        .create_order(
            common::price_with(&common::rich_request(), &common::taxed_settings()),
            meta(at(11, 0), None),
        )
        .await
        .unwrap();
    let last = store
        .last_delivery("+923217654321".into())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(last.address, "House 5, Street 2, G-9/3, Islamabad");
    assert_eq!(last.landmark.as_deref(), Some("behind Karachi Company"));
}

#[tokio::test]
async fn a_retry_after_the_menu_was_repriced_still_finds_its_order() {
    use kitchen_domain::{Money, PriceContext, ShopSettings};
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let req = common::rich_request();
    let first = store
        .create_order(common::price(&req), meta(at(10, 0), Some("CA42")))
        .await
        .unwrap();
    // The owner raises the Malai Boti and renames the stuffed crust between the first
    // attempt and the retry.
    let mut parts = Menu::default_menu().to_parts();
    for item in parts.items.iter_mut().filter(|i| i.id.0 == "malai-boti") {
        for size in &mut item.sizes {
            size.price = Money::from_paisa(size.price.paisa() + 10_000);
        }
    }
    for group in parts.option_groups.iter_mut().filter(|g| g.id == "crust") {
        for option in group.options.iter_mut().filter(|o| o.id == "stuffed") {
            option.name = "Cheese-stuffed crust".into();
        }
    }
    let repriced = Menu::from_parts(parts).unwrap();
    let again = NewOrder::price(
        &req,
        PriceContext {
            menu: &repriced,
            settings: &ShopSettings::default(),
            now: common::evening(),
        },
    )
    .unwrap();
    assert_ne!(
        again.lines(),
        first.order().lines.as_slice(),
        "priced differently"
    );
    let retried = store
        .create_order(again, meta(at(10, 1), Some("CA42")))
        .await
        .unwrap();
    assert!(matches!(retried, CreatedOrder::Existing(_)), "{retried:?}");
    assert_eq!(retried.order(), first.order());
}

#[tokio::test]
async fn status_since_is_when_the_order_entered_its_status_an_edit_or_undo_leaves_it() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let id = store
        .create_order(new_order("03001234567"), meta(at(10, 0), None))
        .await
        .unwrap()
        .order()
        .id;
    assert_eq!(store.order(id).await.unwrap().status_since, at(10, 0));
    store
        .amend_order(id, new_order("03001234567"), "chef".into(), at(10, 2))
        .await
        .unwrap();
    let o = store.order(id).await.unwrap();
    assert_eq!(o.updated_at, at(10, 2));
    assert_eq!(o.status_since, at(10, 0), "an edit is not a status change");
    store
        .change_status(id, OrderStatus::Preparing, None, "chef".into(), at(10, 5))
        .await
        .unwrap();
    let listed = store
        .orders(OrderFilter {
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(listed[0].status_since, at(10, 5));
    let back = store
        .undo_last_change(
            id,
            "chef".into(),
            at(10, 5) + chrono::Duration::seconds(10),
            chrono::Duration::seconds(30),
        )
        .await
        .unwrap();
    assert_eq!(
        back.status_since,
        at(10, 0),
        "an undo puts the order back in New as it was: its time there counts from when it came"
    );
    store
        .change_status(id, OrderStatus::Preparing, None, "chef".into(), at(10, 7))
        .await
        .unwrap();
    store
        .change_status(id, OrderStatus::Ready, None, "chef".into(), at(10, 20))
        .await
        .unwrap();
    let back = store
        .undo_last_change(id, "chef".into(), at(10, 20), chrono::Duration::seconds(30))
        .await
        .unwrap();
    assert_eq!(back.status, OrderStatus::Preparing);
    assert_eq!(
        back.status_since,
        at(10, 7),
        "back in Preparing since it last went there, not since the undo"
    );
}

#[tokio::test]
async fn a_change_from_a_given_status_is_refused_once_the_order_has_moved_on() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let id = store
        .create_order(new_order("03001234567"), meta(at(10, 0), None))
        .await
        .unwrap()
        .order()
        .id;
    // The kitchen starts it after the phone AI read it as new.
    store
        .change_status(id, OrderStatus::Preparing, None, "chef".into(), at(10, 1))
        .await
        .unwrap();
    let before = store.order(id).await.unwrap();
    let refused = store
        .change_status_from(
            id,
            OrderStatus::New,
            OrderStatus::Cancelled,
            Some("customer called back".into()),
            "phone-ai".into(),
            at(10, 2),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(
            refused,
            StoreError::Status(StatusError::InvalidTransition {
                from: OrderStatus::Preparing,
                to: OrderStatus::Cancelled,
                ..
            })
        ),
        "{refused:?}"
    );
    assert_eq!(store.order(id).await.unwrap(), before, "nothing changed");

    // Still new: the same call cancels it.
    let other = store
        .create_order(new_order("03001234567"), meta(at(10, 3), None))
        .await
        .unwrap()
        .order()
        .id;
    let cancelled = store
        .change_status_from(
            other,
            OrderStatus::New,
            OrderStatus::Cancelled,
            Some("customer called back".into()),
            "phone-ai".into(),
            at(10, 4),
        )
        .await
        .unwrap();
    assert_eq!(cancelled.status, OrderStatus::Cancelled);
    assert_eq!(
        cancelled.cancel_reason.as_deref(),
        Some("customer called back")
    );
    assert_eq!(cancelled.history.last().unwrap().by, "phone-ai");
}

#[tokio::test]
async fn a_recall_brings_delivered_back_to_ready_and_cancelled_back_to_where_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let place = |t| {
        let store = store.clone();
        async move {
            store
                .create_order(new_order("03001234567"), meta(t, None))
                .await
                .unwrap()
                .order()
                .id
        }
    };
    let delivered = place(at(10, 0)).await;
    for (to, m) in [
        (OrderStatus::Preparing, 1),
        (OrderStatus::Ready, 2),
        (OrderStatus::Delivered, 3),
    ] {
        store
            .change_status(delivered, to, None, "chef".into(), at(10, m))
            .await
            .unwrap();
    }
    let o = store
        .recall_order(delivered, "amir".into(), at(12, 0))
        .await
        .unwrap();
    assert_eq!(o.status, OrderStatus::Ready);
    assert_eq!(o.status_since, at(12, 0));
    let last = o.history.last().unwrap();
    assert_eq!(
        (last.from, last.to, last.reason.as_deref(), last.by.as_str()),
        (
            Some(OrderStatus::Delivered),
            OrderStatus::Ready,
            Some("recall"),
            "amir"
        )
    );
    let summary = store
        .day_summary(NaiveDate::from_ymd_opt(2026, 11, 24).unwrap())
        .await
        .unwrap();
    assert_eq!(
        summary.average_minutes_to_ready,
        Some(2.0),
        "a recall back to ready is not cooking time"
    );

    for (from, m) in [(OrderStatus::New, 10), (OrderStatus::Preparing, 20)] {
        let id = place(at(11, m)).await;
        if from == OrderStatus::Preparing {
            store
                .change_status(id, from, None, "chef".into(), at(11, m + 1))
                .await
                .unwrap();
        }
        store
            .change_status(
                id,
                OrderStatus::Cancelled,
                Some("no rider".into()),
                "chef".into(),
                at(11, m + 2),
            )
            .await
            .unwrap();
        let o = store
            .recall_order(id, "chef".into(), at(13, 0))
            .await
            .unwrap();
        assert_eq!(o.status, from);
        assert_eq!(o.cancel_reason, None);
    }

    let fresh = place(at(11, 30)).await;
    let err = store
        .recall_order(fresh, "chef".into(), at(13, 0))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::NotRecallable(kitchen_store::NotRecallable(OrderStatus::New))
        ),
        "{err}"
    );
    assert!(err.to_string().contains("that is new"), "{err}");
    assert_eq!(store.order(fresh).await.unwrap().history.len(), 1);
    assert!(matches!(
        store.recall_order(9999, "chef".into(), at(13, 0)).await,
        Err(StoreError::NotFound)
    ));
}

#[tokio::test]
async fn a_call_with_an_order_is_logged_ordered_whatever_else_was_said_except_a_transfer_or_failure()
 {
    use kitchen_store::{CallOutcome, CallUpdate};
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let order = store
        .create_order(new_order("03001234567"), meta(at(10, 0), None))
        .await
        .unwrap();
    let cases = [
        ("CA1", true, CallOutcome::Enquiry, CallOutcome::Ordered),
        ("CA2", true, CallOutcome::Complaint, CallOutcome::Ordered),
        (
            "CA3",
            true,
            CallOutcome::Transferred,
            CallOutcome::Transferred,
        ),
        ("CA4", true, CallOutcome::Failed, CallOutcome::Failed),
        (
            "CA5",
            false,
            CallOutcome::WrongNumber,
            CallOutcome::WrongNumber,
        ),
        ("CA6", false, CallOutcome::Status, CallOutcome::Status),
        ("CA7", false, CallOutcome::Cancelled, CallOutcome::Cancelled),
    ];
    for (sid, with_order, said, logged) in cases {
        let mut updates = vec![CallUpdate::Started {
            call_sid: sid.into(),
            caller: None,
            at: at(10, 0),
        }];
        if with_order {
            updates.push(CallUpdate::Ordered {
                call_sid: sid.into(),
                order_id: order.order().id,
            });
        }
        updates.push(CallUpdate::Ended {
            call_sid: sid.into(),
            outcome: said,
            reason: None,
            code: None,
            at: at(10, 2),
        });
        store.log_calls(updates).await.unwrap();
        assert_eq!(
            store.call_record(sid.into()).await.unwrap().outcome,
            logged,
            "{sid}"
        );
    }
}

#[tokio::test]
async fn an_edit_keeps_what_it_changed_in_the_history_and_on_the_order_until_a_real_change() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let id = store
        .create_order(new_order("03001234567"), meta(at(10, 0), None))
        .await
        .unwrap()
        .order()
        .id;
    assert_eq!(store.order(id).await.unwrap().changed, None);

    let mut req = plain_request("Sana", "03001234567");
    req.items[1] = kitchen_domain::LineRequest::item("coca-cola", "345ml", 2);
    req.note = Some("ring twice".into());
    let changed = store
        .amend_order(id, price(&req), "phone-ai".into(), at(10, 3))
        .await
        .unwrap();
    let what: Vec<&str> = changed
        .changed
        .as_ref()
        .unwrap()
        .what
        .iter()
        .map(|w| w.en.as_str())
        .collect();
    assert_eq!(
        what,
        [
            "+1 Coca-Cola 345 ml",
            "1.5 L → 345 ml Coca-Cola",
            "note: ring twice"
        ]
    );
    assert_eq!(changed.changed.as_ref().unwrap().at, at(10, 3));
    let last = changed.history.last().unwrap();
    assert_eq!(last.reason.as_deref(), Some("changed"));
    assert_eq!(last.changes, changed.changed.as_ref().unwrap().what);
    // The lists the board reads carry it too, and it survives reopening.
    drop(store);
    let store = open(&dir);
    let listed = store
        .orders(OrderFilter {
            limit: 10,
            ..OrderFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(listed[0].changed, changed.changed);

    // Saving the same order again changes nothing: the earlier change stays the latest one.
    let same = store
        .amend_order(id, price(&req), "chef".into(), at(10, 5))
        .await
        .unwrap();
    assert_eq!(same.changed, changed.changed);
    assert!(same.history.last().unwrap().changes.is_empty());

    // Once the kitchen has started it, an edit is refused and nothing is written.
    store
        .change_status(id, OrderStatus::Preparing, None, "chef".into(), at(10, 6))
        .await
        .unwrap();
    let before = store.order(id).await.unwrap();
    let err = store
        .amend_order(id, new_order("03001234567"), "phone-ai".into(), at(10, 7))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::NotEditable(_)), "{err:?}");
    assert_eq!(store.order(id).await.unwrap(), before);
}

#[test]
fn every_pooled_connection_has_the_stated_page_cache_bound() {
    // The bound on what the call log and the orders can add to the server's memory: the
    // page cache of each pooled connection, set on each, not only on the first.
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let conns: Vec<_> = (0..3).map(|_| store.conn().unwrap()).collect();
    for c in &conns {
        let kib: i64 = c.query_row("PRAGMA cache_size", [], |r| r.get(0)).unwrap();
        assert_eq!(kib, -kitchen_store::PAGE_CACHE_KIB);
    }
}

#[tokio::test]
async fn a_dispatch_keeps_the_rider_as_they_were_and_undo_or_recall_clears_it() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let id = store
        .create_order(new_order("03001234567"), meta(at(10, 0), None))
        .await
        .unwrap()
        .order()
        .id;
    for (s, m) in [(OrderStatus::Preparing, 1), (OrderStatus::Ready, 2)] {
        store
            .change_status(id, s, None, "chef".into(), at(10, m))
            .await
            .unwrap();
    }
    let aslam = kitchen_store::Dispatch {
        rider_id: "r-aslam".into(),
        name: "Aslam".into(),
        phone: "+923001112223".into(),
    };
    let out = store
        .change_status_with_rider(
            id,
            OrderStatus::OutForDelivery,
            None,
            Some(aslam.clone()),
            "chef".into(),
            at(10, 3),
        )
        .await
        .unwrap();
    let rider = out.rider.clone().unwrap();
    assert_eq!(
        (rider.id.as_str(), rider.name.as_str()),
        ("r-aslam", "Aslam")
    );
    assert_eq!(rider.dispatched_at, at(10, 3));
    // Reopened from the file: the same.
    drop(store);
    let store = open(&dir);
    assert_eq!(store.order(id).await.unwrap().rider, out.rider);

    let window = chrono::Duration::seconds(30);
    let back = store
        .undo_last_change(id, "chef".into(), at(10, 3), window)
        .await
        .unwrap();
    assert_eq!(back.status, OrderStatus::Ready);
    assert_eq!(back.rider, None);

    store
        .change_status_with_rider(
            id,
            OrderStatus::OutForDelivery,
            None,
            Some(aslam),
            "chef".into(),
            at(10, 4),
        )
        .await
        .unwrap();
    let done = store
        .change_status(id, OrderStatus::Delivered, None, "chef".into(), at(10, 20))
        .await
        .unwrap();
    assert_eq!(done.rider.as_ref().unwrap().dispatched_at, at(10, 4));
    // The day's cash-up knows the rider even with no riders in the settings now.
    let cashup = store
        .cashup(
            done.business_date,
            Vec::new(),
            vec![kitchen_domain::PaymentMethod::Cash],
        )
        .await
        .unwrap();
    assert_eq!(cashup.riders.len(), 1);
    assert_eq!(cashup.riders[0].name, "Aslam");
    assert!(!cashup.riders[0].active);
    assert_eq!(cashup.riders[0].delivered, 1);
    assert_eq!(cashup.riders[0].cash_to_collect, done.total.paisa());

    let recalled = store
        .recall_order(id, "chef".into(), at(10, 30))
        .await
        .unwrap();
    assert_eq!(recalled.status, OrderStatus::Ready);
    assert_eq!(recalled.rider, None);
}
