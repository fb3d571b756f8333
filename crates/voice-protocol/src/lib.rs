//! Wire formats of the phone line, and nothing else: the messages Twilio and the OpenAI
//! Realtime API exchange with the kitchen server, as typed Rust values.
//!
//! - [`twilio::media`]: Media Streams WebSocket messages both ways, µ-law payloads and the
//!   160-byte frame re-chunker.
//! - [`twilio::twiml`]: the TwiML that answers a call, escaped throughout.
//! - [`twilio::signature`]: `X-Twilio-Signature` checks for webhooks and JSON bodies.
//! - [`realtime`]: Realtime API client and server events, GA interface only.
//! - [`webhooks`]: Standard Webhooks signatures (OpenAI's SIP call webhooks), and their payloads.
//! - [`live`]: GPT-Live session events (primary WebSocket, and the shapes a SIP sideband
//!   shares).
//!
//! No sockets, no async runtime, no clock, no I/O: the relay owns the connections and feeds
//! text frames in and out. Parsing anything that came over the network never panics, and an
//! event type we do not know is an `Unknown` value, not an error.

pub mod live;
pub mod realtime;
pub mod twilio;
pub mod webhooks;

pub use realtime::{ClientEvent, RealtimeError, ServerEvent, SessionConfig};
pub use twilio::media::{FrameChunker, InboundMessage, MediaError, OutboundMessage};
pub use twilio::signature::{compute_signature, validate_form, validate_json_body};
pub use twilio::twiml::{Response as TwimlResponse, Verb as TwimlVerb};

/// True when `s` can sit inside a JSON string as it is: only the characters of base64 and
/// of Twilio/OpenAI ids (letters, digits, `+ / = _ - .`). The relay's hot messages are built
/// by hand when their variable parts pass this check, and by serde_json otherwise.
pub(crate) fn json_plain(s: &str) -> bool {
    s.bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'_' | b'-' | b'.'))
}
