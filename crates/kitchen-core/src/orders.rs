//! The order service: the one way orders are created and moved, whoever asks (the kitchen
//! API and the phone AI's tools). It checks requests against the live menu, commits
//! through the store, and only then publishes the event.

use crate::clock::{BusinessDay, SharedClock};
use crate::events::EventBus;
use kitchen_domain::{
    AvailabilityChange, FieldError, Menu, NewOrder, Order, OrderRequest, OrderSource, OrderStatus,
    PhoneNumber, PriceContext, ShopSettings, ValidationErrors, shop::busy_extra_minutes,
};
use kitchen_store::{CreatedOrder, OrderMeta, Store, StoreError};
use kitchen_wire::{KitchenEvent, OrderDto};
use std::sync::Arc;
use tokio::sync::watch;

/// Who is placing an order, and how.
#[derive(Debug, Clone)]
pub struct PlaceContext {
    /// Staff or phone.
    pub source: OrderSource,
    /// Recorded in the history: a username, or `phone-ai`.
    pub actor: String,
    /// The call it came from.
    pub call_sid: Option<String>,
    /// A retried request with the same key returns the first order.
    pub idempotency_key: Option<String>,
    /// For phone orders: the number the call came from, which replaces whatever the
    /// request says (`Some(None)`: no number known).
    pub caller: Option<Option<PhoneNumber>>,
}

/// A placed order.
#[derive(Debug, Clone)]
pub struct Placed {
    /// The order as committed.
    pub order: Order,
    /// False when an earlier request with the same idempotency key had already created it.
    pub created: bool,
}

/// Why an order could not be placed or changed.
#[derive(Debug, thiserror::Error)]
pub enum OrderError {
    /// The request does not fit the menu or the rules.
    #[error(transparent)]
    Invalid(#[from] ValidationErrors),
    /// The store refused or failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl OrderError {
    /// A different order was already placed under the same idempotency key.
    pub fn is_already_placed(&self) -> bool {
        matches!(self, OrderError::Store(StoreError::IdempotencyConflict))
    }

    /// The database stayed locked past its busy timeout: nothing was saved.
    pub fn is_busy(&self) -> bool {
        matches!(self, OrderError::Store(StoreError::Busy))
    }
}

/// The shop's local time and the board's load, now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShopNow {
    /// Now, in the shop's local time.
    pub local: chrono::NaiveDateTime,
    /// Orders open on the board (`new` or `preparing`).
    pub open_orders: u32,
}

/// Creates and moves orders.
#[derive(Debug, Clone)]
pub struct OrderService {
    store: Store,
    bus: EventBus,
    clock: SharedClock,
    day: BusinessDay,
    settings: watch::Receiver<Arc<ShopSettings>>,
    /// Held while the menu is read, changed and saved, so two switches at once both land.
    menu_writer: Arc<tokio::sync::Mutex<()>>,
}

impl OrderService {
    /// A service over a store and a bus, pricing with the settings in effect (zones,
    /// pickup, tax, payment methods) as they change.
    pub fn new(
        store: Store,
        bus: EventBus,
        clock: SharedClock,
        day: BusinessDay,
        settings: watch::Receiver<Arc<ShopSettings>>,
    ) -> Self {
        OrderService {
            store,
            bus,
            clock,
            day,
            settings,
            menu_writer: Arc::default(),
        }
    }

    /// Checks and prices `req` against the live menu and settings at the shop's local
    /// time now, saving nothing: what the order would cost (the builder's live price, the
    /// phone AI's read-back).
    pub async fn quote(&self, req: &OrderRequest) -> Result<NewOrder, OrderError> {
        let settings = self.settings.borrow().clone();
        self.price_now(req, settings).await
    }

    /// Prices the phone AI's draft of an order, saving nothing: like
    /// [`quote_for`](Self::quote_for) from the phone (refused while closed), except that a
    /// pickup is priced even where the shop takes none — the draft stands in a pickup (no
    /// fee) for a fulfilment the caller has not named yet, and can be placed only once they
    /// have.
    pub async fn quote_draft(&self, req: &OrderRequest) -> Result<NewOrder, OrderError> {
        self.check_open(OrderSource::Phone)?;
        let mut settings = self.settings.borrow().as_ref().clone();
        settings.pickup.enabled = true;
        self.price_now(req, Arc::new(settings)).await
    }

