//! Background work that keeps the shop's data safe while the server runs: the optional
//! PostgreSQL sync worker (woken by every order event) and the daily online backup.
//!
//! Both only read what the order service committed; neither writes back upstream. Both stop
//! when the server shuts down; the outbox and the backups are files, so nothing is lost by
//! stopping at any moment.

use crate::clock::SharedClock;
use crate::events::{EventBus, Published};
use chrono::{DateTime, Utc};
use kitchen_store::Store;
use kitchen_store::backup::{self, BACKUP_DIR};
use kitchen_sync::{SyncHandle, SyncWorker};
use kitchen_wire::KitchenEvent;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

/// A backup is due this long after the newest one.
pub const BACKUP_EVERY: chrono::TimeDelta = chrono::TimeDelta::hours(24);
/// The longest the backup task sleeps before looking again (a PC that slept through the
/// night still gets its backup soon after waking), and the wait after a failed backup.
const BACKUP_CHECK: Duration = Duration::from_secs(3600);

/// The backups folder of a data folder.
pub fn backup_dir(data_dir: &Path) -> PathBuf {
    data_dir.join(BACKUP_DIR)
}

/// Starts the background tasks; they end when `shutdown` is cancelled.
pub fn start(
    store: Store,
    bus: &EventBus,
    clock: SharedClock,
    sync: SyncHandle,
    worker: Option<SyncWorker>,
    daily_backups: Option<PathBuf>,
    shutdown: CancellationToken,
) -> Vec<JoinHandle<()>> {
    let mut tasks = Vec::new();
    if sync.is_off() {
        tasks.push(tokio::spawn(empty_outbox_daily(
            store.clone(),
            shutdown.clone(),
        )));
    }
    if let Some(worker) = worker {
        tasks.push(tokio::spawn(worker.run(shutdown.clone())));
        tasks.push(tokio::spawn(nudge_on_orders(
            bus.subscribe(),
            sync,
            shutdown.clone(),
        )));
    }
    if let Some(dir) = daily_backups {
        tasks.push(tokio::spawn(daily_backups_task(
            store, dir, clock, shutdown,
        )));
    }
    tasks
}

/// Wakes the sync worker after every committed order change (the outbox row is already
/// there; this only saves the worker's poll delay).
async fn nudge_on_orders(
    mut events: tokio::sync::broadcast::Receiver<Published>,
    sync: SyncHandle,
    shutdown: CancellationToken,
) {
    loop {
        let event = tokio::select! {
            e = events.recv() => e,
            () = shutdown.cancelled() => return,
        };
        match event {
            Ok(p) => {
                if matches!(
                    *p.event,
                    KitchenEvent::OrderCreated { .. } | KitchenEvent::OrderUpdated { .. }
                ) {
                    sync.nudge();
                }
            }
            Err(RecvError::Lagged(_)) => sync.nudge(),
            Err(RecvError::Closed) => return,
        }
    }
}

/// Without a sync target the outbox only grows (its rows are written by triggers in every
/// order's transaction); it is emptied at start-up (`kitchen_sync::setup`) and then daily.
async fn empty_outbox_daily(store: Store, shutdown: CancellationToken) {
    loop {
        tokio::select! {
            () = tokio::time::sleep(Duration::from_secs(24 * 3600)) => {}
            () = shutdown.cancelled() => return,
        }
        if let Err(e) = store.outbox_clear().await {
            tracing::warn!(error = %e, "could not empty the sync outbox");
        }
    }
}

/// When the next backup is due, given the newest one.
pub fn next_backup_due(newest: Option<DateTime<Utc>>, now: DateTime<Utc>) -> DateTime<Utc> {
    newest.map_or(now, |t| (t + BACKUP_EVERY).min(now + BACKUP_EVERY))
}

async fn daily_backups_task(
    store: Store,
    dir: PathBuf,
    clock: SharedClock,
    shutdown: CancellationToken,
) {
    loop {
        let now = clock.now();
        let newest = match backup::list_backups(&dir) {
            Ok(all) => all.last().map(|(t, _)| *t),
            Err(e) => {
                tracing::error!(error = %e, "cannot read the backups folder");
                None
            }
        };
        let due = next_backup_due(newest, now);
        let wait = if due <= now {
            match store.backup_into(dir.clone(), now).await {
                Ok(path) => {
                    tracing::info!(path = %path.display(), "daily backup written");
                    continue;
                }
                Err(e) => {
                    tracing::error!(error = %e, "the daily backup failed; trying again in an hour");
                    BACKUP_CHECK
                }
            }
        } else {
            (due - now)
                .to_std()
                .unwrap_or(BACKUP_CHECK)
                .min(BACKUP_CHECK)
        };
        tokio::select! {
            () = tokio::time::sleep(wait) => {}
            () = shutdown.cancelled() => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_backup_is_due_a_day_after_the_newest_or_now_when_there_is_none() {
        let now = Utc.with_ymd_and_hms(2026, 11, 24, 12, 0, 0).unwrap();
        assert_eq!(next_backup_due(None, now), now);
        let yesterday_morning = now - chrono::TimeDelta::hours(30);
        assert!(next_backup_due(Some(yesterday_morning), now) <= now);
        let this_morning = now - chrono::TimeDelta::hours(6);
        assert_eq!(
            next_backup_due(Some(this_morning), now),
            this_morning + BACKUP_EVERY
        );
        // A backup stamped in the future (the clock was wrong) does not stop backups.
        let future = now + chrono::TimeDelta::days(30);
        assert_eq!(next_backup_due(Some(future), now), now + BACKUP_EVERY);
    }
}
