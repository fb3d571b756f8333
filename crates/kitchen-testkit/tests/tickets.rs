//! The printed documents (kitchen-print's KOT, bill and test page) read back as a printer
//! would print them: golden images of real orders priced on the default menu, and the rules
//! every ticket keeps (a KOT shows no prices, the bill's total is the order's, REPRINT and
//! the rider only when asked, the QR holds the order's id, text never runs past the paper,
//! the job ends with a cut).

#![allow(clippy::unwrap_used)]

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};
use kitchen_domain::settings::ShopSettings;
use kitchen_domain::{
    DealChoice, DeliveryZone, FulfilmentRequest, LineRequest, Menu, Money, NewOrder, Order,
    OrderRequest, OrderSource, OrderStatus, PaymentMethod, PaymentRequest, PhoneNumber,
    PriceContext,
};
use kitchen_print::{DocOptions, Language, Paper, ShopHeader, bill, kot, test_page_at};
use kitchen_testkit::printer::{Op, decode, text_lines};
use kitchen_testkit::{Previewer, check_golden};
use std::path::PathBuf;
use uuid::Uuid;

/// 20:43 in Lahore (UTC+5) on Friday 4 December 2026.
fn taken_at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 4, 15, 43, 0).unwrap()
}

fn pakistan() -> FixedOffset {
    FixedOffset::east_opt(5 * 3600).unwrap()
}

fn settings(tax_included: bool) -> ShopSettings {
    let mut s = ShopSettings::default();
    s.tax.registered = true;
    s.tax.prices_include_tax = tax_included;
    s.delivery_zones = vec![DeliveryZone {
        id: "gulberg".into(),
        name: "Gulberg".into(),
        name_ur: Some("گلبرگ".into()),
        fee: Money::from_rupees(150),
        min_order: Money::ZERO,
        free_above: None,
        eta_minutes: 40,
        areas: vec!["Gulberg III".into()],
    }];
    s
}

fn choice(slot: &str, item: &str) -> DealChoice {
    DealChoice {
        slot: slot.into(),
        item_id: item.into(),
        size_id: None,
        options: vec![],
        half: None,
    }
}

/// An order as stored, from a priced one.
fn stored(n: NewOrder, number: u32) -> Order {
    Order {
        id: i64::from(number),
        uuid: Uuid::parse_str("7f3c2a9e-51b4-4c8e-9d0a-3e6f1b2c4d5e").unwrap(),
        number,
        business_date: NaiveDate::from_ymd_opt(2026, 12, 4).unwrap(),
        status: OrderStatus::New,
        cancel_reason: None,
        rider: None,
        lines: n.lines().to_vec(),
        fulfilment: n.fulfilment().clone(),
        payment: *n.payment(),
        customer_name: n.customer_name().map(str::to_string),
        customer_phone: n.customer_phone().cloned(),
        note: n.note().map(str::to_string),
        bill: n.bill().clone(),
        total: n.total(),
        eta_minutes: Some(n.eta_minutes()),
        source: OrderSource::Phone,
        call_sid: None,
        created_at: taken_at(),
        updated_at: taken_at(),
        status_since: taken_at(),
        history: vec![],
        changed: None,
    }
}

fn price(req: &OrderRequest, tax_included: bool) -> NewOrder {
    let menu = Menu::default_menu();
    let settings = settings(tax_included);
    let now = NaiveDateTime::parse_from_str("2026-12-04 20:43", "%Y-%m-%d %H:%M").unwrap();
    NewOrder::price(
        req,
        PriceContext {
            menu: &menu,
            settings: &settings,
            now,
        },
    )
    .unwrap()
}

/// A delivery an AI took on the phone: a customer with an Urdu name, a landmark and notes
/// in Urdu, options, a half-and-half, a deal, cash with change; tax added at 16 %.
fn delivery() -> Order {
    let req = OrderRequest {
        items: vec![
            LineRequest::item("chicken-tikka", "large", 2)
                .with_option("crust", "stuffed")
                .with_option("extras", "cheese")
                .with_note("کم مرچ، اچھی طرح پکائیں"),
            LineRequest::item("chicken-tikka", "large", 1).with_half("chicken-fajita"),
            LineRequest::deal(
                "deal-3",
                1,
                vec![choice("pizza", "pepperoni"), choice("drink", "coca-cola")],
            ),
            LineRequest::item("garlic-bread", "regular", 1),
        ],
        fulfilment: Some(FulfilmentRequest::Delivery {
            address: "House 12, Street 4, Block C, Gulberg III, Lahore".into(),
            landmark: Some("حفیظ سینٹر کے پاس".into()),
            zone_id: Some("gulberg".into()),
        }),
        payment: Some(PaymentRequest {
            method: PaymentMethod::Cash,
            pays_with: Some(Money::from_rupees(15_000).paisa()),
        }),
        customer_name: Some("علی رضا".into()),
        customer_phone: Some("0300-1234567".into()),
        note: Some("دروازے پر گھنٹی نہ بجائیں".into()),
        ..OrderRequest::default()
    };
    stored(price(&req, false), 17)
}

