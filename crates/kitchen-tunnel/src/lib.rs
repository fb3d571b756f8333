//! The app's own public address: an ngrok endpoint opened from inside Melt 8 Kitchen.
//!
//! [`Tunnel::spawn`] starts a supervisor that, while it has [`TunnelOptions`], keeps one
//! endpoint open through a [`Connector`] (the real one is [`NgrokConnector`]) and copies
//! each connection the endpoint receives to `forward_to` — the local **public** (Twilio)
//! router, never the kitchen router. When the session fails or drops it waits (exponential
//! backoff with jitter, 1 s doubling to 60 s, see [`Backoff`]) and tries again. Its state is
//! a [`tokio::sync::watch`] of [`TunnelStatus`], worded for a shop owner.
//!
//! The [`Connector`] trait exists so the supervisor's logic (backoff, status, forwarding,
//! reconfiguration) is tested with a local fake endpoint that hands over real TCP streams;
//! the real ngrok path is tested for what can be tested offline (an unreachable server).

mod ngrok_connector;

pub use ngrok_connector::NgrokConnector;

use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::sync::{mpsc, watch};
use tokio_util::sync::CancellationToken;

/// The ngrok agent token. Its `Debug` never shows the value.
#[derive(Clone, PartialEq, Eq)]
pub struct Authtoken(String);

impl Authtoken {
    /// Wraps a token.
    pub fn new(token: impl Into<String>) -> Self {
        Authtoken(token.into())
    }

    /// The value, for the one place that sends it to ngrok.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Authtoken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Authtoken(********)")
    }
}

/// What to open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TunnelOptions {
    /// The agent token (dashboard.ngrok.com → Your Authtoken).
    pub authtoken: Authtoken,
    /// A reserved domain (e.g. `melt8-gulberg.ngrok.app`); `None`: ngrok picks one.
    pub domain: Option<String>,
    /// Where connections go: the public (Twilio) router's local address.
    pub forward_to: SocketAddr,
}

/// Where the tunnel stands, in words an owner can act on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum TunnelStatus {
    /// No ngrok token: no tunnel.
    Off,
    /// Opening the endpoint (`attempt` counts from 1 since the last success).
    Connecting {
        /// Which try this is.
        attempt: u32,
    },
    /// Reachable from the internet at `url`.
    Online {
        /// The public `https://…` address.
        url: String,
    },
    /// The last try failed; another follows in `retry_in_secs`.
    Failed {
        /// What went wrong and what to do, in plain (English) words.
        message: String,
        /// The same as a stable code (see [`ConnectFailure::code`]).
        code: String,
        /// Values the code's text needs.
        params: BTreeMap<String, String>,
        /// Seconds until the next try.
        retry_in_secs: u64,
    },
}

impl TunnelStatus {
    /// The public URL when online.
    pub fn url(&self) -> Option<&str> {
        match self {
            TunnelStatus::Online { url } => Some(url),
            _ => None,
        }
    }
}

/// A byte stream from the internet (one HTTP or WebSocket connection).
pub trait Io: AsyncRead + AsyncWrite + Send + Unpin + 'static {}
impl<T: AsyncRead + AsyncWrite + Send + Unpin + 'static> Io for T {}

/// An open endpoint: its public URL and its incoming connections. The channel closing
/// means the session ended (dropped by the server, network lost); dropping the endpoint
/// closes the session.
pub struct Endpoint {
    /// The public URL, e.g. `https://abcd-1-2-3-4.ngrok-free.app`.
    pub url: String,
    /// Connections from the internet.
    pub incoming: mpsc::Receiver<Box<dyn Io>>,
}

impl fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Endpoint").field("url", &self.url).finish()
    }
}

/// Why an endpoint could not be opened: a stable code with its params (for the dashboard
/// to word in its language) and the same as an English sentence for the owner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectFailure {
    /// `ngrok_unreachable` {server_addr}, `ngrok_tls` {server_addr}, `ngrok_bad_server_addr`
    /// {server_addr}, `ngrok_refused_token`, `ngrok_agent_limit`, `ngrok_refused` {detail},
    /// `ngrok_closed` {detail}, `ngrok_not_started` {detail}, `ngrok_domain_refused`
    /// {domain, detail}, `ngrok_endpoint_refused` {detail}, `ngrok_dropped`, or
    /// `ngrok_failed` {detail} for anything else.
    pub code: &'static str,
    /// Values the code's text needs (`detail` is ngrok's own English words).
    pub params: BTreeMap<String, String>,
    /// What went wrong and what to do, in English.
    pub message: String,
}

