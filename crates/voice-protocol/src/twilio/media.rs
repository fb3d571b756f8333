//! Twilio Media Streams: the JSON text frames Twilio sends over a call's WebSocket
//! ([`InboundMessage`]), the ones we send back ([`OutboundMessage`]), and the µ-law payload
//! helpers between them ([`frames`]).
//!
//! Every inbound frame comes from the network, so [`InboundMessage::parse`] never panics: bad
//! JSON and malformed known events are errors, and an event name we do not know is kept as
//! [`InboundMessage::Unknown`] so a new Twilio event is logged, not fatal.

pub mod frames;
pub mod inbound;
pub mod outbound;

pub use frames::{
    FRAME_BYTES, FRAME_MS, FrameChunker, MULAW_BYTES_PER_MS, MULAW_SAMPLE_RATE, MULAW_SILENCE,
    decode_payload, encode_payload, ms_to_mulaw_bytes, mulaw_bytes_to_ms,
};
pub use inbound::{
    Connected, Dtmf, DtmfDigit, InboundMessage, Mark, MarkName, Media, MediaChunk, MediaFormat,
    Start, StartMetadata, Stop, StopMetadata, UnknownMessage,
};
pub use outbound::{OutboundMedia, OutboundMessage};

/// Why a Media Streams frame, or a number or payload inside one, could not be read.
#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    /// The frame is not JSON at all.
    #[error("a Media Streams frame is not valid JSON: {0}")]
    NotJson(#[source] serde_json::Error),
    /// The frame is JSON but has no string `event` field.
    #[error("a Media Streams frame has no string `event` field")]
    MissingEvent,
    /// A known event lacks a field it must have, or a field has the wrong type.
    #[error("malformed Media Streams `{event}` message: {source}")]
    Malformed {
        /// The event name (`start`, `media`, …).
        event: String,
        /// What serde found wrong.
        #[source]
        source: serde_json::Error,
    },
    /// A numeric field Twilio sends as a string (`sequenceNumber`, `chunk`, `timestamp`) is
    /// not a whole number that fits in a `u64`.
    #[error("`{field}` is not a whole number: `{value}`")]
    NotANumber {
        /// The wire name of the field.
        field: &'static str,
        /// The text received, cut to 40 characters.
        value: String,
    },
    /// A media payload is not valid base64.
    #[error("a media payload is not valid base64: {0}")]
    Base64(#[from] base64::DecodeError),
}
