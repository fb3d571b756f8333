//! `PUT /api/settings`: any subset of the settings, checked by the same rules as the wizard
//! and the environment, every problem reported at once.

use super::caps::AiPrices;
use super::values::{
    AccountSid, E164, Greeting, ItemCount, Minutes, ModelName, NgrokDomain, Problem, SecretKind,
    ShopName,
};
use super::{Change, SettingsPatch, ShopSettings};
use crate::hours::OpeningHours;
use crate::printers::{self, PrinterConfig};
use crate::rider::Rider;
use crate::shop::{self, DeliveryZone, PaymentMethod, PickupSettings, TaxSettings};
use crate::validation::FieldError;
use serde::Deserialize;

/// The range of each number setting.
pub mod ranges {
    /// Minutes to delivery.
    pub const ETA_MINUTES: (u32, u32) = (5, 180);
    /// Amber ticket timer.
    pub const AMBER_AFTER_MINUTES: (u32, u32) = (1, 120);
    /// Red ticket timer.
    pub const RED_AFTER_MINUTES: (u32, u32) = (2, 240);
    /// Busy mode's minutes per open order.
    pub const BUSY_MINUTES_PER_ORDER: (u32, u32) = crate::shop::BUSY_MINUTES_PER_ORDER;
    /// Catering size, in items.
    pub const CATERING_MIN_ITEMS: (u32, u32) = crate::shop::CATERING_MIN_ITEMS;
    pub use crate::settings::caps::ranges::{
        DAILY_AI_BUDGET_MINUTES, MAX_CALL_MINUTES, MAX_CALLS_PER_CALLER_PER_HOUR,
        MAX_CONCURRENT_AI_CALLS,
    };
}

/// `PUT /api/settings`: any subset. For text fields and secrets an empty string clears the
/// stored value (the environment's value, if any, applies again).
#[derive(Debug, Clone, Default, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields)]
pub struct SettingsUpdate {
    /// New shop name (1 to 80 characters).
    pub shop_name: Option<String>,
    /// New greeting (up to 300 characters; empty: the default greeting).
    pub greeting: Option<String>,
    /// 5 to 180.
    pub eta_minutes: Option<u32>,
    /// 1 to 120, below `red_after_minutes`.
    pub amber_after_minutes: Option<u32>,
    /// 2 to 240, above `amber_after_minutes`.
    pub red_after_minutes: Option<u32>,
    /// A phone number (Pakistani forms accepted), or empty to clear.
    pub shop_phone: Option<String>,
    /// `AC` + 32 hex digits, or empty to clear.
    pub twilio_account_sid: Option<String>,
    /// The shop's Twilio number, or empty to clear.
    pub twilio_phone_number: Option<String>,
    /// The OpenAI Realtime model, or empty for the default.
    pub openai_model: Option<String>,
    /// A reserved ngrok domain, or empty to clear.
    pub ngrok_domain: Option<String>,
    /// Start the desktop app at login.
    pub start_at_login: Option<bool>,
    /// Write-only.
    pub openai_api_key: Option<String>,
    /// Write-only.
    pub twilio_auth_token: Option<String>,
    /// Write-only.
    pub ngrok_authtoken: Option<String>,
    /// Delivery zones, the whole list (empty: no zones).
    pub delivery_zones: Option<Vec<DeliveryZone>>,
    /// Pickup.
    pub pickup: Option<PickupSettings>,
    /// Sales tax.
    pub tax: Option<TaxSettings>,
    /// Payment methods taken (at least one).
    pub payment_methods: Option<Vec<PaymentMethod>>,
    /// Opening hours; `null` clears them (always open).
    #[serde(default)]
    #[ts(as = "Option<Option<OpeningHours>>", optional)]
    pub hours: Nullable<OpeningHours>,
    /// Busy mode: minutes added per open order, 0 to 30 (0: off).
    pub busy_minutes_per_order: Option<u32>,
    /// `female` or `male`; empty: follow the voice.
    pub ai_voice_gender: Option<String>,
    /// Catering size: orders of at least this many items need a person, 0 to 500 (0: off).
    pub catering_min_items: Option<u32>,
    /// Calls with the AI at once, 1 to 500.
    pub max_concurrent_ai_calls: Option<u32>,
    /// Minutes a call may last before it is wrapped up and handed on, 1 to 55.
    pub max_call_minutes: Option<u32>,
    /// Calls the AI takes from one number an hour, 1 to 60.
    pub max_calls_per_caller_per_hour: Option<u32>,
    /// AI minutes a business day, 1 to 20,000.
    pub daily_ai_budget_minutes: Option<u32>,
    /// The AI's prices (whole rupees per million tokens, each 0 to 1,000,000).
    pub ai_prices: Option<AiPrices>,
    /// The receipt printers, the whole list (empty: none).
    pub printers: Option<Vec<PrinterConfig>>,
    /// The shop's address on the bill (up to 200 characters, any script); empty clears it.
    pub shop_address: Option<String>,
    /// `en` or `ur`: the language tickets print in; empty: English.
    pub ticket_language: Option<String>,
    /// The shop's riders, the whole list (empty: no riders).
    pub riders: Option<Vec<Rider>>,
    /// `realtime-bridge`, `live-bridge`, `sip-live` or `sip-realtime`; empty: the default
    /// (`realtime-bridge`).
    pub voice_engine: Option<String>,
    /// The OpenAI project for SIP calls (`proj_…`), or empty to clear.
    pub openai_project_id: Option<String>,
    /// Write-only: the OpenAI webhook secret (`whsec_…`).
    pub openai_webhook_secret: Option<String>,
    /// The GPT-Live model, or empty for the default.
    pub openai_live_model: Option<String>,
    /// The Responses model GPT-Live delegates the tools to, or empty for the default.
    pub openai_live_backend_model: Option<String>,
}

