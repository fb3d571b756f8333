//! Pricing: a request checked against the menu and the shop's rules, every problem found
//! at once with its field path and code, or a priced order with its bill.

use super::line::{ChosenOption, DealContents, DealPart, Fulfilment, Half, OrderLine, Payment};
use super::request::{DealChoice, FulfilmentRequest, HalfRequest, LineRequest, OptionChoice};
use super::{MAX_LINES, NewOrder, OrderRequest};
use crate::bill::{Bill, BillLine, TaxRule};
use crate::hours;
use crate::menu::{Deal, ItemKind, Menu, MenuItem, MenuSize, clip, join_ids};
use crate::money::Money;
use crate::phone::PhoneNumber;
use crate::quantity::Quantity;
use crate::settings::ShopSettings;
use crate::shop::PaymentMethod;
use crate::validation::{FieldError, ValidationErrors};
use chrono::NaiveDateTime;

/// What pricing reads besides the request: the menu, the shop's settings (zones, pickup,
/// tax, payment methods, ETAs) and the shop's local time (deal hours).
#[derive(Debug, Clone, Copy)]
pub struct PriceContext<'a> {
    /// The live menu.
    pub menu: &'a Menu,
    /// The settings in effect.
    pub settings: &'a ShopSettings,
    /// Now, in the shop's local time.
    pub now: NaiveDateTime,
}

/// A line's menu price before quantity, and its à-la-carte value.
struct Priced {
    line: OrderLine,
    bill: BillLine,
    /// The line's contents at menu prices, × quantity.
    list_value: Money,
}

struct Pricer<'a> {
    cx: PriceContext<'a>,
    errors: Vec<FieldError>,
}

const MAX_NOTE: usize = 200;
const MAX_PAYS_WITH: Money = Money::from_rupees(1_000_000);

impl NewOrder {
    /// Checks a request against the menu and the shop's rules and prices it. Reports every
    /// problem at once, each naming its field, a stable code and what is allowed.
    pub fn price(req: &OrderRequest, cx: PriceContext<'_>) -> Result<NewOrder, ValidationErrors> {
        let mut p = Pricer {
            cx,
            errors: Vec::new(),
        };
        if req.items.is_empty() {
            p.errors.push(FieldError::coded(
                "items",
                "required",
                "an order needs at least one item",
            ));
        }
        if req.items.len() > MAX_LINES {
            p.errors.push(
                FieldError::coded(
                    "items",
                    "too_long",
                    format!(
                        "an order holds at most {MAX_LINES} lines; this one has {}",
                        req.items.len()
                    ),
                )
                .with("max", MAX_LINES),
            );
        }
        let mut priced = Vec::with_capacity(req.items.len());
        for (i, line) in req.items.iter().enumerate() {
            if let Some(l) = p.line(i, line) {
                priced.push(l);
            }
        }
        let lines_ok = p.errors.is_empty();
        let fulfilment = p.fulfilment(req);
        let method = req
            .payment
            .as_ref()
            .map_or(PaymentMethod::Cash, |pay| pay.method);
        if !cx.settings.payment_methods.contains(&method) {
            let allowed = join_ids(cx.settings.payment_methods.iter().map(|m| m.as_str()));
            p.errors.push(
                FieldError::coded(
                    "payment.method",
                    "payment_method_not_accepted",
                    format!(
                        "the shop does not take {} payments; it takes {allowed}",
                        method.as_str()
                    ),
                )
                .with("allowed", allowed),
            );
        }
        let pays_with = req
            .payment
            .as_ref()
            .and_then(|pay| pay.pays_with)
            .and_then(|n| {
                let m = Money::from_paisa(n);
                if m <= Money::ZERO || m > MAX_PAYS_WITH {
                    p.errors.push(
                        FieldError::coded(
                            "payment.pays_with",
                            "out_of_range",
                            format!("pays_with is in paisa, 1 to {}", MAX_PAYS_WITH.paisa()),
                        )
                        .with("min", 1)
                        .with("max", MAX_PAYS_WITH.paisa()),
                    );
                    None
                } else {
                    Some(m)
                }
            });
        let customer_name = p.text("customer_name", req.customer_name.as_deref(), 100);
        let note = p.text("note", req.note.as_deref(), 500);
        let customer_phone = match req.customer_phone.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(ph) => match PhoneNumber::parse(ph) {
                Ok(n) => Some(n),
                Err(e) => {
                    p.errors.push(FieldError::coded(
                        "customer_phone",
                        "phone_invalid",
                        e.to_string(),
                    ));
                    None
                }
            },
        };

