//! Test and demo kit for Melt 8 Kitchen.
//!
//! - [`KitchenClient`]: the kitchen API as a person's script would use it (HTTP Basic or a
//!   login cookie), and [`EventStream`], a live `/api/events` subscription.
//! - [`fixtures`]: realistic orders.
//!
//! Later: the scripted fake OpenAI Realtime server, the fake Twilio caller and REST API.
//! Nothing here depends on the server crate, so the server can use the kit too (for
//! `melt8 simulate-call`).

pub mod client;
pub mod fixtures;

pub use client::{EventStream, KitchenClient};
