//! Orders, their items and their status history.
//!
//! Creating an order and changing its status each happen in one `BEGIN IMMEDIATE`
//! transaction: the daily number, the order, its items and its first history row commit
//! together or not at all.

use crate::{StoreError, time};
use chrono::{DateTime, NaiveDate, Utc};
use kitchen_domain::{
    Bill, BillLine, ChangeNote, ChosenOption, DaySummary, DealContents, Fulfilment, Half, Handover,
    ItemKind, Money, NewOrder, Order, OrderChanged, OrderLine, OrderRider, OrderSource,
    OrderStatus, Payment, PaymentMethod, PhoneNumber, Quantity, StatusChange, StatusChangeRecord,
    StatusError, describe_changes,
};
use r2d2_sqlite::rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior, params};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// Everything about a new order that does not come from the customer.
#[derive(Debug, Clone)]
pub struct OrderMeta {
    /// Its public id.
    pub uuid: Uuid,
    /// When it was taken.
    pub at: DateTime<Utc>,
    /// The shop's local date at that moment: the daily number counts within it.
    pub business_date: NaiveDate,
    /// Staff or phone.
    pub source: OrderSource,
    /// The call it came from.
    pub call_sid: Option<String>,
    /// Who took it (a staff username or `phone-ai`).
    pub actor: String,
    /// A key under which a retried request finds this same order.
    pub idempotency_key: Option<String>,
}

/// The outcome of [`crate::Store::create_order`].
#[derive(Debug, Clone)]
pub enum CreatedOrder {
    /// Saved now.
    New(Order),
    /// Saved earlier under the same idempotency key; nothing was written.
    Existing(Order),
}

impl CreatedOrder {
    /// The order, whichever way.
    pub fn order(&self) -> &Order {
        match self {
            CreatedOrder::New(o) | CreatedOrder::Existing(o) => o,
        }
    }
}

/// Which orders to list.
#[derive(Debug, Clone, Default)]
pub struct OrderFilter {
    /// Only orders with this status.
    pub status: Option<OrderStatus>,
    /// Only orders taken at or after this time.
    pub since: Option<DateTime<Utc>>,
    /// Only orders from this phone.
    pub phone: Option<PhoneFilter>,
    /// Only orders of this business day.
    pub business_date: Option<NaiveDate>,
    /// At most this many (newest first).
    pub limit: u32,
}

/// How to match the customer's phone.
#[derive(Debug, Clone)]
pub enum PhoneFilter {
    /// The whole number, in E.164.
    Exact(String),
    /// The number ends in these digits (what a chef types from a receipt).
    EndsWith(String),
}

pub(crate) fn create(
    c: &mut Connection,
    order: &NewOrder,
    meta: &OrderMeta,
) -> Result<CreatedOrder, StoreError> {
    let digest = digest(order);
    let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
    if let Some(key) = &meta.idempotency_key {
        let earlier: Option<(i64, Option<String>)> = tx
            .query_row(
                "SELECT id, request_digest FROM orders WHERE idempotency_key = ?1",
                [key],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        if let Some((id, earlier_digest)) = earlier {
            if earlier_digest.as_deref() != Some(digest.as_str()) {
                return Err(StoreError::IdempotencyConflict);
            }
            return Ok(CreatedOrder::Existing(get(&tx, id)?));
        }
    }
    let date = meta.business_date.format("%Y-%m-%d").to_string();
    let number: i64 = tx.query_row(
        "SELECT COALESCE(MAX(number), 0) + 1 FROM orders WHERE business_date = ?1",
        [&date],
        |r| r.get(0),
    )?;
    let seed = order.seed_columns();
    let at = time::fmt(meta.at);
    let (zone, pickup_in) = match order.fulfilment() {
        Fulfilment::Delivery {
            zone_id,
            zone_name,
            zone_name_ur,
            ..
        } => ((zone_id, zone_name, zone_name_ur), None),
        Fulfilment::Pickup { pickup_in_minutes } => ((&None, &None, &None), *pickup_in_minutes),
    };
    let bill_json = to_json(order.bill())?;
    tx.execute(
        "INSERT INTO orders (flavour, size, drink, address, customer_name, customer_phone, order_time, status,
                             uuid, number, business_date, landmark, total_paisa, source, call_sid,
                             idempotency_key, request_digest, updated_at,
                             fulfilment_type, zone_id, zone_name, zone_name_ur, pickup_in_minutes,
                             payment_method, pays_with_paisa, change_paisa, note, eta_minutes, bill_json)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'new', ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?7,
                 ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27)",
        params![
            seed.flavour,
            seed.size,
            seed.drink,
            order.address(),
            order.customer_name(),
            order.customer_phone().map(|p| p.to_string()),
            at,
            meta.uuid.to_string(),
            number,
            date,
            order.landmark(),
            order.total().paisa(),
            meta.source.as_str(),
            meta.call_sid,
            meta.idempotency_key,
            meta.idempotency_key.as_ref().map(|_| &digest),
            order.fulfilment().kind(),
            zone.0,
            zone.1,
            zone.2,
            pickup_in,
            order.payment().method.as_str(),
            order.payment().pays_with.map(Money::paisa),
            order.payment().change.map(Money::paisa),
            order.note(),
            order.eta_minutes(),
            bill_json,
        ],
    )?;
    let id = tx.last_insert_rowid();
    insert_lines(&tx, id, order)?;
    tx.execute(
        "INSERT INTO order_events (order_id, from_status, to_status, reason, actor, at) VALUES (?1, NULL, 'new', NULL, ?2, ?3)",
        params![id, meta.actor, at],
    )?;
    let saved = get(&tx, id)?;
    tx.commit()?;
    Ok(CreatedOrder::New(saved))
}

