//! The phone AI's draft and lookup tools as the model meets them: the real server in
//! process (SQLite in a temp folder), one answered call, and the fake Realtime API sending
//! `update_order` and `lookup_orders` function calls. Time = the fake sends the
//! `response.function_call_arguments.done` → the server's `function_call_output` comes off
//! the fake's socket (stamped before the fake parses it): the arguments read, the draft priced against the live menu (and, for the
//! lookup, the caller's orders read from the database) and the answer written, plus two
//! loopback WebSocket hops and the fake's JSON encoding of the call.
//!
//! Targets (issue 14): `update_order` p99 under 5 ms with a 200-item menu; `lookup_orders`
//! under 5 ms with 10,000 orders in the database.
//!
//! `cargo bench -p kitchen-server --bench phone_tools [-- --drafts N --orders N]`
#![allow(clippy::print_stdout)]

#[path = "../../kitchen-domain/tests/support/random_orders.rs"]
#[allow(dead_code)]
mod random_orders;

use anyhow::{Context, Result};
use kitchen_server::{Application, Config, Secret};
use kitchen_testkit::{Behaviour, FakeCaller, FakeRealtime, FakeTwilioRest, KitchenClient};
use random_orders::{Rng, big_menu, random_order, settings};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

const PUBLIC: &str = "https://shop.example.com";
const TOKEN: &str = "bench-twilio-auth-token";
const ACCOUNT: &str = "AC0123456789abcdef0123456789abcdef";
const PASSWORD: &str = "bench-password-long-enough";
const CALLER: &str = "+923001234567";
const WAIT: Duration = Duration::from_secs(30);

fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn pct(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn report(name: &str, mut times: Vec<Duration>) {
    times.sort();
    println!(
        "{name:<34} n={:<6} p50={:>7.3} ms  p90={:>7.3} ms  p99={:>7.3} ms  max={:>7.3} ms",
        times.len(),
        pct(&times, 0.50).as_secs_f64() * 1e3,
        pct(&times, 0.90).as_secs_f64() * 1e3,
        pct(&times, 0.99).as_secs_f64() * 1e3,
        times.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
    );
}

/// One function call's round trip, from the fake's send to the output's arrival.
async fn round_trip(
    session: &kitchen_testkit::FakeSession,
    n: usize,
    name: &str,
    args: Value,
) -> Result<(Duration, Value)> {
    let call_id = format!("call-{n}");
    let t0 = Instant::now();
    session.call_function(&format!("resp-{n}"), &call_id, name, args)?;
    let (out, arrived) = session
        .wait_for_matching_at("the output", WAIT, |e| {
            e["type"] == "conversation.item.create" && e["item"]["call_id"] == call_id.as_str()
        })
        .await?;
    let took = arrived.duration_since(t0);
    // The events after the output (the `response.create`) are not waited for: dropping
    // them keeps the fake's bookkeeping flat over thousands of calls.
    session.consume_all();
    let output: Value = serde_json::from_str(out["item"]["output"].as_str().unwrap_or("{}"))?;
    Ok((took, output))
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<()> {
    let drafts = arg("--drafts", 2_000);
    let orders = arg("--orders", 10_000);
    let rt = FakeRealtime::start(Behaviour::Accept).await?;
    let rest = FakeTwilioRest::start(ACCOUNT, TOKEN).await?;
    let dir = tempfile::tempdir()?;
    let mut config = Config::new(dir.path());
    config.port = 0;
    config.phone.public_port = 0;
    config.chef_password = Some(Secret::new(PASSWORD));
    config.phone.public_base_url = Some(PUBLIC.into());
    config.phone.openai_realtime_url = rt.url();
    config.phone.twilio_api_base = rest.base_url();
    config.phone.twilio_studio_base = rest.studio_base_url();
    config.settings.openai_api_key = Some(Secret::new("sk-bench-key"));
    config.settings.twilio_auth_token = Some(Secret::new(TOKEN));
    let app = Application::build(config).await?;
    let base = format!("http://127.0.0.1:{}", app.port());
    let public = format!("http://{}", app.public_addr().context("public port")?);
    let state = app.state().clone();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until_stopped(async move {
        let _ = stopped.await;
    }));
    let api = KitchenClient::new(&base).with_basic("chef", PASSWORD);

    // The 200-item menu with deals and options, and the zones, pickup, tax and methods its
    // random orders use.
    let menu = big_menu();
    let res = api
        .put_json("/api/menu", &serde_json::to_value(&menu)?)
        .await?;
    anyhow::ensure!(res.status() == 200, "menu: {}", res.text().await?);
    let s = settings(false, false);
    let res = api
        .put_json(
            "/api/settings",
            &json!({
                "delivery_zones": s.delivery_zones,
                "pickup": s.pickup,
                "tax": s.tax,
                "payment_methods": s.payment_methods,
            }),
        )
        .await?;
    anyhow::ensure!(res.status() == 200, "settings: {}", res.text().await?);

    // 10,000 orders on the board's database, 12 of them from the caller in the last hours.
    let t = Instant::now();
    let mut rng = Rng::new(7);
    let mut placed = 0;
    while placed < orders {
        let batch: Vec<_> = (0..8.min(orders - placed))
            .map(|i| {
                let mut req = random_order(&mut rng);
                let n = placed + i;
                req.customer_phone = Some(if n % 800 == 0 {
                    CALLER.to_string()
                } else {
                    format!("+9230{:08}", n)
                });
                req
            })
            .collect();
        let results = futures_util::future::join_all(batch.into_iter().map(|req| {
            let orders = state.orders.clone();
            async move {
                orders
                    .place(
                        req,
                        kitchen_core::PlaceContext {
                            source: kitchen_domain::OrderSource::Staff,
                            actor: "bench".into(),
                            call_sid: None,
                            idempotency_key: None,
                            caller: None,
                        },
                    )
                    .await
            }
        }))
        .await;
        for r in results {
            r.map_err(|e| anyhow::anyhow!("placing a bench order: {e}"))?;
        }
        placed += 8.min(orders - placed);
    }
    println!(
        "setup: {orders} orders placed in {:.1} s",
        t.elapsed().as_secs_f64()
    );

    let caller = FakeCaller::new(&public, PUBLIC, TOKEN).with_account_sid(ACCOUNT);
    let call = caller.place_call(CALLER, "+15005550006").await?;
    let _stream = caller.connect_stream(&call).await?;
    let session = rt.next_session(WAIT).await?;
    session.wait_for("session.update", WAIT).await?;

    let mut rng = Rng::new(42);
    let mut times = Vec::with_capacity(drafts);
    for n in 0..drafts + 100 {
        let mut args = serde_json::to_value(random_order(&mut rng))?;
        args["callback_confirmed"] = json!(true);
        // The model names the note in rupees (the API's request carries paisa).
        if let Some(paisa) = args["payment"]["pays_with"].as_i64() {
            args["payment"]["pays_with"] = json!(paisa / 100);
        }
        let (took, out) = round_trip(&session, n, "update_order", args).await?;
        anyhow::ensure!(out["ok"] == true, "update_order refused: {out}");
        if n >= 100 {
            times.push(took);
        }
    }
    report("update_order (200-item menu)", times);

    let mut times = Vec::with_capacity(500);
    for n in 0..600 {
        let (took, out) =
            round_trip(&session, drafts + 100 + n, "lookup_orders", json!({})).await?;
        anyhow::ensure!(
            out["orders"].as_array().is_some_and(|o| !o.is_empty()),
            "lookup_orders found none of the caller's orders: {out}"
        );
        if n >= 100 {
            times.push(took);
        }
    }
    report(&format!("lookup_orders ({orders} orders)"), times);

    let _ = stop.send(());
    let _ = server.await;
    Ok(())
}
