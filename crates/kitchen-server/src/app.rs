//! Building and running the server: [`Application::build`] opens the store, sets up the
//! password, binds the listener; [`Application::run_until_stopped`] serves until told to
//! stop, then closes live connections cleanly.

use crate::config::Config;
use anyhow::Context;
use kitchen_core::auth::{
    Credentials, LiveSessions, LoginLimiter, LoginLinks, PairingCodes, PasswordSetup,
    ensure_password,
};
use kitchen_core::{
    EventBus, OrderService, SettingsService, SharedClock, SystemClock, data_safety, settings,
};
use kitchen_domain::Menu;
use kitchen_http::AppState;
use kitchen_http::tunnel::TunnelHandle;
use kitchen_phone::CallService;
use kitchen_phone::service::Followed;
use kitchen_store::backup::DataDirLock;
use kitchen_store::{Store, StoreOptions};
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

/// How long shutdown waits for live event streams to say goodbye.
const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(3);

/// A built server, bound to its port, not yet serving.
#[derive(Debug)]
pub struct Application {
    listener: TcpListener,
    public_listener: TcpListener,
    state: AppState,
    port: u16,
    password: PasswordSetup,
    /// Held while the server lives: `melt8 restore` refuses while it is.
    data_lock: DataDirLock,
    sync_worker: Option<kitchen_sync::SyncWorker>,
    backup_dir: Option<std::path::PathBuf>,
    tunnel_status: tokio::sync::watch::Sender<kitchen_tunnel::TunnelStatus>,
    /// The tunnel's public URL while it is online; the phone side follows it.
    public_url: watch::Sender<Option<String>>,
    tunnel_connector: crate::tunnel::TunnelConnector,
    limits: crate::config::ServerLimits,
}

impl Application {
    /// Builds the server from a configuration, with the system clock.
    pub async fn build(config: Config) -> anyhow::Result<Application> {
        Self::build_with_clock(config, Arc::new(SystemClock)).await
    }

    /// Builds the server with a given clock (tests fix the time).
    pub async fn build_with_clock(
        config: Config,
        clock: SharedClock,
    ) -> anyhow::Result<Application> {
        let data_lock = DataDirLock::shared(&config.data_dir)?;
        let db_path = config.database_path();
        let options = StoreOptions {
            busy_timeout: config.busy_timeout,
            ..StoreOptions::default()
        };
        let store = {
            let db_path = db_path.clone();
            tokio::task::spawn_blocking(move || Store::open(&db_path, &options))
                .await
                .context("opening the database")??
        };
        if store
            .seed_menu_if_empty(Menu::default_menu())
            .await
            .context("storing the default menu")?
        {
            tracing::info!(
                "this is a new shop: stored the default menu; edit it with PUT /api/menu"
            );
        }
        let (hash, password) = ensure_password(&store, config.chef_password.as_ref())
            .await
            .context("setting up the chef password")?;
        let now = {
            let clock = clock.clone();
            Arc::new(move || clock.now())
        };
        let (sync, sync_worker) = kitchen_sync::setup(&store, &config.sync, now)
            .await
            .context("setting up the PostgreSQL sync")?;
        let bus = EventBus::default();
        let secrets = config.secret_store.clone();
        settings::move_secrets_out_of_sqlite(&store, &secrets)
            .await
            .context("moving secrets from the database into the secret store")?;
        let settings = SettingsService::load(
            store.clone(),
            secrets.clone(),
            config.settings.clone(),
            bus.clone(),
        )
        .await
        .context("reading the shop's settings")?;
        let orders = OrderService::new(
            store.clone(),
            bus.clone(),
            clock.clone(),
            config.business_day,
            settings.subscribe(),
        );
        if settings.current().answering_paused {
            tracing::warn!(
                "AI answering is paused: calls go to the shop's phone until it is resumed"
            );
        }
        let live_connections = TaskTracker::new();
        let shutdown = CancellationToken::new();
        let (public_url, tunnel_url) = watch::channel(None);
        let calls = CallService::new(
            config.phone.clone(),
            Followed {
                settings: settings.subscribe(),
                tunnel_url,
            },
            Arc::new(crate::phone_link::PhoneKitchen::new(
                store.clone(),
                orders.clone(),
            )),
            bus.clone(),
            clock.clone(),
            live_connections.clone(),
            shutdown.clone(),
        );
        let printing =
            kitchen_core::printing::PrintService::start(kitchen_core::printing::PrintSetup {
                store: store.clone(),
                bus: bus.clone(),
                clock: clock.clone(),
                utc_offset: config.business_day.utc_offset,
                settings: settings.subscribe(),
                spooler: config.spooler.clone(),
                shutdown: shutdown.clone(),
            });
        let (tunnel, tunnel_status) = TunnelHandle::new();
        let state = AppState {
            orders,
            calls,
            store,
            bus,
            clock,
            business_day: config.business_day,
            credentials: Arc::new(Credentials::new(config.chef_username.clone(), hash)),
            limiter: LoginLimiter::default(),
            shutdown,
            live_connections,
            started: Instant::now(),
            sync,
            secrets,
            settings,
            tunnel,
            login_links: LoginLinks::default(),
            hosts: kitchen_http::AllowedHosts::for_bind(config.bind, &config.allowed_hosts),
            demo: config.demo,
            live_sessions: LiveSessions::default(),
            pairing: PairingCodes::default(),
            printing,
        };
        if !config.bind.is_loopback() {
            tracing::info!(hosts = ?state.hosts.names(), any_lan_address = config.bind.is_unspecified(), "LAN access is on: the kitchen answers these names");
        }
        let addr = SocketAddr::new(config.bind, config.port);
        let listener = TcpListener::bind(addr).await.with_context(|| {
            format!("could not listen on {addr}: is another copy of Melt 8 Kitchen (or another program) using port {}? Choose another with --port", config.port)
        })?;
        let port = listener
            .local_addr()
            .context("reading the bound address")?
            .port();
        let public_addr = SocketAddr::new(config.phone.public_bind, config.phone.public_port);
        let public_listener = TcpListener::bind(public_addr).await.with_context(|| {
            format!("could not listen on {public_addr} for Twilio: choose another port with --public-port")
        })?;
        Ok(Application {
            listener,
            public_listener,
            state,
            port,
            password,
            data_lock,
            sync_worker,
            backup_dir: config
                .daily_backups
                .then(|| data_safety::backup_dir(&config.data_dir)),
            tunnel_status,
            public_url,
            tunnel_connector: crate::tunnel::TunnelConnector::default(),
            limits: config.limits,
        })
    }

