//! Phone calls: the public router (Twilio, and OpenAI's SIP webhooks), the voice engines,
//! the AI's tools, and the call log.
//!
//! **One call flow, four engines.** Everything a call does for the shop — the draft and its
//! tools, the call log, call cards, caps, the caller's number, hand-over to a person — is
//! `driver::call::Call`, and how a call ends is one [`outcome::CallEnd`]. The engines
//! (`kitchen_domain::VoiceEngine`, the shop's `voice_engine` setting) only move audio and
//! events between that flow and OpenAI:
//! - `realtime-bridge`: Twilio Media Streams ⇄ the Realtime API ([`driver`], the pure
//!   [`session::CallSession`], [`realtime`]);
//! - `live-bridge`: Twilio Media Streams ⇄ GPT-Live ([`live`]: paced output, Twilio
//!   `clear` on barge-in, `responses` delegation for the tools);
//! - `sip-realtime`, `sip-live`: Twilio's SIP trunk → OpenAI directly; this PC verifies the
//!   webhook, accepts (or refers / rejects) the call and runs the tools over a sideband
//!   ([`sip`]); the trunk itself is set up by [`sip_trunk`].
//!
//! The relay reaches the rest of the kitchen only through [`kitchen::Kitchen`] (menu, the
//! order taken on a call, call log): it never holds the store. Its
//! configuration is [`config::PhoneConfig`] and, per use, [`config::CallConfig`]: the shop's
//! settings and the tunnel's public URL are followed through `watch` subscriptions (the
//! settings service and the tunnel publish; the phone side never writes them back).
//!
//! Flow: `POST /incoming-call` (signature checked) records the call, starts opening the AI
//! socket (pre-warm) and answers TwiML that connects the call's audio to `/media-stream`
//! with a one-time token. The stream's `start` must bring that token back within 5 s; then
//! [`driver`] relays audio through a pure [`session::CallSession`] until the call ends.

pub mod caps;
mod catalogue;
pub mod config;
pub mod draft;
pub mod driver;
pub mod fallback_flow;
pub mod instructions;
pub mod kitchen;
pub mod live;
pub mod log;
pub mod outcome;
pub mod realtime;
pub mod registry;
pub mod replay;
pub mod routes;
pub mod service;
pub mod session;
pub mod sip;
pub mod sip_trunk;
pub mod suggest;
pub mod timeouts;
pub mod tools;
pub mod twilio_rest;

pub use service::{CallService, fallback_response};
