//! `melt8 rehearse --live --voice`: each scenario's caller turns are **spoken** into the
//! real phone path of the chosen voice engine, to hear what a caller would hear.
//!
//! The Realtime rehearsal (`--live`, [`super::live`]) types the caller's turns as text; that
//! cannot check what text never shows: how well the model understands spoken Urdu, how its
//! Urdu sounds, and how fast its audio arrives. GPT-Live takes no typed caller turns at all.
//! Here each caller turn is made into speech with OpenAI's text-to-speech
//! (`POST {OPENAI_API_BASE}/audio/speech`, 24 kHz PCM, brought down to the phone's 8 kHz
//! µ-law) and played as a phone would play it (20 ms frames in real time, silence in
//! between) into the relay of the engine under test, which talks to the real model.
//!
//! What the report adds, per scenario:
//! - **heard**: each caller turn as the model's transcription heard it, beside what was
//!   said — the check of its Urdu understanding;
//! - **said**: the AI's lines from the call log;
//! - **pacing**: how fast the AI's audio arrived, as a multiple of real time (1.0× = paced
//!   like speech; more = bursts, which the live bridge meters out before Twilio — the ❓ in
//!   the voice-engine notes). The engine's own pacing is switched off for the rehearsal so
//!   the arrival rate is the model's;
//! - **audio**: with `--save-audio DIR`, both sides of every call as µ-law WAV files
//!   (`<scenario>-call<N>-caller.wav`, `…-ai.wav`) to listen to.
//!
//! The board's end state is scored as in the text rehearsal.

use super::Played;
use super::scenario::Scenario;
use super::stage::{SHOP_TWILIO_NUMBER, Stage, WAIT, twilio_from};
use crate::Secret;
use anyhow::{Context, bail};
use kitchen_demo::FakeStream;
use kitchen_demo::audio::{BYTES_PER_MS, FRAME_BYTES, SILENCE, linear_to_mulaw};
use kitchen_domain::VoiceEngine;
use serde_json::{Value, json};
use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long the AI may take to start and finish one answer.
const TURN_WAIT: Duration = Duration::from_secs(45);
/// Silence from the AI after which its turn counts as over.
const QUIET: Duration = Duration::from_millis(1500);
/// After the caller's last turn: how long the model has to say goodbye and hang up.
const GOODBYE_WAIT: Duration = Duration::from_secs(10);
/// The speaking style asked of the text-to-speech voice.
const CALLER_STYLE: &str = "You are a customer phoning a pizza shop in Lahore. Speak the \
     text naturally, in Pakistani Urdu, at a normal phone pace.";

/// What the spoken rehearsal needs.
#[derive(Debug, Clone)]
pub struct VoiceConfig {
    /// The engine whose phone path is rehearsed (`realtime-bridge` or `live-bridge`).
    pub engine: VoiceEngine,
    /// The Realtime endpoint (realtime-bridge).
    pub realtime_url: String,
    /// The GPT-Live endpoint (live-bridge).
    pub live_url: String,
    /// OpenAI's REST API, for the text-to-speech.
    pub api_base: String,
    /// The model: the Realtime model or the GPT-Live model, by engine.
    pub model: String,
    /// The API key (never printed).
    pub api_key: Secret,
    /// The text-to-speech model.
    pub tts_model: String,
    /// The caller's text-to-speech voice.
    pub tts_voice: String,
    /// Where both sides of each call are saved as WAV files, if anywhere.
    pub save_audio: Option<PathBuf>,
}

