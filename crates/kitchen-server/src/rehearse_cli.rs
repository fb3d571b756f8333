//! `melt8 rehearse`: flags and environment into a rehearsal run, its report onto the
//! console. The work is in `kitchen_server::rehearse`.

use clap::Args;
use kitchen_server::Secret;
use kitchen_server::rehearse::live::{LiveConfig, Prices};
use kitchen_server::rehearse::{self, Mode, scenario};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct RehearseArgs {
    /// Scenario files, or folders of them (.yaml, .yml, .json) [default: scenarios]
    paths: Vec<PathBuf>,
    /// Play each scenario's caller turns as text to the configured OpenAI Realtime model
    /// (OPENAI_API_KEY, OPENAI_REALTIME_URL, OPENAI_REALTIME_MODEL) and score what it did:
    /// exact order match, tool errors, turns, token cost.
    #[arg(long)]
    live: bool,
    /// With --live: the built-in scripted fake plays the model, following each scenario's
    /// script (no key needed; shows the live report's format).
    #[arg(long, requires = "live")]
    against_fake: bool,
    /// With --live: speak each caller turn (OpenAI text-to-speech) into the real phone path
    /// of --engine instead of typing it, and report how the model heard it, what it said,
    /// how fast its audio arrived (pacing) and, with --save-audio, both sides as WAV files.
    /// Needs OPENAI_API_KEY; uses OPENAI_API_BASE, OPENAI_LIVE_URL / OPENAI_REALTIME_URL.
    #[arg(long, requires = "live", conflicts_with = "against_fake")]
    voice: bool,
    /// With --voice: the engine whose phone path is rehearsed: live-bridge (GPT-Live,
    /// OPENAI_LIVE_MODEL) or realtime-bridge [default: live-bridge]
    #[arg(long, requires = "voice", value_name = "ENGINE")]
    engine: Option<String>,
    /// With --voice: the caller's text-to-speech voice [default: alloy]
    #[arg(long, requires = "voice", default_value = "alloy")]
    tts_voice: String,
    /// With --voice: the text-to-speech model [default: gpt-4o-mini-tts]
    #[arg(long, requires = "voice", default_value = "gpt-4o-mini-tts")]
    tts_model: String,
    /// With --voice: save both sides of every call here as WAV files to listen to.
    #[arg(long, requires = "voice", value_name = "DIR")]
    save_audio: Option<PathBuf>,
    /// Print the report as JSON (every tool call and answer included).
    #[arg(long)]
    json: bool,
    /// Scenarios played at once [default: 4; 1 with --live]
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=64))]
    parallel: Option<u16>,
    /// With --live: the Realtime model [default: the server's default model]
    #[arg(long, env = "OPENAI_REALTIME_MODEL")]
    model: Option<String>,
    /// With --live: the Realtime endpoint [default: wss://api.openai.com/v1/realtime]
    #[arg(long, env = "OPENAI_REALTIME_URL")]
    realtime_url: Option<String>,
    /// With --live: US dollars per million tokens, any of
    /// text_in=4,cached_in=0.4,audio_in=32,text_out=16,audio_out=64 [default: the model's
    /// list prices when this was written]
    #[arg(long)]
    prices: Option<String>,
}

#[allow(clippy::print_stdout)] // the report is the command's output
pub async fn run(args: RehearseArgs) -> anyhow::Result<ExitCode> {
    let mode = if args.voice {
        match voice_mode(&args) {
            Ok(mode) => mode,
            Err(message) => {
                eprintln!("error: {message} Nothing was run.");
                return Ok(ExitCode::from(2));
            }
        }
    } else if args.live {
        let model = args
            .model
            .clone()
            .filter(|m| !m.trim().is_empty())
            .unwrap_or_else(|| kitchen_server::config::OPENAI_REALTIME_MODEL.to_string());
        let api_key = std::env::var("OPENAI_API_KEY")
            .ok()
            .filter(|k| !k.trim().is_empty())
            .map(Secret::new);
        if api_key.is_none() && !args.against_fake {
            eprintln!(
                "error: `melt8 rehearse --live` needs OPENAI_API_KEY (in the environment or a .env \
                 file here) to play the scenarios to the model {model}. Nothing was run.\n\
                 To see the live report without a key, add --against-fake (the scripted fake \
                 plays the model); without --live the scenarios run against the fake as in CI."
            );
            return Ok(ExitCode::from(2));
        }
        let base = Prices::list_for(&model);
        let prices = match &args.prices {
            Some(p) => Prices::parse(p, base).map_err(|e| anyhow::anyhow!("--prices: {e}"))?,
            None => base,
        };
        Mode::Live(LiveConfig {
            url: args
                .realtime_url
                .clone()
                .filter(|u| !u.trim().is_empty())
                .unwrap_or_else(|| kitchen_server::config::OPENAI_REALTIME_URL.to_string()),
            model,
            api_key,
            against_fake: args.against_fake,
            prices,
        })
    } else {
        Mode::Scripted { check: None }
    };
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from("scenarios")]
    } else {
        args.paths.clone()
    };
    let scenarios = scenario::load_all(&paths)?;
    let parallel = args
        .parallel
        .map_or(if args.live { 1 } else { 4 }, usize::from);
    let report = rehearse::run(scenarios, mode, parallel).await;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", report.to_text());
    }
    let (_, failed, _) = report.counts();
    Ok(if failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// `--live --voice`: the engine, its endpoint and model, the key and the speech settings.
fn voice_mode(args: &RehearseArgs) -> Result<Mode, String> {
    use kitchen_server::config::{OPENAI_API_BASE, OPENAI_LIVE_URL};
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    let engine = match args.engine.as_deref() {
        Some(e) => kitchen_domain::VoiceEngine::parse(e)
            .map_err(|p| format!("--engine: {}.", p.message))?,
        None => kitchen_domain::VoiceEngine::LiveBridge,
    };
    let api_key = env("OPENAI_API_KEY").map(Secret::new).ok_or_else(|| {
        "`melt8 rehearse --live --voice` needs OPENAI_API_KEY (in the environment or a .env file \
         here) for the caller's text-to-speech and the model."
            .to_string()
    })?;
    let model = args
        .model
        .clone()
        .filter(|m| !m.trim().is_empty())
        .unwrap_or_else(|| {
            if engine.is_live() {
                env("OPENAI_LIVE_MODEL").unwrap_or_else(|| {
                    kitchen_domain::settings::defaults::OPENAI_LIVE_MODEL.to_string()
                })
            } else {
                kitchen_server::config::OPENAI_REALTIME_MODEL.to_string()
            }
        });
    Ok(Mode::Voice(rehearse::voice::VoiceConfig {
        engine,
        realtime_url: args
            .realtime_url
            .clone()
            .filter(|u| !u.trim().is_empty())
            .unwrap_or_else(|| kitchen_server::config::OPENAI_REALTIME_URL.to_string()),
        live_url: env("OPENAI_LIVE_URL").unwrap_or_else(|| OPENAI_LIVE_URL.to_string()),
        api_base: env("OPENAI_API_BASE").unwrap_or_else(|| OPENAI_API_BASE.to_string()),
        model,
        api_key,
        tts_model: args.tts_model.clone(),
        tts_voice: args.tts_voice.clone(),
        save_audio: args.save_audio.clone(),
    }))
}
