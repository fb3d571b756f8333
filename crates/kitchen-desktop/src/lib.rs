//! The desktop shell's logic, without a display.
//!
//! The Tauri shell (later) is a thin layer over this crate: it feeds kitchen events into
//! [`tray::TrayState`] and renders its tooltip and menu, shows [`notify::NewOrderNotice`]
//! for new orders, runs the first-run wizard's answers through [`wizard::validate`], and
//! keeps secrets in a [`secrets::SecretStore`]. Everything here is plain data in, plain data
//! out, so it is unit-tested without a display, a notification service or a keychain.

pub mod notify;
pub mod secrets;
pub mod tray;
pub mod wizard;
