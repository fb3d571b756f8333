//! The bill: what each line costs, deal savings, delivery fee, tax by payment method, the
//! total, and the total in Urdu words for the phone. Pure arithmetic on integer paisa.

use crate::money::Money;
use crate::urdu;
use serde::{Deserialize, Serialize};

/// One line of the bill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct BillLine {
    /// What it is, in English (`Chicken Tikka Large 13" · Stuffed crust`).
    pub description: String,
    /// The same with Urdu names where the menu has them.
    pub description_ur: String,
    /// How many.
    pub quantity: u8,
    /// Price of one, paisa.
    #[ts(type = "number")]
    pub unit_price: Money,
    /// `unit_price × quantity`, paisa.
    #[ts(type = "number")]
    pub total: Money,
}

/// The tax on a bill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct Tax {
    /// Rate in basis points (1600 = 16 %).
    pub rate_bp: u32,
    /// Amount, whole rupees in paisa.
    #[ts(type = "number")]
    pub amount: Money,
    /// Already inside the prices (shown, not added).
    pub included: bool,
}

/// A priced bill. `total = food_total + delivery_fee + (tax added ? tax.amount : 0)` and
/// `food_total = subtotal − deal_savings = Σ lines`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct Bill {
    /// The lines.
    pub lines: Vec<BillLine>,
    /// The food at menu prices (deals at their contents' à-la-carte value), paisa.
    #[ts(type = "number")]
    pub subtotal: Money,
    /// What the deals save against à-la-carte prices, paisa.
    #[ts(type = "number")]
    pub deal_savings: Money,
    /// What the food costs: the sum of the lines, paisa.
    #[ts(type = "number")]
    pub food_total: Money,
    /// Delivery fee, paisa.
    #[ts(type = "number")]
    pub delivery_fee: Money,
    /// Tax.
    pub tax: Tax,
    /// What the customer pays, paisa.
    #[ts(type = "number")]
    pub total: Money,
    /// The total in Urdu words, for the phone AI to read out as written.
    pub total_spoken_ur: String,
}

/// What the tax needs to know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaxRule {
    /// Rate in basis points (0: no tax).
    pub rate_bp: u32,
    /// Prices include the tax.
    pub included: bool,
    /// The delivery fee is taxed too.
    pub on_delivery_fee: bool,
}

impl Bill {
    /// Totals a bill: `lines` as charged, `list_value` the food at à-la-carte prices (at
    /// least the lines' sum), the delivery fee and the tax rule.
    pub fn total(
        lines: Vec<BillLine>,
        list_value: Money,
        delivery_fee: Money,
        rule: TaxRule,
    ) -> Bill {
        let food_total: Money = lines.iter().map(|l| l.total).sum();
        let subtotal = list_value.max(food_total);
        let deal_savings = Money::from_paisa(subtotal.paisa() - food_total.paisa());
        let base = if rule.on_delivery_fee {
            food_total.paisa() + delivery_fee.paisa()
        } else {
            food_total.paisa()
        };
        let amount = Money::from_paisa(tax_amount(base, rule.rate_bp, rule.included));
        let added = if rule.included || rule.rate_bp == 0 {
            0
        } else {
            amount.paisa()
        };
        let total = Money::from_paisa(food_total.paisa() + delivery_fee.paisa() + added);
        Bill {
            lines,
            subtotal,
            deal_savings,
            food_total,
            delivery_fee,
            tax: Tax {
                rate_bp: rule.rate_bp,
                amount,
                included: rule.included && rule.rate_bp > 0,
            },
            total,
            total_spoken_ur: urdu::money_words(total),
        }
    }

    /// The bill of an order placed before bills existed: its lines, its total, no fee and
    /// no tax.
    pub fn of_lines(lines: Vec<BillLine>) -> Bill {
        Bill::total(
            lines,
            Money::ZERO,
            Money::ZERO,
            TaxRule {
                rate_bp: 0,
                included: false,
                on_delivery_fee: false,
            },
        )
    }
}

/// Tax on `base` paisa at `rate_bp`, in whole rupees, halves rounded up. When the prices
/// include it, the tax inside `base` is `base × rate / (10000 + rate)`.
pub fn tax_amount(base: i64, rate_bp: u32, included: bool) -> i64 {
    if rate_bp == 0 || base <= 0 {
        return 0;
    }
    let rate = i128::from(rate_bp);
    let divisor: i128 = if included { 10_000 + rate } else { 10_000 };
    let numerator = i128::from(base) * rate;
    // Whole rupees (100 paisa), halves up: floor((n / d + 50) / 100) = floor((n + 50 d) / 100 d).
    let rupees = (numerator + 50 * divisor) / (100 * divisor);
    (rupees * 100) as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(total: i64) -> BillLine {
        BillLine {
            description: "x".into(),
            description_ur: "x".into(),
            quantity: 1,
            unit_price: Money::from_paisa(total),
            total: Money::from_paisa(total),
        }
    }

    #[test]
    fn tax_rounds_to_whole_rupees_halves_up() {
        // 16 % of Rs 5,039 = Rs 806.24 → Rs 806.
        assert_eq!(tax_amount(503_900, 1600, false), 80_600);
        // Rs 160.4992 → Rs 160; Rs 160.5008 → Rs 161.
        assert_eq!(tax_amount(100_312, 1600, false), 16_000);
        assert_eq!(tax_amount(100_313, 1600, false), 16_100);
        assert_eq!(tax_amount(15_625, 1600, false), 2_500);
        // 5 % of Rs 10 = Rs 0.50 → Rs 1.
        assert_eq!(tax_amount(1_000, 500, false), 100);
        assert_eq!(tax_amount(999, 500, false), 0);
        // Inclusive: Rs 1,160 at 16 % holds Rs 160.
        assert_eq!(tax_amount(116_000, 1600, true), 16_000);
        assert_eq!(tax_amount(116_000, 0, true), 0);
    }

    #[test]
    fn exclusive_tax_is_added_and_inclusive_tax_is_only_shown() {
        let rule = TaxRule {
            rate_bp: 1600,
            included: false,
            on_delivery_fee: false,
        };
        let b = Bill::total(
            vec![line(219_900), line(32_000)],
            Money::from_paisa(260_000),
            Money::from_rupees(150),
            rule,
        );
        assert_eq!(b.food_total.paisa(), 251_900);
        assert_eq!(b.subtotal.paisa(), 260_000);
        assert_eq!(b.deal_savings.paisa(), 8_100);
        assert_eq!(b.tax.amount.paisa(), 40_300); // 16 % of 2,519 = 403.04
        assert_eq!(b.total.paisa(), 251_900 + 15_000 + 40_300);
        assert_eq!(b.total_spoken_ur, "تین ہزار بہتر");

        let inc = Bill::total(
            vec![line(116_000)],
            Money::ZERO,
            Money::ZERO,
            TaxRule {
                included: true,
                ..rule
            },
        );
        assert!(inc.tax.included);
        assert_eq!(inc.tax.amount.paisa(), 16_000);
        assert_eq!(inc.total.paisa(), 116_000);

        let on_fee = Bill::total(
            vec![line(100_000)],
            Money::ZERO,
            Money::from_rupees(100),
            TaxRule {
                on_delivery_fee: true,
                ..rule
            },
        );
        assert_eq!(on_fee.tax.amount.paisa(), 17_600);
    }
}
