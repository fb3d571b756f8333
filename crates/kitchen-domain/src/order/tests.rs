//! Pricing rules, one test per rule, against the default menu.

#![allow(clippy::field_reassign_with_default)]

use super::*;
use crate::hours::Weekday;
use crate::menu::Menu;
use crate::settings::ShopSettings;
use crate::shop::{DeliveryZone, PaymentMethod};
use crate::validation::{FieldError, ValidationErrors};
use chrono::NaiveDateTime;

/// Thursday 3 December 2026, 8 PM shop time.
fn evening() -> NaiveDateTime {
    NaiveDateTime::parse_from_str("2026-12-03 20:00", "%Y-%m-%d %H:%M").unwrap()
}

fn price_at(
    req: &OrderRequest,
    settings: &ShopSettings,
    now: NaiveDateTime,
) -> Result<NewOrder, ValidationErrors> {
    let menu = Menu::default_menu();
    NewOrder::price(
        req,
        PriceContext {
            menu: &menu,
            settings,
            now,
        },
    )
}

fn price(req: &OrderRequest) -> Result<NewOrder, ValidationErrors> {
    price_at(req, &ShopSettings::default(), evening())
}

fn deliver(items: Vec<LineRequest>) -> OrderRequest {
    OrderRequest::delivery(items, "House 12, Street 4, Block C, Gulberg III, Lahore")
}

fn errors(r: Result<NewOrder, ValidationErrors>) -> Vec<(String, &'static str)> {
    r.unwrap_err()
        .0
        .into_iter()
        .map(|FieldError { field, code, .. }| (field, code))
        .collect()
}

fn one(field: &str, code: &'static str) -> Vec<(String, &'static str)> {
    vec![(field.to_string(), code)]
}

fn deal3(pizza: &str) -> LineRequest {
    LineRequest::deal(
        "deal-3",
        1,
        vec![
            DealChoice {
                slot: "pizza".into(),
                item_id: pizza.into(),
                size_id: None,
                options: vec![],
                half: None,
            },
            DealChoice {
                slot: "drink".into(),
                item_id: "coca-cola".into(),
                size_id: None,
                options: vec![],
                half: None,
            },
        ],
    )
}

fn zone(fee: i64, min: i64, free: Option<i64>) -> DeliveryZone {
    DeliveryZone {
        id: "gulberg".into(),
        name: "Gulberg".into(),
        name_ur: Some("گلبرگ".into()),
        fee: Money::from_rupees(fee),
        min_order: Money::from_rupees(min),
        free_above: free.map(Money::from_rupees),
        eta_minutes: 45,
        areas: vec!["Gulberg III".into()],
    }
}

#[test]
fn a_plain_order_in_the_earlier_shape_is_priced_as_before() {
    let mut req = deliver(vec![
        LineRequest::item("chicken-tikka", "large", 2),
        LineRequest::item("coca-cola", "1.5l", 1),
    ]);
    req.customer_phone = Some("0300-1234567".into());
    let o = price(&req).unwrap();
    assert_eq!(o.lines()[0].line_total, Money::from_paisa(219_900 * 2));
    assert_eq!(o.total(), Money::from_paisa(219_900 * 2 + 32_000));
    let b = o.bill();
    assert_eq!(
        (b.subtotal, b.deal_savings, b.delivery_fee),
        (o.total(), Money::ZERO, Money::ZERO)
    );
    assert_eq!(
        (b.tax.rate_bp, b.tax.amount),
        (0, Money::ZERO),
        "unregistered: no tax"
    );
    assert_eq!(b.total, o.total());
    assert_eq!(b.lines[0].description, "Chicken Tikka Large 13\"");
    assert_eq!(b.lines[0].description_ur, "چکن تکہ بڑا 13 انچ");
    assert_eq!(o.lines()[0].size_label_ur.as_deref(), Some("بڑا 13 انچ"));
    assert_eq!(b.total_spoken_ur, "چار ہزار سات سو اٹھارہ");
    assert_eq!(o.payment(), &Payment::CASH);
    assert_eq!(
        o.address(),
        "House 12, Street 4, Block C, Gulberg III, Lahore"
    );
    assert_eq!(
        o.customer_phone().and_then(|p| p.e164()),
        Some("+923001234567")
    );
    assert_eq!(o.eta_minutes(), 35);
    let seed = o.seed_columns();
    assert_eq!(
        (seed.flavour.as_str(), seed.size.as_str()),
        ("Chicken Tikka", "Large 13\"")
    );
    assert_eq!(seed.drink.as_deref(), Some("Coca-Cola 1.5 L"));
}

