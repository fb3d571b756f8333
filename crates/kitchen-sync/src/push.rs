//! Sending orders to the target: one transaction a batch, idempotent upserts.
//!
//! Every order is sent whole (row with its fulfilment, payment and bill; items with their
//! options, halves and deal contents; history) and keyed by (shop_id, uuid), items by
//! position and history rows by their sequence number, so a batch sent twice — after a
//! crash between the target's commit and the outbox's delete, or a retry after a lost
//! connection — changes nothing. An order row is only overwritten by a state at least as
//! new as the one it holds (`updated_at`), so an old batch can never roll a status back.

use crate::SyncError;
use futures_util::future::try_join_all;
use kitchen_store::SyncOrder;
use tokio_postgres::Client;
use tokio_postgres::types::ToSql;

const UPSERT_ORDER: &str = "
INSERT INTO orders (flavour, size, drink, address, customer_name, customer_phone, order_time,
                    status, shop_id, uuid, shop_order_id, number, business_date, landmark,
                    total_paisa, source, call_sid, cancel_reason, updated_at, synced_at,
                    fulfilment_type, zone_id, zone_name, pickup_in_minutes, payment_method,
                    pays_with_paisa, change_paisa, note, eta_minutes, bill,
                    rider_id, rider_name, rider_phone, dispatched_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, now(),
        $20, $21, $22, $23, $24, $25, $26, $27, $28, $29::text::jsonb, $30, $31, $32, $33)
ON CONFLICT (shop_id, uuid) DO UPDATE SET
    flavour = EXCLUDED.flavour, size = EXCLUDED.size, drink = EXCLUDED.drink,
    address = EXCLUDED.address, customer_name = EXCLUDED.customer_name,
    customer_phone = EXCLUDED.customer_phone, order_time = EXCLUDED.order_time,
    status = EXCLUDED.status, shop_order_id = EXCLUDED.shop_order_id,
    number = EXCLUDED.number, business_date = EXCLUDED.business_date,
    landmark = EXCLUDED.landmark, total_paisa = EXCLUDED.total_paisa,
    source = EXCLUDED.source, call_sid = EXCLUDED.call_sid,
    cancel_reason = EXCLUDED.cancel_reason, updated_at = EXCLUDED.updated_at,
    synced_at = now(),
    fulfilment_type = EXCLUDED.fulfilment_type, zone_id = EXCLUDED.zone_id,
    zone_name = EXCLUDED.zone_name, pickup_in_minutes = EXCLUDED.pickup_in_minutes,
    payment_method = EXCLUDED.payment_method, pays_with_paisa = EXCLUDED.pays_with_paisa,
    change_paisa = EXCLUDED.change_paisa, note = EXCLUDED.note,
    eta_minutes = EXCLUDED.eta_minutes, bill = EXCLUDED.bill,
    rider_id = EXCLUDED.rider_id, rider_name = EXCLUDED.rider_name,
    rider_phone = EXCLUDED.rider_phone, dispatched_at = EXCLUDED.dispatched_at
WHERE orders.updated_at IS NULL OR orders.updated_at <= EXCLUDED.updated_at";

// JSON goes over the wire as text and becomes JSONB in the statement (`::text::jsonb`), so
// the driver needs no JSON type of its own; text that is not JSON fails the batch.
const UPSERT_ITEM: &str = "
INSERT INTO order_items (shop_id, order_uuid, position, item_id, name, name_ur, kind, size_id,
                         size_label, quantity, unit_price_paisa, line_total_paisa, detail)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::text::jsonb)
ON CONFLICT (shop_id, order_uuid, position) DO UPDATE SET
    item_id = EXCLUDED.item_id, name = EXCLUDED.name, name_ur = EXCLUDED.name_ur,
    kind = EXCLUDED.kind, size_id = EXCLUDED.size_id, size_label = EXCLUDED.size_label,
    quantity = EXCLUDED.quantity, unit_price_paisa = EXCLUDED.unit_price_paisa,
    line_total_paisa = EXCLUDED.line_total_paisa, detail = EXCLUDED.detail";

