//! What an edit of a `new` order changed, in a few short words for the board's CHANGED badge
//! and the phone AI's read-back: `+1 Coke 1.5 L`, `−1 Garlic Bread`, `Large → Medium
//! Chicken Tikka`, `note: ring twice`. Each note is written in English and in Urdu from the
//! names the order and the menu carry (like a bill line), so an Urdu board never shows
//! English words of ours.

use super::{DealChoice, Fulfilment, HalfRequest, OptionChoice, PaymentRequest};
use super::{FulfilmentRequest, LineRequest, NewOrder, Order, OrderLine, OrderRequest};
use crate::shop::PaymentMethod;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One thing an edit changed, worded in English and in Urdu.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct ChangeNote {
    /// `+1 Coke 1.5 L`.
    pub en: String,
    /// `+1 کوک 1.5 لیٹر`.
    pub ur: String,
}

impl ChangeNote {
    fn new(en: impl Into<String>, ur: impl Into<String>) -> Self {
        ChangeNote {
            en: en.into(),
            ur: ur.into(),
        }
    }
}

/// The latest edit of an order that changed something: when, and what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderChanged {
    /// When it was saved.
    pub at: DateTime<Utc>,
    /// What it changed, in the order [`describe_changes`] gives.
    pub what: Vec<ChangeNote>,
}

/// A line as [`describe_changes`] compares it: everything that makes it what it is except
/// its size and quantity (`identity`), its size, and its names in both languages.
struct Counted<'a> {
    identity: String,
    size_id: &'a str,
    quantity: u32,
    line: &'a OrderLine,
}

/// The lines summed by what they are and their size, in first-seen order.
fn count(lines: &[OrderLine]) -> Vec<Counted<'_>> {
    let mut out: Vec<Counted<'_>> = Vec::new();
    for l in lines {
        let identity = identity(l);
        let quantity = u32::from(l.quantity.get());
        match out
            .iter_mut()
            .find(|c| c.identity == identity && c.size_id == l.size_id)
        {
            Some(c) => c.quantity += quantity,
            None => out.push(Counted {
                identity,
                size_id: &l.size_id,
                quantity,
                line: l,
            }),
        }
    }
    out
}

/// The item (or deal), its options, half, note and a deal's contents, by id: two lines with
/// the same identity differ only in size and quantity.
fn identity(l: &OrderLine) -> String {
    let options: Vec<(&str, &str)> = l
        .options
        .iter()
        .map(|o| (o.group.as_str(), o.option.as_str()))
        .collect();
    let deal: Vec<String> = l
        .deal
        .iter()
        .flat_map(|d| &d.parts)
        .map(|p| {
            let opts: Vec<(&str, &str)> = p
                .options
                .iter()
                .map(|o| (o.group.as_str(), o.option.as_str()))
                .collect();
            format!(
                "{}:{}:{}:{:?}:{:?}",
                p.slot,
                p.item_id,
                p.size_id,
                opts,
                p.half.as_ref().map(|h| &h.item_id)
            )
        })
        .collect();
    format!(
        "{}|{:?}|{:?}|{:?}|{:?}",
        l.item_id,
        options,
        l.half.as_ref().map(|h| &h.item_id),
        l.note,
        deal
    )
}

fn pick<'a>(ur: Option<&'a str>, en: &'a str) -> &'a str {
    ur.map(str::trim).filter(|s| !s.is_empty()).unwrap_or(en)
}

/// A line's name with its half: `Chicken Tikka / Chicken Fajita`; `(en, ur)`.
fn name_of(l: &OrderLine) -> (String, String) {
    let mut en = l.name.clone();
    let mut ur = pick(l.name_ur.as_deref(), &l.name).to_string();
    if let Some(h) = &l.half {
        en.push_str(&format!(" / {}", h.name));
        ur.push_str(&format!(" / {}", pick(h.name_ur.as_deref(), &h.name)));
    }
    (en, ur)
}

