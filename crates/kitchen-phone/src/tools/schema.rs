//! The JSON Schema of a complete order, built from the live menu and the shop's settings:
//! the ids the model may send are enums of what can be ordered now, and each enum's
//! description is a catalogue (names, sizes and prices, what each item offers, what fills
//! each deal, each zone's fee and areas) so the model can map what the caller says to ids.

use crate::catalogue;
use kitchen_domain::order::MAX_LINES;
use kitchen_domain::{Menu, PaymentMethod, Quantity, ShopSettings};
use serde_json::{Map, Value, json};
use std::fmt::Write as _;

/// Longest line note the domain accepts.
const MAX_LINE_NOTE: usize = 200;
/// Longest order note the domain accepts.
const MAX_ORDER_NOTE: usize = 500;
/// Most minutes ahead a pickup may be.
const MAX_PICKUP_MINUTES: u32 = 240;

/// The parameters of `update_order`: the order's shape with only `items` required (the
/// rest is sent as soon as the caller says it), plus the callback number.
pub(super) fn update_parameters(menu: &Menu, shop: &ShopSettings) -> Value {
    let mut params = order_parameters(menu, shop);
    params["required"] = json!(["items"]);
    if let Some(props) = params["properties"].as_object_mut() {
        props.insert(
            "callback_number".into(),
            json!({
                "type": "string",
                "maxLength": 20,
                "description": "Only when the caller gives a number for the rider other \
                    than the one they call from, or their number is withheld: the digits as \
                    they said them (03001234567)."
            }),
        );
        props.insert(
            "callback_confirmed".into(),
            json!({
                "type": "boolean",
                "description": "true once the caller said yes to the callback number you \
                    read back digit by digit."
            }),
        );
    }
    params
}

/// The parameters of `confirm_order`: the quote to place.
pub(super) fn confirm_parameters() -> Value {
    json!({
        "type": "object",
        "properties": {
            "quote_id": {
                "type": "string",
                "maxLength": 16,
                "description": "The quote_id of the last update_order answer, as read back."
            }
        },
        "required": ["quote_id"],
        "additionalProperties": false
    })
}

/// The complete order's shape (items, fulfilment, payment, name, note).
pub(super) fn order_parameters(menu: &Menu, shop: &ShopSettings) -> Value {
    let mut line = Map::new();
    let item_ids = ids(catalogue::items(menu).map(|i| i.id.0.as_str()));
    let size_ids =
        ids(catalogue::items(menu).flat_map(|i| catalogue::sizes(i).map(|s| s.id.0.as_str())));
    line.insert(
        "item_id".into(),
        json!({"type": "string", "enum": item_ids, "description": item_catalogue(menu)}),
    );
    line.insert(
        "size_id".into(),
        json!({
            "type": "string",
            "enum": size_ids,
            "description": "A size id listed for that item (e.g. bara = large). May be left \
                out when the item has one size."
        }),
    );
    line.insert(
        "quantity".into(),
        json!({
            "type": "integer",
            "minimum": Quantity::MIN,
            "maximum": Quantity::MAX,
            "description": "How many of this item in this size (or of this deal)."
        }),
    );
    let options = options_schema(menu);
    let half = half_schema(menu);
    if let Some(o) = &options {
        line.insert("options".into(), o.clone());
    }
    if let Some(h) = &half {
        line.insert("half".into(), h.clone());
    }
    line.insert(
        "note".into(),
        json!({
            "type": "string",
            "maxLength": MAX_LINE_NOTE,
            "description": "A note for the kitchen about this line, as the caller said it: \
                less spicy, well done, sauce on the side."
        }),
    );
    if let Some((deal_id, choices)) = deal_schemas(menu, &item_ids, &size_ids, options, half) {
        line.insert("deal_id".into(), deal_id);
        line.insert("choices".into(), choices);
    }
    let mut properties = Map::new();
    properties.insert(
        "items".into(),
        json!({
            "type": "array",
            "minItems": 1,
            "maxItems": MAX_LINES,
            "description": "Every line of the order. An item line: item_id, size_id, quantity, \
                and options, half and note when the caller asks. A deal line: deal_id, quantity \
                and choices (then no item_id). Repeat a flavour in another size as its own line.",
            "items": {
                "type": "object",
                "properties": line,
                "required": ["quantity"],
                "additionalProperties": false
            }
        }),
    );
    properties.insert("fulfilment".into(), fulfilment_schema(shop));
    properties.insert("payment".into(), payment_schema(shop));
    properties.insert(
        "customer_name".into(),
        json!({"type": "string", "description": "The customer's name."}),
    );
    properties.insert(
        "note".into(),
        json!({
            "type": "string",
            "maxLength": MAX_ORDER_NOTE,
            "description": "A note for the whole order: ring the bell twice, call on arrival."
        }),
    );
    json!({
        "type": "object",
        "properties": properties,
        "required": ["items", "fulfilment", "payment", "customer_name"],
        "additionalProperties": false
    })
}

