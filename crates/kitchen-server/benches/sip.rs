//! Direct SIP calls (engine `sip-realtime`, or `--engine sip-live`) as this PC meets them:
//! the real server in process, OpenAI faked locally (call control from kitchen-demo, the
//! scripted Realtime or GPT-Live sideband). Two measurements:
//!
//! 1. **Webhook to accept**: from just before the signed `realtime.call.incoming` POST to
//!    the fake receiving `/accept` (signature check, dedupe, caps, the session built from
//!    the live menu, the accept request) — one call at a time, `--calls` calls. Target
//!    (issue 17): p99 < 50 ms.
//! 2. **CPU per call-minute**: `--concurrent` calls at once, each a scripted order whose
//!    sideband traffic (greeting, caller transcripts, `update_order`, `confirm_order`,
//!    `end_call`) is spread over about a minute; the server's CPU time (its runtime's
//!    threads, named `melt8-srv`, and SQLite's pool, read from
//!    `/proc/self/task/*/schedstat`; the fakes and the load run on other threads) divided by the calls' minutes (webhook to hang-up).
//!    No audio reaches this PC on a SIP call, so this is all the PC does for one.
//!
//! `cargo bench -p kitchen-server --bench sip [-- --calls 500 --concurrent 50] [--engine sip-live]`
#![allow(clippy::print_stdout)]

use anyhow::{Context, Result};
use kitchen_demo::openai_sip::live_sideband::{FakeLiveSideband, LiveSidebandScript, LiveStep};
use kitchen_demo::openai_sip::{FakeOpenAiSip, incoming_pair, send_webhook};
use kitchen_demo::{FakeRealtime, Script, Step};
use kitchen_domain::VoiceEngine;
use kitchen_server::{Application, Config, Secret};
use serde_json::json;
use std::time::{Duration, Instant};

const SECRET: &str = "whsec_bWVsdDgta2l0Y2hlbi1iZW5jaC13ZWJob29rLWtleSEh";
const ADDRESS: &str = "House 12, Street 4, Gulberg III, Lahore";
/// The server's threads: its runtime (workers and blocking threads) and SQLite's pool.
const SERVER_THREADS: &[&str] = &["melt8-srv", "r2d2-worker"];

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

/// CPU nanoseconds used so far by each of this process's threads whose name starts with
/// one of `prefixes`, by thread id. (A thread that exits takes its time with it: the
/// server's runtime keeps its blocking threads for an hour, so none exits mid-run.)
fn threads_cpu_ns(prefixes: &[&str]) -> std::collections::HashMap<String, u64> {
    std::fs::read_dir("/proc/self/task")
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| {
            std::fs::read_to_string(e.path().join("comm"))
                .is_ok_and(|name| prefixes.iter().any(|p| name.trim_end().starts_with(p)))
        })
        .filter_map(|e| {
            let s = std::fs::read_to_string(e.path().join("schedstat")).ok()?;
            let ns = s.split_whitespace().next()?.parse::<u64>().ok()?;
            Some((e.file_name().to_string_lossy().into_owned(), ns))
        })
        .collect()
}

/// CPU time the server's threads used since `before`.
fn cpu_since(before: &std::collections::HashMap<String, u64>) -> u64 {
    threads_cpu_ns(SERVER_THREADS)
        .iter()
        .map(|(tid, ns)| ns.saturating_sub(before.get(tid).copied().unwrap_or(0)))
        .sum()
}

/// A distinct Pakistani mobile number per call (the per-caller cap stays out of the way).
fn caller(i: usize) -> String {
    format!("+92300{:07}", 1_000_000 + i)
}

/// One order's sideband traffic spread over `spread` (the gaps are the caller and the AI
/// talking, which never reaches this PC).
fn order_script(spread: Duration) -> Script {
    let gap = (spread.as_millis() / 4) as u64;
    let order = json!({
        "items": [{"item_id": "chicken-tikka", "size_id": "large", "quantity": 2}],
        "address": ADDRESS, "customer_name": "Ali", "payment": {"method": "cash"},
        "callback_confirmed": true
    });
    Script::new(vec![
        Step::wait_for("response.create"),
        Step::say("السلام علیکم! میلٹ 8 میں خوش آمدید۔", 0),
        Step::Sleep(gap),
        Step::CallerSays("دو بڑے چکن تکہ".into()),
        Step::call("update_order", order),
        Step::say("آپ کا آرڈر دہرا دوں؟", 0),
        Step::Sleep(gap),
        Step::CallerSays("جی ہاں".into()),
        Step::call("confirm_order", json!({"quote_id": "Q1"})),
        Step::Sleep(gap),
        Step::say("شکریہ! اللہ حافظ", 0),
        Step::Sleep(gap),
        Step::call_and_forget("end_call", json!({"outcome": "ordered"})),
    ])
    .with_step_timeout(spread + Duration::from_secs(30))
}

