//! What each document says, row by row, laid out on a [`Sheet`].

use super::sheet::{Big, Sheet, Style};
use super::words::{self, Words, money, phone, rate, when};
use super::{DocOptions, Language, ShopHeader};
use crate::escpos::Paper;
use crate::render::TextRenderer;
use chrono::{DateTime, Utc};
use kitchen_domain::{ChosenOption, Fulfilment, Half, Money, Order, PaymentMethod};

/// Details under a line are indented this much.
const INDENT: &str = "   ";

/// The English name, or the Urdu one on an Urdu ticket when the menu has it.
fn pick<'a>(en: &'a str, ur: Option<&'a str>, lang: Language) -> &'a str {
    match (lang, ur) {
        (Language::Ur, Some(ur)) if !ur.trim().is_empty() => ur,
        _ => en,
    }
}

/// `Chicken Tikka Large 13"`, or `1/2 Tikka + 1/2 Fajita Large 13"` for a half-and-half.
fn item_text(
    (name, name_ur): (&str, Option<&str>),
    half: Option<&Half>,
    (size, size_ur): (&str, Option<&str>),
    lang: Language,
) -> String {
    let w = words::words(lang);
    let name = pick(name, name_ur, lang);
    let size = pick(size, size_ur, lang);
    let what = match half {
        Some(h) => format!(
            "{} {name} + {} {}",
            w.half,
            w.half,
            pick(&h.name, h.name_ur.as_deref(), lang)
        ),
        None => name.to_string(),
    };
    if size.trim().is_empty() {
        what
    } else {
        format!("{what} {size}")
    }
}

/// `2 x Chicken Tikka` (`×` on Urdu tickets, which are drawn).
fn times(quantity: u8, what: &str, lang: Language) -> String {
    match lang {
        Language::En => format!("{quantity} x {what}"),
        Language::Ur => format!("{quantity} × {what}"),
    }
}

/// What marks a deal's item under it: a dash in English; Urdu only indents (a leading
/// dash or plus lands at the wrong end of a right-to-left line).
fn part_mark(lang: Language) -> &'static str {
    match lang {
        Language::En => "- ",
        Language::Ur => "",
    }
}

/// A line's options, one a row under it. English marks each with `+`; Urdu only indents
/// (a leading `+` is not in the Nastaliq font, and its fallback lands on the wrong side).
fn option_rows(sheet: &mut Sheet<'_>, options: &[ChosenOption], indent: &str, lang: Language) {
    let style = Style::PLAIN.big(Big::Tall);
    let mark = match lang {
        Language::En => "+ ",
        Language::Ur => "",
    };
    for o in options {
        let name = pick(&o.name, o.name_ur.as_deref(), lang);
        sheet.row(&format!("{indent}{mark}{name}"), style);
    }
}

/// A note's text, or `None` when it is blank.
fn present(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}

fn reprint_mark(sheet: &mut Sheet<'_>, opts: &DocOptions, w: &Words) {
    if opts.reprint {
        sheet.row(w.reprint, Style::PLAIN.big(Big::Double).bold().center());
        sheet.feed(1);
    }
}

