//! The call's order, held by the server while the caller decides: what `update_order` last
//! set, its priced quote, the callback number and how it was given.
//!
//! The model never adds money up and never re-sends the order to place it: `update_order`
//! replaces the [`Draft`] with the whole order as the caller now wants it and answers with a
//! [`Quote`] (the priced bill, what is still [`Missing`], a numbered `quote_id`);
//! `confirm_order` places exactly that quote, or refuses it when it is no longer the latest
//! or no longer prices the same. A draft with items that was never placed outlives its
//! call for [`KEEP_DRAFT_MINUTES`] in the [`DraftBook`], under the caller's number, so a
//! dropped call can be picked up where it was.

use kitchen_domain::{
    FulfilmentRequest, NewOrder, OrderRequest, PaymentMethod, PaymentRequest, PhoneNumber,
    ShopSettings,
};
use std::collections::HashMap;
use std::sync::Mutex;

/// How long an unplaced draft is kept for its caller's next call.
pub const KEEP_DRAFT_MINUTES: i64 = 30;

/// Most digits taken from the keypad for one number (`+92 300 1234567` has 12).
const MAX_KEYPAD_DIGITS: usize = 15;

/// Something the order still needs before it can be placed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Missing {
    /// Delivery or pickup was not said.
    Fulfilment,
    /// A delivery with no address.
    Address,
    /// A delivery with no zone, where the shop has zones.
    Zone,
    /// How they pay was not said (the quote assumed the shop's first method).
    Payment,
    /// The customer's name.
    CustomerName,
    /// The caller's number is withheld and no other was given (by voice or keypad).
    CallbackNumber,
    /// The caller has not yet said yes to the number the rider will call.
    CallbackConfirmation,
}

impl Missing {
    /// The wire name (`customer_name`).
    pub fn as_str(self) -> &'static str {
        match self {
            Missing::Fulfilment => "fulfilment",
            Missing::Address => "address",
            Missing::Zone => "zone",
            Missing::Payment => "payment",
            Missing::CustomerName => "customer_name",
            Missing::CallbackNumber => "callback_number",
            Missing::CallbackConfirmation => "callback_confirmation",
        }
    }

    /// While one of these is asked for, the caller dictates (an address, a number) and
    /// pauses between parts: the AI should wait longer before it takes its turn.
    pub fn is_dictation(self) -> bool {
        matches!(
            self,
            Missing::Address | Missing::CallbackNumber | Missing::CallbackConfirmation
        )
    }
}

/// How the number the rider will call became known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CallbackSource {
    /// The number the call comes from (caller ID).
    CallerId,
    /// Said by the caller (heard by the AI).
    Voice,
    /// Typed on the phone's keypad (Twilio `dtmf` events).
    Keypad,
}

/// The number the rider will call, and whether the caller has said yes to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Callback {
    /// E.164; `None` while the caller's number is withheld and none was given.
    pub number: Option<String>,
    /// Where it came from.
    pub source: CallbackSource,
    /// The caller confirmed it when it was read back.
    pub confirmed: bool,
}

impl Callback {
    /// Takes what `update_order` said about the callback number: a number the caller gave
    /// (by voice) replaces the one known, unconfirmed unless `confirmed` says so too.
    pub fn apply(&mut self, number: Option<String>, confirmed: Option<bool>) {
        if let Some(number) = number
            && self.number.as_deref() != Some(number.as_str())
        {
            *self = Callback {
                number: Some(number),
                source: CallbackSource::Voice,
                confirmed: false,
            };
        }
        if let Some(yes) = confirmed
            && self.number.is_some()
        {
            self.confirmed = yes;
        }
    }

    /// The caller ID's number (unconfirmed), or nothing for a withheld caller.
    pub fn from_caller(caller: &PhoneNumber) -> Callback {
        Callback {
            number: caller.e164().map(str::to_string),
            source: CallbackSource::CallerId,
            confirmed: false,
        }
    }
}

/// One priced version of the draft, numbered within its call (`Q1`, `Q2`, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    /// `Q` and its number in the call.
    pub id: String,
    /// The order as the caller wants it (fulfilment and payment as said, possibly absent).
    pub request: OrderRequest,
    /// What was priced: `request` with what is missing filled in for the bill (a pickup
    /// with no fee while the fulfilment is not known; the shop's first payment method).
    pub priced: NewOrder,
    /// What is still needed before it can be placed.
    pub missing: Vec<Missing>,
}