/// A pickup paid by card, tax included in the prices, no name given.
fn pickup() -> Order {
    let req = OrderRequest {
        items: vec![LineRequest::item("veggie", "medium", 1)],
        fulfilment: Some(FulfilmentRequest::Pickup {
            pickup_in_minutes: Some(20),
        }),
        payment: Some(PaymentRequest {
            method: PaymentMethod::Card,
            pays_with: None,
        }),
        ..OrderRequest::default()
    };
    stored(price(&req, true), 18)
}

fn shop() -> ShopHeader {
    ShopHeader {
        name: "Melt 8 Pizza".into(),
        address: Some("Main Boulevard, Gulberg III, Lahore".into()),
        phone: Some("042 35761234".into()),
    }
}

fn opts(paper: Paper, language: Language) -> DocOptions {
    DocOptions {
        paper,
        language,
        reprint: false,
        rider_name: None,
        utc_offset: pakistan(),
    }
}

fn golden_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(format!("{name}.png"))
}

/// The job's preview matches `tests/golden/{name}.png`.
fn assert_golden(job: &[u8], paper: Paper, name: &str) {
    let ops = decode(job).unwrap();
    let preview = Previewer::new().preview(&ops, paper.dots());
    if let Err(e) = check_golden(&preview, &golden_path(name)) {
        panic!("{e:#}");
    }
}

fn mm(paper: Paper) -> u32 {
    match paper {
        Paper::Mm58 => 58,
        Paper::Mm80 => 80,
    }
}

#[test]
fn english_kots_with_urdu_notes_match_their_golden_images() {
    for paper in [Paper::Mm58, Paper::Mm80] {
        let job = kot(&delivery(), &opts(paper, Language::En));
        assert_golden(&job, paper, &format!("kot-en-{}mm", mm(paper)));
    }
}

#[test]
fn english_bills_with_urdu_names_match_their_golden_images() {
    for paper in [Paper::Mm58, Paper::Mm80] {
        let mut o = opts(paper, Language::En);
        o.rider_name = Some("Imran".into());
        let job = bill(&delivery(), &shop(), &o);
        assert_golden(&job, paper, &format!("bill-en-{}mm", mm(paper)));
    }
}

#[test]
fn urdu_kots_match_their_golden_images() {
    for paper in [Paper::Mm58, Paper::Mm80] {
        let job = kot(&delivery(), &opts(paper, Language::Ur));
        assert_golden(&job, paper, &format!("kot-ur-{}mm", mm(paper)));
    }
}

#[test]
fn urdu_bills_match_their_golden_images() {
    for paper in [Paper::Mm58, Paper::Mm80] {
        let mut o = opts(paper, Language::Ur);
        o.rider_name = Some("عمران".into());
        let job = bill(&delivery(), &shop(), &o);
        assert_golden(&job, paper, &format!("bill-ur-{}mm", mm(paper)));
    }
}

#[test]
fn test_pages_match_their_golden_images() {
    for (paper, lang, name) in [
        (Paper::Mm58, Language::En, "test-page-en-58mm"),
        (Paper::Mm80, Language::Ur, "test-page-ur-80mm"),
    ] {
        let job = test_page_at("Kitchen XP-80", &shop(), &opts(paper, lang), taken_at());
        assert_golden(&job, paper, name);
    }
}

fn images(ops: &[Op]) -> Vec<&kitchen_print::Bitmap> {
    ops.iter()
        .filter_map(|op| match op {
            Op::Image(img) => Some(img),
            _ => None,
        })
        .collect()
}

/// Dots of raster images a job prints, top to bottom.
fn image_rows(ops: &[Op]) -> u32 {
    images(ops).iter().map(|img| img.height()).sum()
}

