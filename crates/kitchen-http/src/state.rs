//! What every request handler can reach: [`AppState`], built by the composition root
//! (kitchen-server's `Application`) and cloned into each request.

use crate::tunnel::TunnelHandle;
use kitchen_core::auth::{Credentials, LiveSessions, LoginLimiter, LoginLinks, PairingCodes};
use kitchen_core::secret_store::SecretStore;
use kitchen_core::{BusinessDay, EventBus, OrderService, SettingsService, SharedClock};
use kitchen_phone::CallService;
use kitchen_store::Store;
use std::sync::Arc;
use std::time::Instant;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

/// Everything a request handler can reach. Cheap to clone.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The database.
    pub store: Store,
    /// Creates and moves orders; publishes events.
    pub orders: OrderService,
    /// Live events.
    pub bus: EventBus,
    /// "Now".
    pub clock: SharedClock,
    /// The shop's day.
    pub business_day: BusinessDay,
    /// The staff account.
    pub credentials: Arc<Credentials>,
    /// Failed-login limits.
    pub limiter: LoginLimiter,
    /// Cancelled when the server shuts down: live connections close.
    pub shutdown: CancellationToken,
    /// The phone side (public router, calls in progress).
    pub calls: CallService,
    /// Live event streams, awaited (briefly) at shutdown so each gets its Close frame.
    pub live_connections: TaskTracker,
    /// When the server started.
    pub started: Instant,
    /// The optional PostgreSQL sync's state.
    pub sync: kitchen_sync::SyncHandle,
    /// Where the OpenAI key, Twilio token and ngrok token are kept.
    pub secrets: Arc<dyn SecretStore>,
    /// The shop's settings: the one writer, and the settings in effect.
    pub settings: SettingsService,
    /// The app's own ngrok tunnel's status.
    pub tunnel: TunnelHandle,
    /// One-time sign-in links for the desktop window.
    pub login_links: LoginLinks,
    /// The `Host` names the kitchen router answers (and the `Origin`s `/api/events`
    /// accepts); any other gets 421.
    pub hosts: crate::hosts::AllowedHosts,
    /// Demo mode (`melt8 serve --demo`): the demo-only routes are served.
    pub demo: bool,
    /// Each session's open event streams, closed when the session ends.
    pub live_sessions: LiveSessions,
    /// One-time codes that pair a kitchen tablet.
    pub pairing: PairingCodes,
    /// The print queue and the printers' workers.
    pub printing: kitchen_core::printing::PrintService,
}