/// Distinct ids, in first-seen order.
fn ids<'a>(all: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    for id in all {
        if !out.contains(&id) {
            out.push(id);
        }
    }
    out
}

/// `- chicken-tikka = Chicken Tikka / چکن تکہ: small = Small 7" Rs 750, large = Large 13"
/// Rs 2,199; options: crust, extras; half-and-half: large, family` for every orderable item.
fn item_catalogue(menu: &Menu) -> String {
    let mut out = String::from(
        "The menu item (item lines). Available items (id = English name / Urdu name: size id \
         = label price; the option groups it offers; the sizes it can be half-and-half in):",
    );
    for item in catalogue::items(menu) {
        let ur = item.name_ur.as_deref().unwrap_or(&item.name);
        let _ = write!(out, "\n- {} = {} / {}:", item.id, item.name, ur);
        for (i, size) in catalogue::sizes(item).enumerate() {
            let sep = if i == 0 { "" } else { "," };
            let _ = write!(out, "{sep} {} = {} {}", size.id, size.label, size.price);
        }
        let groups: Vec<&str> = catalogue::item_groups(menu, item)
            .map(|g| g.id.as_str())
            .collect();
        if !groups.is_empty() {
            let _ = write!(out, "; options: {}", groups.join(", "));
        }
        let halves: Vec<&str> = catalogue::half_sizes(item)
            .iter()
            .map(|s| s.id.0.as_str())
            .collect();
        if !halves.is_empty() {
            let _ = write!(out, "; half-and-half: {}", halves.join(", "));
        }
    }
    out
}

/// `options`: `{group, option}` pairs from the groups that have something on, with every
/// group's bounds and its options' prices per size.
fn options_schema(menu: &Menu) -> Option<Value> {
    let groups: Vec<_> = catalogue::groups(menu).collect();
    if groups.is_empty() {
        return None;
    }
    let group_ids = ids(groups.iter().map(|g| g.id.as_str()));
    let option_ids = ids(groups
        .iter()
        .flat_map(|g| catalogue::options(g).map(|o| o.id.as_str())));
    let mut text = String::from(
        "Crusts, extras and removals (no onion), only from the groups the item offers. Groups \
         (group id: how many one line may choose; option id = name price):",
    );
    for g in &groups {
        let ur = g.name_ur.as_deref().unwrap_or(&g.name);
        let _ = write!(
            text,
            "\n- {} ({} / {ur}: choose {} to {}):",
            g.id, g.name, g.min, g.max
        );
        for (i, o) in catalogue::options(g).enumerate() {
            let sep = if i == 0 { "" } else { ";" };
            let price = catalogue::option_price(o);
            let _ = write!(text, "{sep} {} = {} {price}", o.id, o.name);
        }
    }
    Some(json!({
        "type": "array",
        "maxItems": 10,
        "description": text,
        "items": {
            "type": "object",
            "properties": {
                "group": {"type": "string", "enum": group_ids},
                "option": {"type": "string", "enum": option_ids}
            },
            "required": ["group", "option"],
            "additionalProperties": false
        }
    }))
}

/// `half`: the other half of a half-and-half pizza.
fn half_schema(menu: &Menu) -> Option<Value> {
    let half_ids = ids(catalogue::half_items(menu).map(|i| i.id.0.as_str()));
    if half_ids.len() < 2 {
        return None;
    }
    Some(json!({
        "type": "object",
        "description": "Half-and-half: the other half's item, in the same size. Both halves \
            must allow it in that size (see each item's half-and-half sizes); it is charged \
            at the dearer half.",
        "properties": {"item_id": {"type": "string", "enum": half_ids}},
        "required": ["item_id"],
        "additionalProperties": false
    }))
}

/// `deal_id` and `choices`, when some deal can be filled now.
fn deal_schemas(
    menu: &Menu,
    item_ids: &[&str],
    size_ids: &[&str],
    options: Option<Value>,
    half: Option<Value>,
) -> Option<(Value, Value)> {
    let deals: Vec<_> = catalogue::deals(menu).collect();
    if deals.is_empty() {
        return None;
    }
    let deal_ids = ids(deals.iter().map(|d| d.id.as_str()));
    let slot_ids = ids(deals
        .iter()
        .flat_map(|d| d.slots.iter().map(|s| s.id.as_str())));
    let mut text = String::from(
        "A deal (deal lines). Available deals (id = name / Urdu name, price, hours in shop \
         time; then each slot: slot id ×count = the item ids that fill it; its sizes; \
         premium items' surcharges):",
    );
    for d in &deals {
        let ur = d.name_ur.as_deref().unwrap_or(&d.name);
        let _ = write!(text, "\n- {} = {} / {ur}, {}", d.id, d.name, d.price);
        if !d.hours.is_empty() {
            let _ = write!(text, ", only {}", d.hours_text());
        }
        text.push(':');
        for (i, slot) in d.slots.iter().enumerate() {
            let sep = if i == 0 { "" } else { " |" };
            let fill = ids(catalogue::slot_items(menu, slot)
                .into_iter()
                .map(|i| i.id.0.as_str()));
            let _ = write!(
                text,
                "{sep} {} ×{} = {}; size {}",
                slot.id,
                slot.count,
                fill.join(", "),
                slot.sizes.join("/")
            );
            for (item, extra) in &slot.surcharges {
                if fill.contains(&item.as_str()) {
                    let _ = write!(text, "; {item} +{extra}");
                }
            }
        }
    }
    let mut choice = Map::new();
    choice.insert("slot".into(), json!({"type": "string", "enum": slot_ids}));
    choice.insert(
        "item_id".into(),
        json!({"type": "string", "enum": item_ids}),
    );
    choice.insert(
        "size_id".into(),
        json!({"type": "string", "enum": size_ids, "description": "Leave out when the slot has one size."}),
    );
    if let Some(o) = options {
        choice.insert("options".into(), o);
    }
    if let Some(h) = half {
        choice.insert("half".into(), h);
    }
    let deal_id = json!({"type": "string", "enum": deal_ids, "description": text});
    let choices = json!({
        "type": "array",
        "maxItems": 20,
        "description": "What fills the deal's slots: one entry per item, each slot filled \
            exactly its count times (a slot of 2 drinks takes two entries, which may differ).",
        "items": {
            "type": "object",
            "properties": choice,
            "required": ["slot", "item_id"],
            "additionalProperties": false
        }
    });
    Some((deal_id, choices))
}

