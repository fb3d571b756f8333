//! The outbox, backups, restore and the CSV export against real SQLite files.
#![allow(clippy::unwrap_used)]

mod common;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use common::{at, plain_request, price};
use kitchen_domain::{NewOrder, OrderStatus};
use kitchen_store::backup::{self, BackupError, DataDirLock, KEEP_BACKUPS};
use kitchen_store::{CSV_COLUMNS, OrderMeta, Store, StoreError, StoreOptions, orders_csv};

fn new_order(name: &str) -> NewOrder {
    let mut req = plain_request(name, "03001234567");
    req.landmark = None;
    price(&req)
}

fn meta(t: DateTime<Utc>) -> OrderMeta {
    common::meta(t, None)
}

fn open(dir: &std::path::Path) -> Store {
    Store::open(&dir.join("melt8.db"), &StoreOptions::default()).unwrap()
}

#[tokio::test]
async fn every_order_and_status_change_queues_an_outbox_row_and_a_refused_change_none() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let o = store
        .create_order(new_order("Sana"), meta(at(10, 0)))
        .await
        .unwrap();
    let id = o.order().id;
    assert_eq!(store.outbox_pending().await.unwrap().0, 1);
    store
        .change_status(id, OrderStatus::Preparing, None, "chef".into(), at(10, 5))
        .await
        .unwrap();
    assert_eq!(store.outbox_pending().await.unwrap().0, 2);
    let refused = store
        .change_status(id, OrderStatus::New, None, "chef".into(), at(10, 6))
        .await;
    assert!(matches!(refused, Err(StoreError::Status(_))));
    assert_eq!(store.outbox_pending().await.unwrap().0, 2, "nothing queued");

    let batch = store.outbox_batch(100).await.unwrap();
    assert_eq!(batch.row_ids.len(), 2);
    assert_eq!(
        batch.orders.len(),
        1,
        "one order, sent once with its latest state"
    );
    let sent = &batch.orders[0];
    assert_eq!(sent.uuid, o.order().uuid);
    assert_eq!(sent.status, "preparing");
    assert_eq!(sent.items.len(), 2);
    assert_eq!(
        sent.history
            .iter()
            .map(|e| (e.seq, e.to_status.as_str()))
            .collect::<Vec<_>>(),
        [(0, "new"), (1, "preparing")]
    );
    store.outbox_ack(batch.row_ids).await.unwrap();
    assert_eq!(store.outbox_pending().await.unwrap().0, 0);
}

#[tokio::test]
async fn an_order_write_that_rolls_back_leaves_no_outbox_row() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    store
        .create_order(new_order("Sana"), meta(at(10, 0)))
        .await
        .unwrap();
    let rows = store
        .call(|c| {
            let tx = c.transaction()?;
            tx.execute("UPDATE orders SET status = 'preparing'", [])?;
            let inside: i64 = tx.query_row("SELECT COUNT(*) FROM outbox", [], |r| r.get(0))?;
            tx.rollback()?;
            Ok(inside)
        })
        .await
        .unwrap();
    assert_eq!(rows, 2, "the trigger wrote inside the transaction");
    assert_eq!(
        store.outbox_pending().await.unwrap().0,
        1,
        "and rolled back with it"
    );
}

#[tokio::test]
async fn a_new_target_queues_every_order_once_and_clearing_forgets_it() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    for i in 0..3 {
        store
            .create_order(new_order("Sana"), meta(at(10, i)))
            .await
            .unwrap();
    }
    store.outbox_clear().await.unwrap();
    assert_eq!(
        store
            .outbox_backfill("a db1".into(), at(11, 0))
            .await
            .unwrap(),
        3
    );
    assert_eq!(
        store
            .outbox_backfill("a db1".into(), at(11, 1))
            .await
            .unwrap(),
        0
    );
    assert_eq!(store.outbox_pending().await.unwrap().0, 3);
    assert_eq!(
        store
            .outbox_backfill("a db2".into(), at(11, 2))
            .await
            .unwrap(),
        3
    );
    assert_eq!(store.outbox_clear().await.unwrap(), 6);
    assert_eq!(
        store
            .outbox_backfill("a db2".into(), at(11, 3))
            .await
            .unwrap(),
        3
    );
}

