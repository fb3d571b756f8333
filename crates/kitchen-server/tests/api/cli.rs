//! The `melt8` binary as an owner runs it.

use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_melt8");

struct Running {
    child: Child,
    lines: mpsc::Receiver<String>,
    base: String,
    started: Instant,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Running {
    /// Reads stdout lines until one matches, within 10 s.
    fn line_with(&self, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let line = self
                .lines
                .recv_timeout(left)
                .unwrap_or_else(|_| panic!("no line with {needle:?}"));
            if line.contains(needle) {
                return line;
            }
        }
    }

    fn interrupt(mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        assert!(
            Command::new("kill")
                .args(["-INT", &pid])
                .status()
                .unwrap()
                .success()
        );
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "melt8 did not stop on Ctrl-C");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

fn melt8(dir: &Path, cwd: &Path, envs: &[(&str, &str)]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.current_dir(cwd)
        .env_remove("CHEF_PASSWORD")
        .env_remove("CHEF_USERNAME")
        .env_remove("KITCHEN_PORT")
        .env_remove("MELT8_DATA_DIR")
        .env("RUST_LOG", "warn")
        .env("PUBLIC_PORT", "0")
        .args(["serve", "--port", "0", "--data-dir"])
        .arg(dir);
    for (k, v) in envs {
        cmd.env(k, v);
    }
    cmd
}

fn start(mut cmd: Command) -> Running {
    let started = Instant::now();
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut running = Running {
        child,
        lines: rx,
        base: String::new(),
        started,
    };
    let line = running.line_with("Melt 8 Kitchen is running at ");
    running.base = line.rsplit(' ').next().unwrap().to_string();
    running
}

async fn get(url: &str) -> Option<reqwest::Response> {
    reqwest::Client::new()
        .get(url)
        .timeout(Duration::from_secs(2))
        .send()
        .await
        .ok()
}

#[tokio::test]
async fn melt8_serve_answers_health_within_one_second_of_start() {
    let data = tempfile::tempdir().unwrap();
    let run = start(melt8(
        data.path(),
        data.path(),
        &[("CHEF_PASSWORD", "pw-for-cli-test")],
    ));
    let url = format!("{}/health", run.base);
    let ok = loop {
        if let Some(res) = get(&url).await
            && res.status() == 200
        {
            break run.started.elapsed();
        }
        assert!(
            run.started.elapsed() < Duration::from_secs(10),
            "never became healthy"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    };
    assert!(ok < Duration::from_secs(1), "healthy after {ok:?}");
    let body: Value = get(&url).await.unwrap().json().await.unwrap();
    assert_eq!(body["status"], "ok");
}

#[tokio::test]
async fn melt8_serve_prints_the_dashboard_address_and_serves_the_dashboard_there() {
    let data = tempfile::tempdir().unwrap();
    let run = start(melt8(
        data.path(),
        data.path(),
        &[("CHEF_PASSWORD", "pw-for-cli-test")],
    ));
    let line = run.line_with("dashboard:");
    let url = line.split_whitespace().nth(1).unwrap();
    assert_eq!(url, format!("{}/chef-dashboard", run.base));
    let res = get(url).await.expect("the dashboard answers");
    assert_eq!(res.status(), 200);
    assert!(res.headers().contains_key("content-security-policy"));
    assert!(res.text().await.unwrap().contains("<div id=\"app\">"));
}

#[tokio::test]
async fn without_a_password_one_is_generated_printed_once_and_only_its_hash_stored() {
    let data = tempfile::tempdir().unwrap();
    let run = start(melt8(data.path(), data.path(), &[]));
    let line = run.line_with("password:");
    let password = line.split_whitespace().nth(2).unwrap().to_string();
    assert!(password.len() >= 20, "a strong password: {password}");
    let client = kitchen_testkit::KitchenClient::new(&run.base).with_basic("chef", &password);
    assert_eq!(client.get("/api/orders").await.unwrap().status(), 200);
    assert_eq!(run.interrupt().code(), Some(0));

    let db = std::fs::read(data.path().join("melt8.db")).unwrap();
    let text = String::from_utf8_lossy(&db);
    assert!(
        !text.contains(&password),
        "the password itself is never stored"
    );
    let conn = kitchen_store::rusqlite::Connection::open(data.path().join("melt8.db")).unwrap();
    let hash: String = conn
        .query_row(
            "SELECT value FROM settings WHERE key = 'chef_password_hash'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(hash.starts_with("$argon2id$"), "{hash}");

    // Second start: the stored password is used and nothing is printed.
    let run = start(melt8(data.path(), data.path(), &[]));
    let client = kitchen_testkit::KitchenClient::new(&run.base).with_basic("chef", &password);
    assert_eq!(client.get("/api/orders").await.unwrap().status(), 200);
    let status = run.interrupt();
    assert!(status.success());
}

#[tokio::test]
async fn ctrl_c_stops_the_server_gracefully() {
    let data = tempfile::tempdir().unwrap();
    let run = start(melt8(data.path(), data.path(), &[("CHEF_PASSWORD", "pw")]));
    assert!(get(&format!("{}/health", run.base)).await.is_some());
    let status = run.interrupt();
    assert_eq!(status.code(), Some(0), "clean exit on Ctrl-C");
}

#[tokio::test]
async fn settings_are_read_from_a_dot_env_file() {
    let data = tempfile::tempdir().unwrap();
    let cwd = tempfile::tempdir().unwrap();
    std::fs::write(
        cwd.path().join(".env"),
        "CHEF_USERNAME=ustad\nCHEF_PASSWORD=from-dot-env\n",
    )
    .unwrap();
    let run = start(melt8(data.path(), cwd.path(), &[]));
    let client = kitchen_testkit::KitchenClient::new(&run.base).with_basic("ustad", "from-dot-env");
    assert_eq!(
        client
            .get("/api/session")
            .await
            .unwrap()
            .json::<Value>()
            .await
            .unwrap()["username"],
        "ustad"
    );
}

#[test]
fn a_newer_database_makes_serve_exit_with_a_clear_message() {
    let data = tempfile::tempdir().unwrap();
    let conn = kitchen_store::rusqlite::Connection::open(data.path().join("melt8.db")).unwrap();
    conn.pragma_update(None, "user_version", 42).unwrap();
    drop(conn);
    let out = melt8(data.path(), data.path(), &[("CHEF_PASSWORD", "pw")])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("newer version of Melt 8 Kitchen"), "{err}");
}

#[test]
fn a_broken_dot_env_file_is_reported_not_ignored() {
    let data = tempfile::tempdir().unwrap();
    std::fs::write(data.path().join(".env"), "CHEF_PASSWORD='unterminated\n").unwrap();
    let out = melt8(data.path(), data.path(), &[]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains(".env"));
}

#[test]
fn help_documents_every_flag_and_variable() {
    let top = Command::new(BIN).arg("--help").output().unwrap();
    let top = String::from_utf8_lossy(&top.stdout).to_string();
    for word in [
        "serve",
        "reset-password",
        "CHEF_USERNAME",
        "CHEF_PASSWORD",
        "MELT8_DATA_DIR",
        "RUST_LOG",
    ] {
        assert!(top.contains(word), "melt8 --help mentions {word}:\n{top}");
    }
    let serve = Command::new(BIN)
        .args(["serve", "--help"])
        .output()
        .unwrap();
    let serve = String::from_utf8_lossy(&serve.stdout).to_string();
    for word in [
        "--data-dir",
        "--port",
        "--bind",
        "--chef-username",
        "--utc-offset",
        "--day-starts-at",
        "--busy-timeout-ms",
        "KITCHEN_PORT",
        "KITCHEN_BIND",
        "SHOP_UTC_OFFSET",
        "BUSINESS_DAY_STARTS_AT",
        "SQLITE_BUSY_TIMEOUT_MS",
        "CHEF_PASSWORD",
    ] {
        assert!(
            serve.contains(word),
            "melt8 serve --help mentions {word}:\n{serve}"
        );
    }
}

#[test]
fn reset_password_prints_a_new_one_that_works() {
    let data = tempfile::tempdir().unwrap();
    let out = Command::new(BIN)
        .args(["reset-password", "--data-dir"])
        .arg(data.path())
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    let password = text
        .lines()
        .find(|l| l.contains("password:"))
        .unwrap()
        .split_whitespace()
        .nth(2)
        .unwrap()
        .to_string();
    let conn = kitchen_store::rusqlite::Connection::open(data.path().join("melt8.db")).unwrap();
    let hash: String = conn
        .query_row(
            "SELECT value FROM settings WHERE key = 'chef_password_hash'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(kitchen_server::auth::verify_password(
        &kitchen_server::Secret::new(password),
        &hash
    ));
}

#[test]
fn reset_password_is_refused_while_a_server_uses_the_data_folder() {
    let data = tempfile::tempdir().unwrap();
    // What a running `melt8 serve` (or the desktop app) holds on its data folder.
    let server = kitchen_store::backup::DataDirLock::shared(data.path()).unwrap();
    let out = Command::new(BIN)
        .args(["reset-password", "--data-dir"])
        .arg(data.path())
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(text.contains("Stop the server"), "{text}");
    assert!(
        !String::from_utf8_lossy(&out.stdout).contains("password:"),
        "no new password is printed"
    );
    // Stopped: the reset goes through.
    drop(server);
    let out = Command::new(BIN)
        .args(["reset-password", "--data-dir"])
        .arg(data.path())
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Runs `melt8 serve --demo` (with `VOICE_ENGINE=engine` when given), places
/// `melt8 simulate-call` against it, and returns the one order it put on the board and
/// the call's log entry.
async fn demo_call(engine: Option<&str>) -> (Value, Value) {
    let data = tempfile::tempdir().unwrap();
    let public_port = free_port().to_string();
    let mut cmd = melt8(data.path(), data.path(), &[("CHEF_PASSWORD", "pw-demo")]);
    cmd.env_remove("OPENAI_API_KEY")
        .env_remove("TWILIO_AUTH_TOKEN")
        .env_remove("PUBLIC_BASE_URL")
        .env_remove("VOICE_ENGINE");
    if let Some(engine) = engine {
        cmd.env("VOICE_ENGINE", engine);
    }
    cmd.args(["--demo", "--public-port", &public_port]);
    let run = start(cmd);
    let out = tokio::task::spawn_blocking(move || {
        Command::new(BIN)
            .args([
                "simulate-call",
                "--public-url",
                &format!("http://127.0.0.1:{public_port}"),
                "--from",
                "0300-7654321",
            ])
            .env_remove("TWILIO_AUTH_TOKEN")
            .env_remove("PUBLIC_BASE_URL")
            .env("RUST_LOG", "warn")
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "simulate-call failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("The call has ended"), "{stdout}");
    let client = kitchen_testkit::KitchenClient::new(&run.base).with_basic("chef", "pw-demo");
    let orders: Value = client
        .get("/api/orders")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let orders = orders.as_array().unwrap();
    assert_eq!(orders.len(), 1, "{orders:?}");
    let order = orders[0].clone();
    assert_eq!(order["customer_phone"], "+923007654321");
    assert_eq!(order["source"], "phone");
    assert_eq!(order["flavour"], "Chicken Tikka");
    let sid = order["call_sid"].as_str().unwrap().to_owned();
    // The call log line is written as the call ends, just after the caller's side closes.
    let deadline = Instant::now() + Duration::from_secs(10);
    let log = loop {
        let res = client.get(&format!("/api/calls/{sid}")).await.unwrap();
        if res.status() == 200 {
            let log: Value = res.json().await.unwrap();
            if log["outcome"] != "in_progress" {
                break log;
            }
        }
        assert!(Instant::now() < deadline, "the call never ended in the log");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    (order, log)
}

/// What the call log heard the caller say.
fn caller_lines(log: &Value) -> Vec<String> {
    log["transcript"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["speaker"] == "caller")
        .filter_map(|l| l["text"].as_str().map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn simulate_call_against_a_running_demo_server_puts_an_order_on_the_board() {
    let (order, log) = demo_call(None).await;
    assert_eq!(log["outcome"], "ordered", "{log}");
    assert_eq!(log["order_id"], order["id"]);
    // The Realtime fake served it: the live fake's caller transcript is not in the log.
    assert!(
        !caller_lines(&log).iter().any(|l| l.contains("چکن تکہ")),
        "{log}"
    );
}

#[tokio::test]
async fn simulate_call_against_a_live_bridge_demo_server_puts_an_order_on_the_board() {
    let (order, log) = demo_call(Some("live-bridge")).await;
    assert_eq!(log["outcome"], "ordered", "{log}");
    assert_eq!(log["order_id"], order["id"]);
    assert_eq!(order["items"][0]["quantity"], 2);
    assert_eq!(order["items"][1]["item_id"], "coca-cola");
    // The fake GPT-Live served it: its scripted caller transcript is in the log.
    let heard = caller_lines(&log);
    assert!(
        heard.iter().any(|l| l.contains("دو لارج چکن تکہ")),
        "{heard:?}"
    );
}

#[tokio::test]
async fn simulate_call_sip_rings_a_sip_demo_server_and_the_order_lands_on_the_board() {
    for engine in ["sip-realtime", "sip-live"] {
        let data = tempfile::tempdir().unwrap();
        let public_port = free_port().to_string();
        let mut cmd = melt8(
            data.path(),
            data.path(),
            &[("CHEF_PASSWORD", "pw-demo"), ("VOICE_ENGINE", engine)],
        );
        cmd.env_remove("OPENAI_API_KEY")
            .env_remove("OPENAI_WEBHOOK_SECRET")
            .env_remove("OPENAI_API_BASE")
            .env_remove("OPENAI_LIVE_URL")
            .env_remove("PUBLIC_BASE_URL");
        cmd.args(["--demo", "--public-port", &public_port]);
        let run = start(cmd);
        let line = run.line_with("simulate-call --sip");
        let openai_url = line.rsplit(' ').next().unwrap().to_string();
        let out = tokio::task::spawn_blocking(move || {
            Command::new(BIN)
                .args([
                    "simulate-call",
                    "--sip",
                    "--public-url",
                    &format!("http://127.0.0.1:{public_port}"),
                    "--openai-url",
                    &openai_url,
                    "--from",
                    "0300-7654321",
                ])
                .env_remove("OPENAI_WEBHOOK_SECRET")
                .env("RUST_LOG", "warn")
                .output()
                .unwrap()
        })
        .await
        .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{engine}: simulate-call --sip failed:\n{stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let api = if engine == "sip-live" {
            "live/sessions live_"
        } else {
            "realtime/calls rtc_"
        };
        assert!(
            stdout.contains(api) && stdout.contains("accepted"),
            "{engine}: {stdout}"
        );
        assert!(stdout.contains("hung up by the AI"), "{engine}: {stdout}");
        assert_eq!(
            stdout.matches(": accepted").count(),
            1,
            "{engine}: one engine accepts: {stdout}"
        );
        let client = kitchen_testkit::KitchenClient::new(&run.base).with_basic("chef", "pw-demo");
        let orders: Value = client
            .get("/api/orders")
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let orders = orders.as_array().unwrap();
        assert_eq!(orders.len(), 1, "{engine}: {orders:?}");
        assert_eq!(orders[0]["customer_phone"], "+923007654321");
        assert_eq!(orders[0]["source"], "phone");
    }
}
