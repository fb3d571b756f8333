//! `GET /api/settings` and `PUT /api/settings`: the shop's settings as the dashboard sees
//! and changes them (secrets only ever as "set or not", and write-only).

use kitchen_domain::settings::AiPrices;
use kitchen_domain::{
    DeliveryZone, OpeningHours, PaymentMethod, PickupSettings, PrinterConfig, Rider, ShopSettings,
    TaxSettings, TicketLanguage, VoiceEngine, VoiceGender,
};
use serde::Serialize;

/// `GET /api/settings`. Secrets never appear; only whether they are set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct SettingsDto {
    /// Said in the AI's greeting.
    pub shop_name: String,
    /// The AI's first words, when not the default built from the shop name.
    pub greeting: Option<String>,
    /// Minutes to delivery told to callers.
    pub eta_minutes: u32,
    /// A ticket's timer turns amber after this many minutes.
    pub amber_after_minutes: u32,
    /// A ticket's timer turns red after this many minutes.
    pub red_after_minutes: u32,
    /// Where callers go when they ask for a person or the AI cannot serve.
    pub shop_phone: Option<String>,
    /// The Twilio account (`AC…`).
    pub twilio_account_sid: Option<String>,
    /// The shop's Twilio number callers dial, E.164.
    pub twilio_phone_number: Option<String>,
    /// The OpenAI Realtime model.
    pub openai_model: String,
    /// A reserved ngrok domain, if any.
    pub ngrok_domain: Option<String>,
    /// The desktop app starts when the owner logs in to the computer.
    pub start_at_login: bool,
    /// The first-run setup wizard was saved (or `SKIP_SETUP_WIZARD`).
    pub setup_done: bool,
    /// AI answering is paused: calls go straight to the shop's phone.
    pub answering_paused: bool,
    /// Whether an OpenAI API key is configured.
    pub openai_api_key_set: bool,
    /// Whether a Twilio auth token is configured.
    pub twilio_auth_token_set: bool,
    /// Whether an ngrok token is configured.
    pub ngrok_authtoken_set: bool,
    /// Delivery zones with fee, minimum order, free-above and ETA.
    pub delivery_zones: Vec<DeliveryZone>,
    /// Pickup at the counter.
    pub pickup: PickupSettings,
    /// Sales tax by payment method.
    pub tax: TaxSettings,
    /// Payment methods taken.
    pub payment_methods: Vec<PaymentMethod>,
    /// Opening hours (null: always open).
    pub hours: Option<OpeningHours>,
    /// Busy mode: minutes added to every promised time per open order (0: off).
    pub busy_minutes_per_order: u32,
    /// The phone AI's grammatical gender (null: the configured voice's).
    pub ai_voice_gender: Option<VoiceGender>,
    /// Catering size: an order with at least this many items needs a person (0: off).
    pub catering_min_items: u32,
    /// Calls with the AI at once; more go to the shop's phone.
    pub max_concurrent_ai_calls: u32,
    /// Minutes a call may last before the AI wraps it up and hands it on.
    pub max_call_minutes: u32,
    /// Calls the AI takes from one number in an hour; more go to the shop's phone.
    pub max_calls_per_caller_per_hour: u32,
    /// AI minutes a business day; past them calls go to the shop's phone (the board warns
    /// at 80 %).
    pub daily_ai_budget_minutes: u32,
    /// The AI's prices, whole rupees per million tokens, for each call's estimated cost.
    pub ai_prices: AiPrices,
    /// The receipt printers.
    pub printers: Vec<PrinterConfig>,
    /// The shop's address on the bill.
    pub shop_address: Option<String>,
    /// The language tickets print in.
    pub ticket_language: TicketLanguage,
    /// The shop's delivery riders (`[{id, name, phone}]`, phones E.164).
    pub riders: Vec<Rider>,
    /// The engine that answers calls.
    pub voice_engine: VoiceEngine,
    /// The OpenAI project that takes SIP calls (`proj_…`).
    pub openai_project_id: Option<String>,
    /// Whether the OpenAI webhook secret is configured.
    pub openai_webhook_secret_set: bool,
    /// The GPT-Live model.
    pub openai_live_model: String,
    /// The Responses model GPT-Live delegates the tools to.
    pub openai_live_backend_model: String,
}

/// `PUT /api/settings`: checked by the domain's one set of rules.
pub use kitchen_domain::settings::SettingsUpdate;

impl SettingsDto {
    /// What the dashboard sees of the settings in effect: secrets only as "set or not".
    pub fn from_settings(s: &ShopSettings) -> SettingsDto {
        let text = |v: Option<&str>| v.map(str::to_string);
        SettingsDto {
            shop_name: s.shop_name.to_string(),
            greeting: text(s.greeting.as_ref().map(|g| g.as_str())),
            eta_minutes: s.eta_minutes.get(),
            amber_after_minutes: s.amber_after_minutes.get(),
            red_after_minutes: s.red_after_minutes.get(),
            shop_phone: text(s.shop_phone.as_ref().map(|p| p.as_str())),
            twilio_account_sid: text(s.twilio_account_sid.as_ref().map(|v| v.as_str())),
            twilio_phone_number: text(s.twilio_phone_number.as_ref().map(|p| p.as_str())),
            openai_model: s.openai_model.to_string(),
            ngrok_domain: text(s.ngrok_domain.as_ref().map(|d| d.as_str())),
            start_at_login: s.start_at_login,
            setup_done: s.setup_done,
            answering_paused: s.answering_paused,
            openai_api_key_set: s.openai_api_key.is_some(),
            twilio_auth_token_set: s.twilio_auth_token.is_some(),
            ngrok_authtoken_set: s.ngrok_authtoken.is_some(),
            delivery_zones: s.delivery_zones.clone(),
            pickup: s.pickup,
            tax: s.tax,
            payment_methods: s.payment_methods.clone(),
            hours: s.hours.clone(),
            busy_minutes_per_order: s.busy_minutes_per_order,
            ai_voice_gender: s.ai_voice_gender,
            catering_min_items: s.catering_min_items,
            max_concurrent_ai_calls: s.max_concurrent_ai_calls,
            max_call_minutes: s.max_call_minutes,
            max_calls_per_caller_per_hour: s.max_calls_per_caller_per_hour,
            daily_ai_budget_minutes: s.daily_ai_budget_minutes,
            ai_prices: s.ai_prices,
            printers: s.printers.clone(),
            shop_address: s.shop_address.clone(),
            ticket_language: s.ticket_language,
            riders: s.riders.clone(),
            voice_engine: s.voice_engine,
            openai_project_id: text(s.openai_project_id.as_ref().map(|p| p.as_str())),
            openai_webhook_secret_set: s.openai_webhook_secret.is_some(),
            openai_live_model: s.openai_live_model.to_string(),
            openai_live_backend_model: s.openai_live_backend_model.to_string(),
        }
    }
}
