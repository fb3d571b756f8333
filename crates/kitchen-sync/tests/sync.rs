//! The sync worker against a real throwaway PostgreSQL cluster (`TempCluster`): orders and
//! status changes arrive with their items and history, exactly once, through a stopped
//! server, a killed backend and two shops sharing one database.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{NaiveDateTime, Utc};
use kitchen_domain::{
    DealChoice, DeliveryZone, FulfilmentRequest, LineRequest, Menu, Money, NewOrder, OptionChoice,
    Order, OrderRequest, OrderSource, OrderStatus, PaymentMethod, PaymentRequest, PriceContext,
    ShopSettings, TaxRates, TaxSettings,
};
use kitchen_store::{OrderMeta, Store, StoreOptions};
use kitchen_sync::{DatabaseUrl, SyncConfig, SyncHandle, SyncOptions};
use kitchen_testkit::postgres::TempCluster;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

/// Prices `req` against the default menu on a Thursday evening (every deal but the
/// midnight one can be ordered).
fn priced(req: &OrderRequest, settings: &ShopSettings) -> NewOrder {
    let now = NaiveDateTime::parse_from_str("2026-12-03 20:00", "%Y-%m-%d %H:%M").unwrap();
    NewOrder::price(
        req,
        PriceContext {
            menu: &Menu::default_menu(),
            settings,
            now,
        },
    )
    .unwrap()
}

fn order_request(i: usize) -> NewOrder {
    let mut items = vec![LineRequest::item(
        "chicken-tikka",
        "large",
        1 + (i % 3) as i64,
    )];
    if i.is_multiple_of(2) {
        items.push(LineRequest::item("coca-cola", "1.5l", 1));
    }
    let mut req =
        OrderRequest::delivery(items, format!("House {i}, Street 4, Gulberg III, Lahore"));
    req.landmark = Some("near the mosque".into());
    req.customer_name = Some(format!("Customer {i}"));
    req.customer_phone = Some(format!("0300{:07}", 1_000_000 + i));
    priced(&req, &ShopSettings::default())
}

/// A tax-registered shop (prices before tax; 5 % by card) with a Gulberg zone.
fn taxed_settings() -> ShopSettings {
    ShopSettings {
        delivery_zones: vec![DeliveryZone {
            id: "gulberg".into(),
            name: "Gulberg".into(),
            name_ur: Some("گلبرگ".into()),
            fee: Money::from_rupees(150),
            min_order: Money::from_rupees(1_000),
            free_above: None,
            eta_minutes: 40,
            areas: vec!["Gulberg III".into()],
        }],
        tax: TaxSettings {
            registered: true,
            prices_include_tax: false,
            rates_bp: TaxRates {
                cash: 1600,
                card: 500,
                wallet: 500,
            },
            on_delivery_fee: false,
        },
        ..ShopSettings::default()
    }
}

/// Deal 3 (Malai Boti on stuffed crust, Coca-Cola), two half Chicken Tikka half Chicken
/// Fajita with extra cheese and a note; picked up in 25 minutes, by card with Rs 10,000.
/// Deal 2,349 + 150 + 350 = 2,849; halves (2,199 + 250) × 2 = 4,898; food 7,747; card tax
/// 5 % = 387.35 → 387; total 8,134; change 1,866.
fn rich_request() -> OrderRequest {
    let choice = |slot: &str, item: &str, options: Vec<OptionChoice>| DealChoice {
        slot: slot.into(),
        item_id: item.into(),
        size_id: None,
        options,
        half: None,
    };
    OrderRequest {
        items: vec![
            LineRequest::deal(
                "deal-3",
                1,
                vec![
                    choice(
                        "pizza",
                        "malai-boti",
                        vec![OptionChoice {
                            group: "crust".into(),
                            option: "stuffed".into(),
                        }],
                    ),
                    choice("drink", "coca-cola", vec![]),
                ],
            ),
            LineRequest::item("chicken-tikka", "large", 2)
                .with_half("chicken-fajita")
                .with_option("extras", "cheese")
                .with_note("less spicy"),
        ],
        fulfilment: Some(FulfilmentRequest::Pickup {
            pickup_in_minutes: Some(25),
        }),
        payment: Some(PaymentRequest {
            method: PaymentMethod::Card,
            pays_with: Some(1_000_000),
        }),
        customer_name: Some("Ayesha".into()),
        customer_phone: Some("03217654321".into()),
        note: Some("pack the dip separately".into()),
        ..OrderRequest::default()
    }
}

struct Shop {
    store: Store,
    sync: SyncHandle,
    url: String,
    shop_id: String,
    stop: CancellationToken,
    task: Option<tokio::task::JoinHandle<()>>,
    _dir: tempfile::TempDir,
}

