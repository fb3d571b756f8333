//! Relay benchmark: N concurrent simulated phone calls through the real server, in process.
//!
//! Run: `cargo bench -p kitchen-server --bench relay -- [--calls N] [--seconds S] [--ramp-ms R]`
//! (smoke: `--calls 5 --seconds 3`). Not a test; nothing runs it automatically.
//!
//! Setup: one real server (`Application`, temp data folder, ports 0) on its own tokio runtime
//! whose threads are all named `melt8-server`; the fakes of `kitchen-testkit` (FakeRealtime
//! with `Behaviour::Accept`, FakeTwilioRest, FakeCaller with real-time playback) run on a
//! second runtime (`load-gen`) in the same process, on their own sockets. Calls start R ms
//! apart (default 5).
//!
//! Each call: signed webhook + media stream; for S seconds the caller sends one 160-byte
//! µ-law frame every 20 ms (paced in real time); the fake AI answers with 100 ms deltas
//! (800 bytes) every 100 ms, and near the end sends `input_audio_buffer.speech_started`
//! three times (barge-in), each time moving on to a new item. Every 160-byte frame carries a
//! tag in its first 8 bytes (`A5 5A`, call number u16, sequence u32): µ-law passes through
//! the relay untouched both ways and AI audio is re-cut at 160-byte boundaries, so each frame
//! is recognised on the other side.
//!
//! Measured per frame: caller → AI (FakeStream send → the fake AI's `wait_for` of the
//! `input_audio_buffer.append` holding it returns) and AI → caller (fake AI `send` of the
//! delta → arrival time the fake caller records for the `media` message); frames sent vs
//! received each way (a missing tag = a lost frame, including the first frames the server
//! must buffer while the AI socket opens); barge-in (`speech_started` sent → `clear` received).
//! Both latencies include the fakes' own work (JSON, schema checks, scheduling on the same
//! cores). Server CPU = the sum of `/proc/self/task/*/schedstat` of the `melt8-server` (and
//! `r2d2*`) threads, before vs after; process CPU from `/proc/self/stat`; peak RSS = VmHWM of
//! the whole process (fakes included).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use anyhow::{Context, Result, bail};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use kitchen_server::{Application, Config, Secret};
use kitchen_testkit::PlaybackSpeed;
use kitchen_testkit::audio::tone;
use kitchen_testkit::{Behaviour, FakeCaller, FakeRealtime, FakeSession, FakeTwilioRest};
use serde_json::json;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::time::{Instant as TokioInstant, sleep, sleep_until};

const PUBLIC: &str = "https://shop.example.com";
const TOKEN: &str = "bench-twilio-auth-token";
const ACCOUNT: &str = "AC0123456789abcdef0123456789abcdef";
const SERVER_THREAD: &str = "melt8-server";
const FRAME: usize = 160;
const MAGIC: [u8; 2] = [0xA5, 0x5A];
/// Frames per AI delta (100 ms).
const DELTA_FRAMES: usize = 5;
/// Barge-ins per call, at these many 100 ms ticks before the AI stops talking.
const BARGE_TICKS_BEFORE_END: [u64; 3] = [5, 12, 19];

struct Opts {
    calls: usize,
    seconds: u64,
    ramp_ms: u64,
}

fn parse_args() -> Result<Opts> {
    let mut o = Opts {
        calls: 1,
        seconds: 10,
        ramp_ms: 5,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut num = |what: &str| -> Result<u64> {
            let v = args
                .next()
                .with_context(|| format!("{what} needs a number"))?;
            v.parse().with_context(|| format!("{what} {v}"))
        };
        match a.as_str() {
            "--calls" => o.calls = num("--calls")? as usize,
            "--seconds" => o.seconds = num("--seconds")?,
            "--ramp-ms" => o.ramp_ms = num("--ramp-ms")?,
            _ => {} // `cargo bench` adds `--bench`
        }
    }
    if o.calls == 0 || o.calls > usize::from(u16::MAX) || o.seconds == 0 {
        bail!("--calls must be 1..=65535 and --seconds at least 1");
    }
    Ok(o)
}

