//! What `melt8 serve --demo` and `melt8 simulate-call` need, small enough to ship inside the
//! `melt8` binary and the desktop app:
//!
//! - [`FakeRealtime`]: a local OpenAI Realtime (GA) server that answers like the real one
//!   (`session.updated`, truncation errors, beta refusal); a [`Script`] such as
//!   [`Script::urdu_pizza_order`] plays a whole conversation on each new session. When a
//!   [`ClientEventCheck`] is installed it runs on every client event (the test kit installs
//!   its JSON Schema check; the demo runs without one).
//! - [`FakeLive`]: a local OpenAI GPT-Live server (primary WebSocket, `responses`
//!   delegation) playing a [`LiveScript`], with output at real-time pace or in a burst.
//! - [`FakeCaller`] / [`FakeStream`]: Twilio ringing our server (signed webhook, see
//!   [`signing`]) and the Media Streams WebSocket with simulated playback and mark echoes.
//! - [`FakeTwilioRest`]: the Twilio REST endpoints the demo server calls (updating or
//!   hanging up a call, listing and pointing the account's incoming numbers).
//! - [`audio`]: generated µ-law tones and silence.
//!
//! No JSON Schemas, no database clusters, no fixture files: `kitchen-testkit` builds on
//! this crate and adds those for tests. Nothing here depends on the server crate.

pub mod audio;
pub mod ids;
pub mod live;
pub mod openai_sip;
pub mod realtime;
pub mod signing;
pub mod twilio_caller;
pub mod twilio_rest;
mod twiml;

pub use live::{
    EventCheck, FakeLive, FakeLiveSession, LiveChecks, LiveScript, LiveStep, OutputPace,
};
pub use realtime::{
    Behaviour, ClientEventCheck, FakeRealtime, FakeSession, Handshake, Script, Step,
};
pub use twilio_caller::{CallStart, FakeCaller, FakeStream, PlaybackSpeed};
pub use twilio_rest::{FakeTwilioRest, MessageHandler, RecordedRequest, RequestKind};

/// `value` as compact JSON, cut to a readable length for messages.
pub fn short_json(value: &serde_json::Value) -> String {
    let text = value.to_string();
    if text.chars().count() <= 200 {
        text
    } else {
        let cut: String = text.chars().take(200).collect();
        format!("{cut}…")
    }
}
