//! The shop's receipt printers (setting `printers`), what the bill's header says
//! (`shop_address`) and the language tickets are printed in (`ticket_language`).
//!
//! A printer is a network ESC/POS printer (raw TCP, port 9100) or one the operating system
//! knows (its spooler takes a raw job); each prints some documents (the kitchen's order
//! ticket, the customer's bill), on 58 or 80 mm paper, in one to five copies, and either
//! on its own for every new order (`auto_print`) or only when staff ask.

use crate::validation::FieldError;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// How the app reaches a printer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum PrinterKind {
    /// Raw TCP to `host:port` (an Ethernet or Wi-Fi thermal printer).
    Network,
    /// A printer the operating system knows, by its queue name.
    System,
}

/// A document a printer can print.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ts_rs::TS,
)]
#[serde(rename_all = "lowercase")]
pub enum PrintDocument {
    /// The kitchen order ticket (no prices).
    Kot,
    /// The customer's bill.
    Bill,
}

impl PrintDocument {
    /// `kot` or `bill`.
    pub fn as_str(self) -> &'static str {
        match self {
            PrintDocument::Kot => "kot",
            PrintDocument::Bill => "bill",
        }
    }

    /// Parses `kot` or `bill`.
    pub fn parse(s: &str) -> Option<PrintDocument> {
        [PrintDocument::Kot, PrintDocument::Bill]
            .into_iter()
            .find(|d| d.as_str() == s)
    }
}

/// One printer as the owner set it up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct PrinterConfig {
    /// Stable id (`kitchen`), lowercase letters, digits, `-` or `.`.
    pub id: String,
    /// What staff call it ("Kitchen printer").
    pub name: String,
    /// Network or the operating system's.
    pub kind: PrinterKind,
    /// `host:port` for a network printer (port 9100 when left out); the operating system's
    /// printer name for a system one.
    pub address: String,
    /// Paper width: 58 or 80.
    pub width_mm: u32,
    /// What it prints: a non-empty subset of `kot` and `bill`.
    pub documents: Vec<PrintDocument>,
    /// Copies of each document, 1 to 5.
    pub copies: u32,
    /// Prints its documents on its own for every new order.
    pub auto_print: bool,
}

impl PrinterConfig {
    /// Whether this printer prints `doc`.
    pub fn prints(&self, doc: PrintDocument) -> bool {
        self.documents.contains(&doc)
    }
}

/// The port of a network printer's raw socket when the address names none.
pub const DEFAULT_PORT: u16 = 9100;
/// The most printers a shop may set up.
pub const MAX_PRINTERS: usize = 10;
/// The most copies of a document.
pub const MAX_COPIES: u32 = 5;
/// The longest shop address printed on the bill.
pub const SHOP_ADDRESS_MAX_CHARS: usize = 200;

/// Checks a `host:port` (or a bare host, given port 9100); returns the address normalised.
pub fn check_network_address(address: &str) -> Result<String, &'static str> {
    let a = address.trim();
    if a.is_empty() {
        return Err("required");
    }
    let (host, port) = match a.rsplit_once(':') {
        Some((h, p)) if !h.contains(':') || h.starts_with('[') => {
            (h, p.parse::<u16>().map_err(|_| "printer_address_format")?)
        }
        _ => (a, DEFAULT_PORT),
    };
    let host_ok = !host.is_empty()
        && host.len() <= 253
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '[' | ']' | ':'));
    if !host_ok || port == 0 {
        return Err("printer_address_format");
    }
    Ok(format!("{host}:{port}"))
}

/// Checks and tidies the printers: every problem under `printers[i].field`.
pub fn check_printers(printers: Vec<PrinterConfig>) -> Result<Vec<PrinterConfig>, Vec<FieldError>> {
    let mut errors = Vec::new();
    if printers.len() > MAX_PRINTERS {
        errors.push(
            FieldError::coded(
                "printers",
                "too_long",
                format!("at most {MAX_PRINTERS} printers"),
            )
            .with("max", MAX_PRINTERS),
        );
    }
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(printers.len());
    for (i, mut p) in printers.into_iter().enumerate() {
        let at = |f: &str| format!("printers[{i}].{f}");
        p.name = p.name.trim().to_string();
        p.address = p.address.trim().to_string();
        if let Some(e) = crate::menu::check_id(at("id"), &p.id) {
            errors.push(e);
        } else if !seen.insert(p.id.clone()) {
            errors.push(
                FieldError::coded(
                    at("id"),
                    "duplicate_id",
                    format!("`{}` appears twice; ids must be unique", p.id),
                )
                .with("id", &p.id),
            );
        }
        crate::menu::check_text(&mut errors, at("name"), &p.name, 60, true);
        match p.kind {
            PrinterKind::Network => match check_network_address(&p.address) {
                Ok(a) => p.address = a,
                Err(code) => errors.push(FieldError::coded(
                    at("address"),
                    code,
                    "write the printer's network address as host:port, for example \
                     192.168.1.50:9100 (port 9100 when left out)",
                )),
            },
            PrinterKind::System => {
                if p.address.is_empty() {
                    errors.push(FieldError::coded(
                        at("address"),
                        "required",
                        "choose the printer from the computer's printers",
                    ));
                } else if p.address.chars().count() > 127
                    || p.address.chars().any(|c| c.is_control() || c == '/')
                {
                    errors.push(FieldError::coded(
                        at("address"),
                        "printer_name_format",
                        "that is not a printer name the computer knows; choose one from the list",
                    ));
                }
            }
        }
        if !matches!(p.width_mm, 58 | 80) {
            errors.push(FieldError::coded(
                at("width_mm"),
                "paper_width",
                "paper width is 58 or 80 mm",
            ));
        }
        p.documents.sort();
        p.documents.dedup();
        if p.documents.is_empty() {
            errors.push(FieldError::coded(
                at("documents"),
                "required",
                "choose what the printer prints: the kitchen ticket (kot), the bill, or both",
            ));
        }
        if !(1..=MAX_COPIES).contains(&p.copies) {
            errors.push(
                FieldError::coded(
                    at("copies"),
                    "out_of_range",
                    format!("must be between 1 and {MAX_COPIES}"),
                )
                .with("min", 1)
                .with("max", MAX_COPIES),
            );
        }
        out.push(p);
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// The language of printed tickets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum TicketLanguage {
    /// English (the printer's own font; Urdu names and notes as images).
    #[default]
    En,
    /// Urdu (drawn as images, right to left).
    Ur,
}

impl TicketLanguage {
    /// `en` or `ur`.
    pub fn as_str(self) -> &'static str {
        match self {
            TicketLanguage::En => "en",
            TicketLanguage::Ur => "ur",
        }
    }

    /// Parses `en` or `ur`; anything else is a coded problem.
    pub fn parse(s: &str) -> Result<TicketLanguage, crate::settings::Problem> {
        match s.trim() {
            "en" => Ok(TicketLanguage::En),
            "ur" => Ok(TicketLanguage::Ur),
            _ => Err(crate::settings::Problem::new(
                "ticket_language",
                "tickets print in English (en) or Urdu (ur)",
            )),
        }
    }
}

