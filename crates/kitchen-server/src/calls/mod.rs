//! Phone calls: the public (Twilio) router, the per-call relay between Twilio's media stream
//! and the OpenAI Realtime API, the AI's tools, and the call log.
//!
//! Flow: `POST /incoming-call` (signature checked) records the call, starts opening the AI
//! socket (pre-warm) and answers TwiML that connects the call's audio to `/media-stream`
//! with a one-time token. The stream's `start` must bring that token back within 5 s; then
//! [`driver`] relays audio through a pure [`session::CallSession`] until the call ends.

pub mod driver;
pub mod instructions;
pub mod log;
pub mod outcome;
pub mod realtime;
pub mod registry;
pub mod routes;
pub mod session;
pub mod timeouts;
pub mod tools;
pub mod twilio_rest;

use crate::clock::SharedClock;
use crate::config::PhoneConfig;
use crate::events::EventBus;
use crate::orders::OrderService;
use kitchen_store::Store;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use voice_protocol::twilio::twiml::{Dial, Response, Say};

/// Everything the phone side needs. Cheap to clone.
#[derive(Debug, Clone)]
pub struct CallService {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    /// From the environment and flags.
    base: PhoneConfig,
    /// `base` with the dashboard's stored settings laid over it; read once per use.
    cfg: std::sync::RwLock<Arc<PhoneConfig>>,
    /// What the dashboard stored.
    stored: std::sync::RwLock<crate::settings::StoredSettings>,
    registry: registry::CallRegistry,
    store: Store,
    orders: OrderService,
    log: log::CallLog,
    clock: SharedClock,
    live: TaskTracker,
    shutdown: CancellationToken,
    active: AtomicUsize,
    bus: EventBus,
    /// AI answering paused from the dashboard or the tray: calls go to the shop's phone.
    answering_paused: AtomicBool,
    /// The app's own tunnel's public URL while it is online (wins over `PUBLIC_BASE_URL`).
    tunnel_url: std::sync::RwLock<Option<String>>,
    /// Bumped whenever the effective configuration changes (the tunnel follows it).
    changes: tokio::sync::watch::Sender<u64>,
}

/// The settings key that keeps "AI answering paused" across restarts.
pub const ANSWERING_PAUSED_KEY: &str = "answering_paused";

impl CallService {
    /// The phone side over the kitchen's store, order service and event bus.
    pub fn new(
        cfg: PhoneConfig,
        store: Store,
        orders: OrderService,
        bus: EventBus,
        clock: SharedClock,
        live: TaskTracker,
        shutdown: CancellationToken,
    ) -> Self {
        let log = log::CallLog::start(store.clone(), bus.clone(), &live);
        let registry = registry::CallRegistry::new(cfg.timeouts.stream_token);
        CallService {
            inner: Arc::new(Inner {
                cfg: std::sync::RwLock::new(Arc::new(cfg.clone())),
                base: cfg,
                stored: std::sync::RwLock::default(),
                registry,
                store,
                orders,
                log,
                clock,
                live,
                shutdown,
                active: AtomicUsize::new(0),
                bus,
                answering_paused: AtomicBool::new(false),
                tunnel_url: std::sync::RwLock::default(),
                changes: tokio::sync::watch::channel(0).0,
            }),
        }
    }