/// The kitchen order ticket, drawn with `renderer` (see [`super::kot`]).
pub fn kot_with(renderer: &mut TextRenderer, order: &Order, opts: &DocOptions) -> Vec<u8> {
    let lang = opts.language;
    let w = words::words(lang);
    let mut sheet = Sheet::new(renderer, opts.paper, lang);
    reprint_mark(&mut sheet, opts, w);
    sheet.row(
        &format!("#{}", order.number),
        Style::PLAIN.big(Big::Huge).bold().center(),
    );
    let big_centre = Style::PLAIN.big(Big::Double).bold().center();
    match &order.fulfilment {
        Fulfilment::Delivery { .. } => sheet.row(w.delivery, big_centre),
        Fulfilment::Pickup { pickup_in_minutes } => {
            sheet.row(w.pickup, big_centre);
            if let Some(m) = pickup_in_minutes {
                sheet.row(&format!("{m} {}", w.minutes), Style::PLAIN.center());
            }
        }
    }
    sheet.row(
        &when(order.created_at, opts.utc_offset, lang),
        Style::PLAIN.center(),
    );
    sheet.rule();
    let line_style = Style::PLAIN.big(Big::Tall).bold();
    let detail = Style::PLAIN.big(Big::Tall);
    for (i, line) in order.lines.iter().enumerate() {
        if i > 0 {
            sheet.feed(1);
        }
        let what = item_text(
            (&line.name, line.name_ur.as_deref()),
            line.half.as_ref(),
            (&line.size_label, line.size_label_ur.as_deref()),
            lang,
        );
        sheet.row(&times(line.quantity.get(), &what, lang), line_style);
        if let Some(deal) = &line.deal {
            for part in &deal.parts {
                let what = item_text(
                    (&part.name, part.name_ur.as_deref()),
                    part.half.as_ref(),
                    (&part.size_label, part.size_label_ur.as_deref()),
                    lang,
                );
                sheet.row(&format!("{INDENT}{}{what}", part_mark(lang)), detail);
                option_rows(&mut sheet, &part.options, "      ", lang);
            }
        }
        option_rows(&mut sheet, &line.options, INDENT, lang);
        if let Some(note) = present(line.note.as_deref()) {
            sheet.row(&format!("{INDENT}{}: {note}", w.note), line_style);
        }
    }
    sheet.rule();
    if let Some(note) = present(order.note.as_deref()) {
        sheet.row(&format!("{}: {note}", w.order_note), line_style);
    }
    sheet.finish()
}

/// The customer's bill, drawn with `renderer` (see [`super::bill`]).
pub fn bill_with(
    renderer: &mut TextRenderer,
    order: &Order,
    shop: &ShopHeader,
    opts: &DocOptions,
) -> Vec<u8> {
    let lang = opts.language;
    let w = words::words(lang);
    let rs = |m: Money| money(m, lang);
    let mut sheet = Sheet::new(renderer, opts.paper, lang);
    reprint_mark(&mut sheet, opts, w);
    if let Some(name) = present(Some(&shop.name)) {
        sheet.row(name, Style::PLAIN.big(Big::Double).bold().center());
    }
    if let Some(address) = present(shop.address.as_deref()) {
        sheet.row(address, Style::PLAIN.center());
    }
    if let Some(phone) = present(shop.phone.as_deref()) {
        sheet.row(phone, Style::PLAIN.center());
    }
    sheet.rule();
    let kind = match order.fulfilment {
        Fulfilment::Delivery { .. } => w.delivery,
        Fulfilment::Pickup { .. } => w.pickup,
    };
    sheet.row(
        &format!("{} #{} - {kind}", w.order, order.number),
        Style::PLAIN.big(Big::Tall).bold(),
    );
    sheet.row(&when(order.created_at, opts.utc_offset, lang), Style::PLAIN);
    let field = |sheet: &mut Sheet<'_>, label: &str, value: Option<&str>| {
        if let Some(v) = present(value) {
            sheet.row(&format!("{label}: {v}"), Style::PLAIN);
        }
    };
    field(&mut sheet, w.customer, order.customer_name.as_deref());
    let phone = order.customer_phone.as_ref().and_then(|p| phone(p, lang));
    field(&mut sheet, w.phone, phone.as_deref());
    match &order.fulfilment {
        Fulfilment::Delivery {
            address,
            landmark,
            zone_name,
            zone_name_ur,
            ..
        } => {
            field(&mut sheet, w.address, Some(address));
            field(&mut sheet, w.landmark, landmark.as_deref());
            let zone = zone_name
                .as_deref()
                .map(|z| pick(z, zone_name_ur.as_deref(), lang));
            field(&mut sheet, w.zone, zone);
        }
        Fulfilment::Pickup { pickup_in_minutes } => {
            if let Some(m) = pickup_in_minutes {
                sheet.row(&format!("{} {m} {}", w.pickup, w.minutes), Style::PLAIN);
            }
        }
    }
    sheet.rule();
    for line in &order.bill.lines {
        let what = pick(&line.description, Some(&line.description_ur), lang);
        sheet.priced(
            &times(line.quantity, what, lang),
            &rs(line.total),
            Style::PLAIN,
        );
        if line.quantity > 1 {
            let each = format!(
                "{INDENT}{}",
                times(line.quantity, &rs(line.unit_price), lang)
            );
            sheet.row(&each, Style::PLAIN);
        }
    }
    sheet.rule();
    let b = &order.bill;
    sheet.priced(w.subtotal, &rs(b.subtotal), Style::PLAIN);
    if b.deal_savings > Money::ZERO {
        // English writes the saving as a minus; Urdu's label says it (a leading minus
        // would land after the number, right to left).
        let saved = match lang {
            Language::En => format!("-{}", rs(b.deal_savings)),
            Language::Ur => rs(b.deal_savings),
        };
        sheet.priced(w.deal_savings, &saved, Style::PLAIN);
    }
    if b.delivery_fee > Money::ZERO || matches!(order.fulfilment, Fulfilment::Delivery { .. }) {
        sheet.priced(w.delivery_fee, &rs(b.delivery_fee), Style::PLAIN);
    }
    if b.tax.rate_bp > 0 {
        let label = if b.tax.included {
            format!("{} {} ({})", w.tax, rate(b.tax.rate_bp), w.tax_included)
        } else {
            format!("{} {}", w.tax, rate(b.tax.rate_bp))
        };
        sheet.priced(&label, &rs(b.tax.amount), Style::PLAIN);
    }
    sheet.priced(
        w.total,
        &rs(order.total),
        Style::PLAIN.big(Big::Tall).bold(),
    );
    sheet.rule();
    let p = &order.payment;
    sheet.row(
        &format!("{}: {}", w.payment, words::method(p.method, w)),
        Style::PLAIN,
    );
    if p.method == PaymentMethod::Cash {
        if let Some(with) = p.pays_with {
            sheet.priced(w.pays_with, &rs(with), Style::PLAIN);
        }
        if let Some(change) = p.change.filter(|c| *c > Money::ZERO) {
            sheet.priced(w.change, &rs(change), Style::PLAIN.bold());
        }
    }
    if let Some(rider) = present(opts.rider_name.as_deref()) {
        sheet.row(
            &format!("{}: {rider}", w.rider),
            Style::PLAIN.big(Big::Tall).bold(),
        );
    }
    sheet.feed(1);
    sheet.qr(&order.uuid.to_string());
    sheet.row(w.thanks, Style::PLAIN.center());
    sheet.finish()
}

