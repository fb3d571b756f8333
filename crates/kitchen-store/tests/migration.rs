//! Migration 0005 on a real SQLite file: a shop at schema version 4, with its menu in the
//! old tables and orders taken before bills existed, opens with the same menu (now one JSON
//! document) and its old orders read back as cash deliveries whose bill is their lines.
#![allow(clippy::unwrap_used)]

mod common;

use kitchen_domain::{Fulfilment, ItemKind, Menu, Money, OrderStatus, Payment};
use kitchen_store::migrate::{MIGRATIONS, latest_version};
use kitchen_store::rusqlite::{Connection, params};
use kitchen_store::{OrderFilter, Store, StoreOptions};
use std::path::Path;

/// A database as version 4 left it.
fn version_4(path: &Path) -> Connection {
    let conn = Connection::open(path).unwrap();
    conn.pragma_update(None, "foreign_keys", true).unwrap();
    for m in MIGRATIONS.iter().filter(|m| m.version <= 4) {
        conn.execute_batch(m.sql).unwrap();
    }
    conn.pragma_update(None, "user_version", 4).unwrap();
    conn
}

/// A menu in the old tables, written out of position order on purpose: the document must
/// follow `position`, not insertion order.
fn old_menu(conn: &Connection) {
    for (id, position, name, name_ur, kind, available) in [
        ("coke", 2, "Coca-Cola", Some("کوکا کولا"), "drink", 1),
        ("tikka", 0, "Chicken Tikka", Some("چکن تکہ"), "pizza", 1),
        ("wings", 1, "Hot Wings", None, "side", 0),
    ] {
        conn.execute(
            "INSERT INTO menu_items (id, position, name, name_ur, kind, available)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![id, position, name, name_ur, kind, available],
        )
        .unwrap();
    }
    for (item, id, position, label, price) in [
        ("tikka", "large", 1, "Large 13\"", 219_900),
        ("tikka", "small", 0, "Small 7\"", 75_000),
        ("tikka", "family", 2, "Family 16\"", 299_900),
        ("wings", "6-pcs", 0, "6 pcs", 69_900),
        ("coke", "1.5l", 0, "1.5 L", 32_000),
    ] {
        conn.execute(
            "INSERT INTO menu_sizes (item_id, id, position, label, price_paisa)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![item, id, position, label, price],
        )
        .unwrap();
    }
}

/// An order taken by version 4: two large tikka and a coke, delivered, preparing.
fn old_order(conn: &Connection) -> i64 {
    conn.execute(
        "INSERT INTO orders (flavour, size, drink, address, customer_name, customer_phone,
                             order_time, status, uuid, number, business_date, landmark,
                             total_paisa, source, call_sid, updated_at)
         VALUES ('Chicken Tikka', 'Large 13\"', 'Coca-Cola 1.5 L', 'House 5, Street 2, G-9/3',
                 'Sana', '+923001234567', '2026-11-20T15:00:00.000Z', 'preparing',
                 '6f1c1d7e-2f7c-4a53-9d55-1c2b3a4d5e6f', 3, '2026-11-20', 'near the mosque',
                 471800, 'phone', 'CA123', '2026-11-20T15:05:00.000Z')",
        [],
    )
    .unwrap();
    let id = conn.last_insert_rowid();
    for (position, item, name, name_ur, kind, size, label, qty, unit, total) in [
        (
            0,
            "tikka",
            "Chicken Tikka",
            Some("چکن تکہ"),
            "pizza",
            "large",
            "Large 13\"",
            2,
            219_900,
            439_800,
        ),
        (
            1,
            "coke",
            "Coca-Cola",
            None,
            "drink",
            "1.5l",
            "1.5 L",
            1,
            32_000,
            32_000,
        ),
    ] {
        conn.execute(
            "INSERT INTO order_items (order_id, position, item_id, name, name_ur, kind, size_id,
                                      size_label, quantity, unit_price_paisa, line_total_paisa)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![
                id, position, item, name, name_ur, kind, size, label, qty, unit, total
            ],
        )
        .unwrap();
    }
    for (from, to, at) in [
        (None, "new", "2026-11-20T15:00:00.000Z"),
        (Some("new"), "preparing", "2026-11-20T15:05:00.000Z"),
    ] {
        conn.execute(
            "INSERT INTO order_events (order_id, from_status, to_status, reason, actor, at)
             VALUES (?1, ?2, ?3, NULL, 'phone-ai', ?4)",
            params![id, from, to, at],
        )
        .unwrap();
    }
    id
}

