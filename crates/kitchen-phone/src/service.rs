//! [`CallService`]: everything the phone side shares across calls (configuration in effect,
//! the kitchen, calls waiting for their stream, the call log, the answering switch), and the
//! fallback TwiML that moves a caller on when the AI cannot serve.

use crate::config::PhoneConfig;
use crate::kitchen::{Kitchen, KitchenError};
use crate::log::CallLog;
use crate::registry::CallRegistry;
use crate::twilio_rest::TwilioRest;
use kitchen_core::settings::StoredSettings;
use kitchen_core::{EventBus, SharedClock};
use kitchen_wire::KitchenEvent;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use voice_protocol::twilio::twiml::{Dial, Response, Say};

/// Everything the phone side needs. Cheap to clone.
#[derive(Debug, Clone)]
pub struct CallService {
    pub(crate) inner: Arc<Inner>,
}

#[derive(Debug)]
pub(crate) struct Inner {
    /// From the environment and flags.
    base: PhoneConfig,
    /// `base` with the dashboard's stored settings laid over it; read once per use.
    cfg: std::sync::RwLock<Arc<PhoneConfig>>,
    /// What the dashboard stored.
    stored: std::sync::RwLock<StoredSettings>,
    pub(crate) registry: CallRegistry,
    /// The kitchen: menu, orders, call log, the answering switch.
    pub(crate) kitchen: Arc<dyn Kitchen>,
    pub(crate) log: CallLog,
    pub(crate) clock: SharedClock,
    pub(crate) live: TaskTracker,
    pub(crate) shutdown: CancellationToken,
    pub(crate) active: AtomicUsize,
    bus: EventBus,
    /// AI answering paused from the dashboard or the tray: calls go to the shop's phone.
    answering_paused: AtomicBool,
    /// The app's own tunnel's public URL while it is online (wins over `PUBLIC_BASE_URL`).
    tunnel_url: std::sync::RwLock<Option<String>>,
    /// Bumped whenever the effective configuration changes (the tunnel follows it).
    changes: tokio::sync::watch::Sender<u64>,
}

impl CallService {
    /// The phone side over the kitchen and its event bus.
    pub fn new(
        cfg: PhoneConfig,
        kitchen: Arc<dyn Kitchen>,
        bus: EventBus,
        clock: SharedClock,
        live: TaskTracker,
        shutdown: CancellationToken,
    ) -> Self {
        let log = CallLog::start(kitchen.clone(), bus.clone(), &live);
        let registry = CallRegistry::new(cfg.stream_token_ttl);
        CallService {
            inner: Arc::new(Inner {
                cfg: std::sync::RwLock::new(Arc::new(cfg.clone())),
                base: cfg,
                stored: std::sync::RwLock::default(),
                registry,
                kitchen,
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
    pub fn stored_settings(&self) -> StoredSettings {
        match self.inner.stored.read() {
            Ok(s) => s.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Takes new stored settings into use: the next call sees them.
    pub fn apply_settings(&self, stored: StoredSettings) {
        match self.inner.stored.write() {
            Ok(mut s) => *s = stored,
            Err(poisoned) => *poisoned.into_inner() = stored,
        }
        self.recompute_config();
    }

    /// The effective configuration from the base, the stored settings and the tunnel.
    fn recompute_config(&self) {
        let mut effective = self.inner.base.with_stored(&self.stored_settings());
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
    pub async fn set_answering_paused(&self, paused: bool) -> Result<(), KitchenError> {
        self.inner.kitchen.save_answering_paused(paused).await?;
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
            .publish(KitchenEvent::AnsweringChanged { paused });
        Ok(())
    }

    /// Reads the stored pause (at start).
    pub async fn load_answering_paused(&self) -> Result<bool, KitchenError> {
        let paused = self.inner.kitchen.answering_paused().await?;
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

    /// Twilio's REST API for `account_sid` (the configured account wins), when an auth
    /// token is configured.
    pub fn rest(&self, account_sid: &str) -> Option<TwilioRest> {
        let cfg = self.config();
        let token = cfg.twilio_auth_token.clone()?;
        let account = cfg.twilio_account_sid.as_deref().unwrap_or(account_sid);
        Some(TwilioRest::new(&cfg.twilio_api_base, account, token))
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