        let lines: Vec<OrderLine> = priced.iter().map(|l| l.line.clone()).collect();
        let bill_lines: Vec<BillLine> = priced.iter().map(|l| l.bill.clone()).collect();
        let list_value: Money = priced.iter().map(|l| l.list_value).sum();
        let food_total: Money = bill_lines.iter().map(|l| l.total).sum();
        let (fulfilment, fee, eta) = match fulfilment {
            Some(Resolved::Delivery { fulfilment, zone }) => {
                let (fee, eta) = match zone {
                    Some(z) => {
                        if lines_ok && food_total < z.min_order {
                            p.errors.push(
                                FieldError::coded(
                                    "items",
                                    "below_minimum_order",
                                    format!(
                                        "the minimum order for delivery to {} is {}; the food comes to {}",
                                        z.name, z.min_order, food_total
                                    ),
                                )
                                .with("minimum", z.min_order.paisa())
                                .with("food_total", food_total.paisa()),
                            );
                        }
                        let free = z.free_above.is_some_and(|f| food_total >= f);
                        (if free { Money::ZERO } else { z.fee }, z.eta_minutes)
                    }
                    None => (Money::ZERO, cx.settings.eta_minutes.get()),
                };
                (Some(fulfilment), fee, eta)
            }
            Some(Resolved::Pickup(minutes)) => (
                Some(Fulfilment::Pickup {
                    pickup_in_minutes: minutes,
                }),
                Money::ZERO,
                minutes.unwrap_or(cx.settings.pickup.eta_minutes),
            ),
            None => (None, Money::ZERO, 0),
        };
        let tax = &cx.settings.tax;
        let bill = Bill::total(
            bill_lines,
            list_value,
            fee,
            TaxRule {
                rate_bp: tax.rate_bp(method),
                included: tax.prices_include_tax,
                on_delivery_fee: tax.on_delivery_fee,
            },
        );
        let change = match pays_with {
            Some(w) if lines_ok && w < bill.total => {
                p.errors.push(
                    FieldError::coded(
                        "payment.pays_with",
                        "pays_with_below_total",
                        format!("pays with {w}, but the total is {}", bill.total),
                    )
                    .with("total", bill.total.paisa()),
                );
                None
            }
            Some(w) => Some(Money::from_paisa(w.paisa() - bill.total.paisa())),
            None => None,
        };
        match fulfilment {
            Some(fulfilment) if p.errors.is_empty() => Ok(NewOrder {
                lines,
                fulfilment,
                payment: Payment {
                    method,
                    pays_with,
                    change,
                },
                customer_name,
                customer_phone,
                note,
                total: bill.total,
                bill,
                eta_minutes: eta,
            }),
            _ => Err(ValidationErrors(p.errors)),
        }
    }
}

enum Resolved<'z> {
    Delivery {
        fulfilment: Fulfilment,
        zone: Option<&'z crate::shop::DeliveryZone>,
    },
    Pickup(Option<u32>),
}

impl<'a> Pricer<'a> {
    fn text(&mut self, field: &str, text: Option<&str>, max: usize) -> Option<String> {
        let t = text.map(str::trim).filter(|t| !t.is_empty())?;
        let n = t.chars().count();
        if n > max {
            self.errors.push(
                FieldError::coded(
                    field,
                    "too_long",
                    format!("is {n} characters; keep it to {max}"),
                )
                .with("max", max),
            );
        } else if t.contains('\0') {
            self.errors
                .push(FieldError::new(field, "must not contain NUL characters"));
        }
        Some(t.to_string())
    }