/// Checks the shop's address as printed on the bill: trimmed, at most 200 characters,
/// any script.
pub fn check_shop_address(s: &str) -> Result<String, crate::settings::Problem> {
    let s = s.trim();
    if s.chars().count() > SHOP_ADDRESS_MAX_CHARS {
        return Err(crate::settings::Problem::new(
            "too_long",
            format!(
                "The address is too long; please keep it under {SHOP_ADDRESS_MAX_CHARS} characters."
            ),
        )
        .with("max", SHOP_ADDRESS_MAX_CHARS));
    }
    if s.chars().any(|c| c.is_control() && c != '\n') {
        return Err(crate::settings::Problem::new(
            "invalid",
            "The address has a character that cannot be printed; type it again.",
        ));
    }
    Ok(s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn printer(id: &str) -> PrinterConfig {
        PrinterConfig {
            id: id.into(),
            name: "Kitchen".into(),
            kind: PrinterKind::Network,
            address: "192.168.1.50".into(),
            width_mm: 80,
            documents: vec![PrintDocument::Kot],
            copies: 1,
            auto_print: true,
        }
    }

    #[test]
    fn a_network_address_gets_port_9100_when_it_names_none() {
        assert_eq!(
            check_network_address(" 192.168.1.50 ").unwrap(),
            "192.168.1.50:9100"
        );
        assert_eq!(
            check_network_address("printer.local:9101").unwrap(),
            "printer.local:9101"
        );
        assert_eq!(
            check_network_address("1.2.3.4:abc"),
            Err("printer_address_format")
        );
        assert_eq!(
            check_network_address("1.2.3.4:0"),
            Err("printer_address_format")
        );
        assert_eq!(
            check_network_address("bad host:9100"),
            Err("printer_address_format")
        );
        assert_eq!(check_network_address(""), Err("required"));
    }

    #[test]
    fn every_bad_printer_field_is_reported_under_its_place() {
        let mut bad = printer("kitchen");
        bad.width_mm = 57;
        bad.copies = 6;
        bad.documents.clear();
        bad.address = "no spaces allowed:1".into();
        let mut system = printer("kitchen");
        system.kind = PrinterKind::System;
        system.address = String::new();
        system.name = " ".into();
        let errors = check_printers(vec![bad, system]).unwrap_err();
        let got: Vec<(String, &str)> = errors.iter().map(|e| (e.field.clone(), e.code)).collect();
        assert_eq!(
            got,
            [
                ("printers[0].address".to_string(), "printer_address_format"),
                ("printers[0].width_mm".to_string(), "paper_width"),
                ("printers[0].documents".to_string(), "required"),
                ("printers[0].copies".to_string(), "out_of_range"),
                ("printers[1].id".to_string(), "duplicate_id"),
                ("printers[1].name".to_string(), "required"),
                ("printers[1].address".to_string(), "required"),
            ]
        );
    }

    #[test]
    fn good_printers_are_tidied() {
        let mut p = printer("bar");
        p.documents = vec![PrintDocument::Bill, PrintDocument::Kot, PrintDocument::Bill];
        p.name = " Counter ".into();
        let out = check_printers(vec![p, printer("kitchen")]).unwrap();
        assert_eq!(out[0].documents, [PrintDocument::Kot, PrintDocument::Bill]);
        assert_eq!(out[0].name, "Counter");
        assert_eq!(out[0].address, "192.168.1.50:9100");
    }

    #[test]
    fn the_shop_address_and_ticket_language_are_checked() {
        assert_eq!(
            check_shop_address(" 12 مین بلیوارڈ، گلبرگ ").unwrap(),
            "12 مین بلیوارڈ، گلبرگ"
        );
        assert_eq!(
            check_shop_address(&"x".repeat(201)).unwrap_err().code,
            "too_long"
        );
        assert_eq!(TicketLanguage::parse("ur").unwrap(), TicketLanguage::Ur);
        assert_eq!(
            TicketLanguage::parse("fr").unwrap_err().code,
            "ticket_language"
        );
    }
}
