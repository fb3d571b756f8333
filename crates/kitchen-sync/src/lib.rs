//! Optional PostgreSQL sync of Melt 8 Kitchen.
//!
//! SQLite on the shop's PC stays the source of truth. When `DATABASE_URL` names a PostgreSQL
//! database, every order change already has an outbox row (written by the store in the same
//! transaction, see `kitchen_store::OutboxBatch`); the [`SyncWorker`] drains the outbox into
//! the target with idempotent upserts keyed by the shop's id and the order's UUID, including
//! items and the status history, and backs off exponentially while the target is away.
//! Several shops can share one target: their orders stay apart by `shop_id`.
//!
//! - [`target`]: `DATABASE_URL` parsed and redacted; connections (rustls TLS on request).
//! - [`schema`]: the target's migrations (`migrations/postgres/`).
//! - [`push`]: one batch in one transaction.
//! - [`shop`]: the shop's id.
//! - [`worker`]: setup, the worker loop and the status shown on `/health`.

pub mod push;
pub mod schema;
pub mod shop;
pub mod target;
pub mod worker;

pub use target::{DatabaseUrl, Target};
pub use worker::{
    Drained, Now, SyncConfig, SyncHandle, SyncOptions, SyncStatus, SyncWorker, setup,
};

use std::time::Duration;

/// Why a sync step failed. Messages are one sentence; [`Target::scrub`] removes any password
/// before one is shown or logged.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// Could not reach or log in to the target.
    #[error("{0}")]
    Connect(String),
    /// The target refused or lost a statement.
    #[error("PostgreSQL: {}", error_chain(.0))]
    Postgres(#[from] tokio_postgres::Error),
    /// The target's schema was written by a newer app.
    #[error(
        "the target database was set up by a newer version of Melt 8 Kitchen (schema {found}; this version knows up to {supported}); update this shop's app"
    )]
    TargetTooNew {
        /// The target's version.
        found: i32,
        /// The newest this build knows.
        supported: i32,
    },
    /// The target did not answer in time.
    #[error("PostgreSQL did not answer within {0:?}")]
    Timeout(Duration),
    /// The local database failed.
    #[error("the shop database: {0}")]
    Store(#[from] kitchen_store::StoreError),
    /// A setting is unusable.
    #[error("{0}")]
    Config(String),
}

/// An error with its causes, `a: b: c` (the driver's own message names only the kind).
pub(crate) fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        let text = c.to_string();
        if !out.ends_with(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        cause = c.source();
    }
    out
}
