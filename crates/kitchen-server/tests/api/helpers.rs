//! `spawn_app()`: a real server on 127.0.0.1:0 over a fresh data folder.

use kitchen_server::{Application, Config, Secret};
use kitchen_testkit::KitchenClient;
use std::path::Path;
use std::time::Duration;
use tempfile::TempDir;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub const USER: &str = "chef";
pub const PASSWORD: &str = "tandoor-test-password";

pub struct TestApp {
    pub base: String,
    /// The public (Twilio) router, as reached locally.
    pub public: String,
    pub dir: TempDir,
    /// Logged in with HTTP Basic.
    pub api: KitchenClient,
    /// The server's shared state (what the desktop shell holds in-process).
    pub state: kitchen_server::AppState,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<anyhow::Result<()>>>,
}

impl TestApp {
    /// A client with no credentials.
    pub fn anonymous(&self) -> KitchenClient {
        KitchenClient::new(&self.base)
    }

    /// Stops the server gracefully and hands back its data folder.
    pub async fn stop(mut self) -> TempDir {
        self.shutdown().await;
        let dir = tempfile::tempdir().unwrap();
        std::mem::replace(&mut self.dir, dir)
    }

    pub async fn shutdown(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            tokio::time::timeout(Duration::from_secs(10), task)
                .await
                .expect("server stops")
                .unwrap()
                .unwrap();
        }
    }

    pub fn db_path(&self) -> std::path::PathBuf {
        self.dir.path().join("melt8.db")
    }
}

pub fn test_config(dir: &Path) -> Config {
    let mut c = Config::new(dir);
    c.port = 0;
    c.chef_password = Some(Secret::new(PASSWORD));
    // Long enough that a restart on a loaded 2-core CI machine does not meet the previous
    // server's last writes as "busy"; the 503 test still sees its lock time out.
    c.busy_timeout = Duration::from_secs(2);
    c.phone.public_port = 0;
    c
}

pub async fn spawn_app() -> TestApp {
    spawn_app_in(tempfile::tempdir().unwrap()).await
}

pub async fn spawn_app_in(dir: TempDir) -> TestApp {
    spawn_with(dir, |_| {}).await
}

pub async fn spawn_with(dir: TempDir, tweak: impl FnOnce(&mut Config)) -> TestApp {
    spawn_prepared(dir, tweak, |_| {}).await
}

/// [`spawn_with`], with a last touch to the built application (e.g. its tunnel connector).
pub async fn spawn_prepared(
    dir: TempDir,
    tweak: impl FnOnce(&mut Config),
    prepare: impl FnOnce(&mut Application),
) -> TestApp {
    let mut config = test_config(dir.path());
    tweak(&mut config);
    let mut app = Application::build(config).await.expect("server builds");
    prepare(&mut app);
    serve(app, dir)
}

/// The JSON body of a response, asserting its status.
pub async fn json_with(res: reqwest::Response, status: u16) -> serde_json::Value {
    let got = res.status().as_u16();
    let text = res.text().await.unwrap();
    assert_eq!(got, status, "body: {text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// Asserts the one error shape and returns the message.
pub async fn error_with(res: reqwest::Response, status: u16, code: &str) -> String {
    let body = json_with(res, status).await;
    assert_eq!(body["error"]["code"], code, "{body}");
    let msg = body["error"]["message"]
        .as_str()
        .expect("message")
        .to_string();
    assert!(!msg.is_empty());
    msg
}

/// A phone number for a test's settings.
pub fn e164(s: &str) -> kitchen_domain::settings::E164 {
    kitchen_domain::settings::E164::parse(s, "a test number").unwrap()
}

/// A Twilio account for a test's settings.
pub fn sid(s: &str) -> kitchen_domain::settings::AccountSid {
    kitchen_domain::settings::AccountSid::parse(s).unwrap()
}

/// A reserved ngrok domain for a test's settings.
pub fn domain(s: &str) -> kitchen_domain::settings::NgrokDomain {
    kitchen_domain::settings::NgrokDomain::parse(s).unwrap()
}

/// A clock a test moves by hand: the system time plus an offset that only grows.
#[derive(Debug, Default)]
pub struct ManualClock {
    ahead_s: std::sync::atomic::AtomicI64,
}

impl ManualClock {
    /// Moves the clock `by` into the future.
    pub fn advance(&self, by: chrono::Duration) {
        self.ahead_s
            .fetch_add(by.num_seconds(), std::sync::atomic::Ordering::SeqCst);
    }
}

impl kitchen_core::Clock for ManualClock {
    fn now(&self) -> chrono::DateTime<chrono::Utc> {
        chrono::Utc::now()
            + chrono::Duration::seconds(self.ahead_s.load(std::sync::atomic::Ordering::SeqCst))
    }
}

/// Runs a built application until the [`TestApp`] is stopped or dropped.
fn serve(app: Application, dir: TempDir) -> TestApp {
    let base = format!("http://127.0.0.1:{}", app.port());
    let public = format!("http://{}", app.public_addr().unwrap());
    let state = app.state().clone();
    let (tx, rx) = oneshot::channel::<()>();
    let task = tokio::spawn(app.run_until_stopped(async move {
        let _ = rx.await;
    }));
    TestApp {
        api: KitchenClient::new(&base).with_basic(USER, PASSWORD),
        state,
        base,
        public,
        dir,
        stop: Some(tx),
        task: Some(task),
    }
}

/// A server whose clock the test moves ([`ManualClock`]).
pub async fn spawn_with_clock(clock: std::sync::Arc<ManualClock>) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let config = test_config(dir.path());
    let app = Application::build_with_clock(config, clock)
        .await
        .expect("server builds");
    serve(app, dir)
}

/// `PUT /api/orders/{id}/status` sending the order out with rider `rider` (the answer as is).
pub async fn dispatch(app: &TestApp, id: i64, rider: &str) -> reqwest::Response {
    app.api
        .put_json(
            &format!("/api/orders/{id}/status"),
            &serde_json::json!({"status": "out_for_delivery", "rider_id": rider}),
        )
        .await
        .unwrap()
}
