//! The rules a menu obeys, checked as a whole so every problem is reported at once with
//! its field path (`deals[2].slots[0].sizes`).

use super::{Deal, ItemKind, MenuItem, MenuParts, OptionGroup, clip};
use crate::money::Money;
use crate::validation::{FieldError, ValidationErrors};
use std::collections::{BTreeMap, HashSet};

/// Limits that keep a menu something a phone call can read out.
const MAX_ITEMS: usize = 200;
const MAX_SIZES: usize = 10;
const MAX_GROUPS: usize = 50;
const MAX_OPTIONS: usize = 40;
const MAX_DEALS: usize = 50;
const MAX_SLOTS: usize = 10;
const MAX_CHOICES: u8 = 10;
const MAX_PRICE: Money = Money::from_rupees(100_000);

pub(super) fn check(mut p: MenuParts) -> Result<MenuParts, ValidationErrors> {
    let mut errors = Vec::new();
    if p.items.is_empty() {
        errors.push(FieldError::coded(
            "items",
            "required",
            "the menu needs at least one item",
        ));
    }
    count(&mut errors, "items", p.items.len(), MAX_ITEMS);
    count(
        &mut errors,
        "option_groups",
        p.option_groups.len(),
        MAX_GROUPS,
    );
    count(&mut errors, "deals", p.deals.len(), MAX_DEALS);

    let mut group_ids = HashSet::new();
    for (g, group) in p.option_groups.iter_mut().enumerate() {
        check_group(&mut errors, g, group, &mut group_ids);
    }
    let mut item_ids = HashSet::new();
    for (i, item) in p.items.iter_mut().enumerate() {
        check_item(&mut errors, i, item, &mut item_ids, &p.option_groups);
    }
    let items: BTreeMap<&str, &MenuItem> = p.items.iter().map(|i| (i.id.0.as_str(), i)).collect();
    let mut deal_ids = HashSet::new();
    for (d, deal) in p.deals.iter_mut().enumerate() {
        check_deal(&mut errors, d, deal, &mut deal_ids, &items);
    }
    if errors.is_empty() {
        Ok(p)
    } else {
        Err(ValidationErrors(errors))
    }
}

fn count(errors: &mut Vec<FieldError>, field: &str, n: usize, max: usize) {
    if n > max {
        errors.push(
            FieldError::coded(
                field,
                "too_long",
                format!("a menu holds at most {max} {field}"),
            )
            .with("max", max),
        );
    }
}

fn tidy(name: &mut String) {
    *name = name.trim().to_string();
}

fn tidy_opt(name: &mut Option<String>) {
    *name = name
        .take()
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty());
}

fn unique(errors: &mut Vec<FieldError>, field: String, id: &str, seen: &mut HashSet<String>) {
    if let Some(e) = check_id(field.clone(), id) {
        errors.push(e);
    } else if !seen.insert(id.to_string()) {
        errors.push(
            FieldError::coded(
                field,
                "duplicate_id",
                format!("`{id}` appears twice; ids must be unique"),
            )
            .with("id", id),
        );
    }
}

fn price(errors: &mut Vec<FieldError>, field: String, p: Money, min: Money) {
    if p < min || p > MAX_PRICE {
        errors.push(
            FieldError::coded(
                field,
                "out_of_range",
                format!(
                    "price is in paisa and must be between {} and {} ({MAX_PRICE})",
                    min.paisa(),
                    MAX_PRICE.paisa()
                ),
            )
            .with("min", min.paisa())
            .with("max", MAX_PRICE.paisa()),
        );
    }
}

fn reference(errors: &mut Vec<FieldError>, field: String, given: &str, allowed: &[&str]) {
    if !allowed.contains(&given) {
        errors.push(
            FieldError::coded(
                field,
                "unknown_reference",
                format!(
                    "`{}` is not on this menu; use one of {}",
                    clip(given),
                    allowed.join(", ")
                ),
            )
            .with("given", clip(given))
            .with("allowed", allowed.join(", ")),
        );
    }
}

