//! The target's schema: numbered SQL files from `migrations/postgres/`, embedded.
//!
//! `melt8_schema` records which were applied. All pending ones run in one transaction under
//! an advisory lock, so two shops starting their sync at the same moment against one
//! database migrate it once, and a failure leaves it as it was. A database migrated by a
//! newer version of the app is left alone: the sync reports it instead of writing.

use crate::SyncError;
use tokio_postgres::Client;

/// One migration of the target.
#[derive(Debug)]
pub struct PgMigration {
    /// 1, 2, 3, … with no gaps.
    pub version: i32,
    /// The file it came from.
    pub name: &'static str,
    /// The SQL.
    pub sql: &'static str,
}

/// Every migration of the target, in order. A test checks this list against the folder.
pub const PG_MIGRATIONS: &[PgMigration] = &[
    PgMigration {
        version: 1,
        name: "0001_initial.sql",
        sql: include_str!("../../../migrations/postgres/0001_initial.sql"),
    },
    PgMigration {
        version: 2,
        name: "0002_fulfilment_payment_bill.sql",
        sql: include_str!("../../../migrations/postgres/0002_fulfilment_payment_bill.sql"),
    },
    PgMigration {
        version: 3,
        name: "0003_riders.sql",
        sql: include_str!("../../../migrations/postgres/0003_riders.sql"),
    },
];

/// Any constant: the key of the advisory lock that serialises migrations.
const MIGRATION_LOCK: i64 = 0x6d65_6c74_3873;

/// The target's schema version this build writes.
pub fn latest_version() -> i32 {
    PG_MIGRATIONS.last().map_or(0, |m| m.version)
}

/// Brings the target up to [`latest_version`]; returns the versions applied now.
pub async fn migrate(client: &mut Client) -> Result<Vec<i32>, SyncError> {
    let tx = client.transaction().await?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .await?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS melt8_schema (
             version    INTEGER PRIMARY KEY,
             name       TEXT NOT NULL,
             applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
         )",
    )
    .await?;
    let found: i32 = tx
        .query_one("SELECT COALESCE(MAX(version), 0) FROM melt8_schema", &[])
        .await?
        .get(0);
    if found > latest_version() {
        return Err(SyncError::TargetTooNew {
            found,
            supported: latest_version(),
        });
    }
    let mut applied = Vec::new();
    for m in PG_MIGRATIONS.iter().filter(|m| m.version > found) {
        tx.batch_execute(m.sql).await?;
        tx.execute(
            "INSERT INTO melt8_schema (version, name) VALUES ($1, $2)",
            &[&m.version, &m.name],
        )
        .await?;
        applied.push(m.version);
    }
    tx.commit().await?;
    Ok(applied)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_in_the_postgres_folder_is_listed_in_order() {
        // The checkout the tests run in (a cached test binary may come from another one).
        let manifest =
            std::env::var("CARGO_MANIFEST_DIR").unwrap_or(env!("CARGO_MANIFEST_DIR").into());
        let dir = std::path::Path::new(&manifest).join("../../migrations/postgres");
        let mut files: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".sql"))
            .collect();
        files.sort();
        let listed: Vec<&str> = PG_MIGRATIONS.iter().map(|m| m.name).collect();
        assert_eq!(files, listed);
        for (i, m) in PG_MIGRATIONS.iter().enumerate() {
            assert_eq!(m.version, i as i32 + 1);
            assert!(m.name.starts_with(&format!("{:04}_", m.version)));
        }
    }
}