impl Shop {
    async fn open(url: &str, shop_id: &str) -> Shop {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("melt8.db"), &StoreOptions::default()).unwrap();
        let (sync, stop, task) = start_worker(&store, url, shop_id).await;
        Shop {
            store,
            sync,
            url: url.to_string(),
            shop_id: shop_id.to_string(),
            stop,
            task: Some(task),
            _dir: dir,
        }
    }

    /// Starts the sync worker again, as a server restart does.
    async fn restart_worker(&mut self) {
        let (sync, stop, task) = start_worker(&self.store, &self.url, &self.shop_id).await;
        self.sync = sync;
        self.stop = stop;
        self.task = Some(task);
    }

    async fn place(&self, i: usize) -> Order {
        self.place_order(order_request(i)).await
    }

    async fn place_order(&self, order: NewOrder) -> Order {
        let at = Utc::now();
        let meta = OrderMeta {
            uuid: Uuid::new_v4(),
            at,
            business_date: at.date_naive(),
            source: OrderSource::Staff,
            call_sid: None,
            actor: "chef".into(),
            idempotency_key: None,
        };
        let order = self.store.create_order(order, meta).await.unwrap();
        self.sync.nudge();
        order.order().clone()
    }

    async fn advance(&self, id: i64, to: OrderStatus, reason: Option<&str>) {
        self.store
            .change_status(
                id,
                to,
                reason.map(str::to_string),
                "chef".into(),
                Utc::now(),
            )
            .await
            .unwrap();
        self.sync.nudge();
    }

    /// Moves order `i` along a path that depends on `i`, so statuses differ.
    async fn play(&self, i: usize, id: i64) {
        use OrderStatus::*;
        match i % 4 {
            0 => {}
            1 => self.advance(id, Preparing, None).await,
            2 => {
                for s in [Preparing, Ready] {
                    self.advance(id, s, None).await;
                }
                // Out with a rider (kept as at dispatch), then delivered.
                self.store
                    .change_status_with_rider(
                        id,
                        OutForDelivery,
                        None,
                        Some(kitchen_store::Dispatch {
                            rider_id: format!("r-{i}"),
                            name: format!("اسلم {i}"),
                            phone: "+923001112223".into(),
                        }),
                        "chef".into(),
                        Utc::now(),
                    )
                    .await
                    .unwrap();
                self.advance(id, Delivered, None).await;
            }
            _ => {
                self.advance(id, Cancelled, Some("customer called back"))
                    .await
            }
        }
    }

    async fn wait_synced(&self, deadline: Duration) -> Duration {
        let started = Instant::now();
        let waited = TempCluster::wait_until(deadline, "the outbox to drain", || async {
            let st = self.sync.status().await;
            st.pending == 0 && st.state == "ok"
        })
        .await;
        if let Err(e) = waited {
            panic!("{e}: {:?}", self.sync.status().await);
        }
        started.elapsed()
    }

    async fn all_orders(&self) -> Vec<Order> {
        all_orders(&self.store).await
    }

    async fn close(&mut self) {
        self.stop.cancel();
        if let Some(task) = self.task.take() {
            task.await.unwrap();
        }
    }
}

async fn start_worker(
    store: &Store,
    url: &str,
    shop_id: &str,
) -> (SyncHandle, CancellationToken, tokio::task::JoinHandle<()>) {
    let config = SyncConfig {
        database_url: Some(DatabaseUrl::new(url)),
        shop_id: Some(shop_id.into()),
        options: SyncOptions {
            batch_rows: 200,
            poll_interval: Duration::from_millis(500),
            min_backoff: Duration::from_millis(50),
            max_backoff: Duration::from_millis(400),
            op_timeout: Duration::from_secs(20),
        },
    };
    let (sync, worker) = kitchen_sync::setup(store, &config, Arc::new(Utc::now))
        .await
        .unwrap();
    let stop = CancellationToken::new();
    let worker = worker.expect("a worker for a valid URL");
    let task = tokio::spawn(worker.run(stop.clone()));
    (sync, stop, task)
}

async fn all_orders(store: &Store) -> Vec<Order> {
    let ids: Vec<i64> = store
        .call(|c| {
            let mut s = c.prepare("SELECT id FROM orders ORDER BY id")?;
            let ids = s.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
            Ok(ids)
        })
        .await
        .unwrap();
    let mut out = Vec::new();
    for id in ids {
        out.push(store.order(id).await.unwrap());
    }
    out
}

/// position, item_id, kind, size_id, quantity, line total, has detail.
type PgItem = (i32, String, String, String, i32, i64, bool);
/// seq, from, to, reason, actor.
type PgEvent = (i32, Option<String>, String, Option<String>, String);