/// Plays `scenario` with its caller turns spoken into the engine's phone path.
pub(crate) async fn play(
    scenario: &Scenario,
    cfg: &VoiceConfig,
) -> anyhow::Result<(Stage, Played)> {
    if cfg.engine.is_sip() {
        bail!(
            "a spoken rehearsal plays the caller into this PC's relay; {} calls never reach \
             it (the audio goes from Twilio straight to OpenAI): rehearse live-bridge or \
             realtime-bridge with the same model instead",
            cfg.engine
        );
    }
    let engine = cfg.engine;
    let (realtime_url, live_url, model) = (
        cfg.realtime_url.clone(),
        cfg.live_url.clone(),
        cfg.model.clone(),
    );
    let stage = Stage::start_with(scenario, cfg.api_key.expose(), move |c| {
        c.phone.openai_realtime_url = realtime_url;
        c.phone.openai_live_url = live_url;
        // The model's own arrival rate is what the rehearsal measures.
        c.phone.live_pacing.realtime = false;
        c.settings.voice_engine = Some(engine);
        let model = kitchen_domain::settings::ModelName::parse(&model).ok();
        if engine.is_live() {
            c.settings.openai_live_model = model;
        } else {
            c.settings.openai_model = model;
        }
    })
    .await?;
    let mut played = Played::default();
    if let Some(why) = super::missing_feature(scenario, &stage).await? {
        played.not_run = Some(why);
        return Ok((stage, played));
    }
    let speech = Speech::new(cfg)?;
    if let Err(e) = talk(scenario, &stage, &speech, cfg, &mut played).await {
        played.reasons.push(format!("{e:#}"));
    }
    Ok((stage, played))
}

/// The caller's side of every call.
async fn talk(
    scenario: &Scenario,
    stage: &Stage,
    speech: &Speech,
    cfg: &VoiceConfig,
    played: &mut Played,
) -> anyhow::Result<()> {
    for (c, call) in scenario.calls.iter().enumerate() {
        let from = twilio_from(call.caller.as_deref().unwrap_or(&scenario.caller));
        let start = stage.caller.place_call(&from, SHOP_TWILIO_NUMBER).await?;
        if start.status != 200 || start.stream_url.is_none() {
            bail!(
                "call {}: the server did not connect the call to the AI (HTTP {}): {}",
                c + 1,
                start.status,
                start.twiml.trim()
            );
        }
        played.call_sids.push(start.call_sid.clone());
        let stream = Arc::new(stage.caller.connect_stream(&start).await?);
        let mouth = Mouth::start(stream.clone());
        let mut rates = Vec::new();
        let mut heard_from = 0;
        // The greeting.
        match ai_turn(&stream, heard_from, TURN_WAIT).await {
            Some(t) => {
                rates.push(t.rate());
                heard_from = t.end_index;
            }
            None => played
                .reasons
                .push(format!("call {}: the AI never greeted the caller", c + 1)),
        }
        let mut ended = stream.is_closed();
        for (t, turn) in call.turns.iter().enumerate() {
            if ended {
                played.reasons.push(format!(
                    "call {}: the call ended before the caller's turn {}",
                    c + 1,
                    t + 1
                ));
                break;
            }
            for action in &turn.kitchen {
                stage.kitchen(action).await?;
            }
            played.turns += 1;
            if let Some(keys) = &turn.keypad {
                for key in keys.chars() {
                    stream.send_dtmf(&key.to_string())?;
                }
            }
            if !turn.caller.trim().is_empty() {
                let audio = speech
                    .say(&turn.caller)
                    .await
                    .with_context(|| format!("call {} turn {}: text to speech", c + 1, t + 1))?;
                mouth.say(audio).await;
            }
            if turn.hang_up {
                stream.stop()?;
                ended = true;
                break;
            }
            match ai_turn(&stream, heard_from, TURN_WAIT).await {
                Some(answer) => {
                    rates.push(answer.rate());
                    heard_from = answer.end_index;
                }
                None if stream.is_closed() => ended = true,
                None => played.reasons.push(format!(
                    "call {}: the AI did not answer the caller's turn {} within {}s",
                    c + 1,
                    t + 1,
                    TURN_WAIT.as_secs()
                )),
            }
            ended |= stream.is_closed();
        }
        if !ended {
            // The model says goodbye and ends the call itself, or the caller hangs up.
            if stream.wait_closed(GOODBYE_WAIT).await.is_err() {
                stream.stop()?;
            }
        }
        let caller_audio = mouth.stop();
        let log = stage.call_log(&start.call_sid).await?;
        played.notes.extend(describe_call(c + 1, &log, &rates));
        if let Some(dir) = &cfg.save_audio {
            let stem = format!("{}-call{}", file_stem(&scenario.name), c + 1);
            let saved = save_call(dir, &stem, &caller_audio, &stream.audio_received())?;
            played.notes.push(format!("audio: {saved}"));
        }
    }
    Ok(())
}