/// The column ruler: tens over units, as wide as the paper's columns.
fn ruler(columns: usize) -> (String, String) {
    let tens = (1..=columns)
        .map(|c| {
            if c % 10 == 0 {
                char::from_digit(((c / 10) % 10) as u32, 10).unwrap_or('0')
            } else {
                ' '
            }
        })
        .collect();
    let units = (1..=columns)
        .map(|c| char::from_digit((c % 10) as u32, 10).unwrap_or('0'))
        .collect();
    (tens, units)
}

/// A printer's test page, drawn with `renderer` (see [`super::test_page`]).
pub fn test_page_with(
    renderer: &mut TextRenderer,
    printer_name: &str,
    shop: &ShopHeader,
    opts: &DocOptions,
    at: DateTime<Utc>,
) -> Vec<u8> {
    let lang = opts.language;
    let w = words::words(lang);
    let mut sheet = Sheet::new(renderer, opts.paper, lang);
    sheet.row(w.test_page, Style::PLAIN.big(Big::Double).bold().center());
    if let Some(name) = present(Some(&shop.name)) {
        sheet.row(name, Style::PLAIN.center());
    }
    sheet.rule();
    sheet.row(
        &format!("{}: {printer_name}", w.printer),
        Style::PLAIN.bold(),
    );
    let mm = match opts.paper {
        Paper::Mm58 => 58,
        Paper::Mm80 => 80,
    };
    sheet.row(
        &format!(
            "{}: {mm} {}{}{} {}",
            w.paper,
            w.mm,
            w.comma,
            sheet.columns(),
            w.columns
        ),
        Style::PLAIN,
    );
    let (tens, units) = ruler(sheet.columns());
    sheet.raw_line(&tens);
    sheet.raw_line(&units);
    sheet.row(w.urdu_sample, Style::PLAIN.big(Big::Tall));
    sheet.row(
        &format!("{}: {}", w.printed, when(at, opts.utc_offset, lang)),
        Style::PLAIN,
    );
    sheet.feed(1);
    sheet.qr("Melt 8 Kitchen test page");
    sheet.row(w.works, Style::PLAIN.center());
    sheet.finish()
}