#[tokio::test]
async fn a_version_4_shop_keeps_its_menu_and_its_old_orders_read_as_cash_deliveries() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("melt8.db");
    let old_id = {
        let conn = version_4(&path);
        old_menu(&conn);
        conn.execute(
            "UPDATE shop_settings SET shop_name = 'Melt 8 G-9', eta_minutes = 40 WHERE id = 1",
            [],
        )
        .unwrap();
        old_order(&conn)
    };

    let store = Store::open(&path, &StoreOptions::default()).unwrap();
    {
        let conn = store.conn().unwrap();
        assert_eq!(
            kitchen_store::migrate::current_version(&conn).unwrap(),
            latest_version()
        );
        let old_tables: i64 = conn
            .query_row(
                "SELECT COUNT(*) FROM sqlite_master WHERE name IN ('menu_items', 'menu_sizes')",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(old_tables, 0, "the old menu tables are gone");
        let problems: i64 = conn
            .query_row("SELECT COUNT(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(problems, 0);
        let check: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(check, "ok");
    }

    // The same items and sizes, in their positions, no options and no deals.
    let menu = store.menu().await.unwrap();
    let expected = Menu::from_json(
        r#"{"items": [
            {"id": "tikka", "name": "Chicken Tikka", "name_ur": "چکن تکہ", "kind": "pizza",
             "sizes": [{"id": "small", "label": "Small 7\"", "price": 75000},
                       {"id": "large", "label": "Large 13\"", "price": 219900},
                       {"id": "family", "label": "Family 16\"", "price": 299900}]},
            {"id": "wings", "name": "Hot Wings", "kind": "side", "available": false,
             "sizes": [{"id": "6-pcs", "label": "6 pcs", "price": 69900}]},
            {"id": "coke", "name": "Coca-Cola", "name_ur": "کوکا کولا", "kind": "drink",
             "sizes": [{"id": "1.5l", "label": "1.5 L", "price": 32000}]}]}"#,
    )
    .unwrap();
    assert_eq!(*menu, expected);
    assert!(menu.option_groups().is_empty() && menu.deals().is_empty());
    assert!(
        !store
            .seed_menu_if_empty(Menu::default_menu())
            .await
            .unwrap(),
        "a migrated menu is not replaced by the default"
    );

    // The old order: no options, delivered to its address, cash, its bill its lines.
    let o = store.order(old_id).await.unwrap();
    assert_eq!(o.status, OrderStatus::Preparing);
    assert_eq!(o.history.len(), 2);
    assert_eq!(
        o.fulfilment,
        Fulfilment::delivery_to("House 5, Street 2, G-9/3", Some("near the mosque".into()))
    );
    assert_eq!(o.payment, Payment::CASH);
    assert_eq!((o.note.as_deref(), o.eta_minutes), (None, None));
    assert_eq!(o.lines.len(), 2);
    for l in &o.lines {
        assert!(l.options.is_empty() && l.half.is_none() && l.note.is_none() && l.deal.is_none());
    }
    assert_eq!(
        o.lines.iter().map(|l| l.kind).collect::<Vec<_>>(),
        [ItemKind::Pizza, ItemKind::Drink]
    );
    assert_eq!(o.total, Money::from_paisa(471_800));
    assert_eq!(o.bill.total, o.total);
    assert_eq!(o.bill.food_total, o.total);
    assert_eq!(
        (
            o.bill.subtotal,
            o.bill.deal_savings,
            o.bill.delivery_fee,
            o.bill.tax.amount
        ),
        (o.total, Money::ZERO, Money::ZERO, Money::ZERO)
    );
    let bill_lines: Vec<_> = o
        .bill
        .lines
        .iter()
        .map(|l| {
            (
                l.description.as_str(),
                l.quantity,
                l.unit_price.paisa(),
                l.total.paisa(),
            )
        })
        .collect();
    assert_eq!(
        bill_lines,
        [
            ("Chicken Tikka Large 13\"", 2, 219_900, 439_800),
            ("Coca-Cola 1.5 L", 1, 32_000, 32_000)
        ]
    );
    assert_eq!(o.bill.lines[0].description_ur, "چکن تکہ Large 13\"");
    assert_eq!(o.bill.total_spoken_ur, "چار ہزار سات سو اٹھارہ");

    // It syncs as a cash delivery without a bill document.
    let batch = store.outbox_batch(100).await.unwrap();
    let synced = batch.orders.iter().find(|s| s.id == old_id).unwrap();
    assert_eq!(
        (
            synced.fulfilment_type.as_str(),
            synced.payment_method.as_str(),
            synced.bill_json.as_deref()
        ),
        ("delivery", "cash", None)
    );
    assert!(synced.items.iter().all(|i| i.detail_json.is_none()));

    // The settings saved by version 4 are kept, the new ones unset.
    let layer = store.shop_settings().await.unwrap();
    assert_eq!(layer.shop_name.as_ref().unwrap().as_str(), "Melt 8 G-9");
    assert_eq!(layer.eta_minutes.unwrap().get(), 40);
    assert_eq!(
        (
            layer.delivery_zones.as_ref(),
            layer.tax,
            layer.hours.as_ref()
        ),
        (None, None, None)
    );

    // A new order with a deal fits the rebuilt items table (its kinds now include `deal`),
    // after the old one's items, and the old order still deletes with its items.
    let new = store
        .create_order(
            common::price(&common::rich_request()),
            common::meta(common::at(10, 0), None),
        )
        .await
        .unwrap();
    assert_eq!(new.order().lines[0].kind, ItemKind::Deal);
    assert_eq!(
        store
            .orders(OrderFilter {
                limit: 10,
                ..OrderFilter::default()
            })
            .await
            .unwrap()
            .len(),
        2
    );
    let (max_old_item, min_new_item): (i64, i64) = {
        let conn = store.conn().unwrap();
        conn.query_row(
            "SELECT (SELECT MAX(id) FROM order_items WHERE order_id = ?1),
                    (SELECT MIN(id) FROM order_items WHERE order_id = ?2)",
            [old_id, new.order().id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap()
    };
    assert!(min_new_item > max_old_item, "ids keep counting up");
    {
        let conn = store.conn().unwrap();
        conn.execute("DELETE FROM orders WHERE id = ?1", [old_id])
            .unwrap();
        let left: i64 = conn
            .query_row(
                "SELECT COUNT(*) FROM order_items WHERE order_id = ?1",
                [old_id],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(left, 0, "the rebuilt table still cascades from orders");
    }
}

#[tokio::test]
async fn a_version_4_shop_without_a_menu_gets_the_default_one_seeded() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("melt8.db");
    drop(version_4(&path));
    let store = Store::open(&path, &StoreOptions::default()).unwrap();
    assert!(store.menu().await.is_err(), "no menu yet");
    assert!(
        store
            .seed_menu_if_empty(Menu::default_menu())
            .await
            .unwrap()
    );
    assert_eq!(*store.menu().await.unwrap(), Menu::default_menu());
}
