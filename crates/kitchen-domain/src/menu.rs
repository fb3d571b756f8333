//! The shop's menu: what can be ordered, in which sizes, at what price.
//!
//! A `Menu` value is always valid (built through [`Menu::new`] or [`Menu::from_json`]), so
//! pricing an order can look items up without re-checking the menu's own shape.

use crate::money::Money;
use crate::validation::{FieldError, ValidationErrors};
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

/// What sort of thing an item is: it decides the seed's `flavour` and `drink` columns and
/// how the AI talks about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum ItemKind {
    /// A pizza.
    Pizza,
    /// A drink.
    Drink,
    /// Anything else: garlic bread, wings, fries.
    Side,
}

impl ItemKind {
    /// `pizza`, `drink` or `side`.
    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Pizza => "pizza",
            ItemKind::Drink => "drink",
            ItemKind::Side => "side",
        }
    }

    /// Parses `pizza`, `drink` or `side`.
    pub fn parse(s: &str) -> Option<ItemKind> {
        match s {
            "pizza" => Some(ItemKind::Pizza),
            "drink" => Some(ItemKind::Drink),
            "side" => Some(ItemKind::Side),
            _ => None,
        }
    }
}

/// One size of an item, with its price.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct MenuSize {
    /// Stable id within the item.
    #[ts(type = "string")]
    pub id: SizeId,
    /// What the kitchen and the caller call it: `Large 13"`.
    pub label: String,
    /// Price of one, in paisa.
    #[ts(type = "number")]
    pub price: Money,
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
    /// Pizza, drink or side.
    pub kind: ItemKind,
    /// False when sold out: the item stays on the menu but cannot be ordered.
    #[serde(default = "yes")]
    pub available: bool,
    /// At least one size.
    pub sizes: Vec<MenuSize>,
}

fn yes() -> bool {
    true
}

impl MenuItem {
    /// The size with this id.
    pub fn size(&self, id: &str) -> Option<&MenuSize> {
        self.sizes.iter().find(|s| s.id.0 == id)
    }

    fn size_ids(&self) -> String {
        join_ids(self.sizes.iter().map(|s| s.id.0.as_str()))
    }
}

/// A whole, valid menu.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Menu {
    items: Vec<MenuItem>,
}

/// Why a menu was refused: every problem, each with the field it is in.
pub type MenuError = ValidationErrors;

/// Limits that keep a menu something a phone call can read out.
const MAX_ITEMS: usize = 200;
const MAX_SIZES: usize = 10;
const MAX_PRICE: Money = Money::from_rupees(100_000);

/// The default menu shipped with the app.
const DEFAULT_MENU_JSON: &str = include_str!("../data/default-menu.json");

#[derive(Deserialize)]
struct MenuWire {
    items: Vec<MenuItem>,
}

impl Menu {
    /// Checks and normalises a list of items (trims names, drops blank Urdu names).
    pub fn new(items: Vec<MenuItem>) -> Result<Menu, MenuError> {
        let mut errors = Vec::new();
        let mut items = items;
        if items.is_empty() {
            errors.push(FieldError::new("items", "the menu needs at least one item"));
        }
        if items.len() > MAX_ITEMS {
            errors.push(FieldError::new(
                "items",
                format!("a menu holds at most {MAX_ITEMS} items"),
            ));
        }
        let mut seen_items = std::collections::HashSet::new();
        for (i, item) in items.iter_mut().enumerate() {
            let at = |f: &str| format!("items[{i}].{f}");
            item.name = item.name.trim().to_string();
            item.name_ur = item
                .name_ur
                .take()
                .map(|n| n.trim().to_string())
                .filter(|n| !n.is_empty());
            if let Err(why) = check_id(&item.id.0) {
                errors.push(FieldError::new(at("id"), why));
            } else if !seen_items.insert(item.id.0.clone()) {
                errors.push(FieldError::new(
                    at("id"),
                    format!("`{}` appears twice; ids must be unique", item.id),
                ));
            }
            check_text(&mut errors, at("name"), &item.name, 80, true);
            if let Some(ur) = &item.name_ur {
                check_text(&mut errors, at("name_ur"), ur, 80, false);
            }
            if item.sizes.is_empty() || item.sizes.len() > MAX_SIZES {
                errors.push(FieldError::new(
                    at("sizes"),
                    format!("an item has 1 to {MAX_SIZES} sizes"),
                ));
            }
            let mut seen_sizes = std::collections::HashSet::new();
            for (j, size) in item.sizes.iter_mut().enumerate() {
                let at = |f: &str| format!("items[{i}].sizes[{j}].{f}");
                size.label = size.label.trim().to_string();
                if let Err(why) = check_id(&size.id.0) {
                    errors.push(FieldError::new(at("id"), why));
                } else if !seen_sizes.insert(size.id.0.clone()) {
                    errors.push(FieldError::new(
                        at("id"),
                        format!("size `{}` appears twice in this item", size.id),
                    ));
                }
                check_text(&mut errors, at("label"), &size.label, 40, true);
                if size.price <= Money::ZERO || size.price > MAX_PRICE {
                    errors.push(FieldError::new(
                        at("price"),
                        format!(
                            "price is in paisa and must be between 1 and {} ({MAX_PRICE})",
                            MAX_PRICE.paisa()
                        ),
                    ));
                }
            }
        }
        if errors.is_empty() {
            Ok(Menu { items })
        } else {
            Err(ValidationErrors(errors))
        }
    }

    /// Parses and checks a menu in the API's JSON shape `{"items":[…]}`.
    pub fn from_json(json: &str) -> Result<Menu, MenuError> {
        let wire: MenuWire = serde_json::from_str(json)
            .map_err(|e| ValidationErrors(vec![FieldError::new("menu", e.to_string())]))?;
        Menu::new(wire.items)
    }