fn insert_lines(tx: &Connection, id: i64, order: &NewOrder) -> Result<(), StoreError> {
    let mut stmt = tx.prepare_cached(
        "INSERT INTO order_items (order_id, position, item_id, name, name_ur, kind, size_id, size_label,
                      quantity, unit_price_paisa, line_total_paisa, detail_json)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?;
    for (i, l) in order.lines().iter().enumerate() {
        stmt.execute(params![
            id,
            i as i64,
            l.item_id,
            l.name,
            l.name_ur,
            l.kind.as_str(),
            l.size_id,
            l.size_label,
            l.quantity.get(),
            l.unit_price.paisa(),
            l.line_total.paisa(),
            LineDetail::of(l).map(|d| to_json(&d)).transpose()?,
        ])?;
    }
    Ok(())
}

/// Why an order cannot be changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error(
    "order is {0} and can no longer be changed; only new orders can (cancel it and take a new one)"
)]
pub struct NotEditable(pub OrderStatus);

/// Replaces what a `new` order is (lines, fulfilment, payment, customer, note, bill) with a
/// re-priced one, keeping its number, id, time and status; recorded in its history as a
/// `new → new` row with reason `changed` (which undo passes over) carrying what it changed
/// ([`describe_changes`], compared with the order as it is inside this transaction). An
/// edit that changed something also becomes the order's latest change (the board's CHANGED
/// badge); one that changed nothing leaves the earlier one.
pub(crate) fn amend(
    c: &mut Connection,
    id: i64,
    order: &NewOrder,
    actor: &str,
    at: DateTime<Utc>,
) -> Result<Order, StoreError> {
    let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
    // Checked inside the write transaction: a kitchen that starts the order meanwhile wins.
    let before = get(&tx, id)?;
    if before.status != OrderStatus::New {
        return Err(StoreError::NotEditable(NotEditable(before.status)));
    }
    let changes = describe_changes(&before, order);
    let changes_json = (!changes.is_empty())
        .then(|| to_json(&changes))
        .transpose()?;
    let seed = order.seed_columns();
    let at = time::fmt(at);
    let (zone, pickup_in) = match order.fulfilment() {
        Fulfilment::Delivery {
            zone_id,
            zone_name,
            zone_name_ur,
            ..
        } => ((zone_id, zone_name, zone_name_ur), None),
        Fulfilment::Pickup { pickup_in_minutes } => ((&None, &None, &None), *pickup_in_minutes),
    };
    tx.execute(
        "UPDATE orders SET flavour = ?1, size = ?2, drink = ?3, address = ?4, customer_name = ?5,
                customer_phone = ?6, landmark = ?7, total_paisa = ?8, updated_at = ?9,
                fulfilment_type = ?10, zone_id = ?11, zone_name = ?12, zone_name_ur = ?13,
                pickup_in_minutes = ?14, payment_method = ?15, pays_with_paisa = ?16,
                change_paisa = ?17, note = ?18, eta_minutes = ?19, bill_json = ?20,
                changed_at = CASE WHEN ?22 IS NULL THEN changed_at ELSE ?9 END,
                changes_json = COALESCE(?22, changes_json)
         WHERE id = ?21",
        params![
            seed.flavour,
            seed.size,
            seed.drink,
            order.address(),
            order.customer_name(),
            order.customer_phone().map(|p| p.to_string()),
            order.landmark(),
            order.total().paisa(),
            at,
            order.fulfilment().kind(),
            zone.0,
            zone.1,
            zone.2,
            pickup_in,
            order.payment().method.as_str(),
            order.payment().pays_with.map(Money::paisa),
            order.payment().change.map(Money::paisa),
            order.note(),
            order.eta_minutes(),
            to_json(order.bill())?,
            id,
            changes_json,
        ],
    )?;
    tx.execute("DELETE FROM order_items WHERE order_id = ?1", [id])?;
    insert_lines(&tx, id, order)?;
    tx.execute(
        "INSERT INTO order_events (order_id, from_status, to_status, reason, actor, at, changes_json)
         VALUES (?1, 'new', 'new', 'changed', ?2, ?3, ?4)",
        params![id, actor, at, changes_json],
    )?;
    let saved = get(&tx, id)?;
    tx.commit()?;
    Ok(saved)
}