#[tokio::test]
async fn a_backup_taken_while_orders_come_in_is_a_consistent_self_contained_copy() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    for i in 0..20 {
        store
            .create_order(new_order("Sana"), meta(at(10, i)))
            .await
            .unwrap();
    }
    let writer = {
        let store = store.clone();
        tokio::spawn(async move {
            for i in 0..50 {
                store
                    .create_order(new_order("Ali"), meta(at(12, i)))
                    .await
                    .unwrap();
            }
        })
    };
    let backups = dir.path().join("backups");
    let file = store
        .backup_into(backups.clone(), at(12, 30))
        .await
        .unwrap();
    writer.await.unwrap();
    assert_eq!(file.parent().unwrap(), backups);
    assert!(
        !backups
            .join(format!(
                "{}-wal",
                file.file_name().unwrap().to_str().unwrap()
            ))
            .exists()
    );
    let copy = kitchen_store::rusqlite::Connection::open(&file).unwrap();
    let check: String = copy
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    let (orders, items, events): (i64, i64, i64) = copy
        .query_row(
            "SELECT (SELECT COUNT(*) FROM orders), (SELECT COUNT(*) FROM order_items),
                    (SELECT COUNT(*) FROM order_events)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert!((20..=70).contains(&orders), "{orders}");
    assert_eq!((items, events), (orders * 2, orders), "whole orders only");
}

#[test]
fn only_the_newest_fourteen_backups_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let conn = kitchen_store::rusqlite::Connection::open(dir.path().join("melt8.db")).unwrap();
    let backups = dir.path().join("backups");
    std::fs::create_dir(&backups).unwrap();
    std::fs::write(backups.join("notes.txt"), "not a backup").unwrap();
    let mut made = Vec::new();
    for day in 1..=16 {
        let t = Utc.with_ymd_and_hms(2026, 11, day, 3, 0, 0).unwrap();
        made.push(backup::backup_into(&conn, &backups, t).unwrap());
    }
    let left: Vec<_> = backup::list_backups(&backups)
        .unwrap()
        .into_iter()
        .map(|(_, p)| p)
        .collect();
    assert_eq!(left.len(), KEEP_BACKUPS);
    assert_eq!(left, made[2..].to_vec(), "the two oldest went");
    assert!(
        backups.join("notes.txt").exists(),
        "other files are left alone"
    );
}

#[tokio::test]
async fn restore_refuses_while_a_server_holds_the_folder_and_brings_the_backup_back() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("melt8.db");
    let backups = dir.path().join("backups");
    let store = open(dir.path());
    let kept = store
        .create_order(new_order("Sana"), meta(at(10, 0)))
        .await
        .unwrap();
    let file = store.backup_into(backups.clone(), at(10, 1)).await.unwrap();
    store
        .create_order(new_order("Ali"), meta(at(10, 2)))
        .await
        .unwrap();

    let server = DataDirLock::shared(dir.path()).unwrap();
    let err = backup::restore(dir.path(), &db, &backups, &file, at(10, 3)).unwrap_err();
    assert!(matches!(err, BackupError::InUse(_)), "{err}");
    assert!(err.to_string().contains("Stop the server"), "{err}");
    drop(server);
    drop(store);

    let done = backup::restore(dir.path(), &db, &backups, &file, at(10, 4)).unwrap();
    assert_eq!(done.orders, 1);
    let previous = done.previous.unwrap();
    let store = open(dir.path());
    let all = store.orders_of_day(at(10, 0).date_naive()).await.unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].uuid, kept.order().uuid);
    // The database as it was before is kept, with both orders.
    let before = kitchen_store::rusqlite::Connection::open(previous).unwrap();
    let n: i64 = before
        .query_row("SELECT COUNT(*) FROM orders", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 2);
    // While restoring, a server cannot start.
    let restoring = DataDirLock::exclusive(dir.path()).unwrap();
    assert!(matches!(
        DataDirLock::shared(dir.path()),
        Err(BackupError::Restoring(_))
    ));
    drop(restoring);
}