#[test]
fn options_are_priced_per_size_and_removals_are_free() {
    let line = LineRequest::item("chicken-tikka", "large", 2)
        .with_option("crust", "stuffed")
        .with_option("extras", "cheese")
        .with_option("remove", "no-onion")
        .with_note("less spicy");
    let o = price(&deliver(vec![line])).unwrap();
    let l = &o.lines()[0];
    // 2,199 + stuffed 350 + cheese 250 + no onion 0 = 2,799 each.
    assert_eq!(l.unit_price, Money::from_rupees(2_799));
    assert_eq!(l.line_total, Money::from_rupees(5_598));
    let names: Vec<_> = l.options.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(names, ["Stuffed crust", "Extra cheese", "No onion"]);
    assert_eq!(l.note.as_deref(), Some("less spicy"));
    assert_eq!(
        o.bill().lines[0].description,
        "Chicken Tikka Large 13\" · Stuffed crust, Extra cheese, No onion"
    );
    // In Urdu the options are separated by the Urdu comma.
    let ur = &o.bill().lines[0].description_ur;
    assert!(ur.starts_with("چکن تکہ بڑا 13 انچ · "), "{ur}");
    assert_eq!(ur.matches('،').count(), 2, "{ur}");
    assert!(!ur.contains(", "), "{ur}");
    // The same cheese on a small costs the small price.
    let small = price(&deliver(vec![
        LineRequest::item("veggie", "small", 1).with_option("extras", "cheese"),
    ]))
    .unwrap();
    assert_eq!(small.total(), Money::from_rupees(650 + 150));
}

#[test]
fn options_outside_the_item_or_size_or_its_limits_are_refused() {
    let e = errors(price(&deliver(vec![
        LineRequest::item("chicken-tikka", "small", 1).with_option("crust", "stuffed"),
        LineRequest::item("fries", "regular", 1).with_option("extras", "cheese"),
        LineRequest::item("veggie", "large", 1)
            .with_option("crust", "thin")
            .with_option("crust", "stuffed"),
        LineRequest::item("veggie", "large", 1).with_option("sauce", "bbq"),
        LineRequest::item("veggie", "large", 1).with_option("crust", "cheesy"),
    ])));
    assert_eq!(
        e,
        [
            (
                "items[0].options[0].option".to_string(),
                "option_not_offered"
            ),
            (
                "items[1].options[0].group".to_string(),
                "option_not_offered"
            ),
            ("items[2].options".to_string(), "too_many_options"),
            (
                "items[3].options[0].group".to_string(),
                "unknown_option_group"
            ),
            ("items[4].options[0].option".to_string(), "unknown_option"),
        ]
    );
}

#[test]
fn a_group_with_a_minimum_must_be_chosen_from() {
    let mut parts = Menu::default_menu().to_parts();
    parts.option_groups[0].min = 1; // crust required
    let menu = Menu::from_parts(parts).unwrap();
    let settings = ShopSettings::default();
    let cx = PriceContext {
        menu: &menu,
        settings: &settings,
        now: evening(),
    };
    let e =
        NewOrder::price(&deliver(vec![LineRequest::item("veggie", "large", 1)]), cx).unwrap_err();
    assert_eq!(e.0[0].field, "items[0].options");
    assert_eq!(e.0[0].code, "too_few_options");
    assert_eq!(e.0[0].params["min"], "1");
    assert!(
        NewOrder::price(
            &deliver(vec![
                LineRequest::item("veggie", "large", 1).with_option("crust", "thin")
            ]),
            cx
        )
        .is_ok()
    );
}