/// What `confirm_order` placed: the quote and the order's number and time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirmed {
    /// The quote placed.
    pub quote_id: String,
    /// The tool answer given then (repeated for a retried confirm of the same quote).
    pub output: String,
}

/// The call's draft.
#[derive(Debug, Clone)]
pub struct Draft {
    /// The order as `update_order` last set it (no phone: that comes from the call).
    pub request: Option<OrderRequest>,
    /// The number the rider will call.
    pub callback: Callback,
    /// The latest quote; `None` before the first `update_order` or after a refused one
    /// that made the old quote stale.
    pub quote: Option<Quote>,
    /// Quotes made on this call so far.
    quotes_made: u32,
    /// Keypad digits typed so far (until `#` or a full number).
    keypad: String,
    /// The quote placed on this call.
    pub confirmed: Option<Confirmed>,
    /// When the draft came from an earlier, dropped call: its age in minutes then.
    pub resumed_minutes_ago: Option<i64>,
}

impl Draft {
    /// An empty draft for a call from `caller`.
    pub fn new(caller: &PhoneNumber) -> Draft {
        Draft {
            request: None,
            callback: Callback::from_caller(caller),
            quote: None,
            quotes_made: 0,
            keypad: String::new(),
            confirmed: None,
            resumed_minutes_ago: None,
        }
    }

    /// A draft carried over from the caller's dropped call.
    pub fn resumed(caller: &PhoneNumber, kept: Kept, minutes_ago: i64) -> Draft {
        Draft {
            request: Some(kept.request),
            callback: kept.callback,
            resumed_minutes_ago: Some(minutes_ago),
            ..Draft::new(caller)
        }
    }

    /// The next quote's id.
    pub fn next_quote_id(&mut self) -> String {
        self.quotes_made += 1;
        format!("Q{}", self.quotes_made)
    }

    /// True when the draft holds at least one line and was not placed: worth keeping for
    /// a call back.
    pub fn is_unfinished(&self) -> bool {
        self.confirmed.is_none() && self.request.as_ref().is_some_and(|r| !r.items.is_empty())
    }

    /// One key pressed on the caller's phone. `Some` once a number is complete (`#`, or 11
    /// digits starting `03`): a valid one becomes the callback number (to be read back and
    /// confirmed); `*` starts again.
    pub fn keypad(&mut self, key: &str) -> Option<Keyed> {
        match key {
            "*" => {
                self.keypad.clear();
                None
            }
            "#" => Some(self.finish_keypad()),
            d if d.len() == 1 && d.chars().all(|c| c.is_ascii_digit()) => {
                if self.keypad.len() < MAX_KEYPAD_DIGITS {
                    self.keypad.push_str(d);
                }
                if self.keypad.len() == 11 && self.keypad.starts_with("03") {
                    Some(self.finish_keypad())
                } else {
                    None
                }
            }
            _ => None,
        }
    }

    fn finish_keypad(&mut self) -> Keyed {
        let typed = std::mem::take(&mut self.keypad);
        match PhoneNumber::parse(&typed) {
            Ok(PhoneNumber::E164(number)) => {
                self.callback = Callback {
                    number: Some(number.clone()),
                    source: CallbackSource::Keypad,
                    confirmed: false,
                };
                Keyed::Number(number)
            }
            _ => Keyed::Invalid(typed),
        }
    }
}

/// What the keypad produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Keyed {
    /// A number we can call back (E.164).
    Number(String),
    /// Digits that are not a phone number.
    Invalid(String),
}

