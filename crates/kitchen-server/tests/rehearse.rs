//! The conversation test set in CI: every scenario in `scenarios/` played through a real
//! server (its own SQLite file in a temporary folder, real sockets) against the scripted
//! fake AI of kitchen-demo, which issues each scenario's tool calls; the tool answers, the
//! board, the call log and the call cards are checked. Scenarios run concurrently.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use kitchen_server::rehearse::{self, Mode, Verdict, scenario};
use std::path::PathBuf;

/// Every client event the relay sends the fake AI is checked against the Realtime schema.
const SCHEMA: Option<kitchen_demo::ClientEventCheck> =
    Some(kitchen_testkit::schema::check_client_event);

fn scenarios_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scenarios")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_scenario_in_the_conversation_test_set_passes() {
    let scenarios = scenario::load_all(&[scenarios_dir()]).expect("the scenario files read");
    assert!(
        scenarios.len() >= 40,
        "the test set has {} scenarios, the issue asks for 40 or more",
        scenarios.len()
    );
    let started = std::time::Instant::now();
    let report = rehearse::run(scenarios, Mode::Scripted { check: SCHEMA }, 8).await;
    let text = report.to_text();
    println!("{text}");
    let failed = report.failed();
    assert!(
        failed.is_empty(),
        "{} scenario(s) failed: {}\n\n{text}",
        failed.len(),
        failed.join(", ")
    );
    // A scenario may only be left out because this build lacks a tool or API it needs;
    // each says which.
    for s in report
        .scenarios
        .iter()
        .filter(|s| s.verdict == Verdict::NotRun)
    {
        assert!(
            s.reasons.iter().any(|r| r.contains("has no")),
            "{} did not run without saying why: {:?}",
            s.name,
            s.reasons
        );
    }
    let (passed, _, _) = report.counts();
    assert!(passed > 0, "no scenario ran:\n{text}");
    println!(
        "{} s for {} scenarios",
        started.elapsed().as_secs(),
        report.scenarios.len()
    );
}

/// A scenario file in a temporary folder.
fn write_scenario(dir: &tempfile::TempDir, file: &str, text: &str) -> PathBuf {
    let path = dir.path().join(file);
    std::fs::write(&path, text).unwrap();
    path
}

const STATUS_SCENARIO: &str = r#"
name: NAME
caller: "+923001234567"
shop:
  orders:
    - order:
        items: [{item_id: chicken-tikka, size_id: large, quantity: 1}]
        address: House 5, Street 2, Johar Town, Lahore
        customer_phone: "+923001234567"
      status: preparing
calls:
  - turns:
      - caller: "Mera order kahan hai?"
        ai:
          - tool: lookup_orders
            expect: {ok: true, orders: [{order_number: 1, status: STATUS}]}
          - say: "Tayyar ho raha hai."
          - tool: end_call
            args: {outcome: status}
expect:
  orders: [{number: 1, status: preparing}]
  calls: [{outcome: status}]
  never: [order_placed]
"#;

#[tokio::test]
async fn a_wrong_expectation_fails_naming_the_scenario_and_the_difference() {
    let dir = tempfile::tempdir().unwrap();
    let good = STATUS_SCENARIO
        .replace("NAME", "right")
        .replace("STATUS", "preparing");
    let bad = STATUS_SCENARIO
        .replace("NAME", "wrong")
        .replace("STATUS", "ready");
    write_scenario(&dir, "a.yaml", &good);
    write_scenario(&dir, "b.yml", &bad);
    let missing_tool = good
        .replace("name: right", "name: future-tool")
        .replace("tool: lookup_orders", "tool: teleport_pizza");
    write_scenario(&dir, "c.yaml", &missing_tool);
    let scenarios = scenario::load_all(&[dir.path().to_path_buf()]).unwrap();
    let report = rehearse::run(scenarios, Mode::Scripted { check: SCHEMA }, 3).await;
    assert_eq!(report.failed(), vec!["wrong"], "{}", report.to_text());
    let wrong = &report.scenarios[1];
    assert!(
        wrong
            .reasons
            .iter()
            .any(|r| r.contains("orders[0].status")
                && r.contains("\"preparing\", expected \"ready\"")),
        "{:?}",
        wrong.reasons
    );
    assert_eq!(
        report.scenarios[0].verdict,
        Verdict::Pass,
        "{}",
        report.to_text()
    );
    assert_eq!(report.scenarios[2].verdict, Verdict::NotRun);
    assert!(report.scenarios[2].reasons[0].contains("teleport_pizza"));
    assert_eq!(report.counts(), (1, 1, 1));
    assert!(report.to_text().contains("1 passed, 1 failed, 1 not run"));
}

#[tokio::test]
async fn a_scenario_file_with_a_mistake_is_refused_with_its_path() {
    let dir = tempfile::tempdir().unwrap();
    let typo = STATUS_SCENARIO
        .replace("NAME", "typo")
        .replace("STATUS", "preparing")
        .replace("never:", "nevr:");
    let path = write_scenario(&dir, "typo.yaml", &typo);
    let err = scenario::load_all(&[path]).unwrap_err().to_string();
    assert!(err.contains("typo.yaml") && err.contains("nevr"), "{err}");
}

