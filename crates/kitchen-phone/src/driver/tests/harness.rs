//! The test kitchen behind the driver, and in-memory sockets for both sides of a call.
//!
//! [`socket`] gives the driver's end (a `Stream` of what the test sends that is also a
//! `Sink` for what the driver sends) and the test's [`Peer`]. Every wait is bounded by
//! [`PATIENCE`] of tokio time, which the paused clock skips through in no real time.

use crate::CallService;
use crate::config::PhoneConfig;
use crate::driver::run;
use crate::kitchen::{
    Kitchen, KitchenError, KitchenFuture, LastDelivery, PlaceError, RecentOrders,
};
use crate::outcome::CallEnd;
use crate::realtime::ConnectError;
use crate::registry::CallRegistry;
use crate::service::Followed;
use crate::timeouts::CallTimeouts;
use axum::extract::ws::Message;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use futures_util::{Sink, Stream};
use kitchen_core::{
    BusinessDay, EventBus, OrderService, PlaceContext, Placed, Published, SharedClock, SystemClock,
};
use kitchen_domain::{CallRecord, CallUpdate, NewCallCard};
use kitchen_domain::{LineRequest, Menu, NewOrder, Order, OrderRequest, PhoneNumber, ShopSettings};
use kitchen_store::{OrderFilter, PhoneFilter, Store, StoreError, StoreOptions};
use kitchen_wire::KitchenEvent;
use serde_json::{Value, json};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tempfile::TempDir;
use tokio::sync::{broadcast, mpsc};
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::Message as RtMessage;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

/// The media stream's `streamSid`.
pub const SID: &str = "MZ00000000000000000000000000000001";
/// The call.
pub const CALL_SID: &str = "CA00000000000000000000000000000001";
/// The Twilio account.
pub const ACCOUNT: &str = "AC0123456789abcdef0123456789abcdef";
/// Who is calling.
pub const CALLER: &str = "+923001234567";
/// Longest wait for anything (paused time: costs nothing unless something hangs).
const PATIENCE: Duration = Duration::from_secs(2 * 3600);

/// A socket failure, as the driver sees it.
#[derive(Debug)]
pub struct Broken;

/// The driver's end of an in-memory WebSocket.
#[derive(Debug)]
pub struct Socket<M> {
    inbox: mpsc::UnboundedReceiver<Result<M, Broken>>,
    outbox: mpsc::UnboundedSender<M>,
}

/// The test's end of an in-memory WebSocket.
#[derive(Debug)]
pub struct Peer<M> {
    to_driver: mpsc::UnboundedSender<Result<M, Broken>>,
    from_driver: Option<mpsc::UnboundedReceiver<M>>,
}

/// A connected pair.
pub fn socket<M>() -> (Socket<M>, Peer<M>) {
    let (to_driver, inbox) = mpsc::unbounded_channel();
    let (outbox, from_driver) = mpsc::unbounded_channel();
    (
        Socket { inbox, outbox },
        Peer {
            to_driver,
            from_driver: Some(from_driver),
        },
    )
}

impl<M> Stream for Socket<M> {
    type Item = Result<M, Broken>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inbox.poll_recv(cx)
    }
}

impl<M> Sink<M> for Socket<M> {
    type Error = Broken;

