//! One sold-out switch (`PUT /api/menu/availability`): an item, one size of an item, an
//! option of a group, or a deal marked available or sold out, without sending the whole
//! menu.

use super::{Menu, clip, join_ids};
use crate::validation::{FieldError, ValidationErrors};
use serde_json::Value;

/// What one switch turns on or off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AvailabilityTarget {
    /// A whole item, every size.
    Item {
        /// The item's id.
        item_id: String,
    },
    /// One size of an item (its other sizes still sell).
    Size {
        /// The item's id.
        item_id: String,
        /// The size's id within the item.
        size_id: String,
    },
    /// One option of an option group (a crust, an extra).
    Option {
        /// The group's id.
        group: String,
        /// The option's id within the group.
        option: String,
    },
    /// A deal.
    Deal {
        /// The deal's id.
        deal_id: String,
    },
}

/// One switch: what, and whether it sells (`false`: sold out).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AvailabilityChange {
    /// What is switched.
    pub target: AvailabilityTarget,
    /// True: it sells again; false: sold out.
    pub available: bool,
}

const SHAPES: &str = r#"send one of {"item_id", "available"}, {"item_id", "size_id", "available"}, {"group", "option", "available"} or {"deal_id", "available"}, with "available" true or false"#;

const FIELDS: [&str; 6] = [
    "item_id",
    "size_id",
    "group",
    "option",
    "deal_id",
    "available",
];

impl AvailabilityChange {
    /// Reads a request body into one of the four shapes, reporting every problem (a
    /// missing or mistyped field, a field no shape has, a mix of shapes) at once.
    pub fn from_json(body: &Value) -> Result<AvailabilityChange, ValidationErrors> {
        let Some(obj) = body.as_object() else {
            return Err(ValidationErrors(vec![FieldError::new(
                "body",
                format!("the body is not a JSON object; {SHAPES}"),
            )]));
        };
        let mut errors = Vec::new();
        for key in obj.keys().filter(|k| !FIELDS.contains(&k.as_str())) {
            errors.push(FieldError::new(
                clip(key),
                format!("`{}` is not a field of this request; {SHAPES}", clip(key)),
            ));
        }
        let text = |errors: &mut Vec<FieldError>, name: &'static str| -> Option<String> {
            match obj.get(name) {
                None | Some(Value::Null) => None,
                Some(Value::String(s)) => Some(s.trim().to_string()),
                Some(_) => {
                    errors.push(FieldError::new(
                        name,
                        format!("`{name}` must be a text id, such as \"large\""),
                    ));
                    None
                }
            }
        };
        let item_id = text(&mut errors, "item_id");
        let size_id = text(&mut errors, "size_id");
        let group = text(&mut errors, "group");
        let option = text(&mut errors, "option");
        let deal_id = text(&mut errors, "deal_id");
        let available = match obj.get("available") {
            Some(Value::Bool(b)) => Some(*b),
            None | Some(Value::Null) => {
                errors.push(FieldError::coded(
                    "available",
                    "required",
                    "`available` is missing: false marks it sold out, true sells it again",
                ));
                None
            }
            Some(_) => {
                errors.push(FieldError::new(
                    "available",
                    "`available` must be true or false (false: sold out)",
                ));
                None
            }
        };
        let target = match (item_id, size_id, group, option, deal_id) {
            (Some(item_id), None, None, None, None) => Some(AvailabilityTarget::Item { item_id }),
            (Some(item_id), Some(size_id), None, None, None) => {
                Some(AvailabilityTarget::Size { item_id, size_id })
            }
            (None, None, Some(group), Some(option), None) => {
                Some(AvailabilityTarget::Option { group, option })
            }
            (None, None, None, None, Some(deal_id)) => Some(AvailabilityTarget::Deal { deal_id }),
            (None, None, Some(_), None, None) => {
                errors.push(FieldError::coded(
                    "option",
                    "required",
                    "`option` is missing: name the option of the group to switch",
                ));
                None
            }
            (None, None, None, Some(_), None) => {
                errors.push(FieldError::coded(
                    "group",
                    "required",
                    "`group` is missing: name the option group the option is in",
                ));
                None
            }
            (None, Some(_), None, None, None) => {
                errors.push(FieldError::coded(
                    "item_id",
                    "required",
                    "`item_id` is missing: name the item whose size to switch",
                ));
                None
            }
            _ => {
                if errors.is_empty() {
                    errors.push(FieldError::new(
                        "body",
                        format!("the body does not name exactly one thing to switch; {SHAPES}"),
                    ));
                }
                None
            }
        };
        match (target, available) {
            (Some(target), Some(available)) if errors.is_empty() => {
                Ok(AvailabilityChange { target, available })
            }
            _ => Err(ValidationErrors(errors)),
        }
    }
}

