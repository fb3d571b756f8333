//! The menu: one JSON document (`menu_document`), checked as a whole by the domain before
//! it is written and again when it is read, replaced in one statement.

use crate::StoreError;
use kitchen_domain::Menu;
use r2d2_sqlite::rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

pub(crate) fn load(c: &Connection) -> Result<Menu, StoreError> {
    let json: Option<String> = c
        .prepare_cached("SELECT json FROM menu_document WHERE id = 1")?
        .query_row([], |r| r.get(0))
        .optional()?;
    let Some(json) = json else {
        return Err(StoreError::Corrupt("no menu stored".into()));
    };
    Menu::from_json(&json).map_err(|e| StoreError::Corrupt(format!("stored menu: {e}")))
}

fn write(c: &Connection, menu: &Menu) -> Result<(), StoreError> {
    let json = serde_json::to_string(menu)
        .map_err(|e| StoreError::Corrupt(format!("menu to JSON: {e}")))?;
    c.execute(
        "INSERT INTO menu_document (id, json) VALUES (1, ?1)
         ON CONFLICT (id) DO UPDATE SET json = excluded.json",
        params![json],
    )?;
    Ok(())
}

pub(crate) fn replace(c: &mut Connection, menu: &Menu) -> Result<(), StoreError> {
    let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
    write(&tx, menu)?;
    tx.commit()?;
    Ok(())
}

pub(crate) fn seed_if_empty(c: &mut Connection, menu: &Menu) -> Result<bool, StoreError> {
    let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let n: i64 = tx.query_row("SELECT COUNT(*) FROM menu_document", [], |r| r.get(0))?;
    if n > 0 {
        return Ok(false);
    }
    write(&tx, menu)?;
    tx.commit()?;
    Ok(true)
}
