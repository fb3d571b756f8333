//! Orders as CSV, one row an order, the items in one readable cell, in two shapes:
//!
//! - [`owner_orders_csv`], the dashboard's "Download CSV" (`GET /api/orders.csv`): a UTF-8
//!   byte-order mark so Excel reads Urdu names as Urdu, English column titles an owner
//!   reads (`Total (Rs)`), money as plain rupee numbers a spreadsheet sums (`1250`,
//!   `1250.5`), readable status, fulfilment, zone and payment names, the shop's date format
//!   (`03 Dec 2026`) and local 24-hour time;
//! - [`orders_csv`], the data columns (`id`, `total_paisa`, RFC 3339 UTC times, codes) for
//!   scripts: `melt8 export --csv` and `GET /api/orders.csv?format=data`, unchanged.

use crate::{StoreError, orders};
use chrono::{DateTime, FixedOffset, NaiveDate, SecondsFormat, Utc};
use kitchen_domain::{Fulfilment, Order, OrderStatus, PaymentMethod};
use r2d2_sqlite::rusqlite::Connection;

/// The CSV header, in column order.
pub const CSV_COLUMNS: [&str; 28] = [
    "id",
    "number",
    "business_date",
    "order_time",
    "status",
    "flavour",
    "size",
    "drink",
    "items",
    "total_paisa",
    "total_rs",
    "customer_name",
    "customer_phone",
    "address",
    "landmark",
    "source",
    "cancel_reason",
    "updated_at",
    "uuid",
    "fulfilment",
    "zone",
    "payment",
    "delivery_fee",
    "tax",
    "note",
    "rider",
    "rider_phone",
    "dispatched_at",
];

/// The orders as CSV (RFC 4180: comma-separated, double quotes where needed, CRLF line
/// ends), with a header row. Times are RFC 3339 UTC; money is integer paisa plus rupees.
///
/// Text that customers or callers typed (names, addresses, items, reasons) and that begins
/// with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, so a spreadsheet
/// shows it as text instead of running it as a formula.
pub fn orders_csv(orders: &[Order]) -> String {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    // Writing to a Vec cannot fail, and every row has the header's length.
    let _ = w.write_record(CSV_COLUMNS);
    for o in orders {
        let seed = o.seed_columns();
        let items = o
            .bill
            .lines
            .iter()
            .map(|l| format!("{} x {}", l.quantity, l.description))
            .collect::<Vec<_>>()
            .join("; ");
        let time = |t: chrono::DateTime<chrono::Utc>| t.to_rfc3339_opts(SecondsFormat::Secs, true);
        let _ = w.write_record([
            o.id.to_string(),
            o.number.to_string(),
            o.business_date.to_string(),
            time(o.created_at),
            o.status.as_str().to_string(),
            text(&seed.flavour),
            text(&seed.size),
            text(seed.drink.as_deref().unwrap_or("")),
            text(&items),
            o.total.paisa().to_string(),
            rupees(o.total.paisa()),
            text(o.customer_name.as_deref().unwrap_or("")),
            o.customer_phone
                .as_ref()
                .map(|p| p.to_string())
                .unwrap_or_default(),
            text(o.address()),
            text(o.landmark().unwrap_or("")),
            o.source.as_str().to_string(),
            text(o.cancel_reason.as_deref().unwrap_or("")),
            time(o.updated_at),
            o.uuid.to_string(),
            o.fulfilment.kind().to_string(),
            text(o.fulfilment.zone_id().unwrap_or("")),
            o.payment.method.as_str().to_string(),
            rupees(o.bill.delivery_fee.paisa()),
            rupees(o.bill.tax.amount.paisa()),
            text(o.note.as_deref().unwrap_or("")),
            text(o.rider.as_ref().map_or("", |r| r.name.as_str())),
            o.rider
                .as_ref()
                .map(|r| r.phone.clone())
                .unwrap_or_default(),
            o.rider
                .as_ref()
                .map(|r| time(r.dispatched_at))
                .unwrap_or_default(),
        ]);
    }
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// The owner's CSV header, in column order.
pub const OWNER_CSV_COLUMNS: [&str; 20] = [
    "Order",
    "Date",
    "Time",
    "Status",
    "Customer",
    "Phone",
    "Fulfilment",
    "Zone",
    "Address",
    "Landmark",
    "Items",
    "Payment",
    "Delivery fee (Rs)",
    "Tax (Rs)",
    "Total (Rs)",
    "Taken by",
    "Cancel reason",
    "Note",
    "Last change",
    "Rider",
];

/// The UTF-8 byte-order mark Excel needs to read a CSV file as UTF-8.
pub const UTF8_BOM: &str = "\u{feff}";

/// The orders as the owner's spreadsheet (see the module notes): a BOM, then RFC 4180 CSV
/// with CRLF line ends. `offset` is the shop's UTC offset, for the local times. The
/// `Date` column is the business day (an order at 01:30 counts to the day before, as on
/// the day summary); `Time` is the local clock time it was taken.
pub fn owner_orders_csv(orders: &[Order], offset: FixedOffset) -> String {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let _ = w.write_record(OWNER_CSV_COLUMNS);
    let local = |t: DateTime<Utc>| t.with_timezone(&offset);
    for o in orders {
        let items = o
            .bill
            .lines
            .iter()
            .map(|l| format!("{} x {}", l.quantity, l.description))
            .collect::<Vec<_>>()
            .join("; ");
        let zone = match &o.fulfilment {
            Fulfilment::Delivery {
                zone_name, zone_id, ..
            } => zone_name.as_deref().or(zone_id.as_deref()).unwrap_or(""),
            Fulfilment::Pickup { .. } => "",
        };
        let updated = local(o.updated_at);
        let _ = w.write_record([
            o.number.to_string(),
            shop_date(o.business_date),
            local(o.created_at).format("%H:%M").to_string(),
            status_name(o.status).to_string(),
            text(o.customer_name.as_deref().unwrap_or("")),
            o.customer_phone
                .as_ref()
                .map(|p| p.to_string())
                .unwrap_or_default(),
            match o.fulfilment {
                Fulfilment::Delivery { .. } => "Delivery",
                Fulfilment::Pickup { .. } => "Pickup",
            }
            .to_string(),
            text(zone),
            text(o.address()),
            text(o.landmark().unwrap_or("")),
            text(&items),
            payment_name(o.payment.method).to_string(),
            plain_rupees(o.bill.delivery_fee.paisa()),
            plain_rupees(o.bill.tax.amount.paisa()),
            plain_rupees(o.total.paisa()),
            match o.source.as_str() {
                "phone" => "Phone (AI)",
                _ => "Staff",
            }
            .to_string(),
            text(o.cancel_reason.as_deref().unwrap_or("")),
            text(o.note.as_deref().unwrap_or("")),
            format!(
                "{} {}",
                shop_date(updated.date_naive()),
                updated.format("%H:%M")
            ),
            text(o.rider.as_ref().map_or("", |r| r.name.as_str())),
        ]);
    }
    let bytes = w.into_inner().unwrap_or_default();
    format!("{UTF8_BOM}{}", String::from_utf8(bytes).unwrap_or_default())
}

/// The shop's date format, the dashboard's too: `03 Dec 2026`.
pub fn shop_date(date: NaiveDate) -> String {
    date.format("%d %b %Y").to_string()
}

fn status_name(s: OrderStatus) -> &'static str {
    match s {
        OrderStatus::New => "New",
        OrderStatus::Preparing => "Preparing",
        OrderStatus::Ready => "Ready",
        OrderStatus::OutForDelivery => "Out for delivery",
        OrderStatus::Delivered => "Delivered",
        OrderStatus::Collected => "Collected",
        OrderStatus::Returned => "Returned",
        OrderStatus::Cancelled => "Cancelled",
    }
}