/// What one call showed: each caller line as the model heard it, the AI's lines, and the
/// pacing of the AI's audio.
fn describe_call(call: usize, log: &Value, rates: &[f64]) -> Vec<String> {
    let mut notes = Vec::new();
    for line in log["transcript"].as_array().into_iter().flatten() {
        let text = line["text"].as_str().unwrap_or_default();
        match line["speaker"].as_str() {
            Some("caller") => notes.push(format!("call {call} heard: «{text}»")),
            Some("ai") => notes.push(format!("call {call} said:  «{text}»")),
            _ => {}
        }
    }
    if let Some(p) = Pacing::of(rates) {
        notes.push(format!(
            "call {call} pacing: AI audio arrived at {:.1}× real time (median of {} answers, \
             fastest {:.1}×){}",
            p.median,
            rates.len(),
            p.max,
            if p.max > 1.5 {
                " — bursts: keep LIVE_OUTPUT_PACING=realtime"
            } else {
                " — paced like speech"
            }
        ));
    }
    notes
}

/// The arrival rate of a call's answers.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Pacing {
    median: f64,
    max: f64,
}

impl Pacing {
    fn of(rates: &[f64]) -> Option<Pacing> {
        let mut r: Vec<f64> = rates.iter().copied().filter(|r| r.is_finite()).collect();
        if r.is_empty() {
            return None;
        }
        r.sort_by(f64::total_cmp);
        Some(Pacing {
            median: r[r.len() / 2],
            max: r[r.len() - 1],
        })
    }
}

/// One answer of the AI as the caller received it.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Answer {
    bytes: usize,
    first: Instant,
    last: Instant,
    /// Index in the stream's received messages after this answer.
    end_index: usize,
}

impl Answer {
    /// Audio time over arrival time (the last frame counted as 20 ms long).
    fn rate(&self) -> f64 {
        let wall = self.last.duration_since(self.first) + Duration::from_millis(20);
        (self.bytes / BYTES_PER_MS) as f64 / wall.as_millis() as f64
    }
}

/// The AI's audio among `received` from index `from`, once it has been quiet for
/// [`QUIET`] (`now` is the time of asking).
fn answer_in(received: &[(Instant, Value)], from: usize, now: Instant) -> Option<Answer> {
    let mut answer: Option<Answer> = None;
    for (i, (at, msg)) in received.iter().enumerate().skip(from) {
        if msg["event"] != "media" {
            continue;
        }
        let bytes = msg["media"]["payload"].as_str().map_or(0, base64_len);
        let a = answer.get_or_insert(Answer {
            bytes: 0,
            first: *at,
            last: *at,
            end_index: i + 1,
        });
        a.bytes += bytes;
        a.last = *at;
        a.end_index = i + 1;
    }
    answer.filter(|a| now.duration_since(a.last) >= QUIET)
}

/// The length of what base64 `text` decodes to.
fn base64_len(text: &str) -> usize {
    let padding = text.bytes().rev().take_while(|b| *b == b'=').count();
    (text.len() / 4 * 3).saturating_sub(padding)
}

