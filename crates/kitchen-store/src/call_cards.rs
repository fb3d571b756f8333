//! Call cards (migration 0008): calls the kitchen must do something about, open until
//! someone marks them done; an unfinished order's card is also resolved by a later order
//! from the same phone.

use crate::{StoreError, time};
use kitchen_domain::{CallCard, CallCardKind, Money, NewCallCard};
use r2d2_sqlite::rusqlite::{Connection, OptionalExtension, Row, params};

const COLUMNS: &str =
    "id, kind, call_sid, phone, reason, summary, total_paisa, created_at, done_at, done_by";

/// A row, with its kind still as stored (checked by [`card`]).
fn read(r: &Row<'_>) -> r2d2_sqlite::rusqlite::Result<(CallCard, String)> {
    Ok((
        CallCard {
            id: r.get(0)?,
            kind: CallCardKind::Transfer,
            call_sid: r.get(2)?,
            phone: r.get(3)?,
            reason: r.get(4)?,
            summary: r.get(5)?,
            total: r.get::<_, Option<i64>>(6)?.map(Money::from_paisa),
            created_at: r.get(7)?,
            done_at: r.get(8)?,
            done_by: r.get(9)?,
        },
        r.get(1)?,
    ))
}

/// A row's card; a kind this version does not know means the row was damaged.
fn card((mut card, kind): (CallCard, String)) -> Result<CallCard, StoreError> {
    card.kind = CallCardKind::parse(&kind)
        .ok_or_else(|| StoreError::Corrupt(format!("call card kind `{kind}`")))?;
    Ok(card)
}

fn query(c: &Connection, sql_tail: &str, arg: &str) -> Result<Vec<CallCard>, StoreError> {
    let mut stmt = c.prepare_cached(&format!("SELECT {COLUMNS} FROM call_cards {sql_tail}"))?;
    let rows = stmt.query_map([arg], read)?;
    rows.map(|row| card(row?)).collect()
}

/// Saves a new card, open.
pub(crate) fn add(
    c: &Connection,
    new: &NewCallCard,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<CallCard, StoreError> {
    c.execute(
        "INSERT INTO call_cards (kind, call_sid, phone, reason, summary, total_paisa, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            new.kind.as_str(),
            new.call_sid,
            new.phone,
            new.reason,
            new.summary,
            new.total.map(Money::paisa),
            time::fmt(at)
        ],
    )?;
    get(c, c.last_insert_rowid())
}

/// One card, open or done.
pub(crate) fn get(c: &Connection, id: i64) -> Result<CallCard, StoreError> {
    let row = c
        .query_row(
            &format!("SELECT {COLUMNS} FROM call_cards WHERE id = ?1"),
            [id],
            read,
        )
        .optional()?
        .ok_or(StoreError::NotFound)?;
    card(row)
}

/// The open cards, newest first.
pub(crate) fn open(c: &Connection) -> Result<Vec<CallCard>, StoreError> {
    let mut stmt = c.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM call_cards WHERE done_at IS NULL ORDER BY created_at DESC, id DESC"
    ))?;
    let rows = stmt.query_map([], read)?;
    rows.map(|row| card(row?)).collect()
}

/// A call's cards, open or done, oldest first.
pub(crate) fn of_call(c: &Connection, call_sid: &str) -> Result<Vec<CallCard>, StoreError> {
    query(c, "WHERE call_sid = ?1 ORDER BY created_at, id", call_sid)
}

/// Marks a card done by `by`. Returns the card and whether this call changed it: a card
/// already done stays as it was (who and when first), so a second tap on another screen is
/// harmless. [`StoreError::NotFound`] when there is no such card.
pub(crate) fn done(
    c: &mut Connection,
    id: i64,
    by: &str,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<(CallCard, bool), StoreError> {
    let tx = c.transaction_with_behavior(r2d2_sqlite::rusqlite::TransactionBehavior::Immediate)?;
    let changed = tx.execute(
        "UPDATE call_cards SET done_at = ?2, done_by = ?3 WHERE id = ?1 AND done_at IS NULL",
        params![id, time::fmt(at), by],
    )? == 1;
    let card = get(&tx, id)?;
    tx.commit()?;
    Ok((card, changed))
}

/// Resolves every open `unfinished_order` card of `phone` (E.164): the caller's order
/// arrived after all. Returns the ids resolved.
pub(crate) fn resolve_unfinished(
    c: &mut Connection,
    phone: &str,
    by: &str,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<i64>, StoreError> {
    let tx = c.transaction_with_behavior(r2d2_sqlite::rusqlite::TransactionBehavior::Immediate)?;
    let ids = {
        let mut stmt = tx.prepare_cached(
            "UPDATE call_cards SET done_at = ?2, done_by = ?3
             WHERE phone = ?1 AND kind = 'unfinished_order' AND done_at IS NULL
             RETURNING id",
        )?;
        let rows = stmt.query_map(params![phone, time::fmt(at), by], |r| r.get::<_, i64>(0))?;
        rows.collect::<Result<Vec<_>, _>>()?
    };
    tx.commit()?;
    Ok(ids)
}