/// A field that may be left out, sent as `null`, or sent with a value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Nullable<T> {
    /// Not in the request: keep.
    #[default]
    Absent,
    /// `null`: clear.
    Null,
    /// A value: set.
    Value(T),
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nullable<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Option::<T>::deserialize(d)?.map_or(Nullable::Null, Nullable::Value))
    }
}

/// Collects every problem of a request, each under its field.
#[derive(Debug, Default)]
pub(crate) struct Problems(pub(crate) Vec<FieldError>);

impl Problems {
    /// The value, or `Keep` with the problem noted under `field`.
    pub(crate) fn check<T>(&mut self, field: &str, r: Result<T, Problem>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(p) => {
                self.0.push(p.at(field));
                None
            }
        }
    }

    /// An optional text: absent keeps, empty clears, otherwise `parse` decides.
    pub(crate) fn optional<T>(
        &mut self,
        field: &str,
        v: Option<&str>,
        parse: impl FnOnce(&str) -> Result<T, Problem>,
    ) -> Change<T> {
        match v.map(str::trim) {
            None => Change::Keep,
            Some("") => Change::Clear,
            Some(v) => self
                .check(field, parse(v))
                .map_or(Change::Keep, Change::Set),
        }
    }
}

/// The red timer must come after the amber one, whichever of the two is being changed.
pub(crate) fn check_timers(
    problems: &mut Problems,
    amber: Option<Minutes>,
    red: Option<Minutes>,
    current: &ShopSettings,
) {
    if amber.is_none() && red.is_none() {
        return;
    }
    let amber_now = amber.unwrap_or(current.amber_after_minutes);
    let red_now = red.unwrap_or(current.red_after_minutes);
    if red_now <= amber_now {
        let field = if red.is_some() {
            "red_after_minutes"
        } else {
            "amber_after_minutes"
        };
        problems.0.push(
            FieldError::coded(
                field,
                "red_before_amber",
                format!(
                    "red ({} min) must come after amber ({} min)",
                    red_now.get(),
                    amber_now.get()
                ),
            )
            .with("amber", amber_now.get())
            .with("red", red_now.get()),
        );
    }
}