impl Menu {
    /// This menu with one thing switched on or off, checked again as a whole. An id that is
    /// not on the menu is reported with the ids that are (sold-out ones included, so a
    /// thing can be sold again).
    pub fn with_availability(&self, change: &AvailabilityChange) -> Result<Menu, ValidationErrors> {
        let mut parts = self.to_parts();
        let on = change.available;
        match &change.target {
            AvailabilityTarget::Item { item_id } => {
                let allowed = join_ids(parts.items.iter().map(|i| i.id.0.as_str()));
                let item = parts.items.iter_mut().find(|i| i.id.0 == *item_id);
                let item = item
                    .ok_or_else(|| unknown("item_id", "unknown_item", item_id, "items", allowed))?;
                item.available = on;
            }
            AvailabilityTarget::Size { item_id, size_id } => {
                let allowed = join_ids(parts.items.iter().map(|i| i.id.0.as_str()));
                let item = parts.items.iter_mut().find(|i| i.id.0 == *item_id);
                let item = item
                    .ok_or_else(|| unknown("item_id", "unknown_item", item_id, "items", allowed))?;
                let allowed = join_ids(item.sizes.iter().map(|s| s.id.0.as_str()));
                let what = format!("{}'s sizes", item.id.0);
                let size = item.sizes.iter_mut().find(|s| s.id.0 == *size_id);
                let size = size
                    .ok_or_else(|| unknown("size_id", "unknown_size", size_id, &what, allowed))?;
                size.available = on;
            }
            AvailabilityTarget::Option { group, option } => {
                let allowed = join_ids(parts.option_groups.iter().map(|g| g.id.as_str()));
                let g = parts.option_groups.iter_mut().find(|g| g.id == *group);
                let g = g.ok_or_else(|| {
                    unknown(
                        "group",
                        "unknown_option_group",
                        group,
                        "option groups",
                        allowed,
                    )
                })?;
                let allowed = join_ids(g.options.iter().map(|o| o.id.as_str()));
                let what = format!("{}'s options", g.id);
                let o = g.options.iter_mut().find(|o| o.id == *option);
                let o =
                    o.ok_or_else(|| unknown("option", "unknown_option", option, &what, allowed))?;
                o.available = on;
            }
            AvailabilityTarget::Deal { deal_id } => {
                let allowed = join_ids(parts.deals.iter().map(|d| d.id.as_str()));
                let d = parts.deals.iter_mut().find(|d| d.id == *deal_id);
                let d =
                    d.ok_or_else(|| unknown("deal_id", "unknown_deal", deal_id, "deals", allowed))?;
                d.available = on;
            }
        }
        Menu::from_parts(parts)
    }
}

fn unknown(
    field: &'static str,
    code: &'static str,
    given: &str,
    what: &str,
    allowed: String,
) -> ValidationErrors {
    let allowed_text = if allowed.is_empty() {
        "there are none".to_string()
    } else {
        format!("{what} are {allowed}")
    };
    ValidationErrors(vec![
        FieldError::coded(
            field,
            code,
            format!("`{}` is not on the menu; {allowed_text}", clip(given)),
        )
        .with("given", clip(given))
        .with("allowed", allowed),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn change(v: Value) -> Result<AvailabilityChange, ValidationErrors> {
        AvailabilityChange::from_json(&v)
    }

    #[test]
    fn each_of_the_four_shapes_is_read() {
        assert_eq!(
            change(json!({"item_id": "coca-cola", "available": false})).unwrap(),
            AvailabilityChange {
                target: AvailabilityTarget::Item {
                    item_id: "coca-cola".into()
                },
                available: false
            }
        );
        assert!(matches!(
            change(json!({"item_id": "a", "size_id": "large", "available": true}))
                .unwrap()
                .target,
            AvailabilityTarget::Size { .. }
        ));
        assert!(matches!(
            change(json!({"group": "crust", "option": "stuffed", "available": false}))
                .unwrap()
                .target,
            AvailabilityTarget::Option { .. }
        ));
        assert!(matches!(
            change(json!({"deal_id": "deal-3", "available": false}))
                .unwrap()
                .target,
            AvailabilityTarget::Deal { .. }
        ));
    }

    #[test]
    fn wrong_bodies_name_their_field_and_the_shapes() {
        let e = change(json!({"item_id": "a"})).unwrap_err();
        assert_eq!(
            (e.0[0].field.as_str(), e.0[0].code),
            ("available", "required")
        );
        let e = change(json!({"item_id": "a", "deal_id": "d", "available": false})).unwrap_err();
        assert_eq!(e.0[0].field, "body");
        assert!(e.0[0].message.contains("deal_id"), "{}", e.0[0].message);
        let e = change(json!({"group": "crust", "available": false})).unwrap_err();
        assert_eq!((e.0[0].field.as_str(), e.0[0].code), ("option", "required"));
        let e = change(json!({"item": "a", "available": "no"})).unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["item", "available"]);
        let e = change(json!([1])).unwrap_err();
        assert_eq!(e.0[0].field, "body");
        assert!(change(json!({"item_id": 7, "available": false})).is_err());
    }

    #[test]
    fn a_switch_changes_only_its_target_and_unknown_ids_list_the_known_ones() {
        let menu = Menu::default_menu();
        let item = menu.items()[0].clone();
        let size = item.sizes[0].id.0.clone();
        let off = menu
            .with_availability(&AvailabilityChange {
                target: AvailabilityTarget::Size {
                    item_id: item.id.0.clone(),
                    size_id: size.clone(),
                },
                available: false,
            })
            .unwrap();
        let changed = off.item(&item.id.0).unwrap();
        assert!(changed.available, "the item still sells");
        assert!(!changed.size(&size).unwrap().available);
        let mut back = off.to_parts();
        back.items[0].sizes[0].available = true;
        assert_eq!(Menu::from_parts(back).unwrap(), menu);

        let e = menu
            .with_availability(&AvailabilityChange {
                target: AvailabilityTarget::Size {
                    item_id: item.id.0.clone(),
                    size_id: "galactic".into(),
                },
                available: false,
            })
            .unwrap_err();
        assert_eq!(
            (e.0[0].field.as_str(), e.0[0].code),
            ("size_id", "unknown_size")
        );
        assert_eq!(
            e.0[0].params["allowed"],
            join_ids(item.sizes.iter().map(|s| s.id.0.as_str()))
        );
        let e = menu
            .with_availability(&AvailabilityChange {
                target: AvailabilityTarget::Deal {
                    deal_id: "deal-99".into(),
                },
                available: false,
            })
            .unwrap_err();
        assert_eq!(e.0[0].code, "unknown_deal");
        assert!(e.0[0].message.contains("deal-99"), "{}", e.0[0].message);
    }
}