/// Each printed text line with the widest character size it was printed at.
fn sized_lines(ops: &[Op]) -> Vec<(String, usize)> {
    let mut lines = Vec::new();
    let (mut line, mut widest, mut size) = (String::new(), 0usize, 1usize);
    for op in ops {
        match op {
            Op::Size { width, .. } => size = usize::from(*width),
            Op::Init => size = 1,
            Op::Text(t) => {
                line.push_str(t);
                widest = widest.max(size);
            }
            Op::LineFeed => {
                lines.push((std::mem::take(&mut line), widest.max(1)));
                widest = 0;
            }
            _ => {}
        }
    }
    if !line.is_empty() {
        lines.push((line, widest.max(1)));
    }
    lines
}

fn assert_fits(job: &[u8], paper: Paper, what: &str) {
    let ops = decode(job).unwrap();
    assert_eq!(ops.first(), Some(&Op::Init), "{what}: starts with a reset");
    assert_eq!(ops.last(), Some(&Op::Cut), "{what}: ends with a cut");
    for (line, width) in sized_lines(&ops) {
        let columns = line.chars().count() * width;
        assert!(
            columns <= paper.columns(),
            "{what}: {line:?} at width ×{width} takes {columns} of {} columns",
            paper.columns()
        );
    }
    for img in images(&ops) {
        assert!(
            img.width() <= paper.dots(),
            "{what}: an image wider than the paper"
        );
    }
}

#[test]
fn a_kot_shows_the_order_big_and_every_line_with_its_details_but_no_prices() {
    let order = delivery();
    let ops = decode(&kot(&order, &opts(Paper::Mm80, Language::En))).unwrap();
    let lines = text_lines(&ops);
    let at = |s: &str| lines.iter().position(|l| l.trim() == s);
    // The words of the ticket's text, wrapped lines joined again.
    let flat = lines
        .iter()
        .flat_map(|l| l.split_whitespace())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(at("#17").is_some(), "{lines:#?}");
    assert!(at("DELIVERY").is_some() && at("04 Dec 2026 20:43").is_some());
    for expected in [
        "2 x Chicken Tikka Large 13\"",
        "+ Stuffed crust",
        "+ Extra cheese",
        "1 x Deal 3",
        "- Pepperoni Large 13\"",
        "- Coca-Cola 1.5 L",
        "1 x Garlic Bread 4 pcs",
    ] {
        assert!(at(expected).is_some(), "{expected:?} in {lines:#?}");
    }
    let half = "1 x 1/2 Chicken Tikka + 1/2 Chicken Fajita Large 13\" 1 x Deal 3";
    assert!(flat.contains(half), "{flat}");
    // The number is printed at the largest size and the lines in double height.
    assert!(ops.contains(&Op::Size {
        width: 4,
        height: 4
    }));
    assert!(ops.contains(&Op::Size {
        width: 1,
        height: 2
    }));
    for l in &lines {
        assert!(!l.contains("Rs"), "no prices on a KOT: {l:?}");
        assert!(!l.contains('?'), "no Urdu sent as text: {l:?}");
    }
    assert!(!ops.iter().any(|op| matches!(op, Op::Qr { .. })));
    // The Urdu line note and order note are drawn.
    assert!(image_rows(&ops) > 48, "the Urdu notes are drawn");
    assert!(
        !lines.iter().any(|l| l.contains("NOTE")),
        "the notes are Urdu, so their lines are drawn whole: {lines:#?}"
    );
}

#[test]
fn a_pickup_kot_says_pickup_and_when() {
    let ops = decode(&kot(&pickup(), &opts(Paper::Mm58, Language::En))).unwrap();
    let lines = text_lines(&ops);
    assert!(lines.iter().any(|l| l.trim() == "PICKUP"), "{lines:#?}");
    assert!(lines.iter().any(|l| l.trim() == "20 min"));
    assert!(!lines.iter().any(|l| l.contains("DELIVERY")));
    assert_eq!(
        image_rows(&ops),
        0,
        "nothing Urdu: all in the printer's font"
    );
}

fn total_line(lines: &[String]) -> &str {
    lines
        .iter()
        .find(|l| l.starts_with("TOTAL"))
        .map(String::as_str)
        .unwrap_or_default()
}

