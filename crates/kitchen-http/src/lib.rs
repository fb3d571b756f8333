//! The kitchen API of Melt 8 Kitchen (axum): the staff-facing router with `/health`,
//! `/api/*` (login, orders, menu, settings, setup, calls, phone page, sync, the live event
//! socket) and the embedded chef dashboard.
//!
//! It owns the one [`error::ApiError`] (a stable `code`, a status, the JSON error body of
//! kitchen-wire), the state every handler reaches ([`AppState`]), the tunnel status the API
//! and the desktop shell read ([`tunnel::TunnelHandle`]) and the dashboard files
//! ([`ui`], built into `ui/dist` by this crate's build script). Handlers call the kitchen
//! core and the phone side; the composition root (kitchen-server) builds the state and
//! serves [`api::router`].

pub mod api;
pub mod error;
pub mod hosts;
pub mod state;
pub mod tunnel;
pub mod ui;

pub use api::router;
pub use error::ApiError;
pub use hosts::AllowedHosts;
pub use state::AppState;
