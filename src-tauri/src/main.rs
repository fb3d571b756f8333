//! Melt 8 Kitchen for the desktop: the kitchen server runs inside this process, its
//! dashboard fills the window, and the tray, notifications and sound keep the shop told
//! while the window is hidden.
//!
//! The shell stays thin: what it shows is decided by `kitchen-desktop` (display-free and
//! unit-tested) and what it does is `kitchen-server`'s. This file wires them to Tauri.

// No console window behind the app on Windows in release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod alerts;
mod keychain;
mod server;
mod tray;

use std::process::ExitCode;
use tauri::{Manager, RunEvent, WindowEvent};

/// A second launch with this argument asks the running app to quit, as the tray's Quit does.
const QUIT_ARG: &str = "--quit";
/// Started at login: stay in the tray instead of opening the window.
const MINIMIZED_ARG: &str = "--minimized";

fn main() -> ExitCode {
    init_logging();
    let built = tauri::Builder::default()
        // First, so a second launch hands over and exits before any server starts.
        .plugin(tauri_plugin_single_instance::init(|app, args, _cwd| {
            if args.iter().any(|a| a == QUIT_ARG) {
                tracing::info!("asked to quit by a second launch");
                server::quit(app);
            } else {
                tracing::info!("already running: showing the window");
                server::show_window(app);
            }
        }))
        .plugin(tauri_plugin_autostart::init(
            tauri_plugin_autostart::MacosLauncher::LaunchAgent,
            Some(vec![MINIMIZED_ARG]),
        ))
        .setup(|app| {
            let minimized = std::env::args().any(|a| a == MINIMIZED_ARG);
            server::start(app.handle(), minimized)?;
            Ok(())
        })
        .on_window_event(|window, event| {
            // Closing the window keeps the kitchen running in the tray (the window that
            // only says the server could not start just closes).
            if let WindowEvent::CloseRequested { api, .. } = event
                && running(window.app_handle()).is_some()
            {
                api.prevent_close();
                if let Err(e) = window.hide() {
                    tracing::warn!(error = %e, "could not hide the window");
                }
            }
        })
        .build(tauri::generate_context!());
    let app = match built {
        Ok(app) => app,
        Err(e) => {
            tracing::error!(error = %e, "Melt 8 Kitchen could not start");
            return ExitCode::FAILURE;
        }
    };
    app.run(|app, event| {
        if let RunEvent::ExitRequested { api, code, .. } = event {
            // Only Quit (which stops the server first) ends the app; the last window
            // closing does not.
            if code.is_none() && !server::quitting(app) {
                api.prevent_exit();
            }
        }
    });
    ExitCode::SUCCESS
}

fn init_logging() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,tao=warn,wry=warn"));
    tracing_subscriber::fmt().with_env_filter(filter).init();
}

/// Shared by the modules: the app's managed handle to its running parts.
pub(crate) fn running(app: &tauri::AppHandle) -> Option<tauri::State<'_, server::Running>> {
    app.try_state::<server::Running>()
}
