//! What a caller can order right now, read off the live menu and the shop's settings, in
//! the shapes both the AI's tools ([`crate::tools`]) and its instructions
//! ([`crate::instructions`]) describe: items with their available sizes, option groups with
//! their available options, deals whose every slot can be filled, option prices and tax
//! rates in words. Sold-out things never appear, so the model cannot offer them.

use kitchen_domain::{
    Deal, DealSlot, MenuItem, MenuOption, MenuSize, OptionGroup, PaymentMethod, ShopSettings,
};
use kitchen_domain::{Menu, Money};

/// The sizes of `item` that are not sold out.
pub(crate) fn sizes(item: &MenuItem) -> impl Iterator<Item = &MenuSize> {
    item.sizes.iter().filter(|s| s.available)
}

/// Items that are on and have at least one size on, in menu order.
pub(crate) fn items(menu: &Menu) -> impl Iterator<Item = &MenuItem> {
    menu.available_items().filter(|i| sizes(i).next().is_some())
}

/// The options of `group` that are not sold out.
pub(crate) fn options(group: &OptionGroup) -> impl Iterator<Item = &MenuOption> {
    group.options.iter().filter(|o| o.available)
}

/// The groups `item` offers that have an option on, in the item's order.
pub(crate) fn item_groups<'a>(
    menu: &'a Menu,
    item: &'a MenuItem,
) -> impl Iterator<Item = &'a OptionGroup> {
    item.option_groups
        .iter()
        .filter_map(|id| menu.group(id))
        .filter(|g| options(g).next().is_some())
}

/// Groups with an option on that some orderable item offers, in menu order.
pub(crate) fn groups(menu: &Menu) -> impl Iterator<Item = &OptionGroup> {
    menu.option_groups().iter().filter(|g| {
        options(g).next().is_some() && items(menu).any(|i| i.option_groups.contains(&g.id))
    })
}

/// The orderable items that offer `group`.
pub(crate) fn items_offering<'a>(
    menu: &'a Menu,
    group: &'a OptionGroup,
) -> impl Iterator<Item = &'a MenuItem> {
    items(menu).filter(|i| i.option_groups.contains(&group.id))
}

/// The sizes (on) `item` can be half of a half-and-half in.
pub(crate) fn half_sizes(item: &MenuItem) -> Vec<&MenuSize> {
    sizes(item).filter(|s| item.halves_in(&s.id.0)).collect()
}

/// Orderable items that can be a half in some size.
pub(crate) fn half_items(menu: &Menu) -> impl Iterator<Item = &MenuItem> {
    items(menu).filter(|i| !half_sizes(i).is_empty())
}

/// The orderable items that can fill `slot` in one of its sizes.
pub(crate) fn slot_items<'a>(menu: &'a Menu, slot: &'a DealSlot) -> Vec<&'a MenuItem> {
    items(menu)
        .filter(|i| slot.allows(i) && sizes(i).any(|s| slot.sizes.contains(&s.id.0)))
        .collect()
}

/// Deals that are on and whose every slot can be filled now (their hours are told, and
/// checked when ordering).
pub(crate) fn deals(menu: &Menu) -> impl Iterator<Item = &Deal> {
    menu.available_deals()
        .filter(|d| d.slots.iter().all(|s| !slot_items(menu, s).is_empty()))
}

/// An option's price in words: `free`, `Rs 100`, or per size (`medium Rs 250 / large Rs
/// 350`, cheapest first, with `other sizes Rs 150` when it also has one price for the rest).
pub(crate) fn option_price(o: &MenuOption) -> String {
    let one = |m: Money| {
        if m == Money::ZERO {
            "free".to_string()
        } else {
            m.to_string()
        }
    };
    if o.prices.is_empty() {
        return one(o.price.unwrap_or(Money::ZERO));
    }
    let mut by_size: Vec<(&String, &Money)> = o.prices.iter().collect();
    by_size.sort_by_key(|(size, price)| (**price, (*size).clone()));
    let mut parts: Vec<String> = by_size
        .into_iter()
        .map(|(size, price)| format!("{size} {}", one(*price)))
        .collect();
    if let Some(rest) = o.price {
        parts.push(format!("other sizes {}", one(rest)));
    }
    parts.join(" / ")
}

