//! The order service: the one way orders are created and moved, whoever asks (the kitchen
//! API and the phone AI's tools). It checks requests against the live menu, commits
//! through the store, and only then publishes the event. Call cards (what the kitchen must
//! do about a call) go through it too, since a placed order resolves its caller's
//! unfinished-order card.

use crate::clock::{BusinessDay, SharedClock};
use crate::events::EventBus;
use kitchen_domain::call_card::RESOLVED_BY_SYSTEM;
use kitchen_domain::{
    AvailabilityChange, CallCard, CashUp, FieldError, Fulfilment, LineRequest, Menu, NewCallCard,
    NewOrder, Order, OrderRequest, OrderSource, OrderStatus, PhoneNumber, PriceContext,
    ShopSettings, ValidationErrors, shop::busy_extra_minutes,
};
use kitchen_store::{CreatedOrder, Dispatch, OrderMeta, Store, StoreError};
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
        let now = self.local_now();
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
        let local = self.local_now();
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
                self.resolve_unfinished_cards(&order).await;
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

    /// Changes only the lines and/or the note of order `id` (a caller ringing back: "add a
    /// Coke", "make it medium", "ring twice"), keeping its delivery or pickup, payment,
    /// customer and phone, and re-prices the whole order with the live menu and settings the
    /// way [`amend`](Self::amend) does (the same store path, so it is flagged CHANGED on the
    /// board with what changed, and announced as `order.updated`). `Some("")` as the note
    /// clears it. Saved only while the order is still `new`, checked as it is written (a
    /// kitchen that starts it meanwhile wins: `order_not_editable`, nothing changed). What
    /// the phone AI's `amend_order` uses.
    pub async fn amend_while_new(
        &self,
        id: i64,
        items: Option<Vec<LineRequest>>,
        note: Option<String>,
        actor: String,
    ) -> Result<Order, OrderError> {
        let current = self.store.order(id).await?;
        let mut req = current.to_request();
        if let Some(items) = items {
            req.items = items;
        }
        if let Some(note) = note {
            req.note = Some(note.trim().to_string()).filter(|n| !n.is_empty());
        }
        let order = self
            .quote(&req)
            .await?
            .with_phone(current.customer_phone.clone());
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
        self.change_status_with_rider(id, to, reason, None, actor)
            .await
    }

    /// [`change_status`](Self::change_status) naming, for `out_for_delivery`, the rider
    /// who takes it (one of the settings' riders, kept on the order as they are now).
    /// With riders set up a dispatch must name one (`rider_required`); an id the settings
    /// do not have is `unknown_rider`; a rider with any other status is
    /// `rider_not_allowed` (each a field error under `rider_id`; nothing changes). Without
    /// riders set up an order goes out with none named.
    pub async fn change_status_with_rider(
        &self,
        id: i64,
        to: OrderStatus,
        reason: Option<String>,
        rider_id: Option<String>,
        actor: String,
    ) -> Result<Order, OrderError> {
        let rider_id = rider_id
            .map(|r| r.trim().to_string())
            .filter(|r| !r.is_empty());
        let riders = self.settings.borrow().riders.clone();
        let rider_error = |code: &'static str, message: String| {
            OrderError::Invalid(ValidationErrors(vec![FieldError::coded(
                "rider_id", code, message,
            )]))
        };
        let dispatch = match (to, rider_id) {
            (OrderStatus::OutForDelivery, Some(want)) => {
                let Some(r) = riders.iter().find(|r| r.id == want) else {
                    let known: Vec<&str> = riders.iter().map(|r| r.id.as_str()).collect();
                    return Err(rider_error(
                        "unknown_rider",
                        if known.is_empty() {
                            format!(
                                "there is no rider `{}`: the shop has no riders set up (add them in Settings, or send no rider_id)",
                                want.chars().take(40).collect::<String>()
                            )
                        } else {
                            format!(
                                "there is no rider `{}`; use one of the riders in Settings: {}",
                                want.chars().take(40).collect::<String>(),
                                known.join(", ")
                            )
                        },
                    ));
                };
                Some(Dispatch {
                    rider_id: r.id.clone(),
                    name: r.name.clone(),
                    phone: r.phone.clone(),
                })
            }
            (OrderStatus::OutForDelivery, None) if !riders.is_empty() => {
                return Err(rider_error(
                    "rider_required",
                    "name the rider who takes this order (rider_id: one of the riders in Settings)"
                        .to_string(),
                ));
            }
            (OrderStatus::OutForDelivery, None) => None,
            (other, Some(_)) => {
                return Err(rider_error(
                    "rider_not_allowed",
                    format!(
                        "a rider is named only when an order goes out_for_delivery, not when it becomes {other}; leave rider_id out"
                    ),
                ));
            }
            (OrderStatus::Delivered, None) if !riders.is_empty() => {
                // The seed's ready → delivered stays open for shops without riders; with
                // riders, a delivery goes out with one first, so its cash is someone's.
                let current = self.store.order(id).await?;
                if current.status == OrderStatus::Ready
                    && matches!(current.fulfilment, Fulfilment::Delivery { .. })
                {
                    return Err(rider_error(
                        "rider_required",
                        "this shop has riders: send the order out with one first (status out_for_delivery with rider_id), then mark it delivered"
                            .to_string(),
                    ));
                }
                None
            }
            (_, None) => None,
        };
        let order = self
            .store
            .change_status_with_rider(id, to, reason, dispatch, actor, self.clock.now())
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

    /// The cash-up of business day `date`, with the riders and payment methods the
    /// settings have now.
    pub async fn cashup(&self, date: chrono::NaiveDate) -> Result<CashUp, OrderError> {
        let s = self.settings.borrow().clone();
        Ok(self
            .store
            .cashup(date, s.riders.clone(), s.payment_methods.clone())
            .await?)
    }

    /// Marks rider `rider_id`'s cash of day `date` as handed in (by `by`, now), for the
    /// amount the server counts; the day's cash-up, or `None` when that day knows no such
    /// rider.
    pub async fn mark_cash_collected(
        &self,
        date: chrono::NaiveDate,
        rider_id: String,
        expected: Option<i64>,
        by: String,
    ) -> Result<Option<CashUp>, OrderError> {
        let s = self.settings.borrow().clone();
        Ok(self
            .store
            .mark_cash_collected(
                date,
                rider_id,
                expected,
                s.riders.clone(),
                s.payment_methods.clone(),
                by,
                self.clock.now(),
            )
            .await?)
    }

    /// Takes back rider `rider_id`'s "collected" mark of day `date`; the day's cash-up, or
    /// `None` when that day knows no such rider.
    pub async fn unmark_cash_collected(
        &self,
        date: chrono::NaiveDate,
        rider_id: String,
    ) -> Result<Option<CashUp>, OrderError> {
        let s = self.settings.borrow().clone();
        Ok(self
            .store
            .unmark_cash_collected(date, rider_id, s.riders.clone(), s.payment_methods.clone())
            .await?)
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

    /// An order from a phone arrived: the open `unfinished_order` call cards of that phone
    /// are done (by `system`), and each is announced as `call_card.done`. The order is
    /// already committed and announced, so a failure here is only logged: the card stays on
    /// the board for the kitchen to close by hand.
    async fn resolve_unfinished_cards(&self, order: &Order) {
        let Some(PhoneNumber::E164(phone)) = &order.customer_phone else {
            return;
        };
        let resolved = self
            .store
            .resolve_unfinished_call_cards(
                phone.clone(),
                RESOLVED_BY_SYSTEM.to_string(),
                self.clock.now(),
            )
            .await;
        match resolved {
            Ok(ids) => {
                for id in ids {
                    self.bus.publish(KitchenEvent::CallCardDone { id });
                }
            }
            Err(e) => tracing::warn!(
                error = %e,
                order = order.id,
                "could not resolve the caller's unfinished-order cards; they stay open"
            ),
        }
    }

    /// Saves a call card made on a call (an unfinished order, a transfer, a call back) and
    /// then announces it as `call_card.created`, for the board.
    pub async fn add_call_card(&self, card: NewCallCard) -> Result<CallCard, StoreError> {
        let card = self.store.add_call_card(card, self.clock.now()).await?;
        self.bus
            .publish(KitchenEvent::CallCardCreated { card: card.clone() });
        Ok(card)
    }

    /// Marks call card `id` done by `actor` and announces `call_card.done`. A card that was
    /// already done (another screen was quicker) is returned as it was, and nothing is
    /// announced again. [`StoreError::NotFound`] for an unknown id.
    pub async fn finish_call_card(&self, id: i64, actor: String) -> Result<CallCard, StoreError> {
        let (card, changed) = self
            .store
            .finish_call_card(id, actor, self.clock.now())
            .await?;
        if changed {
            self.bus.publish(KitchenEvent::CallCardDone { id: card.id });
        }
        Ok(card)
    }

    /// Now, by the service's clock (the one orders are stamped with).
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }

    /// Now, in the shop's local time (what opening hours and deal hours are read against).
    pub fn local_now(&self) -> chrono::NaiveDateTime {
        self.clock
            .now()
            .with_timezone(&self.day.utc_offset)
            .naive_local()
    }

    /// The business day of an instant, in the shop's time.
    pub fn business_date_now(&self) -> chrono::NaiveDate {
        self.day.date_of(self.clock.now())
    }

    /// Today's business day as a span of time, and now: `(start, end, now)` (what the
    /// phone's daily AI budget counts).
    pub fn business_day_span_now(
        &self,
    ) -> (
        chrono::DateTime<chrono::Utc>,
        chrono::DateTime<chrono::Utc>,
        chrono::DateTime<chrono::Utc>,
    ) {
        let now = self.clock.now();
        let date = self.day.date_of(now);
        let next = date.succ_opt().unwrap_or(date);
        (self.day.start_of(date), self.day.start_of(next), now)
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
        let menu = Menu::clone(&*self.store.menu().await?).with_availability(change)?;
        self.store.replace_menu(menu.clone()).await?;
        self.bus.publish(KitchenEvent::MenuUpdated);
        Ok(menu)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::SystemClock;
    use kitchen_store::StoreOptions;

    /// An order service over a real SQLite file with the default menu and settings, and
    /// a subscription to what it announces.
    async fn service(
        dir: &tempfile::TempDir,
    ) -> (
        OrderService,
        tokio::sync::broadcast::Receiver<crate::Published>,
    ) {
        let path = dir.path().join("melt8.db");
        let store =
            tokio::task::spawn_blocking(move || Store::open(&path, &StoreOptions::default()))
                .await
                .unwrap()
                .unwrap();
        store
            .seed_menu_if_empty(Menu::default_menu())
            .await
            .unwrap();
        let bus = EventBus::default();
        let announced = bus.subscribe();
        let day = BusinessDay {
            utc_offset: chrono::FixedOffset::east_opt(5 * 3600).unwrap(),
            starts_at_hour: 5,
        };
        let (_, settings) = watch::channel(Arc::new(ShopSettings::default()));
        let service = OrderService::new(store, bus, Arc::new(SystemClock), day, settings);
        (service, announced)
    }

    fn family(phone: &str) -> OrderRequest {
        let mut req = OrderRequest::delivery(
            vec![
                LineRequest::item("chicken-tikka", "large", 2),
                LineRequest::item("coca-cola", "1.5l", 1),
            ],
            "House 12, Street 4, Gulberg III, Lahore",
        );
        req.customer_name = Some("Ali".into());
        req.customer_phone = Some(phone.into());
        req.payment = Some(kitchen_domain::PaymentRequest {
            method: kitchen_domain::PaymentMethod::Cash,
            pays_with: Some(1_000_000),
        });
        req
    }

    fn staff() -> PlaceContext {
        PlaceContext {
            source: OrderSource::Staff,
            actor: "chef".into(),
            call_sid: None,
            idempotency_key: None,
            caller: None,
        }
    }

    fn updated(announced: &mut tokio::sync::broadcast::Receiver<crate::Published>) -> OrderDto {
        loop {
            let event = announced.try_recv().unwrap();
            if let KitchenEvent::OrderUpdated { order } = &*event.event {
                return order.clone();
            }
        }
    }

    #[tokio::test]
    async fn amend_while_new_changes_only_lines_or_note_re_prices_and_announces_what_changed() {
        let dir = tempfile::tempdir().unwrap();
        let (orders, mut announced) = service(&dir).await;
        let placed = orders
            .place(family("0300-1234567"), staff())
            .await
            .unwrap()
            .order;

        // Only the note: the lines, delivery, payment and customer stay.
        let noted = orders
            .amend_while_new(
                placed.id,
                None,
                Some(" ring twice ".into()),
                "phone-ai".into(),
            )
            .await
            .unwrap();
        assert_eq!(noted.note.as_deref(), Some("ring twice"));
        assert_eq!(noted.lines, placed.lines);
        assert_eq!(noted.total, placed.total);
        assert_eq!(
            (
                &noted.fulfilment,
                noted.payment,
                &noted.customer_name,
                &noted.customer_phone
            ),
            (
                &placed.fulfilment,
                placed.payment,
                &placed.customer_name,
                &placed.customer_phone
            )
        );
        let what: Vec<String> = noted
            .changed
            .iter()
            .flat_map(|c| &c.what)
            .map(|w| w.en.clone())
            .collect();
        assert_eq!(what, ["note: ring twice"]);
        let told = updated(&mut announced);
        assert_eq!(told.id, placed.id);
        assert_eq!(told.changed.unwrap().what, noted.changed.unwrap().what);

        // The lines: re-priced like a new order of the same lines; the note stays.
        let lines = vec![
            LineRequest::item("chicken-tikka", "medium", 2),
            LineRequest::item("coca-cola", "1.5l", 1),
        ];
        let mut same = family("0300-1234567");
        same.items = lines.clone();
        let want = orders.quote(&same).await.unwrap();
        let resized = orders
            .amend_while_new(placed.id, Some(lines), None, "phone-ai".into())
            .await
            .unwrap();
        assert_eq!(resized.total, want.total());
        assert_ne!(resized.total, placed.total);
        assert_eq!(resized.note.as_deref(), Some("ring twice"));
        let what: Vec<String> = resized
            .changed
            .iter()
            .flat_map(|c| &c.what)
            .map(|w| w.en.clone())
            .collect();
        assert_eq!(what, ["2× Large 13\" → Medium 10\" Chicken Tikka"]);
        assert_eq!(updated(&mut announced).total, resized.total.paisa());

        // A note given as empty clears it.
        let cleared = orders
            .amend_while_new(placed.id, None, Some("  ".into()), "phone-ai".into())
            .await
            .unwrap();
        assert_eq!(cleared.note, None);
    }

    #[tokio::test]
    async fn amend_while_new_refuses_a_started_order_and_lines_off_the_menu_changing_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let (orders, mut announced) = service(&dir).await;
        let placed = orders
            .place(family("0300-1234567"), staff())
            .await
            .unwrap()
            .order;
        let bad = orders
            .amend_while_new(
                placed.id,
                Some(vec![LineRequest::item("coca-cola", "family", 1)]),
                None,
                "phone-ai".into(),
            )
            .await
            .unwrap_err();
        assert!(matches!(bad, OrderError::Invalid(_)), "{bad:?}");
        orders
            .change_status(placed.id, OrderStatus::Preparing, None, "chef".into())
            .await
            .unwrap();
        let before = orders.store.order(placed.id).await.unwrap();
        while announced.try_recv().is_ok() {}
        let started = orders
            .amend_while_new(
                placed.id,
                None,
                Some("ring twice".into()),
                "phone-ai".into(),
            )
            .await
            .unwrap_err();
        assert!(
            matches!(started, OrderError::Store(StoreError::NotEditable(_))),
            "{started:?}"
        );
        assert_eq!(orders.store.order(placed.id).await.unwrap(), before);
        assert!(announced.try_recv().is_err(), "nothing is announced");
        let missing = orders
            .amend_while_new(9_999, None, Some("x".into()), "phone-ai".into())
            .await
            .unwrap_err();
        assert!(
            matches!(missing, OrderError::Store(StoreError::NotFound)),
            "{missing:?}"
        );
    }
}