/// What one call saw, filled by the caller task and the fake AI's tasks.
#[derive(Default)]
struct CallLog {
    up_sent: Vec<Instant>,
    up_recv: HashMap<u32, Instant>,
    down_sent: Vec<Instant>,
    down_recv: HashMap<u32, Instant>,
    duplicates: usize,
    untagged: usize,
    barges: Vec<Instant>,
    clears: Vec<Instant>,
    violations: Vec<String>,
}
type Logs = Arc<Vec<Mutex<CallLog>>>;

fn log(logs: &Logs, call: usize) -> std::sync::MutexGuard<'_, CallLog> {
    logs[call]
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn tagged(base: &[u8], call: usize, seq: u32) -> Vec<u8> {
    let mut f = base.to_vec();
    f[..2].copy_from_slice(&MAGIC);
    f[2..4].copy_from_slice(&(call as u16).to_be_bytes());
    f[4..8].copy_from_slice(&seq.to_be_bytes());
    f
}

fn read_tag(f: &[u8]) -> Option<(usize, u32)> {
    (f.len() >= 8 && f[..2] == MAGIC).then(|| {
        let call = u16::from_be_bytes([f[2], f[3]]) as usize;
        (call, u32::from_be_bytes([f[4], f[5], f[6], f[7]]))
    })
}

/// One call, as Twilio: ring, stream, talk for `secs`, listen, hang up, collect arrivals.
async fn run_call(c: usize, caller: FakeCaller, logs: Logs, secs: u64) -> Result<()> {
    let call = caller
        .place_call(&format!("+92300{c:07}"), "+15005550006")
        .await?;
    if call.status != 200 || call.stream_url.is_none() {
        bail!("webhook answered {}: {}", call.status, call.twiml);
    }
    let stream = caller.connect_stream(&call).await?;
    let base = tone(FRAME, 440.0);
    let t0 = TokioInstant::now();
    for seq in 0..(secs * 50) as u32 {
        sleep_until(t0 + Duration::from_millis(20 * u64::from(seq))).await;
        let frame = tagged(&base, c, seq);
        log(&logs, c).up_sent.push(Instant::now());
        stream.send_audio(&frame, false).await?;
    }
    sleep(Duration::from_millis(500)).await; // the AI's last audio
    stream.stop()?;
    let closed = stream.wait_closed(Duration::from_secs(10)).await;
    let mut l = log(&logs, c);
    for (at, msg) in stream.received() {
        match msg["event"].as_str() {
            Some("media") => {
                let payload = msg["media"]["payload"].as_str().unwrap_or_default();
                for f in STANDARD.decode(payload).unwrap_or_default().chunks(FRAME) {
                    match read_tag(f) {
                        Some((cc, seq)) if cc == c => {
                            if l.down_recv.insert(seq, at).is_some() {
                                l.duplicates += 1;
                            }
                        }
                        _ => l.untagged += 1,
                    }
                }
            }
            Some("clear") => l.clears.push(at),
            _ => {}
        }
    }
    l.violations.extend(stream.violations());
    drop(l);
    closed.context("the server did not close the stream after `stop`")
}

/// Hands every accepted AI connection to its own task until `n` arrived or `deadline`.
async fn ai_dispatch(
    rt: Arc<FakeRealtime>,
    n: usize,
    logs: Logs,
    secs: u64,
    deadline: TokioInstant,
) -> Vec<tokio::task::JoinHandle<()>> {
    let mut tasks = Vec::new();
    while tasks.len() < n {
        let left = deadline.saturating_duration_since(TokioInstant::now());
        let Ok(s) = rt.next_session(left).await else {
            break;
        };
        tasks.push(tokio::spawn(ai_session(s, logs.clone(), secs)));
    }
    tasks
}

/// The fake AI's ear: timestamps each caller frame; the first one says which call this is.
async fn ai_session(s: FakeSession, logs: Logs, secs: u64) {
    let mut speaker = None;
    let within = Duration::from_secs(secs + 120);
    while let Ok(ev) = s.wait_for("input_audio_buffer.append", within).await {
        let now = Instant::now();
        let bytes = STANDARD
            .decode(ev["audio"].as_str().unwrap_or_default())
            .unwrap_or_default();
        for f in bytes.chunks(FRAME) {
            let Some((c, seq)) = read_tag(f).filter(|(c, _)| *c < logs.len()) else {
                continue;
            };
            if speaker.is_none() {
                speaker = Some(tokio::spawn(ai_speak(s.clone(), c, logs.clone(), secs)));
            }
            let mut l = log(&logs, c);
            if l.up_recv.insert(seq, now).is_some() {
                l.duplicates += 1;
            }
        }
    }
    if let Some(h) = speaker {
        let _ = h.await;
    }
}

