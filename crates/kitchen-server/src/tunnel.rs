//! The app's own ngrok tunnel (crate `kitchen-tunnel`) wired to the phone side.
//!
//! With an ngrok authtoken (`NGROK_AUTHTOKEN` or the dashboard setting) the server opens
//! an endpoint that forwards to the public (Twilio) router only — never the kitchen router —
//! and re-opens it when the token or the reserved domain changes. While the tunnel is
//! online its URL is the public base URL (stream URLs, signature checks); without a token,
//! `PUBLIC_BASE_URL` works as before. Every change is published as `tunnel.changed`.

use kitchen_core::EventBus;
use kitchen_http::tunnel::tunnel_dto;
use kitchen_phone::CallService;
use kitchen_tunnel::{Authtoken, Backoff, Connector, Tunnel, TunnelOptions, TunnelStatus};
use kitchen_wire::KitchenEvent;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

/// The connector the server opens its tunnel with (the real ngrok one unless a test or
/// the demo swaps it).
#[derive(Clone)]
pub struct TunnelConnector(pub Arc<dyn Connector>);

impl std::fmt::Debug for TunnelConnector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TunnelConnector")
    }
}

impl Default for TunnelConnector {
    fn default() -> Self {
        TunnelConnector(Arc::new(kitchen_tunnel::NgrokConnector::from_env()))
    }
}

/// What the tunnel should be given the phone configuration now.
fn options(calls: &CallService, forward_to: SocketAddr) -> Option<TunnelOptions> {
    let cfg = calls.config();
    let token = cfg.ngrok_authtoken.as_ref()?;
    Some(TunnelOptions {
        authtoken: Authtoken::new(token.expose()),
        domain: cfg.ngrok_domain.clone(),
        forward_to,
    })
}

/// Runs the tunnel until `shutdown`: follows the configuration, mirrors the status into
/// `status`, the phone side's public URL and the event bus.
pub(crate) async fn run(
    calls: CallService,
    bus: EventBus,
    connector: TunnelConnector,
    forward_to: SocketAddr,
    status: watch::Sender<TunnelStatus>,
    shutdown: CancellationToken,
) {
    let tunnel = Tunnel::spawn(connector.0, Backoff::default());
    let mut inner = tunnel.status();
    let mut changes = calls.config_changes();
    loop {
        tunnel.configure(options(&calls, forward_to));
        tokio::select! {
            _ = shutdown.cancelled() => break,
            changed = changes.changed() => {
                if changed.is_err() { break; }
            }
            changed = inner.changed() => {
                if changed.is_err() { break; }
                let now = inner.borrow_and_update().clone();
                calls.set_tunnel_url(now.url().map(str::to_string));
                if let TunnelStatus::Online { url } = &now {
                    tracing::info!(%url, "Twilio can reach this shop at {url}/incoming-call");
                }
                bus.publish(KitchenEvent::TunnelChanged { tunnel: tunnel_dto(&now) });
                status.send_replace(now);
            }
        }
    }
    tunnel.stop();
    calls.set_tunnel_url(None);
    status.send_replace(TunnelStatus::Off);
}