#[test]
fn restore_refuses_a_file_that_is_not_a_usable_backup() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("melt8.db");
    let junk = dir.path().join("junk.db");
    std::fs::write(
        &junk,
        b"this is not SQLite at all, just some bytes..........",
    )
    .unwrap();
    let empty = dir.path().join("empty.db");
    kitchen_store::rusqlite::Connection::open(&empty)
        .unwrap()
        .execute_batch("CREATE TABLE t (x)")
        .unwrap();
    let newer = dir.path().join("newer.db");
    kitchen_store::rusqlite::Connection::open(&newer)
        .unwrap()
        .pragma_update(None, "user_version", 999)
        .unwrap();
    for (file, why) in [
        (dir.path().join("missing.db"), "no such file"),
        (junk, "not a database"),
        (empty, "no Melt 8 tables"),
        (newer, "newer version"),
    ] {
        let err =
            backup::restore(dir.path(), &db, &dir.path().join("b"), &file, at(1, 0)).unwrap_err();
        let msg = err.to_string();
        assert!(matches!(err, BackupError::NotABackup { .. }), "{msg}");
        assert!(msg.contains(why), "{msg}");
    }
    assert!(!db.exists(), "nothing was touched");
}

#[tokio::test]
async fn the_csv_export_has_one_row_an_order_and_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let a = store
        .create_order(new_order("Sana, \"Baji\""), meta(at(10, 0)))
        .await
        .unwrap();
    let b = store
        .create_order(new_order("=cmd|' /C calc'!A0"), meta(at(11, 0)))
        .await
        .unwrap();
    store
        .change_status(
            b.order().id,
            OrderStatus::Cancelled,
            Some("wrong address".into()),
            "chef".into(),
            at(11, 5),
        )
        .await
        .unwrap();
    let mut other_day = meta(at(12, 0) + chrono::Duration::days(1));
    other_day.business_date = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    store
        .create_order(new_order("Tomorrow"), other_day)
        .await
        .unwrap();

    let orders = store.orders_of_day(at(10, 0).date_naive()).await.unwrap();
    let csv_text = orders_csv(&orders);
    let mut r = csv::Reader::from_reader(csv_text.as_bytes());
    assert_eq!(r.headers().unwrap().iter().collect::<Vec<_>>(), CSV_COLUMNS);
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    let col = |name: &str| CSV_COLUMNS.iter().position(|c| *c == name).unwrap();
    assert_eq!(&rows[0][col("uuid")], a.order().uuid.to_string());
    assert_eq!(&rows[0][col("customer_name")], "Sana, \"Baji\"");
    assert_eq!(&rows[0][col("number")], "1");
    assert_eq!(
        &rows[0][col("items")],
        "2 x Chicken Tikka Large 13\"; 1 x Coca-Cola 1.5 L"
    );
    assert_eq!(
        &rows[0][col("total_paisa")],
        a.order().total.paisa().to_string()
    );
    assert_eq!(&rows[0][col("customer_phone")], "+923001234567");
    assert_eq!(&rows[1][col("status")], "cancelled");
    assert_eq!(&rows[1][col("cancel_reason")], "wrong address");
    assert_eq!(
        &rows[1][col("customer_name")],
        "'=cmd|' /C calc'!A0",
        "a formula stays text"
    );
}