/// A rider named for a dispatch, as the settings have them now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dispatch {
    /// The rider's id.
    pub rider_id: String,
    /// The rider's name (kept on the order).
    pub name: String,
    /// The rider's phone, E.164 (kept on the order).
    pub phone: String,
}

/// The status and handover of order `id`, read inside a transaction.
fn status_and_handover(c: &Connection, id: i64) -> Result<(OrderStatus, Handover), StoreError> {
    let (status, kind): (String, String) = c
        .query_row(
            "SELECT status, fulfilment_type FROM orders WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .ok_or(StoreError::NotFound)?;
    let handover = match kind.as_str() {
        "pickup" => Handover::Pickup,
        _ => Handover::Delivery,
    };
    Ok((parse_status(&status)?, handover))
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn change_status(
    c: &mut Connection,
    id: i64,
    only_from: Option<OrderStatus>,
    to: OrderStatus,
    reason: Option<&str>,
    rider: Option<&Dispatch>,
    actor: &str,
    at: DateTime<Utc>,
) -> Result<Order, StoreError> {
    let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let (from, handover) = status_and_handover(&tx, id)?;
    // Checked inside the write transaction: nobody can move the order in between.
    if only_from.is_some_and(|want| want != from) {
        return Err(StatusError::InvalidTransition { from, to, handover }.into());
    }
    let change = StatusChange::new(from, to, handover, reason)?;
    let at = time::fmt(at);
    let cancel_reason = matches!(change.to, OrderStatus::Cancelled | OrderStatus::Returned)
        .then_some(change.reason.as_deref())
        .flatten();
    tx.execute(
        "UPDATE orders SET status = ?1, cancel_reason = COALESCE(?2, cancel_reason), updated_at = ?3 WHERE id = ?4",
        params![change.to.as_str(), cancel_reason, at, id],
    )?;
    if change.to == OrderStatus::OutForDelivery {
        tx.execute(
            "UPDATE orders SET rider_id = ?1, rider_name = ?2, rider_phone = ?3, dispatched_at = ?4
             WHERE id = ?5",
            params![
                rider.map(|r| &r.rider_id),
                rider.map(|r| &r.name),
                rider.map(|r| &r.phone),
                at,
                id
            ],
        )?;
    }
    tx.execute(
        "INSERT INTO order_events (order_id, from_status, to_status, reason, actor, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![id, change.from.as_str(), change.to.as_str(), change.reason, actor, at],
    )?;
    let saved = get(&tx, id)?;
    tx.commit()?;
    Ok(saved)
}

/// Why an undo was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum UndoError {
    /// The order has had no status change since it was taken (or the last one was an undo).
    #[error("there is no status change to undo on this order")]
    NothingToUndo,
    /// The last change is older than the undo window.
    #[error("the last change was made more than {0} seconds ago and can no longer be undone")]
    Expired(i64),
}

/// Puts the order back to the status it had before its last change, if that change was made
/// within `window` of `at`. The undo is itself recorded in the history (reason `undo`), and a
/// second undo in a row is refused: it would redo.
pub(crate) fn undo_last_change(
    c: &mut Connection,
    id: i64,
    actor: &str,
    at: DateTime<Utc>,
    window: chrono::Duration,
) -> Result<Order, StoreError> {
    let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let (_, handover) = status_and_handover(&tx, id)?;
    let last: Option<(Option<String>, String, String)> = tx
        .query_row(
            "SELECT from_status, to_status, at FROM order_events
             WHERE order_id = ?1 AND from_status IS NOT to_status ORDER BY id DESC LIMIT 1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let Some((Some(from), to, when)) = last else {
        return Err(StoreError::Undo(UndoError::NothingToUndo));
    };
    let (from, to) = (parse_status(&from)?, parse_status(&to)?);
    if !from.can_become(to, handover) {
        // The last change was itself an undo (a step backwards).
        return Err(StoreError::Undo(UndoError::NothingToUndo));
    }
    let when = time::parse(&when)?;
    if at.signed_duration_since(when) > window {
        return Err(StoreError::Undo(UndoError::Expired(window.num_seconds())));
    }
    step_back(tx, id, to, from, "undo", actor, at)
}

/// Why a recall was refused: only delivered and cancelled orders can be brought back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error(
    "an order that is {0} cannot be recalled; only a delivered or collected order (back to ready) or a cancelled one (back to where it was cancelled from) can"
)]
pub struct NotRecallable(pub OrderStatus);

