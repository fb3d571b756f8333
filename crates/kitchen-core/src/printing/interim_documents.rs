//! MERGE POINT: the documents the queue prints until `kitchen_print::documents` (the KOT and
//! bill layouts, Urdu drawn as images) is merged; then [`InterimDocuments`]' three methods
//! become calls to `kitchen_print::documents::{kot, bill, test_page}` and this file goes.
//!
//! Plain text in the printer's own font: the order number, DELIVERY or PICKUP, each line
//! and its notes, the bill's prices and total, REPRINT when printed before. Text outside
//! printable ASCII (Urdu) prints as `?` here.

use super::documents::{DocOptions, Documents, ShopHeader};
use kitchen_domain::{Fulfilment, Order};
use kitchen_print::{Align, Encoder};

/// Text-only tickets built on the ESC/POS [`Encoder`].
#[derive(Debug, Clone, Copy, Default)]
pub struct InterimDocuments;

fn header(e: &mut Encoder, order: &Order, title: &str, opts: &DocOptions) {
    e.align(Align::Center);
    if opts.reprint {
        e.bold(true).line("*** REPRINT ***").bold(false);
    }
    e.line(title).size(2, 2).bold(true);
    e.line(&format!("#{}", order.number));
    e.size(1, 1).bold(false);
    let kind = match order.fulfilment {
        Fulfilment::Delivery { .. } => "DELIVERY",
        Fulfilment::Pickup { .. } => "PICKUP",
    };
    e.line(kind);
    let local = order.created_at.with_timezone(&opts.utc_offset);
    e.line(&local.format("%d %b %Y %H:%M").to_string());
    if let Some(rider) = &opts.rider_name {
        e.line(&format!("Rider: {rider}"));
    }
    e.align(Align::Left);
}

impl Documents for InterimDocuments {
    fn kot(&self, order: &Order, opts: &DocOptions) -> Vec<u8> {
        let mut e = Encoder::new();
        header(&mut e, order, "KITCHEN ORDER", opts);
        for line in &order.lines {
            e.size(1, 2)
                .line(&format!("{} x {}", line.quantity, line.name))
                .size(1, 1);
            if let Some(note) = &line.note {
                e.line(&format!("  note: {note}"));
            }
        }
        if let Some(note) = &order.note {
            e.line(&format!("NOTE: {note}"));
        }
        e.feed(3).cut();
        e.finish()
    }

    fn bill(&self, order: &Order, shop: &ShopHeader, opts: &DocOptions) -> Vec<u8> {
        let mut e = Encoder::new();
        e.align(Align::Center)
            .bold(true)
            .line(&shop.name)
            .bold(false);
        for l in [&shop.address, &shop.phone].into_iter().flatten() {
            e.line(l);
        }
        header(&mut e, order, "BILL", opts);
        for line in &order.lines {
            e.line(&format!(
                "{} x {}  {}",
                line.quantity, line.name, line.line_total
            ));
        }
        e.bold(true)
            .line(&format!("TOTAL  {}", order.total))
            .bold(false);
        if let Some(name) = &order.customer_name {
            e.line(name);
        }
        if let Fulfilment::Delivery { address, .. } = &order.fulfilment {
            e.line(address);
        }
        e.feed(3).cut();
        e.finish()
    }

    fn test_page(&self, printer_name: &str, shop: &ShopHeader, opts: &DocOptions) -> Vec<u8> {
        let mut e = Encoder::new();
        e.align(Align::Center)
            .bold(true)
            .line(&shop.name)
            .bold(false)
            .line("TEST PAGE")
            .line(printer_name)
            .line(match opts.paper {
                kitchen_print::Paper::Mm58 => "58 mm paper",
                kitchen_print::Paper::Mm80 => "80 mm paper",
            })
            .feed(3)
            .cut();
        e.finish()
    }
}