    fn poll_ready(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Result<(), Broken>> {
        Poll::Ready(if self.outbox.is_closed() {
            Err(Broken)
        } else {
            Ok(())
        })
    }

    fn start_send(self: Pin<&mut Self>, item: M) -> Result<(), Broken> {
        self.outbox.send(item).map_err(|_| Broken)
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Result<(), Broken>> {
        Poll::Ready(Ok(()))
    }

    fn poll_close(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Result<(), Broken>> {
        Poll::Ready(Ok(()))
    }
}

/// What the tests need of a WebSocket message type (axum's for Twilio, tungstenite's for
/// the AI).
pub trait Frame: Sized + std::fmt::Debug {
    fn text(s: String) -> Self;
    fn as_text(&self) -> Option<&str>;
    /// `Some(code)` for a close frame (`Some(None)`: no code).
    fn close_code(&self) -> Option<Option<u16>>;
}

impl Frame for Message {
    fn text(s: String) -> Self {
        Message::Text(s.into())
    }
    fn as_text(&self) -> Option<&str> {
        match self {
            Message::Text(t) => Some(t.as_str()),
            _ => None,
        }
    }
    fn close_code(&self) -> Option<Option<u16>> {
        match self {
            Message::Close(f) => Some(f.as_ref().map(|f| f.code)),
            _ => None,
        }
    }
}

impl Frame for RtMessage {
    fn text(s: String) -> Self {
        RtMessage::Text(s.into())
    }
    fn as_text(&self) -> Option<&str> {
        match self {
            RtMessage::Text(t) => Some(t.as_str()),
            _ => None,
        }
    }
    fn close_code(&self) -> Option<Option<u16>> {
        match self {
            RtMessage::Close(f) => Some(f.as_ref().map(|f| u16::from(f.code))),
            _ => None,
        }
    }
}

impl<M: Frame> Peer<M> {
    pub fn send(&self, m: M) {
        let _gone_is_fine = self.to_driver.send(Ok(m));
    }

    pub fn send_text(&self, text: &str) {
        self.send(M::text(text.to_string()));
    }

    pub fn send_json(&self, v: Value) {
        self.send_text(&v.to_string());
    }

    /// The driver's next read fails, as a broken connection does.
    pub fn break_reads(&self) {
        let _gone_is_fine = self.to_driver.send(Err(Broken));
    }

    /// Stops reading: the driver's sends fail from now on.
    pub fn fail_next_sends(&mut self) {
        self.from_driver = None;
    }

    /// The next message from the driver; `None` once it dropped its end.
    pub async fn next(&mut self) -> Option<M> {
        let rx = self
            .from_driver
            .as_mut()
            .expect("this peer stopped reading");
        tokio::time::timeout(PATIENCE, rx.recv())
            .await
            .expect("the driver sent nothing")
    }

    /// The next message already sent, if there is one (as JSON text); call [`settle`]
    /// first to let the driver finish what it was doing.
    pub fn try_next_json(&mut self) -> Option<Value> {
        let rx = self
            .from_driver
            .as_mut()
            .expect("this peer stopped reading");
        let m = rx.try_recv().ok()?;
        let t = m
            .as_text()
            .unwrap_or_else(|| panic!("expected JSON text, got {m:?}"));
        Some(serde_json::from_str(t).unwrap_or_else(|e| panic!("{e}: {t}")))
    }

    /// The next message, which must be JSON text.
    pub async fn next_json(&mut self) -> Value {
        match self.next().await {
            Some(m) => match m.as_text() {
                Some(t) => serde_json::from_str(t).unwrap_or_else(|e| panic!("{e}: {t}")),
                None => panic!("expected JSON text, got {m:?}"),
            },
            None => panic!("the driver closed the socket"),
        }
    }

    /// Reads up to the driver's close frame: whether one came.
    pub async fn closed(&mut self) -> bool {
        self.close_code_opt().await.is_some()
    }

    /// Reads up to the driver's close frame: its code.
    pub async fn close_code(&mut self) -> Option<u16> {
        self.close_code_opt()
            .await
            .expect("the driver dropped the socket without a close frame")
    }

    async fn close_code_opt(&mut self) -> Option<Option<u16>> {
        while let Some(m) = self.next().await {
            if let Some(code) = m.close_code() {
                return Some(code);
            }
        }
        None
    }
}

/// Twilio's `start` for `call_sid`, carrying `token`.
pub fn start(call_sid: &str, token: &str) -> Value {
    json!({"event": "start", "sequenceNumber": "1", "streamSid": SID,
        "start": {"accountSid": ACCOUNT, "streamSid": SID, "callSid": call_sid,
            "tracks": ["inbound"], "customParameters": {"caller": CALLER, "token": token},
            "mediaFormat": {"encoding": "audio/x-mulaw", "sampleRate": 8000, "channels": 1}}})
}

pub fn b64(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

pub fn unb64(v: &Value) -> Vec<u8> {
    STANDARD.decode(v.as_str().unwrap()).unwrap()
}

/// Returns once every task is idle: on the paused clock, a 1 ms sleep ends only when the
/// runtime has nothing else to do (and no blocking SQLite work is in flight).
pub async fn settle() {
    tokio::time::sleep(Duration::from_millis(1)).await;
}

/// How the driver ended.
pub async fn finished(driver: JoinHandle<CallEnd>) -> CallEnd {
    tokio::time::timeout(PATIENCE, driver)
        .await
        .expect("the call never ended")
        .expect("the driver panicked")
}

/// The call-log record of `call_sid` once `call.ended` announced it.
pub async fn ended(events: &mut broadcast::Receiver<Published>, call_sid: &str) -> CallRecord {
    loop {
        let published = tokio::time::timeout(PATIENCE, events.recv())
            .await
            .expect("no call.ended")
            .expect("the event bus closed");
        if let KitchenEvent::CallEnded { call } = &*published.event
            && call.call_sid == call_sid
        {
            return call.clone();
        }
    }
}

/// A kitchen (SQLite in a temp folder, the default menu, the order service, the call log)
/// and a call registry whose AI sockets are in-memory.
pub struct Harness {
    pub calls: CallService,
    /// The kitchen's events (call log, orders).
    pub bus: EventBus,
    pub registry: CallRegistry<Socket<RtMessage>>,
    store: Store,
    timeouts: CallTimeouts,
    /// The call cards the kitchen was given.
    cards: Arc<std::sync::Mutex<Vec<NewCallCard>>>,
    _dir: TempDir,
}

/// The kitchen behind the driver: the real order service over SQLite in a temp folder
/// (what kitchen-server's `PhoneKitchen` does in the app); call cards are kept in memory,
/// in the order they came, for the tests to read ([`Harness::call_cards`]).
#[derive(Debug)]
struct TestKitchen {
    store: Store,
    orders: OrderService,
    cards: Arc<std::sync::Mutex<Vec<NewCallCard>>>,
}

fn failed(e: StoreError) -> KitchenError {
    KitchenError::Failed(e.into())
}

impl Kitchen for TestKitchen {
    fn menu(&self) -> KitchenFuture<'_, std::sync::Arc<Menu>> {
        Box::pin(async move { self.store.menu().await.map_err(failed) })
    }

    fn last_delivery(&self, _phone: String) -> KitchenFuture<'_, Option<LastDelivery>> {
        Box::pin(async move { Ok(None) })
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
            self.store.ai_usage(from, to, now).await.map_err(failed)
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
                .map_err(failed)?;
            Ok(RecentOrders { now, orders })
        })
    }

