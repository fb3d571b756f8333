//! What an item on the menu is: its kind, sizes, the option groups it offers and whether
//! it can be half-and-half.

use crate::money::Money;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A menu item's stable id (`chicken-tikka`): lowercase letters, digits, `-` and `.`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ItemId(pub String);

/// A size's id within its item (`large`, `1.5l`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SizeId(pub String);

impl fmt::Display for ItemId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for SizeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What sort of thing an item is: it decides the seed's `flavour` and `drink` columns, how
/// the AI talks about it, and which deal slots it can fill. `deal` marks an order line that
/// is a deal; no menu item has it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum ItemKind {
    /// A pizza.
    Pizza,
    /// Anything else from the oven or fryer: garlic bread, wings, fries, nuggets.
    Side,
    /// A drink.
    Drink,
    /// A dip: garlic mayo, chipotle, ranch.
    Dip,
    /// A dessert: lava cake, brownie.
    Dessert,
    /// Pasta.
    Pasta,
    /// Anything else (burgers, platters).
    Other,
    /// An order line that is a deal (never a menu item's kind).
    Deal,
}

impl ItemKind {
    /// The kinds a menu item may have.
    pub const FOR_ITEMS: [ItemKind; 7] = [
        ItemKind::Pizza,
        ItemKind::Side,
        ItemKind::Drink,
        ItemKind::Dip,
        ItemKind::Dessert,
        ItemKind::Pasta,
        ItemKind::Other,
    ];

    /// `pizza`, `side`, `drink`, `dip`, `dessert`, `pasta`, `other` or `deal`.
    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Pizza => "pizza",
            ItemKind::Side => "side",
            ItemKind::Drink => "drink",
            ItemKind::Dip => "dip",
            ItemKind::Dessert => "dessert",
            ItemKind::Pasta => "pasta",
            ItemKind::Other => "other",
            ItemKind::Deal => "deal",
        }
    }

    /// Parses a kind's name.
    pub fn parse(s: &str) -> Option<ItemKind> {
        ItemKind::FOR_ITEMS
            .into_iter()
            .chain([ItemKind::Deal])
            .find(|k| k.as_str() == s)
    }
}

pub(crate) fn yes() -> bool {
    true
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// One size of an item, with its price.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct MenuSize {
    /// Stable id within the item.
    #[ts(type = "string")]
    pub id: SizeId,
    /// What the kitchen and the caller call it: `Large 13"`.
    pub label: String,
    /// The same in Urdu (`بڑا 13 انچ`), shown on Urdu screens and bills; absent: `label`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub label_ur: Option<String>,
    /// Price of one, in paisa.
    #[ts(type = "number")]
    pub price: Money,
    /// False when this size is sold out (the item's other sizes still sell).
    #[serde(default = "yes")]
    pub available: bool,
}

/// One thing on the menu.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct MenuItem {
    /// Stable id.
    #[ts(type = "string")]
    pub id: ItemId,
    /// English name, as the kitchen reads it.
    pub name: String,
    /// Urdu name, shown on the Urdu screen and used by the AI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub name_ur: Option<String>,
    /// What sort of item.
    pub kind: ItemKind,
    /// What is on it, for staff and the AI ("tikka chicken, onion, green chilli").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub description: Option<String>,
    /// The same in Urdu.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub description_ur: Option<String>,
    /// False when sold out: the item stays on the menu but cannot be ordered.
    #[serde(default = "yes")]
    pub available: bool,
    /// At least one size.
    pub sizes: Vec<MenuSize>,
    /// The ids of the option groups this item offers (crust, extras, removals).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<String>>", optional)]
    pub option_groups: Vec<String>,
    /// A pizza that can be half of a half-and-half.
    #[serde(default, skip_serializing_if = "is_false")]
    #[ts(as = "Option<bool>", optional)]
    pub half_and_half: bool,
    /// The sizes half-and-half is made in (empty: every size).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<String>>", optional)]
    pub half_sizes: Vec<String>,
}

impl MenuItem {
    /// The size with this id.
    pub fn size(&self, id: &str) -> Option<&MenuSize> {
        self.sizes.iter().find(|s| s.id.0 == id)
    }

    /// Whether this item can be half of a half-and-half in `size`.
    pub fn halves_in(&self, size: &str) -> bool {
        self.half_and_half
            && (self.half_sizes.is_empty() || self.half_sizes.iter().any(|s| s == size))
    }

    /// The sizes it can be half-and-half in, for messages.
    pub(crate) fn half_size_ids(&self) -> String {
        if !self.half_and_half {
            return String::new();
        }
        if self.half_sizes.is_empty() {
            super::join_ids(self.sizes.iter().map(|s| s.id.0.as_str()))
        } else {
            self.half_sizes.join(", ")
        }
    }

    pub(crate) fn size_ids(&self) -> String {
        super::join_ids(self.sizes.iter().map(|s| s.id.0.as_str()))
    }
}
