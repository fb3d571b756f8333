//! Soak benchmark: many simulated calls held for minutes through the real server, watching
//! its memory, file descriptors and sockets, during the calls and after they hang up.
//!
//! Run: `cargo bench -p kitchen-server --bench soak -- [--calls N] [--minutes M]
//! [--barge-secs B] [--sample-secs S] [--warmup-secs W] [--ramp-ms R] [--settle-secs T]`
//! (defaults: 100 calls, 10 minutes, a barge-in every 7 s, a sample every 10 s, 60 s of
//! warm-up after the last call is up, calls 50 ms apart, 10 s after the last hang-up;
//! smoke: `--calls 4 --minutes 1 --warmup-secs 10`). Not a test; nothing runs it
//! automatically.
//!
//! Setup as in the relay benchmark: the real `melt8 serve` binary in its own process,
//! configured by environment variables (temp data folder, ports 0, the shop's caps raised so
//! every call reaches the AI), and the fakes of `kitchen-testkit` in this process.
//!
//! Each call, as on a busy line: the signed webhook, the media stream, the caller's audio
//! (one 20 ms frame every 20 ms, played back in real time so marks come back as a phone
//! would send them); the AI talks in 100 ms deltas; every B seconds the caller barges in
//! 5 s into the AI's turn (`speech_started`: the server clears Twilio's queue and cancels
//! the response), the AI's partial transcript and a cancelled `response.done` with usage
//! follow, and 1.5 s later the caller's turn ends with its transcript. So every call-minute
//! brings what a real one brings: audio both ways, marks, clears, transcripts and token
//! usage into the call log. At M minutes the caller hangs up (`stop`, close) and Twilio's
//! `completed` status callback follows.
//!
//! Reported: the server's RSS, threads, file descriptors and sockets every S seconds; RSS
//! growth from the end of the warm-up to the largest sample before the first hang-up (and
//! its slope); then, T seconds after the last hang-up, the connections the server still
//! holds (every TCP socket of the process that is not listening) against the target of none.
#![allow(clippy::print_stdout)]

use anyhow::{Result, bail};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use kitchen_testkit::PlaybackSpeed;
use kitchen_testkit::audio::tone;
use kitchen_testkit::{FakeCaller, FakeRealtime, FakeSession};
use serde_json::json;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use support::{
    ACCOUNT, PUBLIC, Stage, TOKEN, arg, init_logging, open_files, runtime, status_field,
    status_mib, task_cpu_ns, tcp_connections,
};
use tokio::time::{Instant as TokioInstant, sleep, sleep_until};

mod support;

const FRAME: usize = 160;
/// The AI talks this long into each turn before the caller barges in.
const AI_TALK_MS: u64 = 5_000;
/// The caller talks this long after barging in.
const CALLER_TALK_MS: u64 = 1_500;
/// What the caller says each turn (the call log keeps it).
const CALLER_SAYS: &str = "ji do large pizza chahiye, ek chicken tikka aur ek fajita, \
     address house 12 street 4 DHA phase 5, cash on delivery";
const AI_SAYS: &str = "جی بالکل، دو لارج پیزا، ایک چکن تکہ اور ایک فجیتا۔ آپ کا ایڈریس";

struct Args {
    calls: usize,
    minutes: u64,
    barge_secs: u64,
    sample_secs: u64,
    warmup_secs: u64,
    ramp_ms: u64,
    settle_secs: u64,
}

fn parse_args() -> Result<Args> {
    let a = Args {
        calls: arg("--calls", 100)? as usize,
        minutes: arg("--minutes", 10)?,
        barge_secs: arg("--barge-secs", 7)?,
        sample_secs: arg("--sample-secs", 10)?,
        warmup_secs: arg("--warmup-secs", 60)?,
        ramp_ms: arg("--ramp-ms", 50)?,
        settle_secs: arg("--settle-secs", 10)?,
    };
    if !(1..=500).contains(&a.calls) || !(1..=50).contains(&a.minutes) {
        bail!("--calls must be 1..=500 and --minutes 1..=50");
    }
    if a.barge_secs * 1000 < AI_TALK_MS + CALLER_TALK_MS + 200 || a.sample_secs == 0 {
        bail!("--barge-secs must be at least 7 and --sample-secs at least 1");
    }
    if a.warmup_secs + a.sample_secs * 3 >= a.minutes * 60 {
        bail!("--warmup-secs leaves fewer than three samples before the calls end");
    }
    Ok(a)
}