/// The same order on GPT-Live's sideband (transcripts, `response.event` calls, usage).
fn live_order_script(spread: Duration) -> LiveSidebandScript {
    let gap = spread / 4;
    let order = json!({
        "items": [{"item_id": "chicken-tikka", "size_id": "large", "quantity": 2}],
        "address": ADDRESS, "customer_name": "Ali", "payment": {"method": "cash"},
        "callback_confirmed": true
    });
    let mut script = LiveSidebandScript::new(vec![
        LiveStep::AiSays("السلام علیکم! میلٹ 8 میں خوش آمدید۔".into()),
        LiveStep::Pause(gap),
        LiveStep::CallerSays("دو بڑے چکن تکہ".into()),
        LiveStep::call("update_order", order),
        LiveStep::AiSays("آپ کا آرڈر دہرا دوں؟".into()),
        LiveStep::Pause(gap),
        LiveStep::CallerSays("جی ہاں".into()),
        LiveStep::call("confirm_order", json!({"quote_id": "Q1"})),
        LiveStep::Usage(spread.as_secs_f64() / 2.0),
        LiveStep::Pause(gap),
        LiveStep::AiSays("شکریہ! اللہ حافظ".into()),
        LiveStep::Pause(gap),
        LiveStep::call_and_forget("end_call", json!({"outcome": "ordered"})),
    ]);
    script.step_timeout = spread + Duration::from_secs(30);
    script
}

/// Which engine the bench rings, from `--engine` (`sip-realtime` unless `sip-live`).
fn engine() -> Result<VoiceEngine> {
    let args: Vec<String> = std::env::args().collect();
    match args.iter().position(|a| a == "--engine") {
        None => Ok(VoiceEngine::SipRealtime),
        Some(i) => match args.get(i + 1).map(String::as_str) {
            Some("sip-realtime") => Ok(VoiceEngine::SipRealtime),
            Some("sip-live") => Ok(VoiceEngine::SipLive),
            other => anyhow::bail!("--engine sip-realtime|sip-live, not {other:?}"),
        },
    }
}

/// The sideband fake a stage runs.
enum Sideband {
    Realtime(FakeRealtime),
    Live(FakeLiveSideband),
}

struct Stage {
    openai: FakeOpenAiSip,
    _sideband: Sideband,
    engine: VoiceEngine,
    webhook: String,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    _dir: tempfile::TempDir,
}

/// The server on `srv` (threads `melt8-srv`), the fakes on `load`; the order spread over
/// `spread` on the engine's sideband.
fn stage(
    srv: &tokio::runtime::Runtime,
    load: &tokio::runtime::Runtime,
    engine: VoiceEngine,
    spread: Duration,
) -> Result<Stage> {
    let (openai, sideband) = load.block_on(async {
        let openai = FakeOpenAiSip::start().await?;
        let sideband = match engine {
            VoiceEngine::SipLive => {
                Sideband::Live(FakeLiveSideband::start(live_order_script(spread), None).await?)
            }
            _ => Sideband::Realtime(FakeRealtime::start_scripted(order_script(spread)).await?),
        };
        anyhow::Ok((openai, sideband))
    })?;
    let dir = tempfile::tempdir()?;
    let mut config = Config::new(dir.path());
    config.port = 0;
    config.phone.public_port = 0;
    config.chef_password = Some(Secret::new("bench-password-long-enough"));
    config.phone.public_base_url = Some("https://shop.example.com".into());
    config.phone.openai_api_base = openai.base_url();
    match &sideband {
        Sideband::Realtime(f) => config.phone.openai_realtime_url = f.url(),
        Sideband::Live(f) => config.phone.openai_live_url = f.url(),
    }
    config.settings.voice_engine = Some(engine);
    config.settings.openai_api_key = Some(Secret::new("sk-bench-key"));
    config.settings.openai_webhook_secret = Some(Secret::new(SECRET));
    config.settings.max_concurrent_ai_calls =
        Some(kitchen_domain::settings::ItemCount::parse(500, 0, 1000).map_err(anyhow::Error::msg)?);
    let app = srv.block_on(Application::build(config))?;
    let webhook = format!(
        "http://{}/openai/webhook",
        app.public_addr().context("public port")?
    );
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    srv.spawn(app.run_until_stopped(async move {
        let _ = stopped.await;
    }));
    Ok(Stage {
        openai,
        _sideband: sideband,
        engine,
        webhook,
        stop: Some(stop),
        _dir: dir,
    })
}