impl ConnectFailure {
    /// A failure of the kind `code`, worded `message` in English.
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        ConnectFailure {
            code,
            params: BTreeMap::new(),
            message: message.into(),
        }
    }

    /// Any other failure: `ngrok_failed`, the message also as the `detail` param.
    pub fn other(message: impl Into<String>) -> Self {
        let message = message.into();
        ConnectFailure::new("ngrok_failed", message.clone()).with("detail", message)
    }

    /// The same failure with the param `key` set to `value`.
    pub fn with(mut self, key: &str, value: impl Into<String>) -> Self {
        self.params.insert(key.to_string(), value.into());
        self
    }
}

impl fmt::Display for ConnectFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// The future a [`Connector`] returns.
pub type ConnectFuture = Pin<Box<dyn Future<Output = Result<Endpoint, ConnectFailure>> + Send>>;

/// Opens endpoints: [`NgrokConnector`] for real, a local fake in tests.
pub trait Connector: Send + Sync + 'static {
    /// Opens one endpoint with these options.
    fn connect(&self, options: &TunnelOptions) -> ConnectFuture;
}

/// Waits between tries: `initial`, doubling up to `max`, each ±20 % at random so many
/// shops do not retry in step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    /// The first wait.
    pub initial: Duration,
    /// The longest wait.
    pub max: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff {
            initial: Duration::from_secs(1),
            max: Duration::from_secs(60),
        }
    }
}

impl Backoff {
    /// The wait after the `failures`-th failure in a row (1-based), before jitter.
    pub fn base_delay(&self, failures: u32) -> Duration {
        let doublings = failures.saturating_sub(1).min(30);
        self.initial.saturating_mul(1u32 << doublings).min(self.max)
    }

    /// [`Backoff::base_delay`] with ±20 % jitter, never above `max`.
    pub fn delay(&self, failures: u32) -> Duration {
        let base = self.base_delay(failures);
        let factor = rand::random::<f64>() * 0.4 + 0.8;
        base.mul_f64(factor).min(self.max)
    }
}

/// The supervisor's handle. Dropping it stops the tunnel.
#[derive(Debug)]
pub struct Tunnel {
    options: watch::Sender<Option<TunnelOptions>>,
    status: watch::Receiver<TunnelStatus>,
    stop: CancellationToken,
}

impl Drop for Tunnel {
    fn drop(&mut self) {
        self.stop.cancel();
    }
}

impl Tunnel {
    /// Starts the supervisor (on the current Tokio runtime), off until [`Tunnel::configure`].
    pub fn spawn(connector: Arc<dyn Connector>, backoff: Backoff) -> Tunnel {
        let (options, options_rx) = watch::channel(None);
        let (status_tx, status) = watch::channel(TunnelStatus::Off);
        let stop = CancellationToken::new();
        tokio::spawn(supervise(
            connector,
            backoff,
            options_rx,
            status_tx,
            stop.clone(),
        ));
        Tunnel {
            options,
            status,
            stop,
        }
    }

    /// Opens (or re-opens, when they changed) the tunnel with these options; `None` closes
    /// it. The same options again change nothing.
    pub fn configure(&self, options: Option<TunnelOptions>) {
        self.options.send_if_modified(|current| {
            if *current == options {
                false
            } else {
                *current = options;
                true
            }
        });
    }

    /// The live status.
    pub fn status(&self) -> watch::Receiver<TunnelStatus> {
        self.status.clone()
    }

    /// Closes the tunnel and stops the supervisor.
    pub fn stop(&self) {
        self.stop.cancel();
    }
}

/// What ended one online session or one wait.
enum Next {
    /// Options changed: start over at once.
    Reconfigured,
    /// The session ended or the try failed: back off.
    Retry,
    /// Stop for good.
    Stop,
}

