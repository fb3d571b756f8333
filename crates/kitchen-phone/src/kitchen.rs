//! The phone's narrow window onto the kitchen.
//!
//! [`Kitchen`] is everything the call flow may ask of the rest of the app: read the live
//! menu and a returning caller's last delivery, place the order taken on a call, write the
//! call log (and read a call back for its event), and leave the kitchen a call card. The shop's settings (including "AI
//! answering paused") come from the settings service's `watch` channel instead. The relay never holds the store and never sees SQL: the composition root
//! (kitchen-server) implements this trait over the order service and the store, and tests
//! can implement it in memory.
//!
//! The trait is object-safe (`Arc<dyn Kitchen>`): each method returns a boxed future.

use kitchen_core::{PlaceContext, Placed, ShopNow};
use kitchen_domain::{
    CallRecord, LineRequest, Menu, NewCallCard, NewOrder, Order, OrderRequest, PhoneNumber,
    ValidationErrors,
};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// What a [`Kitchen`] method returns: a boxed future, so the trait stays object-safe.
pub type KitchenFuture<'a, T, E = KitchenError> =
    Pin<Box<dyn Future<Output = Result<T, E>> + Send + 'a>>;

/// What the phone side needs from the kitchen.
pub trait Kitchen: Send + Sync + std::fmt::Debug {
    /// The live menu the AI's tools and instructions are built from (shared, not copied).
    fn menu(&self) -> KitchenFuture<'_, Arc<Menu>>;

    /// Where the last order from `phone` (E.164) went, for "same address as last time?".
    fn last_delivery(&self, phone: String) -> KitchenFuture<'_, Option<LastDelivery>>;

    /// The shop's local time and how many orders are open on the board, for the
    /// instructions (open or closed, busy mode's times).
    fn shop_now(&self) -> KitchenFuture<'_, ShopNow>;

    /// Now, in the shop's local time: [`shop_now`](Self::shop_now) without counting the
    /// board, for what needs only the clock (a deal's hours).
    fn local_now(&self) -> chrono::NaiveDateTime;

    /// The AI's calls on today's business day: how many, their seconds (live calls up to
    /// now) and estimated cost. The daily AI budget is checked against it.
    fn ai_usage_today(&self) -> KitchenFuture<'_, kitchen_domain::AiUsage>;

    /// Checks and prices an order against the live menu and the shop's settings (zones,
    /// tax, payment methods), saving nothing: what the AI reads back. Refused with
    /// `shop_closed` while the opening hours say closed.
    fn quote(&self, req: OrderRequest) -> KitchenFuture<'_, NewOrder, PlaceError>;

    /// Prices a draft whose delivery or pickup is not known yet: as [`quote`](Self::quote),
    /// with the missing fulfilment stood in for by a pickup (no fee) even where the shop
    /// takes no pickups. Saves nothing; refused with `shop_closed` while closed.
    fn quote_draft(&self, req: OrderRequest) -> KitchenFuture<'_, NewOrder, PlaceError>;

    /// Checks, prices, saves and announces an order taken on a call. Resolves only after
    /// the order is committed: only then may the caller hear its number.
    fn place_order(
        &self,
        req: OrderRequest,
        ctx: PlaceContext,
    ) -> KitchenFuture<'_, Placed, PlaceError>;

    /// The orders placed from `phone` within `within` of now, newest first, and the
    /// kitchen's now (for their age and time left): the caller's "mera order kahan hai?".
    fn recent_orders(
        &self,
        phone: PhoneNumber,
        within: chrono::Duration,
    ) -> KitchenFuture<'_, RecentOrders>;

    /// Today's (the business day's) order numbered `number`, if there is one.
    fn todays_order(&self, number: u32) -> KitchenFuture<'_, Option<Order>>;

    /// Cancels order `id` for `reason` the way the dashboard does (recorded under `actor`,
    /// announced to the board) and returns it as saved, but only while it is still `new`
    /// (checked as it is written; otherwise an error and nothing changed). An empty reason
    /// is refused as [`PlaceError::Invalid`].
    fn cancel_order(
        &self,
        id: i64,
        reason: String,
        actor: String,
    ) -> KitchenFuture<'_, Order, PlaceError>;

    /// Changes the lines (`items`: every line as it should be now) and/or the note of
    /// order `id`, keeping its delivery or pickup, payment and customer, re-priced with the
    /// live menu the way the dashboard's edit is (recorded under `actor` with what changed,
    /// flagged CHANGED and announced to the board), and returns it as saved, but only while
    /// it is still `new` (checked as it is written; otherwise an error and nothing changed).
    /// Lines that do not fit the menu are refused as [`PlaceError::Invalid`].
    fn amend_order(
        &self,
        id: i64,
        items: Option<Vec<LineRequest>>,
        note: Option<String>,
        actor: String,
    ) -> KitchenFuture<'_, Order, PlaceError>;

    /// Writes a batch of call-log changes.
    fn log_calls(&self, updates: Vec<CallUpdate>) -> KitchenFuture<'_, ()>;

    /// A call as the log holds it now.
    fn call_record(&self, call_sid: String) -> KitchenFuture<'_, CallRecord>;

    /// Saves a call card (an unfinished order to ring back, a transfer's summary, a
    /// promised call back) and then announces it to the board. Resolves once it is saved.
    fn add_call_card(&self, card: NewCallCard) -> KitchenFuture<'_, ()>;
}

/// A caller's recent orders, and when "now" was for them.
#[derive(Debug, Clone)]
pub struct RecentOrders {
    /// The kitchen's clock when they were read.
    pub now: chrono::DateTime<chrono::Utc>,
    /// Newest first.
    pub orders: Vec<Order>,
}

/// Where a returning caller's last order went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LastDelivery {
    /// Their name then.
    pub name: Option<String>,
    /// The address.
    pub address: String,
    /// The landmark.
    pub landmark: Option<String>,
}

/// Why the kitchen could not answer. Its message is the underlying one (never a secret).
#[derive(Debug, thiserror::Error)]
pub enum KitchenError {
    /// The database stayed locked past its busy timeout: nothing was saved; try again.
    #[error(transparent)]
    Busy(anyhow::Error),
    /// Anything else.
    #[error(transparent)]
    Failed(anyhow::Error),
}

/// Why an order taken on a call was not placed.
#[derive(Debug, thiserror::Error)]
pub enum PlaceError {
    /// The order does not fit the menu or the rules.
    #[error(transparent)]
    Invalid(ValidationErrors),
    /// A different order was already placed on this call (one order per call).
    #[error("a different order was already placed on this call")]
    AlreadyPlaced,
    /// The kitchen could not save it.
    #[error(transparent)]
    Failed(KitchenError),
}

impl From<kitchen_core::OrderError> for PlaceError {
    /// The order service's answer as the phone side sees it (one mapping for every
    /// [`Kitchen`] over the order service).
    fn from(e: kitchen_core::OrderError) -> Self {
        if e.is_already_placed() {
            PlaceError::AlreadyPlaced
        } else if e.is_busy() {
            PlaceError::Failed(KitchenError::Busy(e.into()))
        } else {
            match e {
                kitchen_core::OrderError::Invalid(v) => PlaceError::Invalid(v),
                other => PlaceError::Failed(KitchenError::Failed(other.into())),
            }
        }
    }
}

/// A change to a call's log entry (the domain's type: the store writes it as it is).
pub use kitchen_domain::CallUpdate;
