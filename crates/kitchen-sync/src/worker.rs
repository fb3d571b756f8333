//! The sync worker and its handle.
//!
//! [`setup`] decides at start-up what the sync does: nothing (no `DATABASE_URL`: the outbox
//! is emptied, see `kitchen_store::outbox`), report a bad URL, or run a [`SyncWorker`]. The
//! worker is one testable step, [`SyncWorker::drain_once`] (connect and migrate if needed,
//! send one outbox batch in one PostgreSQL transaction, then delete exactly the rows sent),
//! inside a trivial loop, [`SyncWorker::run`], that waits for a nudge (a new order), a poll
//! tick, or the end of an exponential backoff after a failure. [`SyncHandle`] reports the
//! state for `/health` and the API.

use crate::target::{DatabaseUrl, Target};
use crate::{SyncError, push, schema};
use chrono::{DateTime, Utc};
use kitchen_store::{Store, keys};
use rand::Rng;
use serde::Serialize;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tokio::sync::Notify;
use tokio_postgres::Client;
use tokio_util::sync::CancellationToken;

/// "Now", from the caller's clock.
pub type Now = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// Timing of the worker.
#[derive(Debug, Clone)]
pub struct SyncOptions {
    /// Outbox rows sent in one transaction.
    pub batch_rows: u32,
    /// How often an idle worker checks the outbox and the connection (new orders wake it
    /// at once).
    pub poll_interval: Duration,
    /// The first wait after a failure; each further failure doubles it …
    pub min_backoff: Duration,
    /// … up to this.
    pub max_backoff: Duration,
    /// How long one batch (or connecting and migrating) may take before it counts as failed.
    pub op_timeout: Duration,
}

impl Default for SyncOptions {
    fn default() -> Self {
        SyncOptions {
            batch_rows: 500,
            poll_interval: Duration::from_secs(30),
            min_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(60),
            op_timeout: Duration::from_secs(60),
        }
    }
}

/// What the sync is told at start-up.
#[derive(Debug, Clone, Default)]
pub struct SyncConfig {
    /// `DATABASE_URL` / `--database-url`; when absent, the `database_url` setting is used.
    pub database_url: Option<DatabaseUrl>,
    /// `SHOP_ID`; when absent, the stored one (generated at first start).
    pub shop_id: Option<String>,
    /// Timing.
    pub options: SyncOptions,
}

/// Where the sync stands, as `/health` and `GET /api/sync` show it. Never holds a password.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SyncStatus {
    /// A target is configured (even a malformed one).
    pub enabled: bool,
    /// `off`, `starting`, `ok` or `error`.
    pub state: &'static str,
    /// This shop's id in the target.
    pub shop_id: String,
    /// The target without its password, e.g. `postgres://melt8@db.example.com:5432/chain`.
    pub target: Option<String>,
    /// Changes waiting to be sent (outbox rows).
    pub pending: u64,
    /// When the oldest waiting change was made.
    pub oldest_pending_at: Option<DateTime<Utc>>,
    /// The last time the target answered and took everything sent.
    pub last_success_at: Option<DateTime<Utc>>,
    /// The last failure, in one sentence (cleared by the next success).
    pub last_error: Option<String>,
    /// When it happened.
    pub last_error_at: Option<DateTime<Utc>>,
    /// Failures since the last success.
    pub consecutive_failures: u32,
    /// When the worker tries again after a failure.
    pub next_retry_at: Option<DateTime<Utc>>,
    /// Orders sent since start (an order sent twice counts twice).
    pub orders_sent: u64,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Phase {
    Off,
    Starting,
    Ok,
    Error,
}

#[derive(Debug)]
struct State {
    phase: Phase,
    last_success_at: Option<DateTime<Utc>>,
    last_error: Option<String>,
    last_error_at: Option<DateTime<Utc>>,
    consecutive_failures: u32,
    next_retry_at: Option<DateTime<Utc>>,
    orders_sent: u64,
}

#[derive(Debug)]
struct Shared {
    store: Store,
    shop_id: String,
    target: Option<String>,
    state: Mutex<State>,
    wake: Notify,
}

