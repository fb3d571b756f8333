//! The shop's database: one SQLite file in the data folder.
//!
//! [`Store`] owns a small pool of connections (WAL, busy timeout, foreign keys, full sync so
//! an acknowledged order survives a crash). Every repository function is synchronous and
//! takes a connection; the async methods on `Store` run them on tokio's blocking pool, so
//! no database work ever runs on the async executor. The shop's settings are one typed row
//! ([`Store::shop_settings`], migration 0004); only the settings service writes them.

pub mod backup;
mod call_cards;
mod calls;
mod cashup;
mod error;
mod export;
pub mod files;
mod menu;
pub mod migrate;
mod orders;
mod outbox;
mod print_jobs;
pub use print_jobs::{NewPrintJob, PrintJob, QueueState};
mod sessions;
pub use sessions::{SessionRecord, SessionRole};
mod settings;
mod shop_settings;
mod time;

pub use calls::{CallUpdate, LastDelivery};
pub use error::StoreError;
pub use export::{
    CSV_COLUMNS, OWNER_CSV_COLUMNS, UTF8_BOM, orders_csv, owner_orders_csv, shop_date,
};
pub use orders::{
    CreatedOrder, Dispatch, NotEditable, NotRecallable, OrderFilter, OrderMeta, PhoneFilter,
    UndoError,
};
// Plain call-log and summary types live in the domain; re-exported under their old names.
pub use kitchen_domain::{CallOutcome, CallRecord, DaySummary, TranscriptLine};
pub use outbox::{OutboxBatch, SyncEvent, SyncItem, SyncOrder};
pub use r2d2_sqlite::rusqlite;

use kitchen_domain::{Menu, NewOrder, Order, OrderStatus};
use r2d2::{Pool, PooledConnection};
use r2d2_sqlite::SqliteConnectionManager;
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// The name of the database file inside the data folder.
pub const DB_FILE_NAME: &str = "melt8.db";

/// How the store opens its database.
#[derive(Debug, Clone)]
pub struct StoreOptions {
    /// How long a write waits for another writer before giving up with [`StoreError::Busy`].
    pub busy_timeout: Duration,
    /// Connections in the pool.
    pub max_connections: u32,
}

impl Default for StoreOptions {
    fn default() -> Self {
        StoreOptions {
            busy_timeout: Duration::from_secs(5),
            max_connections: 8,
        }
    }
}

