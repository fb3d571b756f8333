//! The real [`Connector`]: an ngrok agent session (crate `ngrok`) with one HTTP endpoint.
//!
//! The crate reconnects a dropped session by itself; here its reconnect is cancelled so
//! the [`crate::Tunnel`] supervisor owns retries, backoff and the status the owner sees.

use crate::{ConnectFailure, ConnectFuture, Connector, Endpoint, Io, TunnelOptions};
use futures_util::StreamExt;
use ngrok::Error as _;
use ngrok::config::TunnelBuilder;
use ngrok::session::ConnectError;
use ngrok::tunnel::EndpointInfo;
use std::sync::Arc;
use tokio::sync::mpsc;

/// ngrok's agent ingress (the crate's default too).
pub const NGROK_SERVER_ADDR: &str = "connect.ngrok-agent.com:443";

/// Opens endpoints on ngrok's service.
#[derive(Debug, Clone)]
pub struct NgrokConnector {
    server_addr: String,
}

impl Default for NgrokConnector {
    fn default() -> Self {
        NgrokConnector {
            server_addr: NGROK_SERVER_ADDR.to_string(),
        }
    }
}

impl NgrokConnector {
    /// Talks to `server_addr` (`host:port`) instead of ngrok's own ingress.
    pub fn with_server_addr(server_addr: impl Into<String>) -> Self {
        NgrokConnector {
            server_addr: server_addr.into(),
        }
    }

    /// ngrok's ingress, or `NGROK_SERVER_ADDR` from the environment when set.
    pub fn from_env() -> Self {
        match std::env::var("NGROK_SERVER_ADDR") {
            Ok(addr) if !addr.trim().is_empty() => Self::with_server_addr(addr.trim()),
            _ => Self::default(),
        }
    }

    /// The ingress address in use.
    pub fn server_addr(&self) -> &str {
        &self.server_addr
    }
}

impl Connector for NgrokConnector {
    fn connect(&self, options: &TunnelOptions) -> ConnectFuture {
        let server_addr = self.server_addr.clone();
        let options = options.clone();
        Box::pin(async move { open(&server_addr, &options).await })
    }
}

async fn open(server_addr: &str, options: &TunnelOptions) -> Result<Endpoint, ConnectFailure> {
    let mut builder = ngrok::Session::builder();
    builder
        .authtoken(options.authtoken.expose())
        .metadata("Melt 8 Kitchen")
        .server_addr(server_addr)
        .map_err(|_| {
            ConnectFailure(format!(
                "the ngrok server address \"{server_addr}\" is not valid: use host:port"
            ))
        })?;
    // The first connect uses ngrok's own dialer; a reconnect after a drop is refused so
    // the session ends and the supervisor reconnects with its own backoff.
    builder.connector(
        |host: String,
         port: u16,
         tls: Arc<rustls::ClientConfig>,
         err: Option<ngrok::tunnel::AcceptError>| async move {
            match err {
                Some(_) => Err(ConnectError::Canceled),
                None => ngrok::session::default_connect(host, port, tls, None).await,
            }
        },
    );
    let session = builder
        .connect()
        .await
        .map_err(|e| ConnectFailure(session_failure(server_addr, &e)))?;
    let mut endpoint = session.http_endpoint();
    if let Some(domain) = &options.domain {
        endpoint.domain(domain.clone());
    }
    let mut tunnel = endpoint
        .listen()
        .await
        .map_err(|e| ConnectFailure(endpoint_failure(options.domain.as_deref(), &e)))?;
    let url = tunnel.url().to_string();
    let (tx, incoming) = mpsc::channel::<Box<dyn Io>>(64);
    tokio::spawn(async move {
        // Holding the session keeps it open; it closes when this task ends.
        let _session = session;
        loop {
            tokio::select! {
                _ = tx.closed() => break,
                next = tunnel.next() => match next {
                    Some(Ok(conn)) => {
                        if tx.send(Box::new(conn)).await.is_err() {
                            break;
                        }
                    }
                    Some(Err(e)) => {
                        tracing::warn!(error = %e, "the ngrok session ended");
                        break;
                    }
                    None => break,
                },
            }
        }
    });
    Ok(Endpoint { url, incoming })
}

/// A failed session start in plain words.
pub(crate) fn session_failure(server_addr: &str, e: &ConnectError) -> String {
    match e {
        ConnectError::Tcp(_) | ConnectError::ProxyConnect(_) => format!(
            "could not reach ngrok at {server_addr}: check the internet connection (and that no firewall blocks it)"
        ),
        ConnectError::Tls(_) => format!(
            "could not talk securely to ngrok at {server_addr}: the connection may be intercepted by a firewall or proxy"
        ),
        ConnectError::Auth(err) => auth_failure(err.error_code(), &err.msg()),
        ConnectError::Start(_) | ConnectError::Rebind(_) | ConnectError::Canceled => {
            format!("ngrok closed the connection while starting: {}", e.msg())
        }
        _ => format!("ngrok did not start: {}", e.msg()),
    }
}

fn auth_failure(code: Option<&str>, msg: &str) -> String {
    match code {
        Some("ERR_NGROK_105") | Some("ERR_NGROK_106") | Some("ERR_NGROK_107") => {
            "ngrok refused the authtoken: copy it again from dashboard.ngrok.com (Your Authtoken)"
                .to_string()
        }
        Some("ERR_NGROK_108") => {
            "your ngrok account already has an agent online (free accounts allow one): close the other ngrok program, or wait a minute".to_string()
        }
        _ if msg.to_ascii_lowercase().contains("authtoken") => {
            "ngrok refused the authtoken: copy it again from dashboard.ngrok.com (Your Authtoken)"
                .to_string()
        }
        _ => format!("ngrok refused the connection: {}", first_line(msg)),
    }
}

/// A failed endpoint in plain words.
fn endpoint_failure(domain: Option<&str>, e: &ngrok::session::RpcError) -> String {
    let msg = e.msg();
    match domain {
        Some(d) => format!(
            "ngrok would not open {d}: check that this domain is reserved in your ngrok account (dashboard.ngrok.com → Domains). ngrok said: {}",
            first_line(&msg)
        ),
        None => format!(
            "ngrok would not open a public address: {}",
            first_line(&msg)
        ),
    }
}

fn first_line(s: &str) -> &str {
    s.lines().find(|l| !l.trim().is_empty()).unwrap_or(s).trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auth_errors_tell_the_owner_what_to_do() {
        assert!(
            auth_failure(
                Some("ERR_NGROK_105"),
                "The authtoken you specified does not look like a proper ngrok tunnel authtoken."
            )
            .contains("copy it again from dashboard.ngrok.com")
        );
        assert!(auth_failure(None, "bad authtoken").contains("copy it again"));
        assert!(auth_failure(Some("ERR_NGROK_108"), "x").contains("already has an agent online"));
        assert_eq!(
            auth_failure(Some("ERR_NGROK_999"), "\nsomething else\nERR_NGROK_999"),
            "ngrok refused the connection: something else"
        );
    }

    #[test]
    fn server_address_comes_from_the_environment_or_defaults_to_ngrok() {
        assert_eq!(NgrokConnector::default().server_addr(), NGROK_SERVER_ADDR);
        assert_eq!(
            NgrokConnector::with_server_addr("127.0.0.1:9").server_addr(),
            "127.0.0.1:9"
        );
    }
}
