//! Key/value settings of the shop.

use crate::StoreError;
use r2d2_sqlite::rusqlite::{Connection, OptionalExtension, params};

pub(crate) fn get(c: &Connection, key: &str) -> Result<Option<String>, StoreError> {
    Ok(
        c.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
            r.get(0)
        })
        .optional()?,
    )
}

pub(crate) fn set(c: &Connection, key: &str, value: &str) -> Result<(), StoreError> {
    c.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}

pub(crate) fn delete(c: &Connection, key: &str) -> Result<(), StoreError> {
    c.execute("DELETE FROM settings WHERE key = ?1", [key])?;
    Ok(())
}