/// A handle to the shop's database. Cheap to clone.
#[derive(Clone)]
pub struct Store {
    pool: Pool<SqliteConnectionManager>,
    path: PathBuf,
    /// The menu last read, with the stored text it came from (see [`menu::MenuCache`]).
    menu_cache: menu::MenuCache,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Opens (creating if needed) the database at `path`, refuses one written by a newer
    /// version, and applies pending migrations. Blocking: call it before serving, or from a
    /// blocking task.
    pub fn open(path: &Path, options: &StoreOptions) -> Result<Store, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| StoreError::Io {
                what: format!("creating the data folder {}", dir.display()),
                source: e,
            })?;
        }
        let private = |e: std::io::Error| StoreError::Io {
            what: format!("making {} readable by this user only", path.display()),
            source: e,
        };
        // Created 0600 before SQLite opens it; one created wider by an older version is
        // narrowed here (and its -wal/-shm below, once WAL has created them).
        files::create_private(path).map_err(private)?;
        files::make_private(path).map_err(private)?;
        {
            let mut conn = Connection::open(path)?;
            configure(&conn, options.busy_timeout)?;
            // WAL is a property of the file: set once, kept by every later connection.
            conn.pragma_update(None, "journal_mode", "WAL")?;
            migrate::run(&mut conn, path)?;
            files::make_private(path).map_err(private)?;
        }
        let busy = options.busy_timeout;
        let manager = SqliteConnectionManager::file(path).with_init(move |c| configure(c, busy));
        let pool = Pool::builder()
            .max_size(options.max_connections)
            .connection_timeout(busy + Duration::from_secs(1))
            .build(manager)?;
        Ok(Store {
            pool,
            path: path.to_path_buf(),
            menu_cache: menu::MenuCache::default(),
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A pooled connection, for blocking code (tests, command-line tools).
    pub fn conn(&self) -> Result<PooledConnection<SqliteConnectionManager>, StoreError> {
        Ok(self.pool.get()?)
    }

    /// Runs `f` with a connection on the blocking pool.
    pub async fn call<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let pool = self.pool.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = pool.get()?;
            f(&mut conn)
        })
        .await
        .map_err(|e| StoreError::Task(e.to_string()))?
    }

    /// Saves a new order (or finds the one saved earlier under the same idempotency key).
    pub async fn create_order(
        &self,
        order: NewOrder,
        meta: OrderMeta,
    ) -> Result<CreatedOrder, StoreError> {
        self.call(move |c| orders::create(c, &order, &meta)).await
    }

    /// Replaces a `new` order with a re-priced one (same number, id and time), recording
    /// who changed it; refused once the kitchen has started it.
    pub async fn amend_order(
        &self,
        id: i64,
        order: NewOrder,
        actor: String,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<Order, StoreError> {
        self.call(move |c| orders::amend(c, id, &order, &actor, at))
            .await
    }

    /// Orders, revenue, cancellations and time to ready of one business day.
    pub async fn day_summary(&self, date: chrono::NaiveDate) -> Result<DaySummary, StoreError> {
        self.call(move |c| orders::day_summary(c, date)).await
    }

    /// Puts an order back to its status before its last change, if that change is younger
    /// than `window`; recorded in the history with reason `undo`.
    pub async fn undo_last_change(
        &self,
        id: i64,
        actor: String,
        at: chrono::DateTime<chrono::Utc>,
        window: chrono::Duration,
    ) -> Result<Order, StoreError> {
        self.call(move |c| orders::undo_last_change(c, id, &actor, at, window))
            .await
    }

    /// Brings a delivered or collected order back to ready, or a cancelled one back to the status it was
    /// cancelled from; recorded in the history with reason `recall`.
    pub async fn recall_order(
        &self,
        id: i64,
        actor: String,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<Order, StoreError> {
        self.call(move |c| orders::recall(c, id, &actor, at)).await
    }

    /// Moves an order to `to`, recording who did it, and returns the updated order.
    pub async fn change_status(
        &self,
        id: i64,
        to: OrderStatus,
        reason: Option<String>,
        actor: String,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<Order, StoreError> {
        self.change_status_with_rider(id, to, reason, None, actor, at)
            .await
    }

    /// [`change_status`](Self::change_status) that, for `out_for_delivery`, names the rider
    /// it goes out with (kept on the order as at dispatch, with the dispatch time; `None`:
    /// no rider named).
    pub async fn change_status_with_rider(
        &self,
        id: i64,
        to: OrderStatus,
        reason: Option<String>,
        rider: Option<Dispatch>,
        actor: String,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<Order, StoreError> {
        self.call(move |c| {
            orders::change_status(
                c,
                id,
                None,
                to,
                reason.as_deref(),
                rider.as_ref(),
                &actor,
                at,
            )
        })
        .await
    }

    /// The cash-up of business day `date`, by payment method (`methods` first, in that
    /// order) and by rider (`riders` first, then removed riders who went out that day).
    pub async fn cashup(
        &self,
        date: chrono::NaiveDate,
        riders: Vec<kitchen_domain::Rider>,
        methods: Vec<kitchen_domain::PaymentMethod>,
    ) -> Result<kitchen_domain::CashUp, StoreError> {
        self.call(move |c| cashup::cashup(c, date, &riders, &methods))
            .await
    }

    /// Marks a rider's cash of day `date` as handed in, for the amount the cash-up computes
    /// now, by `by` at `at`; returns the day's cash-up, or `None` when that day knows no
    /// such rider (not in `riders`, and did not go out). With `expected`, a different amount
    /// now is refused ([`StoreError::CashChanged`]).
    #[allow(clippy::too_many_arguments)]
    pub async fn mark_cash_collected(
        &self,
        date: chrono::NaiveDate,
        rider_id: String,
        expected: Option<i64>,
        riders: Vec<kitchen_domain::Rider>,
        methods: Vec<kitchen_domain::PaymentMethod>,
        by: String,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<Option<kitchen_domain::CashUp>, StoreError> {
        self.call(move |c| {
            cashup::mark_collected(c, date, &rider_id, expected, &riders, &methods, &by, at)
        })
        .await
    }

    /// Takes back a rider's "collected" mark of day `date`; the day's cash-up, or `None`
    /// when that day knows no such rider.
    pub async fn unmark_cash_collected(
        &self,
        date: chrono::NaiveDate,
        rider_id: String,
        riders: Vec<kitchen_domain::Rider>,
        methods: Vec<kitchen_domain::PaymentMethod>,
    ) -> Result<Option<kitchen_domain::CashUp>, StoreError> {
        self.call(move |c| cashup::unmark_collected(c, date, &rider_id, &riders, &methods))
            .await
    }

    /// [`change_status`](Self::change_status), but only while the order is still `from`
    /// (checked in the same write transaction): otherwise `StatusError::InvalidTransition`
    /// naming the status it has, and nothing changes. For a change that was decided on
    /// the order as it was read a moment ago (the phone AI cancelling a `new` order).
    pub async fn change_status_from(
        &self,
        id: i64,
        from: OrderStatus,
        to: OrderStatus,
        reason: Option<String>,
        actor: String,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<Order, StoreError> {
        self.call(move |c| {
            orders::change_status(c, id, Some(from), to, reason.as_deref(), None, &actor, at)
        })
        .await
    }

    /// One order with its items and status history.
    pub async fn order(&self, id: i64) -> Result<Order, StoreError> {
        self.call(move |c| orders::get(c, id)).await
    }

    /// The order numbered `number` on business day `date` (the number shouted in the
    /// kitchen), with its history; `None` when that day has no such number.
    pub async fn order_by_number(
        &self,
        date: chrono::NaiveDate,
        number: u32,
    ) -> Result<Option<Order>, StoreError> {
        self.call(move |c| orders::by_number(c, date, number)).await
    }

    /// How many orders are open on the board (`new` or `preparing`): busy mode's count.
    pub async fn open_order_count(&self) -> Result<u32, StoreError> {
        self.call(|c| {
            let n: i64 = c.query_row(
                "SELECT COUNT(*) FROM orders WHERE status IN ('new', 'preparing')",
                [],
                |r| r.get(0),
            )?;
            Ok(u32::try_from(n).unwrap_or(u32::MAX))
        })
        .await
    }

    /// Orders matching `filter`, newest first, with their items.
    pub async fn orders(&self, filter: OrderFilter) -> Result<Vec<Order>, StoreError> {
        self.call(move |c| orders::list(c, &filter)).await
    }

    /// The current menu, shared: every reader of an unchanged menu gets the same parsed copy.
    pub async fn menu(&self) -> Result<Arc<Menu>, StoreError> {
        let cache = self.menu_cache.clone();
        self.call(move |c| menu::load_cached(c, &cache)).await
    }

    /// Replaces the whole menu.
    pub async fn replace_menu(&self, new: Menu) -> Result<(), StoreError> {
        self.call(move |c| menu::replace(c, &new)).await
    }

    /// Stores `menu` if the shop has none yet (first start). True when it did.
    pub async fn seed_menu_if_empty(&self, default: Menu) -> Result<bool, StoreError> {
        self.call(move |c| menu::seed_if_empty(c, &default)).await
    }

    /// A setting's value.
    pub async fn setting(&self, key: &'static str) -> Result<Option<String>, StoreError> {
        self.call(move |c| settings::get(c, key)).await
    }

    /// Several settings in one read: each key with its value, if set.
    pub async fn settings(
        &self,
        keys: &'static [&'static str],
    ) -> Result<Vec<Option<String>>, StoreError> {
        self.call(move |c| keys.iter().map(|k| settings::get(c, k)).collect())
            .await
    }

    /// Sets a setting.
    pub async fn set_setting(&self, key: &'static str, value: String) -> Result<(), StoreError> {
        self.call(move |c| settings::set(c, key, &value)).await
    }

    /// Writes several settings in one transaction: `Some` sets a key, `None` removes it.
    pub async fn update_settings(
        &self,
        changes: Vec<(&'static str, Option<String>)>,
    ) -> Result<(), StoreError> {
        self.call(move |c| {
            let tx = c.transaction()?;
            for (key, value) in &changes {
                match value {
                    Some(v) => settings::set(&tx, key, v)?,
                    None => settings::delete(&tx, key)?,
                }
            }
            tx.commit()?;
            Ok(())
        })
        .await
    }

    /// The shop's settings as the owner stored them (no secrets: those live in the secret
    /// store). A stored value that no longer passes its rule counts as unset.
    pub async fn shop_settings(&self) -> Result<kitchen_domain::SettingsLayer, StoreError> {
        self.call(|c| shop_settings::load(c)).await
    }

    /// Applies a settings patch (its secrets ignored) in one transaction and returns the
    /// stored settings after it.
    pub async fn save_shop_settings(
        &self,
        patch: kitchen_domain::SettingsPatch,
    ) -> Result<kitchen_domain::SettingsLayer, StoreError> {
        self.call(move |c| shop_settings::save(c, &patch)).await
    }

    /// Records a login session by the hash of its token, with its role.
    pub async fn create_session(
        &self,
        token_hash: String,
        username: String,
        role: SessionRole,
        now: chrono::DateTime<chrono::Utc>,
        expires: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), StoreError> {
        self.call(move |c| sessions::create(c, &token_hash, &username, role, now, expires))
            .await
    }

    /// The username of a live session, if the token hash names one that has not expired.
    pub async fn session_user(
        &self,
        token_hash: String,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Option<String>, StoreError> {
        Ok(self.session(token_hash, now).await?.map(|s| s.username))
    }

    /// A live session (who, which role, until when), if the token hash names one that has
    /// not expired.
    pub async fn session(
        &self,
        token_hash: String,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Option<SessionRecord>, StoreError> {
        self.call(move |c| sessions::find(c, &token_hash, now))
            .await
    }

    /// Ends a session.
    pub async fn delete_session(&self, token_hash: String) -> Result<(), StoreError> {
        self.call(move |c| sessions::delete(c, &token_hash)).await
    }

    /// Ends every session (after the password changed). Returns how many there were.
    pub async fn delete_all_sessions(&self) -> Result<usize, StoreError> {
        self.call(|c| sessions::delete_all(c)).await
    }

    /// Applies call-log changes in one transaction.
    pub async fn log_calls(&self, updates: Vec<CallUpdate>) -> Result<(), StoreError> {
        self.call(move |c| {
            let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            for u in &updates {
                calls::apply(&tx, u)?;
            }
            tx.commit()?;
            Ok(())
        })
        .await
    }

    /// The latest calls, newest first.
    pub async fn calls(&self, limit: u32) -> Result<Vec<CallRecord>, StoreError> {
        self.call(move |c| calls::list(c, limit)).await
    }

    /// The AI's calls answered within `from..to` (a business day): how many, how many
    /// seconds (live ones up to `now`) and their estimated cost.
    pub async fn ai_usage(
        &self,
        from: chrono::DateTime<chrono::Utc>,
        to: chrono::DateTime<chrono::Utc>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<kitchen_domain::AiUsage, StoreError> {
        self.call(move |c| calls::ai_usage(c, from, to, now)).await
    }

    /// One call with its transcript, its quotes and its call cards.
    pub async fn call_record(&self, call_sid: String) -> Result<CallRecord, StoreError> {
        self.call(move |c| calls::get(c, &call_sid)).await
    }

    /// Saves a call card (open) and returns it as stored.
    pub async fn add_call_card(
        &self,
        card: kitchen_domain::NewCallCard,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<kitchen_domain::CallCard, StoreError> {
        self.call(move |c| call_cards::add(c, &card, at)).await
    }

    /// The open call cards, newest first.
    pub async fn open_call_cards(&self) -> Result<Vec<kitchen_domain::CallCard>, StoreError> {
        self.call(|c| call_cards::open(c)).await
    }

    /// Marks call card `id` done by `by`: the card, and whether this changed it (a card
    /// already done is left as it was). [`StoreError::NotFound`] for an unknown id.
    pub async fn finish_call_card(
        &self,
        id: i64,
        by: String,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<(kitchen_domain::CallCard, bool), StoreError> {
        self.call(move |c| call_cards::done(c, id, &by, at)).await
    }

    /// Resolves the open `unfinished_order` cards of `phone` (E.164) by `by`, because an
    /// order from that phone was placed: the ids resolved.
    pub async fn resolve_unfinished_call_cards(
        &self,
        phone: String,
        by: String,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<Vec<i64>, StoreError> {
        self.call(move |c| call_cards::resolve_unfinished(c, &phone, &by, at))
            .await
    }

    /// Where this phone's last order went.
    pub async fn last_delivery(&self, phone: String) -> Result<Option<LastDelivery>, StoreError> {
        self.call(move |c| calls::last_delivery(c, &phone)).await
    }

    /// Every order of one business day, oldest first (for the CSV export).
    pub async fn orders_of_day(&self, date: chrono::NaiveDate) -> Result<Vec<Order>, StoreError> {
        self.call(move |c| export::orders_of_day(c, date)).await
    }

    /// Up to `limit` outbox rows and the current state of the orders they name.
    pub async fn outbox_batch(&self, limit: u32) -> Result<OutboxBatch, StoreError> {
        self.call(move |c| outbox::batch(c, limit)).await
    }

    /// Deletes outbox rows once their orders are safely in the sync target.
    pub async fn outbox_ack(&self, row_ids: Vec<i64>) -> Result<(), StoreError> {
        self.call(move |c| outbox::ack(c, &row_ids)).await
    }

    /// How many outbox rows wait, and when the oldest was queued.
    pub async fn outbox_pending(
        &self,
    ) -> Result<(u64, Option<chrono::DateTime<chrono::Utc>>), StoreError> {
        self.call(|c| outbox::pending(c)).await
    }

    /// Empties the outbox (sync is off) and forgets the last sync target. Returns how many
    /// rows were dropped.
    pub async fn outbox_clear(&self) -> Result<usize, StoreError> {
        self.call(outbox::clear).await
    }

    /// Queues every order when `target` (shop and database) is not the one the outbox was
    /// last filled for. Returns how many were queued.
    pub async fn outbox_backfill(
        &self,
        target: String,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<usize, StoreError> {
        self.call(move |c| outbox::backfill_for_target(c, &target, now))
            .await
    }

    /// Writes a consistent copy of the database into `dir` (online: orders keep coming in)
    /// and keeps the newest [`backup::KEEP_BACKUPS`]. Returns the new file.
    pub async fn backup_into(
        &self,
        dir: PathBuf,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<PathBuf, backup::BackupError> {
        let pool = self.pool.clone();
        tokio::task::spawn_blocking(move || {
            let conn = pool.get().map_err(|e| backup::BackupError::Io {
                what: "opening the database".into(),
                source: std::io::Error::other(e.to_string()),
            })?;
            backup::backup_into(&conn, &dir, at)
        })
        .await
        .map_err(|e| backup::BackupError::Io {
            what: "the backup task".into(),
            source: std::io::Error::other(e.to_string()),
        })?
    }

    /// Answers whether the database can be read (for `/health`).
    /// Queues print jobs (one transaction); returns their ids in order.
    pub async fn enqueue_print_jobs(
        &self,
        jobs: Vec<NewPrintJob>,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<Vec<i64>, StoreError> {
        self.call(move |c| print_jobs::enqueue(c, &jobs, at)).await
    }

    /// The oldest queued job of a printer.
    pub async fn next_print_job(&self, printer_id: String) -> Result<Option<PrintJob>, StoreError> {
        self.call(move |c| print_jobs::next(c, &printer_id)).await
    }

    /// Marks a print job printed.
    pub async fn print_job_done(
        &self,
        id: i64,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), StoreError> {
        self.call(move |c| print_jobs::done(c, id, at)).await
    }

    /// Forgets print jobs printed before `before`; answers how many.
    pub async fn forget_printed_jobs(
        &self,
        before: chrono::DateTime<chrono::Utc>,
    ) -> Result<usize, StoreError> {
        self.call(move |c| print_jobs::forget_printed(c, before))
            .await
    }

    /// Notes a failed print; the job stays queued.
    pub async fn print_job_failed(&self, id: i64, error: String) -> Result<(), StoreError> {
        self.call(move |c| print_jobs::failed(c, id, &error)).await
    }

    /// Whether `document` was queued for the order before (`auto_only`: on its own; `since`:
    /// at or after that time).
    pub async fn printed_before(
        &self,
        order_id: i64,
        document: &'static str,
        auto_only: bool,
        since: Option<chrono::DateTime<chrono::Utc>>,
    ) -> Result<bool, StoreError> {
        self.call(move |c| print_jobs::queued_before(c, order_id, document, auto_only, since))
            .await
    }

    /// A printer's waiting jobs and last print.
    pub async fn print_queue_state(&self, printer_id: String) -> Result<QueueState, StoreError> {
        self.call(move |c| print_jobs::queue_state(c, &printer_id))
            .await
    }

    pub async fn ping(&self) -> Result<(), StoreError> {
        self.call(|c| Ok(c.query_row("SELECT 1", [], |_| Ok(()))?))
            .await
    }
}

/// Each connection's page cache, in KiB (SQLite's own default, stated so the bound is
/// ours): the server's memory grows by up to this much a pooled connection as the call log
/// and the orders grow, then stays (measured: the soak benchmark, BENCHMARKS.md).
pub const PAGE_CACHE_KIB: i64 = 2000;

/// Settings for every connection. `synchronous=FULL`: a commit is on disk before we tell
/// anyone the order is saved, even if the PC loses power right after.
fn configure(conn: &Connection, busy_timeout: Duration) -> Result<(), rusqlite::Error> {
    conn.busy_timeout(busy_timeout)?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    // Negative: a size in KiB rather than in pages.
    conn.pragma_update(None, "cache_size", -PAGE_CACHE_KIB)?;
    Ok(())
}

/// Keys of the server's own values in the `settings` table. (The shop's settings the owner
/// edits live in the typed `shop_settings` row: [`Store::shop_settings`].)
pub mod keys {
    /// Argon2 PHC string of the chef's password.
    pub const CHEF_PASSWORD_HASH: &str = "chef_password_hash";
    /// This shop's id in a chain's shared PostgreSQL database (`SHOP_ID`).
    pub const SHOP_ID: &str = "shop_id";
    /// The PostgreSQL sync target, when not given by `DATABASE_URL` or `--database-url`.
    pub const DATABASE_URL: &str = "database_url";
    /// Where versions before the secret store kept the OpenAI API key. The server moves a
    /// value found here into its secret store at start and deletes the row.
    pub const OPENAI_API_KEY: &str = "openai_api_key";
    /// Where versions before the secret store kept the Twilio auth token (moved the same way).
    pub const TWILIO_AUTH_TOKEN: &str = "twilio_auth_token";
}
