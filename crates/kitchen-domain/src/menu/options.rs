//! Option groups: crusts, extra cheese, toppings and removals ("no onion"), each group with
//! how many of its options one line may choose, each option priced per size or once.

use crate::money::Money;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One choice in a group: `Stuffed crust`, `Extra cheese`, `No onion`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct MenuOption {
    /// Stable id within the group.
    pub id: String,
    /// English name.
    pub name: String,
    /// Urdu name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub name_ur: Option<String>,
    /// One price for every size, paisa (with neither this nor `prices`: free).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub price: Option<Money>,
    /// Price per size id, paisa; with `prices` and no `price`, the option is offered only
    /// in the sizes listed.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[ts(as = "Option<BTreeMap<String, u32>>", optional)]
    pub prices: BTreeMap<String, Money>,
    /// False when sold out.
    #[serde(default = "super::items::yes")]
    pub available: bool,
}

impl MenuOption {
    /// The price of this option on a line of `size`, or `None` when it is not offered in
    /// that size.
    pub fn price_for(&self, size: &str) -> Option<Money> {
        match (self.prices.get(size), self.price) {
            (Some(p), _) => Some(*p),
            (None, Some(p)) => Some(p),
            (None, None) if self.prices.is_empty() => Some(Money::ZERO),
            (None, None) => None,
        }
    }

    /// The sizes it is offered in, for messages (`every size` when not limited).
    pub(crate) fn offered_sizes(&self) -> String {
        if self.price.is_some() || self.prices.is_empty() {
            "every size".into()
        } else {
            self.prices.keys().cloned().collect::<Vec<_>>().join(", ")
        }
    }
}

/// A group of options with how many one line may choose: crust (0 to 1), extras (0 to 5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct OptionGroup {
    /// Stable id (`crust`).
    pub id: String,
    /// English name.
    pub name: String,
    /// Urdu name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub name_ur: Option<String>,
    /// Fewest options a line must choose from this group.
    #[serde(default)]
    pub min: u8,
    /// Most options a line may choose from this group.
    pub max: u8,
    /// The options.
    pub options: Vec<MenuOption>,
}

impl OptionGroup {
    /// The option with this id.
    pub fn option(&self, id: &str) -> Option<&MenuOption> {
        self.options.iter().find(|o| o.id == id)
    }

    pub(crate) fn option_ids(&self) -> String {
        super::join_ids(
            self.options
                .iter()
                .filter(|o| o.available)
                .map(|o| o.id.as_str()),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_option_is_priced_per_size_once_or_free() {
        let stuffed: MenuOption = serde_json::from_str(
            r#"{"id":"stuffed","name":"Stuffed crust","prices":{"medium":25000,"large":35000}}"#,
        )
        .unwrap();
        assert!(stuffed.available);
        assert_eq!(stuffed.price_for("large"), Some(Money::from_rupees(350)));
        assert_eq!(stuffed.price_for("small"), None, "not offered in small");
        assert_eq!(stuffed.offered_sizes(), "large, medium");
        let cheese: MenuOption = serde_json::from_str(
            r#"{"id":"cheese","name":"Extra cheese","price":15000,"prices":{"family":30000}}"#,
        )
        .unwrap();
        assert_eq!(cheese.price_for("small"), Some(Money::from_rupees(150)));
        assert_eq!(cheese.price_for("family"), Some(Money::from_rupees(300)));
        let no_onion: MenuOption =
            serde_json::from_str(r#"{"id":"no-onion","name":"No onion"}"#).unwrap();
        assert_eq!(no_onion.price_for("any"), Some(Money::ZERO));
        assert_eq!(
            serde_json::to_string(&no_onion).unwrap(),
            r#"{"id":"no-onion","name":"No onion","available":true}"#
        );
    }
}