#[tokio::test]
async fn the_outbox_sends_fulfilment_payment_note_eta_the_bill_and_each_lines_detail() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let settings = common::taxed_settings();
    let rich = store
        .create_order(
            common::price_with(&common::rich_request(), &settings),
            meta(at(10, 0)),
        )
        .await
        .unwrap();
    let zoned = store
        .create_order(
            common::price_with(&common::zone_request(), &settings),
            meta(at(10, 1)),
        )
        .await
        .unwrap();
    let batch = store.outbox_batch(100).await.unwrap();
    assert_eq!(batch.orders.len(), 2);

    let p = &batch.orders[0];
    assert_eq!(p.uuid, rich.order().uuid);
    assert_eq!(
        (
            p.fulfilment_type.as_str(),
            p.zone_id.as_deref(),
            p.pickup_in_minutes
        ),
        ("pickup", None, Some(25))
    );
    assert_eq!(p.address, "", "a pickup has no address");
    assert_eq!(
        (p.payment_method.as_str(), p.pays_with_paisa, p.change_paisa),
        ("card", Some(1_000_000), Some(178_200))
    );
    assert_eq!(p.note.as_deref(), Some("pack the dip separately"));
    assert_eq!(p.eta_minutes, Some(25));
    assert_eq!(p.total_paisa, 821_800);
    let bill: kitchen_domain::Bill = serde_json::from_str(p.bill_json.as_deref().unwrap()).unwrap();
    assert_eq!(bill, rich.order().bill);
    assert_eq!(
        (p.flavour.as_str(), p.size.as_str(), p.drink.as_deref()),
        ("Malai Boti", "Large 13\"", Some("Coca-Cola 1.5 L")),
        "the seed's columns come from inside the deal"
    );
    assert_eq!(
        p.items.iter().map(|i| i.kind.as_str()).collect::<Vec<_>>(),
        ["deal", "pizza", "dip"]
    );
    let deal: serde_json::Value =
        serde_json::from_str(p.items[0].detail_json.as_deref().unwrap()).unwrap();
    assert_eq!(deal["deal"]["deal_id"], "deal-3");
    assert_eq!(deal["deal"]["parts"][0]["options"][0]["option"], "stuffed");
    assert_eq!(deal["deal"]["parts"][1]["item_id"], "coca-cola");
    let halves: serde_json::Value =
        serde_json::from_str(p.items[1].detail_json.as_deref().unwrap()).unwrap();
    assert_eq!(halves["half"]["item_id"], "chicken-fajita");
    assert_eq!(halves["options"][1]["option"], "no-onion");
    assert_eq!(halves["note"], "less spicy");
    assert_eq!(
        p.items[2].detail_json.as_deref(),
        Some(r#"{"size_label_ur":"ڈپ"}"#),
        "a plain line's detail is only its size's Urdu label"
    );
    assert_eq!(deal["deal"]["parts"][1]["size_label_ur"], "ڈیڑھ لیٹر");

    let d = &batch.orders[1];
    assert_eq!(d.uuid, zoned.order().uuid);
    assert_eq!(
        (
            d.fulfilment_type.as_str(),
            d.zone_id.as_deref(),
            d.zone_name.as_deref(),
            d.pickup_in_minutes
        ),
        ("delivery", Some("gulberg"), Some("Gulberg"), None)
    );
    assert_eq!(
        (d.payment_method.as_str(), d.pays_with_paisa, d.change_paisa),
        ("cash", None, None)
    );
    assert_eq!(d.eta_minutes, Some(40));
    let bill: serde_json::Value = serde_json::from_str(d.bill_json.as_deref().unwrap()).unwrap();
    assert_eq!(bill["delivery_fee"], 15_000);
    assert_eq!(bill["total"], 571_600);
}

#[tokio::test]
async fn the_csv_export_shows_fulfilment_zone_payment_fee_tax_note_and_what_is_in_each_line() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let settings = common::taxed_settings();
    let plain = price(&plain_request("Sana", "03001234567"));
    for (i, order) in [
        common::price_with(&common::rich_request(), &settings),
        common::price_with(&common::zone_request(), &settings),
        plain,
    ]
    .into_iter()
    .enumerate()
    {
        store
            .create_order(order, meta(at(10, i as u32)))
            .await
            .unwrap();
    }
    let orders = store.orders_of_day(at(10, 0).date_naive()).await.unwrap();
    let csv_text = orders_csv(&orders);
    let mut r = csv::Reader::from_reader(csv_text.as_bytes());
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    for c in [
        "fulfilment",
        "zone",
        "payment",
        "delivery_fee",
        "tax",
        "note",
    ] {
        assert!(header.iter().any(|h| h == c), "column {c} in {header:?}");
    }
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3);
    let col = |name: &str| CSV_COLUMNS.iter().position(|c| *c == name).unwrap();
    let cells = |row: &csv::StringRecord| {
        [
            "fulfilment",
            "zone",
            "payment",
            "delivery_fee",
            "tax",
            "note",
            "total_rs",
            "address",
        ]
        .map(|c| row[col(c)].to_string())
    };
    assert_eq!(
        cells(&rows[0]),
        [
            "pickup",
            "",
            "card",
            "0.00",
            "391.00",
            "pack the dip separately",
            "8218.00",
            ""
        ]
    );
    assert_eq!(
        &rows[0][col("items")],
        "1 x Deal 3: Malai Boti Large 13\" · Stuffed crust + Coca-Cola 1.5 L; \
         2 x ½ Chicken Tikka ½ Chicken Fajita Large 13\" · Extra cheese, No onion; \
         1 x Garlic Mayo Dip Dip"
    );
    assert_eq!(
        (&rows[0][col("flavour")], &rows[0][col("drink")]),
        ("Malai Boti", "Coca-Cola 1.5 L")
    );
    assert_eq!(
        cells(&rows[1]),
        [
            "delivery",
            "gulberg",
            "cash",
            "150.00",
            "768.00",
            "ring the bell twice",
            "5716.00",
            "House 12, Street 4, Gulberg III, Lahore"
        ]
    );
    assert_eq!(&rows[1][col("items")], "2 x Pepperoni Large 13\"");
    assert_eq!(
        cells(&rows[2]),
        [
            "delivery",
            "",
            "cash",
            "0.00",
            "0.00",
            "",
            "4718.00",
            "House 5, Street 2, G-9/3, Islamabad"
        ],
        "an order in the earlier shape, from a shop without zones or tax"
    );
}

