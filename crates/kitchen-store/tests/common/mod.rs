//! Orders for the store's tests, priced by the domain exactly as the server prices them.
#![allow(dead_code)] // each test file uses its own part of these helpers

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use kitchen_domain::{
    DealChoice, DeliveryZone, FulfilmentRequest, LineRequest, Menu, Money, NewOrder, OptionChoice,
    OrderRequest, OrderSource, PaymentMethod, PaymentRequest, PriceContext, ShopSettings, TaxRates,
    TaxSettings,
};
use kitchen_store::OrderMeta;

/// 24 November 2026 (a Tuesday), `h:m` UTC.
pub fn at(h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, h, m, 0).unwrap()
}

/// The shop's local time for pricing: Tuesday evening, when every deal but the midnight one
/// can be ordered.
pub fn evening() -> NaiveDateTime {
    NaiveDateTime::parse_from_str("2026-11-24 20:00", "%Y-%m-%d %H:%M").unwrap()
}

/// Prices `req` against the default menu and `settings`.
pub fn price_with(req: &OrderRequest, settings: &ShopSettings) -> NewOrder {
    NewOrder::price(
        req,
        PriceContext {
            menu: &Menu::default_menu(),
            settings,
            now: evening(),
        },
    )
    .unwrap()
}

/// Prices `req` against the default menu and the default settings.
pub fn price(req: &OrderRequest) -> NewOrder {
    price_with(req, &ShopSettings::default())
}

/// The earlier shape: two large Chicken Tikka and a 1.5 L Coca-Cola, delivered.
pub fn plain_request(name: &str, phone: &str) -> OrderRequest {
    let mut req = OrderRequest::delivery(
        vec![
            LineRequest::item("chicken-tikka", "large", 2),
            LineRequest::item("coca-cola", "1.5l", 1),
        ],
        "House 5, Street 2, G-9/3, Islamabad",
    );
    req.landmark = Some("behind Karachi Company".into());
    req.customer_name = Some(name.into());
    req.customer_phone = Some(phone.into());
    req
}

/// The Gulberg zone: Rs 150, minimum Rs 1,000, free from Rs 5,000, 40 minutes.
pub fn gulberg() -> DeliveryZone {
    DeliveryZone {
        id: "gulberg".into(),
        name: "Gulberg".into(),
        name_ur: Some("گلبرگ".into()),
        fee: Money::from_rupees(150),
        min_order: Money::from_rupees(1_000),
        free_above: Some(Money::from_rupees(5_000)),
        eta_minutes: 40,
        areas: vec!["Gulberg II".into(), "Gulberg III".into()],
    }
}

/// A tax-registered shop with prices before tax (16 % cash, 5 % card and wallet), one
/// delivery zone, pickup in 20 minutes.
pub fn taxed_settings() -> ShopSettings {
    ShopSettings {
        delivery_zones: vec![gulberg()],
        tax: TaxSettings {
            registered: true,
            prices_include_tax: false,
            rates_bp: TaxRates {
                cash: 1600,
                card: 500,
                wallet: 500,
            },
            on_delivery_fee: false,
        },
        ..ShopSettings::default()
    }
}

fn choice(slot: &str, item: &str, options: &[(&str, &str)]) -> DealChoice {
    DealChoice {
        slot: slot.into(),
        item_id: item.into(),
        size_id: None,
        options: options
            .iter()
            .map(|(g, o)| OptionChoice {
                group: (*g).into(),
                option: (*o).into(),
            })
            .collect(),
        half: None,
    }
}

/// Everything issue 12 adds in one order: Deal 3 with a Malai Boti (+Rs 150) on stuffed
/// crust, two half Chicken Tikka half Chicken Fajita with extra cheese and no onion and a
/// note, a dip; picked up in 25 minutes, paid by card with a Rs 10,000 note.
///
/// With [`taxed_settings`]: deal 2,349 + 150 + 350 = 2,849; halves (2,199 + 250) × 2 =
/// 4,898; dip 80; food 7,827; card tax 5 % = 391.35 → 391; total 8,218; change 1,782.
pub fn rich_request() -> OrderRequest {
    OrderRequest {
        items: vec![
            LineRequest::deal(
                "deal-3",
                1,
                vec![
                    choice("pizza", "malai-boti", &[("crust", "stuffed")]),
                    choice("drink", "coca-cola", &[]),
                ],
            ),
            LineRequest::item("chicken-tikka", "large", 2)
                .with_half("chicken-fajita")
                .with_option("extras", "cheese")
                .with_option("remove", "no-onion")
                .with_note("less spicy"),
            LineRequest::item("garlic-mayo", "regular", 1),
        ],
        fulfilment: Some(FulfilmentRequest::Pickup {
            pickup_in_minutes: Some(25),
        }),
        payment: Some(PaymentRequest {
            method: PaymentMethod::Card,
            pays_with: Some(1_000_000),
        }),
        customer_name: Some("Ayesha".into()),
        customer_phone: Some("0321 7654321".into()),
        note: Some("pack the dip separately".into()),
        ..OrderRequest::default()
    }
}

/// Two large Pepperoni delivered to Gulberg, cash (with [`taxed_settings`]: food 4,798,
/// fee 150, 16 % tax 767.68 → 768, total 5,716).
pub fn zone_request() -> OrderRequest {
    OrderRequest {
        items: vec![LineRequest::item("pepperoni", "large", 2)],
        fulfilment: Some(FulfilmentRequest::Delivery {
            address: "House 12, Street 4, Gulberg III, Lahore".into(),
            landmark: Some("near Hafeez Centre".into()),
            zone_id: Some("gulberg".into()),
        }),
        customer_name: Some("Bilal".into()),
        customer_phone: Some("03001234567".into()),
        note: Some("ring the bell twice".into()),
        ..OrderRequest::default()
    }
}

/// A staff order taken at `t`.
pub fn meta(t: DateTime<Utc>, key: Option<&str>) -> OrderMeta {
    OrderMeta {
        uuid: uuid::Uuid::new_v4(),
        at: t,
        business_date: t.date_naive(),
        source: OrderSource::Staff,
        call_sid: None,
        actor: "chef".into(),
        idempotency_key: key.map(str::to_string),
    }
}