fn payment_name(m: PaymentMethod) -> &'static str {
    match m {
        PaymentMethod::Cash => "Cash",
        PaymentMethod::Card => "Card",
        PaymentMethod::Wallet => "Wallet",
    }
}

/// `125000` → `1250`, `125050` → `1250.5`: whole rupees without decimals, no thousands
/// separator, so every spreadsheet reads a number.
fn plain_rupees(paisa: i64) -> String {
    let sign = if paisa < 0 { "-" } else { "" };
    let p = paisa.unsigned_abs();
    match p % 100 {
        0 => format!("{sign}{}", p / 100),
        f if f % 10 == 0 => format!("{sign}{}.{}", p / 100, f / 10),
        f => format!("{sign}{}.{f:02}", p / 100),
    }
}

/// `219900` → `2199.00` (a plain number a spreadsheet can sum).
fn rupees(paisa: i64) -> String {
    let sign = if paisa < 0 { "-" } else { "" };
    let p = paisa.unsigned_abs();
    format!("{sign}{}.{:02}", p / 100, p % 100)
}

/// Defuses spreadsheet formulas in free text.
fn text(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// Every order of one business day, oldest first, with items and history.
pub(crate) fn orders_of_day(c: &Connection, date: NaiveDate) -> Result<Vec<Order>, StoreError> {
    let mut stmt =
        c.prepare("SELECT id FROM orders WHERE business_date = ?1 ORDER BY number, id")?;
    let ids: Vec<i64> = stmt
        .query_map([date.format("%Y-%m-%d").to_string()], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    ids.into_iter().map(|id| orders::get(c, id)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rupees_are_plain_numbers() {
        assert_eq!(rupees(219900), "2199.00");
        assert_eq!(rupees(5), "0.05");
        assert_eq!(rupees(-150), "-1.50");
    }

    #[test]
    fn free_text_that_looks_like_a_formula_is_kept_as_text() {
        assert_eq!(text("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(text("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(text("House 5, Street 2"), "House 5, Street 2");
        assert_eq!(text("علی"), "علی");
    }

    #[test]
    fn owner_rupees_are_plain_numbers_without_needless_decimals() {
        assert_eq!(plain_rupees(125000), "1250");
        assert_eq!(plain_rupees(125050), "1250.5");
        assert_eq!(plain_rupees(125005), "1250.05");
        assert_eq!(plain_rupees(0), "0");
        assert_eq!(plain_rupees(-150), "-1.5");
    }

    #[test]
    fn the_shop_date_is_day_month_name_year() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        assert_eq!(shop_date(d), "03 Dec 2026");
    }

    #[test]
    fn the_owner_csv_starts_with_a_bom_and_owner_titles() {
        let offset = FixedOffset::east_opt(5 * 3600).unwrap();
        let out = owner_orders_csv(&[], offset);
        assert_eq!(out, format!("\u{feff}{}\r\n", OWNER_CSV_COLUMNS.join(",")));
    }

    #[test]
    fn an_empty_list_is_just_the_header() {
        assert_eq!(orders_csv(&[]), format!("{}\r\n", CSV_COLUMNS.join(",")));
    }
}
