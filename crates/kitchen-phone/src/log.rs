//! The call log writer: the relay queues changes without waiting; one task writes them in
//! batches and announces `call.started` / `call.ended` on the event bus after the commit.

use crate::kitchen::{CallUpdate, Kitchen};
use kitchen_core::EventBus;
use kitchen_wire::KitchenEvent;
use std::sync::Arc;
use tokio::sync::mpsc;
use tokio_util::task::TaskTracker;

/// Queue depth; beyond it, log lines are dropped (with a warning) rather than slow a call.
const QUEUE: usize = 10_000;

/// Handle to the writer. Cheap to clone.
#[derive(Debug, Clone)]
pub struct CallLog {
    tx: mpsc::Sender<CallUpdate>,
}

impl CallLog {
    /// Starts the writer task (tracked, so shutdown waits for the last lines).
    pub fn start(kitchen: Arc<dyn Kitchen>, bus: EventBus, tracker: &TaskTracker) -> CallLog {
        let (tx, rx) = mpsc::channel(QUEUE);
        tracker.spawn(write_loop(kitchen, bus, rx));
        CallLog { tx }
    }

    /// Queues a change. Never waits.
    pub fn record(&self, update: CallUpdate) {
        if let Err(e) = self.tx.try_send(update) {
            tracing::warn!(error = %e, "call log queue full or closed; a call-log line was dropped");
        }
    }
}

async fn write_loop(kitchen: Arc<dyn Kitchen>, bus: EventBus, mut rx: mpsc::Receiver<CallUpdate>) {
    let mut batch = Vec::new();
    while rx.recv_many(&mut batch, 256).await > 0 {
        let announce: Vec<(String, bool)> = batch
            .iter()
            .filter_map(|u| match u {
                CallUpdate::Started { call_sid, .. } => Some((call_sid.clone(), true)),
                CallUpdate::Ended { call_sid, .. } => Some((call_sid.clone(), false)),
                _ => None,
            })
            .collect();
        let updates = std::mem::take(&mut batch);
        if let Err(e) = kitchen.log_calls(updates).await {
            tracing::error!(error = %e, "could not write the call log");
            continue;
        }
        for (sid, started) in announce {
            match kitchen.call_record(sid).await {
                Ok(mut call) => {
                    call.transcript = None;
                    bus.publish(if started {
                        KitchenEvent::CallStarted { call }
                    } else {
                        KitchenEvent::CallEnded { call }
                    });
                }
                Err(e) => tracing::warn!(error = %e, "could not read back a call for its event"),
            }
        }
    }
}