fn check_group(
    errors: &mut Vec<FieldError>,
    g: usize,
    group: &mut OptionGroup,
    seen: &mut HashSet<String>,
) {
    let at = |f: &str| format!("option_groups[{g}].{f}");
    tidy(&mut group.name);
    tidy_opt(&mut group.name_ur);
    unique(errors, at("id"), &group.id, seen);
    check_text(errors, at("name"), &group.name, 60, true);
    if let Some(ur) = &group.name_ur {
        check_text(errors, at("name_ur"), ur, 60, false);
    }
    if group.max == 0 || group.max > MAX_CHOICES || group.min > group.max {
        errors.push(
            FieldError::coded(
                at("max"),
                "out_of_range",
                format!("max is 1 to {MAX_CHOICES} and at least min ({})", group.min),
            )
            .with("min", group.min.max(1))
            .with("max", MAX_CHOICES),
        );
    }
    if group.options.is_empty() || group.options.len() > MAX_OPTIONS {
        errors.push(
            FieldError::coded(
                at("options"),
                "out_of_range",
                format!("a group has 1 to {MAX_OPTIONS} options"),
            )
            .with("min", 1)
            .with("max", MAX_OPTIONS),
        );
    }
    let mut option_ids = HashSet::new();
    for (o, option) in group.options.iter_mut().enumerate() {
        let at = |f: &str| format!("option_groups[{g}].options[{o}].{f}");
        tidy(&mut option.name);
        tidy_opt(&mut option.name_ur);
        unique(errors, at("id"), &option.id, &mut option_ids);
        check_text(errors, at("name"), &option.name, 60, true);
        if let Some(ur) = &option.name_ur {
            check_text(errors, at("name_ur"), ur, 60, false);
        }
        if let Some(p) = option.price {
            price(errors, at("price"), p, Money::ZERO);
        }
        for (size, p) in &option.prices {
            price(errors, format!("{}.{size}", at("prices")), *p, Money::ZERO);
        }
    }
}

fn check_item(
    errors: &mut Vec<FieldError>,
    i: usize,
    item: &mut MenuItem,
    seen: &mut HashSet<String>,
    groups: &[OptionGroup],
) {
    let at = |f: &str| format!("items[{i}].{f}");
    tidy(&mut item.name);
    tidy_opt(&mut item.name_ur);
    tidy_opt(&mut item.description);
    tidy_opt(&mut item.description_ur);
    unique(errors, at("id"), &item.id.0, seen);
    check_text(errors, at("name"), &item.name, 80, true);
    if let Some(ur) = &item.name_ur {
        check_text(errors, at("name_ur"), ur, 80, false);
    }
    for (f, d) in [
        ("description", &item.description),
        ("description_ur", &item.description_ur),
    ] {
        if let Some(d) = d {
            check_text(errors, at(f), d, 300, false);
        }
    }
    if item.kind == ItemKind::Deal {
        errors.push(FieldError::coded(
            at("kind"),
            "invalid",
            "`deal` is not an item kind; put deals under `deals` (kinds: pizza, side, drink, dip, dessert, pasta, other)",
        ));
    }
    if item.sizes.is_empty() || item.sizes.len() > MAX_SIZES {
        errors.push(
            FieldError::coded(
                at("sizes"),
                "out_of_range",
                format!("an item has 1 to {MAX_SIZES} sizes"),
            )
            .with("min", 1)
            .with("max", MAX_SIZES),
        );
    }
    let mut size_ids = HashSet::new();
    for (j, size) in item.sizes.iter_mut().enumerate() {
        let at = |f: &str| format!("items[{i}].sizes[{j}].{f}");
        tidy(&mut size.label);
        tidy_opt(&mut size.label_ur);
        unique(errors, at("id"), &size.id.0, &mut size_ids);
        check_text(errors, at("label"), &size.label, 40, true);
        if let Some(ur) = &size.label_ur {
            check_text(errors, at("label_ur"), ur, 40, false);
        }
        price(errors, at("price"), size.price, Money::from_paisa(1));
    }
    let group_ids: Vec<&str> = groups.iter().map(|g| g.id.as_str()).collect();
    let mut offered = HashSet::new();
    for (k, g) in item.option_groups.iter().enumerate() {
        let field = format!("items[{i}].option_groups[{k}]");
        reference(errors, field.clone(), g, &group_ids);
        if !offered.insert(g.clone()) {
            errors.push(
                FieldError::coded(field, "duplicate_id", format!("`{g}` is listed twice"))
                    .with("id", g),
            );
        }
    }
    if item.half_and_half && item.kind != ItemKind::Pizza {
        errors.push(FieldError::coded(
            at("half_and_half"),
            "half_not_allowed",
            "only pizzas can be half-and-half",
        ));
    }
    let sizes: Vec<&str> = item.sizes.iter().map(|s| s.id.0.as_str()).collect();
    for (k, s) in item.half_sizes.iter().enumerate() {
        reference(errors, format!("items[{i}].half_sizes[{k}]"), s, &sizes);
    }
}

