//! Call cards, call quotes and the catering-size setting (migration 0008) against a real
//! SQLite file: a version 7 shop keeps its call log, cards open and close (once), an
//! unfinished order's card is resolved for its phone only, and a call's record carries its
//! quotes and cards.
#![allow(clippy::unwrap_used)]

mod common;

use common::at;
use kitchen_domain::settings::{Change, ItemCount, SettingsPatch};
use kitchen_domain::{CallCardKind, CallOutcome, CallUpdate, Money, NewCallCard};
use kitchen_store::migrate::{MIGRATIONS, current_version, latest_version};
use kitchen_store::rusqlite::Connection;
use kitchen_store::{Store, StoreError, StoreOptions};
use std::path::Path;

fn open(path: &Path) -> Store {
    Store::open(path, &StoreOptions::default()).unwrap()
}

fn card(kind: CallCardKind, call_sid: &str, phone: Option<&str>, summary: &str) -> NewCallCard {
    NewCallCard {
        kind,
        call_sid: call_sid.into(),
        phone: phone.map(str::to_string),
        reason: None,
        summary: summary.into(),
        total: None,
    }
}

#[tokio::test]
async fn a_version_7_shop_keeps_its_calls_and_gains_cards_quotes_and_the_catering_setting() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("melt8.db");
    {
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "foreign_keys", true).unwrap();
        for m in MIGRATIONS.iter().filter(|m| m.version <= 7) {
            conn.execute_batch(m.sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 7).unwrap();
        conn.execute_batch(
            "INSERT INTO calls (call_sid, caller, started_at, ended_at, outcome, outcome_reason)
             VALUES ('CA7', '+923001234567', '2026-11-24T10:00:00.000Z',
                     '2026-11-24T10:02:00.000Z', 'complaint', 'cold pizza');
             INSERT INTO call_transcript (call_id, speaker, text, at)
             VALUES (1, 'caller', 'pizza thandi thi', '2026-11-24T10:00:30.000Z');
             UPDATE shop_settings SET busy_minutes_per_order = 5 WHERE id = 1;
             INSERT INTO shop_settings (id, busy_minutes_per_order)
             SELECT 1, 5 WHERE NOT EXISTS (SELECT 1 FROM shop_settings);",
        )
        .unwrap();
        let tables: i64 = conn
            .query_row(
                "SELECT COUNT(*) FROM sqlite_master WHERE name IN ('call_cards', 'call_quotes')",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(tables, 0, "version 7 has no card tables yet");
    }

    let store = open(&path);
    assert_eq!(
        current_version(&store.conn().unwrap()).unwrap(),
        latest_version()
    );
    let kept = store.call_record("CA7".into()).await.unwrap();
    assert_eq!(kept.outcome, CallOutcome::Complaint);
    assert_eq!(kept.outcome_reason.as_deref(), Some("cold pizza"));
    assert_eq!(kept.duration_seconds, Some(120));
    let transcript = kept.transcript.unwrap();
    assert_eq!(transcript.len(), 1);
    assert_eq!(transcript[0].text, "pizza thandi thi");
    assert_eq!(
        (kept.quotes, kept.cards),
        (Some(Vec::new()), Some(Vec::new()))
    );
    assert!(store.open_call_cards().await.unwrap().is_empty());

    // The settings saved by version 7 are kept; catering size is unset, so off.
    let layer = store.shop_settings().await.unwrap();
    assert_eq!(layer.busy_minutes_per_order.unwrap().get(), 5);
    assert_eq!(layer.catering_min_items, None);
    let resolved =
        kitchen_domain::ShopSettings::resolve(&kitchen_domain::SettingsLayer::default(), &layer);
    assert_eq!(resolved.catering_min_items, 0);

    // A card for the old call fits the new table.
    let made = store
        .add_call_card(
            card(
                CallCardKind::CallBack,
                "CA7",
                Some("+923001234567"),
                "Complaint: the pizza came cold",
            ),
            at(10, 3),
        )
        .await
        .unwrap();
    assert_eq!(
        store.call_record("CA7".into()).await.unwrap().cards,
        Some(vec![made])
    );
    let check: String = store
        .conn()
        .unwrap()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
}

