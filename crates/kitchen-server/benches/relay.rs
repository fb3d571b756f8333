//! Relay benchmark: N concurrent simulated phone calls through the real server, in process.
//!
//! Run: `cargo bench -p kitchen-server --bench relay -- [--calls N] [--seconds S] [--ramp-ms R]
//! [--engine realtime-bridge|live-bridge] [--burst]` (smoke: `--calls 5 --seconds 3`). Not a
//! test; nothing runs it automatically.
//!
//! `--engine live-bridge` (`VOICE_ENGINE=live-bridge`): the AI is kitchen-testkit's
//! schema-checking FakeLive (GPT-Live), driven by this bench: it sends one 20 ms
//! `session.output_audio.delta` every 20 ms (the fake's `OutputPace::RealTime`), and the
//! barge-ins are `session.input_transcript.delta`s 1, 2 and 3 s before it stops (the server
//! drops its queue and sends Twilio `clear`). With `--burst` it sends 1 s of audio (50
//! deltas) at once every second (`OutputPace::Burst`) and no barge-ins: the server meters
//! the frames to Twilio at real time, so AI → caller "latency" then includes the pacing
//! queue (up to ~1 s by design). Output arrival rate = audio ms per wall ms between a call's
//! first and last frame, at the fake's send side and at the caller (1.00 = real time).
//!
//! Setup: the real `melt8 serve` binary (built by cargo beside this bench) in its own
//! process, configured through environment variables (temp data folder, ports 0), so its
//! CPU time and memory are its own; the fakes of `kitchen-testkit` (FakeRealtime with
//! `Behaviour::Accept`, FakeTwilioRest, FakeCaller with real-time playback) run in this
//! process on a tokio runtime (`load-gen`). Calls start R ms apart (default 5).
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
//! Since the phone AI issue a caller's speech over the AI is an interruption only once 700 ms
//! of it were heard (shorter is a backchannel, «جی»), so the clear comes ~700 ms after
//! `speech_started` by design; the barge-ins come early enough (≥ 1 s before the AI stops)
//! for every one to be cleared.
//! Both latencies include the fakes' own work (JSON, schema checks, their sockets' TCP
//! settings, scheduling on the same cores); the caller's arrivals are read only after every
//! call ended. "after 1st s" rows leave out each call's first 50 frames. Server CPU = the
//! sum of `/proc/<pid>/task/*/schedstat` of the server process, before vs after the calls
//! (on loopback the kernel's receive work for a packet is charged to the thread that sent
//! it, on both sides); peak RSS = the server's VmHWM.
#![allow(clippy::print_stdout)]

use anyhow::{Result, bail};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use kitchen_testkit::PlaybackSpeed;
use kitchen_testkit::audio::tone;
use kitchen_testkit::{
    FakeCaller, FakeLive, FakeLiveSession, FakeRealtime, FakeSession, FakeStream, LiveScript,
};
use serde_json::json;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use support::{ACCOUNT, PUBLIC, Stage, TOKEN, arg, init_logging, runtime, status_mib, task_cpu_ns};
use tokio::time::{Instant as TokioInstant, sleep, sleep_until};

mod support;

const FRAME: usize = 160;
const MAGIC: [u8; 2] = [0xA5, 0x5A];
/// Frames per AI delta (100 ms).
const DELTA_FRAMES: usize = 5;
/// Barge-ins per call, at these many 100 ms ticks before the AI stops talking: each at least
/// the backchannel window (700 ms) plus margin before it, so each must end in a `clear`.
const BARGE_TICKS_BEFORE_END: [u64; 3] = [10, 20, 30];

/// Live-bridge barge-ins, at these many 20 ms frames before the fake stops talking.
const LIVE_BARGE_FRAMES_BEFORE_END: [u64; 3] = [50, 100, 150];

/// Which engine the server runs, and how the fake GPT-Live paces its speech.
#[derive(Clone, Copy, PartialEq, Eq)]
enum VoiceEngine {
    Realtime,
    Live { burst: bool },
}

