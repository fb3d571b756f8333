//! The desktop notification for a new order: a title with the order number and a one-line
//! summary of what to make, what it costs and where it goes.

use kitchen_domain::{Fulfilment, Money};
use kitchen_wire::{OrderDto, OrderItemDto};

/// Lines named in full before the rest are counted as "+N more".
pub const MAX_LINES_SHOWN: usize = 3;
/// Characters of the address shown before it is cut with "…".
pub const MAX_ADDRESS_CHARS: usize = 40;
/// Characters of the whole summary; notification services cut longer bodies anywhere.
pub const MAX_SUMMARY_CHARS: usize = 180;

/// How the summary is written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NoticeOptions {
    /// Adds each item's Urdu name, when the menu has one: `Chicken Tikka (چکن تکہ)`.
    pub urdu_names: bool,
}

/// What the notification shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOrderNotice {
    /// `New order #17`.
    pub title: String,
    /// `2 × Chicken Tikka (Large), 1 × Coca-Cola (1.5 L) — Rs 5,117 — Gulberg III`.
    pub body: String,
}

impl NewOrderNotice {
    /// The notice for `order`.
    pub fn for_order(order: &OrderDto, options: NoticeOptions) -> Self {
        NewOrderNotice {
            title: format!("New order #{}", order.number),
            body: summary(order, options),
        }
    }
}

/// The one-line summary: lines, total, and where it goes (the address, or `Pickup`),
/// joined by " — ".
pub fn summary(order: &OrderDto, options: NoticeOptions) -> String {
    let mut parts = Vec::with_capacity(3);
    let lines = lines_text(&order.items, options);
    if !lines.is_empty() {
        parts.push(lines);
    }
    parts.push(Money::from_paisa(order.total).to_string());
    match &order.fulfilment {
        Fulfilment::Pickup { .. } => parts.push("Pickup".to_string()),
        Fulfilment::Delivery { address, .. } => {
            let address = one_line(address);
            if !address.is_empty() {
                parts.push(truncate(&address, MAX_ADDRESS_CHARS));
            }
        }
    }
    truncate(&parts.join(" — "), MAX_SUMMARY_CHARS)
}

fn lines_text(items: &[OrderItemDto], options: NoticeOptions) -> String {
    let mut shown: Vec<String> = items
        .iter()
        .take(MAX_LINES_SHOWN)
        .map(|item| line_text(item, options))
        .collect();
    let rest = items.len().saturating_sub(MAX_LINES_SHOWN);
    if rest > 0 {
        shown.push(format!("+{rest} more"));
    }
    shown.join(", ")
}

fn line_text(item: &OrderItemDto, options: NoticeOptions) -> String {
    let mut name = one_line(&item.name);
    if options.urdu_names
        && let Some(ur) = item.name_ur.as_deref().map(one_line)
        && !ur.is_empty()
    {
        name = format!("{name} ({ur})");
    }
    let size = one_line(&item.size_label);
    if size.is_empty() {
        format!("{} × {name}", item.quantity)
    } else {
        format!("{} × {name} ({size})", item.quantity)
    }
}

