//! Random but valid orders against a big generated menu: the pricing property tests and the
//! pricing benchmark share them. Deterministic (a seeded xorshift), so a failure repeats.

use kitchen_domain::{
    DealChoice, DeliveryZone, FulfilmentRequest, HalfRequest, LineRequest, Menu, Money,
    OptionChoice, OrderRequest, PaymentMethod, PaymentRequest, ShopSettings,
};
use serde_json::{Value, json};

/// A small, fast, seeded random source (xorshift64*).
pub struct Rng(u64);

impl Rng {
    /// A source from a seed (0 is replaced: xorshift needs a non-zero state).
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    /// The next number.
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True with probability `percent` %.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    /// One of `items`.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const PIZZA_SIZES: [(&str, &str, i64); 4] = [
    ("small", "Small 7\"", 75_000),
    ("medium", "Medium 10\"", 145_000),
    ("large", "Large 13\"", 219_900),
    ("family", "Family 16\"", 299_900),
];

/// A 200-item menu: 120 pizzas with crusts, extras and removals (half-and-half in large and
/// family), 30 sides, 20 drinks, 10 dips, 10 desserts, 10 pastas, and 20 deals with
/// premium surcharges.
pub fn big_menu() -> Menu {
    let mut items = Vec::new();
    for i in 0..120 {
        let bump = (i % 5) as i64 * 10_000;
        items.push(json!({
            "id": format!("pizza-{i}"), "name": format!("Pizza {i}"), "name_ur": format!("پیزا {i}"),
            "kind": "pizza", "option_groups": ["crust", "extras", "remove"],
            "half_and_half": true, "half_sizes": ["large", "family"],
            "sizes": PIZZA_SIZES.iter().map(|(id, label, p)| json!({"id": id, "label": label, "price": p + bump})).collect::<Vec<_>>()
        }));
    }
    for (kind, n, price) in [
        ("side", 30, 39_900),
        ("dip", 10, 8_000),
        ("dessert", 10, 39_900),
        ("pasta", 10, 89_900),
    ] {
        for i in 0..n {
            items.push(
                json!({"id": format!("{kind}-{i}"), "name": format!("{kind} {i}"), "kind": kind,
                "sizes": [{"id": "regular", "label": "Regular", "price": price + i * 1_000}]}),
            );
        }
    }
    for i in 0..20 {
        items.push(json!({"id": format!("drink-{i}"), "name": format!("Drink {i}"), "kind": "drink",
            "sizes": [{"id": "345ml", "label": "345 ml", "price": 12_000}, {"id": "1.5l", "label": "1.5 L", "price": 32_000}]}));
    }
    let extras: Vec<Value> = (0..10)
        .map(|i| json!({"id": format!("extra-{i}"), "name": format!("Extra {i}"),
            "prices": {"small": 10_000, "medium": 15_000, "large": 20_000 + i * 1_000, "family": 30_000}}))
        .collect();
    let removals: Vec<Value> = (0..5)
        .map(|i| json!({"id": format!("no-{i}"), "name": format!("No {i}")}))
        .collect();
    let groups = json!([
        {"id": "crust", "name": "Crust", "min": 0, "max": 1, "options": [
            {"id": "regular", "name": "Regular", "price": 0},
            {"id": "thin", "name": "Thin", "price": 0},
            {"id": "stuffed", "name": "Stuffed", "prices": {"medium": 25_000, "large": 35_000, "family": 45_000}},
            {"id": "crown", "name": "Crown", "prices": {"large": 40_000, "family": 50_000}}]},
        {"id": "extras", "name": "Extras", "min": 0, "max": 4, "options": extras},
        {"id": "remove", "name": "Leave out", "min": 0, "max": 3, "options": removals}
    ]);
    let deals: Vec<Value> = (0..20)
        .map(|i| {
            let size = PIZZA_SIZES[i % 4].0;
            json!({"id": format!("deal-{i}"), "name": format!("Deal {i}"), "price": 150_000 + i as i64 * 10_000,
                "slots": [
                    {"id": "pizza", "label": "Pizza", "count": 1 + (i % 2) as u8, "kind": "pizza", "sizes": [size],
                     "exclude_items": [format!("pizza-{}", i * 3)],
                     "surcharges": {format!("pizza-{}", i * 5 + 1): 15_000, format!("pizza-{}", i * 5 + 2): 20_000}},
                    {"id": "drink", "label": "Drink", "count": 1, "kind": "drink", "sizes": ["1.5l"]}
                ]})
        })
        .collect();
    let menu = json!({"items": items, "option_groups": groups, "deals": deals});
    match Menu::from_json(&menu.to_string()) {
        Ok(m) => m,
        Err(e) => panic!("the generated menu is invalid: {e}"),
    }
}

