//! Twilio Programmable Voice wire formats: Media Streams messages ([`media`]), the TwiML we
//! answer calls with ([`twiml`]), and `X-Twilio-Signature` checks ([`signature`]).

pub mod media;
pub mod signature;
pub mod twiml;
