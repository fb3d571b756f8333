//! The desktop shell's logic, without a display.
//!
//! The Tauri shell (`src-tauri/`) is a thin layer over this crate: it feeds kitchen events
//! into [`tray::TrayState`] and renders its tooltip and menu, shows
//! [`notify::NewOrderNotice`] for new orders, and follows the settings in effect (the
//! settings service's subscription) for the tray and [`login_start::LoginStart`]. It reads the events and orders as the API's
//! wire types (kitchen-wire), never the server. Everything here is plain data in, plain data
//! out, so it is unit-tested without a display, a notification service or a keychain.

pub mod login_start;
pub mod notify;
pub mod tray;