/// Settings with two zones (no minimum, so every random order can be delivered), pickup,
/// tax registered with `inclusive` prices or not, every payment method.
pub fn settings(inclusive: bool, on_fee: bool) -> ShopSettings {
    let mut s = ShopSettings {
        delivery_zones: vec![
            DeliveryZone {
                id: "near".into(),
                name: "Near".into(),
                name_ur: None,
                fee: Money::from_rupees(100),
                min_order: Money::ZERO,
                free_above: Some(Money::from_rupees(3_000)),
                eta_minutes: 30,
                areas: vec![],
            },
            DeliveryZone {
                id: "far".into(),
                name: "Far".into(),
                name_ur: None,
                fee: Money::from_rupees(250),
                min_order: Money::ZERO,
                free_above: None,
                eta_minutes: 55,
                areas: vec![],
            },
        ],
        ..ShopSettings::default()
    };
    s.tax.registered = true;
    s.tax.prices_include_tax = inclusive;
    s.tax.on_delivery_fee = on_fee;
    s
}

fn options(rng: &mut Rng, size: &str) -> Vec<OptionChoice> {
    let mut out = Vec::new();
    if rng.chance(40) {
        let crusts: &[&str] = match size {
            "small" => &["regular", "thin"],
            "medium" => &["regular", "thin", "stuffed"],
            _ => &["regular", "thin", "stuffed", "crown"],
        };
        out.push(OptionChoice {
            group: "crust".into(),
            option: (*rng.pick(crusts)).into(),
        });
    }
    let extras = rng.below(4);
    let first = rng.below(6);
    for k in 0..extras {
        out.push(OptionChoice {
            group: "extras".into(),
            option: format!("extra-{}", first + k),
        });
    }
    if rng.chance(20) {
        out.push(OptionChoice {
            group: "remove".into(),
            option: format!("no-{}", rng.below(5)),
        });
    }
    out
}

fn pizza_line(rng: &mut Rng) -> LineRequest {
    let size = PIZZA_SIZES[rng.below(4)].0;
    let mut line = LineRequest::item(
        format!("pizza-{}", rng.below(120)),
        size,
        1 + rng.below(3) as i64,
    );
    line.options = options(rng, size);
    if (size == "large" || size == "family") && rng.chance(30) {
        line.half = Some(HalfRequest {
            item_id: format!("pizza-{}", rng.below(120)),
        });
    }
    if rng.chance(15) {
        line.note = Some("less spicy".into());
    }
    line
}

fn deal_line(rng: &mut Rng) -> LineRequest {
    let i = rng.below(20);
    let size = PIZZA_SIZES[i % 4].0;
    let pizzas = 1 + i % 2;
    let mut choices = Vec::new();
    for _ in 0..pizzas {
        // Never the slot's excluded flavour.
        let mut p = rng.below(120);
        if p == i * 3 {
            p = (p + 1) % 120;
        }
        choices.push(DealChoice {
            slot: "pizza".into(),
            item_id: format!("pizza-{p}"),
            size_id: None,
            options: options(rng, size),
            half: None,
        });
    }
    choices.push(DealChoice {
        slot: "drink".into(),
        item_id: format!("drink-{}", rng.below(20)),
        size_id: None,
        options: vec![],
        half: None,
    });
    LineRequest::deal(format!("deal-{i}"), 1 + rng.below(2) as i64, choices)
}

/// A random valid order for [`big_menu`] and [`settings`].
pub fn random_order(rng: &mut Rng) -> OrderRequest {
    let n = 1 + rng.below(8);
    let items = (0..n)
        .map(|_| match rng.below(10) {
            0..=4 => pizza_line(rng),
            5..=7 => deal_line(rng),
            _ => {
                let kind = *rng.pick(&["side", "dip", "dessert", "pasta"]);
                let max = if kind == "side" { 30 } else { 10 };
                LineRequest::item(
                    format!("{kind}-{}", rng.below(max)),
                    "regular",
                    1 + rng.below(3) as i64,
                )
            }
        })
        .collect();
    let fulfilment = if rng.chance(30) {
        FulfilmentRequest::Pickup {
            pickup_in_minutes: rng.chance(50).then_some(15),
        }
    } else {
        FulfilmentRequest::Delivery {
            address: "House 12, Street 4, Gulberg III".into(),
            landmark: None,
            zone_id: Some((*rng.pick(&["near", "far"])).into()),
        }
    };
    let method = *rng.pick(&PaymentMethod::ALL);
    OrderRequest {
        items,
        fulfilment: Some(fulfilment),
        payment: Some(PaymentRequest {
            method,
            pays_with: rng
                .chance(50)
                .then_some(Money::from_rupees(1_000_000).paisa()),
        }),
        customer_name: Some("Ali".into()),
        ..OrderRequest::default()
    }
}
