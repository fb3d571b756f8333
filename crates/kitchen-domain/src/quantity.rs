//! How many of one menu line a customer orders: 1 to 20.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A quantity the kitchen accepts for one order line. The upper bound keeps a misheard
/// "twelve hundred" from becoming a real ticket; bigger catering orders are taken by a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(into = "u8", try_from = "i64")]
pub struct Quantity(u8);

impl From<Quantity> for u8 {
    fn from(q: Quantity) -> u8 {
        q.0
    }
}

impl TryFrom<i64> for Quantity {
    type Error = QuantityError;
    fn try_from(n: i64) -> Result<Self, QuantityError> {
        Quantity::new(n)
    }
}

impl Quantity {
    /// The smallest quantity on one line.
    pub const MIN: u8 = 1;
    /// The largest quantity on one line.
    pub const MAX: u8 = 20;

    /// A quantity, if `n` is within 1..=20.
    pub fn new(n: i64) -> Result<Self, QuantityError> {
        if (i64::from(Self::MIN)..=i64::from(Self::MAX)).contains(&n) {
            Ok(Quantity(n as u8))
        } else {
            Err(QuantityError(n))
        }
    }

    /// The quantity as a number.
    pub fn get(self) -> u8 {
        self.0
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A quantity outside 1..=20.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("quantity must be between 1 and 20, got {0}")]
pub struct QuantityError(pub i64);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_one_to_twenty() {
        assert_eq!(Quantity::new(1).unwrap().get(), 1);
        assert_eq!(Quantity::new(20).unwrap().get(), 20);
    }

    #[test]
    fn refuses_zero_negative_and_over_twenty() {
        for n in [0, -1, 21, 1200, i64::MIN] {
            let err = Quantity::new(n).unwrap_err();
            assert!(err.to_string().contains("between 1 and 20"), "{err}");
        }
    }
}
