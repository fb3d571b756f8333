//! Schema migrations: numbered SQL files from `migrations/sqlite/`, embedded in the binary.
//!
//! `PRAGMA user_version` holds the number of the last migration applied. Each migration runs
//! in its own transaction together with the version bump, so a crash leaves the database at
//! one version or the next, never between. A database at a higher version than this build
//! knows was written by a newer app and is refused.

use crate::StoreError;
use r2d2_sqlite::rusqlite::{Connection, TransactionBehavior};
use std::path::Path;

/// One migration: its number, file name, and SQL.
#[derive(Debug)]
pub struct Migration {
    /// 1, 2, 3, … with no gaps.
    pub version: i64,
    /// The file it came from.
    pub name: &'static str,
    /// The SQL.
    pub sql: &'static str,
}

/// Every migration, in order. A test checks this list against the folder.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "0001_initial.sql",
        sql: include_str!("../../../migrations/sqlite/0001_initial.sql"),
    },
    Migration {
        version: 2,
        name: "0002_calls.sql",
        sql: include_str!("../../../migrations/sqlite/0002_calls.sql"),
    },
    Migration {
        version: 3,
        name: "0003_outbox.sql",
        sql: include_str!("../../../migrations/sqlite/0003_outbox.sql"),
    },
    Migration {
        version: 4,
        name: "0004_shop_settings.sql",
        sql: include_str!("../../../migrations/sqlite/0004_shop_settings.sql"),
    },
    Migration {
        version: 5,
        name: "0005_menus_and_orders.sql",
        sql: include_str!("../../../migrations/sqlite/0005_menus_and_orders.sql"),
    },
    Migration {
        version: 6,
        name: "0006_busy_mode_and_voice_gender.sql",
        sql: include_str!("../../../migrations/sqlite/0006_busy_mode_and_voice_gender.sql"),
    },
    Migration {
        version: 7,
        name: "0007_call_outcomes.sql",
        sql: include_str!("../../../migrations/sqlite/0007_call_outcomes.sql"),
    },
    Migration {
        version: 8,
        name: "0008_call_cards.sql",
        sql: include_str!("../../../migrations/sqlite/0008_call_cards.sql"),
    },
    Migration {
        version: 9,
        name: "0009_order_changes.sql",
        sql: include_str!("../../../migrations/sqlite/0009_order_changes.sql"),
    },
    Migration {
        version: 10,
        name: "0010_session_roles.sql",
        sql: include_str!("../../../migrations/sqlite/0010_session_roles.sql"),
    },
    Migration {
        version: 11,
        name: "0011_ai_caps_and_cost.sql",
        sql: include_str!("../../../migrations/sqlite/0011_ai_caps_and_cost.sql"),
    },
    Migration {
        version: 12,
        name: "0012_call_reason_codes.sql",
        sql: include_str!("../../../migrations/sqlite/0012_call_reason_codes.sql"),
    },
    Migration {
        version: 13,
        name: "0013_riders.sql",
        sql: include_str!("../../../migrations/sqlite/0013_riders.sql"),
    },
    Migration {
        version: 14,
        name: "0014_printers.sql",
        sql: include_str!("../../../migrations/sqlite/0014_printers.sql"),
    },
    Migration {
        version: 15,
        name: "0015_voice_engines.sql",
        sql: include_str!("../../../migrations/sqlite/0015_voice_engines.sql"),
    },
];

/// Migrations that rebuild a table other tables reference (SQLite's way to change a CHECK):
/// they run with foreign keys off, so dropping the old table neither cascades nor fails, and
/// the references are checked before they commit.
const REBUILDS: &[i64] = &[13];

/// Runs one migration and its version bump in one transaction; `check_references` fails it
/// (nothing applied) when a row then points at a row that is not there.
fn apply(conn: &mut Connection, m: &Migration, check_references: bool) -> Result<(), StoreError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    tx.execute_batch(m.sql)?;
    if check_references {
        let broken: i64 =
            tx.query_row("SELECT COUNT(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })?;
        if broken > 0 {
            return Err(StoreError::Corrupt(format!(
                "migration {} would leave {broken} rows pointing at missing rows; nothing was changed",
                m.name
            )));
        }
    }
    tx.pragma_update(None, "user_version", m.version)?;
    tx.commit()?;
    Ok(())
}

