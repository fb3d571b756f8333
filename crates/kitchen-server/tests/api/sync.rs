//! The optional PostgreSQL sync through the kitchen API: orders and status changes made
//! over HTTP reach a real (throwaway) PostgreSQL, `/health` and `GET /api/sync` show where
//! the sync stands, and a bad or unreachable `DATABASE_URL` never stops local ordering nor
//! shows its password.

use crate::helpers::*;
use kitchen_sync::{DatabaseUrl, SyncOptions};
use kitchen_testkit::fixtures::{family_order, small_order};
use kitchen_testkit::postgres::{PASSWORD as PG_PASSWORD, TempCluster};
use serde_json::Value;
use std::time::Duration;

fn fast() -> SyncOptions {
    SyncOptions {
        batch_rows: 100,
        poll_interval: Duration::from_millis(500),
        min_backoff: Duration::from_millis(50),
        max_backoff: Duration::from_millis(300),
        op_timeout: Duration::from_secs(20),
    }
}

async fn spawn_syncing(url: &str, shop_id: &str) -> TestApp {
    let url = url.to_string();
    let shop_id = shop_id.to_string();
    spawn_with(tempfile::tempdir().unwrap(), move |c| {
        c.sync.database_url = Some(DatabaseUrl::new(url));
        c.sync.shop_id = Some(shop_id);
        c.sync.options = fast();
        c.daily_backups = false;
    })
    .await
}

async fn sync_status(app: &TestApp) -> Value {
    json_with(app.api.get("/api/sync").await.unwrap(), 200).await
}