    fn quantity(&mut self, field: String, n: i64) -> Option<Quantity> {
        match Quantity::new(n) {
            Ok(q) => Some(q),
            Err(e) => {
                self.errors.push(
                    FieldError::coded(field, "out_of_range", e.to_string())
                        .with("min", Quantity::MIN)
                        .with("max", Quantity::MAX),
                );
                None
            }
        }
    }

    fn line(&mut self, i: usize, req: &LineRequest) -> Option<Priced> {
        let at = format!("items[{i}]");
        let quantity = self.quantity(format!("{at}.quantity"), req.quantity);
        let note = self.text(&format!("{at}.note"), req.note.as_deref(), MAX_NOTE);
        match (&req.deal_id, &req.item_id) {
            (Some(deal_id), _) => {
                let q = quantity?;
                self.deal_line(&at, deal_id, &req.choices, q, note)
            }
            (None, Some(item_id)) => {
                let chosen = self.chosen_item(
                    &at,
                    item_id,
                    req.size_id.as_deref(),
                    None,
                    &req.options,
                    req.half.as_ref(),
                );
                let (q, c) = (quantity?, chosen?);
                Some(item_line(c, q, note))
            }
            (None, None) => {
                self.errors.push(FieldError::coded(
                    format!("{at}.item_id"),
                    "required",
                    "each line names an item (item_id and size_id) or a deal (deal_id with choices)",
                ));
                None
            }
        }
    }

    fn unknown_item(&mut self, field: String, given: &str) {
        let allowed = join_ids(self.cx.menu.available_items().map(|i| i.id.0.as_str()));
        self.errors.push(
            FieldError::coded(
                field,
                "unknown_item",
                format!("`{}` is not on the menu; items are {allowed}", clip(given)),
            )
            .with("given", clip(given))
            .with("allowed", allowed),
        );
    }

    fn sold_out(&mut self, field: String, name: &str, what: &str) {
        self.errors.push(
            FieldError::coded(
                field,
                "sold_out",
                format!("{name} {what}is sold out right now"),
            )
            .with("name", name),
        );
    }

