//! The app's own ngrok tunnel (crate `kitchen-tunnel`) wired to the phone side.
//!
//! With an ngrok authtoken (`NGROK_AUTHTOKEN` or the dashboard setting) the server opens
//! an endpoint that forwards to the public (Twilio) router only — never the kitchen router —
//! and re-opens it when the token or the reserved domain changes (it follows the settings
//! service's subscription). While the tunnel is
//! online its URL is the public base URL (stream URLs, signature checks); without a token,
//! `PUBLIC_BASE_URL` works as before. Every change is published as `tunnel.changed`.

use kitchen_core::EventBus;
use kitchen_domain::ShopSettings;
use kitchen_http::tunnel::tunnel_dto;
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

/// What the tunnel should be given the settings now: open with the ngrok token (and the
/// reserved domain, if any), or closed without one.
fn options(settings: &ShopSettings, forward_to: SocketAddr) -> Option<TunnelOptions> {
    let token = settings.ngrok_authtoken.as_ref()?;
    Some(TunnelOptions {
        authtoken: Authtoken::new(token.expose()),
        domain: settings.ngrok_domain.as_ref().map(|d| d.to_string()),
        forward_to,
    })
}

/// Runs the tunnel until `shutdown`: follows the settings (token and domain) through their
/// subscription, and publishes its status into `status`, its public URL into `public_url`
/// (which the phone side follows) and `tunnel.changed` on the event bus. It never writes
/// settings.
pub(crate) async fn run(
    mut settings: watch::Receiver<Arc<ShopSettings>>,
    bus: EventBus,
    connector: TunnelConnector,
    forward_to: SocketAddr,
    status: watch::Sender<TunnelStatus>,
    public_url: watch::Sender<Option<String>>,
    shutdown: CancellationToken,
) {
    let tunnel = Tunnel::spawn(connector.0, Backoff::default());
    let mut inner = tunnel.status();
    loop {
        // The tunnel re-opens only when the options differ (token or domain changed), not
        // on every settings save.
        let next = options(&settings.borrow_and_update(), forward_to);
        tunnel.configure(next);
        tokio::select! {
            _ = shutdown.cancelled() => break,
            changed = settings.changed() => {
                if changed.is_err() { break; }
            }
            changed = inner.changed() => {
                if changed.is_err() { break; }
                let now = inner.borrow_and_update().clone();
                public_url.send_if_modified(|u| {
                    let url = now.url().map(|s| s.trim_end_matches('/').to_string());
                    let changed = *u != url;
                    *u = url;
                    changed
                });
                if let TunnelStatus::Online { url } = &now {
                    tracing::info!(%url, "Twilio can reach this shop at {url}/incoming-call");
                }
                bus.publish(KitchenEvent::TunnelChanged { tunnel: tunnel_dto(&now) });
                status.send_replace(now);
            }
        }
    }
    tunnel.stop();
    public_url.send_replace(None);
    status.send_replace(TunnelStatus::Off);
}