/// The schema version this build writes.
pub fn latest_version() -> i64 {
    MIGRATIONS.last().map_or(0, |m| m.version)
}

/// The schema version of a database.
pub fn current_version(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn.pragma_query_value(None, "user_version", |r| r.get(0))?)
}

/// Brings the database up to [`latest_version`], or refuses it when it is newer.
pub fn run(conn: &mut Connection, path: &Path) -> Result<(), StoreError> {
    let found = current_version(conn)?;
    let supported = latest_version();
    if found > supported {
        return Err(StoreError::TooNew {
            path: path.display().to_string(),
            found,
            supported,
        });
    }
    for m in MIGRATIONS.iter().filter(|m| m.version > found) {
        if REBUILDS.contains(&m.version) {
            // `foreign_keys` cannot change inside a transaction: off around it, then back.
            let was_on: bool = conn.pragma_query_value(None, "foreign_keys", |r| r.get(0))?;
            conn.pragma_update(None, "foreign_keys", false)?;
            let applied = apply(conn, m, true);
            conn.pragma_update(None, "foreign_keys", was_on)?;
            applied?;
        } else {
            apply(conn, m, false)?;
        }
        tracing::info!(
            version = m.version,
            name = m.name,
            "applied database migration"
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_in_the_migrations_folder_is_listed_in_order() {
        let manifest =
            std::env::var("CARGO_MANIFEST_DIR").unwrap_or(env!("CARGO_MANIFEST_DIR").into());
        let dir = Path::new(&manifest).join("../../migrations/sqlite");
        let mut files: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".sql"))
            .collect();
        files.sort();
        let listed: Vec<&str> = MIGRATIONS.iter().map(|m| m.name).collect();
        assert_eq!(files, listed);
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(
                m.version,
                i as i64 + 1,
                "versions are 1, 2, 3 … without gaps"
            );
            assert!(
                m.name.starts_with(&format!("{:04}_", m.version)),
                "{} is numbered {}",
                m.name,
                m.version
            );
        }
    }

    #[test]
    fn all_migrations_apply_to_an_empty_database_and_reapplying_is_a_no_op() {
        let mut conn = Connection::open_in_memory().unwrap();
        run(&mut conn, Path::new(":memory:")).unwrap();
        assert_eq!(current_version(&conn).unwrap(), latest_version());
        let tables: Vec<String> = conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        for t in [
            "menu_document",
            "order_events",
            "order_items",
            "orders",
            "outbox",
            "sessions",
            "settings",
            "shop_settings",
        ] {
            assert!(tables.iter().any(|x| x == t), "table {t} in {tables:?}");
        }
        run(&mut conn, Path::new(":memory:")).unwrap();
        assert_eq!(current_version(&conn).unwrap(), latest_version());
    }

    #[test]
    fn orders_table_keeps_the_seed_columns() {
        let mut conn = Connection::open_in_memory().unwrap();
        run(&mut conn, Path::new(":memory:")).unwrap();
        let cols: Vec<String> = conn
            .prepare("SELECT name FROM pragma_table_info('orders')")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        for c in [
            "id",
            "flavour",
            "size",
            "drink",
            "address",
            "customer_name",
            "customer_phone",
            "order_time",
            "status",
        ] {
            assert!(cols.iter().any(|x| x == c), "seed column {c}");
        }
    }

    #[test]
    fn the_riders_migration_rebuilds_orders_keeping_every_row_reference_and_trigger() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "foreign_keys", true).unwrap();
        for m in MIGRATIONS.iter().filter(|m| m.version <= 12) {
            conn.execute_batch(m.sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 12).unwrap();
        conn.execute_batch(
            "INSERT INTO orders (flavour, size, drink, address, order_time, status, uuid, number,
                                 business_date, total_paisa, source, updated_at, payment_method)
             VALUES ('Fajita', 'Large', NULL, 'Gulberg', 't', 'ready', 'u1', 7, '2026-12-04',
                     219900, 'staff', 't', 'card');
             INSERT INTO order_items (order_id, position, item_id, name, kind, size_id,
                                      size_label, quantity, unit_price_paisa, line_total_paisa)
             VALUES (1, 0, 'fajita', 'Fajita', 'pizza', 'large', 'Large', 1, 219900, 219900);
             INSERT INTO order_events (order_id, from_status, to_status, actor, at)
             VALUES (1, NULL, 'new', 'chef', 't');
             INSERT INTO calls (call_sid, started_at, order_id) VALUES ('CA1', 't', 1);",
        )
        .unwrap();
        assert!(
            conn.execute("UPDATE orders SET status = 'out_for_delivery'", [])
                .is_err(),
            "before 0013 the CHECK refuses the new statuses"
        );
        // An order deleted earlier: its id is not given out again.
        conn.execute(
            "UPDATE sqlite_sequence SET seq = 40 WHERE name = 'orders'",
            [],
        )
        .unwrap();
        let queued: i64 = conn
            .query_row("SELECT COUNT(*) FROM outbox", [], |r| r.get(0))
            .unwrap();
        run(&mut conn, Path::new(":memory:")).unwrap();
        let foreign_keys: bool = conn
            .pragma_query_value(None, "foreign_keys", |r| r.get(0))
            .unwrap();
        assert!(foreign_keys, "foreign keys are back on");
        let kept: (String, i64, String, i64, i64, i64) = conn
            .query_row(
                "SELECT o.payment_method, o.number, o.status,
                        (SELECT COUNT(*) FROM order_items WHERE order_id = o.id),
                        (SELECT COUNT(*) FROM order_events WHERE order_id = o.id),
                        (SELECT COUNT(*) FROM calls WHERE order_id = o.id)
                 FROM orders o",
                [],
                |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                    ))
                },
            )
            .unwrap();
        assert_eq!(kept, ("card".to_string(), 7, "ready".to_string(), 1, 1, 1));
        for s in ["out_for_delivery", "returned", "collected"] {
            conn.execute("UPDATE orders SET status = ?1", [s]).unwrap();
        }
        assert!(
            conn.execute("UPDATE orders SET status = 'lost'", [])
                .is_err()
        );
        let queued_after: i64 = conn
            .query_row("SELECT COUNT(*) FROM outbox", [], |r| r.get(0))
            .unwrap();
        assert_eq!(queued_after, queued + 3, "the sync triggers fire again");
        conn.execute_batch(
            "INSERT INTO orders (flavour, size, address, order_time, uuid, number, business_date,
                                 total_paisa, source, updated_at)
             VALUES ('Fajita', 'Large', 'Gulberg', 't', 'u2', 8, '2026-12-04', 1, 'staff', 't');",
        )
        .unwrap();
        assert_eq!(
            conn.last_insert_rowid(),
            41,
            "ids carry on from the old table"
        );
        conn.execute("DELETE FROM outbox WHERE order_id = 41", [])
            .unwrap();
        conn.execute("DELETE FROM orders WHERE id = 41", [])
            .unwrap();
        // A deleted order still takes its items with it.
        conn.execute("DELETE FROM calls", []).unwrap();
        conn.execute("DELETE FROM orders", []).unwrap();
        let items: i64 = conn
            .query_row("SELECT COUNT(*) FROM order_items", [], |r| r.get(0))
            .unwrap();
        assert_eq!(items, 0);
    }

    #[test]
    fn the_call_outcome_migration_keeps_calls_and_transcripts_and_takes_the_new_outcomes() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "foreign_keys", true).unwrap();
        for m in MIGRATIONS.iter().filter(|m| m.version <= 6) {
            conn.execute_batch(m.sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 6).unwrap();
        conn.execute_batch(
            "INSERT INTO calls (call_sid, started_at, outcome) VALUES ('CA1', 't', 'abandoned');
             INSERT INTO call_transcript (call_id, speaker, text, at) VALUES (1, 'ai', 'salam', 't');",
        )
        .unwrap();
        assert!(
            conn.execute("UPDATE calls SET outcome = 'enquiry'", [])
                .is_err(),
            "before 0007 the CHECK refuses the new outcomes"
        );
        run(&mut conn, Path::new(":memory:")).unwrap();
        let kept: (String, String) = conn
            .query_row(
                "SELECT c.outcome, t.text FROM calls c JOIN call_transcript t ON t.call_id = c.id",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(kept, ("abandoned".to_string(), "salam".to_string()));
        for o in [
            "status",
            "cancelled",
            "changed",
            "enquiry",
            "complaint",
            "wrong_number",
        ] {
            conn.execute("UPDATE calls SET outcome = ?1", [o]).unwrap();
        }
        assert!(
            conn.execute("UPDATE calls SET outcome = 'bogus'", [])
                .is_err()
        );
        conn.execute("DELETE FROM calls", []).unwrap();
        let lines: i64 = conn
            .query_row("SELECT COUNT(*) FROM call_transcript", [], |r| r.get(0))
            .unwrap();
        assert_eq!(lines, 0, "the transcript still follows its call");
    }

    #[test]
    fn calls_logged_before_reason_codes_get_theirs_from_the_old_sentences() {
        let mut conn = Connection::open_in_memory().unwrap();
        for m in MIGRATIONS.iter().filter(|m| m.version <= 11) {
            conn.execute_batch(m.sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 11).unwrap();
        let old = [
            (
                "transferred",
                Some("AI answering is paused"),
                Some("answering_paused"),
            ),
            (
                "failed",
                Some("no OpenAI API key is configured"),
                Some("no_openai_key"),
            ),
            (
                "failed",
                Some("PUBLIC_BASE_URL is not configured"),
                Some("no_public_url"),
            ),
            (
                "transferred",
                Some("the caller asked for a person"),
                Some("caller_asked_for_person"),
            ),
            (
                "transferred",
                Some("4 calls were already with the AI (the shop's cap on calls at once)"),
                Some("concurrent_cap"),
            ),
            (
                "transferred",
                Some(
                    "this number already called 6 times in the last hour (the shop's cap per caller)",
                ),
                Some("caller_hourly_cap"),
            ),
            (
                "failed",
                Some("today's 300 AI minutes are used up (the shop's daily AI budget)"),
                Some("daily_budget"),
            ),
            (
                "failed",
                Some("the AI connection dropped"),
                Some("ai_failed"),
            ),
            ("transferred", Some("cold pizza"), None),
            ("abandoned", None, None),
        ];
        for (i, (outcome, reason, _)) in old.iter().enumerate() {
            conn.execute(
                "INSERT INTO calls (call_sid, started_at, outcome, outcome_reason) VALUES (?1, 't', ?2, ?3)",
                r2d2_sqlite::rusqlite::params![format!("CA{i}"), outcome, reason],
            )
            .unwrap();
        }
        run(&mut conn, Path::new(":memory:")).unwrap();
        for (i, (_, reason, code)) in old.iter().enumerate() {
            let (kept, got): (Option<String>, Option<String>) = conn
                .query_row(
                    "SELECT outcome_reason, outcome_reason_code FROM calls WHERE call_sid = ?1",
                    [format!("CA{i}")],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .unwrap();
            assert_eq!(kept.as_deref(), *reason, "the words are kept");
            assert_eq!(got.as_deref(), *code, "{reason:?}");
        }
    }

    #[test]
    fn a_database_from_a_newer_version_is_refused_with_a_clear_message() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", latest_version() + 5)
            .unwrap();
        let err = run(&mut conn, Path::new("/shop/melt8.db")).unwrap_err();
        let msg = err.to_string();
        assert!(matches!(err, StoreError::TooNew { .. }));
        assert!(
            msg.contains("newer version of Melt 8 Kitchen") && msg.contains("/shop/melt8.db"),
            "{msg}"
        );
        assert_eq!(
            current_version(&conn).unwrap(),
            latest_version() + 5,
            "left untouched"
        );
    }
}
