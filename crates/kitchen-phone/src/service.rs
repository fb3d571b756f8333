//! [`CallService`]: everything the phone side shares across calls (the configuration in
//! effect, the kitchen, calls waiting for their stream, the call log), and the fallback
//! TwiML that moves a caller on when the AI cannot serve.
//!
//! It only follows: the shop's settings through the settings service's `watch` channel,
//! the public URL through the tunnel's. It never writes either back.

use crate::config::{CallConfig, PhoneConfig};
use crate::kitchen::Kitchen;
use crate::log::CallLog;
use crate::registry::CallRegistry;
use crate::twilio_rest::TwilioRest;
use kitchen_core::{EventBus, SharedClock};
use kitchen_domain::ShopSettings;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::watch;
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
    /// The shop's settings in effect (the settings service publishes; we only read).
    settings: watch::Receiver<Arc<ShopSettings>>,
    /// The app's own tunnel's public URL while it is online (wins over `PUBLIC_BASE_URL`).
    tunnel_url: watch::Receiver<Option<String>>,
    pub(crate) registry: CallRegistry,
    /// The kitchen: menu, orders, call log.
    pub(crate) kitchen: Arc<dyn Kitchen>,
    pub(crate) log: CallLog,
    pub(crate) clock: SharedClock,
    pub(crate) live: TaskTracker,
    pub(crate) shutdown: CancellationToken,
    pub(crate) active: AtomicUsize,
    /// Unplaced drafts of ended calls, for the caller's next call.
    pub(crate) drafts: crate::draft::DraftBook,
    /// Each live call's dictation switch, by CallSid (see [`CallService::set_dictation`]).
    pub(crate) dictation: DictationSwitches,
    /// The CallSids webhooks brought lately: each is answered, and its end written, once.
    pub(crate) seen: crate::replay::SeenCalls,
    /// Each number's recent AI calls, and the admission lock ([`crate::caps`]).
    pub(crate) callers: crate::caps::CallerBook,
    /// OpenAI webhook deliveries and SIP calls seen lately ([`crate::sip`]).
    pub(crate) sip: crate::sip::SipBook,
}

/// Switches a live call's dictation on or off (the call's own `set_dictation`).
pub(crate) type DictationSwitch = Arc<dyn Fn(bool) + Send + Sync>;

/// The live calls' dictation switches, by CallSid.
#[derive(Default)]
pub(crate) struct DictationSwitches(Mutex<HashMap<String, DictationSwitch>>);

impl DictationSwitches {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, DictationSwitch>> {
        // Plain data: a panic elsewhere leaves it usable.
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl std::fmt::Debug for DictationSwitches {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DictationSwitches")
            .field("calls", &self.lock().len())
            .finish()
    }
}

/// A live call's entry among the dictation switches; dropping it (however the call's task
/// ends) removes it.
#[derive(Debug)]
pub(crate) struct DictationEntry {
    calls: CallService,
    call_sid: String,
}

impl Drop for DictationEntry {
    fn drop(&mut self) {
        self.calls.inner.dictation.lock().remove(&self.call_sid);
    }
}

/// What the phone side follows: the shop's settings and the tunnel's public URL.
#[derive(Debug, Clone)]
pub struct Followed {
    /// The settings in effect (from the settings service).
    pub settings: watch::Receiver<Arc<ShopSettings>>,
    /// The tunnel's public URL while it is online.
    pub tunnel_url: watch::Receiver<Option<String>>,
}

impl CallService {
    /// The phone side over the kitchen and its event bus.
    pub fn new(
        cfg: PhoneConfig,
        followed: Followed,
        kitchen: Arc<dyn Kitchen>,
        bus: EventBus,
        clock: SharedClock,
        live: TaskTracker,
        shutdown: CancellationToken,
    ) -> Self {
        let log = CallLog::start(kitchen.clone(), bus, &live);
        let registry = CallRegistry::new(cfg.timeouts.stream_token);
        CallService {
            inner: Arc::new(Inner {
                base: cfg,
                settings: followed.settings,
                tunnel_url: followed.tunnel_url,
                registry,
                kitchen,
                log,
                clock,
                live,
                shutdown,
                active: AtomicUsize::new(0),
                drafts: crate::draft::DraftBook::default(),
                dictation: DictationSwitches::default(),
                seen: crate::replay::SeenCalls::default(),
                callers: crate::caps::CallerBook::default(),
                sip: crate::sip::SipBook::default(),
            }),
        }
    }

    /// The configuration in effect now: the process's, the shop's settings as last
    /// published, and the tunnel's URL while it is online.
    pub fn config(&self) -> Arc<CallConfig> {
        let settings = self.inner.settings.borrow().clone();
        let url = self.inner.tunnel_url.borrow().clone();
        Arc::new(CallConfig::new(&self.inner.base, settings, url.as_deref()))
    }

    /// Whether AI answering is paused (calls then go straight to the shop's phone).
    pub fn answering_paused(&self) -> bool {
        self.inner.settings.borrow().answering_paused
    }

    /// Calls with a live media stream right now.
    pub fn active_calls(&self) -> usize {
        self.inner.active.load(Ordering::Relaxed)
    }

    /// Tells the live call `call_sid` that its caller is (`on`) or is no longer dictating
    /// an address or a number (through the call's own `set_dictation`): the AI then waits
    /// for a longer silence before it takes its turn. `false` when no such call is live.
    pub fn set_dictation(&self, call_sid: &str, on: bool) -> bool {
        let switch = self.inner.dictation.lock().get(call_sid).cloned();
        switch.map(|switch| switch(on)).is_some()
    }

    /// Registers the dictation switch of the live call `call_sid`, until the entry is
    /// dropped.
    pub(crate) fn register_dictation(
        &self,
        call_sid: &str,
        switch: DictationSwitch,
    ) -> DictationEntry {
        self.inner
            .dictation
            .lock()
            .insert(call_sid.to_string(), switch);
        DictationEntry {
            calls: self.clone(),
            call_sid: call_sid.to_string(),
        }
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
        Some(
            TwilioRest::new(&cfg.twilio_api_base, account, token)
                .with_studio_base(&cfg.twilio_studio_base)
                .with_trunking_base(&cfg.twilio_trunking_base),
        )
    }
}

/// Said before connecting to the shop.
const TRANSFER_MESSAGE: &str = "ایک لمحہ، ہم آپ کو دکان سے ملا رہے ہیں۔";
/// Said when no one can take the call.
pub(crate) const APOLOGY: &str =
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