/// One call, as Twilio: ring, stream, talk for `secs`, hang up, report `completed`.
async fn run_call(c: usize, caller: FakeCaller, secs: u64, up: Arc<AtomicUsize>) -> Result<()> {
    let call = caller
        .place_call(&format!("+92300{c:07}"), "+15005550006")
        .await?;
    if call.status != 200 || call.stream_url.is_none() {
        bail!("webhook answered {}: {}", call.status, call.twiml);
    }
    let stream = caller.connect_stream(&call).await?;
    up.fetch_add(1, Ordering::SeqCst);
    let frame = tone(FRAME, 440.0);
    let t0 = TokioInstant::now();
    let mut result = Ok(());
    for seq in 0..secs * 50 {
        sleep_until(t0 + Duration::from_millis(20 * seq)).await;
        if let Err(e) = stream.send_audio(&frame, false).await {
            result = Err(e.context(format!("call {c} at {} s", seq / 50)));
            break;
        }
    }
    let _ = stream.stop();
    let closed = stream.wait_closed(Duration::from_secs(10)).await;
    up.fetch_sub(1, Ordering::SeqCst);
    result?;
    closed?;
    if let Some(v) = stream.violations().first() {
        bail!("call {c}: {v}");
    }
    let mut params = call.params.clone();
    for (name, value) in &mut params {
        if name == "CallStatus" {
            *value = "completed".into();
        }
    }
    params.push(("CallDuration".into(), secs.to_string()));
    let status = caller.post_webhook("/twilio/status", params, None).await?;
    if status.status != 204 {
        bail!("call {c}: the status callback got {}", status.status);
    }
    Ok(())
}

/// Hands every AI connection to its own task until `n` arrived or `deadline`.
async fn ai_dispatch(
    rt: Arc<FakeRealtime>,
    n: usize,
    barge_secs: u64,
    deadline: TokioInstant,
) -> Vec<tokio::task::JoinHandle<Result<u64>>> {
    let mut tasks = Vec::new();
    while tasks.len() < n {
        let left = deadline.saturating_duration_since(TokioInstant::now());
        let Ok(s) = rt.next_session(left).await else {
            break;
        };
        tasks.push(tokio::spawn(ai_session(s, barge_secs)));
    }
    tasks
}

/// The fake AI of one call: turns of speech, each cut by the caller, until the call ends.
/// Returns the number of turns.
async fn ai_session(s: FakeSession, barge_secs: u64) -> Result<u64> {
    s.wait_for("session.update", Duration::from_secs(30))
        .await?;
    let delta = STANDARD.encode(tone(FRAME * 5, 330.0));
    let start = TokioInstant::now();
    let ms = |at: TokioInstant| at.duration_since(start).as_millis() as u64;
    let mut turn = 0u64;
    loop {
        let turn_start = start + Duration::from_secs(barge_secs * turn);
        sleep_until(turn_start).await;
        if s.is_closed() {
            return Ok(turn);
        }
        // Nothing here waits for the caller's audio: forget it so the fake stays small.
        s.consume_all();
        let (rid, item) = (format!("resp_{turn}"), format!("item_ai_{turn}"));
        let caller_item = format!("item_caller_{turn}");
        if s.speak_unfinished(&rid, &item, &[], 1).is_err() {
            return Ok(turn);
        }
        for tick in 0..AI_TALK_MS / 100 {
            sleep_until(turn_start + Duration::from_millis(100 * tick)).await;
            let ev = json!({"type": "response.output_audio.delta", "response_id": rid,
                "item_id": item, "output_index": 0, "content_index": 0, "delta": delta});
            if s.send(ev).is_err() {
                return Ok(turn);
            }
        }
        // 30 ms after a delta: its mark is surely still in flight (real-time playback).
        sleep(Duration::from_millis(30)).await;
        if barge_in(&s, ms(TokioInstant::now()), &rid, &item, &caller_item).is_err() {
            return Ok(turn);
        }
        sleep(Duration::from_millis(CALLER_TALK_MS)).await;
        let said = s
            .speech_stopped(ms(TokioInstant::now()), &caller_item)
            .and_then(|()| s.transcript_of_caller(&caller_item, CALLER_SAYS));
        if said.is_err() {
            return Ok(turn);
        }
        turn += 1;
    }
}