async fn supervise(
    connector: Arc<dyn Connector>,
    backoff: Backoff,
    mut options_rx: watch::Receiver<Option<TunnelOptions>>,
    status: watch::Sender<TunnelStatus>,
    stop: CancellationToken,
) {
    let mut failures: u32 = 0;
    loop {
        let options = options_rx.borrow_and_update().clone();
        let Some(options) = options else {
            status.send_replace(TunnelStatus::Off);
            failures = 0;
            tokio::select! {
                _ = stop.cancelled() => break,
                changed = options_rx.changed() => {
                    if changed.is_err() { break; }
                    continue;
                }
            }
        };
        status.send_replace(TunnelStatus::Connecting {
            attempt: failures + 1,
        });
        let attempt = tokio::select! {
            _ = stop.cancelled() => break,
            changed = options_rx.changed() => {
                if changed.is_err() { break; }
                failures = 0;
                continue;
            }
            result = connector.connect(&options) => result,
        };
        let outcome = match attempt {
            Ok(endpoint) => {
                failures = 0;
                tracing::info!(url = %endpoint.url, "the tunnel is online");
                status.send_replace(TunnelStatus::Online {
                    url: endpoint.url.clone(),
                });
                let next = serve(endpoint, options.forward_to, &mut options_rx, &stop).await;
                if matches!(next, Next::Retry) {
                    tracing::warn!("the tunnel's session ended; connecting again");
                }
                match next {
                    Next::Retry => Err(ConnectFailure::new(
                        "ngrok_dropped",
                        "the connection to ngrok dropped (internet trouble?); connecting again",
                    )),
                    other => Ok(other),
                }
            }
            Err(failure) => Err(failure),
        };
        match outcome {
            Ok(Next::Stop) => break,
            Ok(Next::Reconfigured) => {
                failures = 0;
                continue;
            }
            Ok(Next::Retry) | Err(_) => {}
        }
        let failure = match outcome {
            Err(f) => f,
            Ok(_) => ConnectFailure::new("ngrok_dropped", "the connection to ngrok dropped"),
        };
        let message = failure.message;
        failures = failures.saturating_add(1);
        let wait = backoff.delay(failures);
        tracing::warn!(%message, wait_ms = wait.as_millis() as u64, "the tunnel is not online");
        status.send_replace(TunnelStatus::Failed {
            message,
            code: failure.code.to_string(),
            params: failure.params,
            retry_in_secs: wait.as_secs_f64().ceil() as u64,
        });
        tokio::select! {
            _ = stop.cancelled() => break,
            changed = options_rx.changed() => {
                if changed.is_err() { break; }
                failures = 0;
            }
            _ = tokio::time::sleep(wait) => {}
        }
    }
    status.send_replace(TunnelStatus::Off);
}

/// Forwards the endpoint's connections until it closes, the options change or the
/// supervisor stops.
async fn serve(
    mut endpoint: Endpoint,
    forward_to: SocketAddr,
    options_rx: &mut watch::Receiver<Option<TunnelOptions>>,
    stop: &CancellationToken,
) -> Next {
    let connections = tokio_util::task::TaskTracker::new();
    let stop_connections = stop.child_token();
    let next = loop {
        tokio::select! {
            _ = stop.cancelled() => break Next::Stop,
            changed = options_rx.changed() => {
                break if changed.is_err() { Next::Stop } else { Next::Reconfigured };
            }
            incoming = endpoint.incoming.recv() => match incoming {
                Some(io) => {
                    let stop = stop_connections.clone();
                    connections.spawn(async move {
                        tokio::select! {
                            _ = stop.cancelled() => {}
                            _ = forward(io, forward_to) => {}
                        }
                    });
                }
                None => break Next::Retry,
            },
        }
    };
    // A new session (or none) replaces this one: its connections end with it.
    stop_connections.cancel();
    connections.close();
    next
}

/// Copies one connection to the local public router and back.
async fn forward(mut io: Box<dyn Io>, to: SocketAddr) {
    let mut local = match tokio::net::TcpStream::connect(to).await {
        Ok(s) => s,
        Err(e) => {
            tracing::error!(error = %e, %to, "the tunnel could not reach the local public router");
            return;
        }
    };
    let _ = local.set_nodelay(true);
    if let Err(e) = tokio::io::copy_bidirectional(&mut io, &mut local).await {
        tracing::debug!(error = %e, "a tunnelled connection ended with an error");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_one_second_to_a_minute() {
        let b = Backoff::default();
        let secs: Vec<u64> = (1..=9).map(|n| b.base_delay(n).as_secs()).collect();
        assert_eq!(secs, [1, 2, 4, 8, 16, 32, 60, 60, 60]);
        assert_eq!(b.base_delay(u32::MAX), Duration::from_secs(60));
    }

    #[test]
    fn jitter_stays_within_twenty_percent_and_under_the_cap() {
        let b = Backoff::default();
        let mut seen = std::collections::HashSet::new();
        for _ in 0..200 {
            let d = b.delay(3);
            assert!(d >= Duration::from_millis(3200) && d <= Duration::from_millis(4800));
            seen.insert(d.as_millis());
            assert!(b.delay(20) <= Duration::from_secs(60));
        }
        assert!(seen.len() > 10, "jitter varies the wait");
    }

    #[test]
    fn status_serialises_with_a_state_tag_and_the_token_never_prints() {
        let s = serde_json::json!(TunnelStatus::Failed {
            message: "m".into(),
            code: "ngrok_refused".into(),
            params: BTreeMap::from([("detail".to_string(), "d".to_string())]),
            retry_in_secs: 4
        });
        assert_eq!(
            s,
            serde_json::json!({"state": "failed", "message": "m", "code": "ngrok_refused",
                "params": {"detail": "d"}, "retry_in_secs": 4})
        );
        assert_eq!(
            serde_json::json!(TunnelStatus::Off),
            serde_json::json!({"state": "off"})
        );
        let opts = TunnelOptions {
            authtoken: Authtoken::new("2abcSECRET"),
            domain: None,
            forward_to: SocketAddr::from(([127, 0, 0, 1], 1)),
        };
        assert!(!format!("{opts:?}").contains("SECRET"));
    }
}
