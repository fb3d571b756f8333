//! Money as an integer number of paisa (1 rupee = 100 paisa), so sums are exact.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::iter::Sum;

/// An amount in paisa. Serialised as a plain integer (the API's `price` and `total`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Money(i64);

impl Money {
    /// Zero rupees.
    pub const ZERO: Money = Money(0);

    /// An amount from paisa.
    pub const fn from_paisa(paisa: i64) -> Self {
        Money(paisa)
    }

    /// An amount from whole rupees.
    pub const fn from_rupees(rupees: i64) -> Self {
        Money(rupees * 100)
    }

    /// The amount in paisa.
    pub const fn paisa(self) -> i64 {
        self.0
    }

    /// `self * n`, or `None` on overflow.
    pub fn checked_mul(self, n: i64) -> Option<Money> {
        self.0.checked_mul(n).map(Money)
    }

    /// `self + other`, or `None` on overflow.
    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).map(Money)
    }
}

impl Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        Money(iter.map(|m| m.0).sum())
    }
}

/// `Rs 1,250` or `Rs 1,250.50`: how a Pakistani receipt writes rupees (thousands grouped by
/// three; prices on our menus are whole rupees, so paisa show only when present).
impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let rupees = abs / 100;
        let paisa = abs % 100;
        let digits = rupees.to_string();
        let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
        for (i, ch) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(ch);
        }
        if paisa == 0 {
            write!(f, "{sign}Rs {grouped}")
        } else {
            write!(f, "{sign}Rs {grouped}.{paisa:02}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_whole_rupees_with_thousands_grouped() {
        assert_eq!(Money::from_rupees(1250).to_string(), "Rs 1,250");
        assert_eq!(Money::from_rupees(999).to_string(), "Rs 999");
        assert_eq!(Money::from_rupees(1_234_567).to_string(), "Rs 1,234,567");
        assert_eq!(Money::ZERO.to_string(), "Rs 0");
    }

    #[test]
    fn displays_paisa_only_when_present() {
        assert_eq!(Money::from_paisa(125_050).to_string(), "Rs 1,250.50");
        assert_eq!(Money::from_paisa(-5).to_string(), "-Rs 0.05");
    }

    #[test]
    fn sums_and_multiplies_exactly() {
        let total: Money = [Money::from_rupees(1), Money::from_paisa(50)]
            .into_iter()
            .sum();
        assert_eq!(total.paisa(), 150);
        assert_eq!(
            Money::from_rupees(3).checked_mul(20),
            Some(Money::from_rupees(60))
        );
        assert_eq!(Money::from_paisa(i64::MAX).checked_mul(2), None);
    }

    #[test]
    fn serialises_as_plain_integer_paisa() {
        assert_eq!(
            serde_json::to_string(&Money::from_rupees(12)).unwrap(),
            "1200"
        );
        let m: Money = serde_json::from_str("99").unwrap();
        assert_eq!(m.paisa(), 99);
    }
}