/// The caller talks over the AI: server VAD's `speech_started`, then what the real service
/// sends for the response cut short (its partial transcript, `response.done` cancelled).
fn barge_in(s: &FakeSession, at_ms: u64, rid: &str, item: &str, caller_item: &str) -> Result<()> {
    s.speech_started(at_ms, caller_item)?;
    s.send(
        json!({"type": "response.output_audio_transcript.done", "response_id": rid,
        "item_id": item, "output_index": 0, "content_index": 0, "transcript": AI_SAYS}),
    )?;
    s.finish_response(rid, "cancelled")
}

/// One reading of the server process.
#[derive(Clone, Copy)]
struct Sample {
    at_s: f64,
    calls_up: usize,
    rss_mib: f64,
    threads: u64,
    fds: usize,
    sockets: usize,
}

fn sample(pid: u32, t0: Instant, calls_up: usize) -> Sample {
    let files = open_files(pid);
    Sample {
        at_s: t0.elapsed().as_secs_f64(),
        calls_up,
        rss_mib: status_mib(pid, "VmRSS:"),
        threads: status_field(pid, "Threads:").unwrap_or(0),
        fds: files.fds,
        sockets: files.socket_inodes.len(),
    }
}

/// Least-squares slope of RSS over time, MiB per minute.
fn slope_mib_per_min(samples: &[Sample]) -> f64 {
    let n = samples.len() as f64;
    if samples.len() < 2 {
        return 0.0;
    }
    let mx = samples.iter().map(|s| s.at_s).sum::<f64>() / n;
    let my = samples.iter().map(|s| s.rss_mib).sum::<f64>() / n;
    let num: f64 = samples
        .iter()
        .map(|s| (s.at_s - mx) * (s.rss_mib - my))
        .sum();
    let den: f64 = samples.iter().map(|s| (s.at_s - mx).powi(2)).sum();
    if den == 0.0 { 0.0 } else { num / den * 60.0 }
}

