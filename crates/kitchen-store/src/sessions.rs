//! Dashboard login sessions, kept in the database so a restart does not log the kitchen out.

use crate::{StoreError, time};
use chrono::{DateTime, Utc};
use r2d2_sqlite::rusqlite::{Connection, OptionalExtension, params};

/// What a session may do: the owner everything, a kitchen tablet the board's work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SessionRole {
    /// The shop's owner: settings, secrets, menu prices, the phone, exports, setup.
    Owner,
    /// A kitchen tablet or the board: orders, statuses, manual orders, sold-out toggles.
    Kitchen,
}

impl SessionRole {
    /// As stored and as the API names it.
    pub fn as_str(self) -> &'static str {
        match self {
            SessionRole::Owner => "owner",
            SessionRole::Kitchen => "kitchen",
        }
    }

    fn parse(s: &str) -> Self {
        // Anything but "owner" is the lesser role: an unknown value never grants rights.
        if s == "owner" {
            SessionRole::Owner
        } else {
            SessionRole::Kitchen
        }
    }
}

/// A live session as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    /// Who opened it.
    pub username: String,
    /// What it may do.
    pub role: SessionRole,
    /// When it ends by itself.
    pub expires_at: DateTime<Utc>,
}

pub(crate) fn create(
    c: &Connection,
    token_hash: &str,
    username: &str,
    role: SessionRole,
    now: DateTime<Utc>,
    expires: DateTime<Utc>,
) -> Result<(), StoreError> {
    // Expired sessions are swept whenever someone logs in: the table stays small.
    c.execute(
        "DELETE FROM sessions WHERE expires_at <= ?1",
        [time::fmt(now)],
    )?;
    c.execute(
        "INSERT INTO sessions (token_hash, username, role, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![token_hash, username, role.as_str(), time::fmt(now), time::fmt(expires)],
    )?;
    Ok(())
}

pub(crate) fn find(
    c: &Connection,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<SessionRecord>, StoreError> {
    let row: Option<(String, String, String)> = c
        .query_row(
            "SELECT username, role, expires_at FROM sessions WHERE token_hash = ?1 AND expires_at > ?2",
            params![token_hash, time::fmt(now)],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    row.map(|(username, role, expires)| {
        Ok(SessionRecord {
            username,
            role: SessionRole::parse(&role),
            expires_at: time::parse(&expires)?,
        })
    })
    .transpose()
}

pub(crate) fn delete(c: &Connection, token_hash: &str) -> Result<(), StoreError> {
    c.execute("DELETE FROM sessions WHERE token_hash = ?1", [token_hash])?;
    Ok(())
}

pub(crate) fn delete_all(c: &Connection) -> Result<usize, StoreError> {
    Ok(c.execute("DELETE FROM sessions", [])?)
}