/// A rate in basis points as a percentage: 1600 → `16`, 750 → `7.5`.
pub(crate) fn percent(bp: u32) -> String {
    let (whole, frac) = (bp / 100, bp % 100);
    if frac == 0 {
        whole.to_string()
    } else {
        format!("{whole}.{frac:02}")
            .trim_end_matches('0')
            .to_string()
    }
}

/// Whether the total a caller hears changes with how they pay: the shop is registered,
/// adds the tax on top of its prices, and charges different rates for the methods it takes.
pub(crate) fn total_depends_on_method(shop: &ShopSettings) -> bool {
    let tax = &shop.tax;
    let mut rates = shop.payment_methods.iter().map(|m| tax.rate_bp(*m));
    let first = rates.next();
    tax.registered && !tax.prices_include_tax && rates.any(|r| Some(r) != first)
}

/// The tax rate for each method the shop takes, `cash 16 %, card 5 %`, in `name`'s words.
pub(crate) fn rates_by_method(
    shop: &ShopSettings,
    name: fn(PaymentMethod) -> &'static str,
) -> String {
    shop.payment_methods
        .iter()
        .map(|m| format!("{} {} %", name(*m), percent(shop.tax.rate_bp(*m))))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use kitchen_domain::TaxSettings;

    #[test]
    fn option_prices_read_cheapest_size_first() {
        let menu = Menu::default_menu();
        let crust = menu.group("crust").unwrap();
        let price = |id: &str| option_price(crust.option(id).unwrap());
        assert_eq!(price("thin"), "free");
        assert_eq!(
            price("stuffed"),
            "medium Rs 250 / large Rs 350 / family Rs 450"
        );
        let jalapeno = menu.group("extras").unwrap().option("jalapeno").unwrap();
        assert_eq!(option_price(jalapeno), "Rs 100");
        let mut both = jalapeno.clone();
        both.prices.insert("family".into(), Money::from_rupees(200));
        assert_eq!(option_price(&both), "family Rs 200 / other sizes Rs 100");
    }

    #[test]
    fn percentages_drop_needless_decimals() {
        assert_eq!(percent(1600), "16");
        assert_eq!(percent(750), "7.5");
        assert_eq!(percent(1625), "16.25");
        assert_eq!(percent(0), "0");
    }

    #[test]
    fn the_total_depends_on_the_method_only_when_added_tax_differs_between_taken_methods() {
        let mut shop = ShopSettings::default();
        assert!(!total_depends_on_method(&shop), "not registered");
        shop.tax = TaxSettings {
            registered: true,
            prices_include_tax: false,
            ..TaxSettings::default()
        };
        assert!(total_depends_on_method(&shop));
        assert_eq!(
            rates_by_method(&shop, PaymentMethod::as_str),
            "cash 16 %, card 5 %, wallet 5 %"
        );
        shop.payment_methods = vec![PaymentMethod::Card, PaymentMethod::Wallet];
        assert!(!total_depends_on_method(&shop), "the same rate for both");
        shop.payment_methods = PaymentMethod::ALL.to_vec();
        shop.tax.prices_include_tax = true;
        assert!(!total_depends_on_method(&shop), "included: the total stays");
    }

    #[test]
    fn sold_out_things_and_unfillable_deals_are_left_out() {
        let mut parts = Menu::default_menu().to_parts();
        for item in parts
            .items
            .iter_mut()
            .filter(|i| i.kind == kitchen_domain::ItemKind::Drink)
        {
            if item.id.0 != "mineral-water" {
                item.available = false;
            }
        }
        parts.option_groups[0]
            .options
            .iter_mut()
            .for_each(|o| o.available = false);
        for s in parts.items[0].sizes.iter_mut() {
            s.available = false;
        }
        let menu = Menu::from_parts(parts).unwrap();
        assert!(
            items(&menu).all(|i| i.id.0 != "chicken-tikka"),
            "no size on"
        );
        assert!(groups(&menu).all(|g| g.id != "crust"), "no crust on");
        let deals: Vec<_> = deals(&menu).map(|d| d.id.as_str()).collect();
        assert!(deals.is_empty(), "every deal needs a cola: {deals:?}");
    }
}
