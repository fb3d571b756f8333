//! Test kit for Melt 8 Kitchen: a dev-dependency only, never linked into a shipped binary
//! (`scripts/check-shipped-deps.sh` fails if it is). It builds on `kitchen-demo`, the small
//! crate behind `melt8 serve --demo` and `melt8 simulate-call`, and adds what only tests
//! need:
//!
//! - [`FakeRealtime`]: the demo's fake OpenAI Realtime (GA) server, validating every client
//!   event against the embedded GA schema ([`schema`]); scripted with [`Script`].
//! - [`FakeLive`]: the demo's fake GPT-Live server, validating every client event it
//!   receives and every server event it sends against the `openai` SDK's schemas.
//! - [`FakeCaller`] / [`FakeStream`] (from the demo): Twilio ringing our server (signed
//!   webhook, see [`signing`]) and the Media Streams WebSocket with simulated playback and
//!   mark echoes.
//! - [`FakeTwilioRest`]: the demo's fake Twilio REST API, plus SMS.
//! - [`KitchenClient`]: the kitchen API as a person's script would use it (HTTP Basic or a
//!   login cookie), and [`EventStream`], a live `/api/events` subscription.
//! - [`fixtures`]: realistic orders. The crate's `fixtures/` folder holds the project's one
//!   copy of the OpenAI Realtime and GPT-Live schemas, the Realtime samples and of Twilio's signature vectors
//!   (each with a `SOURCE.md`); other crates' tests read them from there.
//! - [`FakeNgrok`]: ngrok's service behind the tunnel's `Connector` (a local TCP edge).
//! - [`postgres::TempCluster`]: a throwaway PostgreSQL cluster (initdb + pg_ctl) for the
//!   sync tests.
//! - [`FakePrinter`]: a network receipt printer (raw TCP) that can be switched off, and
//!   [`printer::decode`], which reads its ESC/POS jobs back; [`ticket_preview`] draws a
//!   decoded job as the paper would look and compares it with golden PNGs.
//!
//! Nothing here depends on the server crate, so every crate's tests can use the kit.

pub use kitchen_demo::{audio, signing, twilio_caller};

pub mod client;
pub mod fixtures;
pub mod live;
pub mod live_sip;
pub mod ngrok;
pub mod postgres;
pub mod printer;
pub mod realtime;
pub mod schema;
pub mod ticket_preview;
pub mod twilio_rest;

pub use client::{EventStream, KitchenClient};
pub use live::{FakeLive, FakeLiveSession, LiveScript, LiveStep, OutputPace};
pub use ngrok::FakeNgrok;
pub use printer::FakePrinter;
pub use realtime::{Behaviour, FakeRealtime, FakeSession, Script, Step};
pub use ticket_preview::{Preview, Previewer, check_golden};
pub use twilio_caller::{CallStart, FakeCaller, FakeStream, PlaybackSpeed};
pub use twilio_rest::{FakeTwilioRest, RecordedRequest, RequestKind};
