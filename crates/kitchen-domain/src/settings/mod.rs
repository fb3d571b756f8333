//! The shop's settings, typed: what the owner sets up once (name, greeting, delivery time,
//! ticket timers, phone numbers, Twilio account, AI model, tunnel domain, start at login,
//! answering paused) and the three secrets.
//!
//! Three layers make the settings in effect, later ones winning field by field:
//! **defaults** ([`ShopSettings::default`]) → **environment, `.env` and flags**
//! ([`SettingsLayer`] from the configuration loader) → **stored** (a [`SettingsLayer`] the
//! owner saved from the dashboard or the wizard). Clearing a stored value falls back to the
//! environment's, then to the default.
//!
//! Changes come as a [`SettingsPatch`] (each field kept, set or cleared), made only by the
//! one validator ([`SettingsUpdate::validate`], [`wizard::validate`], [`env::layer`]), so
//! every way in obeys the same rules and reports the same [`FieldError`] codes.
//!
//! [`FieldError`]: crate::FieldError

pub mod caps;
pub mod env;
pub mod update;
pub mod values;
pub mod wizard;

pub use caps::{AiPrices, BudgetState, TokenUse};
pub use update::{Nullable, SettingsUpdate};
pub use values::{
    AccountSid, E164, Greeting, ItemCount, Minutes, ModelName, NgrokDomain, Problem, SecretKind,
    ShopName,
};

use crate::hours::OpeningHours;
use crate::printers::{PrinterConfig, TicketLanguage};
use crate::rider::Rider;
use crate::secret::Secret;
use crate::shop::{DeliveryZone, PaymentMethod, PickupSettings, TaxSettings, VoiceGender};
use crate::voice_engine::{ProjectId, VoiceEngine};

/// One change to one setting.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Change<T> {
    /// Leave it as it is.
    #[default]
    Keep,
    /// Store this value.
    Set(T),
    /// Forget the stored value (the environment's or the default applies again).
    Clear,
}

impl<T> Change<T> {
    /// Whether this changes anything.
    pub fn is_keep(&self) -> bool {
        matches!(self, Change::Keep)
    }
}

