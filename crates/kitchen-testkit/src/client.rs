//! A client of the kitchen API and its live event stream.

use anyhow::{Context, bail};
use base64::Engine;
use futures_util::StreamExt;
use reqwest::cookie::{CookieStore, Jar};
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// Talks to one kitchen server, as staff.
#[derive(Debug, Clone)]
pub struct KitchenClient {
    base: String,
    http: reqwest::Client,
    jar: Arc<Jar>,
    basic: Option<String>,
}

impl KitchenClient {
    /// A client of the server at `base` (`http://127.0.0.1:8080`), not logged in.
    pub fn new(base: impl Into<String>) -> Self {
        let jar = Arc::new(Jar::default());
        let http = reqwest::Client::builder()
            .cookie_provider(jar.clone())
            .timeout(Duration::from_secs(30))
            .build()
            .unwrap_or_default();
        KitchenClient {
            base: base.into().trim_end_matches('/').to_string(),
            http,
            jar,
            basic: None,
        }
    }

    /// The same server, sending HTTP Basic credentials on every request.
    pub fn with_basic(mut self, user: &str, password: &str) -> Self {
        let token = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
        self.basic = Some(format!("Basic {token}"));
        self
    }

    /// The server's base URL.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// `base + path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A request with this client's credentials (Basic header and/or login cookie).
    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        let rb = self.http.request(method, self.url(path));
        match &self.basic {
            Some(b) => rb.header("authorization", b),
            None => rb,
        }
    }

    /// `GET path`.
    pub async fn get(&self, path: &str) -> anyhow::Result<Response> {
        Ok(self.request(Method::GET, path).send().await?)
    }

    /// `POST path` with a JSON body.
    pub async fn post_json(&self, path: &str, body: &Value) -> anyhow::Result<Response> {
        Ok(self.request(Method::POST, path).json(body).send().await?)
    }

    /// `PUT path` with a JSON body.
    pub async fn put_json(&self, path: &str, body: &Value) -> anyhow::Result<Response> {
        Ok(self.request(Method::PUT, path).json(body).send().await?)
    }

    /// Logs in; the session cookie is kept for later requests and the event stream.
    pub async fn login(&self, user: &str, password: &str) -> anyhow::Result<Response> {
        Ok(self
            .http
            .post(self.url("/api/login"))
            .json(&json!({"username": user, "password": password}))
            .send()
            .await?)
    }

    /// Places an order and returns it, failing unless the server answered 201.
    pub async fn create_order(&self, body: &Value) -> anyhow::Result<Value> {
        let res = self.post_json("/api/orders", body).await?;
        expect_json(res, StatusCode::CREATED).await
    }

    /// Changes an order's status (`reason` for cancel); returns the raw response.
    pub async fn set_status(
        &self,
        id: i64,
        status: &str,
        reason: Option<&str>,
    ) -> anyhow::Result<Response> {
        let mut body = json!({"status": status});
        if let Some(r) = reason {
            body["reason"] = json!(r);
        }
        self.put_json(&format!("/api/orders/{id}/status"), &body)
            .await
    }

    /// Opens `/api/events` with this client's credentials.
    pub async fn events(&self) -> anyhow::Result<EventStream> {
        let ws_url = self.url("/api/events").replacen("http", "ws", 1);
        let mut req = ws_url.as_str().into_client_request()?;
        if let Some(b) = &self.basic {
            req.headers_mut()
                .insert("authorization", HeaderValue::from_str(b)?);
        }
        let cookie_url: reqwest::Url = self.base.parse()?;
        if let Some(c) = self.jar.cookies(&cookie_url) {
            req.headers_mut()
                .insert("cookie", HeaderValue::from_bytes(c.as_bytes())?);
        }
        let (ws, _) = tokio_tungstenite::connect_async(req)
            .await
            .context("connecting to /api/events")?;
        Ok(EventStream { ws })
    }
}

/// Reads the JSON body of a response that must have `status`.
pub async fn expect_json(res: Response, status: StatusCode) -> anyhow::Result<Value> {
    let got = res.status();
    let body = res.text().await?;
    if got != status {
        bail!("expected {status}, got {got}: {body}");
    }
    serde_json::from_str(&body).with_context(|| format!("response is not JSON: {body}"))
}

/// A live subscription to `/api/events`.
#[derive(Debug)]
pub struct EventStream {
    ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
}

/// What the stream yielded.
#[derive(Debug, Clone, PartialEq)]
pub enum StreamItem {
    /// A JSON event.
    Event(Value),
    /// The server closed the stream (close code, if any).
    Closed(Option<u16>),
}

impl EventStream {
    /// The next JSON event or the close, skipping pings; fails after `within`.
    pub async fn next_item(&mut self, within: Duration) -> anyhow::Result<StreamItem> {
        tokio::time::timeout(within, async {
            loop {
                match self.ws.next().await {
                    None => return Ok(StreamItem::Closed(None)),
                    Some(Err(e)) => bail!("event stream failed: {e}"),
                    Some(Ok(Message::Text(t))) => {
                        return Ok(StreamItem::Event(serde_json::from_str(&t)?));
                    }
                    Some(Ok(Message::Close(frame))) => {
                        return Ok(StreamItem::Closed(frame.map(|f| f.code.into())));
                    }
                    Some(Ok(_)) => continue,
                }
            }
        })
        .await
        .context("no event arrived in time")?
    }

    /// The next JSON event; fails on close or after `within`.
    pub async fn next_event(&mut self, within: Duration) -> anyhow::Result<Value> {
        match self.next_item(within).await? {
            StreamItem::Event(v) => Ok(v),
            StreamItem::Closed(code) => bail!("the event stream closed ({code:?})"),
        }
    }

    /// Waits for the next event of type `kind`, skipping others.
    pub async fn expect(&mut self, kind: &str, within: Duration) -> anyhow::Result<Value> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            let ev = self.next_event(left).await?;
            if ev["type"] == kind {
                return Ok(ev);
            }
        }
    }
}