    /// Finds an orderable item and size (with `slot_sizes`, the deal slot's allowed
    /// sizes), its options and its other half.
    fn chosen_item(
        &mut self,
        at: &str,
        item_id: &str,
        size_id: Option<&str>,
        slot_sizes: Option<&[String]>,
        options: &[OptionChoice],
        half: Option<&HalfRequest>,
    ) -> Option<Chosen<'a>> {
        let menu = self.cx.menu;
        let Some(item) = menu.item(item_id) else {
            self.unknown_item(format!("{at}.item_id"), item_id);
            return None;
        };
        if !item.available {
            self.sold_out(format!("{at}.item_id"), &item.name, "");
            return None;
        }
        let size_id = match (size_id, slot_sizes) {
            (Some(s), _) => s,
            (None, Some([only])) => only.as_str(),
            (None, None) if item.sizes.len() == 1 => item.sizes[0].id.0.as_str(),
            (None, slot) => {
                let allowed = slot.map_or_else(|| item.size_ids(), |s| s.join(", "));
                self.errors.push(
                    FieldError::coded(
                        format!("{at}.size_id"),
                        "required",
                        format!("say which size of {}: {allowed}", item.name),
                    )
                    .with("allowed", allowed),
                );
                return None;
            }
        };
        let Some(size) = item.size(size_id) else {
            let allowed = item.size_ids();
            self.errors.push(
                FieldError::coded(
                    format!("{at}.size_id"),
                    "unknown_size",
                    format!(
                        "size `{}` is not on the menu for {}; sizes are {allowed}",
                        clip(size_id),
                        item.name
                    ),
                )
                .with("given", clip(size_id))
                .with("allowed", allowed),
            );
            return None;
        };
        if !size.available {
            self.sold_out(
                format!("{at}.size_id"),
                &format!("{} {}", item.name, size.label),
                "",
            );
            return None;
        }
        let options = self.options(at, item, size, options)?;
        let half = match half {
            None => None,
            Some(h) => Some(self.half(at, item, size, &h.item_id)?),
        };
        Some(Chosen {
            item,
            size,
            options,
            half,
        })
    }

    fn options(
        &mut self,
        at: &str,
        item: &MenuItem,
        size: &MenuSize,
        chosen: &[OptionChoice],
    ) -> Option<Vec<ChosenOption>> {
        let menu = self.cx.menu;
        let before = self.errors.len();
        let mut out: Vec<ChosenOption> = Vec::with_capacity(chosen.len());
        for (k, c) in chosen.iter().enumerate() {
            let field = format!("{at}.options[{k}]");
            let offered_groups = item.option_groups.join(", ");
            let Some(group) = menu
                .group(&c.group)
                .filter(|g| item.option_groups.contains(&g.id))
            else {
                let code = if menu.group(&c.group).is_some() {
                    "option_not_offered"
                } else {
                    "unknown_option_group"
                };
                let allowed = if offered_groups.is_empty() {
                    "none".to_string()
                } else {
                    offered_groups
                };
                self.errors.push(
                    FieldError::coded(
                        format!("{field}.group"),
                        code,
                        format!(
                            "{} has no `{}` options; its option groups are {allowed}",
                            item.name,
                            clip(&c.group)
                        ),
                    )
                    .with("given", clip(&c.group))
                    .with("option", clip(&c.group))
                    .with("allowed", allowed),
                );
                continue;
            };
            let Some(option) = group.option(&c.option) else {
                let allowed = group.option_ids();
                self.errors.push(
                    FieldError::coded(
                        format!("{field}.option"),
                        "unknown_option",
                        format!(
                            "`{}` is not a {} option; options are {allowed}",
                            clip(&c.option),
                            group.name
                        ),
                    )
                    .with("given", clip(&c.option))
                    .with("allowed", allowed),
                );
                continue;
            };
            if !option.available {
                self.sold_out(format!("{field}.option"), &option.name, "");
                continue;
            }
            let Some(price) = option.price_for(&size.id.0) else {
                let allowed = option.offered_sizes();
                self.errors.push(
                    FieldError::coded(
                        format!("{field}.option"),
                        "option_not_offered",
                        format!(
                            "{} is not offered on a {} {}; it comes in {allowed}",
                            option.name, size.label, item.name
                        ),
                    )
                    .with("option", &option.name)
                    .with("allowed", allowed),
                );
                continue;
            };
            if out
                .iter()
                .any(|o| o.group == group.id && o.option == option.id)
            {
                self.errors.push(FieldError::new(
                    format!("{field}.option"),
                    format!("{} is chosen twice", option.name),
                ));
                continue;
            }
            out.push(ChosenOption {
                group: group.id.clone(),
                group_name: group.name.clone(),
                group_name_ur: group.name_ur.clone(),
                option: option.id.clone(),
                name: option.name.clone(),
                name_ur: option.name_ur.clone(),
                price,
            });
        }
        for gid in &item.option_groups {
            let Some(group) = menu.group(gid) else {
                continue;
            };
            let n = out.iter().filter(|o| &o.group == gid).count();
            let (min, max) = (usize::from(group.min), usize::from(group.max));
            if n < min || n > max {
                let code = if n < min {
                    "too_few_options"
                } else {
                    "too_many_options"
                };
                self.errors.push(
                    FieldError::coded(
                        format!("{at}.options"),
                        code,
                        format!(
                            "choose {min} to {max} from {} for {}; {n} chosen",
                            group.name, item.name
                        ),
                    )
                    .with("group", &group.name)
                    .with("min", min)
                    .with("max", max),
                );
            }
        }
        (self.errors.len() == before).then_some(out)
    }

    fn half(
        &mut self,
        at: &str,
        item: &MenuItem,
        size: &MenuSize,
        other_id: &str,
    ) -> Option<(Half, Money)> {
        let field = format!("{at}.half.item_id");
        if !item.halves_in(&size.id.0) {
            let allowed = item.half_size_ids();
            let message = if allowed.is_empty() {
                format!("{} cannot be half-and-half", item.name)
            } else {
                format!(
                    "{} is half-and-half only in {allowed}, not {}",
                    item.name, size.label
                )
            };
            self.errors.push(
                FieldError::coded(field, "half_not_allowed", message).with("allowed", allowed),
            );
            return None;
        }
        let menu = self.cx.menu;
        let Some(other) = menu.item(other_id) else {
            self.unknown_item(field, other_id);
            return None;
        };
        if !other.available {
            self.sold_out(field, &other.name, "");
            return None;
        }
        let other_size = other
            .size(&size.id.0)
            .filter(|_| other.halves_in(&size.id.0));
        let Some(other_size) = other_size else {
            let allowed = join_ids(
                menu.available_items()
                    .filter(|i| i.id != item.id && i.halves_in(&size.id.0))
                    .map(|i| i.id.0.as_str()),
            );
            self.errors.push(
                FieldError::coded(
                    field,
                    "half_not_allowed",
                    format!(
                        "{} cannot be a half in {}; halves in that size are {allowed}",
                        other.name, size.label
                    ),
                )
                .with("allowed", allowed),
            );
            return None;
        };
        if !other_size.available {
            self.sold_out(field, &format!("{} {}", other.name, other_size.label), "");
            return None;
        }
        Some((
            Half {
                item_id: other.id.0.clone(),
                name: other.name.clone(),
                name_ur: other.name_ur.clone(),
            },
            other_size.price,
        ))
    }

    fn deal_line(
        &mut self,
        at: &str,
        deal_id: &str,
        choices: &[DealChoice],
        q: Quantity,
        note: Option<String>,
    ) -> Option<Priced> {
        let menu = self.cx.menu;
        let Some(deal) = menu.deal(deal_id) else {
            let allowed = join_ids(menu.available_deals().map(|d| d.id.as_str()));
            self.errors.push(
                FieldError::coded(
                    format!("{at}.deal_id"),
                    "unknown_deal",
                    format!(
                        "`{}` is not a deal here; deals are {allowed}",
                        clip(deal_id)
                    ),
                )
                .with("given", clip(deal_id))
                .with("allowed", allowed),
            );
            return None;
        };
        if !deal.available {
            self.sold_out(format!("{at}.deal_id"), &deal.name, "");
            return None;
        }
        if !hours::within(&deal.hours, self.cx.now) {
            let window = deal.hours_text();
            self.errors.push(
                FieldError::coded(
                    format!("{at}.deal_id"),
                    "deal_not_available_now",
                    format!("{} is only available {window} (shop time)", deal.name),
                )
                .with("deal", &deal.name)
                .with("window", window),
            );
            return None;
        }
        let before = self.errors.len();
        for slot in &deal.slots {
            let given = choices.iter().filter(|c| c.slot == slot.id).count();
            if given != usize::from(slot.count) {
                self.errors.push(
                    FieldError::coded(
                        format!("{at}.choices"),
                        "slot_wrong_count",
                        format!(
                            "{} of {} takes exactly {} choice(s); {given} given",
                            slot.label, deal.name, slot.count
                        ),
                    )
                    .with("slot", &slot.label)
                    .with("count", slot.count)
                    .with("given", given),
                );
            }
        }
        let mut parts = Vec::with_capacity(choices.len());
        let mut list_unit = Money::ZERO;
        let mut extras = Money::ZERO;
        for (j, c) in choices.iter().enumerate() {
            let cat = format!("{at}.choices[{j}]");
            if let Some((part, list, extra)) = self.deal_part(&cat, deal, c) {
                list_unit = Money::from_paisa(list_unit.paisa() + list.paisa());
                extras = Money::from_paisa(extras.paisa() + extra.paisa());
                parts.push(part);
            }
        }
        if self.errors.len() != before {
            return None;
        }
        let unit = Money::from_paisa(deal.price.paisa() + extras.paisa());
        let n = i64::from(q.get());
        let total = Money::from_paisa(unit.paisa() * n);
        let list_value = Money::from_paisa(list_unit.paisa().max(unit.paisa()) * n);
        let describe = |ur: bool| {
            let name = if ur {
                deal.name_ur.as_deref().unwrap_or(&deal.name)
            } else {
                &deal.name
            };
            let contents: Vec<String> = parts.iter().map(|p| part_text(p, ur)).collect();
            format!("{name}: {}", contents.join(" + "))
        };
        let bill = BillLine {
            description: describe(false),
            description_ur: describe(true),
            quantity: q.get(),
            unit_price: unit,
            total,
        };
        Some(Priced {
            line: OrderLine {
                item_id: deal.id.clone(),
                name: deal.name.clone(),
                name_ur: deal.name_ur.clone(),
                kind: ItemKind::Deal,
                size_id: String::new(),
                size_label: String::new(),
                size_label_ur: None,
                quantity: q,
                unit_price: unit,
                line_total: total,
                options: Vec::new(),
                half: None,
                note,
                deal: Some(DealContents {
                    deal_id: deal.id.clone(),
                    parts,
                }),
            },
            bill,
            list_value,
        })
    }

    /// One choice in a deal: the part, its à-la-carte value and what it adds to the deal's
    /// price (surcharge and options).
    fn deal_part(
        &mut self,
        at: &str,
        deal: &'a Deal,
        c: &DealChoice,
    ) -> Option<(DealPart, Money, Money)> {
        let Some(slot) = deal.slot(&c.slot) else {
            let allowed = join_ids(deal.slots.iter().map(|s| s.id.as_str()));
            self.errors.push(
                FieldError::coded(
                    format!("{at}.slot"),
                    "unknown_slot",
                    format!(
                        "{} has no slot `{}`; its slots are {allowed}",
                        deal.name,
                        clip(&c.slot)
                    ),
                )
                .with("given", clip(&c.slot))
                .with("allowed", allowed),
            );
            return None;
        };
        let menu = self.cx.menu;
        let allowed_items = || {
            join_ids(
                menu.available_items()
                    .filter(|i| slot.allows(i))
                    .map(|i| i.id.0.as_str()),
            )
        };
        let item = menu.item(&c.item_id);
        if let Some(item) = item.filter(|i| !slot.allows(i)) {
            let allowed = allowed_items();
            self.errors.push(
                FieldError::coded(
                    format!("{at}.item_id"),
                    "slot_item_not_allowed",
                    format!(
                        "{} cannot fill {} of {}; choose from {allowed}",
                        item.name, slot.label, deal.name
                    ),
                )
                .with("slot", &slot.label)
                .with("allowed", allowed),
            );
            return None;
        }
        if let Some(size) = c
            .size_id
            .as_deref()
            .filter(|s| !slot.sizes.iter().any(|a| a == s))
        {
            let allowed = slot.sizes.join(", ");
            self.errors.push(
                FieldError::coded(
                    format!("{at}.size_id"),
                    "slot_size_not_allowed",
                    format!(
                        "{} of {} comes in {allowed}, not `{}`",
                        slot.label,
                        deal.name,
                        clip(size)
                    ),
                )
                .with("slot", &slot.label)
                .with("allowed", allowed),
            );
            return None;
        }
        if let Some(h) = &c.half
            && let Some(other) = menu.item(&h.item_id).filter(|o| !slot.allows(o))
        {
            let allowed = allowed_items();
            self.errors.push(
                FieldError::coded(
                    format!("{at}.half.item_id"),
                    "slot_item_not_allowed",
                    format!(
                        "{} cannot fill {} of {}; choose from {allowed}",
                        other.name, slot.label, deal.name
                    ),
                )
                .with("slot", &slot.label)
                .with("allowed", allowed),
            );
            return None;
        }
        let chosen = self.chosen_item(
            at,
            &c.item_id,
            c.size_id.as_deref(),
            Some(&slot.sizes),
            &c.options,
            c.half.as_ref(),
        )?;
        let options_price: Money = chosen.options.iter().map(|o| o.price).sum();
        let mut surcharge = slot.surcharge(&chosen.item.id.0);
        let mut size_price = chosen.size.price;
        let half = chosen.half.map(|(h, price)| {
            surcharge = surcharge.max(slot.surcharge(&h.item_id));
            size_price = size_price.max(price);
            h
        });
        let list = Money::from_paisa(size_price.paisa() + options_price.paisa());
        let extra = Money::from_paisa(surcharge.paisa() + options_price.paisa());
        Some((
            DealPart {
                slot: slot.id.clone(),
                slot_label: slot.label.clone(),
                slot_label_ur: slot.label_ur.clone(),
                item_id: chosen.item.id.0.clone(),
                name: chosen.item.name.clone(),
                name_ur: chosen.item.name_ur.clone(),
                kind: chosen.item.kind,
                size_id: chosen.size.id.0.clone(),
                size_label: chosen.size.label.clone(),
                size_label_ur: chosen.size.label_ur.clone(),
                options: chosen.options,
                half,
                surcharge,
            },
            list,
            extra,
        ))
    }

    fn fulfilment(&mut self, req: &OrderRequest) -> Option<Resolved<'a>> {
        let settings = self.cx.settings;
        let (address, landmark, zone_id, prefix) = match &req.fulfilment {
            Some(FulfilmentRequest::Pickup { pickup_in_minutes }) => {
                if !settings.pickup.enabled {
                    self.errors.push(FieldError::coded(
                        "fulfilment.type",
                        "pickup_not_offered",
                        "the shop does not take pickup orders; deliver instead",
                    ));
                    return None;
                }
                let minutes = match pickup_in_minutes {
                    None => None,
                    Some(m @ 0..=240) => Some(*m as u32),
                    Some(_) => {
                        self.errors.push(
                            FieldError::coded(
                                "fulfilment.pickup_in_minutes",
                                "out_of_range",
                                "pickup is 0 to 240 minutes from now",
                            )
                            .with("min", 0)
                            .with("max", 240),
                        );
                        return None;
                    }
                };
                return Some(Resolved::Pickup(minutes));
            }
            Some(FulfilmentRequest::Delivery {
                address,
                landmark,
                zone_id,
            }) => (
                Some(address.as_str()),
                landmark.as_deref(),
                zone_id.as_deref(),
                "fulfilment.",
            ),
            None => (req.address.as_deref(), req.landmark.as_deref(), None, ""),
        };
        let address = address.map(str::trim).unwrap_or_default();
        let mut ok = true;
        if address.is_empty() {
            self.errors.push(FieldError::coded(
                format!("{prefix}address"),
                "address_required",
                "a delivery address is needed: house, street, block or sector, and area (or make it a pickup)",
            ));
            ok = false;
        } else if self
            .text(&format!("{prefix}address"), Some(address), 500)
            .is_none()
        {
            ok = false;
        }
        let landmark = self.text(&format!("{prefix}landmark"), landmark, 200);
        let zones = &settings.delivery_zones;
        let zone = match zone_id.map(str::trim).filter(|z| !z.is_empty()) {
            Some(id) => match zones.iter().find(|z| z.id == id) {
                Some(z) => Some(z),
                None => {
                    let allowed = join_ids(zones.iter().map(|z| z.id.as_str()));
                    self.errors.push(
                        FieldError::coded(
                            "fulfilment.zone_id",
                            "unknown_zone",
                            if zones.is_empty() {
                                format!(
                                    "`{}` is not a delivery zone; this shop has no zones",
                                    clip(id)
                                )
                            } else {
                                format!(
                                    "`{}` is not a delivery zone; zones are {allowed}",
                                    clip(id)
                                )
                            },
                        )
                        .with("allowed", allowed),
                    );
                    return None;
                }
            },
            None if zones.is_empty() => None,
            None => {
                let allowed = join_ids(zones.iter().map(|z| z.id.as_str()));
                self.errors.push(
                    FieldError::coded(
                        "fulfilment.zone_id",
                        "zone_required",
                        format!("say which delivery zone: {allowed}"),
                    )
                    .with("allowed", allowed),
                );
                return None;
            }
        };
        if !ok {
            return None;
        }
        Some(Resolved::Delivery {
            fulfilment: Fulfilment::Delivery {
                address: address.to_string(),
                landmark,
                zone_id: zone.map(|z| z.id.clone()),
                zone_name: zone.map(|z| z.name.clone()),
                zone_name_ur: zone.and_then(|z| z.name_ur.clone()),
            },
            zone,
        })
    }
}