    /// The menu a new shop starts with: a realistic Pakistani pizza menu in PKR.
    pub fn default_menu() -> Menu {
        match Menu::from_json(DEFAULT_MENU_JSON) {
            Ok(menu) => menu,
            // The file is part of the source tree and tested below; reaching this is a build bug.
            Err(e) => unreachable!("the bundled default menu is invalid: {e}"),
        }
    }

    /// All items, in menu order.
    pub fn items(&self) -> &[MenuItem] {
        &self.items
    }

    /// The item with this id.
    pub fn item(&self, id: &str) -> Option<&MenuItem> {
        self.items.iter().find(|i| i.id.0 == id)
    }

    /// Items a caller can order now.
    pub fn available_items(&self) -> impl Iterator<Item = &MenuItem> {
        self.items.iter().filter(|i| i.available)
    }

    /// Finds an orderable item and size, or says in words what is wrong and what is allowed.
    pub fn line(
        &self,
        item_id: &str,
        size_id: &str,
    ) -> Result<(&MenuItem, &MenuSize), LineProblem> {
        let Some(item) = self.item(item_id) else {
            return Err(LineProblem::UnknownItem {
                given: clip(item_id),
                allowed: join_ids(self.available_items().map(|i| i.id.0.as_str())),
            });
        };
        if !item.available {
            return Err(LineProblem::SoldOut {
                name: item.name.clone(),
                id: item.id.0.clone(),
            });
        }
        let Some(size) = item.size(size_id) else {
            return Err(LineProblem::UnknownSize {
                given: clip(size_id),
                item: item.name.clone(),
                allowed: item.size_ids(),
            });
        };
        Ok((item, size))
    }
}

/// Why an order line cannot be priced.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LineProblem {
    /// No such item.
    #[error("`{given}` is not on the menu; items are {allowed}")]
    UnknownItem {
        /// The id given.
        given: String,
        /// Orderable item ids.
        allowed: String,
    },
    /// The item is sold out.
    #[error("{name} (`{id}`) is sold out right now")]
    SoldOut {
        /// The item's name.
        name: String,
        /// The item's id.
        id: String,
    },
    /// No such size for this item.
    #[error("size `{given}` is not on the menu for {item}; sizes are {allowed}")]
    UnknownSize {
        /// The size id given.
        given: String,
        /// The item's name.
        item: String,
        /// The item's size ids.
        allowed: String,
    },
}

impl LineProblem {
    /// Which field of the line is wrong: `item_id` or `size_id`.
    pub fn field(&self) -> &'static str {
        match self {
            LineProblem::UnknownItem { .. } | LineProblem::SoldOut { .. } => "item_id",
            LineProblem::UnknownSize { .. } => "size_id",
        }
    }
}

fn join_ids<'a>(ids: impl Iterator<Item = &'a str>) -> String {
    ids.collect::<Vec<_>>().join(", ")
}

fn clip(s: &str) -> String {
    s.chars().take(40).collect()
}

fn check_id(id: &str) -> Result<(), String> {
    let ok_chars = id
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.');
    if id.is_empty() || id.len() > 40 || !ok_chars {
        Err(format!(
            "`{}` is not a valid id: use 1 to 40 lowercase letters, digits, `-` or `.` (like `chicken-tikka`)",
            clip(id)
        ))
    } else {
        Ok(())
    }
}

fn check_text(errors: &mut Vec<FieldError>, field: String, text: &str, max: usize, required: bool) {
    let n = text.chars().count();
    if required && n == 0 {
        errors.push(FieldError::new(field, "must not be empty"));
    } else if n > max {
        errors.push(FieldError::new(
            field,
            format!("is {n} characters; keep it to {max}"),
        ));
    } else if text.chars().any(char::is_control) {
        errors.push(FieldError::new(
            field,
            "must not contain control characters",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: &str, sizes: &[(&str, i64)]) -> MenuItem {
        MenuItem {
            id: ItemId(id.into()),
            name: id.to_uppercase(),
            name_ur: None,
            kind: ItemKind::Pizza,
            available: true,
            sizes: sizes
                .iter()
                .map(|(s, p)| MenuSize {
                    id: SizeId((*s).into()),
                    label: s.to_string(),
                    price: Money::from_paisa(*p),
                })
                .collect(),
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
    fn line_lookup_names_allowed_values_when_wrong() {
        let menu = Menu::default_menu();
        let (it, size) = menu.line("chicken-tikka", "large").unwrap();
        assert_eq!(
            (it.name.as_str(), size.label.as_str()),
            ("Chicken Tikka", "Large 13\"")
        );

        let e = menu.line("chicken-tika", "large").unwrap_err();
        assert_eq!(e.field(), "item_id");
        assert!(
            e.to_string()
                .starts_with("`chicken-tika` is not on the menu; items are chicken-tikka, "),
            "{e}"
        );

        let e = menu.line("chicken-tikka", "huge").unwrap_err();
        assert_eq!(e.field(), "size_id");
        assert_eq!(
            e.to_string(),
            "size `huge` is not on the menu for Chicken Tikka; sizes are small, medium, large, family"
        );
    }

    #[test]
    fn sold_out_items_cannot_be_ordered_and_are_not_offered() {
        let mut items = Menu::default_menu().items().to_vec();
        items
            .iter_mut()
            .find(|i| i.id.0 == "malai-boti")
            .unwrap()
            .available = false;
        let menu = Menu::new(items).unwrap();
        let e = menu.line("malai-boti", "large").unwrap_err();
        assert_eq!(
            e.to_string(),
            "Malai Boti (`malai-boti`) is sold out right now"
        );
        let e = menu.line("nope", "large").unwrap_err();
        assert!(!e.to_string().contains("malai-boti"));
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
}
