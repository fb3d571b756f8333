//! The call log: one row a call, its transcript, its outcome and token usage, and the
//! quotes read back on it (`call_quotes`).
//!
//! The relay never waits for these writes: the server queues them to a writer task.

use crate::{StoreError, time};
use chrono::{DateTime, Utc};
use kitchen_domain::{
    AiUsage, CallEndReason, CallOutcome, CallQuote, CallRecord, Money, TranscriptLine,
};
use r2d2_sqlite::rusqlite::{Connection, OptionalExtension, Row, params};

pub use kitchen_domain::CallUpdate;

pub(crate) fn apply(c: &Connection, u: &CallUpdate) -> Result<(), StoreError> {
    match u {
        CallUpdate::Started {
            call_sid,
            caller,
            at,
        } => {
            c.execute(
                "INSERT INTO calls (call_sid, caller, started_at) VALUES (?1, ?2, ?3) ON CONFLICT (call_sid) DO NOTHING",
                params![call_sid, caller, time::fmt(*at)],
            )?;
        }
        CallUpdate::Answered { call_sid, at } => {
            c.execute(
                "UPDATE calls SET answered_at = COALESCE(answered_at, ?2) WHERE call_sid = ?1",
                params![call_sid, time::fmt(*at)],
            )?;
        }
        CallUpdate::Said {
            call_sid,
            speaker,
            text,
            at,
        } => {
            c.execute(
                "INSERT INTO call_transcript (call_id, speaker, text, at)
                 SELECT id, ?2, ?3, ?4 FROM calls WHERE call_sid = ?1",
                params![call_sid, speaker, text, time::fmt(*at)],
            )?;
        }
        CallUpdate::Usage {
            call_sid,
            input,
            output,
            audio_in,
            audio_out,
            cached_in,
            cost_millipaisa,
        } => {
            let n = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
            c.execute(
                "UPDATE calls SET input_tokens = input_tokens + ?2, output_tokens = output_tokens + ?3,
                        audio_input_tokens = audio_input_tokens + ?4, audio_output_tokens = audio_output_tokens + ?5,
                        cached_input_tokens = cached_input_tokens + ?6,
                        ai_cost_millipaisa = ai_cost_millipaisa + ?7
                 WHERE call_sid = ?1",
                params![
                    call_sid,
                    n(*input),
                    n(*output),
                    n(*audio_in),
                    n(*audio_out),
                    n(*cached_in),
                    n(*cost_millipaisa)
                ],
            )?;
        }
        CallUpdate::Ordered { call_sid, order_id } => {
            c.execute(
                "UPDATE calls SET order_id = ?2 WHERE call_sid = ?1",
                params![call_sid, order_id],
            )?;
        }
        CallUpdate::Quoted {
            call_sid,
            quote_id,
            lines,
            total,
            missing,
            at,
        } => {
            // A quote id is the call's own: the same one written again (a retried batch)
            // replaces itself instead of doubling.
            c.execute(
                "INSERT INTO call_quotes (call_sid, quote_id, lines_json, total_paisa, missing_json, at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (call_sid, quote_id) DO UPDATE SET
                   lines_json = excluded.lines_json, total_paisa = excluded.total_paisa,
                   missing_json = excluded.missing_json, at = excluded.at",
                params![
                    call_sid,
                    quote_id,
                    json_list(lines)?,
                    total.paisa(),
                    json_list(missing)?,
                    time::fmt(*at)
                ],
            )?;
        }
        CallUpdate::Ended {
            call_sid,
            outcome,
            reason,
            code,
            at,
        } => {
            c.execute(
                "UPDATE calls SET ended_at = COALESCE(ended_at, ?2),
                        outcome = CASE WHEN order_id IS NOT NULL AND ?3 NOT IN ('transferred', 'failed') THEN 'ordered' ELSE ?3 END,
                        outcome_reason = COALESCE(?4, outcome_reason),
                        outcome_reason_code = COALESCE(?5, outcome_reason_code)
                 WHERE call_sid = ?1 AND outcome = 'in_progress'",
                params![
                    call_sid,
                    time::fmt(*at),
                    outcome.as_str(),
                    reason,
                    code.map(CallEndReason::as_str)
                ],
            )?;
        }
    }
    Ok(())
}

const COLUMNS: &str =
    "call_sid, caller, started_at, answered_at, ended_at, outcome, outcome_reason, order_id,
     input_tokens, output_tokens,
     CAST((julianday(ended_at) - julianday(started_at)) * 86400 + 0.5 AS INTEGER),
     ai_cost_millipaisa, outcome_reason_code";

fn read(r: &Row<'_>) -> r2d2_sqlite::rusqlite::Result<(CallRecord, String)> {
    let outcome: String = r.get(5)?;
    Ok((
        CallRecord {
            call_sid: r.get(0)?,
            caller: r.get(1)?,
            started_at: r.get(2)?,
            answered_at: r.get(3)?,
            ended_at: r.get(4)?,
            duration_seconds: r.get(10)?,
            outcome: CallOutcome::InProgress,
            outcome_reason: r.get(6)?,
            // A code this version does not know (written by a newer one) is left out.
            outcome_reason_code: r
                .get::<_, Option<String>>(12)?
                .as_deref()
                .and_then(CallEndReason::parse),
            order_id: r.get(7)?,
            input_tokens: r.get(8)?,
            output_tokens: r.get(9)?,
            ai_cost_paisa: kitchen_domain::settings::caps::paisa_of_millipaisa(r.get(11)?),
            transcript: None,
            quotes: None,
            cards: None,
        },
        outcome,
    ))
}

