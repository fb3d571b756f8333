//! The connection to the OpenAI Realtime API (GA): open it, configure the session, greet.
//!
//! Opened while the webhook answers (pre-warm), so the AI is ready when the caller's audio
//! arrives. Never sends the beta header or beta event shapes.

use crate::config::CallConfig;
use futures_util::SinkExt;
use std::time::Duration;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::{Error as WsError, Message};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};
use voice_protocol::realtime::session::{
    AudioFormat, NoiseReduction, NoiseReductionKind, Tool, Transcription,
};
use voice_protocol::realtime::{ClientEvent, ResponseConfig, SessionConfig};

/// An open Realtime socket.
pub type RealtimeSocket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// WebSocket read buffer for both sockets of a call (frames are small).
pub const READ_BUFFER_BYTES: usize = 4096;

/// Why the AI could not be reached.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    /// No `OPENAI_API_KEY`.
    #[error("no OpenAI API key is configured")]
    NoKey,
    /// The key was refused.
    #[error("OpenAI refused the API key (HTTP {0}); check OPENAI_API_KEY")]
    Unauthorized(u16),
    /// Another HTTP refusal.
    #[error("OpenAI refused the connection (HTTP {0})")]
    Refused(u16),
    /// Network trouble.
    #[error("could not reach OpenAI: {0}")]
    Network(String),
    /// Too slow ([`CallTimeouts::ai_connect`](super::timeouts::CallTimeouts::ai_connect)).
    #[error("OpenAI did not answer within {}", seconds(.0))]
    Timeout(Duration),
    /// The socket broke while configuring it.
    #[error("the OpenAI connection broke during setup: {0}")]
    Setup(String),
}

/// What the AI session needs to know about this call.
#[derive(Debug, Clone)]
pub struct SessionSetup {
    /// The full instructions (shop, menu, rules, returning caller).
    pub instructions: String,
    /// The tools, generated from the live menu.
    pub tools: Vec<Tool>,
    /// Instructions for the first response (the greeting).
    pub greeting: String,
}

/// The `session.update` for a phone call: µ-law both ways (no transcoding), server VAD tuned
/// for phone lines (the relay, not the server, starts and interrupts responses: see
/// [`crate::config::VadConfig::turn_detection`]), caller transcription for the log, and the
/// tools.
pub fn session_update(cfg: &CallConfig, setup: &SessionSetup) -> ClientEvent {
    let mut session = SessionConfig::phone_call();
    session.instructions = Some(setup.instructions.clone());
    session.tools = Some(setup.tools.clone());
    if let Some(audio) = session.audio.as_mut() {
        if let Some(input) = audio.input.as_mut() {
            input.format = Some(AudioFormat::Pcmu);
            input.noise_reduction = Some(NoiseReduction {
                kind: NoiseReductionKind::NearField,
            });
            input.transcription = Some(Transcription {
                model: Some(cfg.transcription_model.clone()),
                language: Some("ur".to_string()),
                prompt: None,
            });
            input.turn_detection = Some(cfg.vad.turn_detection(false));
        }
        if let Some(output) = audio.output.as_mut() {
            output.format = Some(AudioFormat::Pcmu);
            output.voice = Some(cfg.openai_voice.clone());
        }
    }
    ClientEvent::session_update(session)
}

/// Opens the socket, sends the session configuration and asks for the greeting.
pub async fn open(cfg: &CallConfig, setup: &SessionSetup) -> Result<RealtimeSocket, ConnectError> {
    let mut ws = connect(cfg).await?;
    let greeting = ResponseConfig {
        instructions: Some(setup.greeting.clone()),
        ..ResponseConfig::default()
    };
    for ev in [
        session_update(cfg, setup),
        ClientEvent::response_create(Some(greeting)),
    ] {
        let json = ev
            .to_json()
            .map_err(|e| ConnectError::Setup(e.to_string()))?;
        ws.send(Message::Text(json.into()))
            .await
            .map_err(|e| ConnectError::Setup(e.to_string()))?;
    }
    Ok(ws)
}

/// "Check setup": opens a socket with the configured key and model and closes it again
/// (no session is configured, nothing is spoken, no audio is billed).
pub async fn check_key(cfg: &CallConfig) -> Result<(), ConnectError> {
    let mut ws = connect(cfg).await?;
    let _ = tokio::time::timeout(cfg.timeouts.ai_connect, ws.close(None)).await;
    Ok(())
}

/// Opens the Realtime WebSocket with the key and model.
async fn connect(cfg: &CallConfig) -> Result<RealtimeSocket, ConnectError> {
    let sep = if cfg.openai_realtime_url.contains('?') {
        '&'
    } else {
        '?'
    };
    let url = format!("{}{sep}model={}", cfg.openai_realtime_url, cfg.openai_model);
    connect_to(cfg, &url).await
}

/// Opens a WebSocket to an OpenAI endpoint at `url` with `Authorization: Bearer` and the
/// call path's buffer and timeout settings (the Realtime and GPT-Live sockets alike).
pub(crate) async fn connect_to(
    cfg: &CallConfig,
    url: &str,
) -> Result<RealtimeSocket, ConnectError> {
    let key = cfg.openai_api_key.as_ref().ok_or(ConnectError::NoKey)?;
    let mut req = url
        .into_client_request()
        .map_err(|e| ConnectError::Network(e.to_string()))?;
    let auth = HeaderValue::from_str(&format!("Bearer {}", key.expose())).map_err(|_| {
        ConnectError::Network("the API key contains characters a header cannot carry".into())
    })?;
    req.headers_mut().insert("authorization", auth);
    let ws_config = tokio_tungstenite::tungstenite::protocol::WebSocketConfig::default()
        .read_buffer_size(READ_BUFFER_BYTES)
        .max_message_size(Some(16 << 20));
    // `true`: TCP_NODELAY — caller audio goes out the moment it arrives.
    let connect = tokio_tungstenite::connect_async_with_config(req, Some(ws_config), true);
    let limit = cfg.timeouts.ai_connect;
    let ws = match tokio::time::timeout(limit, connect).await {
        Err(_) => return Err(ConnectError::Timeout(limit)),
        Ok(Err(WsError::Http(res))) => {
            let code = res.status().as_u16();
            return Err(if code == 401 || code == 403 {
                ConnectError::Unauthorized(code)
            } else {
                ConnectError::Refused(code)
            });
        }
        Ok(Err(e)) => return Err(ConnectError::Network(e.to_string())),
        Ok(Ok((ws, _))) => ws,
    };
    Ok(ws)
}

/// `5 s`, or `0.3 s` for the shortened timeouts of tests.
fn seconds(d: &Duration) -> String {
    if d.subsec_millis() == 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_timeout_names_the_configured_limit() {
        let err = |d| ConnectError::Timeout(d).to_string();
        assert_eq!(
            err(Duration::from_secs(5)),
            "OpenAI did not answer within 5 s"
        );
        assert_eq!(
            err(Duration::from_millis(300)),
            "OpenAI did not answer within 0.3 s"
        );
    }
}
