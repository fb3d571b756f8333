//! Property tests of pricing: thousands of random valid orders against a 200-item menu with
//! deals and options, under each tax setting. The bill always adds up, is never negative,
//! and pricing the same request again (or after a JSON round trip) gives the same order.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/random_orders.rs"]
mod random_orders;

use chrono::NaiveDateTime;
use kitchen_domain::{Money, NewOrder, OrderRequest, PriceContext, urdu};
use random_orders::{Rng, big_menu, random_order, settings};

fn evening() -> NaiveDateTime {
    NaiveDateTime::parse_from_str("2026-12-04 20:30", "%Y-%m-%d %H:%M").unwrap()
}

#[test]
fn every_random_bill_adds_up_and_repricing_is_stable() {
    let menu = big_menu();
    let mut rng = Rng::new(0x5eed_1234);
    let mut priced = 0;
    for (inclusive, on_fee) in [(false, false), (true, false), (false, true), (true, true)] {
        let settings = settings(inclusive, on_fee);
        let cx = PriceContext {
            menu: &menu,
            settings: &settings,
            now: evening(),
        };
        for _ in 0..1_500 {
            let req = random_order(&mut rng);
            let order = NewOrder::price(&req, cx)
                .unwrap_or_else(|e| panic!("a valid random order was refused: {e}\n{req:?}"));
            priced += 1;
            let b = order.bill();
            let zero = Money::ZERO;
            for m in [
                b.subtotal,
                b.deal_savings,
                b.food_total,
                b.delivery_fee,
                b.tax.amount,
                b.total,
            ] {
                assert!(m >= zero, "never negative: {b:?}");
            }
            assert_eq!(
                b.food_total.paisa(),
                b.subtotal.paisa() - b.deal_savings.paisa()
            );
            let lines: Money = b.lines.iter().map(|l| l.total).sum();
            assert_eq!(lines, b.food_total);
            let added = if b.tax.included {
                0
            } else {
                b.tax.amount.paisa()
            };
            assert_eq!(
                b.total.paisa(),
                b.food_total.paisa() + b.delivery_fee.paisa() + added,
                "total = subtotal − savings + fee + tax (when added)"
            );
            assert_eq!(b.tax.included, inclusive && b.tax.rate_bp > 0);
            assert_eq!(b.tax.amount.paisa() % 100, 0, "tax in whole rupees");
            assert_eq!(order.total(), b.total);
            assert_eq!(b.total_spoken_ur, urdu::money_words(b.total));
            for (l, bl) in order.lines().iter().zip(&b.lines) {
                assert_eq!(
                    l.line_total.paisa(),
                    l.unit_price.paisa() * i64::from(l.quantity.get())
                );
                assert_eq!(bl.total, l.line_total);
            }
            if let Some(change) = order.payment().change {
                assert_eq!(
                    change.paisa() + b.total.paisa(),
                    order.payment().pays_with.unwrap().paisa()
                );
            }
            // Stable: the same request, and the same request after a JSON round trip.
            assert_eq!(NewOrder::price(&req, cx).unwrap(), order);
            let again: OrderRequest =
                serde_json::from_str(&serde_json::to_string(&req).unwrap()).unwrap();
            assert_eq!(NewOrder::price(&again, cx).unwrap(), order);
        }
    }
    assert_eq!(priced, 6_000);
}