/// The order as it is priced for a quote, and what it still needs. `request` is what the
/// caller wants; the priced copy fills a missing fulfilment with a pickup (so lines, deals
/// and tax can be priced before the address is known) and a missing payment with the shop's
/// first method.
pub fn for_pricing(
    request: &OrderRequest,
    callback: &Callback,
    shop: &ShopSettings,
) -> (OrderRequest, Vec<Missing>) {
    let mut missing = Vec::new();
    let mut priced = request.clone();
    priced.customer_phone = None;
    match &request.fulfilment {
        None if request
            .address
            .as_deref()
            .is_none_or(|a| a.trim().is_empty()) =>
        {
            missing.push(Missing::Fulfilment);
        }
        Some(FulfilmentRequest::Delivery {
            address, zone_id, ..
        }) => {
            if address.trim().is_empty() {
                missing.push(Missing::Address);
            }
            if !shop.delivery_zones.is_empty()
                && zone_id.as_deref().is_none_or(|z| z.trim().is_empty())
            {
                missing.push(Missing::Zone);
            }
        }
        _ => {}
    }
    if !missing.is_empty() {
        priced.fulfilment = Some(FulfilmentRequest::Pickup {
            pickup_in_minutes: None,
        });
        priced.address = None;
        priced.landmark = None;
    }
    if request.payment.is_none() {
        missing.push(Missing::Payment);
        let method = shop
            .payment_methods
            .first()
            .copied()
            .unwrap_or(PaymentMethod::Cash);
        priced.payment = Some(PaymentRequest {
            method,
            pays_with: None,
        });
    }
    if request
        .customer_name
        .as_deref()
        .is_none_or(|n| n.trim().is_empty())
    {
        missing.push(Missing::CustomerName);
    }
    match (&callback.number, callback.confirmed) {
        (None, _) => missing.push(Missing::CallbackNumber),
        (Some(_), false) => missing.push(Missing::CallbackConfirmation),
        (Some(_), true) => {}
    }
    (priced, missing)
}

/// A number as it is read to the caller: local form, digit by digit in English digits, in
/// groups (`0 3 0 0 - 1 2 3 4 5 6 7`).
pub fn spoken_digits(e164: &str) -> String {
    let local = match e164.strip_prefix("+92") {
        Some(rest) => format!("0{rest}"),
        None => e164.to_string(),
    };
    let spaced = |s: &str| {
        s.chars()
            .map(|c| c.to_string())
            .collect::<Vec<_>>()
            .join(" ")
    };
    if local.len() == 11 && local.starts_with('0') {
        format!("{} - {}", spaced(&local[..4]), spaced(&local[4..]))
    } else {
        spaced(&local)
    }
}

/// A number in the local form Pakistanis write (`0300 1234567`).
pub fn local_form(e164: &str) -> String {
    match e164.strip_prefix("+92") {
        Some(rest) if rest.len() == 10 => format!("0{} {}", &rest[..3], &rest[3..]),
        _ => e164.to_string(),
    }
}

/// What is kept of an unplaced draft between calls.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kept {
    /// The order as last set.
    pub request: OrderRequest,
    /// The callback number then.
    pub callback: Callback,
    /// When its call ended.
    pub at: chrono::DateTime<chrono::Utc>,
}

/// Unplaced drafts of ended calls, by caller number (E.164), kept [`KEEP_DRAFT_MINUTES`].
/// In memory: a restart forgets them (the board's unfinished-order card stays).
#[derive(Debug, Default)]
pub struct DraftBook {
    kept: Mutex<HashMap<String, Kept>>,
}

impl DraftBook {
    /// Keeps `kept` for `number`, replacing an older one; forgets expired drafts.
    pub fn keep(&self, number: &str, kept: Kept) {
        let mut map = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        let now = kept.at;
        map.retain(|_, k| !expired(k, now));
        map.insert(number.to_string(), kept);
    }

    /// The draft kept for `number`, if it is not older than [`KEEP_DRAFT_MINUTES`] at `now`
    /// (left in the book: the call may drop again before it is placed).
    pub fn find(&self, number: &str, now: chrono::DateTime<chrono::Utc>) -> Option<Kept> {
        let map = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        map.get(number).filter(|k| !expired(k, now)).cloned()
    }

    /// Forgets the draft of `number` (it was placed, or replaced by a new call's).
    pub fn forget(&self, number: &str) {
        self.kept
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(number);
    }

    /// How many drafts are kept (expired ones included until the next `keep`).
    pub fn len(&self) -> usize {
        self.kept.lock().unwrap_or_else(|p| p.into_inner()).len()
    }

    /// True when none is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn expired(k: &Kept, now: chrono::DateTime<chrono::Utc>) -> bool {
    now - k.at > chrono::Duration::minutes(KEEP_DRAFT_MINUTES)
}

#[cfg(test)]
mod tests {
    use super::*;
    use kitchen_domain::LineRequest;

    fn caller() -> PhoneNumber {
        PhoneNumber::E164("+923001234567".into())
    }

    fn shop() -> ShopSettings {
        ShopSettings::default()
    }

