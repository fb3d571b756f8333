//! Orders: what a caller or a member of staff asks for ([`OrderRequest`]), the priced and
//! checked order ready to be saved ([`NewOrder`]), and an order as the kitchen sees it
//! ([`Order`]).

use crate::menu::{ItemKind, Menu};
use crate::money::Money;
use crate::phone::PhoneNumber;
use crate::quantity::Quantity;
use crate::status::OrderStatus;
use crate::validation::{FieldError, ValidationErrors};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One requested line, as sent by the API or the AI's tool call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineRequest {
    /// A menu item id.
    pub item_id: String,
    /// A size id of that item.
    pub size_id: String,
    /// How many (checked to be 1..=20).
    pub quantity: i64,
}

/// An order as asked for, before it is checked against the menu.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderRequest {
    /// The lines: pizzas, drinks, sides.
    pub items: Vec<LineRequest>,
    /// Delivery address.
    pub address: String,
    /// A landmark the rider can find ("near Hafeez Centre").
    #[serde(default)]
    pub landmark: Option<String>,
    /// The customer's name.
    #[serde(default)]
    pub customer_name: Option<String>,
    /// The number to call back; for phone orders it comes from the call, never the AI.
    #[serde(default)]
    pub customer_phone: Option<String>,
}

/// A priced order line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrderLine {
    /// Menu item id.
    pub item_id: String,
    /// English name at the time of ordering.
    pub name: String,
    /// Urdu name at the time of ordering.
    pub name_ur: Option<String>,
    /// Pizza, drink or side.
    pub kind: ItemKind,
    /// Size id.
    pub size_id: String,
    /// Size label at the time of ordering (`Large 13"`).
    pub size_label: String,
    /// How many.
    pub quantity: Quantity,
    /// Price of one.
    pub unit_price: Money,
    /// `unit_price × quantity`.
    pub line_total: Money,
}

/// Where an order came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum OrderSource {
    /// Typed in by staff (dashboard or API).
    Staff,
    /// Taken by the AI on a phone call.
    Phone,
}

impl OrderSource {
    /// `staff` or `phone`.
    pub fn as_str(self) -> &'static str {
        match self {
            OrderSource::Staff => "staff",
            OrderSource::Phone => "phone",
        }
    }

    /// Parses `staff` or `phone`.
    pub fn parse(s: &str) -> Option<OrderSource> {
        match s {
            "staff" => Some(OrderSource::Staff),
            "phone" => Some(OrderSource::Phone),
            _ => None,
        }
    }
}

/// A checked, priced order, ready to be saved. Only [`NewOrder::price`] makes one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOrder {
    lines: Vec<OrderLine>,
    address: String,
    landmark: Option<String>,
    customer_name: Option<String>,
    customer_phone: Option<PhoneNumber>,
    total: Money,
}

/// Most lines one order may have.
pub const MAX_LINES: usize = 30;

