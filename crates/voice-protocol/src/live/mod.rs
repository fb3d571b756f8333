//! OpenAI GPT-Live events (`wss://…/v1/live/sessions`): what we send ([`client`], with the
//! session configuration in [`session`]) and what we receive ([`server`]).
//!
//! The same [`SessionConfig`] serves the primary WebSocket (`session.start`, with
//! `audio.format`) and a SIP accept body (the config without `audio.format`, see
//! [`SessionConfig::for_sip_accept`]); the same [`ServerEvent`]s arrive on a sideband.
//! Facts behind the shapes: `docs/voice-engines.md` §1 of the shared notes; every event we
//! build is checked against the GPT-Live JSON Schemas in kitchen-testkit's
//! `fixtures/openai-live/`.

pub mod client;
pub mod server;
pub mod session;

pub use client::{ClientEvent, ResponseItem};
pub use server::{
    AppendedEvent, CloseReason, DelegationCreated, DelegationInfo, ErrorDetails, ErrorEvent,
    FunctionCall, InfoEvent, OtherEvent, OutputAudioDelta, ResponseEnvelope, ServerEvent,
    SessionClosed, SessionResource, SessionStarted, SessionUsage, TranscriptDelta, UsageUpdated,
};
pub use session::{
    AcceptSession, AudioFormat, AudioOutput, Delegation, FunctionTool, ResponsesDelegation,
    SessionAudio, SessionConfig, SessionKind, Tool, ToolChoiceMode,
};

/// Why a GPT-Live server event could not be read.
#[derive(Debug, thiserror::Error)]
pub enum LiveError {
    /// The frame is not JSON at all.
    #[error("a GPT-Live frame is not valid JSON: {0}")]
    NotJson(#[source] serde_json::Error),
    /// The frame is JSON but has no string `type` field.
    #[error("a GPT-Live frame has no string `type` field")]
    MissingType,
    /// A known event lacks a field we need, or a field has the wrong type.
    #[error("malformed GPT-Live `{event_type}` event: {source}")]
    Malformed {
        /// The event type.
        event_type: String,
        /// What serde found wrong.
        #[source]
        source: serde_json::Error,
    },
}
