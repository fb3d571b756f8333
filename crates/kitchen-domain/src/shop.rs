//! How the shop sells: delivery zones with their fees and minimums, pickup, tax by payment
//! method, the payment methods it takes. These are settings (the owner sets them through
//! the settings owner); pricing reads them. Every amount and rate is a setting, never a
//! constant: tax rates differ by province and change with budgets.

use crate::hours::OpeningHours;
use crate::money::Money;
use crate::validation::FieldError;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// How a customer pays.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ts_rs::TS,
)]
#[serde(rename_all = "lowercase")]
pub enum PaymentMethod {
    /// Cash (on delivery or at the counter).
    Cash,
    /// Debit or credit card.
    Card,
    /// A mobile wallet or QR: JazzCash, Easypaisa, Raast.
    Wallet,
}

impl PaymentMethod {
    /// Every method.
    pub const ALL: [PaymentMethod; 3] = [
        PaymentMethod::Cash,
        PaymentMethod::Card,
        PaymentMethod::Wallet,
    ];

    /// `cash`, `card` or `wallet`.
    pub fn as_str(self) -> &'static str {
        match self {
            PaymentMethod::Cash => "cash",
            PaymentMethod::Card => "card",
            PaymentMethod::Wallet => "wallet",
        }
    }

    /// Parses `cash`, `card` or `wallet`.
    pub fn parse(s: &str) -> Option<PaymentMethod> {
        PaymentMethod::ALL.into_iter().find(|m| m.as_str() == s)
    }
}

/// The grammatical gender the phone AI speaks of itself in (Urdu verbs agree with the
/// speaker: «کرتی ہوں» / «کرتا ہوں»); it should match the voice.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ts_rs::TS,
)]
#[serde(rename_all = "lowercase")]
pub enum VoiceGender {
    /// Feminine forms (the default voice `marin` is a woman's).
    Female,
    /// Masculine forms.
    Male,
}

impl VoiceGender {
    /// `female` or `male`.
    pub fn as_str(self) -> &'static str {
        match self {
            VoiceGender::Female => "female",
            VoiceGender::Male => "male",
        }
    }

    /// Parses `female` or `male`; anything else is a coded problem.
    pub fn parse(s: &str) -> Result<VoiceGender, crate::settings::Problem> {
        match s.trim() {
            "female" => Ok(VoiceGender::Female),
            "male" => Ok(VoiceGender::Male),
            other => Err(crate::settings::Problem::new(
                "gender_unknown",
                format!(
                    "`{}` is not a voice gender; use female or male.",
                    other.chars().take(20).collect::<String>()
                ),
            )),
        }
    }

    /// The gender a Realtime voice sounds: OpenAI's men's voices (`ash`, `ballad`, `cedar`,
    /// `echo`, `verse`) are male; every other voice, `marin` included, female.
    pub fn of_voice(voice: &str) -> VoiceGender {
        match voice.trim().to_ascii_lowercase().as_str() {
            "ash" | "ballad" | "cedar" | "echo" | "verse" | "onyx" | "fable" => VoiceGender::Male,
            _ => VoiceGender::Female,
        }
    }
}

/// Busy mode: minutes added to every promised time per open order on the board (0: off).
pub const BUSY_MINUTES_PER_ORDER: (u32, u32) = (0, 30);

/// Catering size: an order with at least this many items (the sum of its lines'
/// quantities) needs a person, not the phone AI (0: off).
pub const CATERING_MIN_ITEMS: (u32, u32) = (0, 500);

/// Busy mode's addition to every promised time: `per_order` minutes for each order open on
/// the board (`new` or `preparing`), capped at 3 hours.
pub fn busy_extra_minutes(per_order: u32, open_orders: u32) -> u32 {
    per_order.saturating_mul(open_orders).min(180)
}

