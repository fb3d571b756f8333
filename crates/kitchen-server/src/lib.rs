//! The Melt 8 Kitchen server.
//!
//! [`Application`] builds everything from a [`Config`]: the store, the order service, the
//! event bus and the kitchen router, bound to a listener. The `melt8` binary, the desktop
//! shell and the tests only wire: they call [`Application::build`] and
//! [`Application::run_until_stopped`].
//!
//! Data flows one way: API handlers → [`orders::OrderService`] → store → (after commit)
//! [`events::EventBus`] → live subscribers. Nothing downstream writes back upstream.

pub mod api;
pub mod app;
pub mod auth;
pub mod calls;
pub mod clock;
pub mod config;
pub mod data_safety;
pub mod error;
pub mod events;
pub mod orders;
pub use kitchen_domain::secret;
pub mod secret_store;
pub mod settings;
pub mod setup;
pub mod tunnel;
pub mod ui;

pub use app::{AppState, Application};
pub use config::Config;
pub use kitchen_domain::Secret;
