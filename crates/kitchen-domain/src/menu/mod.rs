//! The shop's menu: items in sizes, the option groups they offer (crusts, extras,
//! removals), and deals built from slots.
//!
//! A `Menu` value is always valid (built through [`Menu::from_parts`] or
//! [`Menu::from_json`]): every id is unique, every reference between items, groups and
//! deals resolves, so pricing an order can look things up without re-checking the menu.

mod availability;
mod check;
mod deals;
mod items;
mod options;

pub use availability::{AvailabilityChange, AvailabilityTarget};
pub use deals::{Deal, DealSlot};
pub use items::{ItemId, ItemKind, MenuItem, MenuSize, SizeId};
pub use options::{MenuOption, OptionGroup};

pub(crate) use check::{check_id, check_text};

use crate::validation::{FieldError, ValidationErrors};
use serde::{Deserialize, Serialize};

/// A whole, valid menu, as `GET /api/menu` sends it and `PUT /api/menu` takes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(rename = "MenuDto")]
pub struct Menu {
    items: Vec<MenuItem>,
    option_groups: Vec<OptionGroup>,
    deals: Vec<Deal>,
}

/// Why a menu was refused: every problem, each with the field it is in.
pub type MenuError = ValidationErrors;

/// The parts of a menu before they are checked: `{"items": […], "option_groups": […],
/// "deals": […]}` (the last two may be left out, so today's menus stay valid).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct MenuParts {
    /// Items.
    pub items: Vec<MenuItem>,
    /// Option groups.
    #[serde(default)]
    pub option_groups: Vec<OptionGroup>,
    /// Deals.
    #[serde(default)]
    pub deals: Vec<Deal>,
}

/// The default menu shipped with the app.
const DEFAULT_MENU_JSON: &str = include_str!("../../data/default-menu.json");

impl Menu {
    /// Checks and normalises a menu of items only (no options, no deals).
    pub fn new(items: Vec<MenuItem>) -> Result<Menu, MenuError> {
        Menu::from_parts(MenuParts {
            items,
            ..MenuParts::default()
        })
    }

    /// Checks and normalises a whole menu (trims names, drops blank Urdu names), reporting
    /// every problem with its field path.
    pub fn from_parts(parts: MenuParts) -> Result<Menu, MenuError> {
        let MenuParts {
            items,
            option_groups,
            deals,
        } = check::check(parts)?;
        Ok(Menu {
            items,
            option_groups,
            deals,
        })
    }

    /// Parses and checks a menu in the API's JSON shape.
    pub fn from_json(json: &str) -> Result<Menu, MenuError> {
        let parts: MenuParts = serde_json::from_str(json)
            .map_err(|e| ValidationErrors(vec![FieldError::new("menu", e.to_string())]))?;
        Menu::from_parts(parts)
    }

    /// The menu a new shop starts with: a Lahore pizza menu in PKR, with crusts, extras,
    /// half-and-half, sides, dips, pasta, dessert, drinks and five deals.
    pub fn default_menu() -> Menu {
        match Menu::from_json(DEFAULT_MENU_JSON) {
            Ok(menu) => menu,
            // The file is part of the source tree and tested below; reaching this is a build bug.
            Err(e) => unreachable!("the bundled default menu is invalid: {e}"),
        }
    }

    /// The menu's parts, to change and check again.
    pub fn to_parts(&self) -> MenuParts {
        MenuParts {
            items: self.items.clone(),
            option_groups: self.option_groups.clone(),
            deals: self.deals.clone(),
        }
    }

    /// All items, in menu order.
    pub fn items(&self) -> &[MenuItem] {
        &self.items
    }

    /// All option groups.
    pub fn option_groups(&self) -> &[OptionGroup] {
        &self.option_groups
    }

    /// All deals.
    pub fn deals(&self) -> &[Deal] {
        &self.deals
    }

    /// The item with this id.
    pub fn item(&self, id: &str) -> Option<&MenuItem> {
        self.items.iter().find(|i| i.id.0 == id)
    }

    /// The option group with this id.
    pub fn group(&self, id: &str) -> Option<&OptionGroup> {
        self.option_groups.iter().find(|g| g.id == id)
    }

    /// The deal with this id.
    pub fn deal(&self, id: &str) -> Option<&Deal> {
        self.deals.iter().find(|d| d.id == id)
    }

    /// Items a caller can order now.
    pub fn available_items(&self) -> impl Iterator<Item = &MenuItem> {
        self.items.iter().filter(|i| i.available)
    }

    /// Deals that are on (their hours are checked when ordering).
    pub fn available_deals(&self) -> impl Iterator<Item = &Deal> {
        self.deals.iter().filter(|d| d.available)
    }
}