/// What PostgreSQL holds for one shop: uuid → (status, number, items, history).
#[derive(Debug, PartialEq)]
struct PgOrder {
    status: String,
    number: i32,
    total_paisa: i64,
    cancel_reason: Option<String>,
    fulfilment_type: String,
    payment_method: String,
    /// `bill->>'total'`.
    bill_total: Option<i64>,
    /// Rider id, name and phone, and whether the dispatch time is the shop's.
    rider: Option<(String, String, String)>,
    dispatched_at: Option<chrono::DateTime<Utc>>,
    items: Vec<PgItem>,
    history: Vec<PgEvent>,
}

async fn pg_orders(client: &tokio_postgres::Client, shop: &str) -> HashMap<Uuid, PgOrder> {
    let mut out = HashMap::new();
    for r in client
        .query(
            "SELECT uuid, status, number, total_paisa, cancel_reason, fulfilment_type,
                    payment_method, (bill->>'total')::bigint, rider_id, rider_name,
                    rider_phone, dispatched_at
             FROM orders WHERE shop_id = $1",
            &[&shop],
        )
        .await
        .unwrap()
    {
        let previous = out.insert(
            r.get::<_, Uuid>(0),
            PgOrder {
                status: r.get(1),
                number: r.get(2),
                total_paisa: r.get(3),
                cancel_reason: r.get(4),
                fulfilment_type: r.get(5),
                payment_method: r.get(6),
                bill_total: r.get(7),
                rider: r
                    .get::<_, Option<String>>(8)
                    .map(|id| (id, r.get(9), r.get(10))),
                dispatched_at: r.get(11),
                items: Vec::new(),
                history: Vec::new(),
            },
        );
        assert!(previous.is_none(), "an order twice in PostgreSQL");
    }
    for r in client
        .query(
            "SELECT order_uuid, position, item_id, kind, size_id, quantity, line_total_paisa,
                    detail IS NOT NULL
             FROM order_items WHERE shop_id = $1 ORDER BY order_uuid, position",
            &[&shop],
        )
        .await
        .unwrap()
    {
        let o = out
            .get_mut(&r.get::<_, Uuid>(0))
            .expect("items of a synced order");
        o.items.push((
            r.get(1),
            r.get(2),
            r.get(3),
            r.get(4),
            r.get(5),
            r.get(6),
            r.get(7),
        ));
    }
    for r in client
        .query(
            "SELECT order_uuid, seq, from_status, to_status, reason, actor
             FROM order_events WHERE shop_id = $1 ORDER BY order_uuid, seq",
            &[&shop],
        )
        .await
        .unwrap()
    {
        let o = out
            .get_mut(&r.get::<_, Uuid>(0))
            .expect("history of a synced order");
        o.history
            .push((r.get(1), r.get(2), r.get(3), r.get(4), r.get(5)));
    }
    out
}

fn expected(o: &Order) -> PgOrder {
    PgOrder {
        status: o.status.as_str().into(),
        number: o.number as i32,
        total_paisa: o.total.paisa(),
        cancel_reason: o.cancel_reason.clone(),
        fulfilment_type: o.fulfilment.kind().into(),
        payment_method: o.payment.method.as_str().into(),
        bill_total: Some(o.bill.total.paisa()),
        rider: o
            .rider
            .as_ref()
            .map(|r| (r.id.clone(), r.name.clone(), r.phone.clone())),
        dispatched_at: o.rider.as_ref().map(|r| r.dispatched_at),
        items: o
            .lines
            .iter()
            .enumerate()
            .map(|(i, l)| {
                (
                    i as i32,
                    l.item_id.clone(),
                    l.kind.as_str().to_string(),
                    l.size_id.clone(),
                    l.quantity.get() as i32,
                    l.line_total.paisa(),
                    !l.options.is_empty()
                        || l.half.is_some()
                        || l.note.is_some()
                        || l.deal.is_some()
                        || l.size_label_ur.is_some(),
                )
            })
            .collect(),
        history: o
            .history
            .iter()
            .enumerate()
            .map(|(i, h)| {
                (
                    i as i32,
                    h.from.map(|s| s.as_str().to_string()),
                    h.to.as_str().to_string(),
                    h.reason.clone(),
                    h.by.clone(),
                )
            })
            .collect(),
    }
}

/// PostgreSQL holds exactly the shop's orders, each once, with the same items and history.
async fn assert_mirrors(client: &tokio_postgres::Client, shop: &Shop, shop_id: &str) -> usize {
    assert_store_mirrored(client, &shop.store, shop_id).await
}

async fn assert_store_mirrored(
    client: &tokio_postgres::Client,
    store: &Store,
    shop_id: &str,
) -> usize {
    let local = all_orders(store).await;
    let remote = pg_orders(client, shop_id).await;
    assert_eq!(remote.len(), local.len(), "every order exactly once");
    for o in &local {
        let got = remote
            .get(&o.uuid)
            .unwrap_or_else(|| panic!("order {} missing", o.uuid));
        assert_eq!(got, &expected(o), "order #{} ({})", o.number, o.uuid);
    }
    local.len()
}

