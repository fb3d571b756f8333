//! Data safety with the real `melt8` binary: `kill -9` during a burst of orders loses no
//! acknowledged order; backup, restore and CSV export round-trip; a bad `DATABASE_URL`
//! gives one clear log line.

use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_melt8");
const PASSWORD: &str = "pw-data-safety";

/// A `melt8 serve` child, killed (SIGKILL) when dropped.
struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Starts `melt8 serve` on a free port over `data`; stderr goes to `log` when given.
    fn start(data: &Path, envs: &[(&str, &str)], log: Option<&Path>) -> Server {
        let mut cmd = melt8(data);
        cmd.args(["serve", "--port", "0"])
            .env("CHEF_PASSWORD", PASSWORD)
            .env("PUBLIC_PORT", "0")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped());
        for (k, v) in envs {
            cmd.env(k, v);
        }
        cmd.stderr(match log {
            Some(p) => Stdio::from(std::fs::File::create(p).unwrap()),
            None => Stdio::null(),
        });
        let mut child = cmd.spawn().unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in stdout.lines().map_while(Result::ok) {
                if let Some(url) = line.strip_prefix("Melt 8 Kitchen is running at ") {
                    let _ = tx.send(url.trim().to_string());
                }
            }
        });
        let base = rx
            .recv_timeout(Duration::from_secs(15))
            .expect("melt8 serve printed its address");
        Server { child, base }
    }

    fn api(&self) -> kitchen_testkit::KitchenClient {
        kitchen_testkit::KitchenClient::new(&self.base).with_basic("chef", PASSWORD)
    }

    fn kill_9(&mut self) {
        let status = Command::new("kill")
            .args(["-9", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        self.child.wait().unwrap();
    }

    fn interrupt(mut self) {
        Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        while self.child.try_wait().unwrap().is_none() {
            assert!(Instant::now() < deadline, "melt8 did not stop on Ctrl-C");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

fn melt8(data: &Path) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.current_dir(data)
        .env_remove("DATABASE_URL")
        .env_remove("SHOP_ID")
        .env_remove("MELT8_DATA_DIR")
        .env_remove("KITCHEN_PORT")
        .env("SHOP_UTC_OFFSET", "+05:00")
        .env("MELT8_DATA_DIR", data);
    cmd
}

/// Runs a short `melt8` command and returns (success, stdout, stderr).
async fn run(data: &Path, args: &[&str]) -> (bool, String, String) {
    let mut cmd = melt8(data);
    cmd.args(args).env("RUST_LOG", "warn");
    let out = tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn order_body(i: usize) -> Value {
    serde_json::json!({
        "items": [{"item_id": "chicken-tikka", "size_id": "large", "quantity": 1 + i % 3}],
        "address": format!("House {i}, Street 9, Johar Town, Lahore"),
        "customer_phone": format!("0300{:07}", 2_000_000 + i),
    })
}

async fn post(api: &kitchen_testkit::KitchenClient, i: usize) -> Option<(u16, Value)> {
    let res = api
        .request(reqwest::Method::POST, "/api/orders")
        .header("idempotency-key", format!("burst-{i}"))
        .json(&order_body(i))
        .timeout(Duration::from_secs(20))
        .send()
        .await
        .ok()?;
    let status = res.status().as_u16();
    let body = res.json().await.ok()?;
    Some((status, body))
}

async fn all_orders(api: &kitchen_testkit::KitchenClient) -> Vec<Value> {
    let res = api.get("/api/orders?limit=5000").await.unwrap();
    assert_eq!(res.status(), 200);
    let list: Value = res.json().await.unwrap();
    list.as_array().unwrap().clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_during_a_burst_of_500_orders_loses_no_acknowledged_order_and_repeats_none() {
    use futures_util::StreamExt;
    let data = tempfile::tempdir().unwrap();
    let mut server = Server::start(data.path(), &[], None);
    let api = server.api();
    // Signed in before the burst, as a script would be: otherwise the burst's first twelve
    // requests all wait on the password check, five of them count as attempts, and on a
    // loaded machine the rest of the burst is turned away (429) before the first check ends.
    all_orders(&api).await;
    let acked = Arc::new(AtomicUsize::new(0));
    let burst = {
        let (api, acked) = (api.clone(), acked.clone());
        tokio::spawn(async move {
            futures_util::stream::iter(0..500)
                .map(|i| {
                    let (api, acked) = (api.clone(), acked.clone());
                    async move {
                        let r = post(&api, i).await;
                        if matches!(r, Some((201, _))) {
                            acked.fetch_add(1, Ordering::SeqCst);
                        }
                        (i, r)
                    }
                })
                .buffer_unordered(12)
                .collect::<Vec<_>>()
                .await
        })
    };
    // Kill it in the middle of the burst, with requests in flight.
    let started = Instant::now();
    while acked.load(Ordering::SeqCst) < 150 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the burst is stuck"
        );
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    server.kill_9();
    let results = burst.await.unwrap();
    let confirmed: HashMap<usize, String> = results
        .iter()
        .filter_map(|(i, r)| match r {
            Some((201, body)) => Some((*i, body["uuid"].as_str().unwrap().to_string())),
            _ => None,
        })
        .collect();
    let lost_in_flight = results.len() - confirmed.len();
    assert!(
        confirmed.len() >= 150 && lost_in_flight > 0,
        "{} confirmed",
        confirmed.len()
    );
    eprintln!(
        "kill -9 after {} acknowledged orders; {lost_in_flight} requests failed",
        confirmed.len()
    );

    let server = Server::start(data.path(), &[], None);
    let api = server.api();
    let orders = all_orders(&api).await;
    let uuids: HashSet<&str> = orders.iter().map(|o| o["uuid"].as_str().unwrap()).collect();
    assert_eq!(uuids.len(), orders.len(), "no order twice");
    for (i, uuid) in &confirmed {
        assert!(
            uuids.contains(uuid.as_str()),
            "acknowledged order {i} ({uuid}) is lost"
        );
    }
    // Retrying every request with its key completes the burst: each order exactly once.
    for i in 0..500 {
        let (status, body) = post(&api, i).await.unwrap();
        assert_eq!(status, 201, "{body}");
        if let Some(uuid) = confirmed.get(&i) {
            assert_eq!(
                body["uuid"].as_str().unwrap(),
                uuid,
                "a retry finds order {i}"
            );
        }
    }
    let orders = all_orders(&api).await;
    assert_eq!(orders.len(), 500);
    let numbers: HashSet<i64> = orders
        .iter()
        .map(|o| o["number"].as_i64().unwrap())
        .collect();
    assert_eq!(numbers.len(), 500, "daily numbers stay distinct");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backup_restore_and_csv_export_round_trip() {
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(data.path(), &[], None);
    let api = server.api();
    let mut kept = Vec::new();
    for i in 0..3 {
        kept.push(api.create_order(&order_body(i)).await.unwrap());
    }
    let first_id = kept[0]["id"].as_i64().unwrap();
    assert_eq!(
        api.set_status(first_id, "preparing", None)
            .await
            .unwrap()
            .status(),
        200
    );
    let kept: Vec<Value> = {
        let mut v = Vec::new();
        for o in &kept {
            let res = api.get(&format!("/api/orders/{}", o["id"])).await.unwrap();
            v.push(res.json::<Value>().await.unwrap());
        }
        v
    };

    // A backup while the server runs.
    let (ok, out, err) = run(data.path(), &["backup"]).await;
    assert!(ok, "{err}");
    let backup = out.trim().to_string();
    assert!(Path::new(&backup).is_file(), "{out}");
    assert!(backup.starts_with(&data.path().join("backups").display().to_string()));
    let later = api.create_order(&order_body(9)).await.unwrap();

    // Restoring while it runs is refused, clearly.
    let (ok, _, err) = run(data.path(), &["restore", &backup]).await;
    assert!(!ok);
    assert!(
        err.contains("is running") && err.contains("Stop the server"),
        "{err}"
    );

    server.interrupt();
    let (ok, out, err) = run(data.path(), &["restore", &backup]).await;
    assert!(ok, "{err}");
    assert!(out.contains("3 orders"), "{out}");

    // The CSV of that business day holds exactly the backed-up orders.
    let date = kept[0]["business_date"].as_str().unwrap();
    let (ok, csv_text, err) = run(data.path(), &["export", "--csv", "--date", date]).await;
    assert!(ok, "{err}");
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3, "{csv_text}");
    for (row, order) in rows.iter().zip(&kept) {
        assert_eq!(&row[col("uuid")], order["uuid"].as_str().unwrap());
        assert_eq!(&row[col("status")], order["status"].as_str().unwrap());
        assert_eq!(&row[col("address")], order["address"].as_str().unwrap());
        assert_eq!(&row[col("total_paisa")], order["total"].to_string());
    }
    assert!(!csv_text.contains(later["uuid"].as_str().unwrap()));

    // The server starts on the restored database.
    let server = Server::start(data.path(), &[], None);
    let orders = all_orders(&server.api()).await;
    let mut uuids: Vec<&str> = orders.iter().map(|o| o["uuid"].as_str().unwrap()).collect();
    uuids.sort();
    let mut want: Vec<&str> = kept.iter().map(|o| o["uuid"].as_str().unwrap()).collect();
    want.sort();
    assert_eq!(uuids, want);
    assert_eq!(
        orders.iter().find(|o| o["id"] == first_id).unwrap()["status"],
        "preparing"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_database_url_gives_one_clear_log_line_and_never_its_password() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let data = tempfile::tempdir().unwrap();
    let log = data.path().join("stderr.log");
    let secret = "sync-Secret-pw-93";
    let url = format!("postgres://melt8:{secret}@127.0.0.1:{port}/chain");
    let server = Server::start(
        data.path(),
        &[("DATABASE_URL", url.as_str()), ("RUST_LOG", "info")],
        Some(&log),
    );
    let api = server.api();
    api.create_order(&order_body(1)).await.unwrap();
    kitchen_testkit::postgres::TempCluster::wait_until(
        Duration::from_secs(15),
        "three failed attempts",
        || async {
            let h: Value = api.get("/health").await.unwrap().json().await.unwrap();
            h["sync"]["consecutive_failures"].as_u64().unwrap_or(0) >= 3
        },
    )
    .await
    .unwrap();
    let health = api.get("/health").await.unwrap().text().await.unwrap();
    assert!(!health.contains(secret), "{health}");
    server.interrupt();
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(!text.contains(secret), "the password is logged:\n{text}");
    let failures: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("PostgreSQL sync failed"))
        .collect();
    assert_eq!(failures.len(), 1, "one line, not one a retry:\n{text}");
    assert!(
        failures[0].contains("cannot connect to postgres://melt8@127.0.0.1:"),
        "{}",
        failures[0]
    );
}