const TRIM_ITEMS: &str =
    "DELETE FROM order_items WHERE shop_id = $1 AND order_uuid = $2 AND position >= $3";

const UPSERT_EVENT: &str = "
INSERT INTO order_events (shop_id, order_uuid, seq, from_status, to_status, reason, actor, at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
ON CONFLICT (shop_id, order_uuid, seq) DO UPDATE SET
    from_status = EXCLUDED.from_status, to_status = EXCLUDED.to_status,
    reason = EXCLUDED.reason, actor = EXCLUDED.actor, at = EXCLUDED.at";

/// The seed's VARCHAR limits (the original table may already exist with them).
const FLAVOUR_MAX: usize = 100;
const SIZE_MAX: usize = 20;
const DRINK_MAX: usize = 50;
const NAME_MAX: usize = 100;
const PHONE_MAX: usize = 20;
const STATUS_MAX: usize = 20;

/// Writes `orders` of shop `shop_id` in one transaction.
pub async fn push(
    client: &mut Client,
    shop_id: &str,
    orders: &[SyncOrder],
) -> Result<(), SyncError> {
    let tx = client.transaction().await?;
    tx.execute(
        "INSERT INTO shops (shop_id) VALUES ($1)
         ON CONFLICT (shop_id) DO UPDATE SET last_sync_at = now()",
        &[&shop_id],
    )
    .await?;
    let (order_stmt, item_stmt, event_stmt, trim_stmt) = futures_util::try_join!(
        tx.prepare(UPSERT_ORDER),
        tx.prepare(UPSERT_ITEM),
        tx.prepare(UPSERT_EVENT),
        tx.prepare(TRIM_ITEMS)
    )?;
    // Statements on one connection run in the order they are sent; sending them all
    // before awaiting any (pipelining) saves a round trip each. Orders go first: items and
    // history refer to them.
    let rows: Vec<OrderRow<'_>> = orders.iter().map(|o| OrderRow::new(shop_id, o)).collect();
    let params: Vec<_> = rows.iter().map(OrderRow::params).collect();
    try_join_all(params.iter().map(|p| tx.execute(&order_stmt, p))).await?;
    // An order changed while new may have fewer lines than before: drop the ones past its end.
    let counts: Vec<i32> = orders.iter().map(|o| small(o.items.len() as i64)).collect();
    let trims: Vec<[&(dyn ToSql + Sync); 3]> = orders
        .iter()
        .zip(&counts)
        .map(|(o, n)| [&shop_id as &(dyn ToSql + Sync), &o.uuid, n])
        .collect();
    try_join_all(trims.iter().map(|p| tx.execute(&trim_stmt, p))).await?;
    let items: Vec<ItemRow<'_>> = orders
        .iter()
        .flat_map(|o| o.items.iter().map(move |i| ItemRow::new(shop_id, o, i)))
        .collect();
    let events: Vec<EventRow<'_>> = orders
        .iter()
        .flat_map(|o| o.history.iter().map(move |e| EventRow::new(shop_id, o, e)))
        .collect();
    let item_params: Vec<_> = items.iter().map(ItemRow::params).collect();
    let event_params: Vec<_> = events.iter().map(EventRow::params).collect();
    try_join_all(
        item_params
            .iter()
            .map(|p| tx.execute(&item_stmt, p))
            .chain(event_params.iter().map(|p| tx.execute(&event_stmt, p))),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// `s` cut to at most `max` characters (never inside a character).
fn cut(s: &str, max: usize) -> &str {
    match s.char_indices().nth(max) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

fn small(n: i64) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

struct OrderRow<'a> {
    shop_id: &'a str,
    o: &'a SyncOrder,
    flavour: &'a str,
    size: &'a str,
    drink: Option<&'a str>,
    customer_name: Option<&'a str>,
    customer_phone: Option<&'a str>,
    status: &'a str,
    order_time: chrono::NaiveDateTime,
    number: i32,
    pickup_in_minutes: Option<i32>,
    eta_minutes: Option<i32>,
}

impl<'a> OrderRow<'a> {
    fn new(shop_id: &'a str, o: &'a SyncOrder) -> Self {
        OrderRow {
            shop_id,
            o,
            flavour: cut(&o.flavour, FLAVOUR_MAX),
            size: cut(&o.size, SIZE_MAX),
            drink: o.drink.as_deref().map(|d| cut(d, DRINK_MAX)),
            customer_name: o.customer_name.as_deref().map(|n| cut(n, NAME_MAX)),
            customer_phone: o.customer_phone.as_deref().map(|p| cut(p, PHONE_MAX)),
            status: cut(&o.status, STATUS_MAX),
            order_time: o.order_time.naive_utc(),
            number: small(o.number),
            pickup_in_minutes: o.pickup_in_minutes.map(small),
            eta_minutes: o.eta_minutes.map(small),
        }
    }

    fn params(&self) -> [&(dyn ToSql + Sync); 33] {
        [
            &self.flavour,
            &self.size,
            &self.drink,
            &self.o.address,
            &self.customer_name,
            &self.customer_phone,
            &self.order_time,
            &self.status,
            &self.shop_id,
            &self.o.uuid,
            &self.o.id,
            &self.number,
            &self.o.business_date,
            &self.o.landmark,
            &self.o.total_paisa,
            &self.o.source,
            &self.o.call_sid,
            &self.o.cancel_reason,
            &self.o.updated_at,
            &self.o.fulfilment_type,
            &self.o.zone_id,
            &self.o.zone_name,
            &self.pickup_in_minutes,
            &self.o.payment_method,
            &self.o.pays_with_paisa,
            &self.o.change_paisa,
            &self.o.note,
            &self.eta_minutes,
            &self.o.bill_json,
            &self.o.rider_id,
            &self.o.rider_name,
            &self.o.rider_phone,
            &self.o.dispatched_at,
        ]
    }
}

struct ItemRow<'a> {
    shop_id: &'a str,
    order: &'a SyncOrder,
    i: &'a kitchen_store::SyncItem,
    position: i32,
    quantity: i32,
}

impl<'a> ItemRow<'a> {
    fn new(shop_id: &'a str, order: &'a SyncOrder, i: &'a kitchen_store::SyncItem) -> Self {
        ItemRow {
            shop_id,
            order,
            i,
            position: small(i.position),
            quantity: small(i.quantity),
        }
    }

    fn params(&self) -> [&(dyn ToSql + Sync); 13] {
        [
            &self.shop_id,
            &self.order.uuid,
            &self.position,
            &self.i.item_id,
            &self.i.name,
            &self.i.name_ur,
            &self.i.kind,
            &self.i.size_id,
            &self.i.size_label,
            &self.quantity,
            &self.i.unit_price_paisa,
            &self.i.line_total_paisa,
            &self.i.detail_json,
        ]
    }
}

struct EventRow<'a> {
    shop_id: &'a str,
    order: &'a SyncOrder,
    e: &'a kitchen_store::SyncEvent,
    seq: i32,
}

impl<'a> EventRow<'a> {
    fn new(shop_id: &'a str, order: &'a SyncOrder, e: &'a kitchen_store::SyncEvent) -> Self {
        EventRow {
            shop_id,
            order,
            e,
            seq: small(e.seq),
        }
    }

    fn params(&self) -> [&(dyn ToSql + Sync); 8] {
        [
            &self.shop_id,
            &self.order.uuid,
            &self.seq,
            &self.e.from_status,
            &self.e.to_status,
            &self.e.reason,
            &self.e.actor,
            &self.e.at,
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cutting_respects_characters() {
        assert_eq!(cut("Chicken Tikka", 7), "Chicken");
        assert_eq!(cut("چکن تکہ", 3), "چکن");
        assert_eq!(cut("short", 100), "short");
    }
}