impl Drop for Stage {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

async fn ring(s: &Stage, tag: &str, from: &str) -> Result<Instant> {
    let (live, realtime) = incoming_pair(tag, from, chrono::Utc::now().timestamp());
    let body = if s.engine == VoiceEngine::SipLive {
        live
    } else {
        realtime
    };
    let t0 = Instant::now();
    let status = send_webhook(
        &s.webhook,
        SECRET,
        &format!("wh_{tag}"),
        chrono::Utc::now().timestamp(),
        &body,
    )
    .await?;
    anyhow::ensure!(status == 200, "webhook answered {status}");
    Ok(t0)
}

/// The call id OpenAI gives a call rung with `tag` on the stage's engine.
fn call_id(s: &Stage, tag: &str) -> String {
    if s.engine == VoiceEngine::SipLive {
        format!("live_{tag}")
    } else {
        format!("rtc_{tag}")
    }
}

fn main() -> Result<()> {
    let calls = arg("--calls", 500);
    let concurrent = arg("--concurrent", 50);
    let spread = Duration::from_secs(arg("--spread-secs", 56) as u64);
    let engine = engine()?;
    println!("engine: {engine}");
    let srv = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("melt8-srv")
        .thread_keep_alive(Duration::from_secs(3600))
        .enable_all()
        .build()?;
    let load = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("bench-load")
        .enable_all()
        .build()?;

    // 1. Webhook → /accept, one call at a time (each call's short sideband runs meanwhile).
    let s = stage(&srv, &load, engine, Duration::from_millis(40))?;
    let mut times = Vec::with_capacity(calls);
    load.block_on(async {
        for i in 0..calls + 20 {
            let tag = format!("a{i}");
            let t0 = ring(&s, &tag, &caller(i)).await?;
            let id = call_id(&s, &tag);
            let until = Instant::now() + Duration::from_secs(10);
            let at = loop {
                if let Some(r) = s
                    .openai
                    .requests_of("accept")
                    .into_iter()
                    .find(|r| r.id == id)
                {
                    break r.received_at;
                }
                anyhow::ensure!(Instant::now() < until, "no accept for {id}");
                tokio::time::sleep(Duration::from_micros(200)).await;
            };
            // The first 20 warm the caches and the connection pool.
            if i >= 20 {
                times.push(at.duration_since(t0));
            }
        }
        anyhow::Ok(())
    })?;
    times.sort();
    println!(
        "webhook → accept (sequential)      n={:<5} p50={:>7.3} ms  p90={:>7.3} ms  p99={:>7.3} ms  max={:>7.3} ms  (target p99 < 50 ms)",
        times.len(),
        pct(&times, 0.50).as_secs_f64() * 1e3,
        pct(&times, 0.90).as_secs_f64() * 1e3,
        pct(&times, 0.99).as_secs_f64() * 1e3,
        times.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
    );
    // Let the last short calls end before the CPU run.
    load.block_on(async {
        s.openai
            .wait_for("hangup", calls + 20, Duration::from_secs(30))
            .await
    });
    drop(s);

    // 2. CPU per call-minute: `concurrent` scripted orders of about `spread` each, at once.
    let s = stage(&srv, &load, engine, spread)?;
    let cpu0 = threads_cpu_ns(SERVER_THREADS);
    let wall0 = Instant::now();
    let minutes = load.block_on(async {
        let mut started = Vec::new();
        for i in 0..concurrent {
            let tag = format!("m{i}");
            started.push((
                call_id(&s, &tag),
                ring(&s, &tag, &caller(100_000 + i)).await?,
            ));
        }
        let hangups = s
            .openai
            .wait_for("hangup", concurrent, spread + Duration::from_secs(60))
            .await;
        anyhow::ensure!(
            hangups.len() == concurrent,
            "{} of {concurrent} calls hung up",
            hangups.len()
        );
        let minutes: f64 = started
            .iter()
            .filter_map(|(id, t0)| {
                let h = hangups.iter().find(|h| &h.id == id)?;
                Some(h.received_at.duration_since(*t0).as_secs_f64() / 60.0)
            })
            .sum();
        anyhow::Ok(minutes)
    })?;
    let cpu = cpu_since(&cpu0);
    let wall = wall0.elapsed();
    println!(
        "SIP calls at once                  n={concurrent:<5} wall={:.1} s  call-minutes={minutes:.1}  server CPU={:.1} ms  → {:.2} ms CPU per call-minute ({:.3}% of one core per call)",
        wall.as_secs_f64(),
        cpu as f64 / 1e6,
        cpu as f64 / 1e6 / minutes.max(f64::EPSILON),
        cpu as f64 / 1e6 / minutes.max(f64::EPSILON) / 600.0,
    );
    drop(s);
    Ok(())
}
