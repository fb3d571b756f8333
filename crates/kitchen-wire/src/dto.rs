//! What the API sends: domain values converted at the boundary into the wire shapes the
//! dashboard and scripts rely on. The seed's order fields (`id, flavour, size, drink,
//! address, customer_name, customer_phone, order_time, status`) keep their names.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use kitchen_domain::{
    ItemKind, Menu, Order, OrderLine, OrderSource, OrderStatus, StatusChangeRecord,
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
    /// Delivery address.
    pub address: String,
    /// Landmark.
    pub landmark: Option<String>,
    /// Customer's name.
    pub customer_name: Option<String>,
    /// E.164, `withheld`, or null.
    pub customer_phone: Option<String>,
    /// Every line.
    pub items: Vec<OrderItemDto>,
    /// Sum of the lines, paisa.
    #[ts(type = "number")]
    pub total: i64,
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
    /// Status history, on single-order reads.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub history: Option<Vec<HistoryDto>>,
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
    /// How many.
    pub quantity: u8,
    /// Price of one, paisa.
    #[ts(type = "number")]
    pub unit_price: i64,
    /// Line total, paisa.
    #[ts(type = "number")]
    pub line_total: i64,
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
            address: o.address.clone(),
            landmark: o.landmark.clone(),
            customer_name: o.customer_name.clone(),
            customer_phone: o.customer_phone.as_ref().map(ToString::to_string),
            items: o.lines.iter().map(OrderItemDto::from).collect(),
            total: o.total.paisa(),
            source: o.source,
            call_sid: o.call_sid.clone(),
            cancel_reason: o.cancel_reason.clone(),
            order_time: time(o.created_at),
            updated_at: time(o.updated_at),
            history: with_history.then(|| o.history.iter().map(HistoryDto::from).collect()),
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
            quantity: l.quantity.get(),
            unit_price: l.unit_price.paisa(),
            line_total: l.line_total.paisa(),
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
        }
    }
}

/// The menu as the API shows it: `{"items":[…]}`, the same shape `PUT /api/menu` takes.
#[derive(Debug, Clone, Serialize)]
pub struct MenuDto<'a> {
    /// Every item, available or not.
    pub items: &'a [kitchen_domain::MenuItem],
}

impl<'a> From<&'a Menu> for MenuDto<'a> {
    fn from(m: &'a Menu) -> Self {
        MenuDto { items: m.items() }
    }
}
