//! The desktop shell's logic, without a display.
//!
//! The Tauri shell (later) is a thin layer over this crate: it feeds kitchen events into
//! [`tray::TrayState`] and renders its tooltip and menu, shows [`notify::NewOrderNotice`]
//! for new orders. The first-run wizard's checks ([`wizard`]) and the secret store
//! ([`secrets`]) live in kitchen-server, which serves the wizard to the dashboard and reads
//! the secrets; they are re-exported here so the shell reaches everything through one crate.
//! Everything here is plain data in, plain data out, so it is unit-tested without a display,
//! a notification service or a keychain.

pub mod login_start;
pub mod notify;
pub mod tray;

/// The secret store: [`secrets::FileSecretStore`], [`secrets::FallbackSecretStore`] (the
/// shell's keychain with the file as fallback).
pub use kitchen_server::secret_store as secrets;
/// The first-run wizard's checks.
pub use kitchen_server::setup as wizard;
