//! OpenAI Realtime API events, GA interface only: what we send ([`client`], with the session
//! configuration in [`session`]) and what we receive ([`server`]).
//!
//! The beta interface is shut down: a beta-shaped event (`response.audio.delta`,
//! `input_audio_format`, the `OpenAI-Beta` header) gets `beta_api_shape_disabled` and a
//! closed socket. Nothing here can produce one; a beta event received would be
//! [`ServerEvent::Unknown`].

pub mod client;
pub mod server;
pub mod session;

pub use client::{ClientEvent, ConversationItem, InputContent, MessageRole};
pub use server::{ServerEvent, UnknownServerEvent};
pub use session::{
    AudioFormat, AudioInput, AudioOutput, Eagerness, ForcedTool, FunctionTool, Infinite,
    MaxOutputTokens, Modality, NoiseReduction, NoiseReductionKind, ResponseConfig, SemanticVad,
    ServerVad, SessionAudio, SessionConfig, SessionKind, Tool, ToolChoice, ToolChoiceMode,
    Transcription, TurnDetection,
};

/// Why a Realtime server event could not be read.
#[derive(Debug, thiserror::Error)]
pub enum RealtimeError {
    /// The frame is not JSON at all.
    #[error("a Realtime frame is not valid JSON: {0}")]
    NotJson(#[source] serde_json::Error),
    /// The frame is JSON but has no string `type` field.
    #[error("a Realtime frame has no string `type` field")]
    MissingType,
    /// A known event lacks a field we need, or a field has the wrong type.
    #[error("malformed Realtime `{event_type}` event: {source}")]
    Malformed {
        /// The event type.
        event_type: String,
        /// What serde found wrong.
        #[source]
        source: serde_json::Error,
    },
    /// An audio delta is not valid base64.
    #[error("a Realtime audio delta is not valid base64: {0}")]
    Base64(#[from] base64::DecodeError),
}