impl NewOrder {
    /// Checks a request against the menu and prices it. Reports every problem at once, each
    /// naming its field and, for menu mistakes, the allowed values.
    pub fn price(req: &OrderRequest, menu: &Menu) -> Result<NewOrder, ValidationErrors> {
        let mut errors = Vec::new();
        if req.items.is_empty() {
            errors.push(FieldError::new("items", "an order needs at least one item"));
        }
        if req.items.len() > MAX_LINES {
            errors.push(FieldError::new(
                "items",
                format!(
                    "an order holds at most {MAX_LINES} lines; this one has {}",
                    req.items.len()
                ),
            ));
        }
        let mut lines = Vec::with_capacity(req.items.len());
        for (i, line) in req.items.iter().enumerate() {
            let quantity = Quantity::new(line.quantity)
                .map_err(|e| {
                    errors.push(FieldError::new(
                        format!("items[{i}].quantity"),
                        e.to_string(),
                    ))
                })
                .ok();
            let priced = menu
                .line(&line.item_id, &line.size_id)
                .map_err(|p| {
                    errors.push(FieldError::new(
                        format!("items[{i}].{}", p.field()),
                        p.to_string(),
                    ))
                })
                .ok();
            if let (Some(q), Some((item, size))) = (quantity, priced) {
                // Bounded: price ≤ Rs 100,000 and quantity ≤ 20, so no overflow is possible.
                let line_total = size
                    .price
                    .checked_mul(i64::from(q.get()))
                    .unwrap_or(Money::ZERO);
                lines.push(OrderLine {
                    item_id: item.id.0.clone(),
                    name: item.name.clone(),
                    name_ur: item.name_ur.clone(),
                    kind: item.kind,
                    size_id: size.id.0.clone(),
                    size_label: size.label.clone(),
                    quantity: q,
                    unit_price: size.price,
                    line_total,
                });
            }
        }
        let address = req.address.trim().to_string();
        if address.is_empty() {
            errors.push(FieldError::new(
                "address",
                "a delivery address is needed: house, street, block or sector, and area",
            ));
        }
        check_len(&mut errors, "address", &address, 500);
        let landmark = optional_text(&mut errors, "landmark", req.landmark.as_deref(), 200);
        let customer_name = optional_text(
            &mut errors,
            "customer_name",
            req.customer_name.as_deref(),
            100,
        );
        let customer_phone = match req.customer_phone.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(p) => match PhoneNumber::parse(p) {
                Ok(n) => Some(n),
                Err(e) => {
                    errors.push(FieldError::new("customer_phone", e.to_string()));
                    None
                }
            },
        };
        if !errors.is_empty() {
            return Err(ValidationErrors(errors));
        }
        let total = lines.iter().map(|l| l.line_total).sum();
        Ok(NewOrder {
            lines,
            address,
            landmark,
            customer_name,
            customer_phone,
            total,
        })
    }

    /// Replaces the customer's phone with the one the call came from (phone orders take the
    /// number from Twilio, never from what the AI heard).
    pub fn with_phone(mut self, phone: Option<PhoneNumber>) -> Self {
        self.customer_phone = phone;
        self
    }

    /// The priced lines.
    pub fn lines(&self) -> &[OrderLine] {
        &self.lines
    }
    /// The delivery address.
    pub fn address(&self) -> &str {
        &self.address
    }
    /// The landmark, if given.
    pub fn landmark(&self) -> Option<&str> {
        self.landmark.as_deref()
    }
    /// The customer's name, if given.
    pub fn customer_name(&self) -> Option<&str> {
        self.customer_name.as_deref()
    }
    /// The customer's phone, if known.
    pub fn customer_phone(&self) -> Option<&PhoneNumber> {
        self.customer_phone.as_ref()
    }
    /// Sum of the lines.
    pub fn total(&self) -> Money {
        self.total
    }

    /// The seed's `flavour`, `size` and `drink` columns, filled from the first pizza (or
    /// the first line when there is no pizza) and the first drink, so old reports work.
    pub fn seed_columns(&self) -> SeedColumns {
        seed_columns(&self.lines)
    }
}

/// The original system's one-pizza-one-drink view of an order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedColumns {
    /// Name of the first pizza.
    pub flavour: String,
    /// Its size label.
    pub size: String,
    /// The first drink, `Coca-Cola 1.5 L`.
    pub drink: Option<String>,
}

/// See [`NewOrder::seed_columns`].
pub fn seed_columns(lines: &[OrderLine]) -> SeedColumns {
    let main = lines
        .iter()
        .find(|l| l.kind == ItemKind::Pizza)
        .or_else(|| lines.first());
    SeedColumns {
        flavour: main.map(|l| l.name.clone()).unwrap_or_default(),
        size: main.map(|l| l.size_label.clone()).unwrap_or_default(),
        drink: lines
            .iter()
            .find(|l| l.kind == ItemKind::Drink)
            .map(|l| format!("{} {}", l.name, l.size_label)),
    }
}

fn check_len(errors: &mut Vec<FieldError>, field: &str, text: &str, max: usize) {
    let n = text.chars().count();
    if n > max {
        errors.push(FieldError::new(
            field,
            format!("is {n} characters; keep it to {max}"),
        ));
    }
    if text.contains('\0') {
        errors.push(FieldError::new(field, "must not contain NUL characters"));
    }
}

fn optional_text(
    errors: &mut Vec<FieldError>,
    field: &str,
    text: Option<&str>,
    max: usize,
) -> Option<String> {
    let t = text.map(str::trim).filter(|t| !t.is_empty())?;
    check_len(errors, field, t, max);
    Some(t.to_string())
}

/// One recorded status change: who moved the order, from what, to what, when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusChangeRecord {
    /// Status before; `None` for the creation of the order.
    pub from: Option<OrderStatus>,
    /// Status after.
    pub to: OrderStatus,
    /// Why (cancellations always have one).
    pub reason: Option<String>,
    /// Who: a staff username, or `phone-ai`.
    pub by: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// An order as stored and shown to the kitchen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Order {
    /// Local row id (the seed's `id`).
    pub id: i64,
    /// Public id, stable across shops and sync targets.
    pub uuid: Uuid,
    /// Short number for the day, shouted in the kitchen: `#17`.
    pub number: u32,
    /// The shop's business day the number belongs to.
    pub business_date: NaiveDate,
    /// Where it stands.
    pub status: OrderStatus,
    /// The reason given when it was cancelled.
    pub cancel_reason: Option<String>,
    /// Priced lines.
    pub lines: Vec<OrderLine>,
    /// Delivery address.
    pub address: String,
    /// Landmark.
    pub landmark: Option<String>,
    /// Customer's name.
    pub customer_name: Option<String>,
    /// Customer's phone (E.164, or withheld).
    pub customer_phone: Option<PhoneNumber>,
    /// Sum of the lines.
    pub total: Money,
    /// Staff or phone.
    pub source: OrderSource,
    /// The Twilio CallSid of a phone order.
    pub call_sid: Option<String>,
    /// When it was taken (the seed's `order_time`).
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
    /// Its status history, oldest first (empty when not loaded).
    pub history: Vec<StatusChangeRecord>,
}