/// What follows a line's name and size: its options or a deal's contents, and its note:
/// ` (Stuffed crust) [less spicy]`; `(en, ur)`, empty for a plain line.
fn extras_of(l: &OrderLine) -> (String, String) {
    let (mut en, mut ur) = (String::new(), String::new());
    let mut extras_en: Vec<String> = l.options.iter().map(|o| o.name.clone()).collect();
    let mut extras_ur: Vec<String> = l
        .options
        .iter()
        .map(|o| pick(o.name_ur.as_deref(), &o.name).to_string())
        .collect();
    for p in l.deal.iter().flat_map(|d| &d.parts) {
        extras_en.push(format!("{} {}", p.name, p.size_label).trim().to_string());
        extras_ur.push(
            format!(
                "{} {}",
                pick(p.name_ur.as_deref(), &p.name),
                pick(p.size_label_ur.as_deref(), &p.size_label)
            )
            .trim()
            .to_string(),
        );
    }
    if !extras_en.is_empty() {
        en.push_str(&format!(" ({})", extras_en.join(", ")));
        ur.push_str(&format!(" ({})", extras_ur.join("، ")));
    }
    if let Some(n) = l.note.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
        en.push_str(&format!(" [{n}]"));
        ur.push_str(&format!(" [{n}]"));
    }
    (en, ur)
}

/// A line's size label `(en, ur)` (empty for deals).
fn size_of(l: &OrderLine) -> (&str, &str) {
    (
        l.size_label.as_str(),
        pick(l.size_label_ur.as_deref(), &l.size_label),
    )
}

/// `sign` `quantity` × the line, with its size: `+1 Coke 1.5 L`.
fn counted_note(sign: char, quantity: u32, l: &OrderLine) -> ChangeNote {
    let (name_en, name_ur) = name_of(l);
    let (size_en, size_ur) = size_of(l);
    let (extras_en, extras_ur) = extras_of(l);
    let join = |name: &str, size: &str, extras: &str| {
        if size.is_empty() {
            format!("{sign}{quantity} {name}{extras}")
        } else {
            format!("{sign}{quantity} {name} {size}{extras}")
        }
    };
    ChangeNote::new(
        join(&name_en, size_en, &extras_en),
        join(&name_ur, size_ur, &extras_ur),
    )
}

fn payment_ur(m: PaymentMethod) -> &'static str {
    match m {
        PaymentMethod::Cash => "کیش",
        PaymentMethod::Card => "کارڈ",
        PaymentMethod::Wallet => "موبائل والٹ",
    }
}