/// The permission bits of a file (Unix).
#[cfg(unix)]
fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[cfg(unix)]
#[tokio::test]
async fn the_database_its_wal_and_backups_are_readable_by_this_user_only() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("melt8.db");
    let store = open(dir.path());
    store
        .create_order(new_order("Sana"), meta(at(10, 0)))
        .await
        .unwrap();
    let wal = dir.path().join("melt8.db-wal");
    let shm = dir.path().join("melt8.db-shm");
    assert!(wal.exists() && shm.exists(), "WAL mode keeps its sidecars");
    for p in [&db, &wal, &shm] {
        assert_eq!(mode(p), 0o600, "{}", p.display());
    }
    let backup = store
        .backup_into(dir.path().join("backups"), at(10, 1))
        .await
        .unwrap();
    assert_eq!(mode(&backup), 0o600, "{}", backup.display());
}

#[cfg(unix)]
#[tokio::test]
async fn a_database_left_world_readable_by_an_older_version_is_narrowed_on_open() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("melt8.db");
    let store = open(dir.path());
    store
        .create_order(new_order("Sana"), meta(at(10, 0)))
        .await
        .unwrap();
    drop(store);
    let wal = dir.path().join("melt8.db-wal");
    for p in [&db, &wal] {
        if p.exists() {
            std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o644)).unwrap();
        }
    }
    assert_eq!(mode(&db), 0o644);
    let store = open(dir.path());
    assert_eq!(store.open_order_count().await.unwrap(), 1);
    for p in [&db, &wal, &dir.path().join("melt8.db-shm")] {
        if p.exists() {
            assert_eq!(mode(p), 0o600, "{}", p.display());
        }
    }
}

#[tokio::test]
async fn a_restore_signs_everyone_out_and_leaves_private_files() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("melt8.db");
    let backups = dir.path().join("backups");
    let store = open(dir.path());
    store
        .create_order(new_order("Sana"), meta(at(10, 0)))
        .await
        .unwrap();
    // A session of the past (a tablet since lost), still valid in the backup.
    store
        .create_session(
            "old-tablet".into(),
            "chef".into(),
            kitchen_store::SessionRole::Kitchen,
            at(10, 0),
            at(23, 0),
        )
        .await
        .unwrap();
    let file = store.backup_into(backups.clone(), at(10, 1)).await.unwrap();
    assert_eq!(
        store
            .session_user("old-tablet".into(), at(10, 2))
            .await
            .unwrap(),
        Some("chef".into()),
        "the backup holds a live session"
    );
    drop(store);

    let done = backup::restore(dir.path(), &db, &backups, &file, at(10, 4)).unwrap();
    assert_eq!(done.orders, 1);
    let store = open(dir.path());
    assert_eq!(
        store
            .session_user("old-tablet".into(), at(10, 5))
            .await
            .unwrap(),
        None,
        "nobody stays signed in through a restore"
    );
    assert_eq!(
        store.open_order_count().await.unwrap(),
        1,
        "the orders are back"
    );
    #[cfg(unix)]
    {
        assert_eq!(mode(&db), 0o600);
        assert_eq!(mode(&done.previous.unwrap()), 0o600);
    }
}
