//! New orders reach the shop even when the window is hidden: a desktop notification with
//! the order's number and summary, and a sound that repeats until the kitchen acknowledges
//! the order on the board (moves it on from "new"). Without an audio device or a
//! notification service the app says so once in its log and carries on.

use kitchen_desktop::notify::{NewOrderNotice, NoticeOptions};
use kitchen_server::AppState;
use kitchen_wire::KitchenEvent;
use std::io::Cursor;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;
use tauri::AppHandle;
use tokio::sync::broadcast::error::RecvError;

/// The sound, bundled in the binary (made by `src-tauri/sounds/make-chime.py`).
const CHIME: &[u8] = include_bytes!("../sounds/new-order.wav");
/// The gap between repeats of the sound while an order waits.
const REPEAT_EVERY: Duration = Duration::from_secs(4);

/// Follows the server's events: tray, notifications, sound.
pub fn start(app: &AppHandle, server: &AppState) {
    let bell = Bell::start();
    let notifier = Arc::new(Notifier::default());
    let mut events = server.bus.subscribe();
    let app = app.clone();
    let server = server.clone();
    tauri::async_runtime::spawn(async move {
        loop {
            let published = match events.recv().await {
                Ok(p) => p,
                Err(RecvError::Lagged(missed)) => {
                    tracing::warn!(missed, "the tray missed some events");
                    continue;
                }
                Err(RecvError::Closed) => return,
            };
            let event = &*published.event;
            crate::tray::update(&app, |tray| {
                let changed = tray.apply(event);
                // A key saved in Settings changes the AI's state without an event of its own.
                let ai = crate::tray::ai_status(&server);
                let ai_changed = tray.ai() != ai;
                tray.set_ai(ai);
                changed || ai_changed
            });
            if let KitchenEvent::OrderCreated { order } = event
                && order.status == kitchen_domain::OrderStatus::New
            {
                notifier.show(NewOrderNotice::for_order(order, NoticeOptions::default()));
            }
            let waiting = crate::tray::read(&app, |t| t.new_orders() > 0).unwrap_or(false);
            bell.ring(waiting);
        }
    });
}

/// Desktop notifications through the OS.
#[derive(Debug, Default)]
struct Notifier {
    warned: Arc<AtomicBool>,
}

impl Notifier {
    fn show(&self, notice: NewOrderNotice) {
        let warned = self.warned.clone();
        // The D-Bus call blocks: off the async threads.
        tauri::async_runtime::spawn_blocking(move || {
            let shown = notify_rust::Notification::new()
                .appname("Melt 8 Kitchen")
                .summary(&notice.title)
                .body(&notice.body)
                .icon("melt8-kitchen")
                .show();
            match shown {
                Ok(_) => tracing::info!(title = %notice.title, "notification shown"),
                Err(e) => {
                    if !warned.swap(true, Ordering::Relaxed) {
                        tracing::warn!(
                            error = %e,
                            "desktop notifications are not available on this computer; \
                             new orders still appear on the board with their sound"
                        );
                    }
                }
            }
        });
    }
}

/// The repeating new-order sound, played on its own thread.
#[derive(Debug, Clone)]
struct Bell {
    ringing: Arc<(Mutex<bool>, Condvar)>,
}

impl Bell {
    fn start() -> Bell {
        let bell = Bell {
            ringing: Arc::new((Mutex::new(false), Condvar::new())),
        };
        let ringing = bell.ringing.clone();
        let spawned = std::thread::Builder::new()
            .name("new-order-sound".into())
            .spawn(move || ring_while_asked(&ringing));
        if let Err(e) = spawned {
            tracing::warn!(error = %e, "could not start the new-order sound");
        }
        bell
    }

    /// Rings (repeating) while `on`.
    fn ring(&self, on: bool) {
        let (flag, wake) = &*self.ringing;
        let mut ringing = flag.lock().unwrap_or_else(|e| e.into_inner());
        if *ringing != on {
            *ringing = on;
            wake.notify_all();
        }
    }
}

fn ring_while_asked(ringing: &(Mutex<bool>, Condvar)) {
    let (flag, wake) = ringing;
    let mut speaker: Option<rodio::MixerDeviceSink> = None;
    let mut warned = false;
    loop {
        {
            let mut on = flag.lock().unwrap_or_else(|e| e.into_inner());
            let was_off = !*on;
            while !*on {
                on = wake.wait(on).unwrap_or_else(|e| e.into_inner());
            }
            // A new ringing episode: try the audio device again if it failed before.
            if was_off && speaker.is_none() {
                match rodio::DeviceSinkBuilder::open_default_sink() {
                    Ok(mut s) => {
                        s.log_on_drop(false);
                        speaker = Some(s);
                    }
                    Err(e) => {
                        if !warned {
                            warned = true;
                            tracing::warn!(
                                error = %e,
                                "no sound device: new orders are shown and notified but not heard"
                            );
                        }
                    }
                }
            }
        }
        if let Some(s) = &speaker {
            match rodio::play(s.mixer(), Cursor::new(CHIME)) {
                Ok(player) => player.sleep_until_end(),
                Err(e) => {
                    tracing::warn!(error = %e, "could not play the new-order sound");
                    speaker = None;
                }
            }
        }
        // Wait before the next repeat, unless the order is acknowledged meanwhile.
        let on = flag.lock().unwrap_or_else(|e| e.into_inner());
        let _ = wake.wait_timeout_while(on, REPEAT_EVERY, |on| *on);
    }
}