/// What turning `before` into `after` changes, as short notes: lines added (`+1 Coke
/// 1.5 L`), removed (`−1 Garlic Bread`) or changed in size (`Large → Medium Chicken
/// Tikka`), then the order's note, delivery or pickup, the address, the payment method and
/// the customer's name. Lines are compared by what they are (item or deal, options, half,
/// note, a deal's contents), so reordering them changes nothing and a line with a new
/// option reads as one removed and one added. Empty when nothing the kitchen cares about
/// changed (a re-price alone is not a change).
pub fn describe_changes(before: &Order, after: &NewOrder) -> Vec<ChangeNote> {
    let mut was = count(&before.lines);
    let mut now = count(after.lines());
    for w in &mut was {
        if let Some(n) = now
            .iter_mut()
            .find(|n| n.identity == w.identity && n.size_id == w.size_id)
        {
            let same = w.quantity.min(n.quantity);
            w.quantity -= same;
            n.quantity -= same;
        }
    }
    let mut resized = Vec::new();
    for w in &mut was {
        for n in &mut now {
            if w.quantity == 0 {
                break;
            }
            if n.quantity == 0 || n.identity != w.identity || n.size_id == w.size_id {
                continue;
            }
            let moved = w.quantity.min(n.quantity);
            w.quantity -= moved;
            n.quantity -= moved;
            let (name_en, name_ur) = name_of(n.line);
            let (extras_en, extras_ur) = extras_of(n.line);
            let ((from_en, from_ur), (to_en, to_ur)) = (size_of(w.line), size_of(n.line));
            let times = if moved > 1 {
                format!("{moved}× ")
            } else {
                String::new()
            };
            resized.push(ChangeNote::new(
                format!("{times}{from_en} → {to_en} {name_en}{extras_en}"),
                format!("{times}{name_ur}{extras_ur}: {from_ur} کی جگہ {to_ur}"),
            ));
        }
    }
    let mut out: Vec<ChangeNote> = now
        .iter()
        .filter(|n| n.quantity > 0)
        .map(|n| counted_note('+', n.quantity, n.line))
        .collect();
    out.extend(
        was.iter()
            .filter(|w| w.quantity > 0)
            .map(|w| counted_note('−', w.quantity, w.line)),
    );
    out.extend(resized);

    let note_before = before
        .note
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty());
    let note_after = after.note().map(str::trim).filter(|n| !n.is_empty());
    if note_before != note_after {
        out.push(match note_after {
            Some(n) => ChangeNote::new(format!("note: {n}"), format!("نوٹ: {n}")),
            None => ChangeNote::new("note removed", "نوٹ ہٹا دیا"),
        });
    }
    match (&before.fulfilment, after.fulfilment()) {
        (Fulfilment::Delivery { .. }, Fulfilment::Pickup { .. }) => {
            out.push(ChangeNote::new("now pickup", "اب خود لے جائیں گے"));
        }
        (Fulfilment::Pickup { .. }, Fulfilment::Delivery { address, .. }) => {
            out.push(ChangeNote::new(
                format!("now delivery: {address}"),
                format!("اب ڈلیوری: {address}"),
            ));
        }
        (Fulfilment::Delivery { .. }, Fulfilment::Delivery { .. })
            if before.address().trim() != after.address().trim()
                || before.landmark() != after.landmark() =>
        {
            let mut at = after.address().trim().to_string();
            if let Some(l) = after.landmark().filter(|l| !l.trim().is_empty()) {
                at.push_str(&format!(" ({})", l.trim()));
            }
            out.push(ChangeNote::new(
                format!("address: {at}"),
                format!("پتہ: {at}"),
            ));
        }
        _ => {}
    }
    if before.payment.method != after.payment().method {
        let m = after.payment().method;
        out.push(ChangeNote::new(
            format!("payment: {}", m.as_str()),
            format!("ادائیگی: {}", payment_ur(m)),
        ));
    }
    let name_before = before.customer_name.as_deref().map(str::trim);
    let name_after = after.customer_name().map(str::trim);
    if name_before.filter(|n| !n.is_empty()) != name_after.filter(|n| !n.is_empty()) {
        let n = name_after.unwrap_or_default();
        out.push(ChangeNote::new(format!("name: {n}"), format!("نام: {n}")));
    }
    out
}

impl From<&OrderLine> for LineRequest {
    /// The request that orders this line again: its ids, quantity, options, half, note and
    /// a deal's choices (names and prices come from the menu when it is priced).
    fn from(l: &OrderLine) -> Self {
        let options = |opts: &[super::ChosenOption]| -> Vec<OptionChoice> {
            opts.iter()
                .map(|o| OptionChoice {
                    group: o.group.clone(),
                    option: o.option.clone(),
                })
                .collect()
        };
        let half = |h: &Option<super::Half>| {
            h.as_ref().map(|h| HalfRequest {
                item_id: h.item_id.clone(),
            })
        };
        match &l.deal {
            Some(d) => LineRequest {
                item_id: None,
                size_id: None,
                quantity: i64::from(l.quantity.get()),
                options: Vec::new(),
                half: None,
                note: l.note.clone(),
                deal_id: Some(d.deal_id.clone()),
                choices: d
                    .parts
                    .iter()
                    .map(|p| DealChoice {
                        slot: p.slot.clone(),
                        item_id: p.item_id.clone(),
                        size_id: Some(p.size_id.clone()).filter(|s| !s.is_empty()),
                        options: options(&p.options),
                        half: half(&p.half),
                    })
                    .collect(),
            },
            None => LineRequest {
                item_id: Some(l.item_id.clone()),
                size_id: Some(l.size_id.clone()).filter(|s| !s.is_empty()),
                quantity: i64::from(l.quantity.get()),
                options: options(&l.options),
                half: half(&l.half),
                note: l.note.clone(),
                deal_id: None,
                choices: Vec::new(),
            },
        }
    }
}