fn main() -> Result<()> {
    let a = parse_args()?;
    init_logging();
    let load_rt = runtime("load-gen")?;
    let Stage {
        realtime: rt,
        rest,
        server,
        dir: _dir,
    } = Stage::start(&load_rt, a.calls, a.minutes + 5)?;
    let pid = server.pid;
    let caller = FakeCaller::new(&server.public, PUBLIC, TOKEN)
        .with_account_sid(ACCOUNT)
        .with_playback(PlaybackSpeed::RealTime);
    let t0 = Instant::now();
    let before = sample(pid, t0, 0);
    let before_conns = tcp_connections(&open_files(pid).socket_inodes);
    let cpu0 = task_cpu_ns(pid);
    let secs = a.minutes * 60;
    let all_up_s = (a.ramp_ms * a.calls as u64) as f64 / 1000.0;
    let warm_s = all_up_s + a.warmup_secs as f64;
    let up = Arc::new(AtomicUsize::new(0));

    let (samples, results, turns) = load_rt.block_on(async {
        let deadline = TokioInstant::now() + Duration::from_secs(secs + 120);
        let dispatch = tokio::spawn(ai_dispatch(rt.clone(), a.calls, a.barge_secs, deadline));
        let sampler = {
            let up = up.clone();
            let every = Duration::from_secs(a.sample_secs);
            tokio::spawn(async move {
                let mut samples = vec![before];
                let start = TokioInstant::now();
                for k in 1.. {
                    sleep_until(start + every * k).await;
                    let s = sample(pid, t0, up.load(Ordering::SeqCst));
                    println!(
                        "{:>7.0} s  calls {:>4}  RSS {:>7.1} MiB  threads {:>3}  fds {:>4}  sockets {:>4}",
                        s.at_s, s.calls_up, s.rss_mib, s.threads, s.fds, s.sockets
                    );
                    let done = s.calls_up == 0 && s.at_s > warm_s;
                    samples.push(s);
                    if done {
                        break;
                    }
                }
                samples
            })
        };
        let (mut handles, start) = (Vec::new(), TokioInstant::now());
        for c in 0..a.calls {
            sleep_until(start + Duration::from_millis(a.ramp_ms * c as u64)).await;
            let (caller, up) = (caller.clone(), up.clone());
            handles.push(tokio::spawn(run_call(c, caller, secs, up)));
        }
        let mut results = Vec::new();
        for h in handles {
            results.push(h.await.map_err(anyhow::Error::from).and_then(|r| r));
        }
        let mut turns = Vec::new();
        for h in dispatch.await.unwrap_or_default() {
            if let Ok(Ok(Ok(t))) = tokio::time::timeout(Duration::from_secs(30), h).await {
                turns.push(t);
            }
        }
        let samples = sampler.await.unwrap_or_default();
        (samples, results, turns)
    });
    std::thread::sleep(Duration::from_secs(a.settle_secs));
    let after = sample(pid, t0, 0);
    let after_files = open_files(pid);
    let after_conns = tcp_connections(&after_files.socket_inodes);
    let cpu_s = task_cpu_ns(pid).saturating_sub(cpu0) as f64 / 1e9;
    let hwm = status_mib(pid, "VmHWM:");

    // The steady state: after the warm-up, before the first call hangs up.
    let first_hangup_s = secs as f64;
    let steady: Vec<Sample> = samples
        .iter()
        .filter(|s| s.at_s >= warm_s && s.at_s < first_hangup_s)
        .copied()
        .collect();
    let base = steady.first().map_or(0.0, |s| s.rss_mib);
    let peak = steady.iter().map(|s| s.rss_mib).fold(0.0, f64::max);
    let last = steady.last().map_or(0.0, |s| s.rss_mib);
    let growth = if base > 0.0 {
        (peak - base) / base * 100.0
    } else {
        f64::NAN
    };
    let slope = slope_mib_per_min(&steady);
    let failed: Vec<String> = results
        .iter()
        .enumerate()
        .filter_map(|(c, r)| r.as_ref().err().map(|e| format!("call {c}: {e:#}")))
        .collect();
    let mut problems = failed.clone();
    problems.extend(rt.schema_violations());
    let total_turns: u64 = turns.iter().sum();
    let call_min = a.calls as f64 * a.minutes as f64;
    let (n_failed, n_ai, calls) = (failed.len(), turns.len(), a.calls);
    let verdict = |ok: bool| if ok { "PASS" } else { "FAIL" };
    let mem_ok = growth < 5.0 && !steady.is_empty();
    let sock_ok = after_conns.is_empty() && n_failed == 0;
    println!(
        "
soak: {calls} call(s) x {} min, a barge-in every {} s, started {} ms apart; {} CPUs
calls failed {n_failed}/{calls}; AI sessions {n_ai}; AI turns {total_turns}; problems {}
server CPU    {cpu_s:.1} s = {:.4} CPU-s per call-minute
RSS           {:.1} MiB before the calls; {base:.1} MiB after the warm-up ({warm_s:.0} s); \
{last:.1} MiB at {:.0} s (the last sample before the hang-ups); peak {peak:.1} MiB
              growth after warm-up {growth:.2} % ({slope:+.3} MiB/min over {} samples); \
VmHWM {hwm:.1} MiB
after hang-up ({} s later): RSS {:.1} MiB; threads {} (before {}); fds {} (before {}); \
sockets {} (before {}); connections {} (before {})",
        a.minutes,
        a.barge_secs,
        a.ramp_ms,
        std::thread::available_parallelism().map_or(1, usize::from),
        problems.len(),
        cpu_s / call_min,
        before.rss_mib,
        steady.last().map_or(0.0, |s| s.at_s),
        steady.len(),
        a.settle_secs,
        after.rss_mib,
        after.threads,
        before.threads,
        after.fds,
        before.fds,
        after.sockets,
        before.sockets,
        after_conns.len(),
        before_conns.len(),
    );
    for c in after_conns.iter().take(10) {
        println!("  still open: {c}");
    }
    for p in problems.iter().take(10) {
        println!("  ! {p}");
    }
    println!(
        "targets:
  [{}] RSS growth after warm-up under 5 % (measured {growth:.2} %)
  [{}] no connection left open after hang-up, every call completed (left {}, failed {n_failed})",
        verdict(mem_ok),
        verdict(sock_ok),
        after_conns.len()
    );

    server.stop()?;
    drop((rt, rest));
    load_rt.shutdown_timeout(Duration::from_secs(5));
    Ok(())
}