struct Chosen<'a> {
    item: &'a MenuItem,
    size: &'a MenuSize,
    options: Vec<ChosenOption>,
    half: Option<(Half, Money)>,
}

fn item_line(c: Chosen<'_>, q: Quantity, note: Option<String>) -> Priced {
    let options_price: Money = c.options.iter().map(|o| o.price).sum();
    let size_price = match &c.half {
        Some((_, other)) => c.size.price.max(*other),
        None => c.size.price,
    };
    // Bounded: prices ≤ Rs 100,000, at most 10 options of ≤ Rs 100,000, quantity ≤ 20.
    let unit = Money::from_paisa(size_price.paisa() + options_price.paisa());
    let total = Money::from_paisa(unit.paisa() * i64::from(q.get()));
    let half = c.half.map(|(h, _)| h);
    let line = OrderLine {
        item_id: c.item.id.0.clone(),
        name: c.item.name.clone(),
        name_ur: c.item.name_ur.clone(),
        kind: c.item.kind,
        size_id: c.size.id.0.clone(),
        size_label: c.size.label.clone(),
        size_label_ur: c.size.label_ur.clone(),
        quantity: q,
        unit_price: unit,
        line_total: total,
        options: c.options,
        half,
        note,
        deal: None,
    };
    let bill = BillLine {
        description: line_text(&line, false),
        description_ur: line_text(&line, true),
        quantity: q.get(),
        unit_price: unit,
        total,
    };
    Priced {
        line,
        bill,
        list_value: total,
    }
}