/// The fake AI's voice: 100 ms deltas every 100 ms until 0.4 s before the caller stops, with
/// barge-ins near the end.
async fn ai_speak(s: FakeSession, c: usize, logs: Logs, secs: u64) {
    let ticks = (secs * 1000).saturating_sub(400) / 100;
    let barge: Vec<u64> = BARGE_TICKS_BEFORE_END
        .iter()
        .filter_map(|b| ticks.checked_sub(*b))
        .filter(|t| *t >= 5)
        .collect();
    let base = tone(FRAME, 330.0);
    let (mut item, mut seq) = (0u32, 0u32);
    let start = TokioInstant::now();
    for tick in 0..ticks {
        sleep_until(start + Duration::from_millis(100 * tick)).await;
        let mut delta = Vec::with_capacity(FRAME * DELTA_FRAMES);
        for _ in 0..DELTA_FRAMES {
            delta.extend(tagged(&base, c, seq));
            seq += 1;
        }
        let ev = json!({"type": "response.output_audio.delta", "response_id": format!("resp_{c}_{item}"),
            "item_id": format!("item_{c}_{item}"), "output_index": 0, "content_index": 0,
            "delta": STANDARD.encode(&delta)});
        let now = Instant::now();
        log(&logs, c).down_sent.extend([now; DELTA_FRAMES]);
        if s.send(ev).is_err() {
            return;
        }
        if barge.contains(&tick) {
            // 30 ms after a delta: its mark is surely still in flight (real-time playback).
            sleep(Duration::from_millis(30)).await;
            log(&logs, c).barges.push(Instant::now());
            if s.speech_started(tick * 100, &format!("item_caller_{c}_{item}"))
                .is_err()
            {
                return;
            }
            item += 1;
        }
    }
}

/// CPU nanoseconds of the live threads: (server runtime + r2d2, everything else).
fn thread_cpu_ns() -> (u64, u64) {
    let (mut server, mut other) = (0, 0);
    for e in std::fs::read_dir("/proc/self/task")
        .into_iter()
        .flatten()
        .flatten()
    {
        let name = std::fs::read_to_string(e.path().join("comm")).unwrap_or_default();
        let ns = std::fs::read_to_string(e.path().join("schedstat"))
            .ok()
            .and_then(|s| s.split_whitespace().next()?.parse::<u64>().ok())
            .unwrap_or(0);
        if name.trim() == SERVER_THREAD || name.starts_with("r2d2") {
            server += ns;
        } else {
            other += ns;
        }
    }
    (server, other)
}

/// utime + stime of the whole process, seconds (USER_HZ = 100).
fn process_cpu_s() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<u64> = rest
        .split_whitespace()
        .map(|x| x.parse().unwrap_or(0))
        .collect();
    f.get(11)
        .zip(f.get(12))
        .map_or(0.0, |(u, s)| (u + s) as f64 / 100.0)
}

fn status_mib(key: &str) -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with(key))
        .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        .map_or(0.0, |kib| kib / 1024.0)
}

/// Latencies in µs (sorted) and how many were lost (all, and among the first 50 frames).
struct Way {
    lat: Vec<u64>,
    sent: usize,
    lost: usize,
    lost_first_second: usize,
}

fn join(sent: &[Instant], recv: &HashMap<u32, Instant>, way: &mut Way) {
    way.sent += sent.len();
    for (seq, t) in sent.iter().enumerate() {
        match recv.get(&(seq as u32)) {
            Some(r) => way
                .lat
                .push(r.saturating_duration_since(*t).as_micros() as u64),
            None if seq < 50 => {
                way.lost += 1;
                way.lost_first_second += 1;
            }
            None => way.lost += 1,
        }
    }
}

fn pct(v: &[u64], p: f64) -> u64 {
    if v.is_empty() {
        return 0;
    }
    v[((v.len() - 1) as f64 * p).round() as usize]
}

fn ms(us: u64) -> String {
    format!("{:.3}", us as f64 / 1000.0)
}