/// Declares every setting once: the layer (each field optional), the patch (each field a
/// [`Change`]) and the code that lays one over the other.
macro_rules! settings_fields {
    ($($(#[$doc:meta])* $field:ident: $ty:ty,)*) => {
        /// One layer of settings (the environment's, or the stored ones): `None` where this
        /// layer says nothing.
        #[derive(Debug, Clone, PartialEq, Eq, Default)]
        pub struct SettingsLayer {
            $($(#[$doc])* pub $field: Option<$ty>,)*
        }

        /// Changes to the stored layer: every field kept unless said otherwise.
        #[derive(Debug, Clone, PartialEq, Eq, Default)]
        pub struct SettingsPatch {
            $($(#[$doc])* pub $field: Change<$ty>,)*
        }

        impl SettingsLayer {
            /// This layer with `over` laid on top: `over`'s values win where it has them.
            #[must_use]
            pub fn overlay(&self, over: &SettingsLayer) -> SettingsLayer {
                SettingsLayer {
                    $($field: over.$field.clone().or_else(|| self.$field.clone()),)*
                }
            }

            /// Applies a patch: `Set` stores, `Clear` forgets, `Keep` leaves.
            pub fn apply(&mut self, patch: &SettingsPatch) {
                $(match &patch.$field {
                    Change::Keep => {}
                    Change::Set(v) => self.$field = Some(v.clone()),
                    Change::Clear => self.$field = None,
                })*
            }
        }

        impl SettingsPatch {
            /// Whether the patch changes nothing.
            pub fn is_empty(&self) -> bool {
                true $(&& self.$field.is_keep())*
            }
        }
    };
}

settings_fields! {
    /// Said in the AI's greeting.
    shop_name: ShopName,
    /// The AI's first words instead of the default built from the shop name.
    greeting: Greeting,
    /// Minutes to delivery told to callers (5 to 180).
    eta_minutes: Minutes,
    /// A ticket's timer turns amber after this many minutes (1 to 120).
    amber_after_minutes: Minutes,
    /// A ticket's timer turns red after this many minutes (2 to 240, after amber).
    red_after_minutes: Minutes,
    /// The shop's own phone: callers who ask for a person, or whom the AI cannot serve.
    shop_phone: E164,
    /// The Twilio account.
    twilio_account_sid: AccountSid,
    /// The shop's Twilio number, the one callers dial.
    twilio_phone_number: E164,
    /// The OpenAI Realtime model.
    openai_model: ModelName,
    /// A reserved ngrok domain for the app's own tunnel.
    ngrok_domain: NgrokDomain,
    /// The desktop app starts when the owner signs in to the computer.
    start_at_login: bool,
    /// The first-run wizard was saved (or `SKIP_SETUP_WIZARD`).
    setup_done: bool,
    /// AI answering is paused: calls go straight to the shop's phone.
    answering_paused: bool,
    /// The AI's key (secret).
    openai_api_key: Secret,
    /// Checks Twilio's signatures and authenticates REST calls (secret).
    twilio_auth_token: Secret,
    /// The ngrok agent token (secret).
    ngrok_authtoken: Secret,
    /// Where the shop delivers, for what fee and minimum.
    delivery_zones: Vec<DeliveryZone>,
    /// Pickup at the counter.
    pickup: PickupSettings,
    /// Sales tax by payment method.
    tax: TaxSettings,
    /// The payment methods the shop takes.
    payment_methods: Vec<PaymentMethod>,
    /// Opening hours (none stored: always open).
    hours: OpeningHours,
    /// Busy mode: minutes added to promised times per open order (0 to 30, 0: off).
    busy_minutes_per_order: Minutes,
    /// The phone AI's grammatical gender (none stored: the voice's).
    ai_voice_gender: VoiceGender,
    /// Catering size: orders of at least this many items need a person (0 to 500, 0: off).
    catering_min_items: ItemCount,
    /// Calls with the AI at once; more go to the shop's phone (1 to 500).
    max_concurrent_ai_calls: ItemCount,
    /// Minutes a call may last before the AI wraps it up and hands it on (1 to 55).
    max_call_minutes: Minutes,
    /// Calls the AI takes from one number in an hour; more go to the shop's phone (1 to 60).
    max_calls_per_caller_per_hour: ItemCount,
    /// AI minutes a business day; past them calls go to the shop's phone (1 to 20,000).
    daily_ai_budget_minutes: Minutes,
    /// The AI's prices, for each call's estimated cost.
    ai_prices: AiPrices,
    /// The shop's receipt printers.
    printers: Vec<PrinterConfig>,
    /// The shop's address, printed on the bill (any script, up to 200 characters).
    shop_address: String,
    /// The language tickets print in.
    ticket_language: TicketLanguage,
    /// The shop's delivery riders.
    riders: Vec<Rider>,
    /// The engine that answers calls.
    voice_engine: VoiceEngine,
    /// The OpenAI project that takes SIP calls (`proj_…`).
    openai_project_id: ProjectId,
    /// Checks the signatures of OpenAI's webhooks (secret, `whsec_…`).
    openai_webhook_secret: Secret,
    /// The GPT-Live model (live engines).
    openai_live_model: ModelName,
    /// The model GPT-Live delegates the tools to (live engines).
    openai_live_backend_model: ModelName,
}

impl SettingsLayer {
    /// The secret `kind`, if this layer has it.
    pub fn secret(&self, kind: SecretKind) -> Option<&Secret> {
        match kind {
            SecretKind::OpenAiApiKey => self.openai_api_key.as_ref(),
            SecretKind::TwilioAuthToken => self.twilio_auth_token.as_ref(),
            SecretKind::NgrokAuthtoken => self.ngrok_authtoken.as_ref(),
            SecretKind::OpenAiWebhookSecret => self.openai_webhook_secret.as_ref(),
        }
    }

    /// Sets the secret `kind`.
    pub fn set_secret(&mut self, kind: SecretKind, value: Option<Secret>) {
        match kind {
            SecretKind::OpenAiApiKey => self.openai_api_key = value,
            SecretKind::TwilioAuthToken => self.twilio_auth_token = value,
            SecretKind::NgrokAuthtoken => self.ngrok_authtoken = value,
            SecretKind::OpenAiWebhookSecret => self.openai_webhook_secret = value,
        }
    }
}

impl SettingsPatch {
    /// The change to the secret `kind`.
    pub fn secret(&self, kind: SecretKind) -> &Change<Secret> {
        match kind {
            SecretKind::OpenAiApiKey => &self.openai_api_key,
            SecretKind::TwilioAuthToken => &self.twilio_auth_token,
            SecretKind::NgrokAuthtoken => &self.ngrok_authtoken,
            SecretKind::OpenAiWebhookSecret => &self.openai_webhook_secret,
        }
    }

    /// The same patch without its secrets (what goes to SQLite).
    #[must_use]
    pub fn without_secrets(&self) -> SettingsPatch {
        SettingsPatch {
            openai_api_key: Change::Keep,
            twilio_auth_token: Change::Keep,
            ngrok_authtoken: Change::Keep,
            openai_webhook_secret: Change::Keep,
            ..self.clone()
        }
    }
}

/// Defaults when no layer says otherwise.
pub mod defaults {
    use super::Minutes;

    /// The shop's name.
    pub const SHOP_NAME: &str = "Melt 8 Pizza";
    /// Minutes to delivery.
    pub const ETA_MINUTES: Minutes = Minutes::new_unchecked(35);
    /// Amber ticket timer.
    pub const AMBER_AFTER_MINUTES: Minutes = Minutes::new_unchecked(5);
    /// Red ticket timer.
    pub const RED_AFTER_MINUTES: Minutes = Minutes::new_unchecked(10);
    /// A current, non-deprecated Realtime model.
    pub const OPENAI_MODEL: &str = "gpt-realtime-2.1";
    /// The GPT-Live model (the multilingual one).
    pub const OPENAI_LIVE_MODEL: &str = "gpt-live-1.1";
    /// The Responses model GPT-Live delegates the tools to.
    pub const OPENAI_LIVE_BACKEND_MODEL: &str = "gpt-5-mini";
}

/// The settings in effect: every layer resolved, every field a checked value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShopSettings {
    /// Said in the AI's greeting.
    pub shop_name: ShopName,
    /// The AI's first words, when not the default.
    pub greeting: Option<Greeting>,
    /// Minutes to delivery told to callers.
    pub eta_minutes: Minutes,
    /// A ticket's timer turns amber after this.
    pub amber_after_minutes: Minutes,
    /// A ticket's timer turns red after this.
    pub red_after_minutes: Minutes,
    /// The shop's own phone.
    pub shop_phone: Option<E164>,
    /// The Twilio account.
    pub twilio_account_sid: Option<AccountSid>,
    /// The shop's Twilio number.
    pub twilio_phone_number: Option<E164>,
    /// The OpenAI Realtime model.
    pub openai_model: ModelName,
    /// A reserved ngrok domain.
    pub ngrok_domain: Option<NgrokDomain>,
    /// The desktop app starts at login (on by default once setup is done).
    pub start_at_login: bool,
    /// The first-run wizard was saved.
    pub setup_done: bool,
    /// AI answering is paused.
    pub answering_paused: bool,
    /// The AI's key.
    pub openai_api_key: Option<Secret>,
    /// Twilio's auth token.
    pub twilio_auth_token: Option<Secret>,
    /// The ngrok agent token.
    pub ngrok_authtoken: Option<Secret>,
    /// Delivery zones (none: delivery everywhere, free, no minimum).
    pub delivery_zones: Vec<DeliveryZone>,
    /// Pickup at the counter.
    pub pickup: PickupSettings,
    /// Sales tax.
    pub tax: TaxSettings,
    /// Payment methods taken.
    pub payment_methods: Vec<PaymentMethod>,
    /// Opening hours (`None`: always open).
    pub hours: Option<OpeningHours>,
    /// Busy mode: minutes added to every promised time per open order (0: off).
    pub busy_minutes_per_order: u32,
    /// The phone AI's grammatical gender (`None`: the configured voice's).
    pub ai_voice_gender: Option<VoiceGender>,
    /// Catering size: an order with at least this many items (the sum of its lines'
    /// quantities) needs a person; the phone AI does not place it (0: off).
    pub catering_min_items: u32,
    /// Calls with the AI at once; a call beyond them goes to the shop's phone and opens no
    /// AI session.
    pub max_concurrent_ai_calls: u32,
    /// Minutes a call may last: then the AI wraps up and the call is handed to the shop's
    /// phone (or ends with a goodbye when there is none).
    pub max_call_minutes: u32,
    /// Calls the AI takes from one number within an hour; more go to the shop's phone.
    pub max_calls_per_caller_per_hour: u32,
    /// AI minutes a business day; once used, calls go to the shop's phone.
    pub daily_ai_budget_minutes: u32,
    /// The AI's prices, for each call's estimated cost.
    pub ai_prices: AiPrices,
    /// The shop's receipt printers (none: nothing prints).
    pub printers: Vec<PrinterConfig>,
    /// The shop's address on the bill (`None`: not printed).
    pub shop_address: Option<String>,
    /// The language tickets print in (English unless set).
    pub ticket_language: TicketLanguage,
    /// The shop's delivery riders (none: orders go out without a rider named).
    pub riders: Vec<Rider>,
    /// The engine that answers calls (the Realtime bridge unless chosen).
    pub voice_engine: VoiceEngine,
    /// The OpenAI project that takes SIP calls.
    pub openai_project_id: Option<ProjectId>,
    /// Checks OpenAI's webhook signatures.
    pub openai_webhook_secret: Option<Secret>,
    /// The GPT-Live model.
    pub openai_live_model: ModelName,
    /// The Responses model GPT-Live delegates the tools to.
    pub openai_live_backend_model: ModelName,
}

impl Default for ShopSettings {
    fn default() -> Self {
        ShopSettings::resolve(&SettingsLayer::default(), &SettingsLayer::default())
    }
}

impl ShopSettings {
    /// The settings in effect: defaults, then `env`, then `stored`.
    pub fn resolve(env: &SettingsLayer, stored: &SettingsLayer) -> ShopSettings {
        let l = env.overlay(stored);
        let setup_done = l.setup_done.unwrap_or(false);
        ShopSettings {
            shop_name: l
                .shop_name
                .unwrap_or_else(|| ShopName::trusted(defaults::SHOP_NAME)),
            greeting: l.greeting,
            eta_minutes: l.eta_minutes.unwrap_or(defaults::ETA_MINUTES),
            amber_after_minutes: l
                .amber_after_minutes
                .unwrap_or(defaults::AMBER_AFTER_MINUTES),
            red_after_minutes: l.red_after_minutes.unwrap_or(defaults::RED_AFTER_MINUTES),
            shop_phone: l.shop_phone,
            twilio_account_sid: l.twilio_account_sid,
            twilio_phone_number: l.twilio_phone_number,
            openai_model: l
                .openai_model
                .unwrap_or_else(|| ModelName::trusted(defaults::OPENAI_MODEL)),
            ngrok_domain: l.ngrok_domain,
            start_at_login: l.start_at_login.unwrap_or(setup_done),
            setup_done,
            answering_paused: l.answering_paused.unwrap_or(false),
            openai_api_key: l.openai_api_key,
            twilio_auth_token: l.twilio_auth_token,
            ngrok_authtoken: l.ngrok_authtoken,
            delivery_zones: l.delivery_zones.unwrap_or_default(),
            pickup: l.pickup.unwrap_or_default(),
            tax: l.tax.unwrap_or_default(),
            payment_methods: l
                .payment_methods
                .unwrap_or_else(|| PaymentMethod::ALL.to_vec()),
            hours: l.hours,
            busy_minutes_per_order: l.busy_minutes_per_order.map_or(0, Minutes::get),
            ai_voice_gender: l.ai_voice_gender,
            catering_min_items: l.catering_min_items.map_or(0, ItemCount::get),
            max_concurrent_ai_calls: l
                .max_concurrent_ai_calls
                .map_or(caps::defaults::MAX_CONCURRENT_AI_CALLS, ItemCount::get),
            max_call_minutes: l
                .max_call_minutes
                .map_or(caps::defaults::MAX_CALL_MINUTES, Minutes::get),
            max_calls_per_caller_per_hour: l.max_calls_per_caller_per_hour.map_or(
                caps::defaults::MAX_CALLS_PER_CALLER_PER_HOUR,
                ItemCount::get,
            ),
            daily_ai_budget_minutes: l
                .daily_ai_budget_minutes
                .map_or(caps::defaults::DAILY_AI_BUDGET_MINUTES, Minutes::get),
            ai_prices: l.ai_prices.unwrap_or_default(),
            printers: l.printers.unwrap_or_default(),
            shop_address: l.shop_address,
            ticket_language: l.ticket_language.unwrap_or_default(),
            riders: l.riders.unwrap_or_default(),
            voice_engine: l.voice_engine.unwrap_or_default(),
            openai_project_id: l.openai_project_id,
            openai_webhook_secret: l.openai_webhook_secret,
            openai_live_model: l
                .openai_live_model
                .unwrap_or_else(|| ModelName::trusted(defaults::OPENAI_LIVE_MODEL)),
            openai_live_backend_model: l
                .openai_live_backend_model
                .unwrap_or_else(|| ModelName::trusted(defaults::OPENAI_LIVE_BACKEND_MODEL)),
        }
    }

    /// The secret `kind`, if configured.
    pub fn secret(&self, kind: SecretKind) -> Option<&Secret> {
        match kind {
            SecretKind::OpenAiApiKey => self.openai_api_key.as_ref(),
            SecretKind::TwilioAuthToken => self.twilio_auth_token.as_ref(),
            SecretKind::NgrokAuthtoken => self.ngrok_authtoken.as_ref(),
            SecretKind::OpenAiWebhookSecret => self.openai_webhook_secret.as_ref(),
        }
    }
    /// Whether the opening hours say closed at the shop's local time `at`: `Some` with the
    /// next opening (itself `None` when no opening lies ahead), `None` when open. No hours
    /// set means always open.
    pub fn closed_at(&self, at: chrono::NaiveDateTime) -> Option<Option<chrono::NaiveDateTime>> {
        let hours = self.hours.as_ref()?;
        (!hours.is_open(at)).then(|| hours.next_opening(at))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(s: &str) -> ShopName {
        ShopName::parse(s).unwrap()
    }

    #[test]
    fn stored_values_win_over_the_environment_which_wins_over_defaults() {
        let env = SettingsLayer {
            shop_name: Some(name("From Env")),
            eta_minutes: Some(Minutes::parse(40, 5, 180).unwrap()),
            ..SettingsLayer::default()
        };
        let stored = SettingsLayer {
            shop_name: Some(name("Melt 8 Gulberg")),
            ..SettingsLayer::default()
        };
        let s = ShopSettings::resolve(&env, &stored);
        assert_eq!(s.shop_name.as_str(), "Melt 8 Gulberg");
        assert_eq!(s.eta_minutes.get(), 40);
        assert_eq!(s.red_after_minutes, defaults::RED_AFTER_MINUTES);
        assert_eq!(s.openai_model.as_str(), defaults::OPENAI_MODEL);
    }

    #[test]
    fn clearing_a_stored_value_falls_back_to_the_environment() {
        let env = SettingsLayer {
            shop_name: Some(name("From Env")),
            ..SettingsLayer::default()
        };
        let mut stored = SettingsLayer {
            shop_name: Some(name("Stored")),
            ..SettingsLayer::default()
        };
        stored.apply(&SettingsPatch {
            shop_name: Change::Clear,
            ..SettingsPatch::default()
        });
        assert_eq!(stored.shop_name, None);
        assert_eq!(
            ShopSettings::resolve(&env, &stored).shop_name.as_str(),
            "From Env"
        );
    }

    #[test]
    fn start_at_login_is_on_once_setup_is_done_unless_the_owner_turned_it_off() {
        let done = SettingsLayer {
            setup_done: Some(true),
            ..SettingsLayer::default()
        };
        assert!(!ShopSettings::default().start_at_login);
        assert!(ShopSettings::resolve(&SettingsLayer::default(), &done).start_at_login);
        let off = SettingsLayer {
            start_at_login: Some(false),
            ..done.clone()
        };
        assert!(!ShopSettings::resolve(&SettingsLayer::default(), &off).start_at_login);
    }

    #[test]
    fn a_patch_without_secrets_keeps_every_secret() {
        let patch = SettingsPatch {
            openai_api_key: Change::Set(Secret::new("sk-1")),
            ngrok_authtoken: Change::Clear,
            shop_name: Change::Set(name("A")),
            ..SettingsPatch::default()
        };
        let plain = patch.without_secrets();
        for kind in SecretKind::ALL {
            assert!(plain.secret(kind).is_keep());
        }
        assert_eq!(plain.shop_name, Change::Set(name("A")));
        assert!(!patch.is_empty() && SettingsPatch::default().is_empty());
    }
}