#[tokio::test]
async fn live_mode_against_the_fake_scores_orders_turns_and_token_cost() {
    let dir = scenarios_dir();
    let picked: Vec<PathBuf> = [
        "01-status-order-preparing.yaml",
        "04-cancel-own-new-order.yaml",
    ]
    .iter()
    .map(|f| dir.join(f))
    .collect();
    let scenarios = scenario::load_all(&picked).unwrap();
    let cfg = rehearse::live::LiveConfig {
        url: String::new(),
        model: "gpt-realtime".into(),
        api_key: None,
        against_fake: true,
        prices: rehearse::live::Prices::list_for("gpt-realtime"),
    };
    let report = rehearse::run(scenarios, Mode::Live(cfg), 2).await;
    let text = report.to_text();
    assert_eq!(report.counts(), (2, 0, 0), "{text}");
    for s in &report.scenarios {
        assert_eq!(s.order_match, Some(true), "{text}");
        assert_eq!(s.turns, 2, "{text}");
        assert!(s.responses >= 4, "{text}");
        assert!(s.tokens.text_in > 0 && s.cost_usd.unwrap() > 0.0, "{text}");
    }
    assert_eq!(
        report.scenarios[1].tool_calls, 2,
        "cancel_order and end_call: {text}"
    );
    assert!(
        text.contains("order exact") && text.contains("orders exact: 2/2"),
        "{text}"
    );
}

#[test]
fn live_without_a_key_says_what_is_missing_and_exits_2() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_melt8"))
        .args(["rehearse", "--live"])
        .arg(scenarios_dir())
        .env_remove("OPENAI_API_KEY")
        .current_dir(std::env::temp_dir())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("OPENAI_API_KEY") && err.contains("Nothing was run"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
}

/// OpenAI's text-to-speech as the spoken rehearsal uses it: `POST /v1/audio/speech` with a
/// Bearer key answers 24 kHz 16-bit PCM (here a tone as long as the text, 60 ms a letter);
/// every request body is kept.
async fn fake_speech() -> (
    String,
    std::sync::Arc<std::sync::Mutex<Vec<serde_json::Value>>>,
) {
    use axum::http::{HeaderMap, StatusCode};
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let kept = seen.clone();
    let app = axum::Router::new().route(
        "/v1/audio/speech",
        axum::routing::post(
            move |headers: HeaderMap, axum::Json(body): axum::Json<serde_json::Value>| {
                let kept = kept.clone();
                async move {
                    if headers.get("authorization").and_then(|v| v.to_str().ok())
                        != Some("Bearer sk-rehearse")
                    {
                        return (StatusCode::UNAUTHORIZED, Vec::new());
                    }
                    let letters = body["input"].as_str().unwrap_or_default().chars().count();
                    kept.lock().unwrap().push(body);
                    let samples = letters * 60 * 24;
                    let pcm: Vec<u8> = (0..samples)
                        .flat_map(|i| {
                            let t = i as f64 / 24_000.0;
                            (((t * 440.0 * std::f64::consts::TAU).sin() * 6000.0) as i16)
                                .to_le_bytes()
                        })
                        .collect();
                    (StatusCode::OK, pcm)
                }
            },
        ),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}/v1", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (base, seen)
}

