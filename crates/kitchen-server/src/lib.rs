//! The composition root of Melt 8 Kitchen: it builds the app from its parts and runs it.
//!
//! [`Application`] builds everything from a [`Config`]: the store, the kitchen core (order
//! service, event bus, auth), the phone side (over [`phone_link::PhoneKitchen`], its window
//! onto the kitchen), the app's own tunnel, and the kitchen router of kitchen-http, bound to
//! its listeners. The `melt8` binary, the desktop shell and the tests only wire: they call
//! [`Application::build`] and [`Application::run_until_stopped`].
//!
//! Data flows one way: API handlers and the phone's tools → `OrderService` → store →
//! (after commit) `EventBus` → live subscribers. Nothing downstream writes back upstream.
//!
//! The layers below, from the bottom: kitchen-domain ← kitchen-store ← kitchen-core ←
//! {kitchen-phone, kitchen-http} ← this crate; kitchen-wire holds the types shared with
//! the dashboard and the desktop shell.

pub mod app;
pub mod config;
pub mod phone_link;
pub mod rehearse;
mod serve;
pub mod tunnel;

pub use app::Application;
pub use config::Config;
/// The core modules the `melt8` binary, the desktop shell and the tests use by these paths.
pub use kitchen_core::printing::transport::Spooler;
pub use kitchen_core::{auth, clock, data_safety, secret_store};
pub use kitchen_domain::Secret;
pub use kitchen_http::AppState;
