//! Render speed: a customer bill of 20 lines with Urdu in it, drawn into a raster image at
//! 80 mm and encoded as ESC/POS, as a printer job would be. Target: under 50 ms.
//!
//! Run: `cargo bench -p kitchen-print --bench render [-- --runs N]` (default 200, after 10
//! warm-up runs). One [`TextRenderer`] is reused, as the server keeps one.
#![allow(clippy::print_stdout)]

use kitchen_print::{Align, Encoder, LineAlign, Paper, TextLine, TextRenderer, TextSize};
use std::time::{Duration, Instant};

fn runs() -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == "--runs")
        .and_then(|i| args.get(i + 1)?.parse().ok())
        .unwrap_or(200)
}

/// The bill: shop, customer and address in Urdu, 14 item lines (names in English, notes in
/// Urdu), totals.
fn bill(r: &mut TextRenderer) -> Vec<u8> {
    let mut lines: Vec<TextLine<'_>> = vec![
        TextLine {
            text: "میلٹ 8 پیزا، گلبرگ",
            size: TextSize::Large,
            align: LineAlign::Center,
        },
        TextLine {
            text: "علی رضا — 0300 1234567",
            size: TextSize::Large,
            align: LineAlign::Natural,
        },
        TextLine {
            text: "مکان 12، گلی 4، گلبرگ تھری، لاہور، حفیظ سینٹر کے پاس",
            size: TextSize::Normal,
            align: LineAlign::Natural,
        },
    ];
    let items = [
        "2x Chicken Tikka Large 13\"  Rs 3,600",
        "   کم مرچ، اضافی چیز",
        "1x Fajita Medium 10\"  Rs 1,250",
        "1x Half & Half: Tikka / Fajita  Rs 1,900",
        "   آدھا ٹکہ، آدھا فجیتا",
        "3x Garlic Bread  Rs 750",
        "1x Family Deal (2 Large + 1.5 L)  Rs 4,200",
        "   ڈرنک: کوک",
        "2x Cheese Sticks  Rs 700",
        "1x Zinger Burger  Rs 650",
        "1x 1.5 L Coke  Rs 280",
        "1x Stuffed Crust (+Rs 250)",
        "   دروازے پر گھنٹی نہ بجائیں",
        "1x Brownie  Rs 350",
    ];
    lines.extend(items.iter().map(|t| TextLine {
        text: t,
        size: TextSize::Normal,
        align: LineAlign::Natural,
    }));
    lines.extend([
        TextLine {
            text: "ڈیلیوری Rs 150 — ٹیکس 16% Rs 2,203",
            size: TextSize::Normal,
            align: LineAlign::Natural,
        },
        TextLine {
            text: "کل Rs 15,983",
            size: TextSize::Huge,
            align: LineAlign::Natural,
        },
        TextLine {
            text: "نقد — Rs 16,000 سے بقایا Rs 17",
            size: TextSize::Normal,
            align: LineAlign::Natural,
        },
    ]);
    assert_eq!(lines.len(), 20);
    let img = match r.render(&lines, Paper::Mm80.dots()) {
        Ok(img) => img,
        Err(e) => panic!("{e}"),
    };
    let mut e = Encoder::new();
    e.align(Align::Center).image(&img).feed(3).cut();
    e.finish()
}

fn main() {
    let t = Instant::now();
    let mut r = TextRenderer::new();
    let loaded = t.elapsed();
    let t = Instant::now();
    std::hint::black_box(bill(&mut r));
    let first = t.elapsed();
    println!(
        "fonts loaded in {:.2} ms; the first bill (empty glyph cache) {:.2} ms",
        loaded.as_secs_f64() * 1e3,
        first.as_secs_f64() * 1e3
    );
    for _ in 0..10 {
        std::hint::black_box(bill(&mut r));
    }
    let n = runs();
    let mut times: Vec<Duration> = (0..n)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(bill(&mut r));
            t.elapsed()
        })
        .collect();
    times.sort_unstable();
    let pct = |p: f64| times[((times.len() - 1) as f64 * p).round() as usize];
    let bytes = bill(&mut r).len();
    let p99 = pct(0.99);
    println!(
        "bill of 20 lines with Urdu, 80 mm, rendered + encoded ({bytes} bytes), {n} runs:\n  p50 {:.2} ms  p90 {:.2} ms  p99 {:.2} ms  max {:.2} ms\n  [{}] under 50 ms (p99)",
        pct(0.5).as_secs_f64() * 1e3,
        pct(0.9).as_secs_f64() * 1e3,
        p99.as_secs_f64() * 1e3,
        times[n - 1].as_secs_f64() * 1e3,
        if p99 < Duration::from_millis(50) {
            "PASS"
        } else {
            "FAIL"
        }
    );
}