/// Brings a finished order back onto the board: `delivered` or `collected` → `ready` (its
/// rider cleared); `cancelled` → the
/// status it was cancelled from (`new` or `preparing`, from its history), its cancel reason
/// cleared. No time limit. Recorded in the history with reason `recall`; like an undo it is
/// a step backwards, so an undo right after it is refused (`nothing_to_undo`).
pub(crate) fn recall(
    c: &mut Connection,
    id: i64,
    actor: &str,
    at: DateTime<Utc>,
) -> Result<Order, StoreError> {
    let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let status: String = tx
        .query_row("SELECT status FROM orders WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?
        .ok_or(StoreError::NotFound)?;
    let from = parse_status(&status)?;
    let to = match from {
        OrderStatus::Delivered | OrderStatus::Collected => OrderStatus::Ready,
        OrderStatus::Cancelled => {
            let before: Option<Option<String>> = tx
                .query_row(
                    "SELECT from_status FROM order_events
                     WHERE order_id = ?1 AND to_status = 'cancelled' ORDER BY id DESC LIMIT 1",
                    [id],
                    |r| r.get(0),
                )
                .optional()?;
            let before = before.flatten().ok_or_else(|| {
                StoreError::Corrupt(format!(
                    "order {id} is cancelled but its history does not say from which status"
                ))
            })?;
            match parse_status(&before)? {
                s @ (OrderStatus::New | OrderStatus::Preparing) => s,
                other => {
                    return Err(StoreError::Corrupt(format!(
                        "order {id} was cancelled from `{other}`, which the flow does not allow"
                    )));
                }
            }
        }
        other => return Err(StoreError::NotRecallable(NotRecallable(other))),
    };
    step_back(tx, id, from, to, "recall", actor, at)
}

/// Moves order `id` back from `from` to `to` (an undo or a recall: a step the flow does not
/// allow forwards), clearing the cancel reason when it leaves `cancelled` or `returned` and
/// the rider when it is back to `ready`, records the step with `reason` and commits.
fn step_back(
    tx: r2d2_sqlite::rusqlite::Transaction<'_>,
    id: i64,
    from: OrderStatus,
    to: OrderStatus,
    reason: &str,
    actor: &str,
    at: DateTime<Utc>,
) -> Result<Order, StoreError> {
    let at = time::fmt(at);
    tx.execute(
        "UPDATE orders SET status = ?1,
                cancel_reason = CASE WHEN ?2 IN ('cancelled', 'returned') THEN NULL ELSE cancel_reason END,
                updated_at = ?3 WHERE id = ?4",
        params![to.as_str(), from.as_str(), at, id],
    )?;
    if to == OrderStatus::Ready {
        tx.execute(
            "UPDATE orders SET rider_id = NULL, rider_name = NULL, rider_phone = NULL,
                    dispatched_at = NULL WHERE id = ?1",
            [id],
        )?;
    }
    tx.execute(
        "INSERT INTO order_events (order_id, from_status, to_status, reason, actor, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![id, from.as_str(), to.as_str(), reason, actor, at],
    )?;
    let saved = get(&tx, id)?;
    tx.commit()?;
    Ok(saved)
}

const ORDER_COLUMNS: &str =
    "id, uuid, number, business_date, status, cancel_reason, address, landmark, customer_name,
     customer_phone, total_paisa, source, call_sid, order_time, updated_at,
     fulfilment_type, zone_id, zone_name, zone_name_ur, pickup_in_minutes, payment_method,
     pays_with_paisa, change_paisa, note, eta_minutes, bill_json,
     COALESCE((SELECT e.at FROM order_events e
               WHERE e.order_id = orders.id AND e.to_status = orders.status
                 AND e.from_status IS NOT e.to_status AND COALESCE(e.reason, '') <> 'undo'
               ORDER BY e.id DESC LIMIT 1), order_time),
     changed_at, changes_json, rider_id, rider_name, rider_phone, dispatched_at";

/// What an item row keeps beyond its columns: options, half, note, a deal's contents.
#[derive(Serialize, Deserialize, Default)]
struct LineDetail {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    options: Vec<ChosenOption>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    half: Option<Half>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    deal: Option<DealContents>,
    /// The size's Urdu label (not a column: older rows and databases simply lack it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    size_label_ur: Option<String>,
}

impl LineDetail {
    fn of(l: &OrderLine) -> Option<LineDetail> {
        let d = LineDetail {
            options: l.options.clone(),
            half: l.half.clone(),
            note: l.note.clone(),
            deal: l.deal.clone(),
            size_label_ur: l.size_label_ur.clone(),
        };
        (!d.options.is_empty()
            || d.half.is_some()
            || d.note.is_some()
            || d.deal.is_some()
            || d.size_label_ur.is_some())
        .then_some(d)
    }
}

fn to_json<T: Serialize>(v: &T) -> Result<String, StoreError> {
    serde_json::to_string(v).map_err(|e| StoreError::Corrupt(format!("to JSON: {e}")))
}

/// An order as read, before its lines: the bill of an order placed before bills were kept
/// is made from its lines once they are read.
struct OrderRow {
    order: Order,
    bill_json: Option<String>,
}

impl OrderRow {
    fn finish(self, c: &Connection) -> Result<Order, StoreError> {
        let mut order = self.order;
        order.lines = lines(c, order.id)?;
        order.bill = match self.bill_json {
            Some(json) => serde_json::from_str(&json)
                .map_err(|e| StoreError::Corrupt(format!("order {} bill: {e}", order.id)))?,
            None => legacy_bill(&order.lines),
        };
        Ok(order)
    }
}

/// The bill of an order from before bills were kept: its lines, no fee, no tax.
fn legacy_bill(lines: &[OrderLine]) -> Bill {
    Bill::of_lines(
        lines
            .iter()
            .map(|l| BillLine {
                description: format!("{} {}", l.name, l.size_label),
                description_ur: format!(
                    "{} {}",
                    l.name_ur.as_deref().unwrap_or(&l.name),
                    l.size_label
                ),
                quantity: l.quantity.get(),
                unit_price: l.unit_price,
                total: l.line_total,
            })
            .collect(),
    )
}

pub(crate) fn get(c: &Connection, id: i64) -> Result<Order, StoreError> {
    let row = c
        .query_row(
            &format!("SELECT {ORDER_COLUMNS} FROM orders WHERE id = ?1"),
            [id],
            read_order,
        )
        .optional()?
        .ok_or(StoreError::NotFound)??;
    let mut order = row.finish(c)?;
    order.history = history(c, id)?;
    Ok(order)
}

/// The order with daily `number` on business day `date`, with its history, if there is one.
pub(crate) fn by_number(
    c: &Connection,
    date: NaiveDate,
    number: u32,
) -> Result<Option<Order>, StoreError> {
    let id: Option<i64> = c
        .query_row(
            "SELECT id FROM orders WHERE business_date = ?1 AND number = ?2",
            params![date.format("%Y-%m-%d").to_string(), number],
            |r| r.get(0),
        )
        .optional()?;
    id.map(|id| get(c, id)).transpose()
}

pub(crate) fn list(c: &Connection, f: &OrderFilter) -> Result<Vec<Order>, StoreError> {
    let mut sql = format!("SELECT {ORDER_COLUMNS} FROM orders WHERE 1 = 1");
    let mut args: Vec<String> = Vec::new();
    if let Some(s) = f.status {
        args.push(s.as_str().to_string());
        sql.push_str(&format!(" AND status = ?{}", args.len()));
    }
    if let Some(since) = f.since {
        args.push(time::fmt(since));
        sql.push_str(&format!(" AND order_time >= ?{}", args.len()));
    }
    if let Some(d) = f.business_date {
        args.push(d.format("%Y-%m-%d").to_string());
        sql.push_str(&format!(" AND business_date = ?{}", args.len()));
    }
    match &f.phone {
        Some(PhoneFilter::Exact(p)) => {
            args.push(p.clone());
            sql.push_str(&format!(" AND customer_phone = ?{}", args.len()));
        }
        Some(PhoneFilter::EndsWith(digits)) => {
            // Digits only (checked by the caller), so no LIKE wildcards can sneak in.
            args.push(format!("%{digits}"));
            sql.push_str(&format!(" AND customer_phone LIKE ?{}", args.len()));
        }
        None => {}
    }
    sql.push_str(&format!(
        " ORDER BY order_time DESC, id DESC LIMIT {}",
        f.limit.max(1)
    ));
    let mut stmt = c.prepare(&sql)?;
    let rows = stmt.query_map(
        r2d2_sqlite::rusqlite::params_from_iter(args.iter()),
        read_order,
    )?;
    let mut out = Vec::new();
    for row in rows {
        out.push(row??.finish(c)?);
    }
    Ok(out)
}

pub(crate) fn day_summary(c: &Connection, date: NaiveDate) -> Result<DaySummary, StoreError> {
    let d = date.format("%Y-%m-%d").to_string();
    // Collected pickups count as done like delivered orders; returned ones are no revenue.
    let (orders, cancelled, delivered, returned, delivered_revenue, open_revenue): (
        u32,
        u32,
        u32,
        u32,
        i64,
        i64,
    ) = c.query_row(
        "SELECT COUNT(*),
                COALESCE(SUM(status = 'cancelled'), 0),
                COALESCE(SUM(status IN ('delivered', 'collected')), 0),
                COALESCE(SUM(status = 'returned'), 0),
                COALESCE(SUM(CASE WHEN status IN ('delivered', 'collected') THEN total_paisa
                                  ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN status IN ('cancelled', 'delivered', 'collected', 'returned')
                                  THEN 0 ELSE total_paisa END), 0)
             FROM orders WHERE business_date = ?1",
        [&d],
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
    )?;
    let mut stmt = c.prepare(
        "SELECT o.order_time, MAX(e.at) FROM orders o JOIN order_events e ON e.order_id = o.id
         WHERE o.business_date = ?1 AND e.to_status = 'ready' AND e.from_status = 'preparing'
               AND o.status IN ('ready', 'out_for_delivery', 'delivered', 'collected', 'returned')
         GROUP BY o.id",
    )?;
    let pairs = stmt.query_map([&d], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })?;
    let (mut total, mut n) = (0.0, 0u32);
    for pair in pairs {
        let (taken, ready) = pair?;
        let minutes = time::parse(&ready)?
            .signed_duration_since(time::parse(&taken)?)
            .num_milliseconds() as f64
            / 60_000.0;
        total += minutes.max(0.0);
        n += 1;
    }
    Ok(DaySummary {
        date,
        orders,
        cancelled,
        delivered,
        returned,
        revenue: delivered_revenue + open_revenue,
        delivered_revenue,
        open_revenue,
        average_minutes_to_ready: (n > 0).then(|| total / f64::from(n)),
        ai_calls: 0,
        ai_seconds: 0,
        ai_cost_paisa: 0,
    })
}