    #[test]
    fn a_bare_order_misses_fulfilment_payment_name_and_the_callback_yes() {
        let req = OrderRequest {
            items: vec![LineRequest::item("chicken-tikka", "large", 2)],
            ..OrderRequest::default()
        };
        let (priced, missing) = for_pricing(&req, &Callback::from_caller(&caller()), &shop());
        assert_eq!(
            missing,
            [
                Missing::Fulfilment,
                Missing::Payment,
                Missing::CustomerName,
                Missing::CallbackConfirmation
            ]
        );
        assert!(matches!(
            priced.fulfilment,
            Some(FulfilmentRequest::Pickup { .. })
        ));
        assert!(priced.payment.is_some());
    }

    #[test]
    fn a_withheld_caller_must_give_a_number_and_a_delivery_needs_address_and_zone() {
        let mut shop = shop();
        shop.delivery_zones = vec![kitchen_domain::DeliveryZone {
            id: "gulberg".into(),
            name: "Gulberg".into(),
            name_ur: None,
            fee: kitchen_domain::Money::from_rupees(150),
            min_order: kitchen_domain::Money::ZERO,
            free_above: None,
            eta_minutes: 40,
            areas: vec!["Gulberg III".into()],
        }];
        let req = OrderRequest {
            items: vec![LineRequest::item("chicken-tikka", "large", 1)],
            fulfilment: Some(FulfilmentRequest::Delivery {
                address: " ".into(),
                landmark: None,
                zone_id: None,
            }),
            payment: Some(PaymentRequest {
                method: PaymentMethod::Cash,
                pays_with: None,
            }),
            customer_name: Some("Ali".into()),
            ..OrderRequest::default()
        };
        let withheld = Callback::from_caller(&PhoneNumber::Withheld);
        let (_, missing) = for_pricing(&req, &withheld, &shop);
        assert_eq!(
            missing,
            [Missing::Address, Missing::Zone, Missing::CallbackNumber]
        );
        assert!(missing.iter().any(|m| m.is_dictation()));
    }

    #[test]
    fn keypad_digits_make_a_number_on_hash_or_at_eleven_and_star_starts_again() {
        let mut d = Draft::new(&PhoneNumber::Withheld);
        for k in ["0", "3", "1", "*"] {
            assert_eq!(d.keypad(k), None);
        }
        let mut last = None;
        for k in "03211234567".chars() {
            last = d.keypad(&k.to_string());
        }
        assert_eq!(last, Some(Keyed::Number("+923211234567".into())));
        assert_eq!(d.callback.source, CallbackSource::Keypad);
        assert!(!d.callback.confirmed);
        for k in ["4", "2", "#"] {
            last = d.keypad(k);
        }
        assert_eq!(last, Some(Keyed::Invalid("42".into())));
        assert_eq!(d.callback.number.as_deref(), Some("+923211234567"));
    }

    #[test]
    fn a_spoken_number_replaces_the_known_one_and_needs_its_own_yes() {
        let mut c = Callback::from_caller(&caller());
        c.apply(None, Some(true));
        assert!(c.confirmed);
        c.apply(Some("+923331112222".into()), None);
        assert_eq!(c.source, CallbackSource::Voice);
        assert!(!c.confirmed);
        c.apply(Some("+923331112222".into()), Some(true));
        assert!(c.confirmed);
        let mut withheld = Callback::from_caller(&PhoneNumber::Withheld);
        withheld.apply(None, Some(true));
        assert!(!withheld.confirmed, "nothing to confirm without a number");
    }

    #[test]
    fn numbers_are_read_digit_by_digit_in_local_form() {
        assert_eq!(spoken_digits("+923001234567"), "0 3 0 0 - 1 2 3 4 5 6 7");
        assert_eq!(local_form("+923001234567"), "0300 1234567");
        assert_eq!(spoken_digits("+4420"), "+ 4 4 2 0");
    }

    #[test]
    fn the_book_keeps_a_draft_thirty_minutes() {
        let book = DraftBook::default();
        let at = chrono::Utc::now();
        let kept = Kept {
            request: OrderRequest::default(),
            callback: Callback::from_caller(&caller()),
            at,
        };
        book.keep("+923001234567", kept);
        assert!(
            book.find("+923001234567", at + chrono::Duration::minutes(29))
                .is_some()
        );
        assert!(
            book.find("+923001234567", at + chrono::Duration::minutes(31))
                .is_none()
        );
        assert!(book.find("+923009999999", at).is_none());
        book.forget("+923001234567");
        assert!(book.is_empty());
    }
}
