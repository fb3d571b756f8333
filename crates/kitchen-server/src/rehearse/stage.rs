//! The stage one scenario plays on: a real server built in-process over a temporary data
//! folder (the default menu, the scenario's settings, orders and clock), a fake Twilio REST
//! API for hang-ups and transfers, and a simulated Twilio caller. Everything the checks
//! read comes through the kitchen API, as the dashboard reads it.

use super::scenario::{ExistingOrder, KitchenAction, Scenario, parse_local_time};
use crate::{Application, Config, Secret};
use anyhow::{Context, bail};
use chrono::{DateTime, FixedOffset, Utc};
use kitchen_core::clock::{BusinessDay, Clock};
use kitchen_demo::{FakeCaller, FakeTwilioRest};
use kitchen_domain::settings::{AccountSid, E164};
use serde_json::Value;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// The address the simulated Twilio signs its requests for (the shop's public URL).
const PUBLIC: &str = "https://rehearse.melt8.invalid";
/// The simulated Twilio's auth token (a local fake: not a secret).
const TWILIO_TOKEN: &str = "rehearse-twilio-auth-token";
/// The simulated Twilio account.
const ACCOUNT_SID: &str = "AC0000000000000000000000000000feed";
/// The shop's Twilio number the caller dials.
pub const SHOP_TWILIO_NUMBER: &str = "+15005550006";
/// The shop's own phone (transfers go there) unless the scenario's settings clear it.
const SHOP_PHONE: &str = "+924235761234";
/// Pakistan's offset: scenario times are shop times.
const SHOP_OFFSET_SECONDS: i32 = 5 * 3600;
/// How long any one wait of a scenario may take.
pub const WAIT: Duration = Duration::from_secs(15);

/// A clock that runs from the scenario's local time on.
#[derive(Debug)]
struct ShiftedClock {
    shift: chrono::Duration,
}

impl Clock for ShiftedClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now() + self.shift
    }
}

/// A running server for one scenario, with its simulated Twilio.
#[derive(Debug)]
pub struct Stage {
    base: String,
    password: Secret,
    http: reqwest::Client,
    /// The fake Twilio REST API the server hangs up and transfers through.
    pub rest: FakeTwilioRest,
    /// Twilio ringing the server.
    pub caller: FakeCaller,
    /// The board after the scenario's shop was set up, before the first call.
    pub before: Vec<Value>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<anyhow::Result<()>>>,
    _dir: tempfile::TempDir,
}

impl Stage {
    /// Starts the server with its Realtime endpoint at `realtime_url` (authenticated with
    /// `api_key`), then applies the scenario's shop: settings, availability, orders.
    pub async fn start(
        scenario: &Scenario,
        realtime_url: String,
        api_key: &str,
    ) -> anyhow::Result<Stage> {
        Stage::start_with(scenario, api_key, move |c| {
            c.phone.openai_realtime_url = realtime_url;
        })
        .await
    }