fn row(name: &str, w: &Way) -> String {
    format!(
        "{name:<18} {:>9} {:>9} {:>9} {:>9} {:>9} {:>7} ({} in 1st s)",
        ms(pct(&w.lat, 0.5)),
        ms(pct(&w.lat, 0.99)),
        ms(w.lat.last().copied().unwrap_or(0)),
        w.sent,
        w.sent - w.lost,
        w.lost,
        w.lost_first_second
    )
}

fn verdict(applies: bool, ok: bool) -> &'static str {
    match (applies, ok) {
        (false, _) => "N/A ",
        (true, true) => "PASS",
        (true, false) => "FAIL",
    }
}

fn main() -> Result<()> {
    let o = parse_args()?;
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let server_rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name(SERVER_THREAD)
        .thread_keep_alive(Duration::from_secs(3600))
        .build()?;
    let load_rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("load-gen")
        .build()?;

    let (rt, rest) = load_rt.block_on(async {
        anyhow::Ok((
            FakeRealtime::start(Behaviour::Accept).await?,
            FakeTwilioRest::start(ACCOUNT, TOKEN).await?,
        ))
    })?;
    let rt = Arc::new(rt);
    let dir = tempfile::tempdir()?;
    let mut config = Config::new(dir.path());
    config.port = 0;
    config.chef_password = Some(Secret::new("bench-chef-password"));
    config.phone.public_port = 0;
    config.phone.public_base_url = Some(PUBLIC.into());
    config.phone.twilio_auth_token = Some(Secret::new(TOKEN));
    config.phone.twilio_api_base = rest.base_url();
    config.phone.openai_api_key = Some(Secret::new("sk-bench-key"));
    config.phone.openai_realtime_url = rt.url();
    let app = server_rt.block_on(Application::build(config))?;
    let public = format!("http://{}", app.public_addr()?);
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let served = server_rt.spawn(app.run_until_stopped(async move {
        let _ = stop_rx.await;
    }));

    let logs: Logs = Arc::new(
        (0..o.calls)
            .map(|_| Mutex::new(CallLog::default()))
            .collect(),
    );
    let caller = FakeCaller::new(&public, PUBLIC, TOKEN)
        .with_account_sid(ACCOUNT)
        .with_playback(PlaybackSpeed::RealTime);
    let rss_before = status_mib("VmRSS:");
    let (cpu0, proc0, wall0) = (thread_cpu_ns(), process_cpu_s(), Instant::now());
    let (results, ai_missing) = load_rt.block_on(async {
        let deadline = TokioInstant::now()
            + Duration::from_millis(o.ramp_ms * o.calls as u64)
            + Duration::from_secs(o.seconds + 60);
        let dispatch = tokio::spawn(ai_dispatch(
            rt.clone(),
            o.calls,
            logs.clone(),
            o.seconds,
            deadline,
        ));
        let mut calls = Vec::new();
        let t0 = TokioInstant::now();
        for c in 0..o.calls {
            sleep_until(t0 + Duration::from_millis(o.ramp_ms * c as u64)).await;
            calls.push(tokio::spawn(run_call(
                c,
                caller.clone(),
                logs.clone(),
                o.seconds,
            )));
        }
        let mut results = Vec::new();
        for h in calls {
            results.push(h.await.map_err(anyhow::Error::from).and_then(|r| r));
        }
        let ai = dispatch.await.unwrap_or_default();
        let missing = o.calls - ai.len();
        for h in ai {
            let _ = tokio::time::timeout(Duration::from_secs(30), h).await;
        }
        (results, missing)
    });
    let (cpu1, proc1, wall) = (thread_cpu_ns(), process_cpu_s(), wall0.elapsed());

    let (mut up, mut down) = (
        Way {
            lat: vec![],
            sent: 0,
            lost: 0,
            lost_first_second: 0,
        },
        Way {
            lat: vec![],
            sent: 0,
            lost: 0,
            lost_first_second: 0,
        },
    );
    let (mut barge_lat, mut barges, mut missed_clears, mut dups, mut untagged) =
        (Vec::new(), 0, 0, 0, 0);
    let mut violations = Vec::new();
    for c in 0..o.calls {
        let l = log(&logs, c);
        join(&l.up_sent, &l.up_recv, &mut up);
        join(&l.down_sent, &l.down_recv, &mut down);
        for (i, b) in l.barges.iter().enumerate() {
            barges += 1;
            let next = l.barges.get(i + 1);
            match l
                .clears
                .iter()
                .find(|t| *t >= b && next.is_none_or(|n| *t < n))
            {
                Some(t) => barge_lat.push(t.duration_since(*b).as_micros() as u64),
                None => missed_clears += 1,
            }
        }
        dups += l.duplicates;
        untagged += l.untagged;
        violations.extend(l.violations.iter().map(|v| format!("call {c}: {v}")));
    }
    violations.extend(rt.schema_violations());
    up.lat.sort_unstable();
    down.lat.sort_unstable();
    barge_lat.sort_unstable();
    let errors: Vec<String> = results
        .iter()
        .enumerate()
        .filter_map(|(c, r)| r.as_ref().err().map(|e| format!("call {c}: {e:#}")))
        .collect();

    let server_s = cpu1.0.saturating_sub(cpu0.0) as f64 / 1e9;
    let other_s = cpu1.1.saturating_sub(cpu0.1) as f64 / 1e9;
    let call_min = o.calls as f64 * o.seconds as f64 / 60.0;
    let per_call_min = server_s / call_min;
    let cpus = std::thread::available_parallelism().map_or(1, usize::from);
    println!(
        "\nrelay benchmark: {} call(s) x {} s of audio, calls started {} ms apart, {} CPUs, wall {:.1} s",
        o.calls,
        o.seconds,
        o.ramp_ms,
        cpus,
        wall.as_secs_f64()
    );
    println!(
        "{:<18} {:>9} {:>9} {:>9} {:>9} {:>9} {:>7}",
        "latency (ms)", "p50", "p99", "max", "sent", "recv", "lost"
    );
    println!("{}", row("caller -> AI", &up));
    println!("{}", row("AI -> caller", &down));
    println!(
        "{:<18} {:>9} {:>9} {:>9} {:>9} {:>9} {:>7}",
        "barge-in -> clear",
        ms(pct(&barge_lat, 0.5)),
        ms(pct(&barge_lat, 0.99)),
        ms(barge_lat.last().copied().unwrap_or(0)),
        barges,
        barges - missed_clears,
        missed_clears
    );
    println!(
        "server CPU    {server_s:.2} s over {call_min:.1} call-min = {per_call_min:.4} CPU-s per call-minute (threads {SERVER_THREAD}, r2d2*)"
    );
    println!(
        "load-gen CPU  {other_s:.2} s (fakes + this harness, same process); process total {:.2} s",
        proc1 - proc0
    );
    println!(
        "peak RSS      {:.1} MiB (VmHWM, whole process; {rss_before:.1} MiB before the calls)",
        status_mib("VmHWM:")
    );
    println!(
        "calls failed {} / {}; AI sessions never opened {ai_missing}; duplicate frames {dups}; untagged frames {untagged}; protocol violations {}",
        errors.len(),
        o.calls,
        violations.len()
    );
    for e in errors.iter().chain(violations.iter()).take(10) {
        println!("  ! {e}");
    }
    let lost = up.lost + down.lost;
    let p99 = pct(&up.lat, 0.99).max(pct(&down.lat, 0.99));
    let clean = errors.is_empty() && lost == 0;
    println!("targets:");
    println!(
        "  [{}] 200 concurrent calls: 0 frames lost, p99 < 5 ms each way (lost {lost}, worst p99 {} ms)",
        verdict(o.calls >= 200, clean && p99 < 5_000),
        ms(p99)
    );
    println!(
        "  [{}] single call: p99 < 1 ms each way (worst p99 {} ms)",
        verdict(o.calls == 1, clean && p99 < 1_000),
        ms(p99)
    );
    println!(
        "  [{}] <= 0.1 server CPU-s per call-minute ({per_call_min:.4})",
        verdict(true, per_call_min <= 0.1)
    );

    let _ = stop_tx.send(());
    server_rt
        .block_on(async { tokio::time::timeout(Duration::from_secs(15), served).await })
        .context("the server did not stop")???;
    drop((rt, rest));
    load_rt.shutdown_timeout(Duration::from_secs(5));
    server_rt.shutdown_timeout(Duration::from_secs(5));
    Ok(())
}