#[test]
fn the_bills_total_is_the_orders_and_every_amount_is_shown() {
    let order = delivery();
    let b = &order.bill;
    for paper in [Paper::Mm58, Paper::Mm80] {
        let ops = decode(&bill(&order, &shop(), &opts(paper, Language::En))).unwrap();
        let lines = text_lines(&ops);
        let total = total_line(&lines);
        assert!(
            total.ends_with(&format!(" {}", order.total)),
            "{total:?} vs {}",
            order.total
        );
        assert_eq!(
            total.len(),
            paper.columns(),
            "the amount sits at the right edge"
        );
        let has = |label: &str, amount: Money| {
            lines
                .iter()
                .any(|l| l.starts_with(label) && l.ends_with(&format!(" {amount}")))
        };
        assert!(has("Subtotal", b.subtotal), "{lines:#?}");
        assert!(b.deal_savings > Money::ZERO);
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("Deal savings")
                    && l.ends_with(&format!(" -{}", b.deal_savings))),
            "{lines:#?}"
        );
        assert!(has("Delivery fee", Money::from_rupees(150)));
        assert!(has("Tax 16%", b.tax.amount) && !b.tax.included);
        assert!(has("Customer pays with", Money::from_rupees(15_000)));
        assert!(has("Change to carry", order.payment.change.unwrap()));
        for l in &b.lines {
            assert!(
                lines.iter().any(|t| t.ends_with(&format!(" {}", l.total))),
                "{:?} priced {}",
                l.description,
                l.total
            );
        }
        for expected in [
            "Melt 8 Pizza",
            "042 35761234",
            "Order #17 - DELIVERY",
            "04 Dec 2026 20:43",
            "Phone: 0300 1234567",
            "Payment: Cash",
            "Area: Gulberg",
            "Thank you for your order!",
        ] {
            assert!(
                lines.iter().any(|l| l.trim() == expected),
                "{expected:?} in {lines:#?}"
            );
        }
        assert!(lines.iter().any(|l| l.starts_with("Address: House 12")));
        // The customer's name and the landmark are Urdu: drawn, never sent as text.
        assert!(
            !lines
                .iter()
                .any(|l| l.contains('?') || l.starts_with("Name"))
        );
        assert!(image_rows(&ops) > 0);
    }
}

#[test]
fn an_included_tax_is_shown_but_not_added() {
    let order = pickup();
    assert!(order.bill.tax.included);
    let ops = decode(&bill(&order, &shop(), &opts(Paper::Mm80, Language::En))).unwrap();
    let lines = text_lines(&ops);
    let tax = lines
        .iter()
        .find(|l| l.starts_with("Tax 5% (incl. in prices)"))
        .unwrap_or_else(|| panic!("{lines:#?}"));
    assert!(tax.ends_with(&format!(" {}", order.bill.tax.amount)));
    assert_eq!(order.total, order.bill.food_total, "included: not added");
    assert!(total_line(&lines).ends_with(&format!(" {}", order.total)));
    assert!(lines.iter().any(|l| l.trim() == "Payment: Card"));
    assert!(
        !lines
            .iter()
            .any(|l| l.starts_with("Delivery fee") || l.starts_with("Change"))
    );
}

#[test]
fn reprint_is_marked_only_when_asked() {
    let order = delivery();
    for reprint in [false, true] {
        let mut o = opts(Paper::Mm58, Language::En);
        o.reprint = reprint;
        for job in [kot(&order, &o), bill(&order, &shop(), &o)] {
            let lines = text_lines(&decode(&job).unwrap());
            assert_eq!(lines.first().map(|l| l.contains("REPRINT")), Some(reprint));
            assert_eq!(
                lines.iter().filter(|l| l.contains("REPRINT")).count(),
                usize::from(reprint)
            );
        }
    }
    // On Urdu tickets the mark is drawn: the same ticket, one row taller.
    let mut o = opts(Paper::Mm58, Language::Ur);
    let plain = image_rows(&decode(&kot(&order, &o)).unwrap());
    o.reprint = true;
    let marked = decode(&kot(&order, &o)).unwrap();
    assert!(
        image_rows(&marked) > plain + 40,
        "{} vs {plain}",
        image_rows(&marked)
    );
}

#[test]
fn the_rider_is_named_only_when_given() {
    let order = delivery();
    let mut o = opts(Paper::Mm80, Language::En);
    let without = text_lines(&decode(&bill(&order, &shop(), &o)).unwrap());
    assert!(!without.iter().any(|l| l.contains("Rider")));
    o.rider_name = Some("Imran Khan".into());
    let with = text_lines(&decode(&bill(&order, &shop(), &o)).unwrap());
    assert!(with.iter().any(|l| l == "Rider: Imran Khan"), "{with:#?}");
    // A rider's name in Urdu is drawn.
    o.rider_name = Some("عمران".into());
    let drawn = decode(&bill(&order, &shop(), &o)).unwrap();
    o.rider_name = Some("  ".into());
    let blank = decode(&bill(&order, &shop(), &o)).unwrap();
    assert!(image_rows(&drawn) > image_rows(&blank));
    assert!(!text_lines(&blank).iter().any(|l| l.contains("Rider")));
}

