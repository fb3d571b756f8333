//! The print queue (migration 0013): one row a document to print on one printer, its
//! ESC/POS bytes rendered when it was queued. Each printer prints its queued jobs oldest
//! first; a job is marked done only after its bytes were delivered.

use crate::{StoreError, time};
use r2d2_sqlite::rusqlite::{Connection, OptionalExtension, params};

/// A job to queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPrintJob {
    /// The printer's id (setting `printers[].id`).
    pub printer_id: String,
    /// The order printed (none for a test page).
    pub order_id: Option<i64>,
    /// `kot`, `bill` or `test`.
    pub document: String,
    /// Printed before: the ticket says REPRINT.
    pub reprint: bool,
    /// Copies, 1 to 5 (the bytes hold one copy).
    pub copies: u32,
    /// Queued on its own (a new order, a dispatch), not by staff.
    pub auto: bool,
    /// One copy's ESC/POS bytes.
    pub bytes: Vec<u8>,
}

/// A queued job, as a printer's worker takes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintJob {
    /// The queue's id (jobs print in id order per printer).
    pub id: i64,
    /// The printer's id.
    pub printer_id: String,
    /// The order printed, if any.
    pub order_id: Option<i64>,
    /// `kot`, `bill` or `test`.
    pub document: String,
    /// A reprint.
    pub reprint: bool,
    /// Copies to print.
    pub copies: u32,
    /// One copy's bytes.
    pub bytes: Vec<u8>,
    /// Tries so far.
    pub attempts: u32,
}

/// A printer's queue at a glance.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueueState {
    /// Jobs not yet printed.
    pub waiting: u32,
    /// When its last job printed.
    pub last_printed: Option<chrono::DateTime<chrono::Utc>>,
}

/// Queues jobs in one transaction; returns their ids in order.
pub(crate) fn enqueue(
    c: &mut Connection,
    jobs: &[NewPrintJob],
    at: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<i64>, StoreError> {
    let tx = c.transaction()?;
    let mut ids = Vec::with_capacity(jobs.len());
    for j in jobs {
        tx.execute(
            "INSERT INTO print_jobs
               (printer_id, order_id, document, reprint, copies, auto, bytes, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                j.printer_id,
                j.order_id,
                j.document,
                j.reprint,
                j.copies,
                j.auto,
                j.bytes,
                time::fmt(at)
            ],
        )?;
        ids.push(tx.last_insert_rowid());
    }
    tx.commit()?;
    Ok(ids)
}

/// The oldest queued job of a printer.
pub(crate) fn next(c: &Connection, printer_id: &str) -> Result<Option<PrintJob>, StoreError> {
    Ok(c.query_row(
        "SELECT id, printer_id, order_id, document, reprint, copies, bytes, attempts
               FROM print_jobs WHERE printer_id = ?1 AND status = 'queued'
              ORDER BY id LIMIT 1",
        [printer_id],
        |r| {
            Ok(PrintJob {
                id: r.get(0)?,
                printer_id: r.get(1)?,
                order_id: r.get(2)?,
                document: r.get(3)?,
                reprint: r.get(4)?,
                copies: r.get(5)?,
                bytes: r.get(6)?,
                attempts: r.get(7)?,
            })
        },
    )
    .optional()?)
}

/// Marks a job printed.
pub(crate) fn done(
    c: &Connection,
    id: i64,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<(), StoreError> {
    c.execute(
        // A printed job's bytes are not needed again (a reprint draws the ticket afresh):
        // dropping them keeps an Urdu rush of raster tickets out of the database.
        "UPDATE print_jobs SET status = 'done', printed_at = ?2, attempts = attempts + 1,
                bytes = X'' WHERE id = ?1",
        params![id, time::fmt(at)],
    )?;
    Ok(())
}

/// Forgets jobs printed before `before` (their rows only mark reprints and what printed on
/// its own, which no one asks of a month-old order); queued jobs are never touched.
pub(crate) fn forget_printed(
    c: &Connection,
    before: chrono::DateTime<chrono::Utc>,
) -> Result<usize, StoreError> {
    Ok(c.execute(
        "DELETE FROM print_jobs WHERE status = 'done' AND printed_at < ?1",
        params![time::fmt(before)],
    )?)
}

/// Notes a failed try; the job stays queued.
pub(crate) fn failed(c: &Connection, id: i64, error: &str) -> Result<(), StoreError> {
    c.execute(
        "UPDATE print_jobs SET attempts = attempts + 1, last_error = ?2 WHERE id = ?1",
        params![id, error],
    )?;
    Ok(())
}

/// Whether `document` was already queued for the order on any printer (a new request for
/// it is a reprint); with `auto_only`, only jobs queued on their own count; with `since`,
/// only jobs queued at or after it.
pub(crate) fn queued_before(
    c: &Connection,
    order_id: i64,
    document: &str,
    auto_only: bool,
    since: Option<chrono::DateTime<chrono::Utc>>,
) -> Result<bool, StoreError> {
    Ok(c.query_row(
        "SELECT EXISTS (SELECT 1 FROM print_jobs
           WHERE order_id = ?1 AND document = ?2 AND (auto = 1 OR ?3 = 0)
             AND (?4 IS NULL OR created_at >= ?4))",
        params![order_id, document, auto_only, since.map(time::fmt)],
        |r| r.get(0),
    )?)
}

/// A printer's waiting jobs and last print.
pub(crate) fn queue_state(c: &Connection, printer_id: &str) -> Result<QueueState, StoreError> {
    let (waiting, last): (u32, Option<String>) = c.query_row(
        "SELECT (SELECT COUNT(*) FROM print_jobs WHERE printer_id = ?1 AND status = 'queued'),
                (SELECT MAX(printed_at) FROM print_jobs WHERE printer_id = ?1 AND status = 'done')",
        [printer_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(QueueState {
        waiting,
        last_printed: last.as_deref().map(time::parse).transpose()?,
    })
}
