//! The kitchen server inside the app: started at launch on the OS app-data folder, its
//! dashboard shown in the window, stopped cleanly (database closed, live screens told) by
//! Quit.

use anyhow::Context;
use kitchen_server::config::{Env, Flags};
use kitchen_server::secret_store::{FallbackSecretStore, FileSecretStore};
use kitchen_server::{AppState, Application, Config};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tauri::async_runtime::JoinHandle;
use tauri::{AppHandle, Manager, WebviewUrl, WebviewWindowBuilder};
use tokio::sync::oneshot;

/// The window's label.
pub const WINDOW: &str = "main";
/// How long Quit waits for the server to finish what it is doing.
const STOP_GRACE: Duration = Duration::from_secs(15);

/// The running server, managed by Tauri.
#[derive(Debug)]
pub struct Running {
    /// The server's shared state: its event bus, calls, store.
    pub state: AppState,
    stop: Mutex<Option<oneshot::Sender<()>>>,
    served: Mutex<Option<JoinHandle<anyhow::Result<()>>>>,
    quitting: AtomicBool,
}

/// Starts the server, opens the window on the dashboard (signed in), and sets up the tray
/// and alerts. When the server cannot start, the window says why instead.
pub fn start(app: &AppHandle, minimized: bool) -> anyhow::Result<()> {
    let built = data_dir(app).and_then(|dir| {
        tracing::info!(data = %dir.display(), "starting the kitchen server");
        let config = config(&dir)?;
        tauri::async_runtime::block_on(Application::build(config))
    });
    let application = match built {
        Ok(a) => a,
        Err(e) => {
            tracing::error!(
                error = format!("{e:#}"),
                "the kitchen server could not start"
            );
            show_error(app, &format!("{e:#}"))?;
            return Ok(());
        }
    };
    let state = application.state().clone();
    let port = application.port();
    let base_url = format!("http://127.0.0.1:{port}");
    tracing::info!(%base_url, "kitchen server ready; dashboard at {base_url}/chef-dashboard");
    let (stop_tx, stop_rx) = oneshot::channel::<()>();
    let served = tauri::async_runtime::spawn(application.run_until_stopped(async move {
        let _ = stop_rx.await;
    }));
    app.manage(Running {
        state: state.clone(),
        stop: Mutex::new(Some(stop_tx)),
        served: Mutex::new(Some(served)),
        quitting: AtomicBool::new(false),
    });

    // The owner's own window opens signed in (the chef password is for the tablets).
    let link = state.login_links.mint(Instant::now());
    let url = format!("{base_url}/api/login-link?token={}", link.expose());
    WebviewWindowBuilder::new(app, WINDOW, WebviewUrl::External(url.parse()?))
        .title("Melt 8 Kitchen")
        .inner_size(1280.0, 800.0)
        .min_inner_size(720.0, 520.0)
        .visible(!minimized)
        // The dashboard leaves the new-order sound to the app (see `alerts`).
        .initialization_script("window.melt8Desktop = true;")
        .build()
        .context("opening the window")?;

    crate::tray::install(app, &state)?;
    crate::alerts::start(app, &state);
    follow_settings(app, &state);
    quit_on_signals(app);
    Ok(())
}

/// Follows the settings in effect through the settings service's subscription (no
/// polling): the app starts at login once setup is done, unless the owner turned it off in
/// Settings; the tray's AI line follows "AI answering paused" and whether a key is set.
fn follow_settings(app: &AppHandle, state: &AppState) {
    use kitchen_desktop::login_start::LoginStart;
    use tauri_plugin_autostart::ManagerExt;
    let mut settings = state.settings.subscribe();
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let mut login_start = LoginStart::new();
        loop {
            let now = settings.borrow_and_update().clone();
            crate::tray::update(&app, |tray| tray.follow_settings(&now));
            // Told once per change of the wanted state: no repeated warnings.
            if let Some(wanted) = login_start.follow(&now) {
                let launcher = app.autolaunch();
                let result = if wanted {
                    launcher.enable()
                } else if launcher.is_enabled().unwrap_or(false) {
                    launcher.disable()
                } else {
                    Ok(())
                };
                match result {
                    Ok(()) => tracing::info!(start_at_login = wanted, "login start set"),
                    Err(e) => tracing::warn!(error = %e, "could not set start at login"),
                }
            }
            if settings.changed().await.is_err() {
                break;
            }
        }
    });
}