#[test]
fn the_bills_qr_code_holds_the_orders_public_id() {
    let order = delivery();
    for lang in [Language::En, Language::Ur] {
        let ops = decode(&bill(&order, &shop(), &opts(Paper::Mm58, lang))).unwrap();
        let qrs: Vec<&String> = ops
            .iter()
            .filter_map(|op| match op {
                Op::Qr { data, .. } => Some(data),
                _ => None,
            })
            .collect();
        assert_eq!(qrs, [&order.uuid.to_string()]);
    }
}

#[test]
fn urdu_tickets_are_drawn_throughout() {
    let order = delivery();
    for paper in [Paper::Mm58, Paper::Mm80] {
        let o = opts(paper, Language::Ur);
        for job in [kot(&order, &o), bill(&order, &shop(), &o)] {
            let ops = decode(&job).unwrap();
            for line in text_lines(&ops) {
                assert!(
                    line.chars().all(|c| c == '-'),
                    "only rules are text: {line:?}"
                );
            }
            assert!(image_rows(&ops) > 400);
            for img in images(&ops) {
                assert_eq!(img.width(), paper.dots());
            }
        }
    }
}

#[test]
fn text_never_runs_past_the_paper_whatever_the_order_holds() {
    let mut odd = delivery();
    odd.number = 4_294_967_295;
    odd.lines[0].name = "Supercalifragilisticexpialidocious".repeat(4);
    odd.lines[0].note = Some("extra hot 🌶🌶🌶 please, and cut in 8".into());
    odd.lines[1].options[..]
        .iter_mut()
        .for_each(|o| o.name = "x".repeat(300));
    odd.bill.lines[0].description = "A".repeat(200);
    odd.bill.lines[1].description = "Pizza 🍕 with jalapeño".into();
    odd.customer_name = Some(String::new());
    odd.customer_phone = Some(PhoneNumber::Withheld);
    odd.note = Some("\n\n".into());
    odd.total = Money::from_paisa(i64::MAX);
    odd.payment.change = Some(Money::from_paisa(-5));
    let shop = ShopHeader {
        name: "Pizza ".repeat(30),
        address: Some(String::new()),
        phone: None,
    };
    for paper in [Paper::Mm58, Paper::Mm80] {
        for lang in [Language::En, Language::Ur] {
            let mut o = opts(paper, lang);
            o.reprint = true;
            o.rider_name = Some("R".repeat(100));
            assert_fits(&kot(&odd, &o), paper, "odd KOT");
            assert_fits(&bill(&odd, &shop, &o), paper, "odd bill");
            assert_fits(&kot(&delivery(), &o), paper, "KOT");
            assert_fits(&bill(&delivery(), &self::shop(), &o), paper, "bill");
            assert_fits(&kot(&pickup(), &o), paper, "pickup KOT");
            let name = "Kitchen printer 🍕 کچن ".repeat(10);
            assert_fits(
                &test_page_at(&name, &shop, &o, taken_at()),
                paper,
                "test page",
            );
        }
    }
    let lines = text_lines(&decode(&bill(&odd, &shop, &opts(Paper::Mm58, Language::En))).unwrap());
    assert!(
        !lines.iter().any(|l| l.starts_with("Phone")),
        "a withheld number is left out"
    );
}

#[test]
fn a_test_page_names_the_printer_and_shows_the_paper_ruler_urdu_and_time() {
    for (paper, ruler) in [
        (Paper::Mm58, "12345678901234567890123456789012"),
        (
            Paper::Mm80,
            "123456789012345678901234567890123456789012345678",
        ),
    ] {
        let job = test_page_at(
            "Kitchen XP-80",
            &shop(),
            &opts(paper, Language::En),
            taken_at(),
        );
        let ops = decode(&job).unwrap();
        let lines = text_lines(&ops);
        let want = [
            "TEST PAGE".to_string(),
            "Printer: Kitchen XP-80".to_string(),
            format!("Paper: {} mm, {} columns", mm(paper), paper.columns()),
            ruler.to_string(),
            "Printed: 04 Dec 2026 20:43".to_string(),
        ];
        for w in &want {
            assert!(lines.iter().any(|l| l.trim() == w), "{w:?} in {lines:#?}");
        }
        assert!(image_rows(&ops) > 30, "the Urdu sample is drawn");
        assert!(ops.iter().any(|op| matches!(op, Op::Qr { .. })));
        assert_eq!(ops.last(), Some(&Op::Cut));
    }
}