impl Order {
    /// The request that places this order again as it is (lines, delivery or pickup,
    /// payment, name, note; no phone: a saved order keeps its own): the start of an edit
    /// that changes only some of it and re-prices the rest with the live menu.
    pub fn to_request(&self) -> OrderRequest {
        OrderRequest {
            items: self.lines.iter().map(LineRequest::from).collect(),
            fulfilment: Some(match &self.fulfilment {
                Fulfilment::Delivery {
                    address,
                    landmark,
                    zone_id,
                    ..
                } => FulfilmentRequest::Delivery {
                    address: address.clone(),
                    landmark: landmark.clone(),
                    zone_id: zone_id.clone(),
                },
                Fulfilment::Pickup { pickup_in_minutes } => FulfilmentRequest::Pickup {
                    pickup_in_minutes: pickup_in_minutes.map(i64::from),
                },
            }),
            payment: Some(PaymentRequest {
                method: self.payment.method,
                pays_with: self.payment.pays_with.map(|m| m.paisa()),
            }),
            address: None,
            landmark: None,
            customer_name: self.customer_name.clone(),
            customer_phone: None,
            note: self.note.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::menu::Menu;
    use crate::money::Money;
    use crate::order::{NewOrder, OrderSource, PriceContext};
    use crate::settings::ShopSettings;
    use crate::status::OrderStatus;
    use chrono::NaiveDateTime;

    fn price(req: &OrderRequest) -> NewOrder {
        let menu = Menu::default_menu();
        let now = NaiveDateTime::parse_from_str("2026-12-03 20:00", "%Y-%m-%d %H:%M").unwrap();
        NewOrder::price(
            req,
            PriceContext {
                menu: &menu,
                settings: &ShopSettings::default(),
                now,
            },
        )
        .unwrap()
    }

    /// `o` as the store would give it back.
    fn saved(o: &NewOrder) -> Order {
        let at = chrono::Utc::now();
        Order {
            id: 1,
            uuid: uuid::Uuid::nil(),
            number: 7,
            business_date: at.date_naive(),
            status: OrderStatus::New,
            cancel_reason: None,
            rider: None,
            lines: o.lines().to_vec(),
            fulfilment: o.fulfilment().clone(),
            payment: *o.payment(),
            customer_name: o.customer_name().map(str::to_string),
            customer_phone: None,
            note: o.note().map(str::to_string),
            bill: o.bill().clone(),
            total: o.total(),
            eta_minutes: Some(o.eta_minutes()),
            source: OrderSource::Staff,
            call_sid: None,
            created_at: at,
            updated_at: at,
            status_since: at,
            history: Vec::new(),
            changed: None,
        }
    }

    fn order(items: Vec<LineRequest>) -> OrderRequest {
        OrderRequest::delivery(items, "House 12, Gulberg III, Lahore")
    }

    fn en(notes: &[ChangeNote]) -> Vec<&str> {
        notes.iter().map(|n| n.en.as_str()).collect()
    }

    fn ur(notes: &[ChangeNote]) -> Vec<&str> {
        notes.iter().map(|n| n.ur.as_str()).collect()
    }

    #[test]
    fn added_removed_and_resized_lines_and_a_new_note_read_as_the_kitchen_says_them() {
        let before = saved(&price(&order(vec![
            LineRequest::item("chicken-tikka", "large", 1),
            LineRequest::item("garlic-bread", "regular", 1),
        ])));
        let mut req = order(vec![
            LineRequest::item("chicken-tikka", "medium", 1),
            LineRequest::item("coca-cola", "1.5l", 1),
        ]);
        req.note = Some("ring twice".into());
        let what = describe_changes(&before, &price(&req));
        assert_eq!(
            en(&what),
            [
                "+1 Coca-Cola 1.5 L",
                "−1 Garlic Bread 4 pcs",
                "Large 13\" → Medium 10\" Chicken Tikka",
                "note: ring twice"
            ]
        );
        assert_eq!(
            ur(&what),
            [
                "+1 کوکا کولا ڈیڑھ لیٹر",
                "−1 گارلک بریڈ 4 پیس",
                "چکن تکہ: بڑا 13 انچ کی جگہ درمیانہ 10 انچ",
                "نوٹ: ring twice"
            ]
        );
    }

    #[test]
    fn the_same_order_reordered_or_only_re_priced_changes_nothing() {
        let lines = vec![
            LineRequest::item("chicken-tikka", "large", 2),
            LineRequest::item("coca-cola", "1.5l", 1),
        ];
        let mut before = saved(&price(&order(lines.clone())));
        before.total = Money::from_paisa(1);
        let reversed: Vec<LineRequest> = lines.into_iter().rev().collect();
        assert!(describe_changes(&before, &price(&order(reversed))).is_empty());
        // The order asked for again from what was saved is the same order.
        assert!(describe_changes(&before, &price(&before.to_request())).is_empty());
    }

    #[test]
    fn quantities_options_deals_and_the_rest_of_the_order_are_told() {
        let before = saved(&price(&order(vec![
            LineRequest::item("chicken-tikka", "large", 3),
            LineRequest::item("pepperoni", "large", 1),
            LineRequest::deal(
                "deal-1",
                1,
                vec![
                    DealChoice {
                        slot: "pizza".into(),
                        item_id: "veggie".into(),
                        size_id: None,
                        options: vec![],
                        half: None,
                    },
                    DealChoice {
                        slot: "drink".into(),
                        item_id: "pepsi".into(),
                        size_id: None,
                        options: vec![],
                        half: None,
                    },
                ],
            ),
        ])));
        let mut req = OrderRequest {
            items: vec![
                LineRequest::item("chicken-tikka", "large", 1),
                LineRequest::item("chicken-tikka", "medium", 1),
                LineRequest::item("pepperoni", "large", 1).with_option("crust", "stuffed"),
            ],
            fulfilment: Some(FulfilmentRequest::Pickup {
                pickup_in_minutes: None,
            }),
            payment: Some(PaymentRequest {
                method: PaymentMethod::Card,
                pays_with: None,
            }),
            customer_name: Some("Ali".into()),
            ..OrderRequest::default()
        };
        req.note = None;
        let what = describe_changes(&before, &price(&req));
        assert_eq!(
            en(&what),
            [
                "+1 Pepperoni Large 13\" (Stuffed crust)",
                "−1 Chicken Tikka Large 13\"",
                "−1 Pepperoni Large 13\"",
                "−1 Deal 1 (Solo) (Veggie Small 7\", Pepsi 345 ml)",
                "Large 13\" → Medium 10\" Chicken Tikka",
                "now pickup",
                "payment: card",
                "name: Ali"
            ]
        );
        assert!(ur(&what).contains(&"ادائیگی: کارڈ"), "{what:?}");
        assert!(ur(&what).contains(&"اب خود لے جائیں گے"), "{what:?}");
    }

    #[test]
    fn a_saved_order_asks_for_the_same_lines_options_halves_and_deal_choices() {
        let req = order(vec![
            LineRequest::item("chicken-tikka", "large", 2)
                .with_option("crust", "stuffed")
                .with_half("chicken-fajita")
                .with_note("less spicy"),
            LineRequest::deal(
                "deal-1",
                1,
                vec![
                    DealChoice {
                        slot: "pizza".into(),
                        item_id: "veggie".into(),
                        size_id: None,
                        options: vec![],
                        half: None,
                    },
                    DealChoice {
                        slot: "drink".into(),
                        item_id: "pepsi".into(),
                        size_id: None,
                        options: vec![],
                        half: None,
                    },
                ],
            ),
        ]);
        let first = price(&req);
        let again = price(&saved(&first).to_request());
        assert_eq!(again.lines(), first.lines());
        assert_eq!(again.fulfilment(), first.fulfilment());
        assert_eq!(again.total(), first.total());
    }
}
