//! Orders as CSV, for the owner's spreadsheet: `melt8 export --csv` today, the dashboard's
//! download later. One row an order; the items in one readable cell.

use crate::{StoreError, orders};
use chrono::{NaiveDate, SecondsFormat};
use kitchen_domain::Order;
use r2d2_sqlite::rusqlite::Connection;

/// The CSV header, in column order.
pub const CSV_COLUMNS: [&str; 25] = [
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
        ]);
    }
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
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
    fn an_empty_list_is_just_the_header() {
        assert_eq!(orders_csv(&[]), format!("{}\r\n", CSV_COLUMNS.join(",")));
    }
}