/// `(calls, seconds, ramp_ms, engine)`.
fn parse_args() -> Result<(usize, u64, u64, VoiceEngine)> {
    let (calls, seconds) = (arg("--calls", 1)? as usize, arg("--seconds", 10)?);
    if calls == 0 || calls > usize::from(u16::MAX) || seconds == 0 {
        bail!("--calls must be 1..=65535 and --seconds at least 1");
    }
    let args: Vec<String> = std::env::args().collect();
    let burst = args.iter().any(|a| a == "--burst");
    let engine = match args.iter().position(|a| a == "--engine") {
        None => VoiceEngine::Realtime,
        Some(i) => match args.get(i + 1).map(String::as_str) {
            Some("realtime-bridge") => VoiceEngine::Realtime,
            Some("live-bridge") => VoiceEngine::Live { burst },
            other => bail!("--engine realtime-bridge|live-bridge, not {other:?}"),
        },
    };
    if burst && engine == VoiceEngine::Realtime {
        bail!("--burst is for --engine live-bridge");
    }
    Ok((calls, seconds, arg("--ramp-ms", 5)?, engine))
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

/// One call, as Twilio: ring, stream, talk for `secs`, listen, hang up.
async fn run_call(c: usize, caller: FakeCaller, logs: Logs, secs: u64) -> Result<FakeStream> {
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
    if let Err(e) = stream.wait_closed(Duration::from_secs(10)).await {
        log(&logs, c)
            .violations
            .push(format!("after `stop`: {e:#}"));
    }
    Ok(stream)
}

/// What the caller received, read once every call is over (so it skews no live call).
fn collect(c: usize, stream: &FakeStream, logs: &Logs) {
    let mut l = log(logs, c);
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

/// Hands every GPT-Live session to its own task until `n` arrived or `deadline`.
async fn live_dispatch(
    live: Arc<FakeLive>,
    n: usize,
    logs: Logs,
    secs: u64,
    burst: bool,
    deadline: TokioInstant,
) -> Vec<tokio::task::JoinHandle<()>> {
    let mut tasks = Vec::new();
    while tasks.len() < n && TokioInstant::now() < deadline {
        for s in live.sessions().into_iter().skip(tasks.len()) {
            tasks.push(tokio::spawn(live_session(s, logs.clone(), secs, burst)));
        }
        sleep(Duration::from_millis(5)).await;
    }
    tasks
}

/// The fake GPT-Live's ear: timestamps each caller frame of `session.input_audio.append`;
/// the first one says which call this is.
async fn live_session(s: FakeLiveSession, logs: Logs, secs: u64, burst: bool) {
    let (mut speaker, mut from) = (None, 0);
    let within = Duration::from_secs(secs + 120);
    while let Ok((i, ev)) = s
        .next_received("session.input_audio.append", from, within)
        .await
    {
        let now = Instant::now();
        from = i + 1;
        let bytes = STANDARD
            .decode(ev["audio"].as_str().unwrap_or_default())
            .unwrap_or_default();
        for f in bytes.chunks(FRAME) {
            let Some((c, seq)) = read_tag(f).filter(|(c, _)| *c < logs.len()) else {
                continue;
            };
            if speaker.is_none() {
                speaker = Some(tokio::spawn(live_speak(
                    s.clone(),
                    c,
                    logs.clone(),
                    secs,
                    burst,
                )));
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

/// The fake GPT-Live's voice until 0.4 s before the caller stops: one 20 ms delta every
/// 20 ms with barge-ins near the end, or (`burst`) 1 s of deltas at once every second.
async fn live_speak(s: FakeLiveSession, c: usize, logs: Logs, secs: u64, burst: bool) {
    let frames = (secs * 1000).saturating_sub(400) / 20;
    let barge: Vec<u64> = if burst {
        Vec::new()
    } else {
        LIVE_BARGE_FRAMES_BEFORE_END
            .iter()
            .filter_map(|b| frames.checked_sub(*b))
            .filter(|t| *t >= 25)
            .collect()
    };
    let base = tone(FRAME, 330.0);
    let start = TokioInstant::now();
    for seq in 0..frames {
        let at = if burst {
            Duration::from_millis(1000 * (seq / 50))
        } else {
            Duration::from_millis(20 * seq)
        };
        sleep_until(start + at).await;
        let ev = json!({"type": "session.output_audio.delta",
            "delta": STANDARD.encode(tagged(&base, c, seq as u32))});
        log(&logs, c).down_sent.push(Instant::now());
        if s.send(ev).is_err() {
            return;
        }
        if barge.contains(&seq) {
            // 10 ms after a frame, from its own task so the speech goes on: the model's
            // audio is surely still playing on the phone.
            let (s, logs) = (s.clone(), logs.clone());
            tokio::spawn(async move {
                sleep(Duration::from_millis(10)).await;
                log(&logs, c).barges.push(Instant::now());
                let ms = seq * 20;
                let said = json!({"type": "session.input_transcript.delta",
                    "delta": "جی سنیں", "start_ms": ms, "end_ms": ms + 30});
                let _ = s.send(said);
            });
        }
    }
}

/// Audio ms per wall ms between the first and the last of `frames` 20 ms frames at `times`.
fn rate<'a>(times: impl Iterator<Item = &'a Instant>) -> Option<f64> {
    let (mut first, mut last, mut n) = (None::<Instant>, None::<Instant>, 0u64);
    for t in times {
        first = Some(first.map_or(*t, |f| f.min(*t)));
        last = Some(last.map_or(*t, |l| l.max(*t)));
        n += 1;
    }
    let span = last?.saturating_duration_since(first?).as_secs_f64() * 1000.0;
    (span > 0.0).then(|| (n * 20) as f64 / span)
}

/// "median (min–max)" of per-call rates.
fn rates(mut v: Vec<f64>) -> String {
    if v.is_empty() {
        return "n/a".into();
    }
    v.sort_by(f64::total_cmp);
    format!("{:.3} ({:.3}–{:.3})", v[v.len() / 2], v[0], v[v.len() - 1])
}

/// Latencies in µs (sorted; `steady`: frames after the first second) and how many were
/// lost (all, and among the first 50 frames).
#[derive(Default)]
struct Way {
    lat: Vec<u64>,
    steady: Vec<u64>,
    sent: usize,
    lost: usize,
    lost_first_second: usize,
}

fn join(sent: &[Instant], recv: &HashMap<u32, Instant>, way: &mut Way) {
    way.sent += sent.len();
    for (seq, t) in sent.iter().enumerate() {
        let Some(r) = recv.get(&(seq as u32)) else {
            way.lost += 1;
            way.lost_first_second += usize::from(seq < 50);
            continue;
        };
        let us = r.saturating_duration_since(*t).as_micros() as u64;
        way.lat.push(us);
        if seq >= 50 {
            way.steady.push(us);
        }
    }
}

fn pct(v: &[u64], p: f64) -> u64 {
    v.get(((v.len().max(1) - 1) as f64 * p).round() as usize)
        .copied()
        .unwrap_or(0)
}

/// "p50 p99 max" of sorted µs, in ms.
fn cols(v: &[u64]) -> String {
    let ms = |us: u64| format!("{:.3}", us as f64 / 1000.0);
    let max = v.last().copied().unwrap_or(0);
    format!(
        "{:>9} {:>9} {:>9}",
        ms(pct(v, 0.5)),
        ms(pct(v, 0.99)),
        ms(max)
    )
}

fn row(name: &str, w: &Way) -> String {
    let (sent, lost, first) = (w.sent, w.lost, w.lost_first_second);
    format!(
        "{name:<18} {} {sent:>8} {:>8} {lost:>6} ({first} in 1st s)\n{:<18} {}",
        cols(&w.lat),
        sent - lost,
        "  after 1st s",
        cols(&w.steady)
    )
}

fn main() -> Result<()> {
    let (calls, seconds, ramp_ms, engine) = parse_args()?;
    init_logging();
    let load_rt = runtime("load-gen")?;
    let live = match engine {
        VoiceEngine::Live { .. } => Some(Arc::new(
            load_rt.block_on(FakeLive::start(LiveScript::new(Vec::new())))?,
        )),
        VoiceEngine::Realtime => None,
    };
    let env: Vec<(&str, String)> = match &live {
        Some(l) => vec![
            ("VOICE_ENGINE", "live-bridge".into()),
            ("OPENAI_LIVE_URL", l.url()),
        ],
        None => Vec::new(),
    };
    let Stage {
        realtime: rt,
        rest,
        server,
        dir: _dir,
    } = Stage::start_with(&load_rt, calls, 55, &env)?;
    let public = server.public.clone();
    let logs: Logs = Arc::new((0..calls).map(|_| Mutex::default()).collect());
    let caller = FakeCaller::new(&public, PUBLIC, TOKEN)
        .with_account_sid(ACCOUNT)
        .with_playback(PlaybackSpeed::RealTime);
    let rss_before = status_mib(server.pid, "VmRSS:");
    let (cpu0, own0, wall0) = (
        task_cpu_ns(server.pid),
        task_cpu_ns(std::process::id()),
        Instant::now(),
    );
    let (results, ai_missing) = load_rt.block_on(async {
        let ramp = Duration::from_millis(ramp_ms * calls as u64);
        let deadline = TokioInstant::now() + ramp + Duration::from_secs(seconds + 60);
        let (n, l, secs) = (calls, logs.clone(), seconds);
        let dispatch = match (engine, &live) {
            (VoiceEngine::Live { burst }, Some(live)) => {
                tokio::spawn(live_dispatch(live.clone(), n, l, secs, burst, deadline))
            }
            _ => tokio::spawn(ai_dispatch(rt.clone(), n, l, secs, deadline)),
        };
        let (mut handles, t0) = (Vec::new(), TokioInstant::now());
        for c in 0..calls {
            sleep_until(t0 + Duration::from_millis(ramp_ms * c as u64)).await;
            let (caller, logs) = (caller.clone(), logs.clone());
            handles.push(tokio::spawn(run_call(c, caller, logs, seconds)));
        }
        let mut results = Vec::new();
        for h in handles {
            results.push(h.await.map_err(anyhow::Error::from).and_then(|r| r));
        }
        for (c, r) in results.iter().enumerate() {
            if let Ok(stream) = r {
                collect(c, stream, &logs);
            }
        }
        let ai = dispatch.await.unwrap_or_default();
        let missing = calls - ai.len();
        for h in ai {
            let _ = tokio::time::timeout(Duration::from_secs(30), h).await;
        }
        (results, missing)
    });
    let (cpu1, own1, wall) = (
        task_cpu_ns(server.pid),
        task_cpu_ns(std::process::id()),
        wall0.elapsed(),
    );
    let hwm = status_mib(server.pid, "VmHWM:");

    let (mut up, mut down, mut barge_lat) = (Way::default(), Way::default(), Vec::new());
    let (mut barges, mut missed_clears, mut dups, mut untagged) = (0, 0, 0, 0);
    let (mut send_rates, mut recv_rates) = (Vec::new(), Vec::new());
    let mut problems: Vec<String> = results
        .iter()
        .enumerate()
        .filter_map(|(c, r)| r.as_ref().err().map(|e| format!("call {c}: {e:#}")))
        .collect();
    let failed = problems.len();
    for c in 0..calls {
        let l = log(&logs, c);
        join(&l.up_sent, &l.up_recv, &mut up);
        join(&l.down_sent, &l.down_recv, &mut down);
        send_rates.extend(rate(l.down_sent.iter()));
        recv_rates.extend(rate(l.down_recv.values()));
        for (i, b) in l.barges.iter().enumerate() {
            barges += 1;
            let next = l.barges.get(i + 1);
            let between = |t: &&Instant| *t >= b && next.is_none_or(|n| *t < n);
            match l.clears.iter().find(between) {
                Some(t) => barge_lat.push(t.duration_since(*b).as_micros() as u64),
                None => missed_clears += 1,
            }
        }
        (dups, untagged) = (dups + l.duplicates, untagged + l.untagged);
        problems.extend(l.violations.iter().map(|v| format!("call {c}: {v}")));
    }
    problems.extend(rt.schema_violations());
    if let Some(live) = &live {
        problems.extend(live.violations());
    }
    let all = [&mut up.lat, &mut up.steady, &mut down.lat, &mut down.steady];
    all.into_iter().for_each(|v| v.sort_unstable());
    barge_lat.sort_unstable();

    let server_s = cpu1.saturating_sub(cpu0) as f64 / 1e9;
    let other_s = own1.saturating_sub(own0) as f64 / 1e9;
    let call_min = calls as f64 * seconds as f64 / 60.0;
    let per_call_min = server_s / call_min;
    let cpus = std::thread::available_parallelism().map_or(1, usize::from);
    let (secs, ramp, wall) = (seconds, ramp_ms, wall.as_secs_f64());
    let (up_row, down_row) = (row("caller -> AI", &up), row("AI -> caller", &down));
    let (barge_cols, cleared) = (cols(&barge_lat), barges - missed_clears);
    let n_problems = problems.len();
    let engine_name = match engine {
        VoiceEngine::Realtime => "realtime-bridge (fake Realtime: 100 ms deltas every 100 ms)",
        VoiceEngine::Live { burst: false } => {
            "live-bridge (fake GPT-Live: 20 ms deltas every 20 ms, OutputPace::RealTime)"
        }
        VoiceEngine::Live { burst: true } => {
            "live-bridge (fake GPT-Live: 1 s of deltas at once every 1 s, OutputPace::Burst)"
        }
    };
    let (send_rate, recv_rate) = (rates(send_rates), rates(recv_rates));
    let lost = up.lost + down.lost;
    let p99 = pct(&up.lat, 0.99).max(pct(&down.lat, 0.99)) as f64 / 1000.0;
    let clean = failed == 0 && lost == 0;
    let verdict = |on: bool, ok: bool| {
        ["N/A ", "N/A ", "FAIL", "PASS"][usize::from(on) * 2 + usize::from(ok)]
    };
    let v200 = verdict(calls >= 200, clean && p99 < 5.0);
    let v1 = verdict(calls == 1, clean && p99 < 1.0);
    let vcpu = verdict(true, per_call_min <= 0.1);
    println!(
        "
relay: {calls} call(s) x {secs} s, started {ramp} ms apart, {cpus} CPUs, wall {wall:.1} s
engine: {engine_name}
latency (ms)             p50       p99       max     sent     recv   lost
{up_row}
{down_row}
barge-in -> clear  {barge_cols} {barges:>8} {cleared:>8} {missed_clears:>6}
AI output rate (audio ms per wall ms, median (min–max) of calls): sent by the fake {send_rate}, arriving at the caller {recv_rate}
server CPU    {server_s:.2} s / {call_min:.1} call-min = {per_call_min:.4} CPU-s per call-minute (the `melt8 serve` process, all threads)
load-gen CPU  {other_s:.2} s (fakes + harness, this process)
peak RSS      {hwm:.1} MiB (VmHWM of the `melt8 serve` process; {rss_before:.1} MiB before the calls)
calls failed {failed}/{calls}; AI sessions missing {ai_missing}; duplicate frames {dups}; untagged frames {untagged}; problems {n_problems}"
    );
    for p in problems.iter().take(10) {
        println!("  ! {p}");
    }
    println!(
        "targets (worst p99 of the two ways: {p99:.3} ms; frames lost: {lost}):
  [{v200}] 200 concurrent calls: 0 frames lost, p99 added latency < 5 ms
  [{v1}] single call: p99 added latency < 1 ms
  [{vcpu}] <= 0.1 server CPU-s per call-minute (measured {per_call_min:.4})"
    );

    server.stop()?;
    drop((rt, rest, live));
    load_rt.shutdown_timeout(Duration::from_secs(5));
    Ok(())
}
