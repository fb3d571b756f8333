//! Server events about the session and its responses: configuration, response start and
//! end (with status and token usage), errors and rate limits.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// `session.created` / `session.updated`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionEvent {
    /// The server's id for this event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_id: Option<String>,
    /// The effective session configuration, kept as JSON (logged, not acted on).
    #[serde(default)]
    pub session: Value,
}

/// `response.created` / `response.done`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResponseEvent {
    /// The server's id for this event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_id: Option<String>,
    /// The response.
    pub response: ResponseInfo,
}

/// A response as `response.created` / `response.done` describe it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ResponseInfo {
    /// `resp_…`.
    #[serde(default)]
    pub id: String,
    /// Where the response is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ResponseStatus>,
    /// Why it was cancelled, incomplete or failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_details: Option<StatusDetails>,
    /// Token usage, on `response.done` (for cost).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<Usage>,
    /// Output items, kept as JSON.
    #[serde(default)]
    pub output: Vec<Value>,
    /// The metadata we attached in `response.create`, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Value>,
}

/// `response.status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResponseStatus {
    /// Still producing output.
    InProgress,
    /// Finished normally.
    Completed,
    /// Cancelled (by barge-in or `response.cancel`).
    Cancelled,
    /// Stopped early (token cap, content filter).
    Incomplete,
    /// Failed; see `status_details.error`.
    Failed,
    /// A status this crate does not know.
    #[serde(other)]
    Other,
}

/// `response.status_details`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StatusDetails {
    /// The status this explains.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// `turn_detected`, `client_cancelled`, `max_output_tokens`, `content_filter`, …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The error of a failed response.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<Value>,
}

/// Token usage of one response.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Usage {
    /// Input plus output.
    #[serde(default)]
    pub total_tokens: u64,
    /// Tokens read.
    #[serde(default)]
    pub input_tokens: u64,
    /// Tokens produced.
    #[serde(default)]
    pub output_tokens: u64,
    /// Input tokens by kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_token_details: Option<TokenDetails>,
    /// Output tokens by kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_token_details: Option<TokenDetails>,
}

/// Tokens by kind (audio is priced differently from text; cached input is cheaper).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenDetails {
    /// Text tokens.
    #[serde(default)]
    pub text_tokens: u64,
    /// Audio tokens.
    #[serde(default)]
    pub audio_tokens: u64,
    /// Cached tokens (input only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cached_tokens: Option<u64>,
    /// Of the cached tokens, text and audio (input only, when the API says).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cached_tokens_details: Option<CachedTokenDetails>,
}

/// How the cached input tokens split between text and audio.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CachedTokenDetails {
    /// Cached text tokens.
    #[serde(default)]
    pub text_tokens: u64,
    /// Cached audio tokens.
    #[serde(default)]
    pub audio_tokens: u64,
}

/// `error`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorEvent {
    /// The server's id for this event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_id: Option<String>,
    /// What went wrong.
    pub error: ErrorDetails,
}

/// The body of an `error` event.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorDetails {
    /// `invalid_request_error`, `server_error`, …
    #[serde(rename = "type", default)]
    pub kind: String,
    /// A stable code, e.g. `beta_api_shape_disabled`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Human-readable message.
    #[serde(default)]
    pub message: String,
    /// The offending parameter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub param: Option<String>,
    /// The `event_id` of our client event that caused it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_id: Option<String>,
}

impl ErrorDetails {
    /// True when the server refused a beta-era shape (the session then closes with 4000).
    pub fn is_beta_shape_disabled(&self) -> bool {
        self.code.as_deref() == Some("beta_api_shape_disabled")
    }
}

/// `rate_limits.updated`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RateLimitsUpdated {
    /// The server's id for this event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_id: Option<String>,
    /// One entry per limit.
    #[serde(default)]
    pub rate_limits: Vec<RateLimit>,
}

/// One rate limit.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RateLimit {
    /// `requests` or `tokens`.
    #[serde(default)]
    pub name: String,
    /// The limit.
    #[serde(default)]
    pub limit: u64,
    /// What is left.
    #[serde(default)]
    pub remaining: u64,
    /// Seconds until it resets.
    #[serde(default)]
    pub reset_seconds: f64,
}