    async fn price_now(
        &self,
        req: &OrderRequest,
        settings: Arc<ShopSettings>,
    ) -> Result<NewOrder, OrderError> {
        let menu = self.store.menu().await?;
        let now = self
            .clock
            .now()
            .with_timezone(&self.day.utc_offset)
            .naive_local();
        let order = NewOrder::price(
            req,
            PriceContext {
                menu: &menu,
                settings: &settings,
                now,
            },
        )?;
        // Busy mode: the promised time grows with the tickets open on the board, the same
        // for the AI's read-back, the builder's quote and the saved order.
        if settings.busy_minutes_per_order == 0 {
            return Ok(order);
        }
        let open = self.store.open_order_count().await?;
        Ok(order.with_busy_minutes(
            busy_extra_minutes(settings.busy_minutes_per_order, open),
            settings.pickup.eta_minutes,
        ))
    }

    /// The shop's local time now and how many orders are open on the board: what the
    /// phone's instructions tell (open or closed, busy mode's longer times).
    /// A board that cannot be read counts as not busy (logged).
    pub async fn shop_now(&self) -> ShopNow {
        let local = self
            .clock
            .now()
            .with_timezone(&self.day.utc_offset)
            .naive_local();
        let open_orders = match self.store.open_order_count().await {
            Ok(n) => n,
            Err(e) => {
                tracing::warn!(error = %e, "could not count the open orders; not busy");
                0
            }
        };
        ShopNow { local, open_orders }
    }

    /// [`quote`](Self::quote) for an order from `source`: the phone AI is refused while the
    /// opening hours say closed (see [`check_open`](Self::check_open)).
    pub async fn quote_for(
        &self,
        req: &OrderRequest,
        source: OrderSource,
    ) -> Result<NewOrder, OrderError> {
        self.check_open(source)?;
        self.quote(req).await
    }

    /// Refuses an order from the phone AI while the opening hours say closed: a
    /// `shop_closed` error with `next_opening` (`YYYY-MM-DD HH:MM`, shop time; absent when no
    /// opening lies ahead). Staff orders (the counter, the dashboard, the API) are taken
    /// after hours too: a walk-in customer may still be served.
    pub fn check_open(&self, source: OrderSource) -> Result<(), OrderError> {
        if source != OrderSource::Phone {
            return Ok(());
        }
        let settings = self.settings.borrow().clone();
        let now = self
            .clock
            .now()
            .with_timezone(&self.day.utc_offset)
            .naive_local();
        let Some(next) = settings.closed_at(now) else {
            return Ok(());
        };
        let mut e = FieldError::coded(
            "order",
            "shop_closed",
            match next {
                Some(at) => format!(
                    "the shop is closed now; it opens at {} (shop time)",
                    at.format("%Y-%m-%d %H:%M")
                ),
                None => "the shop is closed now and no opening time is set".to_string(),
            },
        );
        if let Some(at) = next {
            e = e.with("next_opening", at.format("%Y-%m-%d %H:%M"));
        }
        Err(OrderError::Invalid(ValidationErrors(vec![e])))
    }

    /// Checks and prices `req` against the current menu and settings, saves it, and
    /// announces it. An order from the phone AI is refused while the shop is closed.
    pub async fn place(&self, req: OrderRequest, ctx: PlaceContext) -> Result<Placed, OrderError> {
        self.check_open(ctx.source)?;
        let mut order = self.quote(&req).await?;
        if let Some(caller) = ctx.caller {
            order = order.with_phone(caller);
        }
        let at = self.clock.now();
        let meta = OrderMeta {
            uuid: uuid::Uuid::new_v4(),
            at,
            business_date: self.day.date_of(at),
            source: ctx.source,
            call_sid: ctx.call_sid,
            actor: ctx.actor,
            idempotency_key: ctx.idempotency_key,
        };
        match self.store.create_order(order, meta).await? {
            CreatedOrder::New(order) => {
                self.bus.publish(KitchenEvent::OrderCreated {
                    order: OrderDto::from_order(&order, false),
                });
                Ok(Placed {
                    order,
                    created: true,
                })
            }
            CreatedOrder::Existing(order) => Ok(Placed {
                order,
                created: false,
            }),
        }
    }

