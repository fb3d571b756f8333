//! Pricing is on the phone call's path (every read-back) and the order builder's (every
//! keystroke's quote): price 10,000 random valid orders against a 200-item menu with deals
//! and options and report the time per order. Target: p99 under 1 ms.
//!
//! `cargo bench -p kitchen-domain --bench pricing [-- --orders N]`

// A report on the terminal is this program's whole output.
#![allow(clippy::print_stdout)]

#[path = "../tests/support/random_orders.rs"]
#[allow(dead_code)]
mod random_orders;

use chrono::NaiveDateTime;
use kitchen_domain::{NewOrder, PriceContext};
use random_orders::{Rng, big_menu, random_order, settings};
use std::time::Instant;

fn main() {
    let mut orders = 10_000usize;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--orders" {
            orders = args.next().and_then(|n| n.parse().ok()).unwrap_or(orders);
        }
    }
    let menu = big_menu();
    let settings = settings(false, false);
    let now =
        NaiveDateTime::parse_from_str("2026-12-04 20:30", "%Y-%m-%d %H:%M").unwrap_or_default();
    let cx = PriceContext {
        menu: &menu,
        settings: &settings,
        now,
    };
    let mut rng = Rng::new(42);
    let requests: Vec<_> = (0..orders).map(|_| random_order(&mut rng)).collect();
    // Warm up caches and the allocator.
    for r in requests.iter().take(500) {
        let _ = NewOrder::price(r, cx);
    }
    let mut times = Vec::with_capacity(orders);
    let mut lines = 0usize;
    let started = Instant::now();
    for r in &requests {
        let t = Instant::now();
        let priced = NewOrder::price(r, cx);
        times.push(t.elapsed());
        match priced {
            Ok(o) => lines += o.lines().len(),
            Err(e) => {
                eprintln!("a valid random order was refused: {e}");
                std::process::exit(1);
            }
        }
    }
    let wall = started.elapsed();
    times.sort();
    let at = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
    let us = |d: std::time::Duration| d.as_secs_f64() * 1e6;
    println!(
        "pricing: {orders} orders ({lines} lines) against {} items, {} deals, {} option groups",
        menu.items().len(),
        menu.deals().len(),
        menu.option_groups().len()
    );
    println!(
        "per order: p50 {:.1} µs, p90 {:.1} µs, p99 {:.1} µs, max {:.1} µs; {:.0} orders/s",
        us(at(0.50)),
        us(at(0.90)),
        us(at(0.99)),
        us(times[times.len() - 1]),
        orders as f64 / wall.as_secs_f64()
    );
    let p99 = at(0.99);
    let ok = p99.as_secs_f64() < 0.001;
    println!("target p99 < 1 ms: {}", if ok { "PASS" } else { "FAIL" });
    if !ok {
        std::process::exit(1);
    }
}