async fn cluster() -> TempCluster {
    tokio::task::spawn_blocking(TempCluster::start)
        .await
        .unwrap()
        .expect("a throwaway PostgreSQL cluster (needs the postgresql package)")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn orders_and_status_changes_reach_postgres_with_items_and_history() {
    let pg = cluster().await;
    let url = pg.create_database("chain").await.unwrap();
    let mut shop = Shop::open(&url, "gulberg").await;
    for i in 0..8 {
        let o = shop.place(i).await;
        shop.play(i, o.id).await;
    }
    shop.wait_synced(Duration::from_secs(20)).await;
    let client = pg.connect("chain").await.unwrap();
    assert_eq!(assert_mirrors(&client, &shop, "gulberg").await, 8);

    // The seed's columns are filled as the shop's own table has them.
    let first = shop.all_orders().await.remove(0);
    let seed = first.seed_columns();
    let row = client
        .query_one(
            "SELECT flavour, size, drink, customer_phone, order_time IS NOT NULL FROM orders
             WHERE shop_id = 'gulberg' AND number = 1",
            &[],
        )
        .await
        .unwrap();
    assert_eq!(row.get::<_, String>(0), seed.flavour);
    assert_eq!(row.get::<_, String>(1), seed.size);
    assert_eq!(row.get::<_, Option<String>>(2), seed.drink);
    assert!(seed.drink.is_some(), "order 0 has a drink");
    assert_eq!(
        row.get::<_, Option<String>>(3).as_deref(),
        Some("+923001000000")
    );
    assert!(row.get::<_, bool>(4));

    // A later change arrives too.
    shop.advance(first.id, OrderStatus::Preparing, None).await;
    shop.wait_synced(Duration::from_secs(10)).await;
    assert_mirrors(&client, &shop, "gulberg").await;

    let st = shop.sync.status().await;
    assert_eq!(st.state, "ok");
    assert!(st.last_success_at.is_some() && st.last_error.is_none());
    assert!(
        st.target
            .as_deref()
            .unwrap()
            .starts_with("postgres://melt8@127.0.0.1:")
    );
    shop.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sending_everything_again_changes_nothing() {
    let pg = cluster().await;
    let url = pg.create_database("chain").await.unwrap();
    let mut shop = Shop::open(&url, "gulberg").await;
    for i in 0..6 {
        let o = shop.place(i).await;
        shop.play(i, o.id).await;
    }
    shop.wait_synced(Duration::from_secs(20)).await;
    shop.close().await;
    // The same database under another name is a new target: every order is queued and
    // sent again, as after a crash between PostgreSQL's commit and the outbox's delete.
    let config = SyncConfig {
        database_url: Some(DatabaseUrl::new(url.replace("127.0.0.1", "localhost"))),
        shop_id: Some("gulberg".into()),
        options: SyncOptions::default(),
    };
    let (handle, worker) = kitchen_sync::setup(&shop.store, &config, Arc::new(Utc::now))
        .await
        .unwrap();
    assert_eq!(
        handle.status().await.pending,
        6,
        "every order queued once more"
    );
    let d = worker.unwrap().drain_once().await.unwrap();
    assert_eq!((d.rows, d.orders, d.more), (6, 6, false));
    let client = pg.connect("chain").await.unwrap();
    assert_eq!(assert_mirrors(&client, &shop, "gulberg").await, 6);
    let events: i64 = client
        .query_one("SELECT count(*) FROM order_events", &[])
        .await
        .unwrap()
        .get(0);
    let local: usize = shop
        .all_orders()
        .await
        .iter()
        .map(|o| o.history.len())
        .sum();
    assert_eq!(events as usize, local);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_stopped_during_a_burst_of_200_orders_gets_each_exactly_once_with_its_final_status()
 {
    let pg = cluster().await;
    let url = pg.create_database("chain").await.unwrap();
    let shop = Arc::new(Shop::open(&url, "dha").await);
    shop.place(1000).await;
    shop.wait_synced(Duration::from_secs(20)).await;

    let burst = {
        let shop = shop.clone();
        tokio::spawn(async move {
            for i in 0..200 {
                let o = shop.place(i).await;
                shop.play(i, o.id).await;
            }
        })
    };
    // Stop PostgreSQL while the burst runs.
    TempCluster::wait_until(Duration::from_secs(20), "the burst to start", || async {
        shop.all_orders().await.len() > 20
    })
    .await
    .unwrap();
    pg.stop().await.unwrap();
    burst.await.unwrap();
    TempCluster::wait_until(Duration::from_secs(10), "the sync to notice", || async {
        let st = shop.sync.status().await;
        st.state == "error" && st.pending > 0 && st.consecutive_failures >= 2
    })
    .await
    .unwrap();
    let st = shop.sync.status().await;
    let error = st.last_error.clone().unwrap();
    assert!(
        !error.contains(kitchen_testkit::postgres::PASSWORD),
        "{error}"
    );
    assert!(st.next_retry_at.is_some());

    pg.restart().await.unwrap();
    let drained = shop.wait_synced(Duration::from_secs(30)).await;
    eprintln!(
        "200-order burst ({} outbox rows) drained {drained:?} after PostgreSQL came back",
        st.pending
    );
    let client = pg.connect("chain").await.unwrap();
    assert_eq!(assert_mirrors(&client, &shop, "dha").await, 201);
    let Ok(mut shop) = Arc::try_unwrap(shop) else {
        panic!("the burst task still holds the shop")
    };
    shop.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backend_killed_mid_transaction_leaves_no_duplicates_and_nothing_missing() {
    let pg = cluster().await;
    let url = pg.create_database("chain").await.unwrap();
    let mut shop = Shop::open(&url, "clifton").await;
    shop.place(0).await;
    shop.wait_synced(Duration::from_secs(20)).await;

    // 39 more orders wait in the outbox while the worker is stopped, so they go in one
    // transaction …
    shop.close().await;
    for i in 1..40 {
        let o = shop.place(i).await;
        shop.play(i, o.id).await;
    }
    // … whose history inserts are slow, so it is caught after it wrote orders and items
    // and before it commits.
    let admin = pg.connect("chain").await.unwrap();
    admin
        .batch_execute(
            "CREATE FUNCTION slow() RETURNS trigger LANGUAGE plpgsql AS
               $$ BEGIN PERFORM pg_sleep(0.05); RETURN NEW; END $$;
             CREATE TRIGGER slow BEFORE INSERT ON order_events FOR EACH ROW EXECUTE FUNCTION slow();",
        )
        .await
        .unwrap();
    shop.restart_worker().await;
    TempCluster::wait_until(
        Duration::from_secs(20),
        "the sync to be inside a transaction",
        || async {
            admin
                .query_one(
                    "SELECT count(*) FROM pg_stat_activity
                 WHERE application_name = 'melt8-sync' AND state = 'active'
                   AND xact_start IS NOT NULL AND query LIKE '%order_events%'",
                    &[],
                )
                .await
                .unwrap()
                .get::<_, i64>(0)
                == 1
        },
    )
    .await
    .unwrap();
    assert_eq!(pg.terminate_sessions("melt8-sync").await.unwrap(), 1);
    admin
        .batch_execute("DROP TRIGGER slow ON order_events")
        .await
        .unwrap();
    // Nothing of the killed transaction is left …
    let synced: i64 = admin
        .query_one("SELECT count(*) FROM orders WHERE shop_id = 'clifton'", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(synced, 1, "the killed transaction was rolled back");
    // … and the retry sends everything, once.
    shop.wait_synced(Duration::from_secs(20)).await;
    assert_eq!(assert_mirrors(&admin, &shop, "clifton").await, 40);
    shop.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_shops_sync_into_one_database_and_keep_their_orders_apart() {
    let pg = cluster().await;
    let url = pg.create_database("chain").await.unwrap();
    // Both start at once: the target is migrated once.
    let (mut a, mut b) = tokio::join!(Shop::open(&url, "shop-a"), Shop::open(&url, "shop-b"));
    for i in 0..5 {
        let (oa, ob) = tokio::join!(a.place(i), b.place(i + 100));
        assert_eq!(oa.number, ob.number, "each shop has its own daily numbers");
        a.play(i, oa.id).await;
        b.play(i + 1, ob.id).await;
    }
    a.wait_synced(Duration::from_secs(20)).await;
    b.wait_synced(Duration::from_secs(20)).await;
    let client = pg.connect("chain").await.unwrap();
    assert_eq!(assert_mirrors(&client, &a, "shop-a").await, 5);
    assert_eq!(assert_mirrors(&client, &b, "shop-b").await, 5);
    let rows = client
        .query(
            "SELECT shop_id, count(*), array_agg(number ORDER BY number) FROM orders
             GROUP BY shop_id ORDER BY shop_id",
            &[],
        )
        .await
        .unwrap();
    let per_shop: Vec<(String, i64, Vec<i32>)> = rows
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect();
    assert_eq!(
        per_shop,
        vec![
            ("shop-a".to_string(), 5, vec![1, 2, 3, 4, 5]),
            ("shop-b".to_string(), 5, vec![1, 2, 3, 4, 5]),
        ]
    );
    let shops: i64 = client
        .query_one("SELECT count(*) FROM shops", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(shops, 2);
    let migrations: i64 = client
        .query_one("SELECT count(*) FROM melt8_schema", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(
        migrations,
        kitchen_sync::schema::PG_MIGRATIONS.len() as i64,
        "migrated once"
    );
    a.close().await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_existing_seed_orders_table_is_kept_and_extended() {
    let pg = cluster().await;
    let url = pg.create_database("legacy").await.unwrap();
    let client = pg.connect("legacy").await.unwrap();
    // The original system's table with one of its orders.
    client
        .batch_execute(
            "CREATE TABLE orders (
                id SERIAL PRIMARY KEY, flavour VARCHAR(100) NOT NULL, size VARCHAR(20) NOT NULL,
                drink VARCHAR(50), address TEXT NOT NULL, customer_name VARCHAR(100),
                customer_phone VARCHAR(20), order_time TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
                status VARCHAR(20) DEFAULT 'new');
             INSERT INTO orders (flavour, size, address) VALUES ('Fajita', 'Medium', 'Old order');",
        )
        .await
        .unwrap();
    let mut shop = Shop::open(&url, "gulberg").await;
    let o = shop.place(0).await;
    shop.wait_synced(Duration::from_secs(20)).await;
    let rows = client
        .query(
            "SELECT id, flavour, shop_id, uuid FROM orders ORDER BY id",
            &[],
        )
        .await
        .unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].get::<_, String>(1), "Fajita");
    assert_eq!(rows[0].get::<_, Option<String>>(2), None);
    assert_eq!(
        rows[1].get::<_, i32>(0),
        2,
        "the seed's id sequence continues"
    );
    assert_eq!(rows[1].get::<_, Option<Uuid>>(3), Some(o.uuid));
    shop.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sslmode_require_against_a_server_without_tls_fails_clearly_and_keeps_the_orders() {
    let pg = cluster().await;
    let url = pg.create_database("chain").await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("melt8.db"), &StoreOptions::default()).unwrap();
    let config = SyncConfig {
        database_url: Some(DatabaseUrl::new(format!("{url}?sslmode=require"))),
        shop_id: Some("gulberg".into()),
        options: SyncOptions::default(),
    };
    let (handle, worker) = kitchen_sync::setup(&store, &config, Arc::new(Utc::now))
        .await
        .unwrap();
    let meta = OrderMeta {
        uuid: Uuid::new_v4(),
        at: Utc::now(),
        business_date: Utc::now().date_naive(),
        source: OrderSource::Staff,
        call_sid: None,
        actor: "chef".into(),
        idempotency_key: None,
    };
    store.create_order(order_request(0), meta).await.unwrap();
    let err = worker.unwrap().drain_once().await.unwrap_err().to_string();
    assert!(
        err.contains("sslmode=require") && err.contains("TLS"),
        "{err}"
    );
    let st = handle.status().await;
    assert_eq!((st.state, st.pending), ("error", 1));
    assert!(
        !st.last_error
            .unwrap()
            .contains(kitchen_testkit::postgres::PASSWORD)
    );
}

#[tokio::test]
async fn the_database_url_setting_is_used_unless_the_variable_is_given() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("melt8.db"), &StoreOptions::default()).unwrap();
    store
        .set_setting(
            kitchen_store::keys::DATABASE_URL,
            "postgres://melt8:pw-in-settings@127.0.0.1:1/chain".into(),
        )
        .await
        .unwrap();
    let (from_setting, worker) =
        kitchen_sync::setup(&store, &SyncConfig::default(), Arc::new(Utc::now))
            .await
            .unwrap();
    assert!(worker.is_some());
    let st = from_setting.status().await;
    assert_eq!(
        st.target.as_deref(),
        Some("postgres://melt8@127.0.0.1:1/chain")
    );
    assert_eq!(st.state, "starting");
    let config = SyncConfig {
        database_url: Some(DatabaseUrl::new("postgres://other@127.0.0.1:2/db2")),
        ..SyncConfig::default()
    };
    let (from_variable, _) = kitchen_sync::setup(&store, &config, Arc::new(Utc::now))
        .await
        .unwrap();
    assert_eq!(
        from_variable.status().await.target.as_deref(),
        Some("postgres://other@127.0.0.1:2/db2")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deal_with_options_halves_pickup_and_card_arrives_with_its_bill_and_each_lines_detail() {
    let pg = cluster().await;
    let url = pg.create_database("chain").await.unwrap();
    let mut shop = Shop::open(&url, "gulberg").await;
    let settings = taxed_settings();
    let rich = shop.place_order(priced(&rich_request(), &settings)).await;
    let mut zoned = OrderRequest::delivery(
        vec![LineRequest::item("pepperoni", "large", 1)],
        "House 12, Street 4, Gulberg III, Lahore",
    );
    zoned.fulfilment = Some(FulfilmentRequest::Delivery {
        address: "House 12, Street 4, Gulberg III, Lahore".into(),
        landmark: None,
        zone_id: Some("gulberg".into()),
    });
    let zoned = shop.place_order(priced(&zoned, &settings)).await;
    shop.advance(rich.id, OrderStatus::Preparing, None).await;
    shop.wait_synced(Duration::from_secs(20)).await;
    let client = pg.connect("chain").await.unwrap();
    assert_eq!(assert_mirrors(&client, &shop, "gulberg").await, 2);

    let r = client
        .query_one(
            "SELECT fulfilment_type, zone_id, zone_name, pickup_in_minutes, payment_method,
                    pays_with_paisa, change_paisa, note, eta_minutes, address, total_paisa,
                    (bill->>'total')::bigint, (bill->'tax'->>'rate_bp')::int,
                    (bill->'tax'->>'amount')::bigint, (bill->>'deal_savings')::bigint,
                    bill->>'total_spoken_ur', jsonb_array_length(bill->'lines'), bill::text,
                    flavour, drink
             FROM orders WHERE shop_id = 'gulberg' AND uuid = $1",
            &[&rich.uuid],
        )
        .await
        .unwrap();
    assert_eq!(r.get::<_, Option<String>>(0).as_deref(), Some("pickup"));
    assert_eq!(r.get::<_, Option<String>>(1), None);
    assert_eq!(r.get::<_, Option<String>>(2), None);
    assert_eq!(r.get::<_, Option<i32>>(3), Some(25));
    assert_eq!(r.get::<_, Option<String>>(4).as_deref(), Some("card"));
    assert_eq!(r.get::<_, Option<i64>>(5), Some(1_000_000));
    assert_eq!(r.get::<_, Option<i64>>(6), Some(186_600));
    assert_eq!(
        r.get::<_, Option<String>>(7).as_deref(),
        Some("pack the dip separately")
    );
    assert_eq!(r.get::<_, Option<i32>>(8), Some(25));
    assert_eq!(r.get::<_, String>(9), "", "a pickup has no address");
    assert_eq!(r.get::<_, i64>(10), 813_400);
    assert_eq!(r.get::<_, i64>(11), 813_400);
    assert_eq!(r.get::<_, i32>(12), 500);
    assert_eq!(r.get::<_, i64>(13), 38_700);
    assert_eq!(r.get::<_, i64>(14), 22_000);
    assert_eq!(r.get::<_, String>(15), rich.bill.total_spoken_ur);
    assert_eq!(r.get::<_, i32>(16), 2);
    let bill: kitchen_domain::Bill = serde_json::from_str(&r.get::<_, String>(17)).unwrap();
    assert_eq!(bill, rich.bill, "the whole bill, as the shop priced it");
    assert_eq!(
        (r.get::<_, String>(18), r.get::<_, Option<String>>(19)),
        (
            "Malai Boti".to_string(),
            Some("Coca-Cola 1.5 L".to_string())
        ),
        "the seed's columns from inside the deal"
    );

    let items = client
        .query(
            "SELECT position, kind, size_id,
                    jsonb_array_length(detail->'deal'->'parts'),
                    detail->'deal'->'parts'->0->>'item_id',
                    detail->'deal'->'parts'->0->'options'->0->>'option',
                    (detail->'deal'->'parts'->0->>'surcharge')::bigint,
                    detail->'deal'->'parts'->1->>'item_id',
                    detail->'half'->>'item_id',
                    detail->'options'->0->>'option',
                    detail->>'note'
             FROM order_items WHERE shop_id = 'gulberg' AND order_uuid = $1 ORDER BY position",
            &[&rich.uuid],
        )
        .await
        .unwrap();
    assert_eq!(items.len(), 2);
    let deal = &items[0];
    assert_eq!(
        (deal.get::<_, String>(1), deal.get::<_, String>(2)),
        ("deal".to_string(), String::new())
    );
    assert_eq!(deal.get::<_, Option<i32>>(3), Some(2));
    assert_eq!(
        deal.get::<_, Option<String>>(4).as_deref(),
        Some("malai-boti")
    );
    assert_eq!(deal.get::<_, Option<String>>(5).as_deref(), Some("stuffed"));
    assert_eq!(deal.get::<_, Option<i64>>(6), Some(15_000));
    assert_eq!(
        deal.get::<_, Option<String>>(7).as_deref(),
        Some("coca-cola")
    );
    let halves = &items[1];
    assert_eq!(halves.get::<_, String>(1), "pizza");
    assert_eq!(
        halves.get::<_, Option<String>>(8).as_deref(),
        Some("chicken-fajita")
    );
    assert_eq!(
        halves.get::<_, Option<String>>(9).as_deref(),
        Some("cheese")
    );
    assert_eq!(
        halves.get::<_, Option<String>>(10).as_deref(),
        Some("less spicy")
    );

    let z = client
        .query_one(
            "SELECT fulfilment_type, zone_id, zone_name, pickup_in_minutes, payment_method,
                    pays_with_paisa, eta_minutes, (bill->>'delivery_fee')::bigint,
                    (bill->'tax'->>'rate_bp')::int, address,
                    (SELECT bool_and(detail - 'size_label_ur' = '{}'::jsonb
                                     AND detail ? 'size_label_ur')
                       FROM order_items i
                      WHERE i.shop_id = o.shop_id AND i.order_uuid = o.uuid)
             FROM orders o WHERE shop_id = 'gulberg' AND uuid = $1",
            &[&zoned.uuid],
        )
        .await
        .unwrap();
    assert_eq!(z.get::<_, Option<String>>(0).as_deref(), Some("delivery"));
    assert_eq!(z.get::<_, Option<String>>(1).as_deref(), Some("gulberg"));
    assert_eq!(z.get::<_, Option<String>>(2).as_deref(), Some("Gulberg"));
    assert_eq!(z.get::<_, Option<i32>>(3), None);
    assert_eq!(z.get::<_, Option<String>>(4).as_deref(), Some("cash"));
    assert_eq!(z.get::<_, Option<i64>>(5), None);
    assert_eq!(z.get::<_, Option<i32>>(6), Some(40));
    assert_eq!(z.get::<_, i64>(7), 15_000);
    assert_eq!(z.get::<_, i32>(8), 1600);
    assert_eq!(
        z.get::<_, String>(9),
        "House 12, Street 4, Gulberg III, Lahore"
    );
    assert_eq!(
        z.get::<_, Option<bool>>(10),
        Some(true),
        "plain lines' detail is only their size's Urdu label"
    );
    shop.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_target_at_version_1_gains_the_new_columns_and_keeps_its_orders() {
    let pg = cluster().await;
    let url = pg.create_database("chain").await.unwrap();
    let client = pg.connect("chain").await.unwrap();
    // A target an earlier app set up, with an order it synced.
    let v1 = &kitchen_sync::schema::PG_MIGRATIONS[0];
    client.batch_execute(v1.sql).await.unwrap();
    client
        .batch_execute(
            "CREATE TABLE melt8_schema (
                 version    INTEGER PRIMARY KEY,
                 name       TEXT NOT NULL,
                 applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
             );
             INSERT INTO melt8_schema (version, name) VALUES (1, '0001_initial.sql');
             INSERT INTO shops (shop_id) VALUES ('gulberg');
             INSERT INTO orders (flavour, size, address, shop_id, uuid, number, total_paisa,
                                 updated_at)
             VALUES ('Chicken Tikka', 'Large 13\"', 'House 1', 'gulberg',
                     '6f1c1d7e-2f7c-4a53-9d55-1c2b3a4d5e6f', 1, 219900, now());
             INSERT INTO order_items (shop_id, order_uuid, position, item_id, name, kind,
                                      size_id, size_label, quantity, unit_price_paisa,
                                      line_total_paisa)
             VALUES ('gulberg', '6f1c1d7e-2f7c-4a53-9d55-1c2b3a4d5e6f', 0, 'chicken-tikka',
                     'Chicken Tikka', 'pizza', 'large', 'Large 13\"', 1, 219900, 219900);",
        )
        .await
        .unwrap();

    let mut shop = Shop::open(&url, "gulberg").await;
    let rich = shop
        .place_order(priced(&rich_request(), &taxed_settings()))
        .await;
    shop.wait_synced(Duration::from_secs(20)).await;

    let versions: Vec<i32> = client
        .query("SELECT version FROM melt8_schema ORDER BY version", &[])
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(versions, [1, 2, 3]);
    let old = client
        .query_one(
            "SELECT fulfilment_type, payment_method, bill IS NULL,
                    (SELECT detail IS NULL FROM order_items WHERE order_uuid = o.uuid)
             FROM orders o WHERE uuid = '6f1c1d7e-2f7c-4a53-9d55-1c2b3a4d5e6f'",
            &[],
        )
        .await
        .unwrap();
    assert_eq!(
        (
            old.get::<_, Option<String>>(0).as_deref(),
            old.get::<_, Option<String>>(1).as_deref(),
            old.get::<_, bool>(2),
            old.get::<_, bool>(3)
        ),
        (Some("delivery"), Some("cash"), true, true),
        "an order synced before is a cash delivery without a bill"
    );
    let new = client
        .query_one(
            "SELECT fulfilment_type, (bill->>'total')::bigint,
                    (SELECT detail->'deal'->>'deal_id' FROM order_items
                      WHERE order_uuid = o.uuid AND position = 0)
             FROM orders o WHERE uuid = $1",
            &[&rich.uuid],
        )
        .await
        .unwrap();
    assert_eq!(
        (
            new.get::<_, Option<String>>(0).as_deref(),
            new.get::<_, Option<i64>>(1),
            new.get::<_, Option<String>>(2).as_deref()
        ),
        (Some("pickup"), Some(rich.total.paisa()), Some("deal-3"))
    );
    shop.close().await;
}
