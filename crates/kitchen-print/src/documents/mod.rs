//! The printed documents: the kitchen order ticket (KOT), the customer's bill and a printer's
//! test page, each a whole ESC/POS job ending with a cut.
//!
//! English tickets print English in the printer's own font (sharper, faster) and draw any
//! line holding Urdu (a name, an address, a note) into a raster image, shaped right to left.
//! Urdu tickets are drawn throughout, with Urdu labels and the menu's Urdu names. Nothing an
//! order holds (very long names, emoji, empty fields) can make these panic: text is wrapped
//! to the paper, and what cannot be drawn is left out.

mod sheet;
mod tickets;
mod words;

use crate::escpos::Paper;
use crate::render::TextRenderer;
use chrono::{DateTime, FixedOffset, Utc};
use kitchen_domain::Order;
use std::sync::{Mutex, OnceLock};

pub use tickets::{bill_with, kot_with, test_page_with};

/// The language a ticket is printed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    /// English labels and names; Urdu text the order holds is drawn.
    En,
    /// Urdu labels and the menu's Urdu names, right to left; everything drawn.
    Ur,
}

/// The shop as its bill heads it (from the settings).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShopHeader {
    /// The shop's name.
    pub name: String,
    /// Its address.
    pub address: Option<String>,
    /// Its phone number, as the shop writes it.
    pub phone: Option<String>,
}

/// How a document is printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocOptions {
    /// The printer's paper.
    pub paper: Paper,
    /// The ticket's language.
    pub language: Language,
    /// Marked REPRINT (دوبارہ پرنٹ) at the top: a copy printed again on demand.
    pub reprint: bool,
    /// The rider taking it (the bill printed at dispatch names them).
    pub rider_name: Option<String>,
    /// The shop's offset from UTC: printed times are the shop's local time.
    pub utc_offset: FixedOffset,
}

/// The renderer every document shares: loading the fonts and filling the glyph cache is
/// the slow part of drawing Urdu, so it is done once per process.
fn with_renderer<T>(f: impl FnOnce(&mut TextRenderer) -> T) -> T {
    static RENDERER: OnceLock<Mutex<TextRenderer>> = OnceLock::new();
    let lock = RENDERER.get_or_init(|| Mutex::new(TextRenderer::new()));
    // A panic elsewhere while drawing leaves the renderer usable: its caches only grow.
    let mut renderer = lock.lock().unwrap_or_else(|e| e.into_inner());
    f(&mut renderer)
}

/// The kitchen order ticket: the order number big, the time, DELIVERY or PICKUP, every line
/// in large type with its deal contents, options, halves and note, the order's note; no
/// prices.
pub fn kot(order: &Order, opts: &DocOptions) -> Vec<u8> {
    with_renderer(|r| kot_with(r, order, opts))
}

/// The customer's bill: the shop, the order number and time, the customer and where it
/// goes, the lines with prices, savings, delivery fee, tax, the total, payment and change,
/// the rider, and a QR code of the order's public id.
pub fn bill(order: &Order, shop: &ShopHeader, opts: &DocOptions) -> Vec<u8> {
    with_renderer(|r| bill_with(r, order, shop, opts))
}

/// A test page for the printer named `printer_name`: its name, the paper width, a column
/// ruler, an Urdu sample line, a QR code and the time, so an owner sees the printer works.
pub fn test_page(printer_name: &str, shop: &ShopHeader, opts: &DocOptions) -> Vec<u8> {
    test_page_at(printer_name, shop, opts, Utc::now())
}

/// [`test_page`] printed at `at` (tests pass the time in).
pub fn test_page_at(
    printer_name: &str,
    shop: &ShopHeader,
    opts: &DocOptions,
    at: DateTime<Utc>,
) -> Vec<u8> {
    with_renderer(|r| test_page_with(r, printer_name, shop, opts, at))
}
