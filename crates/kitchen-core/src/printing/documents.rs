//! The seam between the print queue and the documents' layouts: what a KOT, a bill and a
//! test page look like is [`Documents`]' business; the queue only asks for bytes.
//!
//! The option types mirror `kitchen_print::documents` (`DocOptions`, `ShopHeader`), so the
//! production implementation is a thin call into that module.

use kitchen_domain::{Order, TicketLanguage};
use kitchen_print::Paper;

/// The shop's header on the bill and the test page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShopHeader {
    /// The shop's name.
    pub name: String,
    /// Its address (setting `shop_address`).
    pub address: Option<String>,
    /// Its phone (setting `shop_phone`).
    pub phone: Option<String>,
}

/// How a document is printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocOptions {
    /// The printer's paper.
    pub paper: Paper,
    /// The tickets' language (setting `ticket_language`).
    pub language: TicketLanguage,
    /// Printed before: marked REPRINT.
    pub reprint: bool,
    /// The rider the order went out with (a bill printed at dispatch).
    pub rider_name: Option<String>,
    /// The shop's offset from UTC, for printed times.
    pub utc_offset: chrono::FixedOffset,
}

/// Renders documents into one copy's ESC/POS bytes.
pub trait Documents: Send + Sync + std::fmt::Debug {
    /// The kitchen order ticket.
    fn kot(&self, order: &Order, opts: &DocOptions) -> Vec<u8>;
    /// The customer's bill.
    fn bill(&self, order: &Order, shop: &ShopHeader, opts: &DocOptions) -> Vec<u8>;
    /// A page that shows the printer works.
    fn test_page(&self, printer_name: &str, shop: &ShopHeader, opts: &DocOptions) -> Vec<u8>;
}
