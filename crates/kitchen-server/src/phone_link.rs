//! The kitchen as the phone side sees it: [`Kitchen`] implemented over the order service
//! and the store. This is the only place where what the relay asks for meets SQL.

use kitchen_core::{OrderService, PlaceContext, Placed};
use kitchen_domain::{
    CallRecord, LineRequest, Menu, NewCallCard, NewOrder, Order, OrderRequest, PhoneNumber,
};
use kitchen_phone::kitchen::{
    CallUpdate, Kitchen, KitchenError, KitchenFuture, LastDelivery, PlaceError, RecentOrders,
};
use kitchen_store::{OrderFilter, PhoneFilter, Store, StoreError};

/// [`Kitchen`] over the store and the order service (which announces every order placed).
#[derive(Debug, Clone)]
pub struct PhoneKitchen {
    store: Store,
    orders: OrderService,
}

impl PhoneKitchen {
    /// The phone's kitchen over `store`, placing orders through `orders`.
    pub fn new(store: Store, orders: OrderService) -> Self {
        PhoneKitchen { store, orders }
    }
}

/// A store failure as the phone side sees it (a locked database stays recognisable).
fn kitchen_error(e: StoreError) -> KitchenError {
    if matches!(e, StoreError::Busy) {
        KitchenError::Busy(e.into())
    } else {
        KitchenError::Failed(e.into())
    }
}

impl Kitchen for PhoneKitchen {
    fn menu(&self) -> KitchenFuture<'_, std::sync::Arc<Menu>> {
        Box::pin(async move { self.store.menu().await.map_err(kitchen_error) })
    }

    fn last_delivery(&self, phone: String) -> KitchenFuture<'_, Option<LastDelivery>> {
        Box::pin(async move {
            let last = self
                .store
                .last_delivery(phone)
                .await
                .map_err(kitchen_error)?;
            Ok(last.map(|d| LastDelivery {
                name: d.name,
                address: d.address,
                landmark: d.landmark,
            }))
        })
    }

    fn shop_now(&self) -> KitchenFuture<'_, kitchen_core::ShopNow> {
        Box::pin(async move { Ok(self.orders.shop_now().await) })
    }

    fn local_now(&self) -> chrono::NaiveDateTime {
        self.orders.local_now()
    }

    fn ai_usage_today(&self) -> KitchenFuture<'_, kitchen_domain::AiUsage> {
        Box::pin(async move {
            let (from, to, now) = self.orders.business_day_span_now();
            self.store
                .ai_usage(from, to, now)
                .await
                .map_err(kitchen_error)
        })
    }

    fn quote(&self, req: OrderRequest) -> KitchenFuture<'_, NewOrder, PlaceError> {
        Box::pin(async move {
            self.orders
                .quote_for(&req, kitchen_domain::OrderSource::Phone)
                .await
                .map_err(PlaceError::from)
        })
    }

    fn quote_draft(&self, req: OrderRequest) -> KitchenFuture<'_, NewOrder, PlaceError> {
        Box::pin(async move {
            self.orders
                .quote_draft(&req)
                .await
                .map_err(PlaceError::from)
        })
    }

    fn place_order(
        &self,
        req: OrderRequest,
        ctx: PlaceContext,
    ) -> KitchenFuture<'_, Placed, PlaceError> {
        Box::pin(async move { self.orders.place(req, ctx).await.map_err(PlaceError::from) })
    }

    fn recent_orders(
        &self,
        phone: PhoneNumber,
        within: chrono::Duration,
    ) -> KitchenFuture<'_, RecentOrders> {
        Box::pin(async move {
            let now = self.orders.now();
            let PhoneNumber::E164(number) = phone else {
                return Ok(RecentOrders {
                    now,
                    orders: Vec::new(),
                });
            };
            let orders = self
                .store
                .orders(OrderFilter {
                    status: None,
                    since: Some(now - within),
                    phone: Some(PhoneFilter::Exact(number)),
                    business_date: None,
                    limit: 20,
                })
                .await
                .map_err(kitchen_error)?;
            Ok(RecentOrders { now, orders })
        })
    }

    fn todays_order(&self, number: u32) -> KitchenFuture<'_, Option<Order>> {
        Box::pin(async move {
            self.store
                .order_by_number(self.orders.business_date_now(), number)
                .await
                .map_err(kitchen_error)
        })
    }

    fn cancel_order(
        &self,
        id: i64,
        reason: String,
        actor: String,
    ) -> KitchenFuture<'_, Order, PlaceError> {
        Box::pin(async move {
            self.orders
                .cancel_while_new(id, reason, actor)
                .await
                .map_err(PlaceError::from)
        })
    }

    fn amend_order(
        &self,
        id: i64,
        items: Option<Vec<LineRequest>>,
        note: Option<String>,
        actor: String,
    ) -> KitchenFuture<'_, Order, PlaceError> {
        Box::pin(async move {
            self.orders
                .amend_while_new(id, items, note, actor)
                .await
                .map_err(PlaceError::from)
        })
    }

    fn log_calls(&self, updates: Vec<CallUpdate>) -> KitchenFuture<'_, ()> {
        Box::pin(async move { self.store.log_calls(updates).await.map_err(kitchen_error) })
    }

    fn call_record(&self, call_sid: String) -> KitchenFuture<'_, CallRecord> {
        Box::pin(async move {
            self.store
                .call_record(call_sid)
                .await
                .map_err(kitchen_error)
        })
    }

    fn add_call_card(&self, card: NewCallCard) -> KitchenFuture<'_, ()> {
        Box::pin(async move {
            // Saved, then announced on the bus the orders use (the board shows it at once).
            self.orders
                .add_call_card(card)
                .await
                .map(drop)
                .map_err(kitchen_error)
        })
    }
}
