//! Test and demo kit for Melt 8 Kitchen.
//!
//! - [`KitchenClient`]: the kitchen API as a person's script would use it (HTTP Basic or a
//!   login cookie), and [`EventStream`], a live `/api/events` subscription.
//! - [`fixtures`]: realistic orders.
//! - [`FakeRealtime`]: a local OpenAI Realtime (GA) server that validates every client event
//!   against the embedded schema ([`schema`]); scripted with [`Script`] for demos.
//! - [`FakeCaller`] / [`FakeStream`]: Twilio ringing our server (signed webhook, see
//!   [`signing`]) and the Media Streams WebSocket with simulated playback and mark echoes.
//! - [`FakeTwilioRest`]: the Twilio REST endpoints the kitchen calls.
//! - [`FakeNgrok`]: ngrok's service behind the tunnel's `Connector` (a local TCP edge).
//! - [`postgres::TempCluster`]: a throwaway PostgreSQL cluster (initdb + pg_ctl) for the
//!   sync tests.
//!
//! Nothing here depends on the server crate, so the server can use the kit too (for
//! `melt8 simulate-call`).

pub mod audio;
pub mod client;
pub mod fixtures;
mod ids;
pub mod ngrok;
pub mod postgres;
pub mod realtime;
pub mod schema;
pub mod signing;
pub mod twilio_caller;
pub mod twilio_rest;
mod twiml;

pub use client::{EventStream, KitchenClient};
pub use ngrok::FakeNgrok;
pub use realtime::{Behaviour, FakeRealtime, FakeSession, Script, Step};
pub use twilio_caller::{CallStart, FakeCaller, FakeStream, PlaybackSpeed};
pub use twilio_rest::{FakeTwilioRest, RecordedRequest, RequestKind};
