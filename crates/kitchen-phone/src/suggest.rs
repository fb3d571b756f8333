//! At most one suggestion per quote, as a shop's order-taker would make it: a deal the order
//! already fits that costs less than its parts, or else a drink for an order without one.
//! The AI offers it once; the caller decides.

use crate::catalogue;
use kitchen_domain::{ItemKind, Menu, Money, NewOrder, OrderLine, hours};
use serde_json::{Value, json};

/// Most item units considered when fitting deals (a 30-line order of 99 each would be
/// thousands; a deal needs a few).
const MAX_UNITS: usize = 60;

/// One ordered unit that could fill a deal slot.
struct Unit<'a> {
    line: &'a OrderLine,
    used: bool,
}

/// The suggestion for `order` priced against `menu` at `now` (shop time), if any.
pub fn suggestion(menu: &Menu, order: &NewOrder, now: chrono::NaiveDateTime) -> Option<Value> {
    best_deal(menu, order.lines(), now).or_else(|| drink(menu, order.lines()))
}

/// The available deal whose slots the order's item lines fill and that saves the most,
/// compared with the menu prices of the units it would replace.
fn best_deal(menu: &Menu, lines: &[OrderLine], now: chrono::NaiveDateTime) -> Option<Value> {
    let mut best: Option<(Money, Value)> = None;
    for deal in catalogue::deals(menu).filter(|d| hours::within(&d.hours, now)) {
        let mut units: Vec<Unit> = lines
            .iter()
            .filter(|l| l.kind != ItemKind::Deal && l.deal.is_none())
            .flat_map(|l| std::iter::repeat_n(l, l.quantity.get() as usize))
            .take(MAX_UNITS)
            .map(|line| Unit { line, used: false })
            .collect();
        // Dearest first, so a slot takes the unit whose price it saves most on.
        units.sort_by_key(|u| std::cmp::Reverse(u.line.unit_price));
        let mut replaced = Money::ZERO;
        let mut cost = deal.price;
        let mut parts: Vec<String> = Vec::new();
        let mut fits = true;
        for slot in &deal.slots {
            for _ in 0..slot.count {
                let found = units.iter_mut().find(|u| {
                    !u.used
                        && slot.sizes.contains(&u.line.size_id)
                        && menu.item(&u.line.item_id).is_some_and(|i| slot.allows(i))
                });
                match found {
                    Some(u) => {
                        u.used = true;
                        replaced = Money::from_paisa(replaced.paisa() + u.line.unit_price.paisa());
                        cost = Money::from_paisa(
                            cost.paisa() + slot.surcharge(&u.line.item_id).paisa(),
                        );
                        parts.push(format!("{} {}", u.line.name, u.line.size_label));
                    }
                    None => {
                        fits = false;
                        break;
                    }
                }
            }
            if !fits {
                break;
            }
        }
        if !fits || cost >= replaced {
            continue;
        }
        let saves = Money::from_paisa(replaced.paisa() - cost.paisa());
        if best.as_ref().is_some_and(|(s, _)| *s >= saves) {
            continue;
        }
        best = Some((
            saves,
            json!({
                "type": "deal",
                "deal_id": deal.id,
                "name": deal.name,
                "name_ur": deal.name_ur,
                "replaces": parts,
                "deal_rupees": crate::tools::rupees_value(cost),
                "saves_rupees": crate::tools::rupees_value(saves),
                "say": format!(
                    "These items fit {}: as the deal they cost Rs {} less. Offer it; if they \
                     agree, send the deal line (deal_id and choices) instead of those items.",
                    deal.name,
                    saves.paisa() / 100
                ),
            }),
        ));
    }
    best.map(|(_, v)| v)
}

/// A drink for an order with food and no drink (nor a deal, which often carries one): the
/// first drink on the menu in its first size.
fn drink(menu: &Menu, lines: &[OrderLine]) -> Option<Value> {
    let has = |k: ItemKind| lines.iter().any(|l| l.kind == k);
    if has(ItemKind::Drink) || has(ItemKind::Deal) || lines.iter().any(|l| l.deal.is_some()) {
        return None;
    }
    let item = catalogue::items(menu).find(|i| i.kind == ItemKind::Drink)?;
    let size = catalogue::sizes(item).next()?;
    Some(json!({
        "type": "drink",
        "item_id": item.id.0,
        "size_id": size.id.0,
        "name": item.name,
        "name_ur": item.name_ur,
        "size": size.label,
        "rupees": crate::tools::rupees_value(size.price),
        "say": format!("Ask once whether they would like a {} {} with it.", item.name, size.label),
    }))
}
