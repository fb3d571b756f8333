//! The day's cash-up: orders and money by payment method and by rider, and each rider's
//! cash marked collected at closing (`rider_cashups`, migration 0013).

use crate::{StoreError, time};
use chrono::{DateTime, NaiveDate, Utc};
use kitchen_domain::{CashCollected, CashUp, MethodCashUp, PaymentMethod, Rider, RiderCashUp};
use r2d2_sqlite::rusqlite::{Connection, TransactionBehavior, params};

/// The cash-up of business day `date`: one line per payment method in `methods` (then any
/// other method used that day), one per rider in `riders` (then any rider since removed who
/// went out that day, by the name they had at dispatch).
pub(crate) fn cashup(
    c: &Connection,
    date: NaiveDate,
    riders: &[Rider],
    methods: &[PaymentMethod],
) -> Result<CashUp, StoreError> {
    let d = date.format("%Y-%m-%d").to_string();
    let mut lines: Vec<RiderCashUp> = riders
        .iter()
        .map(|r| RiderCashUp {
            rider_id: r.id.clone(),
            name: r.name.clone(),
            phone: r.phone.clone(),
            active: true,
            dispatched: 0,
            delivered: 0,
            returned: 0,
            out: 0,
            cash_to_collect: 0,
            outstanding: 0,
            collected: None,
        })
        .collect();
    let mut stmt = c.prepare(
        "SELECT rider_id, rider_name, rider_phone, status, payment_method, total_paisa
         FROM orders WHERE business_date = ?1 AND rider_id IS NOT NULL
         ORDER BY dispatched_at, id",
    )?;
    let rows = stmt.query_map([&d], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, Option<String>>(1)?,
            r.get::<_, Option<String>>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, i64>(5)?,
        ))
    })?;
    for row in rows {
        let (id, name, phone, status, method, total) = row?;
        let i = match lines.iter().position(|l| l.rider_id == id) {
            Some(i) => i,
            None => {
                lines.push(RiderCashUp {
                    rider_id: id.clone(),
                    name: name.clone().unwrap_or_else(|| id.clone()),
                    phone: phone.clone().unwrap_or_default(),
                    active: false,
                    dispatched: 0,
                    delivered: 0,
                    returned: 0,
                    out: 0,
                    cash_to_collect: 0,
                    outstanding: 0,
                    collected: None,
                });
                lines.len() - 1
            }
        };
        let line = &mut lines[i];
        if !line.active {
            // A removed rider shows by the name they had at their latest dispatch.
            if let Some(n) = name {
                line.name = n;
            }
            if let Some(p) = phone {
                line.phone = p;
            }
        }
        line.dispatched += 1;
        match status.as_str() {
            "delivered" => {
                line.delivered += 1;
                if method == "cash" {
                    line.cash_to_collect += total;
                }
            }
            "returned" => line.returned += 1,
            "out_for_delivery" => line.out += 1,
            _ => {}
        }
    }
    let mut stmt = c.prepare(
        "SELECT rider_id, amount_paisa, collected_at, collected_by FROM rider_cashups
         WHERE business_date = ?1",
    )?;
    let marks = stmt.query_map([&d], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
        ))
    })?;
    for mark in marks {
        let (id, amount, at, by) = mark?;
        if let Some(line) = lines.iter_mut().find(|l| l.rider_id == id) {
            line.collected = Some(CashCollected {
                at: time::fmt(time::parse(&at)?),
                by,
                amount,
            });
        }
    }
    for line in &mut lines {
        let handed_in = line.collected.as_ref().map_or(0, |m| m.amount);
        // Negative when more was handed in than the rider's deliveries now add up to (a
        // delivery undone or recalled after the count): the shop owes the difference back.
        line.outstanding = line.cash_to_collect - handed_in;
    }
    let mut stmt = c.prepare(
        "SELECT payment_method, COUNT(*), COALESCE(SUM(total_paisa), 0) FROM orders
         WHERE business_date = ?1 AND status NOT IN ('cancelled', 'returned')
         GROUP BY payment_method",
    )?;
    let used: Vec<(String, u32, i64)> = stmt
        .query_map([&d], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<_, _>>()?;
    let mut all: Vec<PaymentMethod> = methods.to_vec();
    for (m, _, _) in &used {
        let m = PaymentMethod::parse(m)
            .ok_or_else(|| StoreError::Corrupt(format!("payment method `{m}`")))?;
        if !all.contains(&m) {
            all.push(m);
        }
    }
    let cash_out: i64 = lines.iter().map(|l| l.outstanding).sum();
    let methods = all
        .into_iter()
        .map(|m| {
            let (orders, total) = used
                .iter()
                .find(|(name, _, _)| name == m.as_str())
                .map_or((0, 0), |(_, n, t)| (*n, *t));
            MethodCashUp {
                method: m,
                orders,
                total,
                cash_to_collect: if m == PaymentMethod::Cash {
                    cash_out
                } else {
                    0
                },
            }
        })
        .collect();
    Ok(CashUp {
        date,
        methods,
        riders: lines,
    })
}

/// Marks rider `rider_id`'s cash of day `date` as counted in by `by` at `at`, for the amount
/// the cash-up computes now (marking again updates it); in one write transaction, so no
/// delivery slips in between. With `expected` (the amount the owner counted against), a
/// different amount now refuses the mark ([`StoreError::CashChanged`]). `None` when the day
/// knows no such rider.
#[allow(clippy::too_many_arguments)]
pub(crate) fn mark_collected(
    c: &mut Connection,
    date: NaiveDate,
    rider_id: &str,
    expected: Option<i64>,
    riders: &[Rider],
    methods: &[PaymentMethod],
    by: &str,
    at: DateTime<Utc>,
) -> Result<Option<CashUp>, StoreError> {
    let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let before = cashup(&tx, date, riders, methods)?;
    let Some(line) = before.riders.iter().find(|l| l.rider_id == rider_id) else {
        return Ok(None);
    };
    if let Some(expected) = expected
        && expected != line.cash_to_collect
    {
        return Err(StoreError::CashChanged {
            expected,
            now: line.cash_to_collect,
        });
    }
    tx.execute(
        "INSERT INTO rider_cashups (business_date, rider_id, amount_paisa, collected_at, collected_by)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (business_date, rider_id) DO UPDATE SET
           amount_paisa = excluded.amount_paisa, collected_at = excluded.collected_at,
           collected_by = excluded.collected_by",
        params![
            date.format("%Y-%m-%d").to_string(),
            rider_id,
            line.cash_to_collect,
            time::fmt(at),
            by
        ],
    )?;
    let after = cashup(&tx, date, riders, methods)?;
    tx.commit()?;
    Ok(Some(after))
}

/// Takes back the mark of rider `rider_id`'s cash on day `date` (nothing to take back is
/// fine). `None` when the day knows no such rider.
pub(crate) fn unmark_collected(
    c: &mut Connection,
    date: NaiveDate,
    rider_id: &str,
    riders: &[Rider],
    methods: &[PaymentMethod],
) -> Result<Option<CashUp>, StoreError> {
    let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
    tx.execute(
        "DELETE FROM rider_cashups WHERE business_date = ?1 AND rider_id = ?2",
        params![date.format("%Y-%m-%d").to_string(), rider_id],
    )?;
    let after = cashup(&tx, date, riders, methods)?;
    if !after.riders.iter().any(|l| l.rider_id == rider_id) {
        return Ok(None);
    }
    tx.commit()?;
    Ok(Some(after))
}
