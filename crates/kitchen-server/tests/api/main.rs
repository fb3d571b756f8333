//! The kitchen API through real sockets: one test binary, each test with its own server on
//! port 0 and its own SQLite file in a temporary folder.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod auth;
mod board;
mod call_cards;
mod cli;
mod dashboard;
mod data_safety;
mod events;
mod hardening;
mod health;
mod helpers;
mod menu;
mod menus_orders;
mod orders;
mod persistence;
mod phone;
mod phone_setup;
mod phone_setup_sip;
mod printing;
/// The pricing bench's 200-item menu and random orders (kitchen-domain's test support).
#[path = "../../../kitchen-domain/tests/support/random_orders.rs"]
#[allow(dead_code)]
mod random_orders;
mod riders;
mod roles;
mod session_end;
mod settings_flow;
mod setup;
mod shop;
mod sync;
