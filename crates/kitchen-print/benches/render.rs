//! Render speed: a customer bill of 20 lines with Urdu in it, laid out, drawn and encoded
//! through [`kitchen_print::bill`], as the print queue calls it. Target: under 50 ms (p99).
//!
//! The order is priced on the default menu: 20 lines (pizzas with options and notes in Urdu,
//! half-and-halves, deals, sides, drinks), a customer, address and landmark in Urdu, tax
//! added, cash with change, a rider. Measured as an English bill (English in the printer's
//! font, the Urdu lines drawn) and as an Urdu bill (all drawn), at 80 and 58 mm.
//!
//! Run: `cargo bench -p kitchen-print --bench render [-- --runs N]` (default 200, after 10
//! warm-up runs). The first bill of the process loads the fonts and fills the glyph cache;
//! it is reported on its own.
#![allow(clippy::print_stdout)]

use chrono::{FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};
use kitchen_domain::settings::ShopSettings;
use kitchen_domain::{
    DealChoice, FulfilmentRequest, LineRequest, Menu, Money, NewOrder, Order, OrderRequest,
    OrderSource, OrderStatus, PaymentMethod, PaymentRequest, PriceContext,
};
use kitchen_print::{DocOptions, Language, Paper, ShopHeader, bill};
use std::time::{Duration, Instant};

fn runs() -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == "--runs")
        .and_then(|i| args.get(i + 1)?.parse().ok())
        .unwrap_or(200)
}

fn choice(slot: &str, item: &str) -> DealChoice {
    DealChoice {
        slot: slot.into(),
        item_id: item.into(),
        size_id: None,
        options: vec![],
        half: None,
    }
}

/// The 20-line order, priced on the default menu.
fn order() -> Result<Order, String> {
    let pizzas = [
        "chicken-tikka",
        "chicken-fajita",
        "malai-boti",
        "bbq-chicken",
        "veggie",
    ];
    let mut items = Vec::new();
    for (i, p) in pizzas.iter().enumerate() {
        items.push(
            LineRequest::item(*p, "large", 1 + i as i64 % 3)
                .with_option("crust", "stuffed")
                .with_option("extras", "cheese")
                .with_note("کم مرچ، اچھی طرح پکائیں"),
        );
        items.push(LineRequest::item(*p, "family", 1).with_half("pepperoni"));
    }
    for p in ["chicken-tikka", "veggie", "bbq-chicken"] {
        items.push(LineRequest::deal(
            "deal-3",
            1,
            vec![choice("pizza", p), choice("drink", "coca-cola")],
        ));
    }
    for (item, size) in [
        ("garlic-bread", "regular"),
        ("chicken-wings", "12-pcs"),
        ("fries", "regular"),
        ("lava-cake", "regular"),
        ("coca-cola", "1.5l"),
        ("mineral-water", "1.5l"),
        ("garlic-mayo", "regular"),
    ] {
        items.push(LineRequest::item(item, size, 2));
    }
    let req = OrderRequest {
        items,
        fulfilment: Some(FulfilmentRequest::Delivery {
            address: "مکان نمبر 12، گلی نمبر 4، بلاک سی، گلبرگ تھری، لاہور".into(),
            landmark: Some("حفیظ سینٹر کے پاس، مسجد کے سامنے".into()),
            zone_id: None,
        }),
        payment: Some(PaymentRequest {
            method: PaymentMethod::Cash,
            pays_with: Some(Money::from_rupees(100_000).paisa()),
        }),
        customer_name: Some("علی رضا".into()),
        customer_phone: Some("0300-1234567".into()),
        note: Some("دروازے پر گھنٹی نہ بجائیں، فون کر لیں".into()),
        ..OrderRequest::default()
    };
    let mut settings = ShopSettings::default();
    settings.tax.registered = true;
    settings.tax.prices_include_tax = false;
    let menu = Menu::default_menu();
    let now = NaiveDateTime::parse_from_str("2026-12-04 20:43", "%Y-%m-%d %H:%M")
        .map_err(|e| e.to_string())?;
    let n = NewOrder::price(
        &req,
        PriceContext {
            menu: &menu,
            settings: &settings,
            now,
        },
    )
    .map_err(|e| format!("{e:?}"))?;
    let at = Utc
        .with_ymd_and_hms(2026, 12, 4, 15, 43, 0)
        .single()
        .ok_or("no such time")?;
    Ok(Order {
        id: 1,
        uuid: uuid_of(17),
        number: 17,
        business_date: NaiveDate::from_ymd_opt(2026, 12, 4).ok_or("no such day")?,
        status: OrderStatus::New,
        cancel_reason: None,
        rider: None,
        lines: n.lines().to_vec(),
        fulfilment: n.fulfilment().clone(),
        payment: *n.payment(),
        customer_name: n.customer_name().map(str::to_string),
        customer_phone: n.customer_phone().cloned(),
        note: n.note().map(str::to_string),
        bill: n.bill().clone(),
        total: n.total(),
        eta_minutes: Some(n.eta_minutes()),
        source: OrderSource::Phone,
        call_sid: None,
        created_at: at,
        updated_at: at,
        status_since: at,
        history: vec![],
        changed: None,
    })
}

