//! The sync outbox (migration 0003): which orders the optional PostgreSQL sync still has to
//! send, and the orders' full state as it sends them.
//!
//! Triggers on `orders` add a row in the same transaction as every insert and update, so
//! the outbox can never miss a committed change. The sync worker reads a batch
//! ([`batch`]), sends it, and only then deletes exactly the rows it read ([`ack`]): a crash
//! in between sends them again, which the target's idempotent upserts absorb.

use crate::{StoreError, time};
use chrono::{DateTime, NaiveDate, Utc};
use r2d2_sqlite::rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use uuid::Uuid;

/// Settings key naming the sync target (shop and database) the outbox was last filled
/// for; a different target gets every order again.
const SYNC_TARGET_KEY: &str = "sync_target";

/// An order as the sync sends it: every column of the shop's `orders` row that the target
/// keeps, its items and its whole status history.
#[derive(Debug, Clone, PartialEq)]
pub struct SyncOrder {
    /// The shop's local id.
    pub id: i64,
    /// The public id; with the shop's id, the key in the target.
    pub uuid: Uuid,
    /// The short daily number.
    pub number: i64,
    /// The shop's local day the number counts in.
    pub business_date: NaiveDate,
    /// Seed column: the first pizza's name.
    pub flavour: String,
    /// Seed column: the first pizza's size.
    pub size: String,
    /// Seed column: the first drink.
    pub drink: Option<String>,
    /// Seed column.
    pub address: String,
    /// Seed column.
    pub customer_name: Option<String>,
    /// Seed column: E.164, `withheld`, or none.
    pub customer_phone: Option<String>,
    /// Seed column: when the order was taken.
    pub order_time: DateTime<Utc>,
    /// Seed column: `new`, `preparing`, `ready`, `delivered` or `cancelled`.
    pub status: String,
    /// A landmark near the address.
    pub landmark: Option<String>,
    /// The total in paisa.
    pub total_paisa: i64,
    /// `staff` or `phone`.
    pub source: String,
    /// The call it came from.
    pub call_sid: Option<String>,
    /// Why it was cancelled.
    pub cancel_reason: Option<String>,
    /// The last change.
    pub updated_at: DateTime<Utc>,
    /// What was ordered, in order.
    pub items: Vec<SyncItem>,
    /// `delivery` or `pickup`.
    pub fulfilment_type: String,
    /// The delivery zone's id.
    pub zone_id: Option<String>,
    /// The delivery zone's name.
    pub zone_name: Option<String>,
    /// Minutes until a pickup is collected.
    pub pickup_in_minutes: Option<i64>,
    /// `cash`, `card` or `wallet`.
    pub payment_method: String,
    /// The note the customer pays with, paisa.
    pub pays_with_paisa: Option<i64>,
    /// Change to carry, paisa.
    pub change_paisa: Option<i64>,
    /// The order's note.
    pub note: Option<String>,
    /// Minutes promised.
    pub eta_minutes: Option<i64>,
    /// The bill as JSON (NULL for orders placed before bills were kept).
    pub bill_json: Option<String>,
    /// The rider it went out with (id, name, phone as at dispatch), if any.
    pub rider_id: Option<String>,
    /// The rider's name at dispatch.
    pub rider_name: Option<String>,
    /// The rider's phone at dispatch.
    pub rider_phone: Option<String>,
    /// When it went out for delivery.
    pub dispatched_at: Option<DateTime<Utc>>,
    /// Every status change, oldest first.
    pub history: Vec<SyncEvent>,
}

/// One line of a [`SyncOrder`].
#[derive(Debug, Clone, PartialEq)]
pub struct SyncItem {
    /// 0, 1, 2 … within the order.
    pub position: i64,
    /// The menu item's id.
    pub item_id: String,
    /// Its name when ordered.
    pub name: String,
    /// Its Urdu name when ordered.
    pub name_ur: Option<String>,
    /// `pizza`, `side`, `drink`, `dip`, `dessert`, `pasta`, `other`, or `deal` for a deal line.
    pub kind: String,
    /// The size's id.
    pub size_id: String,
    /// The size's label.
    pub size_label: String,
    /// How many.
    pub quantity: i64,
    /// Price of one, paisa.
    pub unit_price_paisa: i64,
    /// Price of all, paisa.
    pub line_total_paisa: i64,
    /// Options, half, note and a deal's contents, as JSON (NULL: none).
    pub detail_json: Option<String>,
}

