//! The menu: one JSON document (`menu_document`), checked as a whole by the domain before
//! it is written and again when it is read, replaced in one statement.

use crate::StoreError;
use kitchen_domain::Menu;
use r2d2_sqlite::rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use std::sync::{Arc, Mutex};

/// The menu last read and the stored JSON it was read from. The menu is read on every
/// price (each phone draft, each builder keystroke's quote), and checking a 200-item menu
/// costs far more than reading its text: the text is still read each time (so a change by
/// any writer is seen at once) and parsed again only when it differs. Readers share one
/// parsed copy ([`Arc`]): a 200-item menu is never deep-copied to be read.
#[derive(Debug, Clone, Default)]
pub(crate) struct MenuCache(Arc<Mutex<Option<Parsed>>>);

/// A stored menu's text and the menu parsed from it.
type Parsed = (String, Arc<Menu>);

fn stored_json(c: &Connection) -> Result<String, StoreError> {
    let json: Option<String> = c
        .prepare_cached("SELECT json FROM menu_document WHERE id = 1")?
        .query_row([], |r| r.get(0))
        .optional()?;
    json.ok_or_else(|| StoreError::Corrupt("no menu stored".into()))
}

/// The stored menu, checked (from the cache while the stored text is unchanged).
pub(crate) fn load_cached(c: &Connection, cache: &MenuCache) -> Result<Arc<Menu>, StoreError> {
    let json = stored_json(c)?;
    let mut cached = cache.0.lock().unwrap_or_else(|p| p.into_inner());
    if let Some((text, menu)) = cached.as_ref()
        && *text == json
    {
        return Ok(Arc::clone(menu));
    }
    let menu = Arc::new(
        Menu::from_json(&json).map_err(|e| StoreError::Corrupt(format!("stored menu: {e}")))?,
    );
    *cached = Some((json, Arc::clone(&menu)));
    Ok(menu)
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