/// An area the shop delivers to, with its fee, minimum order and time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct DeliveryZone {
    /// Stable id (`gulberg`).
    pub id: String,
    /// Name, as staff and callers say it.
    pub name: String,
    /// Urdu name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub name_ur: Option<String>,
    /// Delivery fee, paisa.
    #[ts(type = "number")]
    pub fee: Money,
    /// Smallest food total delivered here, paisa (0: none).
    #[serde(default)]
    #[ts(type = "number")]
    pub min_order: Money,
    /// Free delivery from this food total on, paisa.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub free_above: Option<Money>,
    /// Minutes to deliver here.
    pub eta_minutes: u32,
    /// The areas, blocks and societies it covers, as callers name them.
    #[serde(default)]
    pub areas: Vec<String>,
}

/// Collection at the counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct PickupSettings {
    /// Whether the shop takes pickup orders.
    pub enabled: bool,
    /// Minutes until a pickup order is ready.
    pub eta_minutes: u32,
}

impl Default for PickupSettings {
    fn default() -> Self {
        PickupSettings {
            enabled: true,
            eta_minutes: 20,
        }
    }
}

/// Tax rate per payment method, in basis points (1600 = 16 %).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct TaxRates {
    /// Cash.
    pub cash: u32,
    /// Card.
    pub card: u32,
    /// Mobile wallet or QR.
    pub wallet: u32,
}

impl TaxRates {
    /// The rate for a payment method.
    pub fn of(&self, method: PaymentMethod) -> u32 {
        match method {
            PaymentMethod::Cash => self.cash,
            PaymentMethod::Card => self.card,
            PaymentMethod::Wallet => self.wallet,
        }
    }
}

/// The shop's sales tax: provincial tax on restaurant services, usually lower for card and
/// wallet payments (Punjab: 16 % cash, 5 % card, at the time of writing — verify).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct TaxSettings {
    /// The shop is registered for sales tax; unregistered shops charge none.
    pub registered: bool,
    /// Menu prices already include the tax (shown as included), or it is added on top.
    pub prices_include_tax: bool,
    /// Rate per payment method.
    pub rates_bp: TaxRates,
    /// The delivery fee is taxed too.
    #[serde(default)]
    pub on_delivery_fee: bool,
}

impl Default for TaxSettings {
    fn default() -> Self {
        TaxSettings {
            registered: false,
            prices_include_tax: true,
            rates_bp: TaxRates {
                cash: 1600,
                card: 500,
                wallet: 500,
            },
            on_delivery_fee: false,
        }
    }
}

impl TaxSettings {
    /// The rate charged for a payment method: 0 when the shop is not registered.
    pub fn rate_bp(&self, method: PaymentMethod) -> u32 {
        if self.registered {
            self.rates_bp.of(method)
        } else {
            0
        }
    }
}

/// The highest tax rate accepted (50 %): anything above is a typo.
pub const MAX_RATE_BP: u32 = 5000;
const MAX_ZONES: usize = 50;
const MAX_FEE: Money = Money::from_rupees(10_000);
const MAX_MIN_ORDER: Money = Money::from_rupees(100_000);

