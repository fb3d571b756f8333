//! The `live-bridge` voice engine: Twilio Media Streams ⇄ this PC ⇄ OpenAI GPT-Live over
//! WebSocket. The webhook and `/media-stream` are the Realtime bridge's
//! ([`crate::routes`]); the call's pending entry says which engine it is for, and the
//! media stream is handed to [`driver::run`] here once claimed.
//!
//! - [`session`]: the pure [`LiveSession`] (pacing, barge-in by `clear`, the tool loop);
//! - [`driver`]: its sockets, tools, call log and hand-over, through [`crate::driver`]'s
//!   `Call`;
//! - this module: the session configuration (a short voice persona for the voice model,
//!   the shop's rules and our tools for the Responses backend) and opening the socket.

pub mod driver;
pub mod session;

pub use session::{LiveAction, LiveInput, LivePacing, LiveSession};

use crate::config::CallConfig;
use crate::realtime::{ConnectError, RealtimeSocket, SessionSetup};
use futures_util::SinkExt;
use tokio_tungstenite::tungstenite::Message;
use voice_protocol::live::{
    AudioFormat, AudioOutput, ClientEvent, Delegation, ResponsesDelegation, SessionAudio,
    SessionConfig, ToolChoiceMode,
};

/// The voice model's own prompt (`session.instructions`): who it is, how it talks, when it
/// stops and when it hands work to the backend. The menu and order rules are the
/// backend's ([`SessionSetup::instructions`]).
pub fn voice_instructions(shop_name: &str) -> String {
    format!(
        "# Role\nYou are the friendly phone host of {shop_name}, a pizza shop in Pakistan. \
         Speak Urdu (as Pakistanis speak it, English food words are fine) unless the caller \
         speaks English. Short sentences, warm and polite (aap, ji).\n\
         # Backchannel policy\nWhile the caller dictates an address, a phone number or an \
         order, only say short acknowledgements (ji, acha) and let them finish.\n\
         # Interruption policy\nIf the caller starts speaking while you talk, stop at once \
         and listen. Do not repeat what you already said unless asked.\n\
         # Delegation policy\nYou do not know the menu, prices, delivery areas or order \
         state yourself. Delegate every question about them, every change to the order, \
         placing the order, a transfer to a person and ending the call. Say only what the \
         result tells you; never invent prices or order numbers. Give the order number only \
         after the backend says the order is placed."
    )
}

/// The `session.start` configuration for a call: µ-law 8 kHz both ways, `responses`
/// delegation with our function tools. Without `audio.format` (see
/// [`SessionConfig::for_sip_accept`]) it is also the SIP accept body.
pub fn session_config(cfg: &CallConfig, setup: &SessionSetup) -> SessionConfig {
    SessionConfig {
        model: cfg.openai_live_model.clone(),
        instructions: Some(voice_instructions(&cfg.shop_name)),
        audio: Some(SessionAudio {
            format: Some(AudioFormat::TWILIO),
            output: Some(AudioOutput {
                voice: Some(cfg.openai_voice.clone()),
            }),
        }),
        delegation: Some(Delegation::Responses {
            responses: ResponsesDelegation {
                model: cfg.openai_live_backend_model.clone(),
                instructions: Some(setup.instructions.clone()),
                tools: setup.tools.iter().cloned().map(Into::into).collect(),
                tool_choice: Some(ToolChoiceMode::Auto),
                parallel_tool_calls: Some(false),
                max_output_tokens: None,
            },
        }),
    }
}

/// Opens the GPT-Live socket (`Authorization: Bearer`, no query parameters) and sends
/// `session.start`; the greeting follows `session.started` ([`LiveSession`]).
pub async fn open(cfg: &CallConfig, setup: &SessionSetup) -> Result<RealtimeSocket, ConnectError> {
    let mut ws = crate::realtime::connect_to(cfg, &cfg.openai_live_url).await?;
    let json = ClientEvent::session_start(session_config(cfg, setup))
        .to_json()
        .map_err(|e| ConnectError::Setup(e.to_string()))?;
    ws.send(Message::Text(json.into()))
        .await
        .map_err(|e| ConnectError::Setup(e.to_string()))?;
    Ok(ws)
}
