//! A priced order as the kitchen and the bill see it: lines with their options, halves and
//! deal contents (names and prices as they were when ordered), delivery or pickup, payment.

use crate::menu::ItemKind;
use crate::money::Money;
use crate::quantity::Quantity;
use crate::shop::PaymentMethod;
use serde::{Deserialize, Serialize};

/// An option on a line, as ordered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct ChosenOption {
    /// Group id.
    pub group: String,
    /// Group name (`Crust`).
    pub group_name: String,
    /// Group's Urdu name.
    pub group_name_ur: Option<String>,
    /// Option id.
    pub option: String,
    /// Option name (`Stuffed crust`).
    pub name: String,
    /// Option's Urdu name.
    pub name_ur: Option<String>,
    /// Price of the option on one of this line's items, paisa.
    #[ts(type = "number")]
    pub price: Money,
}

/// The other half of a half-and-half pizza.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct Half {
    /// Item id.
    pub item_id: String,
    /// Name.
    pub name: String,
    /// Urdu name.
    pub name_ur: Option<String>,
}

/// One item inside a deal, as ordered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct DealPart {
    /// Slot id.
    pub slot: String,
    /// Slot label (`Large pizza`).
    pub slot_label: String,
    /// Slot's Urdu label.
    pub slot_label_ur: Option<String>,
    /// Item id.
    pub item_id: String,
    /// Item name.
    pub name: String,
    /// Item's Urdu name.
    pub name_ur: Option<String>,
    /// Item kind.
    pub kind: ItemKind,
    /// Size id.
    pub size_id: String,
    /// Size label.
    pub size_label: String,
    /// Size's Urdu label (absent on orders taken before sizes had one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub size_label_ur: Option<String>,
    /// Options.
    pub options: Vec<ChosenOption>,
    /// The other half.
    pub half: Option<Half>,
    /// Premium surcharge, paisa.
    #[ts(type = "number")]
    pub surcharge: Money,
}

/// A deal line's contents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct DealContents {
    /// The deal's id.
    pub deal_id: String,
    /// What fills its slots, slot by slot.
    pub parts: Vec<DealPart>,
}

/// A priced order line. For a deal line `item_id` is the deal's id, `name` its name,
/// `kind` is `deal`, the size fields are empty and `deal` holds the contents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderLine {
    /// Menu item id (or deal id).
    pub item_id: String,
    /// English name at the time of ordering.
    pub name: String,
    /// Urdu name at the time of ordering.
    pub name_ur: Option<String>,
    /// What sort of item (or `deal`).
    pub kind: ItemKind,
    /// Size id.
    pub size_id: String,
    /// Size label at the time of ordering (`Large 13"`).
    pub size_label: String,
    /// Its Urdu label at the time of ordering (absent: none then, or an older order).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size_label_ur: Option<String>,
    /// How many.
    pub quantity: Quantity,
    /// Price of one, with its options (and a deal's surcharges).
    pub unit_price: Money,
    /// `unit_price × quantity`.
    pub line_total: Money,
    /// Options chosen.
    #[serde(default)]
    pub options: Vec<ChosenOption>,
    /// The other half of a half-and-half.
    #[serde(default)]
    pub half: Option<Half>,
    /// A note for the kitchen.
    #[serde(default)]
    pub note: Option<String>,
    /// A deal's contents.
    #[serde(default)]
    pub deal: Option<DealContents>,
}

/// Delivery or pickup, as placed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Fulfilment {
    /// Delivered.
    Delivery {
        /// The address.
        address: String,
        /// A landmark.
        landmark: Option<String>,
        /// The zone's id.
        zone_id: Option<String>,
        /// The zone's name.
        zone_name: Option<String>,
        /// The zone's Urdu name.
        zone_name_ur: Option<String>,
    },
    /// Collected at the counter.
    Pickup {
        /// In how many minutes the customer comes.
        pickup_in_minutes: Option<u32>,
    },
}

impl Fulfilment {
    /// How an order with this fulfilment leaves the shop (its steps after ready).
    pub fn handover(&self) -> crate::status::Handover {
        match self {
            Fulfilment::Delivery { .. } => crate::status::Handover::Delivery,
            Fulfilment::Pickup { .. } => crate::status::Handover::Pickup,
        }
    }

    /// A delivery to `address` with no zone (orders from before zones existed).
    pub fn delivery_to(address: impl Into<String>, landmark: Option<String>) -> Self {
        Fulfilment::Delivery {
            address: address.into(),
            landmark,
            zone_id: None,
            zone_name: None,
            zone_name_ur: None,
        }
    }

    /// `delivery` or `pickup`.
    pub fn kind(&self) -> &'static str {
        match self {
            Fulfilment::Delivery { .. } => "delivery",
            Fulfilment::Pickup { .. } => "pickup",
        }
    }

    /// The delivery address (empty for pickups).
    pub fn address(&self) -> &str {
        match self {
            Fulfilment::Delivery { address, .. } => address,
            Fulfilment::Pickup { .. } => "",
        }
    }

    /// The landmark, for deliveries.
    pub fn landmark(&self) -> Option<&str> {
        match self {
            Fulfilment::Delivery { landmark, .. } => landmark.as_deref(),
            Fulfilment::Pickup { .. } => None,
        }
    }

    /// The zone id, for deliveries to a zone.
    pub fn zone_id(&self) -> Option<&str> {
        match self {
            Fulfilment::Delivery { zone_id, .. } => zone_id.as_deref(),
            Fulfilment::Pickup { .. } => None,
        }
    }
}

/// How the customer pays, as placed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct Payment {
    /// Cash, card or wallet.
    pub method: PaymentMethod,
    /// The note the customer pays with, paisa.
    #[ts(type = "number | null")]
    pub pays_with: Option<Money>,
    /// Change to carry: `pays_with − total`, paisa.
    #[ts(type = "number | null")]
    pub change: Option<Money>,
}

impl Payment {
    /// Cash, nothing said about change (orders from before payments were recorded).
    pub const CASH: Payment = Payment {
        method: PaymentMethod::Cash,
        pays_with: None,
        change: None,
    };
}