#[test]
fn half_and_half_costs_the_dearer_half_plus_options() {
    let line = LineRequest::item("chicken-tikka", "large", 1)
        .with_half("malai-boti")
        .with_option("crust", "stuffed");
    let o = price(&deliver(vec![line])).unwrap();
    // Malai Boti large 2,399 > Tikka 2,199; + stuffed 350.
    assert_eq!(o.total(), Money::from_rupees(2_399 + 350));
    assert_eq!(o.lines()[0].half.as_ref().unwrap().name, "Malai Boti");
    assert_eq!(
        o.bill().lines[0].description,
        "½ Chicken Tikka ½ Malai Boti Large 13\" · Stuffed crust"
    );
}

#[test]
fn half_and_half_only_where_the_item_and_size_allow() {
    let e = errors(price(&deliver(vec![
        LineRequest::item("chicken-tikka", "small", 1).with_half("chicken-fajita"),
        LineRequest::item("chicken-tikka", "large", 1).with_half("fries"),
        LineRequest::item("fries", "regular", 1).with_half("chicken-tikka"),
        LineRequest::item("chicken-tikka", "large", 1).with_half("unicorn"),
    ])));
    assert_eq!(
        e,
        [
            ("items[0].half.item_id".to_string(), "half_not_allowed"),
            ("items[1].half.item_id".to_string(), "half_not_allowed"),
            ("items[2].half.item_id".to_string(), "half_not_allowed"),
            ("items[3].half.item_id".to_string(), "unknown_item"),
        ]
    );
}

#[test]
fn a_deal_costs_its_price_plus_surcharges_and_options_and_shows_its_savings() {
    let mut d = deal3("malai-boti");
    d.choices[0].options = vec![OptionChoice {
        group: "crust".into(),
        option: "stuffed".into(),
    }];
    d.quantity = 2;
    let o = price(&deliver(vec![d])).unwrap();
    let l = &o.lines()[0];
    // 2,349 + Malai Boti surcharge 150 + stuffed 350 = 2,849 a deal.
    assert_eq!(l.unit_price, Money::from_rupees(2_849));
    assert_eq!(l.line_total, Money::from_rupees(5_698));
    assert_eq!(l.kind, crate::menu::ItemKind::Deal);
    let parts = &l.deal.as_ref().unwrap().parts;
    assert_eq!(
        parts[0].size_id, "large",
        "one allowed size fills itself in"
    );
    assert_eq!(parts[0].surcharge, Money::from_rupees(150));
    assert_eq!(parts[1].name, "Coca-Cola");
    // À la carte: Malai Boti large 2,399 + stuffed 350 + Coke 1.5 L 320 = 3,069 a deal.
    let b = o.bill();
    assert_eq!(b.subtotal, Money::from_rupees(3_069 * 2));
    assert_eq!(b.deal_savings, Money::from_rupees((3_069 - 2_849) * 2));
    assert_eq!(b.food_total, Money::from_rupees(5_698));
    assert_eq!(
        b.lines[0].description,
        "Deal 3: Malai Boti Large 13\" · Stuffed crust + Coca-Cola 1.5 L"
    );
    assert!(
        b.lines[0]
            .description_ur
            .starts_with("ڈیل 3: ملائی بوٹی بڑا 13 انچ"),
        "{}",
        b.lines[0].description_ur
    );
    assert_eq!(parts[1].size_label_ur.as_deref(), Some("ڈیڑھ لیٹر"));
    let seed = o.seed_columns();
    assert_eq!(
        (seed.flavour.as_str(), seed.drink.as_deref()),
        ("Malai Boti", Some("Coca-Cola 1.5 L"))
    );
}