/// A stored outcome name; anything else means the row was damaged.
fn parse_outcome(s: &str) -> Result<CallOutcome, StoreError> {
    CallOutcome::parse(s).ok_or_else(|| StoreError::Corrupt(format!("call outcome `{s}`")))
}

pub(crate) fn list(c: &Connection, limit: u32) -> Result<Vec<CallRecord>, StoreError> {
    let mut stmt = c.prepare(&format!(
        "SELECT {COLUMNS} FROM calls ORDER BY started_at DESC, id DESC LIMIT ?1"
    ))?;
    let rows = stmt.query_map([limit], read)?;
    rows.map(|row| {
        let (mut rec, outcome) = row?;
        rec.outcome = parse_outcome(&outcome)?;
        Ok(rec)
    })
    .collect()
}

/// The AI's calls answered within `from..to`: how many, their seconds (each up to its end,
/// or `now` while it lasts, but never past `to`) and their estimated cost.
pub(crate) fn ai_usage(
    c: &Connection,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<AiUsage, StoreError> {
    let (calls, seconds, cost): (u32, i64, i64) = c.query_row(
        "SELECT COUNT(*),
                COALESCE(SUM(MAX(0, CAST((MIN(julianday(COALESCE(ended_at, ?3)), julianday(?2))
                                         - julianday(answered_at)) * 86400 + 0.5 AS INTEGER))), 0),
                COALESCE(SUM(ai_cost_millipaisa), 0)
         FROM calls WHERE answered_at >= ?1 AND answered_at < ?2",
        params![time::fmt(from), time::fmt(to), time::fmt(now)],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    Ok(AiUsage {
        calls,
        seconds,
        cost_millipaisa: cost,
    })
}

pub(crate) fn get(c: &Connection, call_sid: &str) -> Result<CallRecord, StoreError> {
    let (mut rec, outcome) = c
        .query_row(
            &format!("SELECT {COLUMNS} FROM calls WHERE call_sid = ?1"),
            [call_sid],
            read,
        )
        .optional()?
        .ok_or(StoreError::NotFound)?;
    rec.outcome = parse_outcome(&outcome)?;
    let mut stmt = c.prepare_cached(
        "SELECT t.speaker, t.text, t.at FROM call_transcript t JOIN calls c ON c.id = t.call_id
         WHERE c.call_sid = ?1 ORDER BY t.id",
    )?;
    let lines = stmt
        .query_map([call_sid], |r| {
            Ok(TranscriptLine {
                speaker: r.get(0)?,
                text: r.get(1)?,
                at: r.get(2)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    rec.transcript = Some(lines);
    rec.quotes = Some(quotes(c, call_sid)?);
    rec.cards = Some(crate::call_cards::of_call(c, call_sid)?);
    Ok(rec)
}

fn json_list(v: &[String]) -> Result<String, StoreError> {
    serde_json::to_string(v).map_err(|e| StoreError::Corrupt(format!("a list as JSON: {e}")))
}

fn parse_list(column: &str, text: &str) -> Result<Vec<String>, StoreError> {
    serde_json::from_str(text)
        .map_err(|e| StoreError::Corrupt(format!("call quote {column} `{text}`: {e}")))
}

/// The quotes read back on a call, oldest first.
fn quotes(c: &Connection, call_sid: &str) -> Result<Vec<CallQuote>, StoreError> {
    let mut stmt = c.prepare_cached(
        "SELECT quote_id, lines_json, total_paisa, missing_json, at FROM call_quotes
         WHERE call_sid = ?1 ORDER BY at, id",
    )?;
    let rows = stmt
        .query_map([call_sid], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    rows.into_iter()
        .map(|(quote_id, lines, total, missing, at)| {
            Ok(CallQuote {
                quote_id,
                lines: parse_list("lines", &lines)?,
                total: Money::from_paisa(total),
                missing: parse_list("missing", &missing)?,
                at,
            })
        })
        .collect()
}

/// The name and address of a caller's most recent delivery (pickups have no address), for
/// "same address as last time?".
pub(crate) fn last_delivery(
    c: &Connection,
    phone: &str,
) -> Result<Option<LastDelivery>, StoreError> {
    Ok(c.query_row(
        "SELECT customer_name, address, landmark FROM orders
         WHERE customer_phone = ?1 AND fulfilment_type = 'delivery'
         ORDER BY order_time DESC, id DESC LIMIT 1",
        [phone],
        |r| {
            Ok(LastDelivery {
                name: r.get(0)?,
                address: r.get(1)?,
                landmark: r.get(2)?,
            })
        },
    )
    .optional()?)
}

/// Where a returning caller's last order went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LastDelivery {
    /// Their name then.
    pub name: Option<String>,
    /// The address.
    pub address: String,
    /// The landmark.
    pub landmark: Option<String>,
}
