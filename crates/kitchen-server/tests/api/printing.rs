//! Printing through a real server and fake printers: printers in the settings, automatic
//! tickets for new orders, a printer offline during a rush, out of paper, reprints, test
//! pages, a system printer through a fake `lp`, and queued jobs surviving a restart.

use crate::helpers::*;
use kitchen_testkit::fixtures::family_order;
use kitchen_testkit::printer::{FakePrinter, Op, decode, text_lines};
use serde_json::{Value, json};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(10);

fn network(id: &str, address: &str, documents: &[&str], copies: u32, auto: bool) -> Value {
    json!({
        "id": id, "name": format!("{id} printer"), "kind": "network", "address": address,
        "width_mm": 80, "documents": documents, "copies": copies, "auto_print": auto
    })
}

async fn set_printers(app: &TestApp, printers: Value) {
    json_with(
        app.api
            .put_json("/api/settings", &json!({ "printers": printers }))
            .await
            .unwrap(),
        200,
    )
    .await;
}

fn pickup_order() -> Value {
    json!({
        "items": [{"item_id": "chicken-tikka", "size_id": "large", "quantity": 1}],
        "fulfilment": {"type": "pickup", "pickup_in_minutes": 15},
        "customer_name": "Sana"
    })
}

/// The text lines of a job.
fn lines(job: &[u8]) -> Vec<String> {
    text_lines(&decode(job).unwrap())
}

/// The order number each job shows (its first `#17`), in print order.
fn numbers(jobs: &[Vec<u8>]) -> Vec<u32> {
    jobs.iter()
        .map(|j| {
            lines(j)
                .iter()
                .find_map(|l| {
                    let (_, after) = l.split_once('#')?;
                    let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
                    digits.parse().ok()
                })
                .expect("every ticket shows its order number")
        })
        .collect()
}

/// Whether a job's text has `word` (any case) on some line.
fn says(job: &[u8], word: &str) -> bool {
    let word = word.to_lowercase();
    lines(job).iter().any(|l| l.to_lowercase().contains(&word))
}