impl Order {
    /// The seed's columns for this order.
    pub fn seed_columns(&self) -> SeedColumns {
        seed_columns(&self.lines)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(items: &[(&str, &str, i64)]) -> OrderRequest {
        OrderRequest {
            items: items
                .iter()
                .map(|(i, s, q)| LineRequest {
                    item_id: (*i).into(),
                    size_id: (*s).into(),
                    quantity: *q,
                })
                .collect(),
            address: "House 12, Street 4, Block C, Gulberg III, Lahore".into(),
            landmark: Some("near Hafeez Centre".into()),
            customer_name: Some("Ali".into()),
            customer_phone: Some("0300-1234567".into()),
        }
    }

    #[test]
    fn prices_two_large_tikka_and_a_big_coke() {
        let menu = Menu::default_menu();
        let order = NewOrder::price(
            &req(&[("chicken-tikka", "large", 2), ("coca-cola", "1.5l", 1)]),
            &menu,
        )
        .unwrap();
        assert_eq!(order.lines().len(), 2);
        assert_eq!(order.lines()[0].line_total, Money::from_paisa(219_900 * 2));
        assert_eq!(order.total(), Money::from_paisa(219_900 * 2 + 32_000));
        assert_eq!(
            order.customer_phone().and_then(|p| p.e164()),
            Some("+923001234567")
        );
        let seed = order.seed_columns();
        assert_eq!(seed.flavour, "Chicken Tikka");
        assert_eq!(seed.size, "Large 13\"");
        assert_eq!(seed.drink.as_deref(), Some("Coca-Cola 1.5 L"));
    }

    #[test]
    fn seed_flavour_falls_back_to_the_first_line_without_pizza() {
        let menu = Menu::default_menu();
        let order = NewOrder::price(&req(&[("fries", "regular", 1)]), &menu).unwrap();
        let seed = order.seed_columns();
        assert_eq!(
            (seed.flavour.as_str(), seed.size.as_str(), seed.drink),
            ("Fries", "Regular", None)
        );
    }

    #[test]
    fn reports_every_problem_with_its_field() {
        let menu = Menu::default_menu();
        let mut r = req(&[("chicken-tikka", "huge", 2), ("unicorn", "large", 0)]);
        r.address = "   ".into();
        r.customer_phone = Some("12345".into());
        let errs = NewOrder::price(&r, &menu).unwrap_err();
        let fields: Vec<_> = errs.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "items[0].size_id",
                "items[1].quantity",
                "items[1].item_id",
                "address",
                "customer_phone"
            ]
        );
        assert!(
            errs.0[0]
                .message
                .contains("sizes are small, medium, large, family")
        );
    }

    #[test]
    fn empty_and_oversized_orders_are_refused() {
        let menu = Menu::default_menu();
        assert_eq!(
            NewOrder::price(&req(&[]), &menu).unwrap_err().0[0].field,
            "items"
        );
        let many: Vec<_> = (0..31).map(|_| ("pepsi", "345ml", 1)).collect();
        assert_eq!(
            NewOrder::price(&req(&many), &menu).unwrap_err().0[0].field,
            "items"
        );
    }

    #[test]
    fn blank_optional_fields_become_none_and_phone_can_be_replaced() {
        let menu = Menu::default_menu();
        let mut r = req(&[("veggie", "small", 1)]);
        r.landmark = Some(" ".into());
        r.customer_name = None;
        r.customer_phone = Some("".into());
        let o = NewOrder::price(&r, &menu).unwrap();
        assert_eq!(
            (o.landmark(), o.customer_name(), o.customer_phone()),
            (None, None, None)
        );
        let o = o.with_phone(Some(PhoneNumber::Withheld));
        assert_eq!(o.customer_phone(), Some(&PhoneNumber::Withheld));
    }

    #[test]
    fn validation_errors_display_as_one_readable_line() {
        let e = ValidationErrors(vec![FieldError::new("a", "x"), FieldError::new("b", "y")]);
        assert_eq!(e.to_string(), "a: x; b: y");
    }
}
