//! Phone calls: the Twilio-facing router and the relay between a call and the AI.

pub mod session;