/// Stops the server (finishing requests, closing the database) and then the app. Quitting
/// twice is harmless.
pub fn quit(app: &AppHandle) {
    let Some(running) = crate::running(app) else {
        app.exit(0);
        return;
    };
    if running.quitting.swap(true, Ordering::SeqCst) {
        return;
    }
    if let Some(w) = app.get_webview_window(WINDOW) {
        let _ = w.hide();
    }
    let stop = take(&running.stop);
    let served = take(&running.served);
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        if let Some(stop) = stop {
            let _ = stop.send(());
        }
        if let Some(served) = served {
            match tokio::time::timeout(STOP_GRACE, served).await {
                Ok(Ok(Ok(()))) => tracing::info!("the kitchen server stopped cleanly"),
                Ok(Ok(Err(e))) => tracing::error!(error = format!("{e:#}"), "the server failed"),
                Ok(Err(e)) => tracing::error!(error = %e, "the server task failed"),
                Err(_) => tracing::warn!("the server did not stop within {STOP_GRACE:?}"),
            }
        }
        app.exit(0);
    });
}

/// Whether Quit has begun (the app may then end).
pub fn quitting(app: &AppHandle) -> bool {
    crate::running(app).is_none_or(|r| r.quitting.load(Ordering::SeqCst))
}

/// Shows, un-minimises and focuses the window.
pub fn show_window(app: &AppHandle) {
    if let Some(w) = app.get_webview_window(WINDOW) {
        let shown = w
            .show()
            .and_then(|()| w.unminimize())
            .and_then(|()| w.set_focus());
        if let Err(e) = shown {
            tracing::warn!(error = %e, "could not show the window");
        }
    }
}

fn take<T>(slot: &Mutex<Option<T>>) -> Option<T> {
    slot.lock().unwrap_or_else(|e| e.into_inner()).take()
}

/// `MELT8_DATA_DIR`, else the OS app-data folder (the one `melt8 serve` uses too).
fn data_dir(app: &AppHandle) -> anyhow::Result<PathBuf> {
    match std::env::var_os("MELT8_DATA_DIR").filter(|d| !d.is_empty()) {
        Some(dir) => Ok(PathBuf::from(dir)),
        None => app
            .path()
            .app_data_dir()
            .context("finding this computer's app-data folder"),
    }
}

/// The desktop's configuration: the same loader as `melt8 serve` (the environment and a
/// `.env` file; the desktop app has no flags), on the OS app-data folder unless
/// `MELT8_DATA_DIR` says otherwise, with the secrets in the OS keychain (a private file in
/// the data folder where there is none).
fn config(data_dir: &std::path::Path) -> anyhow::Result<Config> {
    let env = Env::from_process().map_err(anyhow::Error::msg)?;
    let flags = Flags {
        data_dir: Some(data_dir.to_path_buf()),
        ..Flags::default()
    };
    let mut c = Config::load(&flags, &env)?;
    c.secret_store = Arc::new(FallbackSecretStore::new(
        crate::keychain::Keychain,
        FileSecretStore::in_dir(data_dir),
    ));
    Ok(c)
}

/// Ctrl-C in a terminal, or the session ending (SIGTERM), quits like the tray's Quit.
fn quit_on_signals(app: &AppHandle) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        #[cfg(unix)]
        let term = async {
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(mut s) => {
                    s.recv().await;
                }
                Err(_) => std::future::pending::<()>().await,
            }
        };
        #[cfg(not(unix))]
        let term = std::future::pending::<()>();
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            () = term => {}
        }
        tracing::info!("asked to stop by the system: quitting");
        quit(&app);
    });
}

/// A window that says why the kitchen could not start, and what to do.
fn show_error(app: &AppHandle, why: &str) -> anyhow::Result<()> {
    let escaped: String = why
        .chars()
        .map(|c| match c {
            '<' => "&lt;".to_string(),
            '>' => "&gt;".to_string(),
            '&' => "&amp;".to_string(),
            c => c.to_string(),
        })
        .collect();
    let html = format!(
        "<!doctype html><meta charset=utf-8><title>Melt 8 Kitchen</title>\
         <body style=\"font-family:sans-serif;margin:2em;max-width:40em\">\
         <h1>The kitchen could not start</h1><p>{escaped}</p>\
         <p>Close any other copy of Melt 8 Kitchen (or the program using that port), then \
         start Melt 8 Kitchen again.</p></body>"
    );
    let url = format!("data:text/html;charset=utf-8,{}", percent_encode(&html));
    WebviewWindowBuilder::new(app, WINDOW, WebviewUrl::External(url.parse()?))
        .title("Melt 8 Kitchen")
        .inner_size(720.0, 420.0)
        .build()
        .context("opening the window")?;
    Ok(())
}

fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