async fn wait_for_sync(app: &TestApp, what: &str, check: impl Fn(&Value) -> bool) -> Value {
    let waited = TempCluster::wait_until(Duration::from_secs(20), what, || async {
        check(&sync_status(app).await)
    })
    .await;
    let last = sync_status(app).await;
    if let Err(e) = waited {
        panic!("{e}: {last}");
    }
    last
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn orders_and_status_changes_made_through_the_api_appear_in_postgres() {
    let pg = tokio::task::spawn_blocking(TempCluster::start)
        .await
        .unwrap()
        .expect("a throwaway PostgreSQL (needs the postgresql package)");
    let url = pg.create_database("chain").await.unwrap();
    let app = spawn_syncing(&url, "model-town").await;
    let a = app.api.create_order(&family_order()).await.unwrap();
    let b = app
        .api
        .create_order(&small_order("03111234567"))
        .await
        .unwrap();
    let (a_id, b_id) = (a["id"].as_i64().unwrap(), b["id"].as_i64().unwrap());
    for s in ["preparing", "ready"] {
        json_with(app.api.set_status(a_id, s, None).await.unwrap(), 200).await;
    }
    json_with(
        app.api
            .set_status(b_id, "cancelled", Some("duplicate call"))
            .await
            .unwrap(),
        200,
    )
    .await;
    let st = wait_for_sync(&app, "everything sent", |s| {
        s["pending"] == 0 && s["state"] == "ok"
    })
    .await;
    assert_eq!(st["shop_id"], "model-town");

    let client = pg.connect("chain").await.unwrap();
    for (id, status) in [(a_id, "ready"), (b_id, "cancelled")] {
        let local = json_with(
            app.api.get(&format!("/api/orders/{id}")).await.unwrap(),
            200,
        )
        .await;
        let uuid: uuid::Uuid = local["uuid"].as_str().unwrap().parse().unwrap();
        let row = client
            .query_one(
                "SELECT status, number, total_paisa, address, cancel_reason FROM orders
                 WHERE shop_id = 'model-town' AND uuid = $1",
                &[&uuid],
            )
            .await
            .unwrap();
        assert_eq!(row.get::<_, String>(0), status);
        assert_eq!(
            i64::from(row.get::<_, i32>(1)),
            local["number"].as_i64().unwrap()
        );
        assert_eq!(row.get::<_, i64>(2), local["total"].as_i64().unwrap());
        assert_eq!(row.get::<_, String>(3), local["address"].as_str().unwrap());
        assert_eq!(
            row.get::<_, Option<String>>(4).as_deref(),
            local["cancel_reason"].as_str()
        );
        let items: Vec<(String, String, i32)> = client
            .query(
                "SELECT item_id, size_id, quantity FROM order_items
                 WHERE shop_id = 'model-town' AND order_uuid = $1 ORDER BY position",
                &[&uuid],
            )
            .await
            .unwrap()
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2)))
            .collect();
        let want: Vec<(String, String, i32)> = local["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                (
                    i["item_id"].as_str().unwrap().to_string(),
                    i["size_id"].as_str().unwrap().to_string(),
                    i["quantity"].as_i64().unwrap() as i32,
                )
            })
            .collect();
        assert_eq!(items, want);
        let history: Vec<(Option<String>, String, String)> = client
            .query(
                "SELECT from_status, to_status, actor FROM order_events
                 WHERE shop_id = 'model-town' AND order_uuid = $1 ORDER BY seq",
                &[&uuid],
            )
            .await
            .unwrap()
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2)))
            .collect();
        let want: Vec<(Option<String>, String, String)> = local["history"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| {
                (
                    h["from"].as_str().map(str::to_string),
                    h["to"].as_str().unwrap().to_string(),
                    h["by"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        assert_eq!(history, want);
    }

    // /health shows the same (signed in), without the password.
    let health = app.api.get("/health").await.unwrap().text().await.unwrap();
    assert!(!health.contains(PG_PASSWORD), "{health}");
    let health: Value = serde_json::from_str(&health).unwrap();
    assert_eq!(health["status"], "ok");
    assert_eq!(health["sync"]["state"], "ok");
    assert_eq!(health["sync"]["pending"], 0);
    assert!(
        health["sync"]["target"]
            .as_str()
            .unwrap()
            .starts_with("postgres://melt8@127.0.0.1:")
    );
    assert!(health["sync"]["last_success_at"].is_string());
    // The sync API needs a login.
    assert_eq!(
        app.anonymous().get("/api/sync").await.unwrap().status(),
        401
    );
}

#[tokio::test]
async fn an_unreachable_database_shows_a_sync_error_and_orders_still_work() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let app = spawn_syncing(
        &format!("postgres://melt8:{PG_PASSWORD}@127.0.0.1:{port}/chain"),
        "gulberg",
    )
    .await;
    let order = app.api.create_order(&family_order()).await.unwrap();
    assert_eq!(order["number"], 1, "local ordering works");
    let st = wait_for_sync(&app, "the sync error", |s| {
        s["state"] == "error" && s["consecutive_failures"].as_u64().unwrap() >= 2
    })
    .await;
    let error = st["last_error"].as_str().unwrap();
    assert!(
        error.contains("cannot connect to postgres://melt8@127.0.0.1:"),
        "{error}"
    );
    assert!(st["pending"].as_u64().unwrap() >= 1);
    assert!(st["next_retry_at"].is_string());
    let health = app.api.get("/health").await.unwrap();
    assert_eq!(
        health.status(),
        200,
        "a failing sync is not an unhealthy server"
    );
    let text = health.text().await.unwrap();
    assert!(!text.contains(PG_PASSWORD), "{text}");
    assert!(!sync_status(&app).await.to_string().contains(PG_PASSWORD));
}

#[tokio::test]
async fn a_malformed_database_url_is_reported_once_and_orders_still_work() {
    let app = spawn_syncing(
        &format!("postgres://melt8:{PG_PASSWORD}@db.example.com:notaport/chain"),
        "gulberg",
    )
    .await;
    let st = sync_status(&app).await;
    assert_eq!(st["state"], "error");
    assert_eq!(st["enabled"], true);
    let error = st["last_error"].as_str().unwrap();
    assert!(error.starts_with("DATABASE_URL"), "{error}");
    assert!(!st.to_string().contains(PG_PASSWORD), "{st}");
    assert_eq!(
        st["target"],
        "postgres://melt8:***@db.example.com:notaport/chain"
    );
    app.api.create_order(&family_order()).await.unwrap();
}

#[tokio::test]
async fn without_a_database_url_sync_is_off_and_the_outbox_is_emptied_at_start() {
    let app = spawn_app().await;
    let st = sync_status(&app).await;
    assert_eq!(st["state"], "off");
    assert_eq!(st["enabled"], false);
    assert!(st["shop_id"].as_str().unwrap().starts_with("shop-"));
    app.api.create_order(&family_order()).await.unwrap();
    assert_eq!(sync_status(&app).await["pending"], 1);
    let shop_id = st["shop_id"].clone();
    let dir = app.stop().await;
    let app = spawn_app_in(dir).await;
    let st = sync_status(&app).await;
    assert_eq!(st["pending"], 0, "nothing would send it: emptied");
    assert_eq!(st["shop_id"], shop_id, "the generated shop id is kept");
}