/// Checks and tidies delivery zones (trims names, drops blank areas); every problem is
/// reported under `delivery_zones[i].field`.
pub fn check_zones(zones: Vec<DeliveryZone>) -> Result<Vec<DeliveryZone>, Vec<FieldError>> {
    let mut errors = Vec::new();
    if zones.len() > MAX_ZONES {
        errors.push(
            FieldError::coded(
                "delivery_zones",
                "too_long",
                format!("at most {MAX_ZONES} zones"),
            )
            .with("max", MAX_ZONES),
        );
    }
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(zones.len());
    for (i, mut z) in zones.into_iter().enumerate() {
        let at = |f: &str| format!("delivery_zones[{i}].{f}");
        z.name = z.name.trim().to_string();
        z.name_ur = z
            .name_ur
            .map(|n| n.trim().to_string())
            .filter(|n| !n.is_empty());
        z.areas = z
            .areas
            .iter()
            .map(|a| a.trim().to_string())
            .filter(|a| !a.is_empty())
            .collect();
        if let Some(e) = crate::menu::check_id(at("id"), &z.id) {
            errors.push(e);
        } else if !seen.insert(z.id.clone()) {
            errors.push(duplicate(at("id"), &z.id));
        }
        crate::menu::check_text(&mut errors, at("name"), &z.name, 60, true);
        if let Some(ur) = &z.name_ur {
            crate::menu::check_text(&mut errors, at("name_ur"), ur, 60, false);
        }
        money_in(&mut errors, at("fee"), z.fee, MAX_FEE);
        money_in(&mut errors, at("min_order"), z.min_order, MAX_MIN_ORDER);
        if let Some(f) = z.free_above {
            money_in(&mut errors, at("free_above"), f, MAX_MIN_ORDER);
        }
        if !(5..=180).contains(&z.eta_minutes) {
            errors.push(range(at("eta_minutes"), 5, 180));
        }
        if z.areas.len() > 100 {
            errors.push(
                FieldError::coded(at("areas"), "too_long", "at most 100 areas per zone")
                    .with("max", 100),
            );
        }
        for (j, a) in z.areas.iter().enumerate() {
            crate::menu::check_text(&mut errors, format!("{}[{j}]", at("areas")), a, 80, true);
        }
        out.push(z);
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// Checks pickup settings.
pub fn check_pickup(p: PickupSettings) -> Result<PickupSettings, Vec<FieldError>> {
    if (5..=180).contains(&p.eta_minutes) {
        Ok(p)
    } else {
        Err(vec![range("pickup.eta_minutes".into(), 5, 180)])
    }
}

/// Checks tax settings: each rate 0 to 50 %.
pub fn check_tax(t: TaxSettings) -> Result<TaxSettings, Vec<FieldError>> {
    let errors: Vec<FieldError> = PaymentMethod::ALL
        .into_iter()
        .filter(|m| t.rates_bp.of(*m) > MAX_RATE_BP)
        .map(|m| range(format!("tax.rates_bp.{}", m.as_str()), 0, MAX_RATE_BP))
        .collect();
    if errors.is_empty() {
        Ok(t)
    } else {
        Err(errors)
    }
}

/// Checks the payment methods: at least one, each once (kept in the given order).
pub fn check_payment_methods(
    methods: Vec<PaymentMethod>,
) -> Result<Vec<PaymentMethod>, Vec<FieldError>> {
    if methods.is_empty() {
        return Err(vec![FieldError::coded(
            "payment_methods",
            "required",
            "take at least one payment method (cash, card or wallet)",
        )]);
    }
    let mut out = Vec::new();
    for m in methods {
        if !out.contains(&m) {
            out.push(m);
        }
    }
    Ok(out)
}

/// Checks opening hours: at most 4 ranges a day, at most 366 closed dates.
pub fn check_hours(h: OpeningHours) -> Result<OpeningHours, Vec<FieldError>> {
    let mut errors = Vec::new();
    for (day, ranges) in &h.weekly {
        if ranges.len() > 4 {
            errors.push(
                FieldError::coded(
                    format!("hours.weekly.{}", day.as_str()),
                    "too_long",
                    "at most 4 opening ranges a day",
                )
                .with("max", 4),
            );
        }
    }
    if h.closed_dates.len() > 366 {
        errors.push(
            FieldError::coded("hours.closed_dates", "too_long", "at most 366 closed dates")
                .with("max", 366),
        );
    }
    if errors.is_empty() {
        let mut h = h;
        h.closed_dates.sort();
        h.closed_dates.dedup();
        Ok(h)
    } else {
        Err(errors)
    }
}

fn duplicate(field: String, id: &str) -> FieldError {
    FieldError::coded(
        field,
        "duplicate_id",
        format!("`{id}` appears twice; ids must be unique"),
    )
    .with("id", id)
}

fn range(field: String, min: u32, max: u32) -> FieldError {
    FieldError::coded(
        field,
        "out_of_range",
        format!("must be between {min} and {max}"),
    )
    .with("min", min)
    .with("max", max)
}

fn money_in(errors: &mut Vec<FieldError>, field: String, m: Money, max: Money) {
    if m < Money::ZERO || m > max {
        errors.push(
            FieldError::coded(
                field,
                "out_of_range",
                format!("is in paisa, 0 to {} ({max})", max.paisa()),
            )
            .with("min", 0)
            .with("max", max.paisa()),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn busy_mode_adds_minutes_per_open_order_and_the_voice_picks_the_gender() {
        assert_eq!(busy_extra_minutes(0, 12), 0, "off");
        assert_eq!(busy_extra_minutes(5, 0), 0);
        assert_eq!(busy_extra_minutes(5, 3), 15);
        assert_eq!(busy_extra_minutes(30, u32::MAX), 180, "capped");
        assert_eq!(VoiceGender::of_voice("marin"), VoiceGender::Female);
        assert_eq!(VoiceGender::of_voice("Cedar"), VoiceGender::Male);
        assert_eq!(VoiceGender::parse("male"), Ok(VoiceGender::Male));
        assert_eq!(
            VoiceGender::parse("robot").unwrap_err().code,
            "gender_unknown"
        );
    }

    fn zone(id: &str) -> DeliveryZone {
        DeliveryZone {
            id: id.into(),
            name: format!(" {id} "),
            name_ur: Some(" ".into()),
            fee: Money::from_rupees(150),
            min_order: Money::from_rupees(1000),
            free_above: Some(Money::from_rupees(3000)),
            eta_minutes: 40,
            areas: vec![" Gulberg III ".into(), "".into()],
        }
    }

    #[test]
    fn zones_are_tidied_and_every_problem_is_located() {
        let z = check_zones(vec![zone("gulberg")]).unwrap();
        assert_eq!(z[0].name, "gulberg");
        assert_eq!(z[0].name_ur, None);
        assert_eq!(z[0].areas, ["Gulberg III"]);

        let mut bad = zone("dha");
        bad.fee = Money::from_paisa(-1);
        bad.eta_minutes = 0;
        let e = check_zones(vec![zone("dha"), bad, zone("Bad Id")]).unwrap_err();
        let fields: Vec<_> = e.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(
            fields,
            [
                ("delivery_zones[1].id", "duplicate_id"),
                ("delivery_zones[1].fee", "out_of_range"),
                ("delivery_zones[1].eta_minutes", "out_of_range"),
                ("delivery_zones[2].id", "invalid"),
            ]
        );
    }

    #[test]
    fn tax_is_charged_only_by_registered_shops_at_the_method_rate() {
        let mut t = TaxSettings::default();
        assert_eq!(t.rate_bp(PaymentMethod::Cash), 0);
        t.registered = true;
        assert_eq!(t.rate_bp(PaymentMethod::Cash), 1600);
        assert_eq!(t.rate_bp(PaymentMethod::Card), 500);
        t.rates_bp.wallet = 6000;
        let e = check_tax(t).unwrap_err();
        assert_eq!(e[0].field, "tax.rates_bp.wallet");
    }

    #[test]
    fn payment_methods_need_one_and_lose_repeats() {
        assert_eq!(
            check_payment_methods(vec![]).unwrap_err()[0].code,
            "required"
        );
        assert_eq!(
            check_payment_methods(vec![
                PaymentMethod::Card,
                PaymentMethod::Cash,
                PaymentMethod::Card
            ])
            .unwrap(),
            [PaymentMethod::Card, PaymentMethod::Cash]
        );
        assert!(check_pickup(PickupSettings::default()).is_ok());
        assert!(
            check_pickup(PickupSettings {
                enabled: true,
                eta_minutes: 1
            })
            .is_err()
        );
    }
}