/// Waits for the AI's next answer after message `from`: audio, then [`QUIET`].
async fn ai_turn(stream: &FakeStream, from: usize, within: Duration) -> Option<Answer> {
    let deadline = Instant::now() + within;
    loop {
        let closed = stream.is_closed();
        let now = Instant::now();
        // Once the call is over there is nothing more to wait for: what came is the answer.
        let asked = if closed { now + QUIET } else { now };
        if let Some(a) = answer_in(&stream.received(), from, asked) {
            return Some(a);
        }
        if now > deadline || closed {
            return None;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The caller's phone: one 20 ms frame every 20 ms, speech when there is some, silence
/// otherwise (a phone line is never quiet on the wire, and GPT-Live expects a continuous
/// stream).
struct Mouth {
    queue: Arc<Mutex<VecDeque<[u8; FRAME_BYTES]>>>,
    sent: Arc<Mutex<Vec<u8>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Mouth {
    fn start(stream: Arc<FakeStream>) -> Mouth {
        let queue = Arc::new(Mutex::new(VecDeque::<[u8; FRAME_BYTES]>::new()));
        let sent = Arc::new(Mutex::new(Vec::new()));
        let (q, s) = (queue.clone(), sent.clone());
        let task = tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_millis(20));
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
            loop {
                tick.tick().await;
                let frame = lock(&q).pop_front().unwrap_or([SILENCE; FRAME_BYTES]);
                lock(&s).extend_from_slice(&frame);
                if stream.send_audio(&frame, false).await.is_err() {
                    return;
                }
            }
        });
        Mouth { queue, sent, task }
    }

    /// Speaks `audio` (µ-law) and returns once it has been played.
    async fn say(&self, audio: Vec<u8>) {
        let frames = audio.len().div_ceil(FRAME_BYTES);
        {
            let mut q = lock(&self.queue);
            for chunk in audio.chunks(FRAME_BYTES) {
                let mut frame = [SILENCE; FRAME_BYTES];
                frame[..chunk.len()].copy_from_slice(chunk);
                q.push_back(frame);
            }
        }
        tokio::time::sleep(Duration::from_millis(20 * frames as u64)).await;
        while !lock(&self.queue).is_empty() {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Stops the phone; what it sent.
    fn stop(self) -> Vec<u8> {
        self.task.abort();
        std::mem::take(&mut *lock(&self.sent))
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// OpenAI's text-to-speech, as the caller's voice.
struct Speech {
    http: reqwest::Client,
    url: String,
    key: Secret,
    model: String,
    voice: String,
}

impl Speech {
    fn new(cfg: &VoiceConfig) -> anyhow::Result<Speech> {
        Ok(Speech {
            http: reqwest::Client::builder()
                .timeout(WAIT * 2)
                .build()
                .context("making the text-to-speech client")?,
            url: format!("{}/audio/speech", cfg.api_base.trim_end_matches('/')),
            key: cfg.api_key.clone(),
            model: cfg.tts_model.clone(),
            voice: cfg.tts_voice.clone(),
        })
    }

    /// `text` spoken, as 8 kHz µ-law.
    async fn say(&self, text: &str) -> anyhow::Result<Vec<u8>> {
        let res = self
            .http
            .post(&self.url)
            .bearer_auth(self.key.expose())
            .json(&json!({
                "model": self.model,
                "voice": self.voice,
                "input": text,
                "instructions": CALLER_STYLE,
                "response_format": "pcm",
            }))
            .send()
            .await
            .context("reaching OpenAI's text-to-speech")?;
        let status = res.status();
        let body = res.bytes().await.context("reading the speech")?;
        if !status.is_success() {
            bail!(
                "OpenAI's text-to-speech answered HTTP {}: {}",
                status.as_u16(),
                String::from_utf8_lossy(&body)
                    .chars()
                    .take(300)
                    .collect::<String>()
            );
        }
        Ok(pcm24k_to_mulaw8k(&body))
    }
}

/// 24 kHz 16-bit little-endian mono PCM (the text-to-speech's `pcm`) to 8 kHz µ-law: each
/// three samples averaged into one (a simple low-pass before dropping two of three).
pub fn pcm24k_to_mulaw8k(pcm: &[u8]) -> Vec<u8> {
    pcm.chunks_exact(6)
        .map(|three| {
            let s = |i: usize| i32::from(i16::from_le_bytes([three[i], three[i + 1]]));
            let mean = (s(0) + s(2) + s(4)) / 3;
            linear_to_mulaw(i16::try_from(mean).unwrap_or(0))
        })
        .collect()
}

/// A µ-law WAV file (8 kHz mono, format 7) of `audio`.
pub fn mulaw_wav(audio: &[u8]) -> Vec<u8> {
    let data_len = u32::try_from(audio.len()).unwrap_or(u32::MAX);
    let mut out = Vec::with_capacity(audio.len() + 58);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&(50 + data_len).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&18u32.to_le_bytes());
    out.extend_from_slice(&7u16.to_le_bytes()); // µ-law
    out.extend_from_slice(&1u16.to_le_bytes()); // mono
    out.extend_from_slice(&8000u32.to_le_bytes());
    out.extend_from_slice(&8000u32.to_le_bytes()); // bytes a second
    out.extend_from_slice(&1u16.to_le_bytes()); // block align
    out.extend_from_slice(&8u16.to_le_bytes()); // bits a sample
    out.extend_from_slice(&0u16.to_le_bytes()); // no extension
    out.extend_from_slice(b"fact");
    out.extend_from_slice(&4u32.to_le_bytes());
    out.extend_from_slice(&data_len.to_le_bytes());
    out.extend_from_slice(b"data");
    out.extend_from_slice(&data_len.to_le_bytes());
    out.extend_from_slice(audio);
    out
}

/// A scenario's name as a file name.
fn file_stem(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Writes both sides of a call; says where.
fn save_call(dir: &Path, stem: &str, caller: &[u8], ai: &[u8]) -> anyhow::Result<String> {
    std::fs::create_dir_all(dir).with_context(|| format!("making {}", dir.display()))?;
    let mut names = Vec::new();
    for (side, audio) in [("caller", caller), ("ai", ai)] {
        let path = dir.join(format!("{stem}-{side}.wav"));
        std::fs::write(&path, mulaw_wav(audio))
            .with_context(|| format!("writing {}", path.display()))?;
        names.push(path.display().to_string());
    }
    Ok(names.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;

    fn media(bytes: usize) -> Value {
        let payload = base64::engine::general_purpose::STANDARD.encode(vec![0u8; bytes]);
        json!({"event": "media", "media": {"payload": payload}})
    }

    #[test]
    fn an_answer_is_the_ai_audio_after_the_callers_turn_once_quiet() {
        let t0 = Instant::now();
        let at = |ms: u64| t0 + Duration::from_millis(ms);
        let received = vec![
            (at(0), media(160)), // the greeting, already counted
            (at(100), json!({"event": "mark", "mark": {"name": "x"}})),
            (at(200), media(160)),
            (at(210), media(160)),
            (at(220), media(160)),
        ];
        assert_eq!(answer_in(&received, 1, at(1000)), None, "not quiet yet");
        let a = answer_in(&received, 1, at(2000)).unwrap();
        assert_eq!((a.bytes, a.end_index), (480, 5));
        // 60 ms of audio arrived over 20 ms (+ 20 ms for the last frame): 1.5× real time.
        assert!((a.rate() - 1.5).abs() < 1e-9, "{}", a.rate());
        assert_eq!(answer_in(&received, 5, at(5000)), None, "nothing after it");
    }

    #[test]
    fn pacing_reports_the_median_and_the_fastest_answer() {
        assert_eq!(Pacing::of(&[]), None);
        let p = Pacing::of(&[1.0, 4.0, 1.2]).unwrap();
        assert_eq!((p.median, p.max), (1.2, 4.0));
        let log = json!({"transcript": [
            {"speaker": "ai", "text": "السلام علیکم"},
            {"speaker": "caller", "text": "ایک بڑا پیزا"},
            {"speaker": "system", "text": "Transferred"},
        ]});
        let notes = describe_call(1, &log, &[3.0, 3.5]);
        assert_eq!(notes[0], "call 1 said:  «السلام علیکم»");
        assert_eq!(notes[1], "call 1 heard: «ایک بڑا پیزا»");
        assert!(
            notes[2].contains("3.5× real time") && notes[2].contains("bursts"),
            "{}",
            notes[2]
        );
        assert_eq!(notes.len(), 3);
    }

    #[test]
    fn speech_is_brought_down_to_phone_audio() {
        // 24 kHz: three samples of +1000 then three of -1000 → two µ-law samples.
        let mut pcm = Vec::new();
        for s in [1000i16, 1000, 1000, -1000, -1000, -1000, 7] {
            pcm.extend_from_slice(&s.to_le_bytes());
        }
        let out = pcm24k_to_mulaw8k(&pcm);
        assert_eq!(out, vec![linear_to_mulaw(1000), linear_to_mulaw(-1000)]);
        let wav = mulaw_wav(&out);
        assert_eq!(&wav[0..4], b"RIFF");
        assert_eq!(
            u32::from_le_bytes(wav[4..8].try_into().unwrap()) as usize,
            wav.len() - 8
        );
        assert_eq!(u16::from_le_bytes([wav[20], wav[21]]), 7, "µ-law");
        assert_eq!(&wav[wav.len() - 2..], &out[..]);
        assert_eq!(file_stem("cash pays/with change"), "cash_pays_with_change");
    }
}
