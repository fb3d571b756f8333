//! A fake of OpenAI's SIP call control for `melt8 serve --demo` and the tests: it records
//! every `accept`, `reject`, `refer` and `hangup` request (path and JSON body) and answers
//! 200, or 404 for a call marked gone; and it sends signed incoming-call webhooks
//! (`live.transport.incoming` and `realtime.call.incoming` for one SIP call) the way
//! OpenAI does, signed with its own Standard Webhooks code, not the server's. The GPT-Live
//! sideband of such a call is [`live_sideband::FakeLiveSideband`].

pub mod live_sideband;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use std::collections::HashSet;
use std::sync::{Arc, Mutex};

/// One call-control request the fake received.
#[derive(Debug, Clone, PartialEq)]
pub struct ControlRequest {
    /// `live/sessions` or `realtime/calls`.
    pub api: String,
    /// The call's id.
    pub id: String,
    /// `accept`, `reject`, `refer` or `hangup`.
    pub action: String,
    /// The JSON body (`Null` when empty).
    pub body: Value,
    /// Whether the request carried `Authorization: Bearer <something>`.
    pub bearer: bool,
    /// When it arrived (before its body was parsed).
    pub received_at: std::time::Instant,
}

#[derive(Debug, Default)]
struct Shared {
    requests: Mutex<Vec<ControlRequest>>,
    gone: Mutex<HashSet<String>>,
}

/// The fake, listening on 127.0.0.1.
#[derive(Debug, Clone)]
pub struct FakeOpenAiSip {
    base: String,
    shared: Arc<Shared>,
}

async fn control(
    State(shared): State<Arc<Shared>>,
    Path((first, second, id, action)): Path<(String, String, String, String)>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> StatusCode {
    let received_at = std::time::Instant::now();
    let api = format!("{first}/{second}");
    if !matches!(api.as_str(), "live/sessions" | "realtime/calls")
        || !matches!(action.as_str(), "accept" | "reject" | "refer" | "hangup")
    {
        return StatusCode::NOT_FOUND;
    }
    let bearer = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.len() > "Bearer ".len() && v.starts_with("Bearer "));
    let body = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let gone = lock(&shared.gone).contains(&id);
    lock(&shared.requests).push(ControlRequest {
        api,
        id,
        action,
        body,
        bearer,
        received_at,
    });
    if gone {
        StatusCode::NOT_FOUND
    } else {
        StatusCode::OK
    }
}

/// `GET /v1/demo/calls/{id}`: what was asked of the fake for one call, for
/// `melt8 simulate-call --sip` to report (`[{api, id, action, body}]`).
async fn calls_of(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> axum::Json<Value> {
    let list: Vec<Value> = lock(&shared.requests)
        .iter()
        .filter(|r| r.id == id)
        .map(|r| json!({"api": r.api, "id": r.id, "action": r.action, "body": r.body}))
        .collect();
    axum::Json(Value::Array(list))
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl FakeOpenAiSip {
    /// Starts the fake on a free port.
    pub async fn start() -> anyhow::Result<Self> {
        Self::start_on("127.0.0.1:0").await
    }

    /// Starts the fake on `addr` (e.g. `127.0.0.1:0`).
    pub async fn start_on(addr: &str) -> anyhow::Result<Self> {
        let shared = Arc::new(Shared::default());
        let app = Router::new()
            .route("/v1/demo/calls/{id}", get(calls_of))
            .route("/v1/{first}/{second}/{id}/{action}", post(control))
            .with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(FakeOpenAiSip {
            base: format!("http://{addr}/v1"),
            shared,
        })
    }

    /// The base URL to configure as `OPENAI_API_BASE`.
    pub fn base_url(&self) -> String {
        self.base.clone()
    }

    /// Every request so far, in order.
    pub fn requests(&self) -> Vec<ControlRequest> {
        lock(&self.shared.requests).clone()
    }

    /// Requests with this action (`accept`, `refer`, …).
    pub fn requests_of(&self, action: &str) -> Vec<ControlRequest> {
        self.requests()
            .into_iter()
            .filter(|r| r.action == action)
            .collect()
    }

    /// From now on, requests for `id` get 404 (the call is gone).
    pub fn mark_gone(&self, id: &str) {
        lock(&self.shared.gone).insert(id.to_string());
    }

    /// Waits until `n` requests with `action` arrived, or `limit` passed.
    pub async fn wait_for(
        &self,
        action: &str,
        n: usize,
        limit: std::time::Duration,
    ) -> Vec<ControlRequest> {
        let until = tokio::time::Instant::now() + limit;
        loop {
            let got = self.requests_of(action);
            if got.len() >= n || tokio::time::Instant::now() >= until {
                return got;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
    }
}

/// The two webhook bodies one SIP call raises: `live.transport.incoming` (session
/// `live_<tag>`) and `realtime.call.incoming` (call `rtc_<tag>`), both with `From: caller`.
pub fn incoming_pair(tag: &str, caller: &str, created_at: i64) -> (Value, Value) {
    let headers = json!([
        {"name": "From", "value": format!("\"Caller\" <sip:{caller}@pstn.twilio.com>;tag=1")},
        {"name": "To", "value": "<sip:+924235550123@sip.api.openai.com>"},
    ]);
    let live = json!({
        "object": "event", "id": format!("evt_live_{tag}"), "type": "live.transport.incoming",
        "created_at": created_at,
        "data": {"type": "sip", "session_id": format!("live_{tag}"), "sip_headers": headers.clone(), "sip_media_security": "srtp"},
    });
    let realtime = json!({
        "object": "event", "id": format!("evt_rt_{tag}"), "type": "realtime.call.incoming",
        "created_at": created_at,
        "data": {"call_id": format!("rtc_{tag}"), "sip_headers": headers},
    });
    (live, realtime)
}

/// The Standard Webhooks headers for a delivery: `webhook-id`, `webhook-timestamp`,
/// `webhook-signature` (`v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`), with the
/// key decoded from `whsec_<base64>`.
pub fn sign_headers(
    secret: &str,
    id: &str,
    timestamp: i64,
    body: &str,
) -> anyhow::Result<Vec<(String, String)>> {
    let key = STANDARD.decode(secret.strip_prefix("whsec_").unwrap_or(secret))?;
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(&key)?;
    mac.update(format!("{id}.{timestamp}.{body}").as_bytes());
    let sig = STANDARD.encode(mac.finalize().into_bytes());
    Ok(vec![
        ("webhook-id".into(), id.into()),
        ("webhook-timestamp".into(), timestamp.to_string()),
        ("webhook-signature".into(), format!("v1,{sig}")),
    ])
}

/// POSTs a webhook body with the given headers to `url`; returns the HTTP status.
pub async fn deliver(url: &str, headers: &[(String, String)], body: &str) -> anyhow::Result<u16> {
    let mut req = reqwest::Client::new()
        .post(url)
        .header("content-type", "application/json")
        .body(body.to_string());
    for (name, value) in headers {
        req = req.header(name, value);
    }
    Ok(req.send().await?.status().as_u16())
}

/// Signs and POSTs a webhook body now-ish (`timestamp`); returns the HTTP status.
pub async fn send_webhook(
    url: &str,
    secret: &str,
    webhook_id: &str,
    timestamp: i64,
    body: &Value,
) -> anyhow::Result<u16> {
    let body = body.to_string();
    let headers = sign_headers(secret, webhook_id, timestamp, &body)?;
    deliver(url, &headers, &body).await
}
