//! Orders: what a caller or a member of staff asks for ([`OrderRequest`]), the priced and
//! checked order with its bill, ready to be saved ([`NewOrder`], made by
//! [`NewOrder::price`]), and an order as the kitchen sees it ([`Order`]).

mod changes;
mod line;
mod price;
mod request;
#[cfg(test)]
mod tests;

pub use changes::{ChangeNote, OrderChanged, describe_changes};
pub use line::{ChosenOption, DealContents, DealPart, Fulfilment, Half, OrderLine, Payment};
pub use price::PriceContext;
pub use request::{
    DealChoice, FulfilmentRequest, HalfRequest, LineRequest, OptionChoice, OrderRequest,
    PaymentRequest,
};

use crate::bill::Bill;
use crate::menu::ItemKind;
use crate::money::Money;
use crate::phone::PhoneNumber;
use crate::status::OrderStatus;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Where an order came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum OrderSource {
    /// Typed in by staff (dashboard or API).
    Staff,
    /// Taken by the AI on a phone call.
    Phone,
}

impl OrderSource {
    /// `staff` or `phone`.
    pub fn as_str(self) -> &'static str {
        match self {
            OrderSource::Staff => "staff",
            OrderSource::Phone => "phone",
        }
    }

    /// Parses `staff` or `phone`.
    pub fn parse(s: &str) -> Option<OrderSource> {
        match s {
            "staff" => Some(OrderSource::Staff),
            "phone" => Some(OrderSource::Phone),
            _ => None,
        }
    }
}

/// A checked, priced order, ready to be saved. Only [`NewOrder::price`] makes one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOrder {
    lines: Vec<OrderLine>,
    fulfilment: Fulfilment,
    payment: Payment,
    customer_name: Option<String>,
    customer_phone: Option<PhoneNumber>,
    note: Option<String>,
    bill: Bill,
    total: Money,
    eta_minutes: u32,
}

/// Most lines one order may have.
pub const MAX_LINES: usize = 30;

impl NewOrder {
    /// Replaces the customer's phone with the one the call came from (phone orders take the
    /// number from Twilio, never from what the AI heard).
    pub fn with_phone(mut self, phone: Option<PhoneNumber>) -> Self {
        self.customer_phone = phone;
        self
    }

    /// Busy mode: `extra` minutes (minutes per open order × the open orders, see
    /// [`busy_extra_minutes`](crate::shop::busy_extra_minutes)) added to the promised time. A
    /// pickup time the caller named stays unless the kitchen now needs longer than it
    /// (`pickup_eta` + `extra`).
    #[must_use]
    pub fn with_busy_minutes(mut self, extra: u32, pickup_eta: u32) -> Self {
        self.eta_minutes = match self.fulfilment {
            Fulfilment::Pickup {
                pickup_in_minutes: Some(named),
            } => named.max(pickup_eta.saturating_add(extra)),
            _ => self.eta_minutes.saturating_add(extra),
        };
        self
    }

    /// The priced lines.
    pub fn lines(&self) -> &[OrderLine] {
        &self.lines
    }
    /// Delivery or pickup.
    pub fn fulfilment(&self) -> &Fulfilment {
        &self.fulfilment
    }
    /// The delivery address (empty for pickups).
    pub fn address(&self) -> &str {
        self.fulfilment.address()
    }
    /// The landmark, if given.
    pub fn landmark(&self) -> Option<&str> {
        self.fulfilment.landmark()
    }
    /// How the customer pays.
    pub fn payment(&self) -> &Payment {
        &self.payment
    }
    /// The customer's name, if given.
    pub fn customer_name(&self) -> Option<&str> {
        self.customer_name.as_deref()
    }
    /// The customer's phone, if known.
    pub fn customer_phone(&self) -> Option<&PhoneNumber> {
        self.customer_phone.as_ref()
    }
    /// The order's note.
    pub fn note(&self) -> Option<&str> {
        self.note.as_deref()
    }
    /// The bill.
    pub fn bill(&self) -> &Bill {
        &self.bill
    }
    /// What the customer pays: the bill's total.
    pub fn total(&self) -> Money {
        self.total
    }
    /// Minutes until it is delivered (the zone's time) or ready for pickup.
    pub fn eta_minutes(&self) -> u32 {
        self.eta_minutes
    }

    /// The seed's `flavour`, `size` and `drink` columns, filled from the first pizza (or
    /// the first line when there is no pizza) and the first drink, so old reports work.
    pub fn seed_columns(&self) -> SeedColumns {
        seed_columns(&self.lines)
    }
}