fn read_order(r: &Row<'_>) -> r2d2_sqlite::rusqlite::Result<Result<OrderRow, StoreError>> {
    let uuid: String = r.get(1)?;
    let date: String = r.get(3)?;
    let status: String = r.get(4)?;
    let phone: Option<String> = r.get(9)?;
    let source: String = r.get(11)?;
    let created: String = r.get(13)?;
    let updated: String = r.get(14)?;
    let id: i64 = r.get(0)?;
    let number: i64 = r.get(2)?;
    let cancel_reason = r.get(5)?;
    let address = r.get(6)?;
    let landmark = r.get(7)?;
    let customer_name = r.get(8)?;
    let total: i64 = r.get(10)?;
    let call_sid = r.get(12)?;
    let fulfilment_type: String = r.get(15)?;
    let zone = (r.get(16)?, r.get(17)?, r.get(18)?);
    let pickup_in: Option<i64> = r.get(19)?;
    let method: String = r.get(20)?;
    let pays_with: Option<i64> = r.get(21)?;
    let change: Option<i64> = r.get(22)?;
    let note = r.get(23)?;
    let eta: Option<i64> = r.get(24)?;
    let bill_json = r.get(25)?;
    let status_since: String = r.get(26)?;
    let changed_at: Option<String> = r.get(27)?;
    let changes_json: Option<String> = r.get(28)?;
    let rider: (
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    ) = (r.get(29)?, r.get(30)?, r.get(31)?, r.get(32)?);
    Ok((|| {
        let fulfilment = match fulfilment_type.as_str() {
            "pickup" => Fulfilment::Pickup {
                pickup_in_minutes: pickup_in.and_then(|m| u32::try_from(m).ok()),
            },
            _ => Fulfilment::Delivery {
                address,
                landmark,
                zone_id: zone.0,
                zone_name: zone.1,
                zone_name_ur: zone.2,
            },
        };
        let order = Order {
            id,
            uuid: Uuid::parse_str(&uuid)
                .map_err(|e| StoreError::Corrupt(format!("uuid `{uuid}`: {e}")))?,
            number: u32::try_from(number)
                .map_err(|_| StoreError::Corrupt(format!("order number {number}")))?,
            business_date: time::parse_date(&date)?,
            status: parse_status(&status)?,
            cancel_reason,
            rider: match rider {
                (Some(id), name, phone, Some(at)) => Some(OrderRider {
                    name: name.unwrap_or_else(|| id.clone()),
                    id,
                    phone: phone.unwrap_or_default(),
                    dispatched_at: time::parse(&at)?,
                }),
                _ => None,
            },
            lines: Vec::new(),
            fulfilment,
            payment: Payment {
                method: PaymentMethod::parse(&method)
                    .ok_or_else(|| StoreError::Corrupt(format!("payment method `{method}`")))?,
                pays_with: pays_with.map(Money::from_paisa),
                change: change.map(Money::from_paisa),
            },
            customer_name,
            customer_phone: phone
                .map(|p| PhoneNumber::parse(&p).map_err(|e| StoreError::Corrupt(e.to_string())))
                .transpose()?,
            note,
            bill: Bill::of_lines(Vec::new()),
            total: Money::from_paisa(total),
            eta_minutes: eta.and_then(|m| u32::try_from(m).ok()),
            source: OrderSource::parse(&source)
                .ok_or_else(|| StoreError::Corrupt(format!("order source `{source}`")))?,
            call_sid,
            created_at: time::parse(&created)?,
            updated_at: time::parse(&updated)?,
            status_since: time::parse(&status_since)?,
            history: Vec::new(),
            changed: match (changed_at, changes_json) {
                (Some(at), Some(json)) => Some(OrderChanged {
                    at: time::parse(&at)?,
                    what: changes_of(&json)?,
                }),
                _ => None,
            },
        };
        Ok(OrderRow { order, bill_json })
    })())
}

