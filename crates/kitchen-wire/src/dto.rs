//! What the API sends: domain values converted at the boundary into the wire shapes the
//! dashboard and scripts rely on. The seed's order fields (`id, flavour, size, drink,
//! address, customer_name, customer_phone, order_time, status`) keep their names.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use kitchen_domain::{
    Bill, ChangeNote, ChosenOption, DealContents, Fulfilment, Half, ItemKind, Menu, NewOrder,
    Order, OrderLine, OrderSource, OrderStatus, Payment, StatusChangeRecord,
};
use serde::Serialize;

/// An order as the API shows it. Money is integer paisa.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct OrderDto {
    /// Local id (the seed's `id`).
    #[ts(type = "number")]
    pub id: i64,
    /// Public id.
    pub uuid: String,
    /// Daily number (`#17`).
    pub number: u32,
    /// The business day the number belongs to.
    #[ts(type = "string")]
    pub business_date: NaiveDate,
    /// Status.
    pub status: OrderStatus,
    /// Seed: first pizza's name.
    pub flavour: String,
    /// Seed: its size.
    pub size: String,
    /// Seed: first drink.
    pub drink: Option<String>,
    /// Delivery address (seed; empty for pickups).
    pub address: String,
    /// Landmark.
    pub landmark: Option<String>,
    /// Customer's name.
    pub customer_name: Option<String>,
    /// E.164, `withheld`, or null.
    pub customer_phone: Option<String>,
    /// Every line.
    pub items: Vec<OrderItemDto>,
    /// What the customer pays (the bill's total), paisa.
    #[ts(type = "number")]
    pub total: i64,
    /// Delivery (address, landmark, zone) or pickup.
    pub fulfilment: Fulfilment,
    /// How the customer pays, and the change to carry.
    pub payment: Payment,
    /// The bill: lines, savings, delivery fee, tax, total, the total in Urdu words.
    pub bill: Bill,
    /// A note for the whole order.
    pub note: Option<String>,
    /// Minutes to delivery or pickup promised when it was placed.
    pub eta_minutes: Option<u32>,
    /// `staff` or `phone`.
    pub source: OrderSource,
    /// Twilio CallSid of a phone order.
    pub call_sid: Option<String>,
    /// Why it was cancelled.
    pub cancel_reason: Option<String>,
    /// When it was taken (seed name), RFC 3339 UTC.
    pub order_time: String,
    /// When it last changed, RFC 3339 UTC.
    pub updated_at: String,
    /// When it entered its current status (the status change that brought it there; after
    /// an undo, the time it first came to that status; its `order_time` while it has had
    /// none), RFC 3339 UTC: what the board's age timers count from.
    pub status_since: String,
    /// Status history, on single-order reads.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub history: Option<Vec<HistoryDto>>,
    /// The latest edit after it was placed that changed something (the caller rang back:
    /// by phone AI or at the dashboard), null when it was never changed: the board shows
    /// it as the ticket's CHANGED badge and alerts again when it is newer than it knew.
    pub changed: Option<ChangedDto>,
    /// The rider it went out with, as at dispatch; null before it went out (undo clears
    /// it) or when the shop has no riders set up.
    pub rider: Option<RiderDto>,
}

/// The rider an order went out with.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct RiderDto {
    /// The rider's id in the settings.
    pub id: String,
    /// Name at dispatch.
    pub name: String,
    /// Phone at dispatch, E.164.
    pub phone: String,
    /// When the order went out, RFC 3339 UTC.
    pub dispatched_at: String,
}

/// What an order's latest edit changed, and when.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct ChangedDto {
    /// When the edit was saved, RFC 3339 UTC.
    pub at: String,
    /// What it changed, each in English and Urdu (`{"en": "+1 Coke 1.5 L", "ur": "…"}`):
    /// lines added, removed or resized, then the note, delivery or pickup, the address, the
    /// payment method and the name.
    pub what: Vec<ChangeNote>,
}

/// One line of an order.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct OrderItemDto {
    /// Menu item id.
    pub item_id: String,
    /// English name.
    pub name: String,
    /// Urdu name.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub name_ur: Option<String>,
    /// Pizza, drink or side.
    pub kind: ItemKind,
    /// Size id.
    pub size_id: String,
    /// Size label.
    pub size_label: String,
    /// Size's Urdu label, when the menu had one at the time of ordering.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub size_label_ur: Option<String>,
    /// How many.
    pub quantity: u8,
    /// Price of one, paisa.
    #[ts(type = "number")]
    pub unit_price: i64,
    /// Line total, paisa.
    #[ts(type = "number")]
    pub line_total: i64,
    /// Options chosen.
    pub options: Vec<ChosenOption>,
    /// The other half of a half-and-half.
    pub half: Option<Half>,
    /// A note for the kitchen.
    pub note: Option<String>,
    /// A deal's contents (deal lines: `kind` is `deal`, `item_id` the deal id).
    pub deal: Option<DealContents>,
}

