//! `GET /api/settings` and `PUT /api/settings`: the shop's settings as the dashboard sees
//! and changes them (secrets only ever as "set or not", and write-only).

use serde::{Deserialize, Serialize};

/// `GET /api/settings`. Secrets never appear; only whether they are set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct SettingsDto {
    /// Said in the AI's greeting.
    pub shop_name: String,
    /// The AI's first words, when not the default built from the shop name.
    pub greeting: Option<String>,
    /// Minutes to delivery told to callers.
    pub eta_minutes: u32,
    /// A ticket's timer turns amber after this many minutes.
    pub amber_after_minutes: u32,
    /// A ticket's timer turns red after this many minutes.
    pub red_after_minutes: u32,
    /// Where callers go when they ask for a person or the AI cannot serve.
    pub shop_phone: Option<String>,
    /// The Twilio account (`AC…`).
    pub twilio_account_sid: Option<String>,
    /// The shop's Twilio number callers dial, E.164.
    pub twilio_phone_number: Option<String>,
    /// The OpenAI Realtime model.
    pub openai_model: String,
    /// A reserved ngrok domain, if any.
    pub ngrok_domain: Option<String>,
    /// The desktop app starts when the owner logs in to the computer.
    pub start_at_login: bool,
    /// Whether an OpenAI API key is configured.
    pub openai_api_key_set: bool,
    /// Whether a Twilio auth token is configured.
    pub twilio_auth_token_set: bool,
    /// Whether an ngrok token is configured.
    pub ngrok_authtoken_set: bool,
}

/// `PUT /api/settings`: any subset. For text fields and secrets an empty string clears the
/// stored value (the environment's value, if any, applies again).
#[derive(Debug, Clone, Default, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields)]
pub struct SettingsUpdate {
    /// New shop name (1 to 80 characters).
    pub shop_name: Option<String>,
    /// New greeting (up to 300 characters; empty: the default greeting).
    pub greeting: Option<String>,
    /// 5 to 180.
    pub eta_minutes: Option<u32>,
    /// 1 to 120, below `red_after_minutes`.
    pub amber_after_minutes: Option<u32>,
    /// 2 to 240, above `amber_after_minutes`.
    pub red_after_minutes: Option<u32>,
    /// A phone number (Pakistani forms accepted), or empty to clear.
    pub shop_phone: Option<String>,
    /// `AC` + 32 hex digits, or empty to clear.
    pub twilio_account_sid: Option<String>,
    /// The shop's Twilio number, or empty to clear.
    pub twilio_phone_number: Option<String>,
    /// The OpenAI Realtime model, or empty for the default.
    pub openai_model: Option<String>,
    /// A reserved ngrok domain, or empty to clear.
    pub ngrok_domain: Option<String>,
    /// Start the desktop app at login.
    pub start_at_login: Option<bool>,
    /// Write-only.
    pub openai_api_key: Option<String>,
    /// Write-only.
    pub twilio_auth_token: Option<String>,
    /// Write-only.
    pub ngrok_authtoken: Option<String>,
}