    fn todays_order(&self, number: u32) -> KitchenFuture<'_, Option<Order>> {
        Box::pin(async move {
            self.store
                .order_by_number(self.orders.business_date_now(), number)
                .await
                .map_err(failed)
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
        Box::pin(async move { self.store.log_calls(updates).await.map_err(failed) })
    }

    fn call_record(&self, call_sid: String) -> KitchenFuture<'_, CallRecord> {
        Box::pin(async move { self.store.call_record(call_sid).await.map_err(failed) })
    }

    fn add_call_card(&self, card: NewCallCard) -> KitchenFuture<'_, ()> {
        Box::pin(async move {
            self.cards
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .push(card);
            Ok(())
        })
    }
}

impl Harness {
    pub async fn new(tweak: impl FnOnce(&mut PhoneConfig)) -> Harness {
        Harness::with_settings(tweak, ShopSettings::default()).await
    }

    /// A shop whose own phone takes the calls the AI hands over.
    pub async fn with_shop_phone(phone: &str) -> Harness {
        let settings = ShopSettings {
            shop_phone: Some(kitchen_domain::settings::E164::parse(phone, "x").unwrap()),
            ..ShopSettings::default()
        };
        Harness::with_settings(|_| {}, settings).await
    }

    pub async fn with_settings(
        tweak: impl FnOnce(&mut PhoneConfig),
        shop: ShopSettings,
    ) -> Harness {
        let dir = tempfile::tempdir().unwrap();
        let mut phone = PhoneConfig::new();
        tweak(&mut phone);
        let path = dir.path().join(kitchen_store::DB_FILE_NAME);
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
        let clock: SharedClock = Arc::new(SystemClock);
        let day = BusinessDay {
            utc_offset: chrono::FixedOffset::east_opt(5 * 3600).unwrap(),
            starts_at_hour: 5,
        };
        // The settings in effect never change during a driver test; the order service
        // prices with the same ones the calls see.
        let (_, settings) = tokio::sync::watch::channel(Arc::new(shop));
        let orders = OrderService::new(
            store.clone(),
            bus.clone(),
            clock.clone(),
            day,
            settings.clone(),
        );
        let timeouts = phone.timeouts;
        let cards = Arc::default();
        let (_, tunnel_url) = tokio::sync::watch::channel(None);
        let calls = CallService::new(
            phone,
            Followed {
                settings,
                tunnel_url,
            },
            Arc::new(TestKitchen {
                store: store.clone(),
                orders,
                cards: Arc::clone(&cards),
            }),
            bus.clone(),
            clock,
            TaskTracker::new(),
            CancellationToken::new(),
        );
        Harness {
            calls,
            bus,
            registry: CallRegistry::new(timeouts.stream_token),
            store,
            cards,
            timeouts,
            _dir: dir,
        }
    }