#[tokio::test]
async fn cards_are_listed_newest_first_until_done_and_done_is_kept_once() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir.path().join("melt8.db"));
    let mut transfer = card(
        CallCardKind::Transfer,
        "CA1",
        Some("+923001111111"),
        "Wants to book 40 pizzas for a wedding",
    );
    transfer.reason = Some("catering".into());
    let first = store
        .add_call_card(transfer.clone(), at(9, 0))
        .await
        .unwrap();
    let mut unfinished = card(
        CallCardKind::UnfinishedOrder,
        "CA2",
        None,
        "2× Chicken Tikka Large, 1× Coca-Cola 1.5 L",
    );
    unfinished.total = Some(Money::from_rupees(4_718));
    let second = store
        .add_call_card(unfinished.clone(), at(9, 5))
        .await
        .unwrap();

    assert_eq!(
        (
            first.kind,
            first.call_sid.as_str(),
            first.phone.as_deref(),
            first.reason.as_deref(),
            first.summary.as_str(),
            first.total,
        ),
        (
            CallCardKind::Transfer,
            "CA1",
            Some("+923001111111"),
            Some("catering"),
            transfer.summary.as_str(),
            None
        )
    );
    assert_eq!(first.created_at, "2026-11-24T09:00:00.000Z");
    assert!(first.is_open() && first.done_by.is_none());
    assert_eq!(
        (second.phone, second.total),
        (None, Some(Money::from_paisa(471_800)))
    );
    let ids: Vec<i64> = store
        .open_call_cards()
        .await
        .unwrap()
        .iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(ids, [second.id, first.id], "newest first");

    let (done, changed) = store
        .finish_call_card(first.id, "chef".into(), at(9, 10))
        .await
        .unwrap();
    assert!(changed);
    assert_eq!(
        (done.done_at.as_deref(), done.done_by.as_deref()),
        (Some("2026-11-24T09:10:00.000Z"), Some("chef"))
    );
    // Done again (another screen): nothing changes, the first one stands.
    let (again, changed) = store
        .finish_call_card(first.id, "manager".into(), at(9, 20))
        .await
        .unwrap();
    assert!(!changed);
    assert_eq!(again, done);
    let open: Vec<i64> = store
        .open_call_cards()
        .await
        .unwrap()
        .iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(open, [second.id]);
    assert!(matches!(
        store
            .finish_call_card(9_999, "chef".into(), at(9, 30))
            .await,
        Err(StoreError::NotFound)
    ));
    // A done card still shows in its call's record.
    assert_eq!(
        cards_of(&store, "CA1").await,
        vec![done],
        "the call's cards, open or done"
    );
}

/// The cards of call `sid` as its call-log record shows them (the call is logged first:
/// a card may come before or without the log's row).
async fn cards_of(store: &Store, sid: &str) -> Vec<kitchen_domain::CallCard> {
    store
        .log_calls(vec![CallUpdate::Started {
            call_sid: sid.to_string(),
            caller: None,
            at: at(8, 0),
        }])
        .await
        .unwrap();
    store
        .call_record(sid.to_string())
        .await
        .unwrap()
        .cards
        .unwrap()
}

#[tokio::test]
async fn a_later_order_resolves_only_that_phones_unfinished_order_cards() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir.path().join("melt8.db"));
    let sana = "+923001234567";
    let unfinished = store
        .add_call_card(
            card(CallCardKind::UnfinishedOrder, "CA1", Some(sana), "2× Tikka"),
            at(9, 0),
        )
        .await
        .unwrap();
    let other_phone = store
        .add_call_card(
            card(
                CallCardKind::UnfinishedOrder,
                "CA2",
                Some("+923009999999"),
                "1× Fajita",
            ),
            at(9, 1),
        )
        .await
        .unwrap();
    let callback = store
        .add_call_card(
            card(CallCardKind::CallBack, "CA3", Some(sana), "Complaint"),
            at(9, 2),
        )
        .await
        .unwrap();
    let unknown = store
        .add_call_card(
            card(CallCardKind::UnfinishedOrder, "CA4", None, "1× Coke"),
            at(9, 3),
        )
        .await
        .unwrap();

    let resolved = store
        .resolve_unfinished_call_cards(sana.into(), "system".into(), at(9, 30))
        .await
        .unwrap();
    assert_eq!(resolved, [unfinished.id]);
    let open: Vec<i64> = store
        .open_call_cards()
        .await
        .unwrap()
        .iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(
        open,
        [unknown.id, callback.id, other_phone.id],
        "another phone's card, a call back and a card without a number stay open"
    );
    let (done, changed) = store
        .finish_call_card(unfinished.id, "chef".into(), at(9, 40))
        .await
        .unwrap();
    assert!(!changed, "already resolved");
    assert_eq!(
        (done.done_by.as_deref(), done.done_at.as_deref()),
        (Some("system"), Some("2026-11-24T09:30:00.000Z"))
    );
    assert!(
        store
            .resolve_unfinished_call_cards(sana.into(), "system".into(), at(9, 50))
            .await
            .unwrap()
            .is_empty(),
        "nothing left to resolve"
    );
}