fn check_deal(
    errors: &mut Vec<FieldError>,
    d: usize,
    deal: &mut Deal,
    seen: &mut HashSet<String>,
    items: &BTreeMap<&str, &MenuItem>,
) {
    let at = |f: &str| format!("deals[{d}].{f}");
    tidy(&mut deal.name);
    tidy_opt(&mut deal.name_ur);
    tidy_opt(&mut deal.description);
    tidy_opt(&mut deal.description_ur);
    unique(errors, at("id"), &deal.id, seen);
    check_text(errors, at("name"), &deal.name, 80, true);
    if let Some(ur) = &deal.name_ur {
        check_text(errors, at("name_ur"), ur, 80, false);
    }
    for (f, text) in [
        ("description", &deal.description),
        ("description_ur", &deal.description_ur),
    ] {
        if let Some(text) = text {
            check_text(errors, at(f), text, 300, false);
        }
    }
    price(errors, at("price"), deal.price, Money::from_paisa(1));
    for (h, w) in deal.hours.iter().enumerate() {
        if w.days.is_empty() {
            errors.push(FieldError::coded(
                format!("deals[{d}].hours[{h}].days"),
                "required",
                "name the days the window starts on (mon … sun)",
            ));
        }
    }
    if deal.slots.is_empty() || deal.slots.len() > MAX_SLOTS {
        errors.push(
            FieldError::coded(
                at("slots"),
                "out_of_range",
                format!("a deal has 1 to {MAX_SLOTS} slots"),
            )
            .with("min", 1)
            .with("max", MAX_SLOTS),
        );
    }
    let item_ids: Vec<&str> = items.keys().copied().collect();
    let mut slot_ids = HashSet::new();
    for (s, slot) in deal.slots.iter_mut().enumerate() {
        let at = |f: &str| format!("deals[{d}].slots[{s}].{f}");
        tidy(&mut slot.label);
        tidy_opt(&mut slot.label_ur);
        unique(errors, at("id"), &slot.id, &mut slot_ids);
        check_text(errors, at("label"), &slot.label, 60, true);
        if let Some(ur) = &slot.label_ur {
            check_text(errors, at("label_ur"), ur, 60, false);
        }
        if slot.count == 0 || slot.count > MAX_CHOICES {
            errors.push(
                FieldError::coded(
                    at("count"),
                    "out_of_range",
                    format!("a slot takes 1 to {MAX_CHOICES} choices"),
                )
                .with("min", 1)
                .with("max", MAX_CHOICES),
            );
        }
        if slot.kind == Some(ItemKind::Deal) {
            errors.push(FieldError::coded(
                at("kind"),
                "invalid",
                "a deal slot holds items, not deals",
            ));
        }
        for (k, id) in slot.items.iter().enumerate() {
            reference(errors, format!("{}[{k}]", at("items")), id, &item_ids);
        }
        for (k, id) in slot.exclude_items.iter().enumerate() {
            reference(
                errors,
                format!("{}[{k}]", at("exclude_items")),
                id,
                &item_ids,
            );
        }
        for (id, p) in &slot.surcharges {
            reference(errors, format!("{}.{id}", at("surcharges")), id, &item_ids);
            price(
                errors,
                format!("{}.{id}", at("surcharges")),
                *p,
                Money::ZERO,
            );
        }
        if slot.sizes.is_empty() {
            errors.push(FieldError::coded(
                at("sizes"),
                "required",
                "list the sizes this slot allows (like large, or 1.5l)",
            ));
            continue;
        }
        let fillable = items
            .values()
            .filter(|i| slot.allows(i))
            .any(|i| slot.sizes.iter().any(|s| i.size(s).is_some()));
        if !fillable {
            errors.push(FieldError::coded(
                at("sizes"),
                "invalid",
                format!(
                    "no item this slot allows comes in {}; check its items, kind and sizes",
                    slot.sizes.join(", ")
                ),
            ));
        }
    }
}

/// The problem with an id, if it is not 1 to 40 lowercase letters, digits, `-` or `.`.
pub(crate) fn check_id(field: String, id: &str) -> Option<FieldError> {
    let ok_chars = id
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.');
    if id.is_empty() || id.len() > 40 || !ok_chars {
        Some(FieldError::coded(
            field,
            "invalid",
            format!(
                "`{}` is not a valid id: use 1 to 40 lowercase letters, digits, `-` or `.` (like `chicken-tikka`)",
                clip(id)
            ),
        ))
    } else {
        None
    }
}

/// Notes a problem with a text: empty when required, too long, or with control characters.
pub(crate) fn check_text(
    errors: &mut Vec<FieldError>,
    field: String,
    text: &str,
    max: usize,
    required: bool,
) {
    let n = text.chars().count();
    if required && n == 0 {
        errors.push(FieldError::coded(field, "required", "must not be empty"));
    } else if n > max {
        errors.push(
            FieldError::coded(
                field,
                "too_long",
                format!("is {n} characters; keep it to {max}"),
            )
            .with("max", max),
        );
    } else if text.chars().any(char::is_control) {
        errors.push(FieldError::new(
            field,
            "must not contain control characters",
        ));
    }
}