/// Collapses newlines and runs of whitespace into single spaces.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// At most `max` characters, ending in "…" when cut (never inside a character).
fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let kept: String = text.chars().take(max.saturating_sub(1)).collect();
    format!("{}…", kept.trim_end())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use kitchen_domain::{Bill, BillLine, ItemKind, OrderSource, OrderStatus, Payment};

    fn item(name: &str, size: &str, quantity: u8, unit_price_rupees: i64) -> OrderItemDto {
        OrderItemDto {
            item_id: name.to_lowercase().replace(' ', "-"),
            name: name.to_string(),
            name_ur: None,
            kind: ItemKind::Pizza,
            size_id: size.to_lowercase(),
            size_label: size.to_string(),
            size_label_ur: None,
            quantity,
            unit_price: unit_price_rupees * 100,
            line_total: unit_price_rupees * 100 * i64::from(quantity),
            options: Vec::new(),
            half: None,
            note: None,
            deal: None,
        }
    }

    pub(crate) fn order(number: u32, items: Vec<OrderItemDto>, address: &str) -> OrderDto {
        let total = items.iter().map(|i| i.line_total).sum();
        let bill = Bill::of_lines(
            items
                .iter()
                .map(|i| BillLine {
                    description: format!("{} {}", i.name, i.size_label),
                    description_ur: i.name_ur.clone().unwrap_or_else(|| i.name.clone()),
                    quantity: i.quantity,
                    unit_price: Money::from_paisa(i.unit_price),
                    total: Money::from_paisa(i.line_total),
                })
                .collect(),
        );
        OrderDto {
            id: i64::from(number),
            uuid: format!("uuid-{number}"),
            number,
            business_date: chrono::NaiveDate::default(),
            status: OrderStatus::New,
            flavour: items.first().map(|i| i.name.clone()).unwrap_or_default(),
            size: items
                .first()
                .map(|i| i.size_label.clone())
                .unwrap_or_default(),
            drink: None,
            address: address.to_string(),
            landmark: None,
            customer_name: None,
            customer_phone: None,
            items,
            total,
            fulfilment: Fulfilment::delivery_to(address, None),
            payment: Payment::CASH,
            bill,
            note: None,
            eta_minutes: None,
            source: OrderSource::Phone,
            call_sid: None,
            cancel_reason: None,
            order_time: "2026-11-24T05:00:00Z".to_string(),
            updated_at: "2026-11-24T05:00:00Z".to_string(),
            status_since: "2026-11-24T05:00:00Z".to_string(),
            history: None,
            changed: None,
            rider: None,
        }
    }

    #[test]
    fn title_names_the_order_number_and_body_lists_lines_total_and_address() {
        let o = order(
            17,
            vec![
                item("Chicken Tikka", "Large", 2, 2_399),
                item("Coca-Cola", "1.5 L", 1, 319),
            ],
            "House 12, Street 4, Gulberg III",
        );
        let n = NewOrderNotice::for_order(&o, NoticeOptions::default());
        assert_eq!(n.title, "New order #17");
        assert_eq!(
            n.body,
            "2 × Chicken Tikka (Large), 1 × Coca-Cola (1.5 L) — Rs 5,117 — House 12, Street 4, Gulberg III"
        );
    }

    #[test]
    fn many_lines_are_counted_not_listed() {
        let items = (1..=5)
            .map(|i| item(&format!("Pizza {i}"), "Small", 1, 100 * i))
            .collect();
        let body = summary(&order(3, items, "DHA"), NoticeOptions::default());
        assert_eq!(
            body,
            "1 × Pizza 1 (Small), 1 × Pizza 2 (Small), 1 × Pizza 3 (Small), +2 more — Rs 1,500 — DHA"
        );
    }

    #[test]
    fn a_long_or_multi_line_address_is_cut_to_one_short_line() {
        let address =
            "Flat 7, Block C,\nSome Very Long Housing Society Name, Near The Big Mosque, Lahore";
        let body = summary(
            &order(1, vec![item("Fajita", "Medium", 1, 1_000)], address),
            NoticeOptions::default(),
        );
        assert!(!body.contains('\n'), "{body}");
        let shown = body.rsplit(" — ").next().unwrap_or_default();
        assert_eq!(shown.chars().count(), MAX_ADDRESS_CHARS, "{shown}");
        assert!(shown.starts_with("Flat 7, Block C, Some Very"), "{shown}");
        assert!(shown.ends_with('…'), "{shown}");
    }

    #[test]
    fn the_whole_body_never_exceeds_its_limit() {
        let long = "Extremely Long Name ".repeat(6);
        let items = vec![
            item(&long, "Family", 20, 3_000),
            item(&long, "Family", 20, 3_000),
            item(&long, "Family", 20, 3_000),
        ];
        let body = summary(&order(9, items, "Gulberg"), NoticeOptions::default());
        assert_eq!(body.chars().count(), MAX_SUMMARY_CHARS, "{body}");
        assert!(body.ends_with('…'));
    }

    #[test]
    fn urdu_names_only_when_asked_and_known() {
        let mut tikka = item("Chicken Tikka", "Large", 1, 1_000);
        tikka.name_ur = Some("چکن تکہ".to_string());
        let cola = item("Coca-Cola", "1.5 L", 1, 300);
        let o = order(2, vec![tikka, cola], "Model Town");
        let plain = summary(&o, NoticeOptions::default());
        assert!(!plain.contains("چکن"), "{plain}");
        let urdu = summary(&o, NoticeOptions { urdu_names: true });
        assert!(
            urdu.starts_with("1 × Chicken Tikka (چکن تکہ) (Large), 1 × Coca-Cola (1.5 L)"),
            "{urdu}"
        );
    }

    #[test]
    fn an_order_without_address_or_lines_still_reads_well() {
        let body = summary(&order(4, Vec::new(), "  "), NoticeOptions::default());
        assert_eq!(body, "Rs 0");
    }

    #[test]
    fn a_pickup_says_pickup_where_the_address_would_be() {
        let mut o = order(5, vec![item("Fries", "Regular", 2, 349)], "");
        o.fulfilment = Fulfilment::Pickup {
            pickup_in_minutes: Some(15),
        };
        assert_eq!(
            summary(&o, NoticeOptions::default()),
            "2 × Fries (Regular) — Rs 698 — Pickup"
        );
    }

    #[test]
    fn truncation_counts_characters_not_bytes() {
        assert_eq!(truncate("گلبرگ تین", 5), "گلبر…");
        assert_eq!(truncate("short", 5), "short");
    }
}