pub(crate) fn join_ids<'a>(ids: impl Iterator<Item = &'a str>) -> String {
    ids.collect::<Vec<_>>().join(", ")
}

pub(crate) fn clip(s: &str) -> String {
    s.chars().take(40).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Money;

    fn item(id: &str, sizes: &[(&str, i64)]) -> MenuItem {
        MenuItem {
            id: ItemId(id.into()),
            name: id.to_uppercase(),
            name_ur: None,
            kind: ItemKind::Pizza,
            description: None,
            description_ur: None,
            available: true,
            sizes: sizes
                .iter()
                .map(|(s, p)| MenuSize {
                    id: SizeId((*s).into()),
                    label: s.to_string(),
                    label_ur: None,
                    price: Money::from_paisa(*p),
                    available: true,
                })
                .collect(),
            option_groups: Vec::new(),
            half_and_half: false,
            half_sizes: Vec::new(),
        }
    }

    #[test]
    fn default_menu_is_a_realistic_pakistani_pizza_menu() {
        let menu = Menu::default_menu();
        for name in [
            "Chicken Tikka",
            "Chicken Fajita",
            "Pepperoni",
            "Malai Boti",
            "BBQ Chicken",
            "Cheese Lover",
            "Veggie",
        ] {
            let it = menu
                .items()
                .iter()
                .find(|i| i.name == name)
                .unwrap_or_else(|| panic!("{name}"));
            assert_eq!(it.kind, ItemKind::Pizza);
            let labels: Vec<_> = it.sizes.iter().map(|s| s.label.as_str()).collect();
            assert_eq!(
                labels,
                ["Small 7\"", "Medium 10\"", "Large 13\"", "Family 16\""]
            );
            assert!(it.name_ur.is_some(), "{name} has an Urdu name");
            // Bigger is dearer, and prices look like PKR (hundreds to a few thousand rupees).
            assert!(it.sizes.windows(2).all(|w| w[0].price < w[1].price));
            assert!(
                it.sizes.iter().all(
                    |s| (Money::from_rupees(300)..=Money::from_rupees(6000)).contains(&s.price)
                )
            );
        }
        for name in ["Coca-Cola", "Pepsi", "7Up", "Sprite"] {
            let it = menu.items().iter().find(|i| i.name == name).unwrap();
            assert_eq!(it.kind, ItemKind::Drink);
            let labels: Vec<_> = it.sizes.iter().map(|s| s.label.as_str()).collect();
            assert_eq!(labels, ["345 ml", "1.5 L"]);
        }
        assert!(menu.items().iter().any(|i| i.name == "Mineral Water"));
    }

    #[test]
    fn invalid_menus_are_refused_with_every_problem_located() {
        let mut dup = item("a", &[("s", 100), ("s", 200)]);
        dup.name = "  ".into();
        let errors = Menu::new(vec![dup, item("a", &[("x", 0)]), item("Bad Id", &[])]).unwrap_err();
        let fields: Vec<_> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "items[0].name",
                "items[0].sizes[1].id",
                "items[1].id",
                "items[1].sizes[0].price",
                "items[2].id",
                "items[2].sizes"
            ]
        );
        assert!(Menu::new(vec![]).is_err());
    }

    #[test]
    fn parses_the_api_shape_and_trims_names() {
        let menu = Menu::from_json(
            r#"{"items":[{"id":"tea","name":" Chai ","name_ur":" ","kind":"drink","sizes":[{"id":"cup","label":"Cup","price":5000}]}]}"#,
        )
        .unwrap();
        let tea = menu.item("tea").unwrap();
        assert_eq!(tea.name, "Chai");
        assert_eq!(tea.name_ur, None);
        assert!(tea.available, "available defaults to true");
        let e = Menu::from_json(r#"{"items":[{"id":"x"}]}"#).unwrap_err();
        assert_eq!(e.0[0].field, "menu");
    }

    #[test]
    fn the_default_menu_has_crusts_extras_halves_sides_dips_pasta_dessert_and_five_deals() {
        let menu = Menu::default_menu();
        let crust = menu.group("crust").unwrap();
        let names: Vec<_> = crust.options.iter().map(|o| o.id.as_str()).collect();
        assert_eq!(names, ["regular", "thin", "stuffed", "crown"]);
        assert_eq!((crust.min, crust.max), (0, 1));
        assert!(menu.group("extras").unwrap().option("cheese").is_some());
        assert!(
            menu.group("remove")
                .unwrap()
                .option("no-onion")
                .unwrap()
                .price_for("large")
                == Some(Money::ZERO)
        );
        let tikka = menu.item("chicken-tikka").unwrap();
        assert!(tikka.halves_in("large") && tikka.halves_in("family") && !tikka.halves_in("small"));
        for kind in [
            ItemKind::Dip,
            ItemKind::Pasta,
            ItemKind::Dessert,
            ItemKind::Side,
            ItemKind::Drink,
        ] {
            assert!(menu.items().iter().any(|i| i.kind == kind), "{kind:?}");
        }
        assert_eq!(menu.deals().len(), 5);
        assert!(
            menu.deals()
                .iter()
                .any(|d| d.slots.iter().any(|s| !s.surcharges.is_empty())),
            "a premium surcharge"
        );
        let midnight = menu.deal("midnight").unwrap();
        assert_eq!(midnight.hours_text(), "daily 00:00–03:00");
        assert!(
            menu.items().iter().all(|i| i.name_ur.is_some()),
            "every item has an Urdu name"
        );
        assert!(
            menu.deals()
                .iter()
                .all(|d| d.name_ur.is_some() && d.slots.iter().all(|s| s.label_ur.is_some()))
        );
        assert!(
            menu.items()
                .iter()
                .flat_map(|i| &i.sizes)
                .all(|s| s.label_ur.is_some()),
            "every size has an Urdu label"
        );
        let large = menu.item("chicken-tikka").unwrap().size("large").unwrap();
        assert_eq!(large.label_ur.as_deref(), Some("بڑا 13 انچ"));
    }

    #[test]
    fn a_sizes_urdu_label_is_optional_trimmed_and_checked_like_other_urdu_names() {
        let menu = Menu::from_json(
            r#"{"items":[{"id":"tea","name":"Chai","kind":"drink","sizes":[
                {"id":"cup","label":"Cup","label_ur":"  کپ ","price":5000},
                {"id":"pot","label":"Pot","label_ur":"   ","price":9000},
                {"id":"mug","label":"Mug","price":7000}]}]}"#,
        )
        .unwrap();
        let tea = menu.item("tea").unwrap();
        let labels: Vec<_> = tea.sizes.iter().map(|s| s.label_ur.as_deref()).collect();
        assert_eq!(labels, [Some("کپ"), None, None], "trimmed; blank is absent");
        let json = serde_json::to_value(&menu).unwrap();
        assert_eq!(json["items"][0]["sizes"][0]["label_ur"], "کپ");
        assert!(
            json["items"][0]["sizes"][1].get("label_ur").is_none(),
            "an absent Urdu label is left out of the JSON"
        );

        let mut parts = Menu::default_menu().to_parts();
        parts.items[0].sizes[0].label_ur = Some("بہت ".repeat(11));
        parts.items[0].sizes[1].label_ur = Some("درمیانہ\u{7}".into());
        let e = Menu::from_parts(parts).unwrap_err();
        let got: Vec<_> = e.0.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(
            got,
            [
                ("items[0].sizes[0].label_ur", "too_long"),
                ("items[0].sizes[1].label_ur", "invalid"),
            ]
        );
        assert_eq!(e.0[0].params["max"], "40");
    }

    #[test]
    fn references_between_items_groups_and_deals_must_resolve() {
        let mut parts = Menu::default_menu().to_parts();
        parts.items[0].option_groups.push("sauces".into());
        parts.items[0].half_sizes.push("huge".into());
        parts.items[8].half_and_half = true; // a side
        parts.option_groups[0].max = 0;
        parts.deals[0].slots[0].exclude_items.push("unicorn".into());
        parts.deals[1].slots[0].sizes.clear();
        parts.deals[2].slots[1].sizes = vec!["10l".into()];
        parts.deals[3].hours.push(crate::hours::TimeWindow {
            days: vec![],
            from: crate::hours::TimeOfDay::new(1, 0).unwrap(),
            to: crate::hours::TimeOfDay::new(2, 0).unwrap(),
        });
        let e = Menu::from_parts(parts).unwrap_err();
        let got: Vec<_> = e.0.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(
            got,
            [
                ("option_groups[0].max", "out_of_range"),
                ("items[0].option_groups[3]", "unknown_reference"),
                ("items[0].half_sizes[2]", "unknown_reference"),
                ("items[8].half_and_half", "half_not_allowed"),
                ("deals[0].slots[0].exclude_items[0]", "unknown_reference"),
                ("deals[1].slots[0].sizes", "required"),
                ("deals[2].slots[1].sizes", "invalid"),
                ("deals[3].hours[0].days", "required"),
            ]
        );
        assert!(
            e.0[1].message.contains("crust, extras, remove"),
            "{}",
            e.0[1].message
        );
    }

    #[test]
    fn the_menu_round_trips_through_its_json() {
        let menu = Menu::default_menu();
        let json = serde_json::to_string(&menu).unwrap();
        assert_eq!(Menu::from_json(&json).unwrap(), menu);
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert!(
            v["items"][8].get("half_and_half").is_none(),
            "false flags are left out"
        );
        assert_eq!(v["items"][0]["sizes"][0]["available"], true);
    }
}