async fn printer_status(app: &TestApp, id: &str) -> Value {
    let all = json_with(app.api.get("/api/printers").await.unwrap(), 200).await;
    all["printers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == id)
        .cloned()
        .unwrap()
}

async fn wait_for_status(app: &TestApp, id: &str, want: impl Fn(&Value) -> bool) -> Value {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let s = printer_status(app, id).await;
        if want(&s) {
            return s;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "printer {id} never got there: {s}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn printers_are_checked_with_a_code_for_every_bad_field() {
    let app = spawn_app().await;
    let body = json!({ "printers": [
        {"id": "kitchen", "name": "Kitchen", "kind": "network", "address": "10.0.0.5:port",
         "width_mm": 76, "documents": [], "copies": 9, "auto_print": true},
        {"id": "kitchen", "name": "Counter", "kind": "system", "address": "",
         "width_mm": 58, "documents": ["bill"], "copies": 1, "auto_print": false}
    ], "ticket_language": "fr", "shop_address": "x".repeat(201) });
    let res = app.api.put_json("/api/settings", &body).await.unwrap();
    let err = json_with(res, 422).await;
    let mut got: Vec<(String, String)> = err["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["field"].as_str().unwrap().to_string(),
                f["code"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    got.sort();
    let mut want: Vec<(String, String)> = [
        ("printers[0].address", "printer_address_format"),
        ("printers[0].width_mm", "paper_width"),
        ("printers[0].documents", "required"),
        ("printers[0].copies", "out_of_range"),
        ("printers[1].id", "duplicate_id"),
        ("printers[1].address", "required"),
        ("ticket_language", "ticket_language"),
        ("shop_address", "too_long"),
    ]
    .into_iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    want.sort();
    assert_eq!(got, want);

    // Good ones are stored tidied (port 9100 added) and come back from GET.
    let ok = json!({ "printers": [network("kitchen", "10.0.0.5", &["kot"], 2, true)],
                     "shop_address": "12 مین بلیوارڈ، گلبرگ", "ticket_language": "ur" });
    json_with(app.api.put_json("/api/settings", &ok).await.unwrap(), 200).await;
    let s = json_with(app.api.get("/api/settings").await.unwrap(), 200).await;
    assert_eq!(s["printers"][0]["address"], "10.0.0.5:9100");
    assert_eq!(s["printers"][0]["copies"], 2);
    assert_eq!(s["shop_address"], "12 مین بلیوارڈ، گلبرگ");
    assert_eq!(s["ticket_language"], "ur");
}

#[tokio::test]
async fn a_new_order_prints_each_auto_printers_documents_in_its_copies() {
    let app = spawn_app().await;
    let kitchen = FakePrinter::start().await.unwrap();
    let counter = FakePrinter::start().await.unwrap();
    let manual = FakePrinter::start().await.unwrap();
    set_printers(
        &app,
        json!([
            network("kitchen", &kitchen.address(), &["kot"], 2, true),
            network("counter", &counter.address(), &["bill"], 1, true),
            network("spare", &manual.address(), &["kot", "bill"], 1, false),
        ]),
    )
    .await;

    // A delivery: the KOT now (twice, in one job); its bill waits for the dispatch.
    let delivery = app.api.create_order(&family_order()).await.unwrap();
    let n = delivery["number"].as_u64().unwrap() as u32;
    let jobs = kitchen.wait_for_jobs(1, WAIT).await.unwrap();
    let text = lines(&jobs[0]);
    assert_eq!(
        text.iter().filter(|l| l.contains(&format!("#{n}"))).count(),
        2,
        "two copies: {text:?}"
    );
    assert!(text.iter().any(|l| l.contains("Chicken Tikka")), "{text:?}");
    assert!(!says(&jobs[0], "reprint"));
    assert_eq!(decode(&jobs[0]).unwrap()[0], Op::StatusQuery(4));

    // A pickup: the bill at once on the counter printer.
    let pickup = app.api.create_order(&pickup_order()).await.unwrap();
    let bills = counter.wait_for_jobs(1, WAIT).await.unwrap();
    assert_eq!(numbers(&bills), [pickup["number"].as_u64().unwrap() as u32]);
    assert!(says(&bills[0], "total"));
    kitchen.wait_for_jobs(2, WAIT).await.unwrap();

    // Nothing twice, nothing on the printer that does not print on its own.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(kitchen.jobs().len(), 2);
    assert_eq!(counter.jobs().len(), 1);
    assert!(manual.jobs().is_empty());
    let s = wait_for_status(&app, "kitchen", |s| s["jobs_waiting"] == 0).await;
    assert_eq!(s["state"], "ready");
    assert!(s["last_printed"].is_string());
}

#[tokio::test]
async fn a_printer_offline_through_a_rush_prints_every_ticket_once_in_order_when_back() {
    let app = spawn_app().await;
    let printer = FakePrinter::start().await.unwrap();
    set_printers(
        &app,
        json!([network("kitchen", &printer.address(), &["kot"], 1, true)]),
    )
    .await;
    let mut events = app.api.events().await.unwrap();
    events.expect("hello", WAIT).await.unwrap();
    printer.set_online(false).await.unwrap();

    let mut placed = Vec::new();
    for _ in 0..20 {
        let o = app.api.create_order(&family_order()).await.unwrap();
        placed.push(o["number"].as_u64().unwrap() as u32);
    }
    // The board hears the printer is offline, with the tickets waiting.
    let offline = loop {
        let ev = events.expect("printer.changed", WAIT).await.unwrap();
        if ev["printer"]["state"] == "offline" {
            break ev;
        }
    };
    assert_eq!(offline["printer"]["message_code"], "printer_offline");
    let s = wait_for_status(&app, "kitchen", |s| s["jobs_waiting"] == 20).await;
    assert_eq!(s["state"], "offline");
    assert!(printer.jobs().is_empty());
    // Every order was saved meanwhile.
    let orders = json_with(app.api.get("/api/orders").await.unwrap(), 200).await;
    assert_eq!(orders.as_array().unwrap().len(), 20);

    printer.set_online(true).await.unwrap();
    // A settings save retries at once (rather than waiting out the backoff).
    set_printers(
        &app,
        json!([network("kitchen", &printer.address(), &["kot"], 1, true)]),
    )
    .await;
    let jobs = printer.wait_for_jobs(20, WAIT).await.unwrap();
    assert_eq!(numbers(&jobs), placed, "in order, each once");
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(printer.jobs().len(), 20, "none twice");
    let s = wait_for_status(&app, "kitchen", |s| s["jobs_waiting"] == 0).await;
    assert_eq!(s["state"], "ready");
    assert!(s["message_code"].is_null());
}

#[tokio::test]
async fn out_of_paper_is_reported_and_the_ticket_prints_after_a_new_roll() {
    let app = spawn_app().await;
    let printer = FakePrinter::start().await.unwrap();
    printer.set_paper_out(true);
    set_printers(
        &app,
        json!([network("kitchen", &printer.address(), &["kot"], 1, true)]),
    )
    .await;
    let order = app.api.create_order(&family_order()).await.unwrap();
    let s = wait_for_status(&app, "kitchen", |s| s["state"] == "out_of_paper").await;
    assert_eq!(s["message_code"], "printer_out_of_paper");
    assert_eq!(s["jobs_waiting"], 1);
    assert!(printer.jobs().is_empty());

    printer.set_paper_out(false);
    let jobs = printer.wait_for_jobs(1, WAIT).await.unwrap();
    assert_eq!(numbers(&jobs), [order["number"].as_u64().unwrap() as u32]);
    wait_for_status(&app, "kitchen", |s| s["state"] == "ready").await;
}

#[tokio::test]
async fn printing_from_the_ticket_marks_a_reprint_and_names_bad_requests() {
    let app = spawn_app().await;
    let printer = FakePrinter::start().await.unwrap();
    set_printers(
        &app,
        json!([network(
            "counter",
            &printer.address(),
            &["kot", "bill"],
            2,
            false
        )]),
    )
    .await;
    let order = app.api.create_order(&family_order()).await.unwrap();
    let id = order["id"].as_i64().unwrap();
    let n = order["number"].as_u64().unwrap();

    let first = json_with(
        app.api
            .post_json(
                &format!("/api/orders/{id}/print"),
                &json!({"document": "bill"}),
            )
            .await
            .unwrap(),
        202,
    )
    .await;
    assert_eq!(first["jobs"][0]["printer_id"], "counter");
    assert_eq!(first["jobs"][0]["reprint"], false);
    assert_eq!(first["jobs"][0]["copies"], 2);
    let again = json_with(
        app.api
            .post_json(
                &format!("/api/orders/{id}/print"),
                &json!({"document": "bill", "printer_id": "counter"}),
            )
            .await
            .unwrap(),
        202,
    )
    .await;
    assert_eq!(again["jobs"][0]["reprint"], true);
    assert_eq!(again["jobs"][0]["copies"], 1);
    let jobs = printer.wait_for_jobs(2, WAIT).await.unwrap();
    assert!(!says(&jobs[0], "reprint"));
    assert!(says(&jobs[1], "reprint"), "{:?}", lines(&jobs[1]));
    assert_eq!(numbers(&jobs[1..]), [n as u32]);

    let bad = |body: Value, path: String| {
        let api = app.api.clone();
        async move { api.post_json(&path, &body).await.unwrap() }
    };
    let path = format!("/api/orders/{id}/print");
    error_with(
        bad(
            json!({"document": "kot", "printer_id": "nope"}),
            path.clone(),
        )
        .await,
        404,
        "printer_not_found",
    )
    .await;
    error_with(
        bad(json!({"document": "menu"}), path.clone()).await,
        422,
        "invalid_body",
    )
    .await;
    error_with(
        bad(
            json!({"document": "kot"}),
            "/api/orders/999999/print".into(),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    set_printers(
        &app,
        json!([network("counter", &printer.address(), &["kot"], 1, false)]),
    )
    .await;
    error_with(
        bad(json!({"document": "bill"}), path).await,
        409,
        "no_printer_for_document",
    )
    .await;
}

#[tokio::test]
async fn a_test_page_prints_and_an_unknown_printer_is_named() {
    let app = spawn_app().await;
    let printer = FakePrinter::start().await.unwrap();
    set_printers(
        &app,
        json!([network("kitchen", &printer.address(), &["kot"], 1, true)]),
    )
    .await;
    let res = json_with(
        app.api
            .post_json("/api/printers/kitchen/test", &json!({}))
            .await
            .unwrap(),
        202,
    )
    .await;
    assert_eq!(res["jobs"][0]["document"], "test");
    let jobs = printer.wait_for_jobs(1, WAIT).await.unwrap();
    assert!(says(&jobs[0], "test"), "{:?}", lines(&jobs[0]));
    assert!(says(&jobs[0], "kitchen printer"), "{:?}", lines(&jobs[0]));
    error_with(
        app.api
            .post_json("/api/printers/nope/test", &json!({}))
            .await
            .unwrap(),
        404,
        "printer_not_found",
    )
    .await;
}

#[cfg(unix)]
#[tokio::test]
async fn a_system_printer_gets_a_raw_job_through_the_spooler() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let record = dir.path().join("lp-record");
    let lp = dir.path().join("lp");
    std::fs::write(
        &lp,
        format!(
            "#!/bin/sh\necho \"$@\" > '{0}.args'\ncat > '{0}.job'\n",
            record.display()
        ),
    )
    .unwrap();
    let lpstat = dir.path().join("lpstat");
    std::fs::write(&lpstat, "#!/bin/sh\necho Counter_TM20\necho Kitchen_58\n").unwrap();
    for f in [&lp, &lpstat] {
        std::fs::set_permissions(f, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let app = spawn_with(tempfile::tempdir().unwrap(), |c| {
        c.spooler = kitchen_server::Spooler {
            lp: lp.display().to_string(),
            lpstat: lpstat.display().to_string(),
        };
    })
    .await;
    let all = json_with(app.api.get("/api/printers").await.unwrap(), 200).await;
    assert_eq!(
        all["system_printers"],
        json!(["Counter_TM20", "Kitchen_58"])
    );
    set_printers(
        &app,
        json!([{"id": "counter", "name": "Counter", "kind": "system", "address": "Counter_TM20",
                "width_mm": 58, "documents": ["kot"], "copies": 1, "auto_print": true}]),
    )
    .await;
    let order = app.api.create_order(&family_order()).await.unwrap();
    wait_for_status(&app, "counter", |s| s["last_printed"].is_string()).await;
    let args = std::fs::read_to_string(dir.path().join("lp-record.args")).unwrap();
    assert_eq!(args.trim(), "-d Counter_TM20 -o raw");
    let job = std::fs::read(dir.path().join("lp-record.job")).unwrap();
    assert_eq!(numbers(&[job]), [order["number"].as_u64().unwrap() as u32]);

    // A spooler that refuses: the job waits, the error is said as a code.
    std::fs::write(
        &lp,
        "#!/bin/sh\necho 'lp: printer is disabled' >&2\nexit 1\n",
    )
    .unwrap();
    app.api.create_order(&family_order()).await.unwrap();
    let s = wait_for_status(&app, "counter", |s| s["state"] == "error").await;
    assert_eq!(s["message_code"], "system_print_failed");
    assert!(
        s["message"]
            .as_str()
            .unwrap()
            .contains("printer is disabled")
    );
    assert_eq!(s["jobs_waiting"], 1);
}

#[tokio::test]
async fn queued_tickets_print_after_a_restart() {
    let app = spawn_app().await;
    let printer = FakePrinter::start().await.unwrap();
    printer.set_online(false).await.unwrap();
    set_printers(
        &app,
        json!([network("kitchen", &printer.address(), &["kot"], 1, true)]),
    )
    .await;
    let a = app.api.create_order(&family_order()).await.unwrap();
    let b = app.api.create_order(&family_order()).await.unwrap();
    wait_for_status(&app, "kitchen", |s| s["jobs_waiting"] == 2).await;
    let dir = app.stop().await;

    printer.set_online(true).await.unwrap();
    let app = spawn_app_in(dir).await;
    let jobs = printer.wait_for_jobs(2, WAIT).await.unwrap();
    assert_eq!(
        numbers(&jobs),
        [
            a["number"].as_u64().unwrap() as u32,
            b["number"].as_u64().unwrap() as u32
        ]
    );
    wait_for_status(&app, "kitchen", |s| s["jobs_waiting"] == 0).await;
}

#[tokio::test]
async fn a_delivery_s_bill_prints_at_dispatch_naming_its_rider() {
    let app = spawn_app().await;
    let counter = FakePrinter::start().await.unwrap();
    set_printers(
        &app,
        json!([network("counter", &counter.address(), &["bill"], 1, true)]),
    )
    .await;
    let res = app
        .api
        .put_json(
            "/api/settings",
            &json!({"riders": [
                {"id": "r-aslam", "name": "Aslam", "phone": "03001112223"},
                {"id": "r-bilal", "name": "Bilal", "phone": "03001112224"}
            ]}),
        )
        .await
        .unwrap();
    json_with(res, 200).await;

    let order = app.api.create_order(&family_order()).await.unwrap();
    let id = order["id"].as_i64().unwrap();
    let n = order["number"].as_u64().unwrap() as u32;
    for s in ["preparing", "ready"] {
        json_with(app.api.set_status(id, s, None).await.unwrap(), 200).await;
    }
    // No bill before it goes out: the rider is not known yet.
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert!(
        counter.jobs().is_empty(),
        "a delivery's bill waits for its rider"
    );

    json_with(dispatch(&app, id, "r-aslam").await, 200).await;
    let bills = counter.wait_for_jobs(1, WAIT).await.unwrap();
    assert_eq!(numbers(&bills), [n]);
    assert!(says(&bills[0], "Aslam"), "{:?}", lines(&bills[0]));
    assert!(!says(&bills[0], "reprint"));

    // The rider was the wrong one: undone, and sent with another. A new bill names the
    // rider it went with; the first is not printed again.
    json_with(
        app.api
            .post_json(&format!("/api/orders/{id}/undo"), &json!({}))
            .await
            .unwrap(),
        200,
    )
    .await;
    json_with(dispatch(&app, id, "r-bilal").await, 200).await;
    let bills = counter.wait_for_jobs(2, WAIT).await.unwrap();
    assert!(says(&bills[1], "Bilal"), "{:?}", lines(&bills[1]));
    assert!(!says(&bills[1], "Aslam"), "{:?}", lines(&bills[1]));

    // Delivered: nothing else prints on its own.
    json_with(
        app.api.set_status(id, "delivered", None).await.unwrap(),
        200,
    )
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(counter.jobs().len(), 2);
}
