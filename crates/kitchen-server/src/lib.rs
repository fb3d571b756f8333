//! The Melt 8 Kitchen server.
//!
//! [`Application`] builds everything from a [`Config`]: the store, the order service, the
//! event bus and the kitchen router, bound to a listener. The `melt8` binary, the desktop
//! shell and the tests only wire: they call [`Application::build`] and
//! [`Application::run_until_stopped`].
//!
//! Data flows one way: API handlers → [`orders::OrderService`] → store → (after commit)
//! [`events::EventBus`] → live subscribers. Nothing downstream writes back upstream.

pub use kitchen_core::{auth, clock, data_safety, events, orders, secret_store, settings, setup};
pub use kitchen_phone as calls;

pub mod api;
pub mod app;
pub mod config;
pub mod error;
pub mod phone_link;
pub mod tunnel;
pub mod ui;

pub use app::{AppState, Application};
pub use config::Config;
pub use kitchen_domain::Secret;