/// `POST /api/orders/quote`: an order priced by the server, nothing saved.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct QuoteDto {
    /// The priced lines.
    pub items: Vec<OrderItemDto>,
    /// Delivery or pickup.
    pub fulfilment: Fulfilment,
    /// Payment and change.
    pub payment: Payment,
    /// The bill.
    pub bill: Bill,
    /// Minutes to delivery (the zone's) or until ready for pickup.
    pub eta_minutes: u32,
}

impl QuoteDto {
    /// The quote of a priced order.
    pub fn from_new_order(o: &NewOrder) -> Self {
        QuoteDto {
            items: o.lines().iter().map(OrderItemDto::from).collect(),
            fulfilment: o.fulfilment().clone(),
            payment: *o.payment(),
            bill: o.bill().clone(),
            eta_minutes: o.eta_minutes(),
        }
    }
}

/// One status change.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct HistoryDto {
    /// Status before (null: the order was taken).
    pub from: Option<OrderStatus>,
    /// Status after.
    pub to: OrderStatus,
    /// Why.
    pub reason: Option<String>,
    /// Who.
    pub by: String,
    /// When.
    pub at: String,
    /// What an edit (`reason` `changed`) changed; absent for status changes.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<ChangeNote>>", optional)]
    pub what: Vec<ChangeNote>,
}

/// An instant as the API writes it: RFC 3339 in UTC, with milliseconds.
pub fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

impl OrderDto {
    /// The API view of an order; `with_history` adds its status history.
    pub fn from_order(o: &Order, with_history: bool) -> Self {
        let seed = o.seed_columns();
        OrderDto {
            id: o.id,
            uuid: o.uuid.to_string(),
            number: o.number,
            business_date: o.business_date,
            status: o.status,
            flavour: seed.flavour,
            size: seed.size,
            drink: seed.drink,
            address: o.address().to_string(),
            landmark: o.landmark().map(str::to_string),
            customer_name: o.customer_name.clone(),
            customer_phone: o.customer_phone.as_ref().map(ToString::to_string),
            items: o.lines.iter().map(OrderItemDto::from).collect(),
            total: o.total.paisa(),
            fulfilment: o.fulfilment.clone(),
            payment: o.payment,
            bill: o.bill.clone(),
            note: o.note.clone(),
            eta_minutes: o.eta_minutes,
            source: o.source,
            call_sid: o.call_sid.clone(),
            cancel_reason: o.cancel_reason.clone(),
            order_time: time(o.created_at),
            updated_at: time(o.updated_at),
            status_since: time(o.status_since),
            history: with_history.then(|| o.history.iter().map(HistoryDto::from).collect()),
            changed: o.changed.as_ref().map(|c| ChangedDto {
                at: time(c.at),
                what: c.what.clone(),
            }),
            rider: o.rider.as_ref().map(|r| RiderDto {
                id: r.id.clone(),
                name: r.name.clone(),
                phone: r.phone.clone(),
                dispatched_at: time(r.dispatched_at),
            }),
        }
    }
}

impl From<&OrderLine> for OrderItemDto {
    fn from(l: &OrderLine) -> Self {
        OrderItemDto {
            item_id: l.item_id.clone(),
            name: l.name.clone(),
            name_ur: l.name_ur.clone(),
            kind: l.kind,
            size_id: l.size_id.clone(),
            size_label: l.size_label.clone(),
            size_label_ur: l.size_label_ur.clone(),
            quantity: l.quantity.get(),
            unit_price: l.unit_price.paisa(),
            line_total: l.line_total.paisa(),
            options: l.options.clone(),
            half: l.half.clone(),
            note: l.note.clone(),
            deal: l.deal.clone(),
        }
    }
}

impl From<&StatusChangeRecord> for HistoryDto {
    fn from(h: &StatusChangeRecord) -> Self {
        HistoryDto {
            from: h.from,
            to: h.to,
            reason: h.reason.clone(),
            by: h.by.clone(),
            at: time(h.at),
            what: h.changes.clone(),
        }
    }
}

/// The menu as the API shows it, `{"items", "option_groups", "deals"}`: the same shape
/// `PUT /api/menu` takes (the domain's `Menu` serialises as exactly that).
pub type MenuDto = Menu;