fn pick<'s>(en: &'s str, ur: Option<&'s str>, want_ur: bool) -> &'s str {
    if want_ur { ur.unwrap_or(en) } else { en }
}

fn describe(
    name: &str,
    name_ur: Option<&str>,
    size: (&str, Option<&str>),
    half: Option<&Half>,
    options: &[ChosenOption],
    ur: bool,
) -> String {
    let size_label = pick(size.0, size.1, ur);
    let mut s = match half {
        Some(h) => format!(
            "½ {} ½ {} {size_label}",
            pick(name, name_ur, ur),
            pick(&h.name, h.name_ur.as_deref(), ur)
        ),
        None => format!("{} {size_label}", pick(name, name_ur, ur)),
    };
    if !options.is_empty() {
        let names: Vec<&str> = options
            .iter()
            .map(|o| pick(&o.name, o.name_ur.as_deref(), ur))
            .collect();
        s.push_str(" · ");
        s.push_str(&names.join(if ur { "، " } else { ", " }));
    }
    s
}

fn line_text(l: &OrderLine, ur: bool) -> String {
    describe(
        &l.name,
        l.name_ur.as_deref(),
        (&l.size_label, l.size_label_ur.as_deref()),
        l.half.as_ref(),
        &l.options,
        ur,
    )
}

fn part_text(p: &DealPart, ur: bool) -> String {
    describe(
        &p.name,
        p.name_ur.as_deref(),
        (&p.size_label, p.size_label_ur.as_deref()),
        p.half.as_ref(),
        &p.options,
        ur,
    )
}
