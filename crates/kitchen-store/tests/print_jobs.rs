//! The print queue (migration 0013) against a real SQLite file: each printer's jobs come out
//! oldest first, a failed try keeps the job queued with its error, a done job never comes
//! out again, reprints are recognised, and the printers settings round-trip.
#![allow(clippy::unwrap_used)]

mod common;

use common::at;
use kitchen_domain::printers::{PrintDocument, PrinterConfig, PrinterKind, TicketLanguage};
use kitchen_domain::settings::{Change, SettingsPatch};
use kitchen_store::{NewPrintJob, Store, StoreOptions};

fn open(dir: &std::path::Path) -> Store {
    Store::open(&dir.join("melt8.db"), &StoreOptions::default()).unwrap()
}

fn job(printer: &str, document: &str, bytes: &[u8]) -> NewPrintJob {
    NewPrintJob {
        printer_id: printer.into(),
        order_id: None,
        document: document.into(),
        reprint: false,
        copies: 1,
        auto: true,
        bytes: bytes.to_vec(),
    }
}

#[tokio::test]
async fn each_printer_takes_its_jobs_oldest_first_and_each_only_until_done() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let ids = store
        .enqueue_print_jobs(
            vec![
                job("kitchen", "test", b"one"),
                job("counter", "test", b"other printer"),
                job("kitchen", "test", b"two"),
            ],
            at(19, 0),
        )
        .await
        .unwrap();
    assert_eq!(ids.len(), 3);

    let first = store
        .next_print_job("kitchen".into())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(first.bytes, b"one");
    // A failed try keeps it first in line, counted, with its error.
    store
        .print_job_failed(first.id, "could not reach the printer".into())
        .await
        .unwrap();
    let again = store
        .next_print_job("kitchen".into())
        .await
        .unwrap()
        .unwrap();
    assert_eq!((again.id, again.attempts), (first.id, 1));
    let state = store.print_queue_state("kitchen".into()).await.unwrap();
    assert_eq!((state.waiting, state.last_printed), (2, None));

    store.print_job_done(first.id, at(19, 5)).await.unwrap();
    let second = store
        .next_print_job("kitchen".into())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(second.bytes, b"two");
    store.print_job_done(second.id, at(19, 6)).await.unwrap();
    assert!(
        store
            .next_print_job("kitchen".into())
            .await
            .unwrap()
            .is_none()
    );
    let state = store.print_queue_state("kitchen".into()).await.unwrap();
    assert_eq!((state.waiting, state.last_printed), (0, Some(at(19, 6))));

    // The other printer's job was never touched.
    let other = store
        .next_print_job("counter".into())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(other.bytes, b"other printer");

    // Queued jobs survive closing the database.
    drop(store);
    let store = open(dir.path());
    assert_eq!(
        store
            .next_print_job("counter".into())
            .await
            .unwrap()
            .unwrap()
            .id,
        other.id
    );
}

#[tokio::test]
async fn a_document_queued_before_is_known_and_printers_settings_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let order_id = store
        .create_order(
            common::price(&common::plain_request("Ali", "03001234567")),
            common::meta(at(19, 0), None),
        )
        .await
        .unwrap()
        .order()
        .id;
    assert!(
        !store
            .printed_before(order_id, "kot", false, None)
            .await
            .unwrap()
    );
    let mut manual = job("kitchen", "kot", b"x");
    manual.order_id = Some(order_id);
    manual.auto = false;
    store
        .enqueue_print_jobs(vec![manual], at(19, 0))
        .await
        .unwrap();
    assert!(
        store
            .printed_before(order_id, "kot", false, None)
            .await
            .unwrap()
    );
    // Counted from a time: queued at 19:00, so not "since 19:01" but "since 19:00".
    assert!(
        !store
            .printed_before(order_id, "kot", false, Some(at(19, 1)))
            .await
            .unwrap()
    );
    assert!(
        store
            .printed_before(order_id, "kot", false, Some(at(19, 0)))
            .await
            .unwrap()
    );
    assert!(
        !store
            .printed_before(order_id, "kot", true, None)
            .await
            .unwrap(),
        "staff's print is no automatic one"
    );
    assert!(
        !store
            .printed_before(order_id, "bill", false, None)
            .await
            .unwrap()
    );

    let printer = PrinterConfig {
        id: "kitchen".into(),
        name: "کچن".into(),
        kind: PrinterKind::Network,
        address: "192.168.1.50:9100".into(),
        width_mm: 58,
        documents: vec![PrintDocument::Kot, PrintDocument::Bill],
        copies: 2,
        auto_print: true,
    };
    let saved = store
        .save_shop_settings(SettingsPatch {
            printers: Change::Set(vec![printer.clone()]),
            shop_address: Change::Set("12 مین بلیوارڈ، گلبرگ".into()),
            ticket_language: Change::Set(TicketLanguage::Ur),
            ..SettingsPatch::default()
        })
        .await
        .unwrap();
    assert_eq!(store.shop_settings().await.unwrap(), saved);
    assert_eq!(saved.printers, Some(vec![printer]));
    assert_eq!(saved.ticket_language, Some(TicketLanguage::Ur));
    assert_eq!(saved.shop_address.as_deref(), Some("12 مین بلیوارڈ، گلبرگ"));
}

#[tokio::test]
async fn a_printed_job_drops_its_bytes_and_is_forgotten_after_a_month_a_queued_one_never() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let ids = store
        .enqueue_print_jobs(
            vec![
                job("kitchen", "kot", &[0x1b; 4096]),
                job("kitchen", "kot", b"still waiting"),
            ],
            at(19, 0),
        )
        .await
        .unwrap();
    store.print_job_done(ids[0], at(19, 1)).await.unwrap();
    let sizes = |path: std::path::PathBuf| {
        let c = rusqlite::Connection::open(path).unwrap();
        let mut q = c
            .prepare("SELECT id, length(bytes) FROM print_jobs ORDER BY id")
            .unwrap();
        q.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        sizes(dir.path().join("melt8.db")),
        [(ids[0], 0), (ids[1], 13)],
        "the printed job keeps no bytes; the queued one keeps all of them"
    );

    // Forgetting printed jobs older than a time leaves newer ones and every queued one.
    assert_eq!(store.forget_printed_jobs(at(19, 0)).await.unwrap(), 0);
    let later = at(19, 0) + chrono::Duration::days(31);
    assert_eq!(store.forget_printed_jobs(later).await.unwrap(), 1);
    assert_eq!(
        sizes(dir.path().join("melt8.db")),
        [(ids[1], 13)],
        "only the queued job is left"
    );
    let next = store
        .next_print_job("kitchen".into())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(next.bytes, b"still waiting");
}