    /// Opens the tunnel through another connector (tests and the demo use a local fake
    /// of ngrok; the default is ngrok's service).
    pub fn set_tunnel_connector(
        &mut self,
        connector: std::sync::Arc<dyn kitchen_tunnel::Connector>,
    ) {
        self.tunnel_connector = crate::tunnel::TunnelConnector(connector);
    }

    /// The port the kitchen router listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The address of the public (Twilio) router.
    pub fn public_addr(&self) -> std::io::Result<SocketAddr> {
        self.public_listener.local_addr()
    }

    /// The address the kitchen router listens on.
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// How the chef password was set up; `Generated` carries the one to show the owner.
    pub fn password_setup(&self) -> &PasswordSetup {
        &self.password
    }

    /// The shared state (the desktop shell subscribes to its event bus).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` completes, then closes live event streams and waits for
    /// in-flight requests to finish.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let token = self.state.shutdown.clone();
        let live = self.state.live_connections.clone();
        let _data_lock = self.data_lock;
        let background = data_safety::start(
            self.state.store.clone(),
            &self.state.bus,
            self.state.clock.clone(),
            self.state.sync.clone(),
            self.sync_worker,
            self.backup_dir,
            token.clone(),
        );
        // The tunnel forwards to the public router only: the kitchen router stays local.
        let tunnel_task = match self.public_listener.local_addr() {
            Ok(public_addr) => Some(tokio::spawn(crate::tunnel::run(
                self.state.settings.subscribe(),
                self.state.bus.clone(),
                self.tunnel_connector,
                if public_addr.ip().is_unspecified() {
                    SocketAddr::new(std::net::Ipv4Addr::LOCALHOST.into(), public_addr.port())
                } else {
                    public_addr
                },
                self.tunnel_status,
                self.public_url,
                token.clone(),
            ))),
            Err(e) => {
                tracing::error!(error = %e, "no tunnel: the public router's address is unknown");
                None
            }
        };
        let public = kitchen_phone::routes::router(self.state.calls.clone());
        let public_token = token.clone();
        let public_served = tokio::spawn(crate::serve::serve(
            self.public_listener,
            public,
            self.limits,
            crate::serve::Served {
                name: "public",
                max_connections: self.limits.max_public_connections,
                // Audio frames are small and latency-bound: no Nagle delay on the phone side.
                nodelay: true,
            },
            async move { public_token.cancelled().await },
        ));
        let router = kitchen_http::router(self.state);
        crate::serve::serve(
            self.listener,
            router,
            self.limits,
            crate::serve::Served {
                name: "kitchen",
                max_connections: self.limits.max_kitchen_connections,
                nodelay: false,
            },
            async move {
                shutdown.await;
                token.cancel();
            },
        )
        .await;
        if let Err(e) = public_served.await {
            tracing::error!(error = %e, "the public router task failed");
        }
        if let Some(task) = tunnel_task {
            let _ = tokio::time::timeout(SHUTDOWN_GRACE, task).await;
        }
        for task in background {
            let _ = tokio::time::timeout(SHUTDOWN_GRACE, task).await;
        }
        live.close();
        if tokio::time::timeout(SHUTDOWN_GRACE, live.wait())
            .await
            .is_err()
        {
            tracing::warn!("some live event streams did not close in time");
        }
        Ok(())
    }
}