impl Shared {
    fn state(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock cannot leave the plain fields inconsistent.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Reads the sync's state and wakes the worker. Cheap to clone.
#[derive(Debug, Clone)]
pub struct SyncHandle {
    shared: Arc<Shared>,
}

impl SyncHandle {
    /// This shop's id.
    pub fn shop_id(&self) -> &str {
        &self.shared.shop_id
    }

    /// No target is configured: nothing drains the outbox, so the server empties it now and
    /// then (see `outbox_clear`).
    pub fn is_off(&self) -> bool {
        self.shared.state().phase == Phase::Off
    }

    /// Tells the worker that the outbox has new rows (call after an order committed).
    pub fn nudge(&self) {
        self.shared.wake.notify_one();
    }

    /// The state now, with the outbox's size.
    pub async fn status(&self) -> SyncStatus {
        let pending = self.shared.store.outbox_pending().await;
        let st = self.shared.state();
        let (pending, oldest, store_error) = match pending {
            Ok((n, oldest)) => (n, oldest, None),
            Err(e) => (0, None, Some(format!("cannot read the outbox: {e}"))),
        };
        SyncStatus {
            enabled: st.phase != Phase::Off,
            state: match st.phase {
                Phase::Off => "off",
                Phase::Starting => "starting",
                Phase::Ok => "ok",
                Phase::Error => "error",
            },
            shop_id: self.shared.shop_id.clone(),
            target: self.shared.target.clone(),
            pending,
            oldest_pending_at: oldest,
            last_success_at: st.last_success_at,
            last_error: st.last_error.clone().or(store_error),
            last_error_at: st.last_error_at,
            consecutive_failures: st.consecutive_failures,
            next_retry_at: st.next_retry_at,
            orders_sent: st.orders_sent,
        }
    }
}

/// Sets the sync up: resolves the shop's id, finds the target, empties the outbox when there
/// is none, queues every order when the target is new to this shop. Returns the handle, and
/// the worker to run when there is a usable target. A malformed target is logged once and
/// shown in the status; it never stops the server.
pub async fn setup(
    store: &Store,
    config: &SyncConfig,
    now: Now,
) -> Result<(SyncHandle, Option<SyncWorker>), SyncError> {
    let shop_id = crate::shop::resolve_shop_id(store, config.shop_id.as_deref()).await?;
    let url = match &config.database_url {
        Some(u) => Some(u.clone()),
        None => store
            .setting(keys::DATABASE_URL)
            .await?
            .filter(|u| !u.trim().is_empty())
            .map(DatabaseUrl::new),
    };
    let handle = |phase, target: Option<String>, error: Option<String>| SyncHandle {
        shared: Arc::new(Shared {
            store: store.clone(),
            shop_id: shop_id.clone(),
            target,
            state: Mutex::new(State {
                phase,
                last_success_at: None,
                last_error_at: error.as_ref().map(|_| now()),
                last_error: error,
                consecutive_failures: 0,
                next_retry_at: None,
                orders_sent: 0,
            }),
            wake: Notify::new(),
        }),
    };
    let Some(url) = url else {
        let dropped = store.outbox_clear().await?;
        tracing::debug!(dropped, "PostgreSQL sync is off (no DATABASE_URL)");
        return Ok((handle(Phase::Off, None, None), None));
    };
    let target = match url.parse() {
        Ok(t) => t,
        Err(message) => {
            tracing::error!(
                "PostgreSQL sync is off: {message}. Orders are kept on this PC as always."
            );
            return Ok((
                handle(Phase::Error, Some(url.redacted()), Some(message)),
                None,
            ));
        }
    };
    let queued = store
        .outbox_backfill(format!("{shop_id} {}", target.display()), now())
        .await?;
    if queued > 0 {
        tracing::info!(
            orders = queued,
            target = target.display(),
            "PostgreSQL sync: this shop's orders are queued for a target new to it"
        );
    }
    let h = handle(Phase::Starting, Some(target.display().to_string()), None);
    let worker = SyncWorker {
        shared: h.shared.clone(),
        target,
        options: config.options.clone(),
        now,
        client: None,
    };
    Ok((h, Some(worker)))
}

/// What one [`SyncWorker::drain_once`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Drained {
    /// Outbox rows sent and deleted.
    pub rows: usize,
    /// Distinct orders sent.
    pub orders: usize,
    /// The batch was full: more may wait.
    pub more: bool,
}

/// Sends the outbox to the target.
pub struct SyncWorker {
    shared: Arc<Shared>,
    target: Target,
    options: SyncOptions,
    now: Now,
    client: Option<Client>,
}

impl std::fmt::Debug for SyncWorker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyncWorker")
            .field("target", &self.target)
            .field("connected", &self.client.is_some())
            .finish_non_exhaustive()
    }
}

impl SyncWorker {
    /// One step: connect (and migrate the target) if needed, send one batch, delete the rows
    /// sent. With nothing to send it checks the connection. Records success or failure in
    /// the status; drops the connection after any failure.
    pub async fn drain_once(&mut self) -> Result<Drained, SyncError> {
        let result = tokio::time::timeout(self.options.op_timeout, self.try_drain()).await;
        let result = match result {
            Ok(r) => r,
            Err(_) => Err(SyncError::Timeout(self.options.op_timeout)),
        };
        match &result {
            Ok(d) => self.succeeded(d),
            Err(e) => {
                self.client = None;
                self.failed(e);
            }
        }
        result
    }