#[test]
fn deal_slots_take_exactly_their_count_of_allowed_items_and_sizes() {
    let choice = |slot: &str, item: &str, size: Option<&str>| DealChoice {
        slot: slot.into(),
        item_id: item.into(),
        size_id: size.map(Into::into),
        options: vec![],
        half: None,
    };
    let family = |choices| LineRequest::deal("deal-4", 1, choices);
    let e = errors(price(&deliver(vec![
        // One pizza short.
        family(vec![
            choice("pizzas", "veggie", None),
            choice("drink", "pepsi", None),
            choice("side", "garlic-bread", None),
        ]),
        // An excluded premium flavour and a wrong size.
        family(vec![
            choice("pizzas", "malai-boti", None),
            choice("pizzas", "veggie", Some("medium")),
            choice("drink", "pepsi", None),
            choice("side", "garlic-bread", None),
        ]),
        // A slot that does not exist, a drink in the side slot.
        family(vec![
            choice("pizzas", "veggie", None),
            choice("pizzas", "veggie", None),
            choice("dessert", "lava-cake", None),
            choice("side", "pepsi", None),
        ]),
    ])));
    assert_eq!(
        e,
        [
            ("items[0].choices".to_string(), "slot_wrong_count"),
            (
                "items[1].choices[0].item_id".to_string(),
                "slot_item_not_allowed"
            ),
            (
                "items[1].choices[1].size_id".to_string(),
                "slot_size_not_allowed"
            ),
            ("items[2].choices".to_string(), "slot_wrong_count"),
            ("items[2].choices[2].slot".to_string(), "unknown_slot"),
            (
                "items[2].choices[3].item_id".to_string(),
                "slot_item_not_allowed"
            ),
        ]
    );
}

#[test]
fn a_midnight_deal_is_refused_outside_its_window_naming_it() {
    let midnight = LineRequest::deal(
        "midnight",
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
    );
    let req = deliver(vec![midnight]);
    let e = price(&req).unwrap_err();
    assert_eq!(e.0[0].code, "deal_not_available_now");
    assert_eq!(e.0[0].params["window"], "daily 00:00–03:00");
    let late = NaiveDateTime::parse_from_str("2026-12-04 00:30", "%Y-%m-%d %H:%M").unwrap();
    let o = price_at(&req, &ShopSettings::default(), late).unwrap();
    assert_eq!(o.total(), Money::from_rupees(1_199));
    assert_eq!(Weekday::of(late.date()), Weekday::Fri);
}

