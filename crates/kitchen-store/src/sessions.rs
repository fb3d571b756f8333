//! Dashboard login sessions, kept in the database so a restart does not log the kitchen out.

use crate::{StoreError, time};
use chrono::{DateTime, Utc};
use r2d2_sqlite::rusqlite::{Connection, OptionalExtension, params};

pub(crate) fn create(
    c: &Connection,
    token_hash: &str,
    username: &str,
    now: DateTime<Utc>,
    expires: DateTime<Utc>,
) -> Result<(), StoreError> {
    // Expired sessions are swept whenever someone logs in: the table stays small.
    c.execute(
        "DELETE FROM sessions WHERE expires_at <= ?1",
        [time::fmt(now)],
    )?;
    c.execute(
        "INSERT INTO sessions (token_hash, username, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)",
        params![token_hash, username, time::fmt(now), time::fmt(expires)],
    )?;
    Ok(())
}

pub(crate) fn user(
    c: &Connection,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<String>, StoreError> {
    Ok(c.query_row(
        "SELECT username FROM sessions WHERE token_hash = ?1 AND expires_at > ?2",
        params![token_hash, time::fmt(now)],
        |r| r.get(0),
    )
    .optional()?)
}

pub(crate) fn delete(c: &Connection, token_hash: &str) -> Result<(), StoreError> {
    c.execute("DELETE FROM sessions WHERE token_hash = ?1", [token_hash])?;
    Ok(())
}

pub(crate) fn delete_all(c: &Connection) -> Result<usize, StoreError> {
    Ok(c.execute("DELETE FROM sessions", [])?)
}