fn lines(c: &Connection, order_id: i64) -> Result<Vec<OrderLine>, StoreError> {
    let mut stmt = c.prepare_cached(
        "SELECT item_id, name, name_ur, kind, size_id, size_label, quantity, unit_price_paisa, line_total_paisa,
                detail_json
         FROM order_items WHERE order_id = ?1 ORDER BY position",
    )?;
    let rows = stmt.query_map([order_id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<String>>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, String>(5)?,
            r.get::<_, i64>(6)?,
            r.get::<_, i64>(7)?,
            r.get::<_, i64>(8)?,
            r.get::<_, Option<String>>(9)?,
        ))
    })?;
    rows.map(|row| {
        let (item_id, name, name_ur, kind, size_id, size_label, qty, unit, total, detail) = row?;
        let detail: LineDetail = match detail {
            Some(json) => serde_json::from_str(&json)
                .map_err(|e| StoreError::Corrupt(format!("order line detail: {e}")))?,
            None => LineDetail::default(),
        };
        Ok(OrderLine {
            item_id,
            name,
            name_ur,
            kind: ItemKind::parse(&kind)
                .ok_or_else(|| StoreError::Corrupt(format!("item kind `{kind}`")))?,
            size_id,
            size_label,
            size_label_ur: detail.size_label_ur,
            quantity: Quantity::new(qty).map_err(|e| StoreError::Corrupt(e.to_string()))?,
            unit_price: Money::from_paisa(unit),
            line_total: Money::from_paisa(total),
            options: detail.options,
            half: detail.half,
            note: detail.note,
            deal: detail.deal,
        })
    })
    .collect()
}