/// `fulfilment`: delivery (with the zones, when the shop has them) or pickup (when on).
fn fulfilment_schema(shop: &ShopSettings) -> Value {
    let mut kinds = vec!["delivery"];
    let mut properties = Map::new();
    properties.insert(
        "address".into(),
        json!({
            "type": "string",
            "description": "Delivery address as the caller said it, in English letters: \
                house/flat and floor, street, block/phase/sector, area (and city if given)."
        }),
    );
    properties.insert(
        "landmark".into(),
        json!({
            "type": "string",
            "description": "A nearby landmark the rider can find, e.g. near Hafeez Centre."
        }),
    );
    let zones = &shop.delivery_zones;
    if !zones.is_empty() {
        let mut text = String::from(
            "The delivery zone the address is in (required for delivery). Zones (id = name / \
             Urdu name: fee, free from, minimum food total, minutes; areas):",
        );
        for z in zones {
            let ur = z.name_ur.as_deref().unwrap_or(&z.name);
            let _ = write!(text, "\n- {} = {} / {ur}: fee {}", z.id, z.name, z.fee);
            if let Some(free) = z.free_above {
                let _ = write!(text, ", free from {free}");
            }
            if z.min_order > kitchen_domain::Money::ZERO {
                let _ = write!(text, ", minimum {}", z.min_order);
            }
            let _ = write!(text, ", about {} min", z.eta_minutes);
            if !z.areas.is_empty() {
                let _ = write!(text, "; areas: {}", z.areas.join(", "));
            }
        }
        let zone_ids: Vec<&str> = zones.iter().map(|z| z.id.as_str()).collect();
        properties.insert(
            "zone_id".into(),
            json!({"type": "string", "enum": zone_ids, "description": text}),
        );
    }
    if shop.pickup.enabled {
        kinds.push("pickup");
        properties.insert(
            "pickup_in_minutes".into(),
            json!({
                "type": "integer",
                "minimum": 0,
                "maximum": MAX_PICKUP_MINUTES,
                "description": format!(
                    "Pickup only: in how many minutes the caller will come, if they said; \
                     otherwise leave out (ready in about {} minutes).",
                    shop.pickup.eta_minutes
                )
            }),
        );
    }
    properties.insert("type".into(), json!({"type": "string", "enum": kinds}));
    let description = if shop.pickup.enabled {
        "Delivery to an address, or pickup: the caller collects it from the shop."
    } else {
        "Delivery to an address (this shop does not take pickup orders)."
    };
    json!({
        "type": "object",
        "description": description,
        "properties": properties,
        "required": ["type"],
        "additionalProperties": false
    })
}

/// `payment`: one of the shop's methods, and the note a cash payer pays with, in rupees.
fn payment_schema(shop: &ShopSettings) -> Value {
    let methods: Vec<&str> = shop.payment_methods.iter().map(|m| m.as_str()).collect();
    let mut text = String::from(
        "How the caller pays: cash (on delivery or at the counter), card, or wallet (JazzCash, \
         Easypaisa, Raast QR); only these.",
    );
    if catalogue::total_depends_on_method(shop) {
        let _ = write!(
            text,
            " The tax, and so the total, depends on it ({}): ask before reading the total.",
            catalogue::rates_by_method(shop, PaymentMethod::as_str)
        );
    }
    json!({
        "type": "object",
        "properties": {
            "method": {"type": "string", "enum": methods, "description": text},
            "pays_with": {
                "type": "number",
                "minimum": 1,
                "description": "Cash only, if the caller says it: the note they pay with, in \
                    rupees as they say it (5000 for «پانچ ہزار کا نوٹ»), so the rider brings \
                    change."
            }
        },
        "required": ["method"],
        "additionalProperties": false
    })
}
