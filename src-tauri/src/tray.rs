//! The tray icon: its tooltip and menu show what `kitchen_desktop::tray::TrayState` says
//! (server, tunnel, AI, calls, new orders); the menu opens the window, pauses or resumes AI
//! answering, and quits.

use kitchen_desktop::tray::{AiStatus, MenuAction, ServerStatus, TrayState};
use kitchen_server::AppState;
use kitchen_wire::KitchenEvent;
use std::sync::Mutex;
use tauri::menu::{Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::{MouseButton, MouseButtonState, TrayIcon, TrayIconBuilder, TrayIconEvent};
use tauri::{AppHandle, Manager, Wry};

/// The tray icon and what it shows, managed by Tauri.
pub struct Tray {
    state: Mutex<TrayState>,
    icon: TrayIcon,
}

/// Puts the icon in the tray.
pub fn install(app: &AppHandle, server: &AppState) -> anyhow::Result<()> {
    let mut state = TrayState::new();
    state.set_server(ServerStatus::Running);
    state.set_ai(ai_status(server));
    state.apply(&KitchenEvent::TunnelChanged {
        tunnel: server.tunnel.dto(),
    });
    let mut builder = TrayIconBuilder::with_id("main")
        .tooltip(state.tooltip())
        .menu(&menu(app, &state)?)
        .show_menu_on_left_click(false)
        .on_menu_event(|app, event| on_menu(app, event.id().as_ref()))
        .on_tray_icon_event(|icon, event| {
            if let TrayIconEvent::Click {
                button: MouseButton::Left,
                button_state: MouseButtonState::Up,
                ..
            } = event
            {
                crate::server::show_window(icon.app_handle());
            }
        });
    if let Some(image) = app.default_window_icon() {
        builder = builder.icon(image.clone());
    }
    let icon = builder.build(app)?;
    app.manage(Tray {
        state: Mutex::new(state),
        icon,
    });
    Ok(())
}

/// Changes what the tray shows; redraws it when `change` says something changed.
pub fn update(app: &AppHandle, change: impl FnOnce(&mut TrayState) -> bool) {
    let Some(tray) = app.try_state::<Tray>() else {
        return;
    };
    let mut state = tray.state.lock().unwrap_or_else(|e| e.into_inner());
    if !change(&mut state) {
        return;
    }
    let redrawn = menu(app, &state).and_then(|m| {
        tray.icon.set_menu(Some(m))?;
        tray.icon.set_tooltip(Some(state.tooltip()))?;
        Ok(())
    });
    if let Err(e) = redrawn {
        tracing::warn!(error = %e, "could not update the tray");
    }
}

/// Reads the tray's state (the alerts ask whether any order is still new).
pub fn read<T>(app: &AppHandle, f: impl FnOnce(&TrayState) -> T) -> Option<T> {
    let tray = app.try_state::<Tray>()?;
    let state = tray.state.lock().unwrap_or_else(|e| e.into_inner());
    Some(f(&state))
}

/// Whether the AI answers calls, from the live phone settings.
pub fn ai_status(server: &AppState) -> AiStatus {
    let mut tray = TrayState::new();
    tray.follow_settings(&server.settings.current());
    tray.ai()
}

impl std::fmt::Debug for Tray {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tray")
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

fn menu(app: &AppHandle, state: &TrayState) -> tauri::Result<Menu<Wry>> {
    let menu = Menu::new(app)?;
    let mut separated = false;
    for (i, item) in state.menu().into_iter().enumerate() {
        let id = match item.action {
            MenuAction::Status => format!("status-{i}"),
            MenuAction::Open => "open".to_string(),
            MenuAction::PauseAi => "pause-ai".to_string(),
            MenuAction::ResumeAi => "resume-ai".to_string(),
            MenuAction::Quit => "quit".to_string(),
        };
        if item.action != MenuAction::Status && !separated {
            menu.append(&PredefinedMenuItem::separator(app)?)?;
            separated = true;
        }
        menu.append(&MenuItem::with_id(
            app,
            id,
            &item.label,
            item.enabled,
            None::<&str>,
        )?)?;
    }
    Ok(menu)
}

fn on_menu(app: &AppHandle, id: &str) {
    match id {
        "open" => crate::server::show_window(app),
        "pause-ai" | "resume-ai" => {
            let Some(running) = crate::running(app) else {
                return;
            };
            let paused = id == "pause-ai";
            let settings = running.state.settings.clone();
            tauri::async_runtime::spawn(async move {
                if let Err(e) = settings.set_answering_paused(paused).await {
                    tracing::error!(error = %e, paused, "could not change AI answering");
                }
            });
        }
        "quit" => crate::server::quit(app),
        _ => {}
    }
}