impl SettingsUpdate {
    /// Checks every field against the settings in effect; returns the patch to store, or
    /// every problem at once.
    pub fn validate(&self, current: &ShopSettings) -> Result<SettingsPatch, Vec<FieldError>> {
        let mut p = Problems::default();
        let mut patch = SettingsPatch::default();
        if let Some(name) = &self.shop_name {
            patch.shop_name = Change::from(p.check("shop_name", ShopName::parse(name)));
        }
        patch.greeting = p.optional("greeting", self.greeting.as_deref(), Greeting::parse);
        let minutes = |p: &mut Problems, field, v: Option<u32>, (lo, hi)| {
            v.and_then(|v| p.check(field, Minutes::parse(v, lo, hi)))
        };
        let eta = minutes(&mut p, "eta_minutes", self.eta_minutes, ranges::ETA_MINUTES);
        patch.eta_minutes = Change::from(eta);
        patch.busy_minutes_per_order = Change::from(minutes(
            &mut p,
            "busy_minutes_per_order",
            self.busy_minutes_per_order,
            ranges::BUSY_MINUTES_PER_ORDER,
        ));
        patch.catering_min_items = Change::from(self.catering_min_items.and_then(|n| {
            let (lo, hi) = ranges::CATERING_MIN_ITEMS;
            p.check("catering_min_items", ItemCount::parse(n, lo, hi))
        }));
        let count = |p: &mut Problems, field, v: Option<u32>, (lo, hi)| {
            Change::from(v.and_then(|n| p.check(field, ItemCount::parse(n, lo, hi))))
        };
        patch.max_concurrent_ai_calls = count(
            &mut p,
            "max_concurrent_ai_calls",
            self.max_concurrent_ai_calls,
            ranges::MAX_CONCURRENT_AI_CALLS,
        );
        patch.max_calls_per_caller_per_hour = count(
            &mut p,
            "max_calls_per_caller_per_hour",
            self.max_calls_per_caller_per_hour,
            ranges::MAX_CALLS_PER_CALLER_PER_HOUR,
        );
        patch.max_call_minutes = Change::from(minutes(
            &mut p,
            "max_call_minutes",
            self.max_call_minutes,
            ranges::MAX_CALL_MINUTES,
        ));
        patch.daily_ai_budget_minutes = Change::from(minutes(
            &mut p,
            "daily_ai_budget_minutes",
            self.daily_ai_budget_minutes,
            ranges::DAILY_AI_BUDGET_MINUTES,
        ));
        if let Some(prices) = self.ai_prices {
            match prices.check() {
                Ok(v) => patch.ai_prices = Change::Set(v),
                Err(e) => p.0.extend(e),
            }
        }
        patch.ai_voice_gender = p.optional(
            "ai_voice_gender",
            self.ai_voice_gender.as_deref(),
            crate::shop::VoiceGender::parse,
        );
        let amber = minutes(
            &mut p,
            "amber_after_minutes",
            self.amber_after_minutes,
            ranges::AMBER_AFTER_MINUTES,
        );
        let red = minutes(
            &mut p,
            "red_after_minutes",
            self.red_after_minutes,
            ranges::RED_AFTER_MINUTES,
        );
        // The order of the two timers is checked only when each given one is in range.
        let in_range = amber.is_some() == self.amber_after_minutes.is_some()
            && red.is_some() == self.red_after_minutes.is_some();
        if in_range {
            check_timers(&mut p, amber, red, current);
        }
        patch.amber_after_minutes = Change::from(amber);
        patch.red_after_minutes = Change::from(red);
        patch.shop_phone = p.optional("shop_phone", self.shop_phone.as_deref(), |v| {
            E164::parse(v, "the shop's own phone number")
        });
        patch.twilio_account_sid = p.optional(
            "twilio_account_sid",
            self.twilio_account_sid.as_deref(),
            AccountSid::parse,
        );
        patch.twilio_phone_number = p.optional(
            "twilio_phone_number",
            self.twilio_phone_number.as_deref(),
            |v| E164::parse(v, "your Twilio number"),
        );
        patch.openai_model = p.optional(
            "openai_model",
            self.openai_model.as_deref(),
            ModelName::parse,
        );
        patch.ngrok_domain = p.optional(
            "ngrok_domain",
            self.ngrok_domain.as_deref(),
            NgrokDomain::parse,
        );
        patch.start_at_login = Change::from(self.start_at_login);
        patch.shop_address = p.optional(
            "shop_address",
            self.shop_address.as_deref(),
            printers::check_shop_address,
        );
        patch.ticket_language = p.optional(
            "ticket_language",
            self.ticket_language.as_deref(),
            crate::printers::TicketLanguage::parse,
        );
        patch.voice_engine = p.optional(
            "voice_engine",
            self.voice_engine.as_deref(),
            crate::VoiceEngine::parse,
        );
        patch.openai_project_id = p.optional(
            "openai_project_id",
            self.openai_project_id.as_deref(),
            crate::ProjectId::parse,
        );
        patch.openai_live_model = p.optional(
            "openai_live_model",
            self.openai_live_model.as_deref(),
            ModelName::parse,
        );
        patch.openai_live_backend_model = p.optional(
            "openai_live_backend_model",
            self.openai_live_backend_model.as_deref(),
            ModelName::parse,
        );
        for (kind, value) in [
            (SecretKind::OpenAiApiKey, &self.openai_api_key),
            (SecretKind::TwilioAuthToken, &self.twilio_auth_token),
            (SecretKind::NgrokAuthtoken, &self.ngrok_authtoken),
            (SecretKind::OpenAiWebhookSecret, &self.openai_webhook_secret),
        ] {
            let change = p.optional(kind.name(), value.as_deref(), |v| kind.parse(v));
            match kind {
                SecretKind::OpenAiApiKey => patch.openai_api_key = change,
                SecretKind::TwilioAuthToken => patch.twilio_auth_token = change,
                SecretKind::NgrokAuthtoken => patch.ngrok_authtoken = change,
                SecretKind::OpenAiWebhookSecret => patch.openai_webhook_secret = change,
            }
        }
        let mut rule = |r: Result<(), Vec<FieldError>>| {
            if let Err(e) = r {
                p.0.extend(e);
            }
        };
        if let Some(z) = &self.delivery_zones {
            rule(shop::check_zones(z.clone()).map(|z| patch.delivery_zones = Change::Set(z)));
        }
        if let Some(r) = &self.riders {
            rule(crate::rider::check_riders(r.clone()).map(|r| patch.riders = Change::Set(r)));
        }
        if let Some(v) = self.pickup {
            rule(shop::check_pickup(v).map(|v| patch.pickup = Change::Set(v)));
        }
        if let Some(v) = self.tax {
            rule(shop::check_tax(v).map(|v| patch.tax = Change::Set(v)));
        }
        if let Some(v) = &self.payment_methods {
            rule(
                shop::check_payment_methods(v.clone())
                    .map(|v| patch.payment_methods = Change::Set(v)),
            );
        }
        if let Some(v) = &self.printers {
            rule(printers::check_printers(v.clone()).map(|v| patch.printers = Change::Set(v)));
        }
        match &self.hours {
            Nullable::Absent => {}
            Nullable::Null => patch.hours = Change::Clear,
            Nullable::Value(h) => {
                rule(shop::check_hours(h.clone()).map(|h| patch.hours = Change::Set(h)))
            }
        }
        if p.0.is_empty() { Ok(patch) } else { Err(p.0) }
    }
}