fn history(c: &Connection, order_id: i64) -> Result<Vec<StatusChangeRecord>, StoreError> {
    let mut stmt = c.prepare_cached(
        "SELECT from_status, to_status, reason, actor, at, changes_json FROM order_events WHERE order_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([order_id], |r| {
        Ok((
            r.get::<_, Option<String>>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<String>>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, Option<String>>(5)?,
        ))
    })?;
    rows.map(|row| {
        let (from, to, reason, by, at, changes) = row?;
        Ok(StatusChangeRecord {
            from: from.as_deref().map(parse_status).transpose()?,
            to: parse_status(&to)?,
            reason,
            by,
            at: time::parse(&at)?,
            changes: changes
                .as_deref()
                .map(changes_of)
                .transpose()?
                .unwrap_or_default(),
        })
    })
    .collect()
}

/// What an edit changed, as its history row or the order keeps it.
fn changes_of(json: &str) -> Result<Vec<ChangeNote>, StoreError> {
    serde_json::from_str(json).map_err(|e| StoreError::Corrupt(format!("order changes: {e}")))
}

fn parse_status(s: &str) -> Result<OrderStatus, StoreError> {
    s.parse()
        .map_err(|_| StoreError::Corrupt(format!("order status `{s}`")))
}

/// A fingerprint of what was asked for, to tell a true retry from a reused key: ids,
/// quantities, options, halves, deal contents, notes, fulfilment, payment and the customer —
/// never names or prices, so a retry after the menu was edited still finds its order.
fn digest(o: &NewOrder) -> String {
    use serde_json::json;
    let options = |opts: &[ChosenOption]| -> Vec<[String; 2]> {
        opts.iter()
            .map(|c| [c.group.clone(), c.option.clone()])
            .collect()
    };
    let half = |h: &Option<Half>| h.as_ref().map(|h| h.item_id.clone());
    let lines: Vec<serde_json::Value> = o
        .lines()
        .iter()
        .map(|l| {
            json!({
                "item": l.item_id,
                "size": l.size_id,
                "quantity": l.quantity.get(),
                "options": options(&l.options),
                "half": half(&l.half),
                "note": l.note,
                "deal": l.deal.as_ref().map(|d| {
                    d.parts
                        .iter()
                        .map(|p| {
                            json!({
                                "slot": p.slot,
                                "item": p.item_id,
                                "size": p.size_id,
                                "options": options(&p.options),
                                "half": half(&p.half),
                            })
                        })
                        .collect::<Vec<_>>()
                }),
            })
        })
        .collect();
    let pickup_in = match o.fulfilment() {
        Fulfilment::Pickup { pickup_in_minutes } => *pickup_in_minutes,
        Fulfilment::Delivery { .. } => None,
    };
    let asked = json!({
        "lines": lines,
        "fulfilment": o.fulfilment().kind(),
        "address": o.address(),
        "landmark": o.landmark(),
        "zone": o.fulfilment().zone_id(),
        "pickup_in": pickup_in,
        "payment": o.payment().method.as_str(),
        "pays_with": o.payment().pays_with.map(Money::paisa),
        "note": o.note(),
        "name": o.customer_name(),
        "phone": o.customer_phone().map(|p| p.to_string()),
    });
    Sha256::digest(asked.to_string().as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