/// The original system's one-pizza-one-drink view of an order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedColumns {
    /// Name of the first pizza.
    pub flavour: String,
    /// Its size label.
    pub size: String,
    /// The first drink, `Coca-Cola 1.5 L`.
    pub drink: Option<String>,
}

/// See [`NewOrder::seed_columns`]: deals' contents count, in order.
pub fn seed_columns(lines: &[OrderLine]) -> SeedColumns {
    // (kind, name, size label) of every item, deals opened up.
    let flat: Vec<(ItemKind, &str, &str)> = lines
        .iter()
        .flat_map(|l| match &l.deal {
            Some(d) => d
                .parts
                .iter()
                .map(|p| (p.kind, p.name.as_str(), p.size_label.as_str()))
                .collect::<Vec<_>>(),
            None => vec![(l.kind, l.name.as_str(), l.size_label.as_str())],
        })
        .collect();
    let main = flat
        .iter()
        .find(|(k, _, _)| *k == ItemKind::Pizza)
        .or_else(|| flat.first());
    SeedColumns {
        flavour: main.map(|m| m.1.to_string()).unwrap_or_default(),
        size: main.map(|m| m.2.to_string()).unwrap_or_default(),
        drink: flat
            .iter()
            .find(|(k, _, _)| *k == ItemKind::Drink)
            .map(|(_, n, s)| format!("{n} {s}")),
    }
}

/// One recorded status change: who moved the order, from what, to what, when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusChangeRecord {
    /// Status before; `None` for the creation of the order.
    pub from: Option<OrderStatus>,
    /// Status after.
    pub to: OrderStatus,
    /// Why (cancellations always have one).
    pub reason: Option<String>,
    /// Who: a staff username, or `phone-ai`.
    pub by: String,
    /// When.
    pub at: DateTime<Utc>,
    /// What an edit changed (rows with reason `changed`; empty for status changes and for
    /// edits that changed nothing the kitchen cares about).
    pub changes: Vec<ChangeNote>,
}

/// An order as stored and shown to the kitchen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Order {
    /// Local row id (the seed's `id`).
    pub id: i64,
    /// Public id, stable across shops and sync targets.
    pub uuid: Uuid,
    /// Short number for the day, shouted in the kitchen: `#17`.
    pub number: u32,
    /// The shop's business day the number belongs to.
    pub business_date: NaiveDate,
    /// Where it stands.
    pub status: OrderStatus,
    /// The reason given when it was cancelled (or returned by its rider).
    pub cancel_reason: Option<String>,
    /// The rider it went out with, as at dispatch (none before it went out, or when the
    /// shop has no riders set up).
    pub rider: Option<crate::rider::OrderRider>,
    /// Priced lines.
    pub lines: Vec<OrderLine>,
    /// Delivery (address, landmark, zone) or pickup.
    pub fulfilment: Fulfilment,
    /// How the customer pays, and the change to carry.
    pub payment: Payment,
    /// Customer's name.
    pub customer_name: Option<String>,
    /// Customer's phone (E.164, or withheld).
    pub customer_phone: Option<PhoneNumber>,
    /// A note for the whole order.
    pub note: Option<String>,
    /// The bill.
    pub bill: Bill,
    /// What the customer pays (the bill's total).
    pub total: Money,
    /// Minutes to delivery or pickup promised when it was placed.
    pub eta_minutes: Option<u32>,
    /// Staff or phone.
    pub source: OrderSource,
    /// The Twilio CallSid of a phone order.
    pub call_sid: Option<String>,
    /// When it was taken (the seed's `order_time`).
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
    /// When it entered its current status: the time of the last status change that brought
    /// it there (a recall counts; a `changed` edit does not; an undo puts back the time it
    /// first came to the status it returns to), its creation time while it has none.
    pub status_since: DateTime<Utc>,
    /// Its status history, oldest first (empty when not loaded).
    pub history: Vec<StatusChangeRecord>,
    /// Its latest edit that changed something (what the board's CHANGED badge shows), if it
    /// was ever changed after it was placed.
    pub changed: Option<OrderChanged>,
}

impl Order {
    /// The delivery address (empty for pickups).
    pub fn address(&self) -> &str {
        self.fulfilment.address()
    }

    /// The landmark, for deliveries.
    pub fn landmark(&self) -> Option<&str> {
        self.fulfilment.landmark()
    }

    /// How it leaves the shop: by a rider or over the counter.
    pub fn handover(&self) -> crate::status::Handover {
        self.fulfilment.handover()
    }

    /// The seed's columns for this order.
    pub fn seed_columns(&self) -> SeedColumns {
        seed_columns(&self.lines)
    }
}
