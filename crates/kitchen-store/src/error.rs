//! What can go wrong in the store, in terms the server can map to a response.

use kitchen_domain::StatusError;

/// A store failure.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Another writer held the database longer than the busy timeout.
    #[error("the database is busy (another program is writing to it); try again in a moment")]
    Busy,
    /// The database was written by a newer version of the app.
    #[error(
        "the database {path} was written by a newer version of Melt 8 Kitchen (schema version {found}; this version knows up to {supported}). Install the newer version again, or start with another --data-dir"
    )]
    TooNew {
        /// The database file.
        path: String,
        /// Its schema version.
        found: i64,
        /// The newest this build knows.
        supported: i64,
    },
    /// No such row.
    #[error("not found")]
    NotFound,
    /// The idempotency key was used before for a different order.
    #[error(
        "this Idempotency-Key was already used for a different order; use a new key for a new order"
    )]
    IdempotencyConflict,
    /// The status change is not allowed.
    #[error(transparent)]
    Status(#[from] StatusError),
    /// The order can no longer be changed (it is past `new`).
    #[error(transparent)]
    NotEditable(#[from] crate::orders::NotEditable),
    /// A recall of an order that is not delivered or cancelled.
    #[error(transparent)]
    NotRecallable(#[from] crate::orders::NotRecallable),
    /// An undo was refused.
    #[error(transparent)]
    Undo(#[from] crate::orders::UndoError),
    /// A rider's cash was marked collected against an amount that is no longer theirs.
    #[error(
        "the rider's cash has changed since it was shown ({expected} paisa then, {now} now: a delivery came in or was undone); look at the new amount and mark it again"
    )]
    CashChanged {
        /// What the screen showed, paisa.
        expected: i64,
        /// What the cash-up counts now, paisa.
        now: i64,
    },
    /// A stored row does not hold what the schema promises.
    #[error("the database holds a value it should not: {0}")]
    Corrupt(String),
    /// A file operation failed.
    #[error("{what}: {source}")]
    Io {
        /// What we were doing.
        what: String,
        /// The OS error.
        source: std::io::Error,
    },
    /// Any other SQLite error.
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
    /// The blocking task failed.
    #[error("database task failed: {0}")]
    Task(String),
}

use r2d2_sqlite::rusqlite;

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
                StoreError::Busy
            }
            _ => StoreError::Sqlite(e),
        }
    }
}

impl From<r2d2::Error> for StoreError {
    /// The pool only fails by timing out: every connection is busy.
    fn from(_: r2d2::Error) -> Self {
        StoreError::Busy
    }
}