#[tokio::test]
async fn a_calls_record_carries_its_quotes_in_order_and_a_rewritten_quote_replaces_itself() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir.path().join("melt8.db"));
    let quoted =
        |id: &str, lines: &[&str], total: i64, missing: &[&str], minute: u32| CallUpdate::Quoted {
            call_sid: "CA9".into(),
            quote_id: id.into(),
            lines: lines.iter().map(|s| s.to_string()).collect(),
            total: Money::from_rupees(total),
            missing: missing.iter().map(|s| s.to_string()).collect(),
            at: at(12, minute),
        };
    store
        .log_calls(vec![
            CallUpdate::Started {
                call_sid: "CA9".into(),
                caller: Some("+923001234567".into()),
                at: at(12, 0),
            },
            quoted(
                "Q1",
                &["1× Chicken Tikka Large"],
                2_199,
                &["fulfilment", "payment"],
                1,
            ),
            quoted(
                "Q2",
                &["2× Chicken Tikka Large", "1× Coca-Cola 1.5 L"],
                4_718,
                &["address"],
                2,
            ),
        ])
        .await
        .unwrap();
    // The same batch written again (a retry) doubles nothing; a changed Q2 replaces it.
    store
        .log_calls(vec![quoted(
            "Q2",
            &["2× Chicken Tikka Large", "1× Coca-Cola 1.5 L"],
            4_868,
            &[],
            3,
        )])
        .await
        .unwrap();
    let rec = store.call_record("CA9".into()).await.unwrap();
    let quotes = rec.quotes.unwrap();
    let got: Vec<_> = quotes
        .iter()
        .map(|q| {
            (
                q.quote_id.as_str(),
                q.lines.len(),
                q.total.paisa(),
                q.missing.clone(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "Q1",
                1,
                219_900,
                vec!["fulfilment".to_string(), "payment".to_string()]
            ),
            ("Q2", 2, 486_800, Vec::<String>::new()),
        ]
    );
    assert_eq!(quotes[1].lines[1], "1× Coca-Cola 1.5 L");
    assert_eq!(quotes[1].at, "2026-11-24T12:03:00.000Z");
    // The list of calls stays light: no quotes, cards or transcript.
    let listed = store.calls(10).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert!(listed[0].quotes.is_none() && listed[0].cards.is_none());
}

#[tokio::test]
async fn the_catering_size_round_trips_and_a_hand_edited_one_out_of_range_reads_as_unset() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir.path().join("melt8.db"));
    let saved = store
        .save_shop_settings(SettingsPatch {
            catering_min_items: Change::Set(ItemCount::parse(25, 0, 500).unwrap()),
            ..SettingsPatch::default()
        })
        .await
        .unwrap();
    assert_eq!(saved.catering_min_items.unwrap().get(), 25);
    assert_eq!(
        store
            .shop_settings()
            .await
            .unwrap()
            .catering_min_items
            .unwrap()
            .get(),
        25
    );
    store
        .call(|c| {
            c.execute("UPDATE shop_settings SET catering_min_items = 900", [])?;
            Ok(())
        })
        .await
        .unwrap();
    assert_eq!(
        store.shop_settings().await.unwrap().catering_min_items,
        None
    );
    let cleared = store
        .save_shop_settings(SettingsPatch {
            catering_min_items: Change::Clear,
            ..SettingsPatch::default()
        })
        .await
        .unwrap();
    assert_eq!(cleared.catering_min_items, None);
}