    /// The phone configuration in effect now (environment and flags, overridden by the
    /// settings stored from the dashboard).
    pub fn config(&self) -> Arc<PhoneConfig> {
        match self.inner.cfg.read() {
            Ok(c) => c.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// The settings stored from the dashboard.
    pub fn stored_settings(&self) -> crate::settings::StoredSettings {
        match self.inner.stored.read() {
            Ok(s) => s.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Takes new stored settings into use: the next call sees them.
    pub fn apply_settings(&self, stored: crate::settings::StoredSettings) {
        match self.inner.stored.write() {
            Ok(mut s) => *s = stored,
            Err(poisoned) => *poisoned.into_inner() = stored,
        }
        self.recompute_config();
    }

    /// The effective configuration from the base, the stored settings and the tunnel.
    fn recompute_config(&self) {
        let mut effective = self.stored_settings().apply_to(&self.inner.base);
        if let Some(url) = self.tunnel_url() {
            effective.public_base_url = Some(url);
        }
        let effective = Arc::new(effective);
        match self.inner.cfg.write() {
            Ok(mut c) => *c = effective,
            Err(poisoned) => *poisoned.into_inner() = effective,
        }
        self.inner.changes.send_modify(|n| *n = n.wrapping_add(1));
    }

    /// Tells the phone side the app's own tunnel's public URL (`None`: offline). While
    /// set, stream URLs and signature checks use it instead of `PUBLIC_BASE_URL`.
    pub fn set_tunnel_url(&self, url: Option<String>) {
        let url = url.map(|u| u.trim_end_matches('/').to_string());
        {
            let mut current = match self.inner.tunnel_url.write() {
                Ok(g) => g,
                Err(poisoned) => poisoned.into_inner(),
            };
            if *current == url {
                return;
            }
            *current = url;
        }
        self.recompute_config();
    }

    /// The tunnel's public URL while it is online.
    pub fn tunnel_url(&self) -> Option<String> {
        match self.inner.tunnel_url.read() {
            Ok(u) => u.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Changes whenever the effective configuration does (settings saved, tunnel URL).
    pub fn config_changes(&self) -> tokio::sync::watch::Receiver<u64> {
        self.inner.changes.subscribe()
    }

    /// Whether AI answering is paused (calls then go straight to the shop's phone).
    pub fn answering_paused(&self) -> bool {
        self.inner.answering_paused.load(Ordering::Relaxed)
    }

    /// Pauses or resumes AI answering: stored (it survives a restart), in effect for the
    /// next call, and announced as `answering.changed`. The desktop tray calls this.
    pub async fn set_answering_paused(
        &self,
        paused: bool,
    ) -> Result<(), kitchen_store::StoreError> {
        self.inner
            .store
            .set_setting(ANSWERING_PAUSED_KEY, paused.to_string())
            .await?;
        let was = self.inner.answering_paused.swap(paused, Ordering::Relaxed);
        if was != paused {
            tracing::info!(
                paused,
                "AI answering {}",
                if paused { "paused" } else { "resumed" }
            );
        }
        self.inner
            .bus
            .publish(crate::events::KitchenEvent::AnsweringChanged { paused });
        Ok(())
    }

    /// Reads the stored pause (at start).
    pub async fn load_answering_paused(&self) -> Result<bool, kitchen_store::StoreError> {
        let paused = self
            .inner
            .store
            .setting(ANSWERING_PAUSED_KEY)
            .await?
            .is_some_and(|v| v == "true");
        self.inner.answering_paused.store(paused, Ordering::Relaxed);
        Ok(paused)
    }

    /// Calls with a live media stream right now.
    pub fn active_calls(&self) -> usize {
        self.inner.active.load(Ordering::Relaxed)
    }

    /// Whether callers can be handed to a person.
    pub fn can_transfer(&self) -> bool {
        self.config().shop_phone.is_some()
    }

    /// TwiML that moves the caller on when the AI cannot serve: to the shop's phone, or a
    /// short apology in Urdu and a hang-up. Never silence.
    pub fn fallback_twiml(&self) -> String {
        fallback_response(self.config().shop_phone.as_deref()).render()
    }

    /// TwiML that hands the caller to the shop's phone.
    pub fn transfer_twiml(&self) -> String {
        match &self.config().shop_phone {
            Some(phone) => Response::new()
                .say(Say::urdu(TRANSFER_MESSAGE))
                .dial(Dial::number(phone.clone()).timeout(30))
                .render(),
            None => self.fallback_twiml(),
        }
    }

    pub(crate) fn rest(&self, account_sid: &str) -> Option<twilio_rest::TwilioRest> {
        let cfg = self.config();
        let token = cfg.twilio_auth_token.clone()?;
        let account = cfg.twilio_account_sid.as_deref().unwrap_or(account_sid);
        Some(twilio_rest::TwilioRest::new(
            &cfg.twilio_api_base,
            account,
            token,
        ))
    }
}

/// Said before connecting to the shop.
const TRANSFER_MESSAGE: &str = "ایک لمحہ، ہم آپ کو دکان سے ملا رہے ہیں۔";
/// Said when no one can take the call.
const APOLOGY: &str =
    "معذرت، اس وقت ہم آپ کا آرڈر نہیں لے سکتے۔ براہ کرم تھوڑی دیر بعد دوبارہ کال کریں۔ شکریہ۔";

/// The fallback verbs: `<Dial>` the shop, or apologise and hang up.
pub fn fallback_response(shop_phone: Option<&str>) -> Response {
    match shop_phone {
        Some(phone) => Response::new()
            .say(Say::urdu(TRANSFER_MESSAGE))
            .dial(Dial::number(phone).timeout(30)),
        None => Response::new().say(Say::urdu(APOLOGY)).hangup(),
    }
}