    /// [`Stage::start`] with the configuration `tweak`ed before the server is built (the
    /// engine, its endpoint and model).
    pub async fn start_with(
        scenario: &Scenario,
        api_key: &str,
        tweak: impl FnOnce(&mut Config),
    ) -> anyhow::Result<Stage> {
        let dir = tempfile::Builder::new()
            .prefix("melt8-rehearse-")
            .tempdir()
            .context("making a temporary data folder")?;
        let rest = FakeTwilioRest::start(ACCOUNT_SID, TWILIO_TOKEN).await?;
        let password = crate::auth::generate_password();
        let mut config = Config::new(dir.path());
        config.port = 0;
        config.phone.public_port = 0;
        config.daily_backups = false;
        config.chef_password = Some(password.clone());
        config.business_day = BusinessDay {
            utc_offset: FixedOffset::east_opt(SHOP_OFFSET_SECONDS).context("the shop's offset")?,
            starts_at_hour: 5,
        };
        config.phone.public_base_url = Some(PUBLIC.into());
        config.phone.twilio_api_base = rest.base_url();
        config.phone.twilio_studio_base = rest.studio_base_url();
        let s = &mut config.settings;
        s.setup_done = Some(true);
        s.openai_api_key = Some(Secret::new(api_key));
        s.twilio_auth_token = Some(Secret::new(TWILIO_TOKEN));
        s.twilio_account_sid = Some(AccountSid::parse(ACCOUNT_SID).map_err(anyhow::Error::msg)?);
        s.twilio_phone_number = Some(
            E164::parse(SHOP_TWILIO_NUMBER, "the shop's Twilio number")
                .map_err(anyhow::Error::msg)?,
        );
        // The shop's phone is stored like the owner's own setting (not a start-up layer), so
        // a scenario's settings can clear it.
        let clears_phone = scenario
            .shop
            .settings
            .as_ref()
            .is_some_and(|v| v.get("shop_phone").is_some());
        if !clears_phone {
            s.shop_phone =
                Some(E164::parse(SHOP_PHONE, "the shop's phone").map_err(anyhow::Error::msg)?);
        }
        tweak(&mut config);
        let clock: Arc<dyn Clock> = match &scenario.shop.local_time {
            Some(t) => {
                let local = parse_local_time(t)?;
                let utc = local - chrono::Duration::seconds(i64::from(SHOP_OFFSET_SECONDS));
                Arc::new(ShiftedClock {
                    shift: utc.and_utc() - Utc::now(),
                })
            }
            None => Arc::new(kitchen_core::SystemClock),
        };
        let app = Application::build_with_clock(config, clock).await?;
        let base = format!("http://{}", app.local_addr()?);
        let public = format!("http://{}", app.public_addr()?);
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(app.run_until_stopped(async move {
            let _ = rx.await;
        }));
        let caller = FakeCaller::new(&public, PUBLIC, TWILIO_TOKEN)
            .with_account_sid(rest.account_sid())
            .with_playback(kitchen_demo::PlaybackSpeed::Instant);
        let http = reqwest::Client::builder()
            .timeout(WAIT)
            .build()
            .context("making the API client")?;
        let mut stage = Stage {
            before: Vec::new(),
            base,
            password,
            http,
            rest,
            caller,
            stop: Some(tx),
            task: Some(task),
            _dir: dir,
        };
        stage.set_up(scenario).await?;
        stage.before = stage.orders().await?;
        Ok(stage)
    }

    async fn set_up(&self, scenario: &Scenario) -> anyhow::Result<()> {
        let shop = &scenario.shop;
        if let Some(settings) = &shop.settings {
            self.kitchen(&KitchenAction::Settings(settings.clone()))
                .await?;
        }
        for change in &shop.availability {
            self.kitchen(&KitchenAction::Availability(change.clone()))
                .await?;
        }
        for (i, ExistingOrder { order, status }) in shop.orders.iter().enumerate() {
            let created = self
                .expect_ok("POST", "/api/orders", Some(order))
                .await
                .with_context(|| format!("placing the shop's order {}", i + 1))?;
            if let Some(status) = status {
                let id = created["id"].as_i64().context("the new order has no id")?;
                self.move_order(id, status).await?;
            }
        }
        Ok(())
    }

    /// Moves an order on the board through each status up to `status` (the board allows
    /// one step at a time), or cancels it.
    async fn move_order(&self, id: i64, status: &str) -> anyhow::Result<()> {
        const FLOW: [&str; 4] = ["new", "preparing", "ready", "delivered"];
        let steps: Vec<&str> = match FLOW.iter().position(|s| *s == status) {
            Some(i) => FLOW[1..=i].to_vec(),
            None => vec![status],
        };
        for step in steps {
            let mut body = serde_json::json!({"status": step});
            if step == "cancelled" {
                body["reason"] = "cancelled at the counter".into();
            }
            self.expect_ok("PUT", &format!("/api/orders/{id}/status"), Some(&body))
                .await
                .with_context(|| format!("moving order id {id} to {step}"))?;
        }
        Ok(())
    }