#[tokio::test]
async fn a_spoken_rehearsal_speaks_the_callers_turns_and_reports_what_was_said_pacing_and_audio() {
    use kitchen_demo::{Script, Step};
    let dir = tempfile::tempdir().unwrap();
    let scenario_text = STATUS_SCENARIO
        .replace("NAME", "spoken status")
        .replace("STATUS", "preparing");
    write_scenario(&dir, "spoken.yaml", &scenario_text);
    let scenarios = scenario::load_all(&[dir.path().join("spoken.yaml")]).unwrap();
    // The model: greets, hears the caller speak, answers, ends the call.
    let model = kitchen_demo::FakeRealtime::start_scripted(Script::new(vec![
        Step::say("Melt 8 mein khush aamdeed", 8000),
        // The caller's phone streams silence from the start: the caller speaks once the
        // greeting has played and the line was quiet for a moment.
        Step::Sleep(2600),
        Step::CallerSpeaks { speech_ms: 600 },
        Step::wait_for("response.create"),
        Step::say("Aap ka order tayyar ho raha hai", 16000),
        Step::call_and_forget("end_call", serde_json::json!({"outcome": "status"})),
    ]))
    .await
    .unwrap();
    let (api_base, speech_requests) = fake_speech().await;
    let audio_dir = dir.path().join("audio");
    let cfg = rehearse::voice::VoiceConfig {
        engine: kitchen_domain::VoiceEngine::RealtimeBridge,
        realtime_url: model.url(),
        live_url: String::new(),
        api_base,
        model: "gpt-realtime-2.1".into(),
        api_key: kitchen_server::Secret::new("sk-rehearse"),
        tts_model: "gpt-4o-mini-tts".into(),
        tts_voice: "alloy".into(),
        save_audio: Some(audio_dir.clone()),
    };
    let report = rehearse::run(scenarios, Mode::Voice(cfg), 1).await;
    let text = report.to_text();
    assert_eq!(report.counts(), (1, 0, 0), "{text}");
    let s = &report.scenarios[0];
    assert_eq!(s.turns, 1, "{text}");
    // The caller's turn went to the text-to-speech as written, in the chosen voice.
    let asked = speech_requests.lock().unwrap().clone();
    assert_eq!(asked.len(), 1, "{asked:?}");
    assert_eq!(asked[0]["input"], "Mera order kahan hai?");
    assert_eq!(
        (
            asked[0]["voice"].as_str(),
            asked[0]["response_format"].as_str()
        ),
        (Some("alloy"), Some("pcm"))
    );
    // The model heard it: the spoken turn reached it as phone audio (≈ 1.3 s of it).
    let session = &model.sessions()[0];
    assert!(
        session.appended_audio_bytes() > 8 * 1000,
        "{}",
        session.appended_audio_bytes()
    );
    // The report: what the AI said, its pacing, where the audio went.
    assert!(
        text.contains("said:  «Melt 8 mein khush aamdeed»"),
        "{text}"
    );
    assert!(
        text.contains("said:  «Aap ka order tayyar ho raha hai»"),
        "{text}"
    );
    assert!(text.contains("pacing: AI audio arrived at"), "{text}");
    let caller_wav = audio_dir.join("spoken_status-call1-caller.wav");
    let ai_wav = audio_dir.join("spoken_status-call1-ai.wav");
    assert!(text.contains(&caller_wav.display().to_string()), "{text}");
    let ai = std::fs::read(&ai_wav).unwrap();
    assert_eq!(&ai[..4], b"RIFF");
    // Both answers (3 s of µ-law) are in the AI's side of the recording.
    assert!(ai.len() >= 24_000, "{}", ai.len());
    let caller = std::fs::read(&caller_wav).unwrap();
    assert!(caller.len() > 10_000, "{}", caller.len());
}

#[tokio::test]
async fn a_spoken_rehearsal_of_the_live_bridge_measures_gpt_lives_bursts_and_hears_the_caller() {
    use kitchen_testkit::{LiveScript, LiveStep, OutputPace};
    let dir = tempfile::tempdir().unwrap();
    let scenario_text = STATUS_SCENARIO
        .replace("NAME", "spoken live")
        .replace("STATUS", "preparing");
    write_scenario(&dir, "live.yaml", &scenario_text);
    let scenarios = scenario::load_all(&[dir.path().join("live.yaml")]).unwrap();
    // GPT-Live sends its audio in bursts here: the rehearsal must say so.
    let script = LiveScript::new(vec![
        LiveStep::say("Melt 8 mein khush aamdeed", 8000),
        LiveStep::Sleep(2600),
        LiveStep::hear("Mera order kahan hai?", 800),
        LiveStep::call("lookup_orders", serde_json::json!({})),
        LiveStep::say("Aap ka order tayyar ho raha hai", 16000),
        LiveStep::call_and_forget("end_call", serde_json::json!({"outcome": "status"})),
    ])
    .with_pace(OutputPace::Burst);
    let model = kitchen_testkit::FakeLive::start(script).await.unwrap();
    let (api_base, speech_requests) = fake_speech().await;
    let cfg = rehearse::voice::VoiceConfig {
        engine: kitchen_domain::VoiceEngine::LiveBridge,
        realtime_url: String::new(),
        live_url: model.url(),
        api_base,
        model: "gpt-live-1.1".into(),
        api_key: kitchen_server::Secret::new("sk-rehearse"),
        tts_model: "gpt-4o-mini-tts".into(),
        tts_voice: "alloy".into(),
        save_audio: None,
    };
    let report = rehearse::run(scenarios, Mode::Voice(cfg), 1).await;
    let text = report.to_text();
    assert_eq!(report.counts(), (1, 0, 0), "{text}");
    assert_eq!(speech_requests.lock().unwrap().len(), 1);
    let session = &model.sessions()[0];
    assert!(
        session.appended_audio_bytes() > 8 * 1000,
        "{}",
        session.appended_audio_bytes()
    );
    assert!(model.violations().is_empty(), "{:?}", model.violations());
    assert!(text.contains("heard: «Mera order kahan hai?»"), "{text}");
    assert!(
        text.contains("said:  «Aap ka order tayyar ho raha hai»"),
        "{text}"
    );
    assert!(
        text.contains("bursts: keep LIVE_OUTPUT_PACING=realtime"),
        "{text}"
    );
    assert!(text.contains("model gpt-live-1.1 on live-bridge"), "{text}");
}