fn uuid_of(n: u128) -> uuid::Uuid {
    uuid::Uuid::from_u128(0x7f3c_2a9e_51b4_4c8e_9d0a_0000_0000_0000 | n)
}

fn main() -> Result<(), String> {
    let order = order()?;
    if order.bill.lines.len() != 20 {
        return Err(format!("{} lines, not 20", order.bill.lines.len()));
    }
    let shop = ShopHeader {
        name: "میلٹ 8 پیزا".into(),
        address: Some("Main Boulevard, Gulberg III, Lahore".into()),
        phone: Some("042 35761234".into()),
    };
    let lahore = FixedOffset::east_opt(5 * 3600).ok_or("no such offset")?;
    let opts = |paper, language| DocOptions {
        paper,
        language,
        reprint: false,
        rider_name: Some("عمران".into()),
        utc_offset: lahore,
    };
    let n = runs().max(1);
    let mut first = true;
    for (paper, mm) in [(Paper::Mm80, 80), (Paper::Mm58, 58)] {
        for (language, name) in [(Language::En, "English"), (Language::Ur, "Urdu")] {
            let o = opts(paper, language);
            let t = Instant::now();
            let bytes = std::hint::black_box(bill(&order, &shop, &o)).len();
            if first {
                println!(
                    "first bill of the process (fonts loaded, glyph cache empty): {:.2} ms",
                    t.elapsed().as_secs_f64() * 1e3
                );
                first = false;
            }
            for _ in 0..10 {
                std::hint::black_box(bill(&order, &shop, &o));
            }
            let mut times: Vec<Duration> = (0..n)
                .map(|_| {
                    let t = Instant::now();
                    std::hint::black_box(bill(&order, &shop, &o));
                    t.elapsed()
                })
                .collect();
            times.sort_unstable();
            let pct = |p: f64| times[((times.len() - 1) as f64 * p).round() as usize];
            let p99 = pct(0.99);
            println!(
                "{name} bill, 20 lines with Urdu, {mm} mm, bill() ({bytes} bytes), {n} runs:\n  p50 {:.2} ms  p90 {:.2} ms  p99 {:.2} ms  max {:.2} ms  [{}] under 50 ms (p99)",
                pct(0.5).as_secs_f64() * 1e3,
                pct(0.9).as_secs_f64() * 1e3,
                p99.as_secs_f64() * 1e3,
                times[n - 1].as_secs_f64() * 1e3,
                if p99 < Duration::from_millis(50) {
                    "PASS"
                } else {
                    "FAIL"
                }
            );
        }
    }
    Ok(())
}