/// One status change of a [`SyncOrder`].
#[derive(Debug, Clone, PartialEq)]
pub struct SyncEvent {
    /// 0 for the order being taken, then 1, 2 … (history rows are never edited or removed,
    /// so a change keeps its number).
    pub seq: i64,
    /// The status before (none when the order was taken).
    pub from_status: Option<String>,
    /// The status after.
    pub to_status: String,
    /// Why (cancellations).
    pub reason: Option<String>,
    /// Who.
    pub actor: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// What the sync worker sends in one go.
#[derive(Debug, Clone, Default)]
pub struct OutboxBatch {
    /// The outbox rows read; delete exactly these after sending ([`crate::Store::outbox_ack`]).
    pub row_ids: Vec<i64>,
    /// The orders those rows name, each once, in the order first named.
    pub orders: Vec<SyncOrder>,
}

/// Reads up to `limit` outbox rows, oldest first, and the current state of the orders they
/// name, all from one snapshot.
pub(crate) fn batch(c: &mut Connection, limit: u32) -> Result<OutboxBatch, StoreError> {
    let tx = c.transaction_with_behavior(TransactionBehavior::Deferred)?;
    let rows: Vec<(i64, i64)> = {
        let mut stmt = tx.prepare_cached("SELECT id, order_id FROM outbox ORDER BY id LIMIT ?1")?;
        stmt.query_map([limit.max(1)], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?
    };
    let mut out = OutboxBatch::default();
    let mut seen = std::collections::HashSet::new();
    for (row_id, order_id) in rows {
        out.row_ids.push(row_id);
        if seen.insert(order_id)
            && let Some(order) = snapshot(&tx, order_id)?
        {
            out.orders.push(order);
        }
    }
    tx.commit()?;
    Ok(out)
}

/// Deletes the outbox rows that were sent.
pub(crate) fn ack(c: &mut Connection, row_ids: &[i64]) -> Result<(), StoreError> {
    let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
    {
        let mut stmt = tx.prepare_cached("DELETE FROM outbox WHERE id = ?1")?;
        for id in row_ids {
            stmt.execute([id])?;
        }
    }
    tx.commit()?;
    Ok(())
}

/// How many rows wait, and when the oldest was queued.
pub(crate) fn pending(c: &Connection) -> Result<(u64, Option<DateTime<Utc>>), StoreError> {
    let (n, oldest): (i64, Option<String>) =
        c.query_row("SELECT COUNT(*), MIN(at) FROM outbox", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    Ok((
        u64::try_from(n).unwrap_or(0),
        oldest.as_deref().map(time::parse).transpose()?,
    ))
}

/// Empties the outbox and forgets the sync target (sync is off: nothing would drain it,
/// and the next target gets every order anyway). Returns how many rows were dropped.
pub(crate) fn clear(c: &mut Connection) -> Result<usize, StoreError> {
    let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let n = tx.execute("DELETE FROM outbox", [])?;
    tx.execute("DELETE FROM settings WHERE key = ?1", [SYNC_TARGET_KEY])?;
    tx.commit()?;
    Ok(n)
}

/// When `target` is not the one the outbox was last filled for, queues every order
/// ('backfill') and remembers `target`, in one transaction. Returns how many orders were
/// queued (0 when the target is known).
pub(crate) fn backfill_for_target(
    c: &mut Connection,
    target: &str,
    now: DateTime<Utc>,
) -> Result<usize, StoreError> {
    let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let known: Option<String> = tx
        .query_row(
            "SELECT value FROM settings WHERE key = ?1",
            [SYNC_TARGET_KEY],
            |r| r.get(0),
        )
        .optional()?;
    if known.as_deref() == Some(target) {
        return Ok(0);
    }
    let n = tx.execute(
        "INSERT INTO outbox (order_id, kind, at) SELECT id, 'backfill', ?1 FROM orders ORDER BY id",
        [time::fmt(now)],
    )?;
    tx.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![SYNC_TARGET_KEY, target],
    )?;
    tx.commit()?;
    Ok(n)
}

fn snapshot(c: &Connection, id: i64) -> Result<Option<SyncOrder>, StoreError> {
    let row = c
        .query_row(
            "SELECT uuid, number, business_date, flavour, size, drink, address, customer_name,
                    customer_phone, order_time, status, landmark, total_paisa, source, call_sid,
                    cancel_reason, updated_at, fulfilment_type, zone_id, zone_name,
                    pickup_in_minutes, payment_method, pays_with_paisa, change_paisa, note,
                    eta_minutes, bill_json, rider_id, rider_name, rider_phone, dispatched_at
             FROM orders WHERE id = ?1",
            [id],
            |r| {
                Ok((
                    (
                        r.get::<_, String>(0)?,
                        r.get::<_, i64>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, Option<String>>(5)?,
                        r.get::<_, String>(6)?,
                        r.get::<_, Option<String>>(7)?,
                        r.get::<_, Option<String>>(8)?,
                    ),
                    (
                        r.get::<_, String>(9)?,
                        r.get::<_, String>(10)?,
                        r.get::<_, Option<String>>(11)?,
                        r.get::<_, i64>(12)?,
                        r.get::<_, String>(13)?,
                        r.get::<_, Option<String>>(14)?,
                        r.get::<_, Option<String>>(15)?,
                        r.get::<_, String>(16)?,
                    ),
                    (
                        r.get::<_, String>(17)?,
                        r.get::<_, Option<String>>(18)?,
                        r.get::<_, Option<String>>(19)?,
                        r.get::<_, Option<i64>>(20)?,
                        r.get::<_, String>(21)?,
                        r.get::<_, Option<i64>>(22)?,
                        r.get::<_, Option<i64>>(23)?,
                        r.get::<_, Option<String>>(24)?,
                        r.get::<_, Option<i64>>(25)?,
                        r.get::<_, Option<String>>(26)?,
                    ),
                    (
                        r.get::<_, Option<String>>(27)?,
                        r.get::<_, Option<String>>(28)?,
                        r.get::<_, Option<String>>(29)?,
                        r.get::<_, Option<String>>(30)?,
                    ),
                ))
            },
        )
        .optional()?;
    let Some((a, b, f, rider)) = row else {
        return Ok(None);
    };
    let (uuid, number, date, flavour, size, drink, address, customer_name, customer_phone) = a;
    let (order_time, status, landmark, total_paisa, source, call_sid, cancel_reason, updated) = b;
    let (
        fulfilment_type,
        zone_id,
        zone_name,
        pickup_in_minutes,
        payment_method,
        pays_with_paisa,
        change_paisa,
        note,
        eta_minutes,
        bill_json,
    ) = f;
    Ok(Some(SyncOrder {
        id,
        uuid: Uuid::parse_str(&uuid)
            .map_err(|e| StoreError::Corrupt(format!("uuid `{uuid}`: {e}")))?,
        number,
        business_date: time::parse_date(&date)?,
        flavour,
        size,
        drink,
        address,
        customer_name,
        customer_phone,
        order_time: time::parse(&order_time)?,
        status,
        landmark,
        total_paisa,
        source,
        call_sid,
        cancel_reason,
        updated_at: time::parse(&updated)?,
        items: items(c, id)?,
        history: history(c, id)?,
        fulfilment_type,
        zone_id,
        zone_name,
        pickup_in_minutes,
        payment_method,
        pays_with_paisa,
        change_paisa,
        note,
        eta_minutes,
        bill_json,
        rider_id: rider.0,
        rider_name: rider.1,
        rider_phone: rider.2,
        dispatched_at: rider.3.as_deref().map(time::parse).transpose()?,
    }))
}

fn items(c: &Connection, order_id: i64) -> Result<Vec<SyncItem>, StoreError> {
    let mut stmt = c.prepare_cached(
        "SELECT position, item_id, name, name_ur, kind, size_id, size_label, quantity,
                unit_price_paisa, line_total_paisa, detail_json
         FROM order_items WHERE order_id = ?1 ORDER BY position",
    )?;
    let rows = stmt.query_map([order_id], |r| {
        Ok(SyncItem {
            position: r.get(0)?,
            item_id: r.get(1)?,
            name: r.get(2)?,
            name_ur: r.get(3)?,
            kind: r.get(4)?,
            size_id: r.get(5)?,
            size_label: r.get(6)?,
            quantity: r.get(7)?,
            unit_price_paisa: r.get(8)?,
            line_total_paisa: r.get(9)?,
            detail_json: r.get(10)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn history(c: &Connection, order_id: i64) -> Result<Vec<SyncEvent>, StoreError> {
    let mut stmt = c.prepare_cached(
        "SELECT from_status, to_status, reason, actor, at FROM order_events
         WHERE order_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([order_id], |r| {
        Ok((
            r.get::<_, Option<String>>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<String>>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
        ))
    })?;
    let mut out = Vec::new();
    for (seq, row) in rows.enumerate() {
        let (from_status, to_status, reason, actor, at) = row?;
        out.push(SyncEvent {
            seq: seq as i64,
            from_status,
            to_status,
            reason,
            actor,
            at: time::parse(&at)?,
        });
    }
    Ok(out)
}