#[test]
fn sold_out_items_sizes_options_and_deals_are_refused() {
    let mut parts = Menu::default_menu().to_parts();
    parts
        .items
        .iter_mut()
        .find(|i| i.id.0 == "malai-boti")
        .unwrap()
        .available = false;
    parts
        .items
        .iter_mut()
        .find(|i| i.id.0 == "pepsi")
        .unwrap()
        .sizes[1]
        .available = false;
    parts.option_groups[0].options[2].available = false; // stuffed
    parts.deals[1].available = false;
    let menu = Menu::from_parts(parts).unwrap();
    let settings = ShopSettings::default();
    let cx = PriceContext {
        menu: &menu,
        settings: &settings,
        now: evening(),
    };
    let req = deliver(vec![
        LineRequest::item("malai-boti", "large", 1),
        LineRequest::item("pepsi", "1.5l", 1),
        LineRequest::item("veggie", "large", 1).with_option("crust", "stuffed"),
        LineRequest::deal("deal-2", 1, vec![]),
    ]);
    let got: Vec<_> = NewOrder::price(&req, cx)
        .unwrap_err()
        .0
        .into_iter()
        .map(|e| {
            (
                e.field,
                e.code,
                e.params.get("name").cloned().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("items[0].item_id".into(), "sold_out", "Malai Boti".into()),
            ("items[1].size_id".into(), "sold_out", "Pepsi 1.5 L".into()),
            (
                "items[2].options[0].option".into(),
                "sold_out",
                "Stuffed crust".into()
            ),
            ("items[3].deal_id".into(), "sold_out", "Deal 2".into()),
        ]
    );
}

#[test]
fn pickup_needs_no_address_and_takes_the_pickup_time() {
    let req = OrderRequest {
        items: vec![LineRequest::item("fries", "regular", 1)],
        fulfilment: Some(FulfilmentRequest::Pickup {
            pickup_in_minutes: Some(15),
        }),
        ..OrderRequest::default()
    };
    let mut settings = ShopSettings::default();
    settings.delivery_zones = vec![zone(150, 1000, None)];
    let o = price_at(&req, &settings, evening()).unwrap();
    assert_eq!(o.fulfilment().kind(), "pickup");
    assert_eq!(o.address(), "");
    assert_eq!(o.bill().delivery_fee, Money::ZERO);
    assert_eq!(o.eta_minutes(), 15);
    settings.pickup.enabled = false;
    assert_eq!(
        errors(price_at(&req, &settings, evening())),
        one("fulfilment.type", "pickup_not_offered")
    );
}

#[test]
fn delivery_needs_an_address_and_a_known_zone_when_there_are_zones() {
    assert_eq!(
        errors(price(&OrderRequest {
            items: vec![LineRequest::item("fries", "regular", 1)],
            ..OrderRequest::default()
        })),
        one("address", "address_required")
    );
    let mut settings = ShopSettings::default();
    settings.delivery_zones = vec![zone(150, 0, None)];
    let req = |zone: Option<&str>| OrderRequest {
        items: vec![LineRequest::item("chicken-tikka", "large", 1)],
        fulfilment: Some(FulfilmentRequest::Delivery {
            address: "House 1, Gulberg III".into(),
            landmark: None,
            zone_id: zone.map(Into::into),
        }),
        ..OrderRequest::default()
    };
    let e = price_at(&req(None), &settings, evening()).unwrap_err();
    assert_eq!(
        (e.0[0].field.as_str(), e.0[0].code),
        ("fulfilment.zone_id", "zone_required")
    );
    assert_eq!(e.0[0].params["allowed"], "gulberg");
    assert_eq!(
        errors(price_at(&req(Some("dha")), &settings, evening())),
        one("fulfilment.zone_id", "unknown_zone")
    );
    let o = price_at(&req(Some("gulberg")), &settings, evening()).unwrap();
    assert_eq!(o.bill().delivery_fee, Money::from_rupees(150));
    assert_eq!(o.total(), Money::from_rupees(2_199 + 150));
    assert_eq!(o.eta_minutes(), 45, "the zone's time");
    let Fulfilment::Delivery { zone_name, .. } = o.fulfilment() else {
        unreachable!()
    };
    assert_eq!(zone_name.as_deref(), Some("Gulberg"));
}

#[test]
fn a_zone_is_free_above_its_threshold_and_refuses_below_its_minimum() {
    let mut settings = ShopSettings::default();
    settings.delivery_zones = vec![zone(150, 1000, Some(3000))];
    let req = |items| OrderRequest {
        items,
        fulfilment: Some(FulfilmentRequest::Delivery {
            address: "House 1".into(),
            landmark: None,
            zone_id: Some("gulberg".into()),
        }),
        ..OrderRequest::default()
    };
    let e = price_at(
        &req(vec![LineRequest::item("fries", "regular", 1)]),
        &settings,
        evening(),
    )
    .unwrap_err();
    assert_eq!(
        (e.0[0].field.as_str(), e.0[0].code),
        ("items", "below_minimum_order")
    );
    assert_eq!(e.0[0].params["minimum"], "100000");
    assert_eq!(e.0[0].params["food_total"], "34900");
    let two = price_at(
        &req(vec![LineRequest::item("chicken-tikka", "large", 2)]),
        &settings,
        evening(),
    )
    .unwrap();
    assert_eq!(two.bill().delivery_fee, Money::ZERO, "4,398 is above 3,000");
    let one_pizza = price_at(
        &req(vec![LineRequest::item("chicken-tikka", "large", 1)]),
        &settings,
        evening(),
    )
    .unwrap();
    assert_eq!(one_pizza.bill().delivery_fee, Money::from_rupees(150));
}

fn paying(method: PaymentMethod, pays_with: Option<i64>) -> OrderRequest {
    OrderRequest {
        payment: Some(PaymentRequest { method, pays_with }),
        ..deliver(vec![LineRequest::item("chicken-tikka", "large", 1)])
    }
}

#[test]
fn tax_depends_on_the_payment_method_and_is_added_or_included() {
    let mut settings = ShopSettings::default();
    settings.tax.registered = true;
    settings.tax.prices_include_tax = false;
    // Cash 16 %: 2,199 × 0.16 = 351.84 → 352.
    let cash = price_at(&paying(PaymentMethod::Cash, None), &settings, evening()).unwrap();
    assert_eq!(cash.bill().tax.rate_bp, 1600);
    assert_eq!(cash.bill().tax.amount, Money::from_rupees(352));
    assert_eq!(cash.total(), Money::from_rupees(2_199 + 352));
    // Card 5 %: 109.95 → 110.
    let card = price_at(&paying(PaymentMethod::Card, None), &settings, evening()).unwrap();
    assert_eq!(card.bill().tax.amount, Money::from_rupees(110));
    assert_eq!(card.total(), Money::from_rupees(2_309));
    assert_eq!(card.payment().method, PaymentMethod::Card);
    let wallet = price_at(&paying(PaymentMethod::Wallet, None), &settings, evening()).unwrap();
    assert_eq!(wallet.bill().tax.rate_bp, 500);
    // Inclusive: shown, not added. 2,199 × 16/116 = 303.31 → 303.
    settings.tax.prices_include_tax = true;
    let inc = price_at(&paying(PaymentMethod::Cash, None), &settings, evening()).unwrap();
    assert!(inc.bill().tax.included);
    assert_eq!(inc.bill().tax.amount, Money::from_rupees(303));
    assert_eq!(inc.total(), Money::from_rupees(2_199));
}

#[test]
fn the_delivery_fee_is_taxed_only_when_the_setting_says_so() {
    let mut settings = ShopSettings::default();
    settings.tax.registered = true;
    settings.tax.prices_include_tax = false;
    settings.delivery_zones = vec![zone(100, 0, None)];
    let req = OrderRequest {
        items: vec![LineRequest::item("chicken-tikka", "large", 1)],
        fulfilment: Some(FulfilmentRequest::Delivery {
            address: "House 1".into(),
            landmark: None,
            zone_id: Some("gulberg".into()),
        }),
        ..OrderRequest::default()
    };
    let food_only = price_at(&req, &settings, evening()).unwrap();
    assert_eq!(food_only.bill().tax.amount, Money::from_rupees(352));
    settings.tax.on_delivery_fee = true;
    let with_fee = price_at(&req, &settings, evening()).unwrap();
    // (2,199 + 100) × 0.16 = 367.84 → 368.
    assert_eq!(with_fee.bill().tax.amount, Money::from_rupees(368));
    assert_eq!(with_fee.total(), Money::from_rupees(2_199 + 100 + 368));
}

#[test]
fn change_is_worked_out_and_a_short_note_is_refused() {
    let o = price(&paying(PaymentMethod::Cash, Some(500_000))).unwrap();
    assert_eq!(o.payment().pays_with, Some(Money::from_rupees(5_000)));
    assert_eq!(o.payment().change, Some(Money::from_rupees(5_000 - 2_199)));
    let e = price(&paying(PaymentMethod::Cash, Some(200_000))).unwrap_err();
    assert_eq!(
        (e.0[0].field.as_str(), e.0[0].code),
        ("payment.pays_with", "pays_with_below_total")
    );
    assert_eq!(e.0[0].params["total"], "219900");
    let mut settings = ShopSettings::default();
    settings.payment_methods = vec![PaymentMethod::Cash];
    let e = price_at(&paying(PaymentMethod::Card, None), &settings, evening()).unwrap_err();
    assert_eq!(
        (e.0[0].field.as_str(), e.0[0].code),
        ("payment.method", "payment_method_not_accepted")
    );
    assert_eq!(e.0[0].params["allowed"], "cash");
}

#[test]
fn every_problem_is_reported_with_its_field() {
    let mut r = deliver(vec![
        LineRequest::item("chicken-tikka", "huge", 2),
        LineRequest::item("unicorn", "large", 0),
        LineRequest {
            item_id: None,
            ..LineRequest::item("x", "y", 1)
        },
    ]);
    r.address = Some("   ".into());
    r.customer_phone = Some("12345".into());
    let e = price(&r).unwrap_err();
    let fields: Vec<_> = e.0.iter().map(|e| (e.field.as_str(), e.code)).collect();
    assert_eq!(
        fields,
        [
            ("items[0].size_id", "unknown_size"),
            ("items[1].quantity", "out_of_range"),
            ("items[1].item_id", "unknown_item"),
            ("items[2].item_id", "required"),
            ("address", "address_required"),
            ("customer_phone", "phone_invalid"),
        ]
    );
    assert!(
        e.0[0]
            .message
            .contains("sizes are small, medium, large, family")
    );
    assert_eq!(e.0[0].params["allowed"], "small, medium, large, family");
    assert!(
        e.to_string().starts_with("items[0].size_id: size `huge`"),
        "{e}"
    );
}

#[test]
fn empty_and_oversized_orders_are_refused() {
    assert_eq!(errors(price(&deliver(vec![]))), one("items", "required"));
    let many: Vec<_> = (0..31)
        .map(|_| LineRequest::item("pepsi", "345ml", 1))
        .collect();
    assert_eq!(errors(price(&deliver(many))), one("items", "too_long"));
}

#[test]
fn a_size_can_be_left_out_when_there_is_only_one() {
    let o = price(&deliver(vec![LineRequest {
        size_id: None,
        ..LineRequest::item("garlic-bread", "", 1)
    }]))
    .unwrap();
    assert_eq!(o.lines()[0].size_id, "regular");
    let e = price(&deliver(vec![LineRequest {
        size_id: None,
        ..LineRequest::item("veggie", "", 1)
    }]))
    .unwrap_err();
    assert_eq!(
        (e.0[0].field.as_str(), e.0[0].code),
        ("items[0].size_id", "required")
    );
}

#[test]
fn blank_optional_fields_become_none_and_phone_can_be_replaced() {
    let mut r = deliver(vec![LineRequest::item("veggie", "small", 1)]);
    r.landmark = Some(" ".into());
    r.customer_phone = Some("".into());
    r.note = Some("  ".into());
    let o = price(&r).unwrap();
    assert_eq!(
        (
            o.landmark(),
            o.customer_name(),
            o.customer_phone(),
            o.note()
        ),
        (None, None, None, None)
    );
    let o = o.with_phone(Some(PhoneNumber::Withheld));
    assert_eq!(o.customer_phone(), Some(&PhoneNumber::Withheld));
}

#[test]
fn the_request_json_takes_both_line_shapes_and_fulfilment_shapes() {
    let req: OrderRequest = serde_json::from_str(
        r#"{"items":[
            {"item_id":"chicken-tikka","size_id":"large","quantity":1,
             "options":[{"group":"crust","option":"stuffed"}],"half":{"item_id":"chicken-fajita"},"note":"less spicy"},
            {"deal_id":"deal-3","quantity":1,"choices":[{"slot":"pizza","item_id":"malai-boti"},{"slot":"drink","item_id":"coca-cola"}]}],
          "fulfilment":{"type":"pickup","pickup_in_minutes":20},
          "payment":{"method":"cash","pays_with":1000000},
          "customer_name":"Ali","note":"ring twice"}"#,
    )
    .unwrap();
    let o = price(&req).unwrap();
    assert_eq!(o.lines().len(), 2);
    assert_eq!(o.total(), Money::from_rupees(2_199 + 350 + 2_349 + 150));
    assert_eq!(o.payment().change, Some(Money::from_rupees(10_000 - 5_048)));
    assert_eq!(o.note(), Some("ring twice"));
}