    /// Replaces a `new` order with `req` re-priced against the live menu and settings
    /// (same number and id), records who changed it, and announces it. Refused once the
    /// kitchen has started the order.
    pub async fn amend(
        &self,
        id: i64,
        req: OrderRequest,
        actor: String,
    ) -> Result<Order, OrderError> {
        let order = self.quote(&req).await?;
        let order = self
            .store
            .amend_order(id, order, actor, self.clock.now())
            .await?;
        self.bus.publish(KitchenEvent::OrderUpdated {
            order: OrderDto::from_order(&order, false),
        });
        Ok(order)
    }

    /// Moves an order to `to` (a cancel needs a reason), records who, and announces it.
    pub async fn change_status(
        &self,
        id: i64,
        to: OrderStatus,
        reason: Option<String>,
        actor: String,
    ) -> Result<Order, OrderError> {
        let order = self
            .store
            .change_status(id, to, reason, actor, self.clock.now())
            .await?;
        self.bus.publish(KitchenEvent::OrderUpdated {
            order: OrderDto::from_order(&order, false),
        });
        Ok(order)
    }

    /// Cancels order `id` only while it is still `new` (checked as it is written: a kitchen
    /// that starts it meanwhile wins, with `invalid_transition` and nothing changed), and
    /// announces it. What the phone AI's `cancel_order` uses.
    pub async fn cancel_while_new(
        &self,
        id: i64,
        reason: String,
        actor: String,
    ) -> Result<Order, OrderError> {
        let order = self
            .store
            .change_status_from(
                id,
                OrderStatus::New,
                OrderStatus::Cancelled,
                Some(reason),
                actor,
                self.clock.now(),
            )
            .await?;
        self.bus.publish(KitchenEvent::OrderUpdated {
            order: OrderDto::from_order(&order, false),
        });
        Ok(order)
    }

    /// Puts an order back to where it was before its last change (within `window`), and
    /// announces it.
    pub async fn undo(
        &self,
        id: i64,
        actor: String,
        window: chrono::Duration,
    ) -> Result<Order, OrderError> {
        let order = self
            .store
            .undo_last_change(id, actor, self.clock.now(), window)
            .await?;
        self.bus.publish(KitchenEvent::OrderUpdated {
            order: OrderDto::from_order(&order, false),
        });
        Ok(order)
    }

    /// Brings a delivered or cancelled order back onto the board (see
    /// [`Store::recall_order`]), records who, and announces it.
    pub async fn recall(&self, id: i64, actor: String) -> Result<Order, OrderError> {
        let order = self.store.recall_order(id, actor, self.clock.now()).await?;
        self.bus.publish(KitchenEvent::OrderUpdated {
            order: OrderDto::from_order(&order, false),
        });
        Ok(order)
    }

    /// Now, by the service's clock (the one orders are stamped with).
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }

    /// The business day of an instant, in the shop's time.
    pub fn business_date_now(&self) -> chrono::NaiveDate {
        self.day.date_of(self.clock.now())
    }

    /// Replaces the menu the next orders (and the phone AI's tools) are checked against.
    pub async fn replace_menu(&self, menu: Menu) -> Result<(), StoreError> {
        let _one_writer = self.menu_writer.lock().await;
        self.store.replace_menu(menu).await?;
        self.bus.publish(KitchenEvent::MenuUpdated);
        Ok(())
    }

    /// Switches one item, size, option or deal on or off in the saved menu and saves it at
    /// once the way [`OrderService::replace_menu`] does (the next order and the next call's
    /// tools see it; `menu.updated` is announced). Nothing changes when the id is unknown.
    pub async fn set_availability(&self, change: &AvailabilityChange) -> Result<Menu, OrderError> {
        let _one_writer = self.menu_writer.lock().await;
        let menu = self.store.menu().await?.with_availability(change)?;
        self.store.replace_menu(menu.clone()).await?;
        self.bus.publish(KitchenEvent::MenuUpdated);
        Ok(menu)
    }
}