impl<T> From<Option<T>> for Change<T> {
    /// `Some` sets, `None` keeps.
    fn from(v: Option<T>) -> Self {
        v.map_or(Change::Keep, Change::Set)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::Secret;

    fn codes(u: SettingsUpdate) -> Vec<(String, &'static str)> {
        u.validate(&ShopSettings::default())
            .unwrap_err()
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect()
    }

    #[test]
    fn every_bad_value_is_reported_at_once_under_its_field() {
        let got = codes(SettingsUpdate {
            shop_name: Some("  ".into()),
            eta_minutes: Some(0),
            shop_phone: Some("call me".into()),
            openai_api_key: Some("sk with spaces".into()),
            twilio_auth_token: Some("tok".into()),
            twilio_account_sid: Some("AC123".into()),
            ngrok_domain: Some("no_dots".into()),
            openai_model: Some("gpt realtime".into()),
            ..SettingsUpdate::default()
        });
        let want = [
            ("shop_name", "required"),
            ("eta_minutes", "out_of_range"),
            ("shop_phone", "phone_invalid"),
            ("twilio_account_sid", "twilio_sid_format"),
            ("openai_model", "model_format"),
            ("ngrok_domain", "ngrok_domain_format"),
            ("openai_api_key", "has_spaces"),
            ("twilio_auth_token", "twilio_token_format"),
        ];
        let want: Vec<(String, &str)> = want.iter().map(|(f, c)| (f.to_string(), *c)).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn busy_minutes_and_voice_gender_are_checked_and_empty_gender_follows_the_voice() {
        let got = codes(SettingsUpdate {
            busy_minutes_per_order: Some(31),
            ai_voice_gender: Some("robot".into()),
            ..SettingsUpdate::default()
        });
        assert_eq!(
            got,
            [
                ("busy_minutes_per_order".to_string(), "out_of_range"),
                ("ai_voice_gender".to_string(), "gender_unknown"),
            ]
        );
        let ok = SettingsUpdate {
            busy_minutes_per_order: Some(0),
            ai_voice_gender: Some("male".into()),
            ..SettingsUpdate::default()
        }
        .validate(&ShopSettings::default())
        .unwrap();
        assert_eq!(
            ok.busy_minutes_per_order,
            Change::Set(Minutes::new_unchecked(0))
        );
        assert_eq!(
            ok.ai_voice_gender,
            Change::Set(crate::shop::VoiceGender::Male)
        );
        let clear = SettingsUpdate {
            ai_voice_gender: Some(String::new()),
            ..SettingsUpdate::default()
        }
        .validate(&ShopSettings::default())
        .unwrap();
        assert_eq!(clear.ai_voice_gender, Change::Clear);
        let d = ShopSettings::default();
        assert_eq!((d.busy_minutes_per_order, d.ai_voice_gender), (0, None));
    }

    #[test]
    fn catering_size_is_checked_from_0_to_500_and_is_off_by_default() {
        assert_eq!(
            codes(SettingsUpdate {
                catering_min_items: Some(501),
                ..SettingsUpdate::default()
            }),
            [("catering_min_items".to_string(), "out_of_range")]
        );
        for n in [0, 20, 500] {
            let ok = SettingsUpdate {
                catering_min_items: Some(n),
                ..SettingsUpdate::default()
            }
            .validate(&ShopSettings::default())
            .unwrap();
            assert_eq!(
                ok.catering_min_items.clone(),
                Change::Set(ItemCount::parse(n, 0, 500).unwrap())
            );
            let mut stored = super::super::SettingsLayer::default();
            stored.apply(&ok);
            let s = ShopSettings::resolve(&super::super::SettingsLayer::default(), &stored);
            assert_eq!(s.catering_min_items, n);
        }
        let absent = SettingsUpdate::default()
            .validate(&ShopSettings::default())
            .unwrap();
        assert_eq!(absent.catering_min_items, Change::Keep);
        assert_eq!(ShopSettings::default().catering_min_items, 0);
    }

    #[test]
    fn red_must_come_after_amber_counting_the_current_values() {
        let got = SettingsUpdate {
            red_after_minutes: Some(4),
            ..SettingsUpdate::default()
        }
        .validate(&ShopSettings::default())
        .unwrap_err();
        assert_eq!(got[0].field, "red_after_minutes");
        assert_eq!(got[0].code, "red_before_amber");
        assert_eq!(got[0].params.get("amber").map(String::as_str), Some("5"));
    }

    #[test]
    fn empty_clears_absent_keeps_and_values_are_normalised() {
        let patch = SettingsUpdate {
            shop_phone: Some("0300 1234567".into()),
            greeting: Some(String::new()),
            openai_api_key: Some(" sk-new ".into()),
            twilio_auth_token: Some(String::new()),
            start_at_login: Some(false),
            ..SettingsUpdate::default()
        }
        .validate(&ShopSettings::default())
        .unwrap();
        assert_eq!(
            patch.shop_phone,
            Change::Set(E164::parse("+923001234567", "x").unwrap())
        );
        assert_eq!(patch.greeting, Change::Clear);
        assert_eq!(patch.openai_api_key, Change::Set(Secret::new("sk-new")));
        assert_eq!(patch.twilio_auth_token, Change::Clear);
        assert_eq!(patch.ngrok_authtoken, Change::Keep);
        assert_eq!(patch.eta_minutes, Change::Keep);
        assert_eq!(patch.start_at_login, Change::Set(false));
    }

    #[test]
    fn the_caps_and_prices_are_checked_with_clear_codes() {
        let errors = SettingsUpdate {
            max_concurrent_ai_calls: Some(0),
            max_call_minutes: Some(56),
            max_calls_per_caller_per_hour: Some(61),
            daily_ai_budget_minutes: Some(0),
            ai_prices: Some(AiPrices {
                audio_output: 1_000_001,
                ..AiPrices::default()
            }),
            ..SettingsUpdate::default()
        }
        .validate(&ShopSettings::default())
        .unwrap_err();
        let mut got: Vec<(&str, &str)> =
            errors.iter().map(|e| (e.field.as_str(), e.code)).collect();
        got.sort();
        assert_eq!(
            got,
            [
                ("ai_prices.audio_output", "out_of_range"),
                ("daily_ai_budget_minutes", "out_of_range"),
                ("max_call_minutes", "out_of_range"),
                ("max_calls_per_caller_per_hour", "out_of_range"),
                ("max_concurrent_ai_calls", "out_of_range"),
            ]
        );
        let prices = AiPrices {
            text_input: 0,
            ..AiPrices::default()
        };
        let patch = SettingsUpdate {
            max_concurrent_ai_calls: Some(2),
            max_call_minutes: Some(10),
            max_calls_per_caller_per_hour: Some(3),
            daily_ai_budget_minutes: Some(120),
            ai_prices: Some(prices),
            ..SettingsUpdate::default()
        }
        .validate(&ShopSettings::default())
        .unwrap();
        let mut stored = crate::SettingsLayer::default();
        stored.apply(&patch);
        let s = ShopSettings::resolve(&crate::SettingsLayer::default(), &stored);
        assert_eq!(
            (
                s.max_concurrent_ai_calls,
                s.max_call_minutes,
                s.max_calls_per_caller_per_hour,
                s.daily_ai_budget_minutes,
                s.ai_prices
            ),
            (2, 10, 3, 120, prices)
        );
        let d = ShopSettings::default();
        assert_eq!(
            (
                d.max_concurrent_ai_calls,
                d.max_call_minutes,
                d.max_calls_per_caller_per_hour,
                d.daily_ai_budget_minutes,
                d.ai_prices
            ),
            (4, 15, 6, 300, AiPrices::default())
        );
    }
}
