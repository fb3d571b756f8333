//! `GET /api/printers`, `POST /api/orders/{id}/print`, `POST /api/printers/{id}/test` and
//! the `printer.changed` event: the shop's printers as the board and Settings see them.

use kitchen_domain::{PrintDocument, PrinterKind};
use serde::{Deserialize, Serialize};

/// Where a printer stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum PrinterState {
    /// Idle, or printing fine.
    Ready,
    /// Sending a job now.
    Printing,
    /// Not reachable (off, unplugged, wrong address): its jobs wait.
    Offline,
    /// It says its paper ran out: its jobs wait.
    OutOfPaper,
    /// Something else went wrong (the spooler refused, the connection broke): its jobs
    /// wait and are retried.
    Error,
}

/// One printer's status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct PrinterStatusDto {
    /// The printer's id (setting `printers[].id`).
    pub id: String,
    /// Its name.
    pub name: String,
    /// Network or system.
    pub kind: PrinterKind,
    /// Where it stands.
    pub state: PrinterState,
    /// What went wrong, as a code the dashboard says in its language (`printer_offline`,
    /// `printer_out_of_paper`, `printer_refused`, `printer_write_failed`,
    /// `system_print_failed`, `system_print_unsupported`); null when all is well.
    pub message_code: Option<String>,
    /// The problem in English, for the log and support (never shown on an Urdu screen).
    pub message: Option<String>,
    /// Jobs waiting to print.
    pub jobs_waiting: u32,
    /// When its last job printed (RFC 3339), if ever.
    pub last_printed: Option<String>,
}

/// `GET /api/printers`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct PrintersDto {
    /// Every printer set up, in the settings' order.
    pub printers: Vec<PrinterStatusDto>,
    /// The printers the operating system knows (for a `system` printer's address).
    pub system_printers: Vec<String>,
    /// Why the operating system's printers cannot be listed or used here, as a code
    /// (`system_print_unsupported`, `system_printers_unavailable`); null when they can.
    pub system_printers_problem: Option<String>,
}

/// `POST /api/orders/{id}/print`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields)]
pub struct PrintRequest {
    /// `kot` or `bill`.
    pub document: PrintDocument,
    /// One printer; none: every printer that prints this document.
    pub printer_id: Option<String>,
}

/// A job put in a printer's queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct PrintJobDto {
    /// The queue's id.
    #[ts(type = "number")]
    pub id: i64,
    /// The printer's id.
    pub printer_id: String,
    /// `kot`, `bill` or `test`.
    pub document: String,
    /// Marked REPRINT.
    pub reprint: bool,
    /// Copies.
    pub copies: u32,
}

/// `202` from the print routes: the jobs queued.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct PrintQueuedDto {
    /// What was queued, in print order.
    pub jobs: Vec<PrintJobDto>,
}
