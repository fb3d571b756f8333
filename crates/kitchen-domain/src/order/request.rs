//! An order as asked for, by the API or the AI's tools, before it is checked against the
//! menu and the shop's rules. Every field a client may leave out is optional here; the
//! pricing decides what is missing and says so field by field.

use crate::shop::PaymentMethod;
use serde::{Deserialize, Serialize};

fn one() -> i64 {
    1
}

/// One chosen option: `{"group": "crust", "option": "stuffed"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(optional_fields)]
pub struct OptionChoice {
    /// The option group's id.
    pub group: String,
    /// The option's id in that group.
    pub option: String,
}

/// The other half of a half-and-half pizza.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(optional_fields)]
pub struct HalfRequest {
    /// The other half's item id.
    pub item_id: String,
}

/// One choice filling a deal slot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(optional_fields)]
pub struct DealChoice {
    /// The slot's id.
    pub slot: String,
    /// The item chosen.
    pub item_id: String,
    /// Its size (may be left out when the slot allows one size).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size_id: Option<String>,
    /// Its options.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<OptionChoice>>", optional)]
    pub options: Vec<OptionChoice>,
    /// The other half, for a half-and-half pizza in the slot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub half: Option<HalfRequest>,
}

/// One requested line: an item line (`item_id`, `size_id`, options, half) or a deal line
/// (`deal_id` with `choices`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(optional_fields)]
pub struct LineRequest {
    /// A menu item id (item lines).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_id: Option<String>,
    /// A size id of that item (may be left out when the item has one size).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size_id: Option<String>,
    /// How many (checked to be 1..=20); 1 when left out.
    #[serde(default = "one")]
    #[ts(as = "Option<u32>", optional)]
    pub quantity: i64,
    /// Chosen options (item lines).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<OptionChoice>>", optional)]
    pub options: Vec<OptionChoice>,
    /// The other half (item lines).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub half: Option<HalfRequest>,
    /// A note for the kitchen ("less spicy").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// A deal id (deal lines).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deal_id: Option<String>,
    /// How the deal's slots are filled (deal lines).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<DealChoice>>", optional)]
    pub choices: Vec<DealChoice>,
}

impl LineRequest {
    /// A plain item line: `quantity` × `item_id` in `size_id`.
    pub fn item(item_id: impl Into<String>, size_id: impl Into<String>, quantity: i64) -> Self {
        LineRequest {
            item_id: Some(item_id.into()),
            size_id: Some(size_id.into()),
            quantity,
            options: Vec::new(),
            half: None,
            note: None,
            deal_id: None,
            choices: Vec::new(),
        }
    }

    /// A deal line.
    pub fn deal(deal_id: impl Into<String>, quantity: i64, choices: Vec<DealChoice>) -> Self {
        LineRequest {
            item_id: None,
            size_id: None,
            quantity,
            options: Vec::new(),
            half: None,
            note: None,
            deal_id: Some(deal_id.into()),
            choices,
        }
    }

    /// With an option chosen.
    #[must_use]
    pub fn with_option(mut self, group: &str, option: &str) -> Self {
        self.options.push(OptionChoice {
            group: group.into(),
            option: option.into(),
        });
        self
    }

    /// As the half of a half-and-half with `other`.
    #[must_use]
    pub fn with_half(mut self, other: &str) -> Self {
        self.half = Some(HalfRequest {
            item_id: other.into(),
        });
        self
    }

    /// With a note.
    #[must_use]
    pub fn with_note(mut self, note: &str) -> Self {
        self.note = Some(note.into());
        self
    }
}

/// Delivery or pickup, as asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(tag = "type", rename_all = "lowercase")]
#[ts(optional_fields)]
pub enum FulfilmentRequest {
    /// Delivered to an address.
    Delivery {
        /// House, street, block or sector, area.
        #[serde(default)]
        #[ts(as = "String")]
        address: String,
        /// A landmark the rider can find.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        landmark: Option<String>,
        /// The delivery zone's id (required when the shop has zones).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        zone_id: Option<String>,
    },
    /// Collected at the counter.
    Pickup {
        /// In how many minutes the customer comes.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(as = "Option<u32>")]
        pickup_in_minutes: Option<i64>,
    },
}

/// How the customer pays, as asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(optional_fields)]
pub struct PaymentRequest {
    /// Cash, card or wallet.
    pub method: PaymentMethod,
    /// The note the customer pays with (paisa), so the rider brings change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(as = "Option<u32>")]
    pub pays_with: Option<i64>,
}

/// An order as asked for, before it is checked against the menu.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, ts_rs::TS)]
#[ts(optional_fields)]
pub struct OrderRequest {
    /// The lines.
    pub items: Vec<LineRequest>,
    /// Delivery or pickup; when left out, `address` means delivery.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fulfilment: Option<FulfilmentRequest>,
    /// How the customer pays (cash when left out).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment: Option<PaymentRequest>,
    /// Delivery address (the earlier shape; `fulfilment` wins when both are given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// A landmark (the earlier shape).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub landmark: Option<String>,
    /// The customer's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_name: Option<String>,
    /// The number to call back; for phone orders it comes from the call, never the AI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_phone: Option<String>,
    /// A note for the whole order ("ring the bell twice").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl OrderRequest {
    /// A delivery order of `items` to `address` (the earlier shape).
    pub fn delivery(items: Vec<LineRequest>, address: impl Into<String>) -> Self {
        OrderRequest {
            items,
            address: Some(address.into()),
            ..OrderRequest::default()
        }
    }
}
