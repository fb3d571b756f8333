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
            ConnectFailure::new(
                "ngrok_bad_server_addr",
                format!("the ngrok server address \"{server_addr}\" is not valid: use host:port"),
            )
            .with("server_addr", server_addr)
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
        .map_err(|e| session_failure(server_addr, &e))?;
    let mut endpoint = session.http_endpoint();
    if let Some(domain) = &options.domain {
        endpoint.domain(domain.clone());
    }
    let mut tunnel = endpoint
        .listen()
        .await
        .map_err(|e| endpoint_failure(options.domain.as_deref(), &e))?;
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

/// A failed session start, coded and in plain words.
pub(crate) fn session_failure(server_addr: &str, e: &ConnectError) -> ConnectFailure {
    match e {
        ConnectError::Tcp(_) | ConnectError::ProxyConnect(_) => ConnectFailure::new(
            "ngrok_unreachable",
            format!(
                "could not reach ngrok at {server_addr}: check the internet connection (and that no firewall blocks it)"
            ),
        )
        .with("server_addr", server_addr),
        ConnectError::Tls(_) => ConnectFailure::new(
            "ngrok_tls",
            format!(
                "could not talk securely to ngrok at {server_addr}: the connection may be intercepted by a firewall or proxy"
            ),
        )
        .with("server_addr", server_addr),
        ConnectError::Auth(err) => auth_failure(err.error_code(), &err.msg()),
        ConnectError::Start(_) | ConnectError::Rebind(_) | ConnectError::Canceled => {
            let detail = e.msg();
            ConnectFailure::new(
                "ngrok_closed",
                format!("ngrok closed the connection while starting: {detail}"),
            )
            .with("detail", detail)
        }
        _ => {
            let detail = e.msg();
            ConnectFailure::new("ngrok_not_started", format!("ngrok did not start: {detail}"))
                .with("detail", detail)
        }
    }
}

fn auth_failure(code: Option<&str>, msg: &str) -> ConnectFailure {
    let refused = || {
        ConnectFailure::new(
            "ngrok_refused_token",
            "ngrok refused the authtoken: copy it again from dashboard.ngrok.com (Your Authtoken)",
        )
    };
    match code {
        Some("ERR_NGROK_105") | Some("ERR_NGROK_106") | Some("ERR_NGROK_107") => refused(),
        Some("ERR_NGROK_108") => ConnectFailure::new(
            "ngrok_agent_limit",
            "your ngrok account already has an agent online (free accounts allow one): close the other ngrok program, or wait a minute",
        ),
        _ if msg.to_ascii_lowercase().contains("authtoken") => refused(),
        _ => {
            let detail = first_line(msg);
            ConnectFailure::new(
                "ngrok_refused",
                format!("ngrok refused the connection: {detail}"),
            )
            .with("detail", detail)
        }
    }
}

/// A failed endpoint, coded and in plain words.
fn endpoint_failure(domain: Option<&str>, e: &ngrok::session::RpcError) -> ConnectFailure {
    let msg = e.msg();
    let detail = first_line(&msg);
    match domain {
        Some(d) => ConnectFailure::new(
            "ngrok_domain_refused",
            format!(
                "ngrok would not open {d}: check that this domain is reserved in your ngrok account (dashboard.ngrok.com → Domains). ngrok said: {detail}"
            ),
        )
        .with("domain", d)
        .with("detail", detail),
        None => ConnectFailure::new(
            "ngrok_endpoint_refused",
            format!("ngrok would not open a public address: {detail}"),
        )
        .with("detail", detail),
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
        let refused = auth_failure(
            Some("ERR_NGROK_105"),
            "The authtoken you specified does not look like a proper ngrok tunnel authtoken.",
        );
        assert!(
            refused
                .message
                .contains("copy it again from dashboard.ngrok.com")
        );
        assert_eq!(refused.code, "ngrok_refused_token");
        assert_eq!(
            auth_failure(None, "bad authtoken").code,
            "ngrok_refused_token"
        );
        let limit = auth_failure(Some("ERR_NGROK_108"), "x");
        assert!(limit.message.contains("already has an agent online"));
        assert_eq!(limit.code, "ngrok_agent_limit");
        let other = auth_failure(Some("ERR_NGROK_999"), "\nsomething else\nERR_NGROK_999");
        assert_eq!(
            other.message,
            "ngrok refused the connection: something else"
        );
        assert_eq!(other.code, "ngrok_refused");
        assert_eq!(
            other.params.get("detail").map(String::as_str),
            Some("something else")
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
