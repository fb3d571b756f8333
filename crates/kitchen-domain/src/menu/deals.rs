//! Deals: a price for a set of slots ("any large pizza except the premium two, + a 1.5 L
//! drink"), each slot filled with allowed items and sizes, premium flavours at a surcharge,
//! some only at certain hours (a midnight deal).

use super::items::{ItemKind, MenuItem};
use crate::hours::TimeWindow;
use crate::money::Money;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One part of a deal: which items and sizes may fill it, how many.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct DealSlot {
    /// Stable id within the deal (`pizza`, `drink`).
    pub id: String,
    /// What the slot is, in English (`Large pizza`).
    pub label: String,
    /// The same in Urdu.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub label_ur: Option<String>,
    /// How many choices fill it.
    pub count: u8,
    /// Items of this kind may fill it (when `items` is not given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub kind: Option<ItemKind>,
    /// Only these items may fill it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<String>>", optional)]
    pub items: Vec<String>,
    /// These items may not.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<String>>", optional)]
    pub exclude_items: Vec<String>,
    /// The sizes allowed.
    pub sizes: Vec<String>,
    /// Extra per choice of these items, paisa (premium flavours).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[ts(as = "Option<BTreeMap<String, u32>>", optional)]
    pub surcharges: BTreeMap<String, Money>,
}

impl DealSlot {
    /// Whether `item` may fill this slot (in some size; sizes are checked apart).
    pub fn allows(&self, item: &MenuItem) -> bool {
        let id = item.id.0.as_str();
        let listed = if self.items.is_empty() {
            self.kind.is_none_or(|k| k == item.kind)
        } else {
            self.items.iter().any(|i| i == id)
        };
        listed && !self.exclude_items.iter().any(|i| i == id)
    }

    /// The surcharge for choosing `item_id`.
    pub fn surcharge(&self, item_id: &str) -> Money {
        self.surcharges.get(item_id).copied().unwrap_or(Money::ZERO)
    }
}

/// A deal: one price for its slots.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct Deal {
    /// Stable id (`deal-3`).
    pub id: String,
    /// English name (`Deal 3`).
    pub name: String,
    /// Urdu name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub name_ur: Option<String>,
    /// What it is, for staff and the AI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub description: Option<String>,
    /// The same in Urdu.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub description_ur: Option<String>,
    /// The deal's price, paisa.
    #[ts(type = "number")]
    pub price: Money,
    /// False when the deal is off.
    #[serde(default = "super::items::yes")]
    pub available: bool,
    /// When it can be ordered, in the shop's time (none: always).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<TimeWindow>>", optional)]
    pub hours: Vec<TimeWindow>,
    /// Its slots.
    pub slots: Vec<DealSlot>,
}

impl Deal {
    /// The slot with this id.
    pub fn slot(&self, id: &str) -> Option<&DealSlot> {
        self.slots.iter().find(|s| s.id == id)
    }

    /// The deal's hours in words, for messages (`daily 00:00–03:00`).
    pub fn hours_text(&self) -> String {
        self.hours
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; ")
    }
}