    /// Does what the kitchen does between two turns.
    pub async fn kitchen(&self, action: &KitchenAction) -> anyhow::Result<()> {
        match action {
            KitchenAction::Settings(body) => {
                self.expect_ok("PUT", "/api/settings", Some(body))
                    .await
                    .context("saving the scenario's settings")?;
            }
            KitchenAction::Availability(body) => {
                self.expect_ok("PUT", "/api/menu/availability", Some(body))
                    .await
                    .context("changing the menu's availability")?;
            }
            KitchenAction::SetStatus {
                order_number,
                status,
            } => {
                let order = self
                    .orders()
                    .await?
                    .into_iter()
                    .find(|o| o["number"].as_u64() == Some(u64::from(*order_number)))
                    .with_context(|| {
                        format!("there is no order number {order_number} on the board")
                    })?;
                let id = order["id"].as_i64().context("an order without an id")?;
                self.move_order(id, status).await?;
            }
        }
        Ok(())
    }

    /// `method path` on the kitchen API (logged in): its status and JSON body.
    pub async fn api(
        &self,
        method: &str,
        path: &str,
        body: Option<&Value>,
    ) -> anyhow::Result<(u16, Value)> {
        let method = reqwest::Method::from_bytes(method.as_bytes()).context("an HTTP method")?;
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.base))
            .basic_auth("chef", Some(self.password.expose()));
        if let Some(b) = body {
            req = req.json(b);
        }
        let res = req
            .send()
            .await
            .with_context(|| format!("calling {path}"))?;
        let status = res.status().as_u16();
        let text = res.text().await?;
        let json = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Ok((status, json))
    }

    async fn expect_ok(
        &self,
        method: &str,
        path: &str,
        body: Option<&Value>,
    ) -> anyhow::Result<Value> {
        let (status, json) = self.api(method, path, body).await?;
        if !(200..300).contains(&status) {
            bail!(
                "{method} {path} answered {status}: {}",
                super::check::short(&json)
            );
        }
        Ok(json)
    }

    /// Every order on the board, by number (oldest first).
    pub async fn orders(&self) -> anyhow::Result<Vec<Value>> {
        let list = self.expect_ok("GET", "/api/orders", None).await?;
        let mut orders = list
            .as_array()
            .cloned()
            .context("the order list is not a list")?;
        orders.sort_by_key(|o| o["number"].as_u64().unwrap_or(0));
        Ok(orders)
    }

    /// The call's log entry once the call has ended (waits for the end to be written).
    pub async fn call_log(&self, call_sid: &str) -> anyhow::Result<Value> {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let (status, log) = self
                .api("GET", &format!("/api/calls/{call_sid}"), None)
                .await?;
            if status == 200 && log["outcome"] != "in_progress" {
                return Ok(log);
            }
            if tokio::time::Instant::now() > deadline {
                bail!("the call log never recorded the end of {call_sid}");
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// The open call cards, oldest first; `None` when this server has no call cards.
    pub async fn call_cards(&self) -> anyhow::Result<Option<Vec<Value>>> {
        let (status, body) = self.api("GET", "/api/call-cards", None).await?;
        match status {
            404 => Ok(None),
            200 => {
                let mut cards = body
                    .as_array()
                    .cloned()
                    .context("the call cards are not a list")?;
                // The API lists newest first; scenarios read in the order things happened.
                cards.reverse();
                Ok(Some(cards))
            }
            other => bail!(
                "GET /api/call-cards answered {other}: {}",
                super::check::short(&body)
            ),
        }
    }

    /// Stops the server and removes its data folder.
    pub async fn stop(mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            match tokio::time::timeout(WAIT, task).await {
                Ok(Ok(Err(e))) => {
                    tracing::warn!(error = %e, "a rehearsal server stopped with an error")
                }
                Ok(Err(e)) => tracing::warn!(error = %e, "a rehearsal server task failed"),
                Err(_) => tracing::warn!("a rehearsal server did not stop in time"),
                Ok(Ok(Ok(()))) => {}
            }
        }
    }
}

/// The number Twilio sends for a scenario's caller (`withheld` → `anonymous`).
pub fn twilio_from(caller: &str) -> String {
    if caller.trim().eq_ignore_ascii_case("withheld") {
        "anonymous".to_string()
    } else {
        caller.trim().to_string()
    }
}