    /// The webhook's part: logs the call and registers it with the AI connection `ai`
    /// resolves to. Returns the call's one-time token.
    pub fn ring(&self, call_sid: &str, ai: Result<Socket<RtMessage>, ConnectError>) -> String {
        self.ring_with(call_sid, async move { ai })
    }

    /// [`Harness::ring`] with an AI connection that opens when `ai` resolves.
    pub fn ring_with(
        &self,
        call_sid: &str,
        ai: impl Future<Output = Result<Socket<RtMessage>, ConnectError>> + Send + 'static,
    ) -> String {
        self.calls.inner.log.record(CallUpdate::Started {
            call_sid: call_sid.to_string(),
            caller: Some(CALLER.to_string()),
            at: self.calls.inner.clock.now(),
        });
        self.registry.register(
            call_sid.to_string(),
            ACCOUNT.to_string(),
            PhoneNumber::parse(CALLER).unwrap(),
            tokio::spawn(ai),
            Instant::now(),
        )
    }

    /// A media stream opens: the driver runs on it.
    pub fn answer(&self) -> (JoinHandle<CallEnd>, Peer<Message>) {
        let (socket, peer) = socket::<Message>();
        let driver = tokio::spawn(run(
            socket,
            self.registry.clone(),
            self.calls.clone(),
            self.timeouts,
        ));
        (driver, peer)
    }

    /// A call rung and answered, relaying both ways (caller audio has reached the AI).
    pub async fn answered_call(&self) -> (Peer<Message>, Peer<RtMessage>, JoinHandle<CallEnd>) {
        self.answered_call_as(CALL_SID).await
    }

    /// [`Harness::answered_call`] for another CallSid.
    pub async fn answered_call_as(
        &self,
        call_sid: &str,
    ) -> (Peer<Message>, Peer<RtMessage>, JoinHandle<CallEnd>) {
        let (ai, mut ai_peer) = socket::<RtMessage>();
        let token = self.ring(call_sid, Ok(ai));
        let (driver, phone) = self.answer();
        phone.send_json(start(call_sid, &token));
        phone.send_json(
            json!({"event": "media", "sequenceNumber": "2", "streamSid": SID,
            "media": {"track": "inbound", "chunk": "1", "timestamp": "0", "payload": "AAAA"}}),
        );
        let first = ai_peer.next_json().await;
        assert_eq!(first["type"], "input_audio_buffer.append", "{first}");
        (phone, ai_peer, driver)
    }

    /// The call cards the calls have made so far, in the order they came.
    pub fn call_cards(&self) -> Vec<NewCallCard> {
        self.cards
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// The orders in the store.
    pub async fn orders(&self) -> Vec<Order> {
        let filter = OrderFilter {
            limit: 100,
            ..OrderFilter::default()
        };
        self.store.orders(filter).await.unwrap()
    }
}

/// The test kitchen keeps the cards a call leaves, in order, for the driver's tests to read.
#[tokio::test]
async fn the_test_kitchen_keeps_the_call_cards_in_the_order_they_came() {
    let h = Harness::new(|_| {}).await;
    assert!(h.call_cards().is_empty());
    let transfer = NewCallCard {
        kind: kitchen_domain::CallCardKind::Transfer,
        call_sid: CALL_SID.to_string(),
        phone: Some(CALLER.to_string()),
        reason: Some("complaint".into()),
        summary: "Pizza thandi thi".into(),
        total: None,
    };
    let unfinished = NewCallCard {
        kind: kitchen_domain::CallCardKind::UnfinishedOrder,
        reason: None,
        summary: "2× Chicken Tikka Large".into(),
        total: Some(kitchen_domain::Money::from_rupees(4_398)),
        ..transfer.clone()
    };
    let kitchen = &h.calls.inner.kitchen;
    kitchen.add_call_card(transfer.clone()).await.unwrap();
    kitchen.add_call_card(unfinished.clone()).await.unwrap();
    assert_eq!(h.call_cards(), [transfer, unfinished]);
}
