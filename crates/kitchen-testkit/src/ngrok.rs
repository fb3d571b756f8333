//! [`FakeNgrok`]: a local stand-in for ngrok's service behind the tunnel's
//! [`kitchen_tunnel::Connector`] trait.
//!
//! It listens on a real local TCP port, its "edge": every connection made to the edge is
//! handed, as a real TCP stream, to the endpoint currently open (like ngrok hands the
//! agent each connection from the internet). With no endpoint open, the edge answers
//! `404` with ngrok's `ERR_NGROK_3200` ("endpoint offline"). Endpoints get a public URL
//! like ngrok's: `https://<domain>` for a reserved domain, else a random
//! `https://<words>.ngrok-free.app`. Tests can refuse tokens, fail the next tries with a
//! message, and drop the live session to exercise reconnects.

use kitchen_tunnel::{ConnectFailure, ConnectFuture, Connector, Endpoint, Io, TunnelOptions};
use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::{mpsc, watch};
use tokio::task::AbortHandle;

/// What ngrok's agent hears when it sends an unknown token (ngrok's ERR_NGROK_105, in the
/// words the real connector uses).
pub const REFUSED_TOKEN: &str =
    "ngrok refused the authtoken: copy it again from dashboard.ngrok.com (Your Authtoken)";

#[derive(Debug, Default)]
struct State {
    valid_token: String,
    current: Option<mpsc::Sender<Box<dyn Io>>>,
    fail_next: VecDeque<String>,
    attempts: Vec<ConnectAttempt>,
    sessions: u32,
}

/// One try to open an endpoint, as the fake saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectAttempt {
    /// The reserved domain asked for.
    pub domain: Option<String>,
    /// Whether the token was the valid one.
    pub token_ok: bool,
    /// Where the agent forwards to.
    pub forward_to: SocketAddr,
}

/// The fake service. Dropping it stops the edge.
#[derive(Debug, Clone)]
pub struct FakeNgrok {
    state: Arc<Mutex<State>>,
    edge: SocketAddr,
    changed: watch::Sender<u32>,
    _edge_task: Arc<AbortOnDrop>,
}

#[derive(Debug)]
struct AbortOnDrop(AbortHandle);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl FakeNgrok {
    /// Starts the edge on a free local port; `valid_token` is the only token accepted.
    pub async fn start(valid_token: &str) -> anyhow::Result<FakeNgrok> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let edge = listener.local_addr()?;
        let state = Arc::new(Mutex::new(State {
            valid_token: valid_token.to_string(),
            ..State::default()
        }));
        let accept_state = state.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((tcp, _)) = listener.accept().await else {
                    continue;
                };
                let current = lock(&accept_state).current.clone();
                let delivered = match current {
                    Some(tx) => tx.send(Box::new(tcp) as Box<dyn Io>).await.map_err(|e| e.0),
                    None => Err(Box::new(tcp) as Box<dyn Io>),
                };
                if let Err(mut io) = delivered {
                    // Read the request head first, as an HTTP server does.
                    let mut head = Vec::new();
                    let mut buf = [0u8; 1024];
                    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 16 * 1024 {
                        match io.read(&mut buf).await {
                            Ok(0) | Err(_) => break,
                            Ok(n) => head.extend_from_slice(&buf[..n]),
                        }
                    }
                    let body = "The endpoint is offline. ERR_NGROK_3200";
                    let response = format!(
                        "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nNgrok-Error-Code: ERR_NGROK_3200\r\nConnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = io.write_all(response.as_bytes()).await;
                    let _ = io.shutdown().await;
                }
            }
        });
        Ok(FakeNgrok {
            state,
            edge,
            changed: watch::channel(0).0,
            _edge_task: Arc::new(AbortOnDrop(task.abort_handle())),
        })
    }

    /// The connector to give the tunnel.
    pub fn connector(&self) -> Arc<dyn Connector> {
        Arc::new(self.clone())
    }

    /// The edge's local address: what "the internet" connects to.
    pub fn edge_addr(&self) -> SocketAddr {
        self.edge
    }

    /// `http://127.0.0.1:<edge port>`.
    pub fn edge_url(&self) -> String {
        format!("http://{}", self.edge)
    }

    /// The next `n` tries fail with `message` (like a network outage would).
    pub fn fail_next(&self, n: usize, message: &str) {
        let mut s = lock(&self.state);
        for _ in 0..n {
            s.fail_next.push_back(message.to_string());
        }
    }

    /// Ends the live session, as when ngrok drops the agent.
    pub fn drop_session(&self) {
        lock(&self.state).current = None;
    }

    /// Every try so far.
    pub fn attempts(&self) -> Vec<ConnectAttempt> {
        lock(&self.state).attempts.clone()
    }

    /// How many endpoints were opened.
    pub fn sessions(&self) -> u32 {
        lock(&self.state).sessions
    }

    /// Waits until at least `n` tries were made.
    pub async fn wait_for_attempts(
        &self,
        n: usize,
        within: std::time::Duration,
    ) -> anyhow::Result<()> {
        let mut rx = self.changed.subscribe();
        tokio::time::timeout(within, async {
            loop {
                if lock(&self.state).attempts.len() >= n {
                    return;
                }
                if rx.changed().await.is_err() {
                    return;
                }
            }
        })
        .await
        .map_err(|_| anyhow::anyhow!("fewer than {n} tunnel tries within {within:?}"))
    }
}

impl Connector for FakeNgrok {
    fn connect(&self, options: &TunnelOptions) -> ConnectFuture {
        let result = {
            let mut s = lock(&self.state);
            let token_ok = options.authtoken.expose() == s.valid_token;
            s.attempts.push(ConnectAttempt {
                domain: options.domain.clone(),
                token_ok,
                forward_to: options.forward_to,
            });
            if let Some(message) = s.fail_next.pop_front() {
                Err(ConnectFailure::other(message))
            } else if !token_ok {
                Err(ConnectFailure::new("ngrok_refused_token", REFUSED_TOKEN))
            } else {
                s.sessions += 1;
                let url = match &options.domain {
                    Some(d) => format!("https://{d}"),
                    None => format!(
                        "https://{:08x}-{}.ngrok-free.app",
                        rand::random::<u32>(),
                        s.sessions
                    ),
                };
                let (tx, incoming) = mpsc::channel(64);
                s.current = Some(tx);
                Ok(Endpoint { url, incoming })
            }
        };
        self.changed.send_modify(|n| *n += 1);
        Box::pin(async move { result })
    }
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    match state.lock() {
        Ok(g) => g,
        Err(poisoned) => poisoned.into_inner(),
    }
}
