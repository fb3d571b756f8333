//! The kitchen core of Melt 8 Kitchen: the rules and services every front end shares, with
//! no HTTP and no sockets.
//!
//! - [`orders::OrderService`]: the one way orders are created and moved (checked against the
//!   live menu, committed, then announced);
//! - [`events::EventBus`]: kitchen events fanned out to live subscribers, after the commit;
//! - [`clock`]: "now" from outside, and the shop's business day;
//! - [`auth`]: the chef's password (argon2), credentials, session tokens, one-time login
//!   links and the failed-login limit;
//! - [`secret_store`]: where the OpenAI key and the Twilio and ngrok tokens are kept (never
//!   in SQLite);
//! - [`settings::SettingsService`]: the one writer of the shop's settings (layers, saving,
//!   secrets, publishing on a `watch` channel and as `settings.changed`); the rules
//!   themselves are the domain's (`kitchen_domain::settings`);
//! - [`printing::PrintService`]: the print queue (SQLite) and one worker per printer;
//! - [`data_safety`]: background work that keeps the data safe (sync worker, daily backups).
//!
//! The HTTP layer (kitchen-http) and the phone relay (kitchen-phone) sit on top of this
//! crate; it depends only on the domain, the store, the sync and the wire types.

pub mod auth;
pub mod clock;
pub mod data_safety;
pub mod events;
pub mod orders;
pub mod printing;
pub mod secret_store;
pub mod settings;

pub use clock::{BusinessDay, Clock, SharedClock, SystemClock};
pub use events::{EventBus, Published};
pub use orders::{OrderError, OrderService, PlaceContext, Placed, ShopNow};
pub use settings::{SettingsError, SettingsService, UpdateError};
