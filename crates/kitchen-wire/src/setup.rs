//! `GET /api/setup`, `POST /api/setup` and `POST /api/setup/skip`: the first-run wizard's
//! answers and status.

use serde::Serialize;

/// `POST /api/setup`: checked by the domain's wizard rules.
pub use kitchen_domain::settings::wizard::SetupRequest;

/// `GET /api/setup`: whether the wizard was saved, which parts are configured, and the
/// current values (secrets only as "set or not").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct SetupStatus {
    /// The wizard was saved once (or the server was started with `--skip-setup-wizard`).
    pub done: bool,
    /// The owner chose "Skip for now" (`POST /api/setup/skip`), in any browser: the
    /// dashboard opens the wizard by itself only while neither `done` nor `skipped`.
    pub skipped: bool,
    /// Which parts are configured.
    pub steps: SetupSteps,
    /// The current values, to fill the wizard with.
    pub values: SetupValues,
}

/// Which parts of the setup are configured.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct SetupSteps {
    /// The shop's name was saved.
    pub shop: bool,
    /// An OpenAI key is set: the AI can answer.
    pub ai: bool,
    /// Twilio account, token and number are all set.
    pub phone: bool,
    /// The shop's own phone is set (calls the AI cannot take go there).
    pub fallback_phone: bool,
    /// Twilio can reach this PC: an ngrok token or `PUBLIC_BASE_URL` is set.
    pub tunnel: bool,
}

/// The wizard's current values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct SetupValues {
    /// Shop name.
    pub shop_name: String,
    /// The chef's login name.
    pub chef_username: String,
    /// OpenAI Realtime model.
    pub openai_model: String,
    /// Twilio Account SID.
    pub twilio_account_sid: Option<String>,
    /// The shop's Twilio number, E.164.
    pub twilio_phone_number: Option<String>,
    /// The shop's own phone, E.164.
    pub shop_phone: Option<String>,
    /// Reserved ngrok domain.
    pub ngrok_domain: Option<String>,
    /// An OpenAI key is configured.
    pub openai_api_key_set: bool,
    /// A Twilio auth token is configured.
    pub twilio_auth_token_set: bool,
    /// An ngrok token is configured.
    pub ngrok_authtoken_set: bool,
}
