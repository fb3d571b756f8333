//! The event bus: what happened in the kitchen, pushed to live subscribers (dashboards,
//! the desktop notifier, later the sync worker). Only the order service publishes, and only
//! after the transaction committed.

use kitchen_wire::KitchenEvent;
use std::sync::Arc;
use tokio::sync::broadcast;

/// An event with its JSON, serialised once for every subscriber.
#[derive(Debug, Clone)]
pub struct Published {
    /// The event.
    pub event: Arc<KitchenEvent>,
    /// `event` as a JSON text frame.
    pub json: Arc<str>,
}

/// How many events a slow subscriber may fall behind before it is told to re-fetch.
pub const BUS_CAPACITY: usize = 256;

/// Fan-out of kitchen events. Cheap to clone.
#[derive(Debug, Clone)]
pub struct EventBus {
    tx: broadcast::Sender<Published>,
}

impl Default for EventBus {
    fn default() -> Self {
        EventBus {
            tx: broadcast::channel(BUS_CAPACITY).0,
        }
    }
}

impl EventBus {
    /// Sends an event to every current subscriber. Having none is normal.
    pub fn publish(&self, event: KitchenEvent) {
        let json: Arc<str> = match serde_json::to_string(&event) {
            Ok(j) => j.into(),
            Err(e) => {
                tracing::error!(error = %e, "could not serialise a kitchen event");
                return;
            }
        };
        let _no_subscribers_is_fine = self.tx.send(Published {
            event: Arc::new(event),
            json,
        });
    }

    /// A new subscription, starting with the next event.
    pub fn subscribe(&self) -> broadcast::Receiver<Published> {
        self.tx.subscribe()
    }
}