    async fn try_drain(&mut self) -> Result<Drained, SyncError> {
        let client = match self.client.take() {
            Some(c) if !c.is_closed() => self.client.insert(c),
            _ => {
                let mut c = self.target.connect().await.map_err(|e| {
                    SyncError::Connect(format!(
                        "cannot connect to {}: {}",
                        self.target.display(),
                        crate::error_chain(&e)
                    ))
                })?;
                let applied = schema::migrate(&mut c).await?;
                if !applied.is_empty() {
                    tracing::info!(
                        target = self.target.display(),
                        versions = ?applied,
                        "PostgreSQL sync: prepared the target's tables"
                    );
                }
                self.client.insert(c)
            }
        };
        let batch = self
            .shared
            .store
            .outbox_batch(self.options.batch_rows)
            .await?;
        if batch.row_ids.is_empty() {
            client.simple_query("").await?;
            return Ok(Drained {
                rows: 0,
                orders: 0,
                more: false,
            });
        }
        push::push(client, &self.shared.shop_id, &batch.orders).await?;
        let rows = batch.row_ids.len();
        self.shared.store.outbox_ack(batch.row_ids).await?;
        Ok(Drained {
            rows,
            orders: batch.orders.len(),
            more: rows >= self.options.batch_rows as usize,
        })
    }

    fn succeeded(&self, d: &Drained) {
        let mut st = self.shared.state();
        match st.phase {
            Phase::Error => tracing::info!(
                target = self.target.display(),
                failures = st.consecutive_failures,
                "PostgreSQL sync works again"
            ),
            Phase::Starting => tracing::info!(
                target = self.target.display(),
                tls = self.target.tls(),
                "PostgreSQL sync connected"
            ),
            _ => {}
        }
        st.phase = Phase::Ok;
        st.last_success_at = Some((self.now)());
        st.last_error = None;
        st.consecutive_failures = 0;
        st.next_retry_at = None;
        st.orders_sent += d.orders as u64;
    }

    fn failed(&self, e: &SyncError) {
        let message = self.target.scrub(&e.to_string());
        let mut st = self.shared.state();
        // One line when the sync starts failing; the retries stay quiet (debug) until it
        // works again, so an unreachable database cannot flood the log.
        if st.phase != Phase::Error {
            tracing::error!(
                "PostgreSQL sync failed: {message}. Orders are safe on this PC and will be sent when it works again; retrying with backoff"
            );
        } else {
            tracing::debug!(
                failures = st.consecutive_failures + 1,
                "PostgreSQL sync failed again: {message}"
            );
        }
        st.phase = Phase::Error;
        st.consecutive_failures = st.consecutive_failures.saturating_add(1);
        st.last_error = Some(message);
        st.last_error_at = Some((self.now)());
    }

    /// The wait after the `failures`-th failure in a row: doubling from `min_backoff` up to
    /// `max_backoff`, less up to a fifth at random so shops that lost the same database do
    /// not all come back in the same instant.
    fn backoff(&self, failures: u32) -> Duration {
        let doubled = self
            .options
            .min_backoff
            .saturating_mul(1u32 << failures.saturating_sub(1).min(16));
        let capped = doubled.min(self.options.max_backoff);
        capped.mul_f64(rand::thread_rng().gen_range(0.8..=1.0))
    }

    /// Sends until `shutdown`: after each batch the next one at once while more wait; then
    /// sleeps until nudged or the poll interval passes; after a failure waits out the
    /// backoff first.
    pub async fn run(mut self, shutdown: CancellationToken) {
        loop {
            if shutdown.is_cancelled() {
                return;
            }
            let wait = match self.drain_once().await {
                Ok(d) if d.more => continue,
                Ok(_) => None,
                Err(_) => {
                    let failures = self.shared.state().consecutive_failures;
                    let delay = self.backoff(failures);
                    let at = (self.now)()
                        + chrono::Duration::from_std(delay).unwrap_or(chrono::Duration::zero());
                    self.shared.state().next_retry_at = Some(at);
                    Some(delay)
                }
            };
            match wait {
                Some(delay) => {
                    tokio::select! {
                        () = tokio::time::sleep(delay) => {}
                        () = shutdown.cancelled() => return,
                    }
                }
                None => {
                    tokio::select! {
                        () = self.shared.wake.notified() => {}
                        () = tokio::time::sleep(self.options.poll_interval) => {}
                        () = shutdown.cancelled() => return,
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("x.db"), &Default::default()).unwrap();
        let shared = Arc::new(Shared {
            store,
            shop_id: "s".into(),
            target: None,
            state: Mutex::new(State {
                phase: Phase::Starting,
                last_success_at: None,
                last_error: None,
                last_error_at: None,
                consecutive_failures: 0,
                next_retry_at: None,
                orders_sent: 0,
            }),
            wake: Notify::new(),
        });
        let w = SyncWorker {
            shared,
            target: DatabaseUrl::new("postgres://u@h/db").parse().unwrap(),
            options: SyncOptions {
                min_backoff: Duration::from_millis(100),
                max_backoff: Duration::from_millis(1000),
                ..SyncOptions::default()
            },
            now: Arc::new(Utc::now),
            client: None,
        };
        let ms = |n| w.backoff(n).as_millis();
        assert!((80..=100).contains(&ms(1)), "{}", ms(1));
        assert!((160..=200).contains(&ms(2)), "{}", ms(2));
        assert!((320..=400).contains(&ms(3)), "{}", ms(3));
        assert!((800..=1000).contains(&ms(5)), "{}", ms(5));
        assert!((800..=1000).contains(&ms(40)), "capped: {}", ms(40));
    }
}
